"""The one ranking: every path that orders candidate entries (``resolve``, ``candidates``, the linker) calls
:func:`rank`, and every prior and bonus lives here or in the model's features.

1. The model (:mod:`._model`) gives each candidate of the block the calibrated probability that the query
   names it, from the string evidence, what the entry is, how it compares with the other candidates, and
   whether a place outside the gazetteer explains the query (:mod:`._features`).
2. The level rule. A name that a town shares with a division it lies in ("Kirkuk", "Najaf", "Daquq") names
   the town when the query has no designator — the way news uses a bare name — and the division when its
   designator asks for that level ("Kirkuk Governorate", "قضاء داقوق"). The members of such a group are
   readings of one place, so the preferred reading takes the group's probability (the best of theirs); the
   others keep a share (:data:`LEVEL_YIELD`) of their own, except another town of the group, which is a
   namesake (two towns beside one division of their name), not a reading, and keeps its own. The model cannot
   learn this from the gazetteer (its held-out spellings rarely collide), so it is a rule, with its reason,
   here and nowhere else.
3. Common words. A query that is one common word, alone or with numbers (``security``, ``قوات``, ``١٢ آذار
   ٢٠٢٤``: :mod:`._words`), is better explained as that word than as a near-miss of a regional name: every
   candidate without the query's exact folded name keeps :data:`COMMON_WORD_FACTOR` of its probability. The
   model's string evidence cannot tell "one edit from a village" for a word from the same for a respelling; the
   word list can, so this is a rule, with its measured reason, here.
4. Order: probability, then the entry's position in the gazetteer, so the same query always ranks the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from normalize._cache import PerObject
from normalize._matching._features import ENTRY_LISTS, FOLDED, Block
from normalize._matching._features import NAMESAKE_DIVISION as _DIVISION
from normalize._matching._features import NAMESAKE_TOWN as _TOWN
from normalize._matching._index import NameIndex
from normalize._matching._model import Ranker
from normalize._matching._outside import OutsideHit
from normalize._matching._query import Query
from normalize._matching._words import CommonWords

__all__ = ["COMMON_WORD_FACTOR", "LEVEL_YIELD", "Ranked", "rank", "readings"]

#: What a candidate without the query's exact name keeps of its probability when the query is one common word:
#: a veto that keeps it listed, in its order, far under any threshold the calibration rule can choose (0.2 and
#: up). On the calibration split (7 mod 10, never the evaluation entities) it scaled down 47 top candidates,
#: 45 of them non-places or outside places and 2 right answers, and took 3 of the 8 non-places (of 367) that
#: the threshold let through (docs/ranker.md).
COMMON_WORD_FACTOR = 0.05

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
    common_words: bool = False

    def __len__(self) -> int:
        return len(self.entries)


def empty(query: Query | None, outside: OutsideHit | None = None) -> Ranked:
    z = np.zeros(0, dtype=np.int64)
    return Ranked(query, z, z, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8), np.zeros(0), np.zeros(0),
                  np.zeros(0, dtype=bool), outside)


def rank(query: Query, block: Block, ranker: Ranker, index: NameIndex, outside: OutsideHit | None,
         words: CommonWords | None = None) -> Ranked:
    """Order ``block`` (see the module docs); ``words``: the common-word list (``None``: no such rule)."""
    n = len(block)
    if not n:
        return empty(query, outside)
    p = ranker.probability(block.x)  # a new array, which the rules below may change in place
    # A designator ("ناحية الهلال", "Hilal district") says the query names a place: no common-word rule then.
    common = words is not None and not query.hint and words.covers(query.key.folded)
    if common:
        # Before the level rule: a division with the exact name still lends it to its town.
        p[block.rules != FOLDED] *= COMMON_WORD_FACTOR
    moved = np.zeros(n, dtype=bool)
    entries = block.entries.tolist()
    table = _ENTRY_LEVELS.get(index)
    groups = _level_groups(entries, table)
    if groups:  # else no town/division pair: the model's probabilities stand
        _level_rule(query, groups, p, moved, entries, table)
    order = np.lexsort((block.entries, -p))
    return Ranked(query, block.entries[order], block.names[order], block.rules[order], block.variants[order],
                  block.sims[order], p[order], moved[order], outside, common)


def _level_groups(entries: list[int], table: _EntryLevels) -> list[list[int]]:
    """The rows of a block (its entry positions ``entries``) that are one place at several levels: towns and
    divisions in the same governorate that share a name (any of their names, as folded keys: "Altun Kupri" the
    town and "Altun Kupri Subdistrict", whatever spelling the query matched). Each group has a town and a
    division."""
    level = table.level
    towns = [r for r, e in enumerate(entries) if level[e] == _TOWN]
    if not towns:
        return []
    divisions = [r for r, e in enumerate(entries) if level[e] == _DIVISION]
    if not divisions:
        return []
    region, start, compacts = table.region, table.start, table.compacts
    # Union-find over the town-division pairs that share a name: a component is a group. Rows in no such pair
    # are groups of one (a town alone, or a division alone), which are no group.
    parent: dict[int, int] = {}

    def root(r: int) -> int:
        while parent[r] != r:
            r = parent[r]
        return r

    towns_in: dict[int, list[int]] = {}
    for t in towns:
        towns_in.setdefault(region[entries[t]], []).append(t)
    for d in divisions:
        division_keys: frozenset[str] | None = None
        for t in towns_in.get(region[entries[d]], ()):
            if division_keys is None:
                e = entries[d]
                division_keys = frozenset(compacts[start[e]:start[e + 1]])
            e = entries[t]
            if not division_keys.isdisjoint(compacts[start[e]:start[e + 1]]):
                parent.setdefault(t, t)
                parent.setdefault(d, d)
                parent[root(t)] = root(d)
    # Groups in the order of their first row, each in row order.
    groups: dict[int, list[int]] = {}
    for r in sorted(parent):
        groups.setdefault(root(r), []).append(r)
    return list(groups.values())


def asks_for_division(query: Query) -> bool:
    """Whether the query's designator names a division level (else a bare name, or a town designator)."""
    return query.hint in _DIVISIONS


def readings(block: Block, index: NameIndex, row: int) -> list[int]:
    """The rows of ``block`` that name the same place as ``row`` at some level, ``row`` included: for a town,
    itself and the divisions of its level group (another town of the group is a namesake); for a division, its
    whole group; for a row in no group, itself. Training labels every one of them right for a bare name."""
    table = _ENTRY_LEVELS.get(index)
    entries = block.entries.tolist()
    for rows in _level_groups(entries, table):
        if row in rows:
            return _readings(rows, [table.kind[entries[r]].startswith("PPL") for r in rows], row)
    return [row]


def _readings(rows: list[int], town: list[bool], row: int) -> list[int]:
    """:func:`readings` within one group: ``town`` says, per row of ``rows``, whether it is a town."""
    if not town[rows.index(row)]:
        return rows
    return [r for r, t in zip(rows, town, strict=True) if r == row or not t]


def _level_rule(query: Query, groups: list[list[int]], out: npt.NDArray[np.float64], moved: npt.NDArray[np.bool_],
                entries: list[int], table: _EntryLevels) -> None:
    """Apply the level rule (see the module docs) over the block's ``groups`` to its probabilities ``out``, in
    place, marking in ``moved`` the rows it moved. A group has a few rows, so they are read and written one by
    one (plain floats: the same float64 arithmetic as NumPy's)."""
    probs = out.tolist()
    kinds = table.kind
    division_asked = asks_for_division(query)
    for rows in groups:
        codes = [kinds[entries[r]] for r in rows]
        town = [c.startswith("PPL") for c in codes]
        towns = [r for r, t in zip(rows, town, strict=True) if t]
        # A division designator asks for that division; no designator, or a town designator, for the town.
        wanted = [r for r, c in zip(rows, codes, strict=True) if c == query.hint]
        preferred = (wanted or towns) if division_asked else towns
        keep = max(preferred, key=lambda r: (probs[r], -entries[r]))
        # The members are readings of one place, and the model was trained to give each the probability that
        # the query names that place (every reading counts as right; see scripts/train_ranker.py): the preferred
        # reading takes the best of them. Another town of the group is a namesake, not a reading of a kept
        # town (:func:`readings`): it keeps its own probability.
        total = max(probs[r] for r in rows)
        out[keep] = total
        moved[keep] = total > probs[keep]
        for r in _readings(rows, town, keep):
            if r != keep:
                out[r] = probs[r] * LEVEL_YIELD
                moved[r] = True


@dataclass(frozen=True, slots=True)
class _EntryLevels:
    """Per entry of a name index, what the level rule reads, as plain lists: its kind code, its namesake level
    and governorate (the feature block's :class:`~normalize._matching._features.EntryLists`, the same lists) and
    where its names start in ``compacts`` (the index's folded keys, shared, not copied). Every block asks them
    of its 25 entries, and list lookups beat a NumPy gather and ``tolist`` per column; built once per index
    (about 1 ms for the bundled ten thousand entries)."""

    kind: list[str]
    level: list[int]
    region: list[int]
    start: list[int]
    compacts: Sequence[str]


def _build_entry_levels(index: NameIndex) -> _EntryLevels:
    shared = ENTRY_LISTS.get(index)  # type: ignore[arg-type]  # a NameIndex is the block's IndexColumns
    return _EntryLevels([index.kinds[k] for k in index.kind_id.tolist()], shared.level, shared.region,
                        index.entry_start.tolist(), index.compacts_list)


#: Per name index, its :class:`_EntryLevels`; kept as long as the index, cleared by ``clear_caches``.
_ENTRY_LEVELS: PerObject[NameIndex, _EntryLevels] = PerObject("normalize._matching._rank.entry_levels",
                                                              _build_entry_levels)
