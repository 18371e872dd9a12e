"""Candidate names for a query, from the name index built once: never a scan of all names.

Per query key: the names with the same folded key (binary search over sorted key codes) and the same
consonant skeleton (up to :data:`_SKELETON_POOL`); when no name has the same folded key, also the names
sharing the most rarest trigrams with the key and, for keys long enough, with its skeleton (which is how an
Arabic-script query meets a place whose names are only Latin). The pool depends on the query alone — not on
how many results the caller wants, nor on a threshold — so ``resolve``, ``candidates`` and the linker rank
the same candidates.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from normalize._matching._features import Candidates
from normalize._matching._index import NameIndex
from normalize._matching._query import Query

__all__ = ["generate"]

# A skeleton shared by more names than this is too common to take all of them (the trigram pools still
# reach the ones closest in spelling).
_SKELETON_POOL = 80
# Skeleton trigrams say little about keys shorter than this (two or three consonants match half the index).
_MIN_SKELETON_FUZZY = 4


def generate(index: NameIndex, query: Query) -> Candidates:
    """The candidate name ids of each query key (see the module docs)."""
    per_key: list[npt.NDArray[np.int64]] = []
    for qk in query.keys:
        exact = index.exact(qk.compact)
        pool = [*exact, *index.same_skeleton(qk.skeleton, limit=_SKELETON_POOL)]
        if not exact:
            pool.extend(index.fuzzy(qk.compact))
            if len(qk.skeleton) >= _MIN_SKELETON_FUZZY:
                pool.extend(index.fuzzy(qk.skeleton, skeleton_key=True))
        per_key.append(np.fromiter(dict.fromkeys(pool), dtype=np.int64))
    return Candidates(tuple(per_key))
