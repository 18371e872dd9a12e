"""Calibrate the ranker for the actor gazetteer and write ``normalize/_matching/actors.npz``.

    python scripts/train_actors.py

Actor names are short organisation names and abbreviations (ISIS, PMF, قسد), unlike the place names the
ranker's trees were trained on: the trees are kept (the string evidence is the same), and only the calibration
(the map from the trees' score to a probability) and the threshold are fitted again, on actor queries. Actors
are split in two by a hash of their id (:func:`is_evaluation_actor`): the calibration sees one half; the actor
benchmark reports on the other. Queries: each name of an actor withheld from the gazetteer in turn and queried
(leave one name out), each name queried as it is, and negatives: the non-place training strings
(``scripts/data/train_negatives.tsv``) and names of places from the default gazetteer.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
for _p in (REPO, REPO / "scripts"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from _calibration import centered_isotonic  # noqa: E402

import normalize  # noqa: E402
from normalize._gazetteer._actor_names import DERIVED, with_derived_names  # noqa: E402
from normalize._gazetteer._actors import read_actors  # noqa: E402
from normalize._gazetteer._default import bundled_path  # noqa: E402
from normalize._gazetteer._entry import Entry  # noqa: E402
from normalize._matching._filters import Filter  # noqa: E402
from normalize._matching._model import Ranker, bundled_ranker  # noqa: E402
from normalize._matching._query import parse_query  # noqa: E402
from normalize._matching._rank import rank  # noqa: E402
from normalize._matching._resolver import Resolver  # noqa: E402

OUT = REPO / "normalize" / "_matching" / "actors.npz"
NEGATIVES = REPO / "scripts" / "data" / "train_negatives.tsv"
_FPR_TARGET = 0.05  # the false-positive budget for actors
_FLOOR = 0.5


def is_evaluation_actor(ident: str) -> bool:
    """The actor benchmark's half: a stable hash of the id (the calibration never sees these actors)."""
    return int(hashlib.sha256(ident.encode()).hexdigest()[:8], 16) % 2 == 1


def queries(entries: list[Entry], *, evaluation: bool) -> list[tuple[str, str | None, list[Entry]]]:
    """``(query, gold id, the gazetteer's entries for it)``: leave-one-name-out and exact queries of one half."""
    out: list[tuple[str, str | None, list[Entry]]] = []
    for e in entries:
        if is_evaluation_actor(e.id) != evaluation:
            continue
        for name in dict.fromkeys(n.text for n in e.names if n.lang != DERIVED):
            key = normalize.fold(name).replace(" ", "")
            if len(key) < 2:
                continue
            kept = tuple(n for n in e.names if normalize.fold(n.text).replace(" ", "") != key)
            if kept:
                withheld = Entry(e.id, e.name, e.kind, e.country, e.admin1, names=kept, source=e.source)
                # The names it implies are derived again from the names that remain.
                out.append((name, e.id, with_derived_names(withheld if x.id == e.id else x for x in entries)))
            out.append((name, e.id, entries))
    return out


def negatives(rng: random.Random, n_places: int) -> list[str]:
    with NEGATIVES.open(encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f, delimiter="\t")]
    places = [nm.text for e in normalize.default_gazetteer() for nm in e.names[:2]]
    return texts + rng.sample(places, n_places)


def main() -> int:
    rng = random.Random(0)
    raw, _actors = read_actors(bundled_path("actors.tsv"))
    entries = with_derived_names(raw)
    base = bundled_ranker()
    # The trees with an identity-like calibration: rank() orders by it as by the margin.
    plain = Ranker(base.split_feature, base.border, base.leaf_values, base.scale, base.bias,
                   np.asarray([-1e3, 1e3]), np.asarray([0.0, 1.0]), {})
    margins: list[float] = []
    labels: list[int] = []
    tops: list[tuple[float, bool, bool]] = []  # (margin of the top candidate, is it right, is the query an actor)
    resolvers: dict[int, tuple[Resolver, normalize.Gazetteer]] = {}

    def score(text: str, gold: str | None, pool: list[Entry]) -> None:
        key = id(pool) if pool is entries else None
        if key is not None and key in resolvers:
            resolver, g = resolvers[key]
        else:
            g = normalize.Gazetteer(pool)
            resolver = Resolver(g.index, outside=None, ranker=plain, words=None)
            if key is not None:
                resolvers[key] = (resolver, g)
        parsed = parse_query(text)
        if parsed is None:
            return
        block, _hit = resolver.block(parsed, Filter(None))
        if not len(block):
            return
        m = plain.margin(block.x)
        ids = [g._store[int(e)].id for e in block.entries]
        margins.extend(m.tolist())
        labels.extend(int(i == gold) for i in ids)
        ranked = rank(parsed, block, plain, resolver.index, None)
        top_row = int(np.flatnonzero(block.entries == ranked.entries[0])[0])
        tops.append((float(m[top_row]), ids[top_row] == gold, gold is not None))

    for text, gold, pool in queries(entries, evaluation=False):
        score(text, gold, pool)
    for text in negatives(rng, 1500):
        score(text, None, entries)
    cx, cy = centered_isotonic(np.asarray(margins, dtype=np.float64), np.asarray(labels, dtype=np.int8))
    calibrated = [(float(np.interp(m, cx, cy)), right, actor) for m, right, actor in tops]
    sweep = {}
    for t in [round(0.05 * i, 2) for i in range(1, 20)]:
        fp = [p >= t for p, _r, actor in calibrated if not actor]
        acc = [p >= t and r for p, r, actor in calibrated if actor]
        sweep[str(t)] = {"accuracy": round(sum(acc) / len(acc), 4), "false positives": round(sum(fp) / len(fp), 4)}
    # The lowest threshold within the false-positive budget, but never under one half: an actor is answered
    # only when the answer is more likely right than not.
    threshold = max(_FLOOR, min(float(t) for t, v in sweep.items() if v["false positives"] <= _FPR_TARGET))
    meta = {**base.meta, "actors": {"threshold": threshold, "sweep": sweep,
                                    "queries": {"actor": sum(a for *_x, a in tops),
                                                "negative": sum(not a for *_x, a in tops)},
                                    "split": "sha256(id) odd = evaluation half", "trees": base.checksum()},
            "threshold": threshold}
    Ranker(base.split_feature, base.border, base.leaf_values, base.scale, base.bias, cx, cy, meta).save(OUT)
    print(json.dumps(meta["actors"], indent=1))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
