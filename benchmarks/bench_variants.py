"""Spelling-variant benchmark of ``normalize``: held-out spellings, perturbations, negatives, baselines.

    python benchmarks/bench_variants.py                      # default gazetteer, 1000 queries per set
    python benchmarks/bench_variants.py --quick              # CI smoke run (< 60 s)
    python benchmarks/bench_variants.py --json out.json      # also write the results as JSON
    python benchmarks/bench_variants.py --scaling            # load time / memory / q/s against size (world.tsv)

See benchmarks/README.md for what each set and metric means.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Run as a plain script from a checkout: the helpers sit next to it, the package one level up (an installed
# ``normalize`` still wins only if the checkout is not on the path).
for _p in (REPO, HERE):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import rapidfuzz  # noqa: E402
from _measure import (  # noqa: E402
    BruteForceBaseline,
    BruteHit,
    ExactKeyBaseline,
    Timer,
    clear_fold_cache,
    current_rss_mb,
    peak_rss_mb,
)
from _variants_data import (  # noqa: E402
    EVAL_SPLIT,
    Query,
    held_out,
    key,
    key_owners,
    negatives,
    outside_cities,
    outside_queries,
    perturbations,
    read_blind_negatives,
    read_blind_spellings,
    read_negatives,
    translit,
    typo,
)

import normalize  # noqa: E402
from normalize import Gazetteer, Match  # noqa: E402

DEFAULT_NEGATIVES = HERE / "data" / "negatives.txt"
BLIND_SPELLINGS = HERE / "data" / "real_spellings.tsv"
BLIND_NEGATIVES = HERE / "data" / "negatives_blind.tsv"
# The ranker's training non-places (scripts/train_ranker.py): the people, organisations and words of this file
# and every name of the actor gazetteer. Written apart from the benchmark's negatives, they still share many
# strings with them (the same politicians and parties), so the non-place figures are also given without those.
TRAIN_NEGATIVES = REPO / "scripts" / "data" / "train_negatives.tsv"
ACTOR_FILE = REPO / "gazetteers" / "actors.tsv"
DEFAULT_WORLD = REPO / "gazetteers" / "world.tsv"
SWEEP = tuple(round(0.1 * i, 2) for i in range(1, 10))  # 0.1 ... 0.9
TARGETS = {"held-out Latin": ">= 0.90", "held-out Arabic-script": ">= 0.90", "perturbations": ">= 0.95",
           "non-places": "FP <= 0.03", "outside places": "FP <= 0.03"}


# --- Evaluation ---------------------------------------------------------------------------------------

ANATOMY_LIMIT = 50  # candidates listed for the miss anatomy and the calibration table


@dataclass
class SetResult:
    name: str
    queries: list[Query]
    gazetteer: Gazetteer
    kind: str  # "positive" (a gold entry) or "negative" (no entry)
    group: str  # "evaluation entities", "negatives", "blind test"
    ours: list[Match | None] = field(default_factory=list)
    top: list[list[Match]] = field(default_factory=list)  # candidates(limit=ANATOMY_LIMIT, min_score=0)
    exact: list[str | None] = field(default_factory=list)
    brute_idx: list[int] = field(default_factory=list)
    brute: list[BruteHit] = field(default_factory=list)

    def correct(self, i: int, m: Match | None) -> bool:
        return m is not None and m.id == self.queries[i].gold


def evaluate(r: SetResult, *, min_score: float, baseline_sample: int, seed: int, baselines: dict[int, Any]) -> None:
    g = r.gazetteer
    texts = [q.text for q in r.queries]
    r.ours = [g.resolve(t, min_score=min_score) for t in texts]
    r.top = [g.candidates(t, limit=ANATOMY_LIMIT, min_score=0.0) for t in texts]
    shared = baselines.setdefault(id(g), {})
    exact_bl = shared.get("exact") or ExactKeyBaseline(g)
    shared["exact"] = exact_bl
    r.exact = [exact_bl.resolve(t) for t in texts]
    if baseline_sample > 0:
        rng = random.Random(f"baseline/{r.name}/{seed}")
        r.brute_idx = sorted(rng.sample(range(len(texts)), min(baseline_sample, len(texts))))
        brute_bl = shared.get("brute") or BruteForceBaseline(g)
        shared["brute"] = brute_bl
        r.brute = brute_bl.run([texts[i] for i in r.brute_idx])


def _rate(hits: Sequence[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def metric_row(r: SetResult, cutoff: float) -> dict[str, Any]:
    n = len(r.queries)
    if r.kind == "negative":
        ours = _rate([m is not None for m in r.ours])
        exact = _rate([x is not None for x in r.exact])
        brute = _rate([h.score >= cutoff for h in r.brute])
    else:
        ours = _rate([r.correct(i, m) for i, m in enumerate(r.ours)])
        exact = _rate([x is not None and x == r.queries[i].gold for i, x in enumerate(r.exact)])
        brute = _rate([h.score >= cutoff and h.ident == r.queries[i].gold for i, h in zip(r.brute_idx, r.brute,
                                                                                           strict=True)])
    return {"set": r.name, "group": r.group, "metric": "FP rate" if r.kind == "negative" else "accuracy", "n": n,
            "ours": ours, "exact_key": exact, "wratio": brute, "wratio_n": len(r.brute),
            "target": TARGETS.get(r.name, "")}


def sweep_row(r: SetResult) -> dict[str, Any]:
    row: dict[str, Any] = {"set": r.name, "n": len(r.queries)}
    for t in SWEEP:
        if r.kind == "negative":
            row[f"{t:.2f}"] = _rate([bool(c) and c[0].score >= t for c in r.top])
        else:
            row[f"{t:.2f}"] = _rate([bool(c) and c[0].score >= t and c[0].id == r.queries[i].gold
                                     for i, c in enumerate(r.top)])
    return row


def anatomy_row(r: SetResult) -> dict[str, Any]:
    """Where the right entry ranks among the candidates, for the queries resolve() got wrong or left open."""
    counts: Counter[str] = Counter()
    for i, m in enumerate(r.ours):
        if r.correct(i, m):
            continue
        ids = [c.id for c in r.top[i]]
        gold = r.queries[i].gold
        rank = ids.index(gold) + 1 if gold in ids else None
        if rank is None:
            counts["not among the 50 candidates"] += 1
        elif rank == 1:
            counts["1st, under the threshold"] += 1
        elif rank <= 5:
            counts["2nd-5th"] += 1
        elif rank <= 20:
            counts["6th-20th"] += 1
        else:
            counts["21st-50th"] += 1
    return {"set": r.name, "misses": sum(counts.values()), **counts}


ANATOMY_COLUMNS = ("1st, under the threshold", "2nd-5th", "6th-20th", "21st-50th", "not among the 50 candidates")


def _without_country_answers(r: SetResult) -> SetResult:
    """The blind outside-place set without the queries that ``resolve()`` answered with a country entry (a
    country name the set counts as a place outside the gazetteer); any other set as it is (a non-place answered
    with a country, ``نەورۆز`` "Nowruz" as Norway, stays a false positive)."""
    if r.name != "blind: outside places":
        return r
    keep = [i for i, m in enumerate(r.ours) if m is None or not m.entry.kind.startswith("PCL")]
    return replace(r, queries=[r.queries[i] for i in keep], ours=[r.ours[i] for i in keep],
                   top=[r.top[i] for i in keep])


def training_non_places() -> frozenset[str]:
    """Folded keys (without spaces) of the ranker's training non-places: its negatives file and the actor names."""
    texts: list[str] = []
    with TRAIN_NEGATIVES.open(encoding="utf-8") as f:
        texts.extend(row["text"] for row in csv.DictReader(f, delimiter="\t"))
    with ACTOR_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            texts.extend(n.rsplit("@", 1)[0] for n in row["names"].split("|") if n.strip())
    return frozenset(key(t) for t in texts)


def _share(answers: Sequence[object]) -> str:
    hits = sum(a is not None for a in answers)
    return f"{hits}/{len(answers)} = {hits / max(len(answers), 1):.3f}"


def reliability(results: Sequence[SetResult]) -> tuple[list[dict[str, Any]], float]:
    """Predicted probability of the top candidate against how often it is right, in ten bins, over every
    query of ``results`` (a negative query's top candidate is never right); and the expected calibration error."""
    pairs = [(c[0].score, r.kind == "positive" and c[0].id == r.queries[i].gold)
             for r in results for i, c in enumerate(r.top) if c]
    rows = []
    ece = 0.0
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        inside = [(p, ok) for p, ok in pairs if lo <= p < hi or (b == 9 and p == 1.0)]
        if not inside:
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": 0, "predicted": None, "observed": None})
            continue
        pred = sum(p for p, _ in inside) / len(inside)
        obs = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(pred - obs)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside), "predicted": pred, "observed": obs})
    return rows, ece


def throughput(results: Sequence[SetResult], *, rounds: int, brute_per_round: int, seed: int
               ) -> dict[str, Any]:
    """normalize against the two baselines in one process, rounds alternating, on the benchmark's queries (the
    evaluation and negative sets, on the default gazetteer): the median of the per-round rates."""
    main_sets = [r for r in results if r.gazetteer is results[-1].gazetteer]
    texts = [q.text for r in main_sets for q in r.queries]
    g = main_sets[0].gazetteer
    random.Random(f"throughput/{seed}").shuffle(texts)
    exact_bl = ExactKeyBaseline(g)
    brute_bl = BruteForceBaseline(g)
    chunks = [texts[i::rounds] for i in range(rounds)]
    per: dict[str, list[float]] = {"normalize": [], "exact": [], "brute": []}
    for chunk in chunks:
        clear_fold_cache()
        with Timer() as t:
            for q in chunk:
                g.resolve(q)
        per["normalize"].append(len(chunk) / t.seconds)
        clear_fold_cache()
        with Timer() as t:
            for q in chunk:
                exact_bl.resolve(q)
        per["exact"].append(len(chunk) / t.seconds)
        sub = chunk[:brute_per_round]
        with Timer() as t:
            brute_bl.run(sub)
        per["brute"].append(len(sub) / t.seconds)
    med = {k: statistics.median(v) for k, v in per.items()}
    ratio_brute = statistics.median(a / b for a, b in zip(per["normalize"], per["brute"], strict=True))
    ratio_exact = statistics.median(a / b for a, b in zip(per["normalize"], per["exact"], strict=True))
    return {"queries": len(texts), "rounds": rounds, "qps": med, "per_round": per,
            "normalize_vs_brute": ratio_brute, "normalize_vs_exact": ratio_exact}


# --- Printing -------------------------------------------------------------------------------------------

def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _md(text: object) -> str:
    return str(text).replace("|", "\\|")


def signature(g: Gazetteer, args: argparse.Namespace, min_score: float) -> str:
    sig = normalize.Signature.of(g, settings={"seed": args.seed, "n": args.n, "min_score": min_score,
                                               "baseline_sample": args.baseline_sample,
                                               "wratio_cutoff": args.baseline_cutoff,
                                               "evaluation split": EVAL_SPLIT, "quick": args.quick})
    return str(sig)


def build_results(g: Gazetteer, args: argparse.Namespace) -> list[SetResult]:
    owners = key_owners(g)
    out = []
    for qset in (held_out(g, script="Latn", n=args.n, seed=args.seed, owners=owners),
                 held_out(g, script="Arab", n=args.n, seed=args.seed, owners=owners),
                 perturbations(g, n=args.n, seed=args.seed, owners=owners)):
        out.append(SetResult(qset.name, qset.queries, qset.gazetteer, "positive", "evaluation entities"))
    neg = negatives(g, read_negatives(args.negatives), owners=owners)
    out.append(SetResult("non-places", neg.queries, g, "negative", "negatives"))
    places = outside_cities()
    outside = outside_queries(places, n=args.n, seed=args.seed)
    out.append(SetResult("outside places", outside, g, "negative", "negatives"))
    if not args.quick:
        # The same outside places against an outside index that does not hold them (built from the other
        # places), to see what the ranker does with an outside place the index does not know.
        unseen = normalize.OutsideIndex.build((normalize.OutsidePlace(gid, names[0], cc, pop), names)
                                              for gid, cc, names, pop in places if gid % 10 != 3)
        out.append(SetResult("outside places, unseen by the outside index", outside, g.with_outside(unseen),
                             "negative", "negatives"))
    out.append(SetResult("blind: real spellings", read_blind_spellings(BLIND_SPELLINGS), g, "positive",
                         "blind test"))
    out.append(SetResult("blind: outside places", read_blind_negatives(BLIND_NEGATIVES, "outside"), g, "negative",
                         "blind test"))
    out.append(SetResult("blind: non-places", read_blind_negatives(BLIND_NEGATIVES, "nonplace"), g, "negative",
                         "blind test"))
    # The last set's gazetteer is the default one: throughput() times on it.
    return out


def run_variants(args: argparse.Namespace) -> dict[str, Any]:
    g = Gazetteer.load(*args.gazetteer) if args.gazetteer else normalize.default_gazetteer()
    min_score = normalize.DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
    sig = signature(g, args, min_score)
    print(sig)
    print()
    with Timer() as t_build:
        results = build_results(g, args)
    shared: dict[int, Any] = {}
    with Timer() as t_eval:
        for r in results:
            evaluate(r, min_score=min_score, baseline_sample=args.baseline_sample, seed=args.seed, baselines=shared)
    shared.clear()
    cutoff = args.baseline_cutoff
    rows = [metric_row(r, cutoff) for r in results]
    print(f"## Accuracy and false positives (resolve(), min_score={min_score:g})\n")
    print(_table(["set", "group", "metric", "n", "normalize", "exact folded key", f"WRatio>={cutoff:g} (n)",
                  "target"],
                 [[row["set"], row["group"], row["metric"], row["n"], _fmt(row["ours"]), _fmt(row["exact_key"]),
                   f"{_fmt(row['wratio'])} ({row['wratio_n']})", row["target"]] for row in rows]))
    print(f"\nEvaluation entities: {EVAL_SPLIT} (never used to train or tune the ranker). WRatio = "
          f"rapidfuzz.process.extractOne(query, every Latin/Arabic name, scorer=fuzz.WRatio, processor="
          f"default_process, score_cutoff={cutoff:g}) on a seeded sub-sample (n in brackets). Accuracy counts None "
          f"as wrong.")

    eval_sets = [r for r in results if r.group != "blind test" and "unseen" not in r.name]
    table, ece = reliability(eval_sets)
    blind_table, blind_ece = reliability([r for r in results if r.group == "blind test"])
    print("\n## Calibration: the top candidate's score against how often it is right\n")
    print(_table(["score bin", "n (evaluation sets)", "mean score", "observed", "n (blind sets)", "mean score",
                  "observed"],
                 [[a["bin"], a["n"], _fmt(a["predicted"]), _fmt(a["observed"]), b["n"], _fmt(b["predicted"]),
                   _fmt(b["observed"])] for a, b in zip(table, blind_table, strict=True)]))
    print(f"\nExpected calibration error: {ece:.3f} on the evaluation and negative sets, {blind_ece:.3f} on the blind "
          f"sets (target <= 0.05).")
    # The blind outside-place set was written before countries were entries: a country name in it ("Egypt")
    # that resolves to the country counts as a false positive above. The same figures without those queries:
    without = [_without_country_answers(r) for r in results if r.group == "blind test"]
    dropped = sum(len(a.queries) - len(b.queries) for a, b in zip(
        [r for r in results if r.group == "blind test"], without, strict=True))
    outside_left = next(r for r in without if r.name == "blind: outside places")
    fp_left = sum(m is not None for m in outside_left.ours)
    print(f"Without the {dropped} blind outside-place queries answered with a country entry: outside FP "
          f"{fp_left}/{len(outside_left.queries)} = {fp_left / max(len(outside_left.queries), 1):.3f}, ECE on the "
          f"blind sets {reliability(without)[1]:.3f}.")

    seen = training_non_places()
    for r in results:
        if r.name in ("non-places", "blind: non-places"):
            parts = [[m for q, m in zip(r.queries, r.ours, strict=True) if (key(q.text) in seen) == inside]
                     for inside in (True, False)]
            print(f"{r.name}: FP {_share(parts[1])} on the strings the ranker did not train on, {_share(parts[0])} on "
                  f"the {len(parts[0])} it did (the same string among its training non-places).")

    sweep = [sweep_row(r) for r in results]
    print("\n## Threshold sweep (accuracy, or FP rate for negative sets, if resolve() used this min_score)\n")
    print(_table(["set", "n", *[f"{t:.2f}" + (" *" if abs(t - min_score) < 1e-9 else "") for t in SWEEP]],
                 [[row["set"], row["n"], *[_fmt(row[f"{t:.2f}"]) for t in SWEEP]] for row in sweep]))

    anatomy = [anatomy_row(r) for r in results if r.kind == "positive"]
    print("\n## Miss anatomy: where the right entry ranks among candidates(limit=50) when resolve() missed\n")
    print(_table(["set", "misses", *ANATOMY_COLUMNS],
                 [[a["set"], a["misses"], *[a.get(c, 0) for c in ANATOMY_COLUMNS]] for a in anatomy]))

    speed = throughput(results, rounds=args.rounds, brute_per_round=args.brute_per_round, seed=args.seed)
    qps = speed["qps"]
    print(f"\n## Throughput (one thread; {speed['queries']} queries of the sets above in {speed['rounds']} rounds, "
          "each round timing normalize, then exact lookup, then WRatio on the same queries; medians)\n")
    print(_table(["resolver", "queries/s", "normalize / this (median of rounds)", "target"],
                 [["normalize resolve()", f"{qps['normalize']:,.0f}", "1.0", ">= 2,000"],
                  ["exact folded key (dict)", f"{qps['exact']:,.0f}", f"{speed['normalize_vs_exact']:.2f}", ""],
                  ["WRatio brute force", f"{qps['brute']:,.1f}", f"{speed['normalize_vs_brute']:,.0f}", ""]]))
    print(f"\nSet construction {t_build.seconds:.1f} s; evaluation {t_eval.seconds:.1f} s.")

    print(f"\n## Failure examples ({args.failures} per set)\n")
    failures: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        rng = random.Random(f"failures/{r.name}/{args.seed}")
        bad = [i for i, m in enumerate(r.ours) if (m is not None if r.kind == "negative" else not r.correct(i, m))]
        picked = sorted(rng.sample(bad, min(args.failures, len(bad))))
        items = []
        for i in picked:
            q, m, c = r.queries[i], r.ours[i], r.top[i]
            gold_rank = next((k + 1 for k, x in enumerate(c) if x.id == q.gold), None)
            items.append({"query": q.text, "gold": q.gold, "note": q.how, "returned": m.id if m else None,
                          "returned_name": m.name if m else None, "score": m.score if m else None,
                          "why": m.why if m else (c[0].why if c else ""), "top": c[0].id if c else None,
                          "top_score": c[0].score if c else None, "gold_rank": gold_rank})
        failures[r.name] = items
        if not items:
            continue
        print(f"### {r.name}: {len(bad)} {'false positives' if r.kind == 'negative' else 'misses'}\n")
        print(_table(["query", "gold", "returned (score)", "top candidate (score)", "gold rank", "why"],
                     [[_md(f["query"]), f["gold"], _md(f"{f['returned_name']} {f['returned']} ({f['score']})")
                       if f["returned"] else "None", f"{f['top']} ({f['top_score']})", f["gold_rank"] or "-",
                       _md(f["why"])] for f in items]))
        print()
    return {"signature": sig, "accuracy": rows, "sweep": sweep, "calibration": {"evaluation": table, "ece": ece,
            "blind": blind_table, "blind_ece": blind_ece}, "anatomy": anatomy, "throughput": speed,
            "failures": failures}


# --- Scaling --------------------------------------------------------------------------------------------

def scaling_queries(entries: Sequence[normalize.Entry], negatives: Sequence[str], *, n: int, seed: int
                    ) -> list[str]:
    """A fixed mix drawn from ``entries``: canonical names, Latin alternates, Arabic-script names,
    transliteration rewrites, typos and negatives (1:1:1:1:1:1 by position)."""
    rng = random.Random(f"scaling/{seed}")
    out: list[str] = []
    pool = list(entries)
    i = 0
    while len(out) < n and pool:
        e = pool[i % len(pool)]
        kind = i % 6
        i += 1
        latin = [nm.text for nm in e.names if normalize.detect_script(nm.text) == "Latn" and nm.text != e.name]
        arab = [nm.text for nm in e.names if normalize.detect_script(nm.text) == "Arab"]
        made: str | None
        if kind == 0:
            made = e.name
        elif kind == 1:
            made = rng.choice(latin) if latin else e.name
        elif kind == 2:
            made = rng.choice(arab) if arab else e.name
        elif kind == 3:
            t = translit(rng, e.name)
            made = t[0] if t else e.name
        elif kind == 4:
            t = typo(rng, e.name)
            made = t[0] if t else e.name
        else:
            made = rng.choice(list(negatives)) if negatives else e.name
        out.append(made)
    return out


def scaling_worker(spec_path: str) -> None:
    """One measurement in a fresh process: load, index, query; prints one JSON line."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    base_rss = current_rss_mb()
    with Timer() as t_load:
        g = Gazetteer.load(spec["path"])
    with Timer() as t_index:
        n_names = len(g.index)
    queries = spec["queries"]
    clear_fold_cache()
    with Timer() as t_q:
        for q in queries:
            g.resolve(q)
    out: dict[str, Any] = {"entries": len(g), "names": n_names, "load_s": t_load.seconds,
                           "index_s": t_index.seconds, "queries": len(queries), "query_s": t_q.seconds,
                           "base_rss_mb": base_rss, "peak_rss_mb": peak_rss_mb()}
    if spec.get("brute", 0):
        bl = BruteForceBaseline(g)
        sub = queries[:spec["brute"]]
        with Timer() as t_b:
            bl.run(sub)
        out.update({"brute_queries": len(sub), "brute_s": t_b.seconds})
    print(json.dumps(out))


def _spawn(spec: dict[str, Any], tmp: Path, tag: str) -> dict[str, Any]:
    path = tmp / f"spec-{tag}.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    # A private index cache per size: the first process finds it empty (cold: parse, index, compile), the
    # second maps what the first compiled (warm); the user's own cache folder is left alone.
    env = {**os.environ, "NORMALIZE_CACHE_DIR": str(tmp / f"cache-{tag.split('-')[0]}")}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--scaling-worker", str(path)],
                          capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"scaling worker failed ({tag}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run_scaling(args: argparse.Namespace) -> dict[str, Any]:
    world = Path(args.world)
    head = (f"normalize {normalize.__version__} | scaling | seed {args.seed} | queries {args.scaling_queries} "
            f"| WRatio queries {args.scaling_brute} | python {platform.python_version()} | "
            f"rapidfuzz {rapidfuzz.__version__} | {platform.machine()}")
    if not world.is_file():
        print(head)
        print(f"\n{world} not found: build it with `python scripts/build_gazetteers.py world`. Scaling skipped.")
        return {"signature": head, "skipped": f"{world} not found"}
    with Timer() as t_full:
        full = Gazetteer.load(world, cache=False)
    print(head + f" | world {world.name} sha256:{full.checksum[:12]} ({len(full)} entries)\n")
    entries = list(full)
    order = list(range(len(entries)))
    random.Random(f"scaling-subsets/{args.seed}").shuffle(order)
    sizes = sorted({s for s in args.sizes if s < len(entries)})
    smallest = sorted(order[:sizes[0]] if sizes else order[:1000])
    queries = scaling_queries([entries[i] for i in smallest], read_negatives(args.negatives),
                              n=args.scaling_queries, seed=args.seed)
    rows: list[dict[str, Any]] = []
    prev_brute: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmpname:
        tmp = Path(tmpname)
        for size in [*sizes, len(entries)]:
            if size == len(entries):
                path, label = world, "world"
            else:
                path, label = tmp / f"subset-{size}.tsv", f"{size:,}"
                # Nested subsets (prefixes of one seeded permutation) in file order.
                Gazetteer(entries[i] for i in sorted(order[:size])).save(path)
            brute = args.scaling_brute
            if prev_brute is not None and brute:
                per_name = prev_brute[1]
                estimate = per_name * size * brute
                if estimate > args.brute_budget:
                    brute = 0
            spec = {"path": str(path), "queries": queries, "brute": brute}
            first = _spawn(spec, tmp, f"{size}-a")
            second = _spawn({**spec, "brute": 0}, tmp, f"{size}-b")
            if first.get("brute_queries"):
                prev_brute = (size, first["brute_s"] / first["brute_queries"] / size)
            rows.append({"size": label, "first": first, "second": second, "brute_skipped": brute == 0})
            print(f"  measured {label}", file=sys.stderr)
    print("## Scaling (each figure from a fresh subprocess; same queries at every size)\n")
    table = []
    for r in rows:
        a, b = r["first"], r["second"]
        qps = a["queries"] / a["query_s"] if a["query_s"] else 0.0
        bq = (f"{a['brute_queries'] / a['brute_s']:,.1f}" if a.get("brute_queries") else
              f"skipped (> {args.brute_budget:g} s est.)")
        qps_b = b["queries"] / b["query_s"] if b["query_s"] else 0.0
        table.append([r["size"], f"{a['entries']:,}", f"{a['names']:,}",
                      f"{a['load_s']:.2f} + {a['index_s']:.2f}", f"{b['load_s']:.2f} + {b['index_s']:.2f}",
                      f"{a['peak_rss_mb']:,.0f} / {b['peak_rss_mb']:,.0f} (base {a['base_rss_mb']:.0f})",
                      f"{qps:,.0f} / {qps_b:,.0f}", bq])
    print(_table(["size", "entries", "indexed names", "cold load + index (s)", "warm load + index (s)",
                  "peak RSS MiB cold / warm", "normalize q/s cold / warm", "WRatio q/s"], table))
    print("\nTargets (world): >= 2,000 q/s, warm load <= 5 s, memory <= 1.5 GB. Cold: Gazetteer.load with an empty "
          "index cache (parses the TSV, builds the index and compiles it to the cache: all inside load). Warm: "
          "Gazetteer.load in a fresh process that finds the compiled .nidx (memory-mapped). Base = RSS of the "
          "interpreter with normalize imported. Parent load of the world file for sub-sampling: "
          f"{t_full.seconds:.1f} s.")
    return {"signature": head, "rows": rows}


# --- Command line ---------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--n", type=int, default=None, help="queries per set (default 1000; --quick: 150)")
    p.add_argument("--baseline-sample", type=int, default=None,
                   help="queries per set for the WRatio brute force (default 300; --quick: 40; 0 = skip)")
    p.add_argument("--baseline-cutoff", type=float, default=85.0, help="WRatio score_cutoff (default 85)")
    p.add_argument("--min-score", type=float, default=None, help="resolve() threshold (default DEFAULT_MIN_SCORE)")
    p.add_argument("--gazetteer", nargs="+", metavar="PATH", help="TSV file(s) (default: the bundled gazetteer)")
    p.add_argument("--negatives", type=Path, default=DEFAULT_NEGATIVES)
    p.add_argument("--failures", type=int, default=None, help="failure examples per set (default 15; --quick: 5)")
    p.add_argument("--rounds", type=int, default=5, help="alternating timing rounds (default 5)")
    p.add_argument("--brute-per-round", type=int, default=40, help="WRatio queries timed per round (default 40)")
    p.add_argument("--json", type=Path, help="also write the results here")
    p.add_argument("--quick", action="store_true", help="small samples for CI smoke runs (< 60 s)")
    p.add_argument("--scaling", action="store_true", help="load time, memory and q/s against gazetteer size")
    p.add_argument("--world", default=str(DEFAULT_WORLD), help="world gazetteer for --scaling")
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    p.add_argument("--scaling-queries", type=int, default=None, help="default 3000; --quick: 300")
    p.add_argument("--scaling-brute", type=int, default=50, help="WRatio queries per size (0 = skip)")
    p.add_argument("--brute-budget", type=float, default=60.0, help="skip WRatio at a size estimated above this (s)")
    p.add_argument("--scaling-worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.n is None:
        args.n = 150 if args.quick else 1000
    if args.baseline_sample is None:
        args.baseline_sample = 25 if args.quick else 300
    if args.failures is None:
        args.failures = 5 if args.quick else 15
    if args.scaling_queries is None:
        args.scaling_queries = 300 if args.quick else 3000
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.scaling_worker:
        scaling_worker(args.scaling_worker)
        return 0
    result = run_scaling(args) if args.scaling else run_variants(args)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
