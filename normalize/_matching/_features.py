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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, JaroWinkler

from normalize._matching._designators import LEVELS
from normalize._matching._language import is_kurdish
from normalize._matching._outside import OutsideHit
from normalize._matching._query import Query

__all__ = ["FEATURES", "POOL", "Block", "Candidates", "build_block"]

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
    compacts_obj: npt.NDArray[np.object_]
    phonetics_obj: npt.NDArray[np.object_]
    skeletons_obj: npt.NDArray[np.object_]
    compact_len: npt.NDArray[np.int64]
    phonetic_len: npt.NDArray[np.int64]
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


def _similarities(query: Query, key_index: int, ids: npt.NDArray[np.int64], index: IndexColumns
                  ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int8]]:
    """Per candidate name: the :data:`NAME_FEATURES` columns against query key ``key_index``, and the rule code."""
    qk = query.keys[key_index]
    q = qk.compact
    n = len(ids)
    compacts = index.compacts_obj[ids]
    same = index.script[ids] == query.script
    lengths = index.compact_len[ids].astype(np.float64)
    phon_len = index.phonetic_len[ids].astype(np.float64)
    out = np.zeros((n, len(NAME_FEATURES)), dtype=np.float32)
    zeros = np.zeros(n)
    exact = np.zeros(n, dtype=bool)
    edit = zeros
    if same.any():
        dist = process.cdist([q], compacts, scorer=OSA.distance, dtype=np.int32, workers=1)[0]
        edit = np.where(same, np.clip(1.0 - dist / (np.maximum(lengths, len(q)) + _LENGTH_SLACK), 0.0, 1.0), 0.0)
        exact = same & (dist == 0)
        out[:, _N["sim_indel"]] = np.where(same, process.cdist(
            [q], compacts, scorer=Indel.normalized_similarity, dtype=np.float32, workers=1)[0], 0.0)
        out[:, _N["sim_jaro"]] = np.where(same, process.cdist(
            [q], compacts, scorer=JaroWinkler.normalized_similarity, dtype=np.float32, workers=1)[0], 0.0)
    phon = process.cdist([qk.phonetic], index.phonetics_obj[ids], scorer=Indel.normalized_similarity,
                         dtype=np.float64, workers=1)[0] if qk.phonetic else zeros
    skel = process.cdist([qk.skeleton], index.skeletons_obj[ids], scorer=Indel.normalized_similarity,
                         dtype=np.float64, workers=1)[0] if qk.skeleton else zeros
    # The hand-made similarity: edits (long enough keys only), raised by the phonetic key; cross-script the
    # phonetic key alone, discounted when the entry has names in the query's script that did not match.
    fuzzy = np.where(same & (lengths >= _MIN_FUZZY_LENGTH), edit, 0.0) if len(q) >= _MIN_FUZZY_LENGTH else zeros
    phon_ok = np.where(phon_len >= _MIN_PHONETIC_LENGTH, phon, 0.0) if len(qk.phonetic) >= _MIN_PHONETIC_LENGTH \
        else zeros
    blended = np.where(same, _PHONETIC_WEIGHT * phon_ok + (1 - _PHONETIC_WEIGHT) * fuzzy, 0.0)
    has_script = (index.entry_scripts[index.entry_of[ids]] & (1 << query.script)) != 0
    cross = np.where(same, 0.0, phon_ok * np.where(has_script, _CROSS_SCRIPT_OTHER, 1.0))
    sim = np.maximum(np.maximum(fuzzy, blended), cross)
    rule = np.where(fuzzy > 0, FUZZY, NO_MATCH).astype(np.int8)
    rule[blended > fuzzy] = PHONETIC
    rule[(cross > 0) & (cross >= sim)] = CROSS_SCRIPT
    rule[exact] = FOLDED
    out[:, _N["same_script"]] = same
    out[:, _N["entry_has_query_script"]] = has_script
    out[:, _N["exact"]] = exact
    out[:, _N["skeleton_equal"]] = (skel == 1.0) & bool(qk.skeleton)
    out[:, _N["phonetic_equal"]] = (phon == 1.0) & bool(qk.phonetic)
    out[:, _N["sim"]] = np.where(exact, 1.0, np.minimum(sim, 0.9999))
    out[:, _N["sim_edit"]] = edit
    out[:, _N["sim_phonetic"]] = phon
    out[:, _N["sim_skeleton"]] = skel
    out[:, _N["length_ratio"]] = np.where(same, lengths / max(len(q), 1), phon_len / max(len(qk.phonetic), 1))
    return out, rule


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


def build_block(query: Query, candidates: Candidates, index: IndexColumns,
                keep: npt.NDArray[np.bool_] | None, outside: OutsideHit | None) -> Block:
    """The feature block of ``query``'s candidates; ``keep`` (per entry of the index, or ``None``) is the
    caller's context filter, applied before ranking so that the competition is among allowed entries."""
    parts: list[tuple[npt.NDArray[np.int64], int, npt.NDArray[np.float32], npt.NDArray[np.int8]]] = []
    for k, ids in enumerate(candidates.per_key):
        if len(ids) and keep is not None:
            ids = ids[keep[index.entry_of[ids]]]
        if len(ids):
            parts.append((ids, k, *_similarities(query, k, ids, index)))
    if not parts:
        return _empty()
    if len(parts) == 1:
        ids, k, cols, rules = parts[0]
        variant = np.full(len(ids), k, dtype=np.int8)
    else:
        ids = np.concatenate([p[0] for p in parts])
        variant = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int8) for p in parts])
        cols = np.concatenate([p[2] for p in parts])
        rules = np.concatenate([p[3] for p in parts])
    sim = cols[:, _N["sim"]]
    rows = np.flatnonzero(sim > 0.0)
    if not len(rows):
        return _empty()
    e_idx = index.entry_of[ids[rows]]
    # Best row per entry: by similarity, then the name as written over a variant, then the name id.
    order = np.lexsort((ids[rows], variant[rows], -sim[rows], e_idx))
    e_sorted = e_idx[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = e_sorted[1:] != e_sorted[:-1]
    best = rows[order[first]]
    entries = e_sorted[first].astype(np.int64)
    # The pool: best similarity first, ties by entry position (so the same query always gives the same block).
    rank_order = np.lexsort((entries, -sim[best]))[:POOL]
    best, entries = best[rank_order], entries[rank_order]
    n = len(best)
    names = ids[best]
    x = np.zeros((n, len(FEATURES)), dtype=np.float32)
    x[:, :len(NAME_FEATURES)] = cols[best]
    x[:, _F["variant"]] = variant[best]
    x[:, _F["query_arabic"]] = query.script
    x[:, _F["query_length"]] = len(query.key.compact)
    x[:, _F["query_words"]] = query.key.folded.count(" ") + 1
    x[:, _F["query_digits"]] = sum(ch.isdigit() for ch in query.text) / max(len(query.text), 1)
    x[:, _F["query_kurdish"]] = is_kurdish(query.text)
    x[:, _F["entry_kurdish"]] = index.entry_kurdish[entries]
    pop = index.population[entries]
    log_pop = np.log10(pop + 1.0)
    x[:, _F["log_population"]] = log_pop
    x[:, _F["log_names"]] = np.log2(index.entry_names[entries] + 1.0)
    kind_ids = index.kind_id[entries]
    kind_rows, hint_rows, country_rows = _tables(index, query.hint)
    x[:, _F["is_country"]:_F["is_town"] + 1] = kind_rows[kind_ids]
    x[:, _F[f"country_{COUNTRY_FEATURES[0]}"]:_F["country_other"] + 1] = country_rows[index.country_id[entries]]
    x[:, _F["hint_agrees"]:_F["hint_disagrees"] + 1] = hint_rows[kind_ids]
    name_hint = index.hint[names]
    x[:, _F["name_hint"]] = name_hint >= 0
    if query.hint:
        x[:, _F["query_hint"]] = 1.0
        x[:, _F["name_hint_agrees"]] = name_hint == LEVELS.index(query.hint)
    sims = sim[best]
    top = float(sims[0])
    close = sims >= top - _CLOSE
    n_close = int(close.sum())
    x[:, _F["rank"]] = np.minimum(np.arange(n), 10)
    x[:, _F["gap_to_best"]] = top - sims
    x[:, _F["n_close"]] = min(n_close, 10)
    x[:, _F["n_exact"]] = min(int(x[:, _F["exact"]].sum()), 10)
    x[:, _F["best_sim"]] = top
    x[:, _F["second_gap"]] = top - float(sims[1]) if n > 1 else 1.0
    # Population rank among the close candidates (0 = the most populous); others get the cap.
    pop_rank = np.full(n, 10.0)
    if n_close > 1:
        close_idx = np.flatnonzero(close)
        pop_rank[close_idx[np.argsort(-pop[close_idx], kind="stable")]] = np.minimum(np.arange(n_close), 10)
    else:
        pop_rank[0] = 0.0
    x[:, _F["population_rank_close"]] = pop_rank
    towns = x[:, _F["is_town"]] > 0
    divisions = (x[:, _F["is_adm1"]] + x[:, _F["is_adm2"]] + x[:, _F["is_adm3"]]) > 0
    if towns.any() and divisions.any():
        x[:, _F["namesake_division"]] = _namesake_division(index, entries, names, towns, divisions)
    if outside is not None:
        x[:, _F["outside_folded"]] = outside.how == "folded"
        x[:, _F["outside_phonetic"]] = outside.how == "phonetic"
        out_pop = math.log10(outside.place.population + 1.0)
        x[:, _F["outside_log_population"]] = out_pop
        x[:, _F["outside_vs_entry"]] = out_pop - log_pop
    return Block(entries, names, variant[best], rules[best], sims.astype(np.float64), x)


def _namesake_division(index: IndexColumns, entries: npt.NDArray[np.int64], names: npt.NDArray[np.int64],
                       towns: npt.NDArray[np.bool_], divisions: npt.NDArray[np.bool_]) -> npt.NDArray[np.float32]:
    """1 for a town whose matched name is also the matched name of a division of the block in the same
    governorate (Kirkuk the city beside Kirkuk the governorate), 0 otherwise."""
    compacts = index.compacts_list
    region = index.admin1_id[entries].tolist()
    name_list = names.tolist()
    shared = {(compacts[name_list[r]], region[r]) for r in np.flatnonzero(divisions).tolist()}
    out = np.zeros(len(entries), dtype=np.float32)
    for r in np.flatnonzero(towns).tolist():
        if (compacts[name_list[r]], region[r]) in shared:
            out[r] = 1.0
    return out


def _empty() -> Block:
    return Block(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8),
                 np.zeros(0, dtype=np.int8), np.zeros(0), np.zeros((0, len(FEATURES)), dtype=np.float32))
