"""The one ranking: every path that orders candidate entries (``resolve``, ``candidates``, the linker) calls
:func:`rank`, and every prior and bonus lives here or in the model's features.

1. The model (:mod:`._model`) gives each candidate of the block the calibrated probability that the query
   names it, from the string evidence, what the entry is, how it compares with the other candidates, and
   whether a place outside the gazetteer explains the query (:mod:`._features`).
2. The level rule. A name that a town shares with a division it lies in ("Kirkuk", "Najaf", "Daquq") names
   the town when the query has no designator — the way news uses a bare name — and the division when its
   designator asks for that level ("Kirkuk Governorate", "قضاء داقوق"). The members of such a group are
   readings of one name, so the preferred reading takes the group's probability (their sum); the others keep a
   share (:data:`LEVEL_YIELD`) of their own. The model cannot learn this from the gazetteer (its held-out
   spellings rarely collide), so it is a rule, with its reason, here and nowhere else.
3. Order: probability, then the entry's position in the gazetteer, so the same query always ranks the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from normalize._matching._features import Block
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


def rank(query: Query, block: Block, ranker: Ranker, kinds: Sequence[str], kind_of: npt.NDArray[np.int32],
         admin1_of: npt.NDArray[np.int32], compacts: Sequence[str], outside: OutsideHit | None) -> Ranked:
    """Order ``block`` (see the module docs). ``kinds``/``kind_of``/``admin1_of``/``compacts`` are the index's
    kind vocabulary and per-entry kind and governorate columns, and its per-name folded keys."""
    if not len(block):
        return empty(query, outside)
    p = ranker.probability(block.x)
    moved = np.zeros(len(block), dtype=bool)
    p = _level_rule(query, block, p, moved, kinds, kind_of, admin1_of, compacts)
    order = np.lexsort((block.entries, -p))
    return Ranked(query, block.entries[order], block.names[order], block.rules[order], block.variants[order],
                  block.sims[order], p[order], moved[order], outside)


def _level_rule(query: Query, block: Block, p: npt.NDArray[np.float64], moved: npt.NDArray[np.bool_],
                kinds: Sequence[str], kind_of: npt.NDArray[np.int32], admin1_of: npt.NDArray[np.int32],
                compacts: Sequence[str]) -> npt.NDArray[np.float64]:
    groups: dict[tuple[str, int], list[int]] = {}
    codes = [kinds[int(k)] for k in kind_of[block.entries].tolist()]
    if not any(c.startswith("PPL") for c in codes) or not any(c in _DIVISIONS for c in codes):
        return p
    for row, (e, name) in enumerate(zip(block.entries.tolist(), block.names.tolist(), strict=True)):
        code = codes[row]
        if code.startswith("PPL") or code in _DIVISIONS:
            groups.setdefault((compacts[name], int(admin1_of[e])), []).append(row)
    out: npt.NDArray[np.float64] = p.copy()
    for rows in groups.values():
        if len(rows) < 2:
            continue
        towns = [r for r in rows if codes[r].startswith("PPL")]
        divisions = [r for r in rows if codes[r] in _DIVISIONS]
        if not towns or not divisions:
            continue
        # A division designator asks for that division; no designator, or a town designator, for the town.
        preferred = ([r for r in divisions if codes[r] == query.hint] or towns) if query.hint in _DIVISIONS else towns
        keep = max(preferred, key=lambda r: (p[r], -int(block.entries[r])))
        # The members are readings of one name at different levels, so the name's probability is their sum;
        # the preferred reading takes it.
        total = min(1.0, float(p[rows].sum()))
        out[keep] = total
        moved[keep] = total > p[keep]
        for r in rows:
            if r != keep:
                out[r] = p[r] * LEVEL_YIELD
                moved[r] = True
    return out
