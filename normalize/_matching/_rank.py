"""The one ranking: every path that orders candidate entries (``resolve``, ``candidates``, the linker) calls
:func:`rank`, and every prior and bonus lives here or in the model's features.

1. The model (:mod:`._model`) gives each candidate of the block the calibrated probability that the query
   names it, from the string evidence, what the entry is, how it compares with the other candidates, and
   whether a place outside the gazetteer explains the query (:mod:`._features`).
2. The level rule. A name that a town shares with a division it lies in ("Kirkuk", "Najaf", "Daquq") names
   the town when the query has no designator — the way news uses a bare name — and the division when its
   designator asks for that level ("Kirkuk Governorate", "قضاء داقوق"). The members of such a group are
   readings of one place, so the preferred reading takes the group's probability (the best of theirs); the
   others keep a share (:data:`LEVEL_YIELD`) of their own. The model cannot learn this from the gazetteer (its held-out
   spellings rarely collide), so it is a rule, with its reason, here and nowhere else.
3. Order: probability, then the entry's position in the gazetteer, so the same query always ranks the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from normalize._matching._features import Block
from normalize._matching._index import NameIndex
from normalize._matching._model import Ranker
from normalize._matching._outside import OutsideHit
from normalize._matching._query import Query

__all__ = ["LEVEL_YIELD", "Ranked", "rank"]

#: What the dispreferred member of a town/division pair keeps of its own probability: the other reading
#: stays listed (and can win with a designator), well below the preferred one.
LEVEL_YIELD = 0.5
_DIVISIONS = ("ADM1", "ADM2", "ADM3")


@dataclass(frozen=True, slots=True)
class Ranked:
    """A query's candidates in rank order: entry positions, best name ids, rule codes, query-key variants,
    name similarities, calibrated probabilities, and which of them the level rule moved (for ``why``)."""

    query: Query | None
    entries: npt.NDArray[np.int64]
    names: npt.NDArray[np.int64]
    rules: npt.NDArray[np.int8]
    variants: npt.NDArray[np.int8]
    sims: npt.NDArray[np.float64]
    probabilities: npt.NDArray[np.float64]
    level_rule: npt.NDArray[np.bool_]
    outside: OutsideHit | None

    def __len__(self) -> int:
        return len(self.entries)


def empty(query: Query | None, outside: OutsideHit | None = None) -> Ranked:
    z = np.zeros(0, dtype=np.int64)
    return Ranked(query, z, z, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8), np.zeros(0), np.zeros(0),
                  np.zeros(0, dtype=bool), outside)


def rank(query: Query, block: Block, ranker: Ranker, index: NameIndex, outside: OutsideHit | None) -> Ranked:
    """Order ``block`` (see the module docs)."""
    if not len(block):
        return empty(query, outside)
    p = ranker.probability(block.x)
    moved = np.zeros(len(block), dtype=bool)
    p = _level_rule(query, block, p, moved, index)
    order = np.lexsort((block.entries, -p))
    return Ranked(query, block.entries[order], block.names[order], block.rules[order], block.variants[order],
                  block.sims[order], p[order], moved[order], outside)


def level_groups(block: Block, index: NameIndex) -> list[list[int]]:
    """The rows of ``block`` that are one place at several levels: towns and divisions in the same governorate
    that share a name (any of their names, as folded keys: "Altun Kupri" the town and "Altun Kupri
    Subdistrict", whatever spelling the query matched). Each group has a town and a division."""
    kinds = index.kinds
    codes = [kinds[int(k)] for k in index.kind_id[block.entries].tolist()]
    towns = [r for r, c in enumerate(codes) if c.startswith("PPL")]
    divisions = [r for r, c in enumerate(codes) if c in _DIVISIONS]
    if not towns or not divisions:
        return []
    entries = block.entries.tolist()
    region = index.admin1_id[block.entries].tolist()
    keys = {r: index.name_keys(entries[r]) for r in (*towns, *divisions)}
    parent = {r: r for r in keys}

    def root(r: int) -> int:
        while parent[r] != r:
            r = parent[r]
        return r

    for d in divisions:
        for t in towns:
            if region[t] == region[d] and keys[t] & keys[d]:
                parent[root(t)] = root(d)
    groups: dict[int, list[int]] = {}
    for r in sorted(keys):
        groups.setdefault(root(r), []).append(r)
    return [rows for rows in groups.values()
            if any(codes[r].startswith("PPL") for r in rows) and any(codes[r] in _DIVISIONS for r in rows)]


def asks_for_division(query: Query) -> bool:
    """Whether the query's designator names a division level (else a bare name, or a town designator)."""
    return query.hint in _DIVISIONS


def _level_rule(query: Query, block: Block, p: npt.NDArray[np.float64], moved: npt.NDArray[np.bool_],
                index: NameIndex) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = p.copy()
    kinds = index.kinds
    for rows in level_groups(block, index):
        codes = [kinds[int(index.kind_id[block.entries[r]])] for r in rows]
        towns = [r for r, c in zip(rows, codes, strict=True) if c.startswith("PPL")]
        # A division designator asks for that division; no designator, or a town designator, for the town.
        wanted = [r for r, c in zip(rows, codes, strict=True) if c == query.hint]
        preferred = (wanted or towns) if asks_for_division(query) else towns
        keep = max(preferred, key=lambda r: (p[r], -int(block.entries[r])))
        # The members are readings of one place, and the model was trained to give each the probability that
        # the query names that place (every reading counts as right; see scripts/train_ranker.py): the preferred
        # reading takes the best of them.
        total = float(p[rows].max())
        out[keep] = total
        moved[keep] = total > p[keep]
        for r in rows:
            if r != keep:
                out[r] = p[r] * LEVEL_YIELD
                moved[r] = True
    return out
