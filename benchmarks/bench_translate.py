"""Throughput and peak memory of the translation backends on a model shaped like opus-mt-ar-en.

    python benchmarks/bench_translate.py [--quick] [--threads 2]

Random weights (no real model is needed), exact opus-mt-ar-en architecture: d_model 512, 6+6 layers,
8 heads, FFN 2048, 512 positions, vocabulary 62,834. Inputs are seeded random token sequences; every
configuration is forced to the same output length (transformers min_new_tokens = max_new_tokens,
CTranslate2 min_decoding_length = max_decoding_length), so the work per sentence is identical. Each
configuration runs in its own process, so the peak RSS reported is its own.

Compared, same batches, same thread count:
  baseline   transformers MarianMTModel.generate, float32 (what a plain transformers script does)
  normalize  normalize's CTranslate2 backend (the path Translator(backend="ctranslate2") uses), int8 and float32
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ARCH = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "max_positions": 512, "pad_vocab_to": 62834}


def build(directory: Path, seed: int) -> Path:
    from _tiny_marian import build_tiny_marian

    if not (directory / "model.safetensors").exists():
        # weight_std 0.2 gives weights of std 1/sqrt(fan_in), as a trained model has: larger random weights
        # overflow to inf/NaN in float32 and make the float paths artificially slow.
        build_tiny_marian(directory, seed=seed, weight_std=0.2, **ARCH)  # type: ignore[arg-type]
    from normalize._translate._backends._ctranslate2 import converted_model

    converted_model(directory)  # convert here, so no worker's peak RSS includes the one-off conversion
    return directory


def inputs(vocab_size: int, n: int, length: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    # ids 2.. avoid </s> (0) and <unk> (1); the last id is <pad>.
    return [[rng.randrange(2, 700) for _ in range(length - 1)] + [0] for _ in range(n)]


def peak_rss_mb() -> float:
    # VmHWM is reset by exec; ru_maxrss is not (a forked worker would report its parent's peak).
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> None:
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch

    torch.set_num_threads(args.threads)
    from normalize._translate._backends import DecodeOptions
    from normalize._translate._engine import Engine

    model_dir = Path(args.model)
    data = inputs(62834, args.sentences, args.src_len, args.seed)
    batches = [data[i:i + args.batch] for i in range(0, len(data), args.batch)]
    options = DecodeOptions(beams=args.beams, max_new_tokens=args.out_len, min_new_tokens=args.out_len)
    if args.config == "baseline":
        from transformers import MarianMTModel

        model = MarianMTModel.from_pretrained(str(model_dir)).eval()

        def run(batch: list[list[int]]) -> None:
            ids = torch.tensor(batch)
            with torch.inference_mode():
                out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), num_beams=args.beams,
                                     do_sample=False, min_new_tokens=args.out_len, max_new_tokens=args.out_len)
            assert out.shape[1] == args.out_len + 1
    else:
        compute = "int8" if args.config == "ct2-int8" else "float32"
        engine = Engine(model_dir, backend="ctranslate2", device="cpu", compute_type=compute, target_prefix="")

        def run(batch: list[list[int]]) -> None:
            out = engine.backend.generate(batch, options)
            assert all(len(o) == args.out_len for o in out), [len(o) for o in out]

    run(batches[0])  # warm-up
    start = time.perf_counter()
    for batch in batches:
        run(batch)
    seconds = time.perf_counter() - start
    rss_mb = peak_rss_mb()
    print(json.dumps({"config": args.config, "seconds": seconds, "rss_mb": rss_mb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="32 sentences, 20 output tokens")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", default=None, help="where to build/reuse the random model")
    parser.add_argument("--worker", dest="config", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--model", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--beams", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--sentences", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=16, help=argparse.SUPPRESS)
    parser.add_argument("--src-len", type=int, default=30, help=argparse.SUPPRESS)
    parser.add_argument("--out-len", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sentences = args.sentences or (32 if args.quick else 128)
    out_len = args.out_len or (20 if args.quick else 40)
    if args.config:
        args.sentences, args.out_len = sentences, out_len
        worker(args)
        return

    import ctranslate2
    import torch
    import transformers

    from normalize import __version__

    model_dir = Path(args.model_dir or Path(tempfile.gettempdir()) / f"normalize-bench-opus-mt-ar-en-v2-{args.seed}")
    t0 = time.perf_counter()
    build(model_dir, args.seed)
    print(f"# model ready in {time.perf_counter() - t0:.0f}s at {model_dir}", file=sys.stderr)
    print(f"normalize {__version__} | torch {torch.__version__} | transformers {transformers.__version__} | "
          f"ctranslate2 {ctranslate2.__version__} | threads {args.threads} | sentences {sentences} | "
          f"batch {args.batch} | src_len {args.src_len} | out_len {out_len} (forced) | seed {args.seed} | "
          f"cpu_count {os.cpu_count()}")
    print()
    print("| decoding | backend | sentences/s | target tokens/s | peak RSS MB | speed-up vs baseline |")
    print("|---|---|---:|---:|---:|---:|")
    for beams in (1, 4):
        results = {}
        for config in ("baseline", "ct2-int8", "ct2-float32"):
            cmd = [sys.executable, __file__, "--worker", config, "--model", str(model_dir), "--beams", str(beams),
                   "--sentences", str(sentences), "--out-len", str(out_len), "--batch", str(args.batch),
                   "--src-len", str(args.src_len), "--threads", str(args.threads), "--seed", str(args.seed)]
            env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            if proc.returncode:
                sys.exit(f"{config} beams={beams} failed:\n{proc.stderr[-3000:]}")
            results[config] = json.loads(proc.stdout.strip().splitlines()[-1])
        base = results["baseline"]["seconds"]
        names = {"baseline": "transformers generate fp32 (baseline)", "ct2-int8": "normalize ctranslate2 int8",
                 "ct2-float32": "normalize ctranslate2 float32"}
        for config, r in results.items():
            label = "greedy" if beams == 1 else f"beam {beams}"
            print(f"| {label} | {names[config]} | {sentences / r['seconds']:.1f} | "
                  f"{sentences * out_len / r['seconds']:.0f} | {r['rss_mb']:.0f} | {base / r['seconds']:.2f}x |",
                  flush=True)


if __name__ == "__main__":
    main()
