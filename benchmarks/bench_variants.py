"""Spelling-variant benchmark of ``normalize``: held-out spellings, perturbations, negatives, baselines.

    python benchmarks/bench_variants.py                      # default gazetteer, 1000 queries per set
    python benchmarks/bench_variants.py --quick              # CI smoke run (< 60 s)
    python benchmarks/bench_variants.py --json out.json      # also write the results as JSON
    python benchmarks/bench_variants.py --scaling            # load time / memory / q/s against size (world.tsv)

See benchmarks/README.md for what each set and metric means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from _variants_data import Query, QuerySet, build_sets, read_negatives, translit, typo  # noqa: E402

import normalize  # noqa: E402
from normalize import Gazetteer, Match  # noqa: E402

DEFAULT_NEGATIVES = HERE / "data" / "negatives.txt"
DEFAULT_WORLD = REPO / "gazetteers" / "world.tsv"
SWEEP = tuple(round(0.80 + 0.02 * i, 2) for i in range(9))  # 0.80 ... 0.96
WRATIO_SWEEP = (80, 85, 90, 95)
TARGETS = {"held-out Latin": ">= 0.90", "held-out Arabic-script": ">= 0.90", "perturbations": ">= 0.95",
           "negatives": "FP <= 0.05"}


# --- Evaluation ---------------------------------------------------------------------------------------

@dataclass
class SetResult:
    qset: QuerySet
    ours: list[Match | None]
    top1: list[Match | None]  # candidates(limit=1, min_score=0), for the threshold sweep
    exact: list[str | None]
    brute_idx: list[int]  # positions of the sub-sampled queries
    brute: list[BruteHit]
    index_s: float
    ours_s: float
    exact_s: float
    brute_s: float
    n_names: int
    failures: list[dict[str, Any]] = field(default_factory=list)
    fail_counts: dict[str, int] = field(default_factory=dict)


def evaluate(qset: QuerySet, *, seed: int, baseline_sample: int, min_score: float, run_brute: bool,
             baselines: dict[int, Any]) -> SetResult:
    """Run our resolver and both baselines on one set; ``baselines`` shares them between sets that use the
    same gazetteer object."""
    g = qset.gazetteer
    with Timer() as t_index:
        n_names = len(g.index)
    texts = [q.text for q in qset.queries]
    clear_fold_cache()
    with Timer() as t_ours:
        ours = [g.resolve(t, min_score=min_score) for t in texts]
    top1 = [next(iter(g.candidates(t, limit=1, min_score=0.0)), None) for t in texts]
    exact_bl = baselines.setdefault(id(g), {}).get("exact") or ExactKeyBaseline(g)
    baselines[id(g)]["exact"] = exact_bl
    clear_fold_cache()
    with Timer() as t_exact:
        exact = [exact_bl.resolve(t) for t in texts]
    rng = random.Random(f"baseline/{qset.name}/{seed}")
    idx = sorted(rng.sample(range(len(texts)), min(baseline_sample, len(texts)))) if run_brute else []
    brute: list[BruteHit] = []
    brute_s = 0.0
    if idx:
        brute_bl = baselines[id(g)].get("brute") or BruteForceBaseline(g)
        baselines[id(g)]["brute"] = brute_bl
        with Timer() as t_brute:
            brute = brute_bl.run([texts[i] for i in idx])
        brute_s = t_brute.seconds
    return SetResult(qset, ours, top1, exact, idx, brute, t_index.seconds, t_ours.seconds, t_exact.seconds,
                     brute_s, n_names)


def _ok(q: Query, ident: str | None) -> bool:
    return ident is not None and ident == q.gold


def _rate(hits: Sequence[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def _subsets(r: SetResult) -> list[tuple[str, list[int]]]:
    """(row label, query positions) for the set and its reported subsets."""
    qs = r.qset.queries
    alli = list(range(len(qs)))
    if r.qset.name == "negatives":
        return [("negatives", alli)]
    rows = [(r.qset.name, alli), ("  non-trivial", [i for i in alli if not qs[i].trivial])]
    if r.qset.name == "held-out Arabic-script":
        rows.append(("  pure cross-script (no Arabic name left)", [i for i in alli if qs[i].tag == "cross-script"]))
    if r.qset.name == "perturbations":
        rows.append(("  transliteration-style", [i for i in alli if qs[i].tag == "translit"]))
        rows.append(("  typos", [i for i in alli if qs[i].tag == "typo"]))
    return rows


def metric_rows(r: SetResult, cutoff: float) -> list[dict[str, Any]]:
    qs = r.qset.queries
    negative = r.qset.name == "negatives"
    brute_at = {i: h for i, h in zip(r.brute_idx, r.brute, strict=True)}
    out = []
    for label, pos in _subsets(r):
        if negative:
            ours = _rate([r.ours[i] is not None for i in pos])
            exact = _rate([r.exact[i] is not None for i in pos])
            bpos = [i for i in pos if i in brute_at]
            brute = _rate([brute_at[i].score >= cutoff for i in bpos])
        else:
            ours = _rate([_ok(qs[i], m.id if (m := r.ours[i]) else None) for i in pos])
            exact = _rate([_ok(qs[i], r.exact[i]) for i in pos])
            bpos = [i for i in pos if i in brute_at]
            brute = _rate([brute_at[i].score >= cutoff and _ok(qs[i], brute_at[i].ident) for i in bpos])
        out.append({"set": label.strip(), "label": label, "metric": "FP rate" if negative else "top-1",
                    "n": len(pos), "ours": ours, "exact_key": exact, "wratio": brute, "wratio_n": len(bpos),
                    "target": TARGETS.get(label, "") if label == r.qset.name else ""})
    return out


def sweep_rows(results: Sequence[SetResult]) -> list[dict[str, Any]]:
    """Accuracy / FP per min_score from the top-1 candidate scores (one candidates() pass per query)."""
    rows = []
    for r in results:
        qs = r.qset.queries
        for label, pos in _subsets(r):
            row: dict[str, Any] = {"set": label.strip(), "label": label, "n": len(pos)}
            for t in SWEEP:
                if r.qset.name == "negatives":
                    row[f"{t:.2f}"] = _rate([r.top1[i] is not None and r.top1[i].score >= t for i in pos])  # type: ignore[union-attr]
                else:
                    row[f"{t:.2f}"] = _rate([(m := r.top1[i]) is not None and m.score >= t and m.id == qs[i].gold
                                             for i in pos])
            rows.append(row)
    return rows


def wratio_sweep_rows(results: Sequence[SetResult]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        if not r.brute:
            continue
        qs = r.qset.queries
        row: dict[str, Any] = {"set": r.qset.name, "n": len(r.brute)}
        for c in WRATIO_SWEEP:
            if r.qset.name == "negatives":
                row[str(c)] = _rate([h.score >= c for h in r.brute])
            else:
                row[str(c)] = _rate([h.score >= c and _ok(qs[i], h.ident) for i, h in zip(r.brute_idx, r.brute,
                                                                                           strict=True)])
        rows.append(row)
    return rows


# --- Failure analysis -----------------------------------------------------------------------------------

def analyse_failures(r: SetResult, *, min_score: float, k: int, seed: int) -> None:
    """Classify every miss (false positive for negatives) and keep ``k`` examples spread over the classes."""
    g = r.qset.gazetteer
    qs = r.qset.queries
    by_class: dict[str, list[dict[str, Any]]] = {}
    for i, q in enumerate(qs):
        m = r.ours[i]
        if q.gold is None:
            if m is None:
                continue
            cls = f"false positive via {m.why.split(':')[0].split(' ')[0] if m.why else '?'}"
            item = {"query": q.text, "returned": m.name, "returned_id": m.id, "score": m.score, "why": m.why,
                    "matched": m.matched, "class": cls}
            by_class.setdefault(cls, []).append(item)
            continue
        if m is not None and m.id == q.gold:
            continue
        cands = g.candidates(q.text, limit=20, min_score=0.0)
        rank = next((j for j, c in enumerate(cands) if c.id == q.gold), None)
        if not cands:
            cls = "no candidate at all"
        elif rank == 0:
            cls = "gold is top-1 but below min_score"
        elif rank is not None:
            cls = f"gold ranked {'2-5' if rank < 5 else '6-20'}, wrong entry on top" + (
                "" if m is not None else " (below min_score)")
        else:
            cls = "gold not in top-20" + ("" if m is not None else ", top-1 below min_score")
        top = cands[0] if cands else None
        item = {"query": q.text, "how": q.how, "gold": q.gold_name, "gold_id": q.gold,
                "returned": m.name if m else None, "returned_id": m.id if m else None,
                "top1": top.name if top else None, "top1_id": top.id if top else None,
                "score": top.score if top else None, "why": top.why if top else "",
                "matched": top.matched if top else "",
                "gold_rank": None if rank is None else rank + 1,
                "gold_score": None if rank is None else cands[rank].score,
                "gold_matched": None if rank is None else cands[rank].matched,
                "trivial": q.trivial, "tag": q.tag, "class": cls}
        by_class.setdefault(cls, []).append(item)
    r.fail_counts = {c: len(v) for c, v in sorted(by_class.items(), key=lambda kv: -len(kv[1]))}
    # Round-robin over classes, largest first, so every kind of miss is represented.
    rng = random.Random(f"failures/{r.qset.name}/{seed}")
    pools = {c: rng.sample(v, len(v)) for c, v in by_class.items()}
    picked: list[dict[str, Any]] = []
    while len(picked) < k and any(pools.values()):
        for c in r.fail_counts:
            if pools[c] and len(picked) < k:
                picked.append(pools[c].pop())
    r.failures = picked


# --- Printing -------------------------------------------------------------------------------------------

def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _md(text: object) -> str:
    return str(text).replace("|", "\\|")


def signature(g: Gazetteer, source: str, args: argparse.Namespace, min_score: float) -> str:
    return (f"normalize {normalize.__version__} | gazetteer {source} sha256:{g.checksum[:12]} ({len(g)} entries) | "
            f"seed {args.seed} | n={args.n}/set, baseline-sample={args.baseline_sample}, "
            f"WRatio cutoff={args.baseline_cutoff:g} | min_score={min_score:g} | "
            f"python {platform.python_version()} | rapidfuzz {rapidfuzz.__version__} | {platform.machine()}"
            + (" | QUICK" if args.quick else ""))


def run_variants(args: argparse.Namespace) -> dict[str, Any]:
    with Timer() as t_load:
        if args.gazetteer:
            g = Gazetteer.load(*args.gazetteer)
            source = "+".join(Path(p).name for p in args.gazetteer)
        else:
            g = normalize.default_gazetteer()
            source = "default(region.tsv+iraq-curated.tsv)"
    min_score = normalize.DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
    sig = signature(g, source, args, min_score)
    print(sig)
    print()
    with Timer() as t_build:
        sets = build_sets(g, read_negatives(args.negatives), n=args.n, seed=args.seed)
    shared: dict[int, Any] = {}
    results = [evaluate(s, seed=args.seed, baseline_sample=args.baseline_sample, min_score=min_score,
                        run_brute=args.baseline_sample > 0, baselines=shared) for s in sets]
    shared.clear()
    cutoff = args.baseline_cutoff
    for r in results:
        analyse_failures(r, min_score=min_score, k=args.failures, seed=args.seed)

    rows = [row for r in results for row in metric_rows(r, cutoff)]
    print(f"## Accuracy (resolve(), min_score={min_score:g})\n")
    print(_table(["set", "metric", "n", "normalize", "exact folded key", f"WRatio>={cutoff:g} (n)", "target"],
                 [[row["label"].replace("  ", "&nbsp;&nbsp;"), row["metric"], row["n"], _fmt(row["ours"]),
                   _fmt(row["exact_key"]), f"{_fmt(row['wratio'])} ({row['wratio_n']})", row["target"]]
                  for row in rows]))
    print(f"\nWRatio = rapidfuzz.process.extractOne(query, every Latin/Arabic name, scorer=fuzz.WRatio, "
          f"processor=default_process, score_cutoff={cutoff:g}) on a seeded sub-sample of at most "
          f"{args.baseline_sample} queries per set (n in brackets). Top-1 counts None as wrong.")

    # Throughput.
    n_q = sum(len(r.qset.queries) for r in results)
    ours_s = sum(r.ours_s for r in results)
    exact_s = sum(r.exact_s for r in results)
    n_b = sum(len(r.brute) for r in results)
    brute_s = sum(r.brute_s for r in results)
    print("\n## Throughput (single thread, index built before timing, fold cache cleared)\n")
    print(_table(["resolver", "queries", "seconds", "queries/s", "target"],
                 [["normalize resolve()", n_q, f"{ours_s:.2f}", f"{n_q / ours_s:,.0f}" if ours_s else "-",
                   ">= 10,000"],
                  ["exact folded key (dict)", n_q, f"{exact_s:.2f}", f"{n_q / exact_s:,.0f}" if exact_s else "-", ""],
                  ["WRatio brute force", n_b, f"{brute_s:.2f}", f"{n_b / brute_s:,.1f}" if brute_s else "-", ""]]))
    print("\nIndex build (Gazetteer.index, per resolver gazetteer): "
          + "; ".join(f"{r.qset.name}: {r.index_s:.2f} s ({r.n_names:,} names)" for r in results)
          + f". Gazetteer load {t_load.seconds:.2f} s; set construction {t_build.seconds:.2f} s.")

    # Threshold sweep.
    sweep = sweep_rows(results)
    print("\n## Threshold sweep (top-1 of candidates(q, limit=1, min_score=0); accuracy, FP rate for negatives)\n")
    print(_table(["set", "n", *[f"{t:.2f}" + (" *" if abs(t - min_score) < 1e-9 else "") for t in SWEEP]],
                 [[row["label"].replace("  ", "&nbsp;&nbsp;"), row["n"], *[_fmt(row[f"{t:.2f}"]) for t in SWEEP]]
                  for row in sweep]))
    print("\n(* = current min_score.) Same sub-sample, WRatio brute force by cutoff:\n")
    wsweep = wratio_sweep_rows(results)
    print(_table(["set", "n", *map(str, WRATIO_SWEEP)],
                 [[row["set"], row["n"], *[_fmt(row[str(c)]) for c in WRATIO_SWEEP]] for row in wsweep]))

    # Set construction notes.
    print("\n## Query sets\n")
    for r in results:
        qs = r.qset.queries
        notes = dict(r.qset.notes)
        if r.qset.name == "negatives":
            excl = notes.pop("excluded")
            assert isinstance(excl, list)
            print(f"- negatives: {notes['total']} strings, {len(excl)} excluded because they fold to a gazetteer "
                  f"name, {len(qs)} kept. Excluded (first 20): "
                  + ", ".join(f"{s!r} -> {name}" for s, name in excl[:20]))
            continue
        trivial = sum(q.trivial for q in qs)
        extra = ""
        if r.qset.name == "perturbations":
            extra = "; rules: " + ", ".join(f"{k} {v}" for k, v in Counter(
                rule for q in qs if q.tag == "translit" for rule in q.how.split("+")).most_common())
        if r.qset.name == "held-out Arabic-script":
            extra = f"; pure cross-script: {sum(q.tag == 'cross-script' for q in qs)}"
        print(f"- {r.qset.name}: {len(qs)} queries ({trivial} trivial: fold to a name the entry keeps; "
              f"{len(qs) - trivial} non-trivial){extra}; {json.dumps(notes, ensure_ascii=False)}")

    # Failures.
    print(f"\n## Failure analysis ({args.failures} examples per set, spread over the miss classes)\n")
    for r in results:
        total = sum(r.fail_counts.values())
        print(f"### {r.qset.name}: {total} {'false positives' if r.qset.name == 'negatives' else 'misses'}\n")
        print("Classes: " + "; ".join(f"{c}: {n}" for c, n in r.fail_counts.items()) + "\n")
        if not r.failures:
            continue
        if r.qset.name == "negatives":
            print(_table(["query", "returned (id)", "score", "why", "matched name"],
                         [[_md(f["query"]), _md(f"{f['returned']} ({f['returned_id']})"), f["score"], _md(f["why"]),
                           _md(f["matched"])] for f in r.failures]))
        else:
            print(_table(["query", "made by", "gold (id)", "resolve() returned", "top-1 candidate: score, why, "
                          "matched", "gold rank: score, matched", "class"],
                         [[_md(f["query"]), _md(f["how"]), _md(f"{f['gold']} ({f['gold_id']})"),
                           _md(f"{f['returned']} ({f['returned_id']})" if f["returned"] else "None"),
                           _md(f"{f['top1']} ({f['top1_id']}): {f['score']}, {f['why']}, {f['matched']!r}"
                               if f["top1"] else "-"),
                           _md(f"#{f['gold_rank']}: {f['gold_score']}, {f['gold_matched']!r}"
                               if f["gold_rank"] else "not in top-20"),
                           _md(f["class"])] for f in r.failures]))
        print()
    return {
        "signature": sig, "settings": {"seed": args.seed, "n": args.n, "baseline_sample": args.baseline_sample,
                                       "baseline_cutoff": cutoff, "min_score": min_score, "quick": args.quick,
                                       "gazetteer": source, "checksum": g.checksum, "entries": len(g)},
        "accuracy": rows, "sweep": sweep, "wratio_sweep": wsweep,
        "throughput": {"queries": n_q, "ours_s": ours_s, "exact_s": exact_s, "brute_queries": n_b,
                       "brute_s": brute_s, "index_s": {r.qset.name: r.index_s for r in results},
                       "load_s": t_load.seconds},
        "sets": {r.qset.name: {"queries": len(r.qset.queries), "notes": r.qset.notes} for r in results},
        "failures": {r.qset.name: {"counts": r.fail_counts, "examples": r.failures} for r in results},
    }


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
