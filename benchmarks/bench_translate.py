"""Translation speed: normalize's CTranslate2 path against plain transformers, measured in one process.

    python benchmarks/bench_translate.py             # full run: ~25 min on 2 cores
    python benchmarks/bench_translate.py --quick     # batch 16 only, 32 sentences, no levers, ~3 min

Model: random weights, exact opus-mt-ar-en architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048,
512 positions, vocabulary 62,834, tied output projection), built locally (no weights can be downloaded).

Work: news-like sentences of 10-60 source tokens (log-normal, median 26); each sentence's output is
``round(1.2 x source tokens)`` target tokens. Random weights never emit ``</s>``, so both sides are forced
to those lengths (``min = max`` new tokens). A batch runs until its longest member is done, so each side's
batch decodes exactly the largest target length among its own sentences: what transformers spends when
its outputs have those lengths (it keeps finished rows in the batch), and at least what CTranslate2
spends (it drops finished rows, which this forcing does not let it do).

Baseline: what a user writes: ``MarianMTModel.generate`` in float32, batches in input order,
``torch.set_num_threads(threads)``. normalize: ``Engine.generate_ids`` with the ctranslate2 backend and
its defaults (the call ``Translator.translate`` makes after tokenising; tokenising and detokenising are
the same code on both sides, timed separately below). All configurations live in one process and each
round runs baseline, normalize, [levers ...] back to back; a speed-up is the median of the per-round
ratios, so a load change between rounds moves both sides. Peak memory comes from a separate process
per configuration (memory does not depend on the machine's load; speed does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ARCH = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "max_positions": 512, "pad_vocab_to": 62834}
# News sentences: log-normal token counts (median 26, the middle of 10-60), clipped to 10-60.
LEN_MEDIAN, LEN_SIGMA, LEN_MIN, LEN_MAX = 26, 0.45, 10, 60
# English SentencePiece output per Arabic source token: an assumed ratio (no real model here to measure
# it). The ratios below barely move with it, since both sides decode the same lengths.
TARGET_RATIO = 1.2
# Synthetic vocabulary shortlist for the vmap lever, shaped like Bergamot's lex.50.50: 50 candidates per
# source token, 100 always allowed. No OPUS-MT model on the Hub ships one; this only sizes the lever.
SHORTLIST_PER_TOKEN, SHORTLIST_ALWAYS = 50, 100
# Shortlist candidates are drawn from a Zipf distribution over target ranks (exponent of a typical
# word-frequency curve), so batch unions are a few thousand tokens, not a uniform third of the vocabulary.
SHORTLIST_ZIPF = 1.1
WARMUP_SENTENCES = 8  # one short pass per configuration first: lazy initialisation, weight packing


# --------------------------------------------------------------------------------------------- model, work

def build_model(directory: Path, seed: int) -> Path:
    from _tiny_marian import build_tiny_marian

    if not (directory / "model.safetensors").exists():
        # weight_std 0.2 gives weights of std 1/sqrt(fan_in), as a trained model has: larger random weights
        # overflow to inf/NaN in float32 and make the float paths artificially slow.
        build_tiny_marian(directory, seed=seed, weight_std=0.2, **ARCH)  # type: ignore[arg-type]
    return directory


def workload(n: int, seed: int, vocab_size: int) -> tuple[list[list[int]], list[int]]:
    """``n`` source id sequences (ending in ``</s>`` = 0) and each one's target length."""
    rng = random.Random(seed)
    lengths = []
    while len(lengths) < n:
        length = round(rng.lognormvariate(math.log(LEN_MEDIAN), LEN_SIGMA))
        if LEN_MIN <= length <= LEN_MAX:
            lengths.append(length)
    # ids 2 .. vocab-2: not </s> (0), <unk> (1) or <pad> (the last id).
    sources = [[rng.randrange(2, vocab_size - 1) for _ in range(length - 1)] + [0] for length in lengths]
    return sources, [round(TARGET_RATIO * length) for length in lengths]


def shortlist_dir(model_dir: Path, sources: list[list[int]], tokens: Sequence[str], seed: int) -> Path:
    """A copy of the model directory (symlinks) with a synthetic ``vmap.txt``."""
    target = model_dir.parent / f"{model_dir.name}-shortlist"
    if (target / "vmap.txt").exists():
        return target
    target.mkdir(exist_ok=True)
    for file in model_dir.iterdir():
        if not (target / file.name).exists():
            (target / file.name).symlink_to(file)
    rng = random.Random(seed)
    usable = list(range(2, len(tokens) - 1))
    rng.shuffle(usable)  # rank -> token id
    weights = [1 / (rank + 1) ** SHORTLIST_ZIPF for rank in range(len(usable))]
    lines = ["\t" + " ".join(tokens[i] for i in usable[:SHORTLIST_ALWAYS])]
    for source_id in sorted({i for s in sources for i in s[:-1]}):
        chosen = set(rng.choices(usable, weights=weights, k=SHORTLIST_PER_TOKEN))
        lines.append(f"{tokens[source_id]}\t" + " ".join(tokens[i] for i in sorted(chosen)))
    (target / "vmap.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def shortlist_size(vmap: Path, batch: list[list[str]]) -> int:
    rules: dict[str, list[str]] = {}
    for line in vmap.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        rules[key] = values.split()
    return len(set(rules[""]) | {t for s in batch for tok in s for t in rules.get(tok, [])}) + 2  # + </s>, <unk>


# ------------------------------------------------------------------------------------------------ FLOPs

def flops(batches: list[tuple[int, int, int]], beams: int) -> tuple[float, float]:
    """(total, output projection) FLOPs of decoding ``(rows, padded source width, steps)`` batches the way
    transformers does it (padding computed, every row for every step, cross-attention K/V per beam)."""
    d, layers, ffn, vocab = ARCH["d_model"], ARCH["layers"], ARCH["ffn"], ARCH["pad_vocab_to"]
    total = projection = 0.0
    for rows, width, steps in batches:
        hyps = rows * beams
        macs = rows * width * layers * (4 * d * d + 2 * d * ffn) + rows * layers * 2 * width * width * d  # encoder
        macs += hyps * width * layers * 2 * d * d  # cross-attention keys and values
        per_step = layers * (6 * d * d + 2 * d * ffn)  # self q,k,v,o + cross q,o + FFN
        for t in range(1, steps + 1):
            macs += hyps * (per_step + layers * 2 * d * (t + width))
        out = hyps * steps * d * vocab
        total += 2 * (macs + out)
        projection += 2 * out
    return total, projection


# ------------------------------------------------------------------------------------------ configurations

@dataclass
class Config:
    name: str
    run: Callable[..., None]  # (batch_size, beams[, limit]) -> one pass over the work (or its first sentences)
    note: str = ""
    times: dict[tuple[int, int], list[float]] = field(default_factory=dict)


def chunks(order: list[int], size: int) -> list[list[int]]:
    return [order[i:i + size] for i in range(0, len(order), size)]


def token_batches(order: list[int], lengths: Sequence[int], budget: int) -> list[list[int]]:
    batches: list[list[int]] = []
    for i in order:  # sorted longest first: a batch's first piece is its longest
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= budget:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


class Bench:
    def __init__(self, model_dir: Path, threads: int, sentences: int, seed: int) -> None:
        from normalize._translate._backends import ModelVocab

        self.model_dir = model_dir
        self.threads = threads
        # The vocabulary straight from vocab.json, so a memory probe of one side loads nothing of the other.
        vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
        tokens = [""] * len(vocab)
        for token, i in vocab.items():
            tokens[i] = token
        self.vocab = ModelVocab(tuple(tokens), vocab["<pad>"], vocab["</s>"], ARCH["max_positions"])
        self.sources, self.targets = workload(sentences, seed, len(tokens))
        self.source_lengths = [len(s) for s in self.sources]
        self.seed = seed
        self.baseline_model: Any = None
        self._engine: Any = None
        self._backends: dict[tuple[object, ...], Any] = {}

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from normalize._translate._engine import Engine

            self._engine = Engine(self.model_dir, backend="ctranslate2", device="cpu", compute_type=None,
                                  target_prefix="")
        return self._engine

    # -- baseline: plain transformers, float32, input order
    def baseline(self, batch_size: int, beams: int, limit: int | None = None) -> None:
        import torch

        if self.baseline_model is None:
            from transformers import MarianMTModel
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # "Both max_new_tokens and max_length" on every generate call
            torch.set_num_threads(self.threads)  # what a user sets: the machine's cores
            self.baseline_model = MarianMTModel.from_pretrained(str(self.model_dir)).eval()
        # Loading a CTranslate2 translator used to reset torch's OpenMP threads to its intra_threads (1),
        # which made this baseline single-threaded; normalize now restores them. Check on every pass.
        assert torch.get_num_threads() == self.threads, (torch.get_num_threads(), self.threads)
        pad = self.vocab.pad_id
        order = list(range(len(self.sources)))[:limit]
        for batch in chunks(order, batch_size):
            steps = max(self.targets[i] for i in batch)
            width = max(self.source_lengths[i] for i in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros_like(ids)
            for row, i in enumerate(batch):
                ids[row, :self.source_lengths[i]] = torch.tensor(self.sources[i])
                mask[row, :self.source_lengths[i]] = 1
            with torch.inference_mode():
                out = self.baseline_model.generate(input_ids=ids, attention_mask=mask, num_beams=beams,
                                                   do_sample=False, min_new_tokens=steps, max_new_tokens=steps)
            assert out.shape[1] == steps + 1, (out.shape, steps)

    def baseline_flops(self, batch_size: int, beams: int) -> tuple[float, float]:
        batches = [(len(b), max(self.source_lengths[i] for i in b), max(self.targets[i] for i in b))
                   for b in chunks(list(range(len(self.sources))), batch_size)]
        return flops(batches, beams)

    # -- normalize: the engine's own batching and backend defaults
    def normalize(self, batch_size: int, beams: int, limit: int | None = None) -> None:
        sources = self.sources[:limit]
        targets = self.targets[:limit]
        # Outputs are forced to the batch's length; the engine then cuts each to its own cap and collapses
        # runaway repeats (random weights repeat a lot), so only the count is checked here.
        out = self.engine.generate_ids(sources, beams=beams, batch_size=batch_size, lengths=targets)
        assert len(out) == len(targets)

    # -- levers: the ctranslate2 backend with one setting changed, batches made here
    def backend(self, compute_type: str, threads: tuple[int, int], shortlist: bool = False) -> Any:
        from normalize._translate._backends import _ctranslate2

        key = (compute_type, threads, shortlist)
        if key not in self._backends:
            path = shortlist_dir(self.model_dir, self.sources, self.vocab.tokens, self.seed) if shortlist \
                else self.model_dir
            self._backends[key] = _ctranslate2.load(path, vocab=self.vocab, device="cpu", compute_type=compute_type,
                                                    threads=threads, use_vmap=shortlist)
        return self._backends[key]

    def ct2(self, compute_type: str = "float32", threads: tuple[int, int] = (1, 0), batching: str = "input",
            shortlist: bool = False) -> Callable[[int, int], None]:
        """A pass with ctranslate2 as a user calls it by hand (defaults: float32, ctranslate2's own threads,
        batches in input order), ``batching``: ``input``, ``sorted`` or ``tokens``."""
        from normalize._translate._backends import DecodeOptions

        def run(batch_size: int, beams: int, limit: int | None = None) -> None:
            backend = self.backend(compute_type, threads, shortlist)
            order = list(range(len(self.sources)))[:limit]
            if batching != "input":
                order.sort(key=lambda i: (-self.source_lengths[i], i))
            if batching == "tokens":  # same mean batch size as batch_size sentences, cut by tokens instead
                budget = batch_size * round(statistics.mean(self.source_lengths[i] for i in order))
                batches = token_batches(order, self.source_lengths, budget)
            else:
                batches = chunks(order, batch_size)
            options = [DecodeOptions(beams=beams, max_new_tokens=max(self.targets[i] for i in b),
                                     min_new_tokens=max(self.targets[i] for i in b)) for b in batches]
            for batch, opt, out in zip(batches, options,
                                       backend.generate([[self.sources[i] for i in b] for b in batches], options),
                                       strict=True):
                assert all(len(h.ids) == opt.min_new_tokens for h in out), (batch, opt)
        return run


    def variant(self, compute_type: str = "int8", threads: tuple[int, int] | None = None, balance: bool = True,
                shortlist: bool = False) -> Callable[..., None]:
        """normalize's defaults with one thing changed: its own batch plan and backend call, the backend
        loaded with other settings (the engine's trimming to per-piece caps is left out: no decoding cost)."""
        from normalize._translate._backends import DecodeOptions
        from normalize._translate._engine import plan_batches
        from normalize._translate._options import worker_threads

        def run(batch_size: int, beams: int, limit: int | None = None) -> None:
            backend = self.backend(compute_type, threads or worker_threads(self.threads), shortlist)
            lengths = self.source_lengths[:limit]
            batches = plan_batches(lengths, batch_size=batch_size, workers=backend.workers, balance=balance)
            options = [DecodeOptions(beams=beams, max_new_tokens=max(self.targets[i] for i in b),
                                     min_new_tokens=max(self.targets[i] for i in b)) for b in batches]
            for opt, out in zip(options, backend.generate([[self.sources[i] for i in b] for b in batches], options),
                                strict=True):
                assert all(len(h.ids) == opt.min_new_tokens for h in out)
        return run


def timed(run: Callable[..., None], *args: int) -> float:
    start = time.perf_counter()
    run(*args)
    return time.perf_counter() - start


# -------------------------------------------------------------------------------------------- reporting

def median_ratio(base: list[float], other: list[float]) -> float:
    return statistics.median(b / o for b, o in zip(base, other, strict=True))


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def signature(args: argparse.Namespace, bench: Bench, loads: list[float]) -> str:
    import ctranslate2
    import torch
    import transformers

    from normalize._translate._options import worker_threads
    from normalize._version import __version__

    config_hash = hashlib.sha256((bench.model_dir / "config.json").read_bytes()).hexdigest()[:12]
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip() or "?"
    except OSError:
        commit = "?"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lengths = bench.source_lengths
    inter, intra = worker_threads(bench.threads)
    return (f"normalize {__version__} (git {commit}) | opus-mt-ar-en shape d{ARCH['d_model']} "
            f"L{ARCH['layers']}+{ARCH['layers']} h{ARCH['heads']} ffn{ARCH['ffn']} V{ARCH['pad_vocab_to']} "
            f"pos{ARCH['max_positions']}, random weights seed {args.seed}, config sha256 {config_hash} | "
            f"{len(lengths)} sentences, source tokens {min(lengths)}-{max(lengths)} (median "
            f"{statistics.median(lengths):.0f}, mean {statistics.mean(lengths):.1f}), target = {TARGET_RATIO} x "
            f"source ({sum(bench.targets)} tokens), forced on both sides | {args.rounds} alternating rounds | "
            f"threads {bench.threads}: torch {torch.get_num_threads()}, ctranslate2 {inter} workers x {intra}, "
            f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')} | torch {torch.__version__}, transformers "
            f"{transformers.__version__}, ctranslate2 {ctranslate2.__version__}, python {platform.python_version()} "
            f"| {cpu}, {os.cpu_count()} CPUs | load average {', '.join(f'{x:.1f}' for x in loads)}")


def tokenizer_cost(bench: Bench) -> float:
    """Seconds to encode and decode the work's sentences once with the model's MarianTokenizer (the same
    code on both sides, so not in the ratios)."""
    words = ["وصل", "الوفد", "إلى", "بغداد", "صباح", "اليوم", "وقالت", "الشرطة", "إن", "الانفجار", "قرب", "سوق"]
    texts = [" ".join(words[(i + j) % len(words)] for j in range(max(3, n // 2)))
             for i, n in enumerate(bench.source_lengths)]
    start = time.perf_counter()
    encoded = [bench.engine.encode(t) for t in texts]
    for ids in encoded:
        bench.engine.decode(ids)
    return time.perf_counter() - start


def memory_probe(args: argparse.Namespace) -> None:
    bench = Bench(Path(args.model_dir), args.threads, args.sentences, args.seed)
    run = bench.baseline if args.probe == "baseline" else bench.normalize
    run(args.batch, args.beams)
    print(json.dumps({"rss_mb": peak_rss_mb()}))


def memory(args: argparse.Namespace, model_dir: Path,
           cells: list[tuple[int, int]]) -> dict[tuple[str, int, int], float]:
    out = {}
    for beams, batch in cells:
        for name in ("baseline", "normalize"):
            cmd = [sys.executable, __file__, "--probe", name, "--model-dir", str(model_dir), "--batch", str(batch),
                   "--beams", str(beams), "--threads", str(args.threads), "--sentences", str(args.sentences),
                   "--seed", str(args.seed)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode:
                sys.exit(f"memory probe {name} batch {batch} beams {beams} failed:\n{proc.stderr[-3000:]}")
            out[(name, beams, batch)] = json.loads(proc.stdout.strip().splitlines()[-1])["rss_mb"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="32 sentences, batch 16, 2 rounds, no levers/memory")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for both sides (default: the "
                        "cores this process may use)")
    parser.add_argument("--rounds", type=int, default=None, help="alternating rounds (default 3; --quick 2)")
    parser.add_argument("--sentences", type=int, default=None, help="default 64; --quick 32")
    parser.add_argument("--batch-sizes", default=None, help="comma-separated (default 1,16,64; --quick 16)")
    parser.add_argument("--no-levers", action="store_true", help="skip the per-lever table")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", default=None, help="where to build/reuse the random model")
    parser.add_argument("--probe", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=16, help=argparse.SUPPRESS)
    parser.add_argument("--beams", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.rounds = args.rounds or (2 if args.quick else 3)
    args.sentences = args.sentences or (32 if args.quick else 64)
    sizes = [int(x) for x in (args.batch_sizes or ("16" if args.quick else "1,16,64")).split(",")]
    levers = not (args.quick or args.no_levers)

    from normalize._translate._options import thread_budget

    args.threads = args.threads or thread_budget()
    # Before torch or ctranslate2 load: their OpenMP runtimes read it once, and normalize's thread budget
    # follows it, so both sides run on the same number of threads.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    model_dir = Path(args.model_dir or Path(tempfile.gettempdir()) / f"normalize-bench-opus-mt-ar-en-v3-{args.seed}")
    # The conversion goes to a cache beside the benchmark model, not to the user's ~/.cache.
    os.environ["NORMALIZE_CACHE_DIR"] = str(model_dir.parent / f"{model_dir.name}-cache")
    if args.probe:
        memory_probe(args)
        return

    t0 = time.perf_counter()
    build_model(model_dir, args.seed)
    loads = [os.getloadavg()[0]]
    bench = Bench(model_dir, args.threads, args.sentences, args.seed)
    print(f"# model and conversion ready in {time.perf_counter() - t0:.0f}s at {model_dir}", file=sys.stderr)

    base = Config("transformers generate, float32 (baseline)", bench.baseline)
    norm = Config("normalize (ctranslate2 backend, defaults)", bench.normalize)
    lever_configs = [
        Config("plain CTranslate2: float32, 1 worker x 4 threads (its default), input order", bench.ct2()),
        Config("+ compute_type int8", bench.ct2(compute_type="int8")),
        Config("+ compute_type int8_float32", bench.ct2(compute_type="int8_float32"),
               "same kernels as int8 on CPU: the noise floor"),
        Config("+ compute_type int16", bench.ct2(compute_type="int16")),
        Config(f"+ threads 1 worker x {args.threads}", bench.ct2(threads=(1, args.threads))),
        Config(f"+ threads {args.threads} workers x 1 (batches in parallel)", bench.ct2(threads=(args.threads, 1))),
        Config("+ length-sorted batches", bench.ct2(batching="sorted")),
        Config("+ sorted, cut by tokens (same mean batch size)", bench.ct2(batching="tokens")),
        Config("+ vocabulary shortlist (use_vmap, synthetic)", bench.ct2(shortlist=True),
               "no OPUS-MT Hub model ships one"),
    ] if levers else []
    ablations = [
        Config("defaults, batches cut by count instead of balanced tokens", bench.variant(balance=False)),
        Config("defaults, 1 worker x " f"{args.threads} threads instead of {args.threads} x 1",
               bench.variant(threads=(1, args.threads))),
        Config("defaults, compute_type float32 instead of int8", bench.variant(compute_type="float32")),
        Config("defaults + vocabulary shortlist (synthetic)", bench.variant(shortlist=True),
               "sizes the output projection's remaining cost"),
    ] if levers else []
    ablation_sizes = [size for size in sizes if size >= 16]
    cells = [(beams, size) for beams in (1, 4) for size in sizes]
    lever_size = 16 if 16 in sizes else sizes[0]

    print("# warm-up", file=sys.stderr)
    for beams in (1, 4):
        for config in (base, norm, *lever_configs, *ablations):
            config.run(lever_size, beams, WARMUP_SENTENCES)
    tokenize_s = tokenizer_cost(bench)
    for r in range(args.rounds):
        for beams, size in cells:
            extra = (lever_configs if size == lever_size else []) + (ablations if size in ablation_sizes else [])
            # Rotate the levers each round so none always runs furthest from its baseline.
            shift = r % len(extra) if extra else 0
            for config in [base, norm, *(extra[shift:] + extra[:shift])]:
                seconds = timed(config.run, size, beams)
                config.times.setdefault((beams, size), []).append(seconds)
                print(f"# round {r + 1} beams {beams} batch {size}: {config.name}: {seconds:.2f}s",
                      file=sys.stderr, flush=True)
    loads.append(os.getloadavg()[0])
    rss = {} if args.no_memory or args.quick else memory(args, model_dir, [c for c in cells if c[1] >= 16])

    print(signature(args, bench, loads))
    print()
    print(f"Command: python benchmarks/bench_translate.py {' '.join(sys.argv[1:])}".rstrip())
    print()
    print("| decoding | batch | baseline s | normalize s | baseline tok/s | normalize tok/s | speed-up (median) "
          "| per-round ratios | best / best | baseline GFLOP/s per round | peak RSS MB baseline / normalize |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|")
    tokens = sum(bench.targets)
    for beams, size in cells:
        b, n = base.times[(beams, size)], norm.times[(beams, size)]
        total, _ = bench.baseline_flops(size, beams)
        mem = (f"{rss[('baseline', beams, size)]:.0f} / {rss[('normalize', beams, size)]:.0f}"
               if ("baseline", beams, size) in rss else "–")
        ratios = ", ".join(f"{x / y:.2f}" for x, y in zip(b, n, strict=True))
        gflops = ", ".join(f"{total / x / 1e9:.0f}" for x in b)
        print(f"| {'greedy' if beams == 1 else f'beam {beams}'} | {size} | {statistics.median(b):.2f} | "
              f"{statistics.median(n):.2f} | {tokens / statistics.median(b):.0f} | {tokens / statistics.median(n):.0f} "
              f"| **{median_ratio(b, n):.2f}x** | {ratios} | {min(b) / min(n):.2f}x | {gflops} | {mem} |")
    print()
    print("speed-up: median of the per-round ratios baseline/normalize; best / best: fastest baseline pass over "
          "fastest normalize pass (each side's least disturbed round).")
    print(f"Tokenising and detokenising the {len(bench.sources)} sentences (MarianTokenizer, the same code on "
          f"both sides, not in the times above): {tokenize_s:.3f}s.")
    total16, projection16 = bench.baseline_flops(lever_size, 4)
    total1, projection1 = bench.baseline_flops(lever_size, 1)
    print(f"Output projection (512 x 62,834 per hypothesis per step) share of the baseline's FLOPs at batch "
          f"{lever_size}: greedy {projection1 / total1:.0%}, beam 4 {projection16 / total16:.0%}.")
    if not lever_configs:
        return
    print()
    vmap = shortlist_dir(model_dir, bench.sources, bench.vocab.tokens, args.seed) / "vmap.txt"
    batches = chunks(list(range(len(bench.sources))), lever_size)
    size = statistics.mean(shortlist_size(vmap, [[bench.vocab.tokens[i] for i in bench.sources[j]] for j in b])
                           for b in batches)
    print(f"Levers, each alone on top of plain CTranslate2, batch {lever_size}, same run (synthetic shortlist: "
          f"{SHORTLIST_PER_TOKEN} candidates per source token + {SHORTLIST_ALWAYS} always, {size:,.0f} of "
          f"{ARCH['pad_vocab_to']:,} target tokens per batch on average):")
    print()
    print("| configuration | greedy s | greedy × plain | greedy × baseline | beam 4 s | beam 4 × plain "
          "| beam 4 × baseline | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    plain = lever_configs[0]
    for config in [*lever_configs, norm]:
        row = [config.name]
        for beams in (1, 4):
            key = (beams, lever_size)
            row += [f"{statistics.median(config.times[key]):.2f}",
                    f"{median_ratio(plain.times[key], config.times[key]):.2f}x",
                    f"{median_ratio(base.times[key], config.times[key]):.2f}x"]
        print("| " + " | ".join([*row, config.note]) + " |")
    print()
    print("normalize with one default changed (its own batch plan and backend call), same run; "
          "gain = median per-round ratio this / defaults, i.e. what the default choice gains over this one "
          "(below 1: this one is faster):")
    print()
    heads = [f"{'greedy' if beams == 1 else 'beam 4'} b{size}" for beams in (1, 4) for size in ablation_sizes]
    print("| configuration | " + " | ".join(f"{h} s | {h} gain" for h in heads) + " | note |")
    print("|---|" + "---:|---:|" * len(heads) + "---|")
    for config in [norm, *ablations]:
        row = [config.name]
        for beams in (1, 4):
            for size in ablation_sizes:
                key = (beams, size)
                row += [f"{statistics.median(config.times[key]):.2f}",
                        f"{median_ratio(config.times[key], norm.times[key]):.2f}x"]
        print("| " + " | ".join([*row, config.note]) + " |")


if __name__ == "__main__":
    main()
