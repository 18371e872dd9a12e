"""The decision: a match, or honestly none.

``Match.score`` is the calibrated probability that the query names the entry (:mod:`._model`). ``resolve``
answers the best candidate when that probability reaches the threshold, else ``None``. The default threshold
was chosen by ``scripts/train_ranker.py`` on data held out from training (never the evaluation entities):
the lowest probability at which at most 3% of non-place strings and at most 3% of names of places outside
the gazetteer's countries are accepted, under the ranking's rules (see ``docs/ranker.md`` for the sweep).
"""

from __future__ import annotations

from rapidfuzz.distance import OSA, Indel

from normalize._matching._features import CROSS_SCRIPT, FOLDED, FUZZY, PHONETIC
from normalize._matching._rank import Ranked

__all__ = ["DEFAULT_MIN_SCORE", "explain"]

#: ``resolve`` returns ``None`` below this calibrated probability (see the module docs for how it was chosen).
DEFAULT_MIN_SCORE = 0.46


def explain(ranked: Ranked, i: int, compact: str, phonetic_key: str) -> str:
    """The ``why`` of candidate ``i``: how its name matched, then what else decided."""
    query = ranked.query
    assert query is not None
    qk = query.keys[int(ranked.variants[i])]
    rule = int(ranked.rules[i])
    if rule == FOLDED:
        head = "folded"
    elif rule == FUZZY:
        head = f"fuzzy: {int(OSA.distance(qk.compact, compact))} edit(s)"
    elif rule == PHONETIC:
        head = f"fuzzy: phonetic {Indel.normalized_similarity(qk.phonetic, phonetic_key):.2f}"
    elif rule == CROSS_SCRIPT:
        head = f"cross-script: phonetic {Indel.normalized_similarity(qk.phonetic, phonetic_key):.2f}"
    else:
        head = "no match"
    notes = []
    if ranked.variants[i]:
        notes.append(f"read as {qk.folded!r}")
    if ranked.level_rule[i]:
        notes.append("level rule: " + ("the level the designator names" if query.hint not in ("", "PPL")
                                       else "a bare name names the town, not the division"))
    if ranked.common_words and rule != FOLDED:
        notes.append(f"{query.key.folded!r} is a common word, so only an exact name counts")
    if ranked.outside is not None:
        place = ranked.outside.place
        notes.append(f"also the name of {place.name} ({place.country}, geonames:{place.geonameid}), a place "
                     f"outside this gazetteer")
    return "; ".join([head, *notes])
