"""Features of candidate entries for a query, computed in one vectorised pass over the candidate block.

The block is built from the candidate names of every query key (:mod:`._candidates`): each name is compared
with its key (RapidFuzz ``cdist`` over the block), each entry keeps its best-matching name, the best
:data:`POOL` entries are kept, and per entry the ranker gets the string evidence of that name, what the entry
is (level, population, how many names it has), whether the query's designator agrees with it, how it
compares with the other candidates of the query (rank, gap to the best, ties), and whether a place outside
the gazetteer explains the query as well (:mod:`._outside`). The column order is :data:`FEATURES`; the
trained model (:mod:`._model`) records the names it was trained on and refuses another order.

``sim`` is the hand-made name similarity of earlier versions (edit similarity blended with the phonetic one,
1.0 only for an identical folded key); it picks each entry's best name, orders the pool, and is one feature
among the others. The decision itself is the model's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, JaroWinkler

from normalize._cache import PerObject
from normalize._matching._designators import LEVELS
from normalize._matching._language import is_kurdish
from normalize._matching._outside import OutsideHit
from normalize._matching._query import Query

__all__ = ["ENTRY_LISTS", "FEATURES", "NAMESAKE_DIVISION", "NAMESAKE_OTHER", "NAMESAKE_TOWN", "POOL", "Block",
           "Candidates", "EntryLists", "build_block", "namesake_level"]

_T = TypeVar("_T")

#: Entries kept per query for ranking: the right entry of a variant spelling is nearly always among the best
#: 25 by name similarity (the benchmark prints where it ranks), and the model's cost grows with the block.
POOL = 25

# Same-script edit similarity is 1 - d / (L + _LENGTH_SLACK) for d edits (optimal string alignment, so a
# transposition is one edit) between keys of which the longer has L letters: one edit in a 7-letter name
# gives 0.89, two edits 0.78.
_LENGTH_SLACK = 2.0
# Weight of the phonetic key (consonant classes plus a/i/u) in the same-script similarity; it only raises it.
_PHONETIC_WEIGHT = 0.5
# Cross-script similarity is the phonetic similarity times this when the entry also has names in the query's
# script (none of which matched): then a cross-script reading is weaker evidence.
_CROSS_SCRIPT_OTHER = 0.93
_MIN_FUZZY_LENGTH = 4  # keys shorter than this match by edits only when identical
_MIN_PHONETIC_LENGTH = 3
# "Close" candidates for the tie features: within this similarity of the best one.
_CLOSE = 0.02

#: Rule codes for ``why``: how an entry's best name matched.
NO_MATCH, FOLDED, FUZZY, PHONETIC, CROSS_SCRIPT = 0, 1, 2, 3, 4

#: The model's input columns, in order: first those of the matched name (computed per candidate name), then
#: those of the entry, of the query, and of the block.
NAME_FEATURES = ("same_script", "entry_has_query_script", "exact", "skeleton_equal", "phonetic_equal", "sim",
                 "sim_edit", "sim_indel", "sim_jaro", "sim_phonetic", "sim_skeleton", "length_ratio")
#: Countries with a feature column of their own (the bundled gazetteer's); every other country shares one. How
#: a country writes its names (Arabic script or not) and how often its places are in the news differ.
COUNTRY_FEATURES = ("IQ", "SY", "IR", "TR", "JO", "SA", "KW", "LB")
FEATURES = (
    *NAME_FEATURES, "query_arabic", "query_length", "query_words", "query_digits", "variant",
    *(f"country_{c}" for c in COUNTRY_FEATURES), "country_other",
    "log_population", "log_names", "is_country", "is_region", "is_adm1", "is_adm2", "is_adm3", "is_seat", "is_town",
    "query_hint", "hint_agrees", "hint_disagrees", "name_hint", "name_hint_agrees",
    "rank", "gap_to_best", "n_close", "n_exact", "population_rank_close", "best_sim", "second_gap",
    "namesake_division", "query_kurdish", "entry_kurdish",
    "outside_folded", "outside_phonetic", "outside_log_population", "outside_vs_entry",
)
_F = {name: i for i, name in enumerate(FEATURES)}
_N = {name: i for i, name in enumerate(NAME_FEATURES)}
# The columns that are the same for every row of a block (the query's own, and the block's summary), written
# in one step, in this order (an index array: NumPy would convert a list on every block).
_QUERY_COLUMNS = np.asarray([_F[c] for c in ("query_arabic", "query_length", "query_words", "query_digits",
                                             "query_kurdish", "query_hint", "n_close", "n_exact", "best_sim",
                                             "second_gap")], dtype=np.intp)
# The ``rank`` column: the position in the block, capped at 10 (ranks past 10 say nothing more).
_RANKS = np.minimum(np.arange(POOL), 10).astype(np.float32)
# A similarity short of an identical key is capped below 1.0, which only an identical key reaches.
_SIM_CAP = 0.9999
#: Namesake levels of a kind, for the namesake_division column here and the level rule (``_rank``): a town
#: (PPL...), a division (ADM1, ADM2, ADM3...: the kind table's is_adm1 to is_adm3), or neither.
NAMESAKE_OTHER, NAMESAKE_TOWN, NAMESAKE_DIVISION = 0, 1, 2
_OTHER, _TOWN, _DIVISION = NAMESAKE_OTHER, NAMESAKE_TOWN, NAMESAKE_DIVISION


def namesake_level(kind: str) -> int:
    """The namesake level of a kind code (:data:`NAMESAKE_TOWN`, :data:`NAMESAKE_DIVISION` or
    :data:`NAMESAKE_OTHER`): the one rule for which entries are a town and which a division named after it."""
    if kind.startswith("PPL"):
        return NAMESAKE_TOWN
    return NAMESAKE_DIVISION if kind in ("ADM1", "ADM2") or kind.startswith("ADM3") else NAMESAKE_OTHER

# The columns that depend on the entry alone, which are one run of :data:`FEATURES` (country one-hot, population,
# names, kind flags): a block copies them from the index's entry table (:func:`_entry_table`) in one step.
_ENTRY_FIRST, _ENTRY_LAST = _F[f"country_{COUNTRY_FEATURES[0]}"], _F["is_town"]
_KIND_AT = _F["is_country"] - _ENTRY_FIRST
# The outside columns that are the same for every row of a block (``outside_vs_entry`` is per entry).
_OUTSIDE_COLUMNS = np.asarray([_F[c] for c in ("outside_folded", "outside_phonetic", "outside_log_population")],
                              dtype=np.intp)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate names of one query: per query key (in the query's key order), the index's name ids."""

    per_key: tuple[npt.NDArray[np.int64], ...]


@dataclass(frozen=True, slots=True)
class Block:
    """The candidate entries of one query, best ``sim`` first: entry positions, each one's best name id, the
    query key it matched (0 as written), its rule code and ``sim``, and the feature matrix (rows = entries)."""

    entries: npt.NDArray[np.int64]
    names: npt.NDArray[np.int64]
    variants: npt.NDArray[np.int8]
    rules: npt.NDArray[np.int8]
    sims: npt.NDArray[np.float64]
    x: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.entries)


class IndexColumns:
    """What feature computation reads from a name index (a protocol, kept structural for speed)."""

    entry_of: npt.NDArray[np.int32]
    script: npt.NDArray[np.int8]
    hint: npt.NDArray[np.int8]
    entry_scripts: npt.NDArray[np.uint8]
    entry_kurdish: npt.NDArray[np.uint8]
    entry_names: npt.NDArray[np.int32]
    population: npt.NDArray[np.int64]
    kind_id: npt.NDArray[np.int32]
    country_id: npt.NDArray[np.int32]
    admin1_id: npt.NDArray[np.int32]
    kinds: list[str]
    countries: list[str]
    compacts_list: list[str]
    skeletons_list: list[str]
    phonetics_list: list[str]
    name_info: list[tuple[int, int, int, int, int]]
    feature_tables: dict[str, npt.NDArray[np.float32]]


def _kind_table(kinds: list[str]) -> npt.NDArray[np.float32]:
    """Per kind code: is_country, is_region, is_adm1, is_adm2, is_adm3, is_seat, is_town (one-hot-ish)."""
    rows = []
    for k in kinds:
        rows.append([k.startswith("PCL"), k == "ADMD", k == "ADM1", k == "ADM2", k.startswith("ADM3"),
                     k.startswith(("PPLA", "PPLC")), k.startswith("PPL")])
    return np.asarray(rows, dtype=np.float32).reshape(len(kinds), 7)


def _hint_table(kinds: list[str], hint: str) -> npt.NDArray[np.float32]:
    """Per kind code: (agrees, disagrees) with the query's designator level ``hint``."""
    out = np.zeros((len(kinds), 2), dtype=np.float32)
    if not hint:
        return out
    for i, k in enumerate(kinds):
        if hint == "PPL":
            agree = k.startswith("PPL")
        elif hint == "ADMD":
            agree = k == "ADMD"
        elif hint == "ADM3":
            agree = k.startswith("ADM3")
        else:
            agree = k == hint
        out[i] = (1.0, 0.0) if agree else (0.0, 1.0)
    return out


@dataclass(frozen=True, slots=True)
class _Scored:
    """Every candidate name of a query (all keys, in key order), scored for the choice of each entry's best name,
    a list element per name: name id, key index, the name's :attr:`NameIndex.name_info` tuple, the ``sim`` column
    as stored (float32), and what the other name columns of the chosen rows are computed from (OSA distance, edit
    and phonetic similarity). ``order``: the rows of positive ``sim`` in the order (-sim, entry, key, name id)."""

    ids: list[int]
    keys: list[int]
    info: list[tuple[int, int, int, int, int]]
    sims: list[float]
    dist: list[int]
    edit: list[float]
    phon: list[float]
    order: npt.NDArray[np.intp]


# The script of a :attr:`NameIndex.name_info` tuple (a C-level getter: the test runs over every candidate name).
_NAME_SCRIPT = itemgetter(1)


def _pick(items: Sequence[_T], ids: list[int]) -> Sequence[_T]:
    """``[items[i] for i in ids]``, in one C-level call (``itemgetter`` returns a bare item for a single id)."""
    return itemgetter(*ids)(items) if len(ids) > 1 else [items[i] for i in ids]


def _score(query: Query, parts: list[tuple[int, npt.NDArray[np.int64]]], index: IndexColumns) -> _Scored:
    """The hand-made similarity of every candidate name: edits (long enough keys only), raised by the phonetic
    key; cross-script the phonetic key alone, discounted when the entry has names in the query's script that did
    not match. Distances come from RapidFuzz over each key's candidates at once; the rest is one tight loop per
    name in plain Python, which beats NumPy's per-call cost on blocks of a few dozen names. Only what choosing
    the entries needs is computed here; the chosen rows' other columns and rule codes come later
    (:func:`_name_columns`)."""
    out = _Scored([], [], [], [], [], [], [], np.zeros(0, dtype=np.intp))
    script = query.script
    bit = 1 << script
    sims: list[float] = []
    edits = out.edit
    id_arrays, entry_arrays = [], []
    for k, ids in parts:
        qk = query.keys[k]
        q, qp = qk.compact, qk.phonetic
        lq = len(q)
        id_list = ids.tolist()
        info = _pick(index.name_info, id_list)
        n = len(id_list)
        # Cross-script names never read their distance (only same-script ones are edit-scored or exact).
        dist = process.cdist([q], _pick(index.compacts_list, id_list), scorer=OSA.distance, dtype=np.int32,
                             workers=1)[0].tolist() if script in map(_NAME_SCRIPT, info) else [0] * n
        phon = process.cdist([qp], _pick(index.phonetics_list, id_list), scorer=Indel.normalized_similarity,
                             dtype=np.float64, workers=1)[0].tolist() if qp else [0.0] * n
        fuzzy_query = lq >= _MIN_FUZZY_LENGTH
        phonetic_query = len(qp) >= _MIN_PHONETIC_LENGTH
        for (_, name_script, length, pl, scripts), d, ph in zip(info, dist, phon, strict=True):
            ph_ok = ph if phonetic_query and pl >= _MIN_PHONETIC_LENGTH else 0.0
            if name_script == script:
                e = 1.0 - d / ((length if length > lq else lq) + _LENGTH_SLACK)
                e = e if e > 0.0 else 0.0  # never above 1: a distance is not negative
                edits.append(e)
                if d == 0:  # an identical key, the only way to 1.0
                    sims.append(1.0)
                    continue
                fuzzy = e if fuzzy_query and length >= _MIN_FUZZY_LENGTH else 0.0
                blended = _PHONETIC_WEIGHT * ph_ok + (1 - _PHONETIC_WEIGHT) * fuzzy
                sim = blended if blended > fuzzy else fuzzy
            else:
                edits.append(0.0)
                sim = ph_ok * _CROSS_SCRIPT_OTHER if scripts & bit else ph_ok
            sims.append(sim if sim < _SIM_CAP else _SIM_CAP)
        id_arrays.append(ids)
        entry_arrays.append(index.entry_of[ids])
        out.ids.extend(id_list)
        out.keys.extend([k] * n)
        out.info.extend(info)
        out.dist.extend(dist)
        out.phon.extend(phon)
    # The column is float32: entries are chosen and ordered by the stored value, ties included.
    stored = np.asarray(sims, dtype=np.float32)
    out.sims.extend(stored.tolist())
    if len(parts) == 1:  # one key: the key index is the same for every row
        order = np.lexsort((id_arrays[0], entry_arrays[0], -stored))
    else:
        order = np.lexsort((np.concatenate(id_arrays), np.asarray(out.keys), np.concatenate(entry_arrays), -stored))
    # Rows of similarity 0 sort last and match nothing.
    return _Scored(out.ids, out.keys, out.info, out.sims, out.dist, out.edit, out.phon,
                   order[:int(np.count_nonzero(stored))])


def _name_columns(query: Query, scored: _Scored, rows: list[int], index: IndexColumns
                  ) -> tuple[npt.NDArray[np.float32], list[int], int]:
    """The :data:`NAME_FEATURES` columns of the chosen ``rows`` of ``scored`` (a row per chosen row), their rule
    codes (which of the rules of :func:`_score` gave each one's similarity), and how many are exact."""
    compacts, skeletons = index.compacts_list, index.skeletons_list
    script = query.script
    bit = 1 << script
    out: list[float] = []
    rules: list[int] = []
    n_exact = 0
    # What the rows read of their query key, once per key; and the scorers as locals (each row calls them).
    keys = [(qk.compact, qk.skeleton, max(len(qk.compact), 1), max(len(qk.phonetic), 1),
             len(qk.compact) >= _MIN_FUZZY_LENGTH, len(qk.phonetic) >= _MIN_PHONETIC_LENGTH, bool(qk.phonetic))
            for qk in query.keys]
    indel_of, jaro_of = Indel.normalized_similarity, JaroWinkler.normalized_similarity
    for r in rows:
        q, q_skeleton, q_length, q_phonetic_length, fuzzy_query, phonetic_query, has_phonetic = keys[scored.keys[r]]
        i = scored.ids[r]
        _, name_script, length, pl, scripts = scored.info[r]
        same = name_script == script
        exact = same and scored.dist[r] == 0
        phon = scored.phon[r]
        edit = scored.edit[r]
        skel = indel_of(q_skeleton, skeletons[i]) if q_skeleton else 0.0
        if exact:
            # The same key: both similarities are 1.0 (the scorers' own value for equal non-empty strings).
            indel = jaro = 1.0
            ratio = length / q_length
            rules.append(FOLDED)
            n_exact += 1
        elif same:
            c = compacts[i]
            indel = indel_of(q, c)
            jaro = jaro_of(q, c)
            ratio = length / q_length
            ph_ok = phon if phonetic_query and pl >= _MIN_PHONETIC_LENGTH else 0.0
            fuzzy = edit if fuzzy_query and length >= _MIN_FUZZY_LENGTH else 0.0
            blended = _PHONETIC_WEIGHT * ph_ok + (1 - _PHONETIC_WEIGHT) * fuzzy
            rules.append(PHONETIC if blended > fuzzy else FUZZY if fuzzy > 0 else NO_MATCH)
        else:
            indel = jaro = 0.0
            ratio = pl / q_phonetic_length
            # A chosen row has a positive similarity, which cross-script only the phonetic key gives.
            rules.append(CROSS_SCRIPT)
        out.extend((same, scripts & bit != 0, exact, skel == 1.0 and bool(q_skeleton), phon == 1.0 and has_phonetic,
                    scored.sims[r], edit, indel, jaro, phon, skel, ratio))
    # One flat conversion: NumPy converts a nested list into a matrix column slice several times slower.
    return np.fromiter(out, dtype=np.float32, count=len(out)).reshape(len(rows), len(NAME_FEATURES)), rules, n_exact


def _tables(index: IndexColumns, hint: str
            ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The per-kind feature rows (kind flags; designator agreement for ``hint``) and per-country rows (one-hot),
    cached on the index."""
    cache = index.feature_tables
    kinds = cache.get("kinds")
    if kinds is None:
        kinds = cache["kinds"] = _kind_table(index.kinds)
    countries = cache.get("countries")
    if countries is None:
        countries = cache["countries"] = np.asarray(
            [[c == k for k in COUNTRY_FEATURES] + [c not in COUNTRY_FEATURES] for c in index.countries],
            dtype=np.float32).reshape(len(index.countries), len(COUNTRY_FEATURES) + 1)
    hints = cache.get(hint)
    if hints is None:
        hints = cache[hint] = _hint_table(index.kinds, hint)
    return kinds, hints, countries


def _entry_table(index: IndexColumns) -> npt.NDArray[np.float32]:
    """Per entry of the index, its columns ``country_*`` to ``is_town`` of :data:`FEATURES` (the run
    :data:`_ENTRY_FIRST`..:data:`_ENTRY_LAST`), computed once per index on first use and kept with its kind tables:
    every block reads them for its 25 entries, and gathering one row beats a dozen per-column steps. The values are
    those a block computed from the columns (float64 logarithms rounded to float32, element by element)."""
    table = index.feature_tables.get("entries")
    if table is None:
        kinds, _, countries = _tables(index, "")
        table = np.empty((len(index.population), _ENTRY_LAST - _ENTRY_FIRST + 1), dtype=np.float32)
        table[:, :len(COUNTRY_FEATURES) + 1] = countries[index.country_id]
        table[:, _F["log_population"] - _ENTRY_FIRST] = np.log10(index.population + 1.0)
        table[:, _F["log_names"] - _ENTRY_FIRST] = np.log2(index.entry_names + 1.0)
        table[:, _KIND_AT:] = kinds[index.kind_id]
        index.feature_tables["entries"] = table
    return table


@dataclass(frozen=True, slots=True)
class EntryLists:
    """Per entry of an index, what a block and the level rule read of its 25 entries one by one, as plain lists
    (a list lookup beats a NumPy gather and ``tolist``): population, the namesake level of its kind
    (:func:`namesake_level`) and its governorate (admin1 id)."""

    population: list[int]
    level: list[int]
    region: list[int]


def _build_entry_lists(index: IndexColumns) -> EntryLists:
    level_of = [namesake_level(k) for k in index.kinds]
    return EntryLists(index.population.tolist(), [level_of[k] for k in index.kind_id.tolist()],
                      index.admin1_id.tolist())


#: Per index, its :class:`EntryLists` (built on first use, under a millisecond for the bundled ten thousand
#: entries), shared by the feature block and the level rule; kept as long as the index, cleared by
#: ``clear_caches``.
ENTRY_LISTS: PerObject[IndexColumns, EntryLists] = PerObject("normalize._matching._features.entry_lists",
                                                              _build_entry_lists)


def build_block(query: Query, candidates: Candidates, index: IndexColumns,
                keep: npt.NDArray[np.bool_] | None, outside: OutsideHit | None) -> Block:
    """The feature block of ``query``'s candidates; ``keep`` (per entry of the index, or ``None``) is the
    caller's context filter, applied before ranking so that the competition is among allowed entries."""
    parts: list[tuple[int, npt.NDArray[np.int64]]] = []
    for k, ids in enumerate(candidates.per_key):
        if len(ids) and keep is not None:
            ids = ids[keep[index.entry_of[ids]]]
        if len(ids):
            parts.append((k, ids))
    if not parts:
        return _empty()
    scored = _score(query, parts, index)
    sims = scored.sims
    # The pool: each entry's best row (by similarity, then the name as written over a variant, then the name id),
    # the best entries first, ties by entry position (so the same query always gives the same block). In the
    # order of ``scored.order`` an entry's first row is its best one, and first rows come in pool order.
    seen: set[int] = set()
    rows: list[int] = []
    info = scored.info
    for r in scored.order.tolist():
        e = info[r][0]
        if e not in seen:
            seen.add(e)
            rows.append(r)
            if len(rows) == POOL:
                break
    if not rows:
        return _empty()
    n = len(rows)
    entry_list = [info[r][0] for r in rows]
    name_list = [scored.ids[r] for r in rows]
    entries = np.asarray(entry_list, dtype=np.int64)
    names = np.asarray(name_list, dtype=np.int64)
    variants = np.asarray([scored.keys[r] for r in rows], dtype=np.int8)
    sim_list = [sims[r] for r in rows]
    # float64 holding float32 values: the block's ``sims``, and ``gap_to_best`` below. The float64 difference of
    # two float32 similarities is exact (a positive one is at least 2 / (the two keys' lengths) times 0.5 * 0.93,
    # so their exponents are close), and its float32 rounding is the float32 difference the column always held.
    pool_sims = np.asarray(sim_list)
    top = sim_list[0]
    # The block has always compared float32 similarities with the float32 rounding of the bound; compared with
    # that, Python floats give the same answer.
    bound = float(np.float32(top - _CLOSE))
    close = [s >= bound for s in sim_list]
    n_close = sum(close)
    name_values, rule_codes, n_exact = _name_columns(query, scored, rows, index)
    text = query.text
    # The columns the same for every row are written once, into the row every row starts from.
    first = np.zeros(len(FEATURES), dtype=np.float32)
    first[_QUERY_COLUMNS] = (
        query.script, len(query.key.compact), query.key.folded.count(" ") + 1,
        sum(map(str.isdigit, text)) / max(len(text), 1), is_kurdish(text), 1.0 if query.hint else 0.0,
        min(n_close, 10), min(n_exact, 10), top, top - sims[rows[1]] if n > 1 else 1.0)
    if outside is not None:
        out_pop = math.log10(outside.place.population + 1.0)
        first[_OUTSIDE_COLUMNS] = (outside.how == "folded", outside.how == "phonetic", out_pop)
    x = first[None, :].repeat(n, axis=0)  # the method: np.repeat adds a Python-level dispatch
    x[:, :len(NAME_FEATURES)] = name_values
    rules = np.asarray(rule_codes, dtype=np.int8)
    x[:, _F["variant"]] = variants
    x[:, _ENTRY_FIRST:_ENTRY_LAST + 1] = _entry_table(index)[entries]
    x[:, _F["entry_kurdish"]] = index.entry_kurdish[entries]
    if query.hint:  # without a designator both agreement columns are 0 (see _hint_table)
        x[:, _F["hint_agrees"]:_F["hint_disagrees"] + 1] = _tables(index, query.hint)[1][index.kind_id[entries]]
    name_hint = index.hint[names]
    x[:, _F["name_hint"]] = name_hint >= 0
    if query.hint:
        x[:, _F["name_hint_agrees"]] = name_hint == LEVELS.index(query.hint)
    x[:, _F["rank"]] = _RANKS[:n]
    x[:, _F["gap_to_best"]] = top - pool_sims
    # Population rank among the close candidates (0 = the most populous); others get the cap.
    pop_rank = [10.0] * n
    lists = ENTRY_LISTS.get(index)
    if n_close > 1:
        population = lists.population
        pops = [population[e] for e in entry_list]
        close_rows = [r for r, c in enumerate(close) if c]
        for j, r in enumerate(sorted(close_rows, key=lambda r: -pops[r])):  # stable: ties keep block order
            pop_rank[r] = min(j, 10)
    else:
        pop_rank[0] = 0.0
    x[:, _F["population_rank_close"]] = pop_rank
    level = lists.level
    levels = [level[e] for e in entry_list]
    if _TOWN in levels and _DIVISION in levels:
        x[:, _F["namesake_division"]] = _namesake_division(index, entry_list, name_list, levels, lists.region)
    if outside is not None:
        x[:, _F["outside_vs_entry"]] = out_pop - np.log10(index.population[entries] + 1.0)
    return Block(entries, names, variants, rules, pool_sims, x)


def _namesake_division(index: IndexColumns, entries: list[int], names: list[int], levels: list[int],
                       region_of: list[int]) -> list[float]:
    """1 for a town whose matched name is also the matched name of a division of the block in the same
    governorate (Kirkuk the city beside Kirkuk the governorate), 0 otherwise; ``levels`` per row, ``region_of``
    per entry of the index (see :class:`EntryLists`)."""
    compacts = index.compacts_list
    region = [region_of[e] for e in entries]
    shared = {(compacts[names[r]], region[r]) for r, v in enumerate(levels) if v == _DIVISION}
    return [1.0 if v == _TOWN and (compacts[names[r]], region[r]) in shared else 0.0 for r, v in enumerate(levels)]


def _empty() -> Block:
    return Block(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8),
                 np.zeros(0, dtype=np.int8), np.zeros(0), np.zeros((0, len(FEATURES)), dtype=np.float32))
