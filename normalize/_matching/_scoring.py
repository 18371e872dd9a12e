"""Scoring of candidate names against a query, priors, and the default decision threshold.

The score of a candidate is a name similarity in [0, 1]; priors (population, admin level, a designator in the
query) only break ties between candidates of near-equal similarity and never lift a weak match over the
threshold. The constants below were chosen on ``benchmarks/bench_variants.py`` (see the README).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

#: ``resolve`` returns ``None`` below this score. Chosen with the constants below by a grid search on the variant
#: benchmark's sets drawn with seed 1 (the README reports seed 0): the best mean top-1 accuracy whose false-
#: positive rate on non-place strings stays at or under 0.05.
DEFAULT_MIN_SCORE = 0.88

# Same-script edit similarity is 1 - d / (L + _LENGTH_SLACK) for d edits (optimal string alignment, so a
# transposition is one edit) between keys of which the longer has L letters: one edit in a 7-letter name
# scores 0.89, two edits in a 7-letter name 0.78.
_LENGTH_SLACK = 2.0
# Weight of the phonetic key (consonant classes plus a/i/u) in the same-script score; it can only raise it.
_PHONETIC_WEIGHT = 0.5
# Cross-script similarity is the phonetic similarity times this, by whether the entry has a name in the
# query's script at all (if it has, and none of them matched, a cross-script reading is weaker evidence).
_CROSS_SCRIPT_ONLY = 1.0
_CROSS_SCRIPT_OTHER = 0.93
_MIN_FUZZY_LENGTH = 4  # folded keys shorter than this must match exactly (or phonetically, cross-script)
_MIN_PHONETIC_LENGTH = 3

# Rule codes, explained in ``explain``.
NO_MATCH, FOLDED, FUZZY, PHONETIC, CROSS_SCRIPT = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class Query:
    """A query after normalisation."""

    text: str
    compact: str
    skeleton: str
    phonetic: str
    script: int
    hint: str


def score_block(query: Query, compacts: Sequence[str], phonetics: Sequence[str], same_script: npt.NDArray[np.bool_],
                entry_has_script: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    """Similarity in [0, 1] and rule code of each candidate name against the query, in one vectorised pass."""
    n = len(compacts)
    sim = np.zeros(n)
    rule = np.full(n, NO_MATCH, dtype=np.int8)
    if not n:
        return sim, rule
    q = query.compact
    lengths = np.fromiter((len(c) for c in compacts), dtype=np.float64, count=n)
    if len(q) >= _MIN_FUZZY_LENGTH and same_script.any():
        dist = process.cdist([q], compacts, scorer=OSA.distance, dtype=np.int32, workers=1)[0]
        edit = 1.0 - dist / (np.maximum(lengths, len(q)) + _LENGTH_SLACK)
        edit[~same_script | (lengths < _MIN_FUZZY_LENGTH)] = 0.0
        sim = np.clip(edit, 0.0, 1.0)
        rule[sim > 0] = FUZZY
    qp = query.phonetic
    if len(qp) >= _MIN_PHONETIC_LENGTH:
        phon = process.cdist([qp], phonetics, scorer=Indel.normalized_similarity, dtype=np.float64,
                             workers=1)[0]
        phon_len = np.fromiter((len(p) for p in phonetics), dtype=np.float64, count=n)
        phon[phon_len < _MIN_PHONETIC_LENGTH] = 0.0
        blended = np.where(same_script, _PHONETIC_WEIGHT * phon + (1 - _PHONETIC_WEIGHT) * sim, 0.0)
        better = blended > sim
        sim = np.where(better, blended, sim)
        rule[better] = PHONETIC
        cross = np.where(same_script, 0.0,
                         phon * np.where(entry_has_script, _CROSS_SCRIPT_OTHER, _CROSS_SCRIPT_ONLY))
        better = cross > sim
        sim = np.where(better, cross, sim)
        rule[better] = CROSS_SCRIPT
    exact = np.fromiter((c == q for c in compacts), dtype=bool, count=n)
    sim[exact] = 1.0
    rule[exact] = FOLDED
    # Only an identical folded key scores 1.0.
    sim[~exact] = np.minimum(sim[~exact], 0.9999)
    return sim, rule


def explain(rule: int, query: Query, compact: str, phonetic_key: str) -> str:
    """The ``why`` of a match, in words."""
    if rule == FOLDED:
        return "folded"
    if rule == FUZZY:
        return f"fuzzy: {int(OSA.distance(query.compact, compact))} edit(s)"
    if rule == PHONETIC:
        return f"fuzzy: phonetic {Indel.normalized_similarity(query.phonetic, phonetic_key):.2f}"
    if rule == CROSS_SCRIPT:
        return f"cross-script: phonetic {Indel.normalized_similarity(query.phonetic, phonetic_key):.2f}"
    return "no match"


def prior(kind: str, population: int, hint: str) -> float:
    """A tie-breaking prior in [0, 1] for an entry of this feature code and population: designator agreement
    with the query, then admin level, then population."""
    p = min(1.0, math.log10(population + 1) / 7.0) * 0.3
    if kind == "ADM1":
        p += 0.25
    elif kind == "ADM2":
        p += 0.15
    elif kind.startswith("PPLC") or kind.startswith("PPLA"):
        p += 0.1
    elif kind.startswith("PPL"):
        p += 0.05  # over a sub-district (ADM3) of the same name and size: a bare name is usually the town
    if hint:
        if kind == hint or (hint == "PPL" and kind.startswith("PPL")):
            p += 0.45
        elif kind.startswith("PPL") and hint in ("ADM2", "ADM3"):
            # "Kifri District" with no ADM2 entry for Kifri: the district seat is the next best reading.
            p += 0.2
    return min(p, 1.0)


def prior_block(kinds: Sequence[str], kind_ids: npt.NDArray[np.int32], populations: npt.NDArray[np.int64],
                hint: str) -> npt.NDArray[np.float64]:
    """:func:`prior` for many entries at once (``kinds`` is the vocabulary that ``kind_ids`` index)."""
    per_kind = np.asarray([prior(k, 0, hint) for k in kinds], dtype=np.float64)
    pop = np.minimum(1.0, np.log10(populations.astype(np.float64) + 1.0) / 7.0) * 0.3
    return np.minimum(per_kind[kind_ids] + pop, 1.0)
