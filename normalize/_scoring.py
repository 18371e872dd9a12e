"""Scoring of candidate names against a query, priors, and the default decision threshold.

The score of a candidate is a name similarity in [0, 1]; priors (population, admin level, a designator in the
query) only break ties between candidates of near-equal similarity and never lift a weak match over the
threshold. The constants below were chosen on ``benchmarks/bench_variants.py`` (see the README).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

#: ``resolve`` returns ``None`` below this score. Chosen on the variant benchmark: it keeps false positives
#: on non-place strings under 5% while accepting one- and two-edit spellings of names of 6+ letters.
DEFAULT_MIN_SCORE = 0.86

# Similarity given to a candidate whose consonant skeleton equals the query's, by case.
_SKELETON_SAME_SCRIPT_BASE = 0.78  # + 0.16 * edit similarity, so Kirkouk~Kirkuk 0.92, Ahmed~Hamad 0.84
_SKELETON_SAME_SCRIPT_SLOPE = 0.16
_CROSS_SCRIPT_ONLY = 0.90  # the entry has no name in the query's script at all
_CROSS_SCRIPT_OTHER = 0.86  # the entry has names in the query's script, but none of them matched
_SHORT_SKELETON_PENALTY = 0.04  # skeletons of three consonants collide often
_MIN_FUZZY_LENGTH = 4  # folded keys shorter than this must match exactly


@dataclass(frozen=True, slots=True)
class Query:
    """A query after normalisation."""

    text: str
    compact: str
    skeleton: str
    script: int
    hint: str


def similarity(query: Query, compact: str, skel: str, same_script: bool, entry_has_script: bool
               ) -> tuple[float, str]:
    """``(similarity, why)`` of one candidate name against the query."""
    if compact == query.compact:
        return 1.0, "folded"
    best, why = 0.0, ""
    long_enough = len(query.compact) >= _MIN_FUZZY_LENGTH and len(compact) >= _MIN_FUZZY_LENGTH
    if same_script and long_enough:
        lev = Levenshtein.normalized_similarity(query.compact, compact)
        best, why = lev, f"fuzzy: edit similarity {lev:.2f}"
    qs = query.skeleton
    if qs and skel and len(qs) >= 3:
        short = _SHORT_SKELETON_PENALTY if len(qs) == 3 else 0.0
        if skel == qs:
            if same_script:
                s = _SKELETON_SAME_SCRIPT_BASE + _SKELETON_SAME_SCRIPT_SLOPE * best - short
                rule = "skeleton"
            else:
                s = (_CROSS_SCRIPT_OTHER if entry_has_script else _CROSS_SCRIPT_ONLY) - short
                rule = "cross-script skeleton"
        elif not same_script and len(qs) >= 4:
            s = (_CROSS_SCRIPT_OTHER if entry_has_script else _CROSS_SCRIPT_ONLY) * Indel.normalized_similarity(
                qs, skel) - short
            rule = f"cross-script fuzzy skeleton {Indel.normalized_similarity(qs, skel):.2f}"
        else:
            s, rule = 0.0, ""
        if s > best:
            best, why = s, rule
    return best, why


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
    if hint:
        if kind == hint or (hint == "PPL" and kind.startswith("PPL")):
            p += 0.45
        elif kind.startswith("PPL") and hint in ("ADM2", "ADM3"):
            # "Kifri District" with no ADM2 entry for Kifri: the district seat is the next best reading.
            p += 0.2
    return min(p, 1.0)
