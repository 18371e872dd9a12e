"""The query pipeline over one name index: parse the query, generate candidates, compute their features, rank.

text -> :func:`._query.parse_query` -> :func:`._candidates.generate` -> :func:`._features.build_block`
-> :func:`._rank.rank` (model + level rule) -> the caller decides with the threshold (:mod:`._decision`).
"""

from __future__ import annotations

from normalize._matching._candidates import generate
from normalize._matching._features import Block, build_block
from normalize._matching._filters import Filter
from normalize._matching._index import NameIndex
from normalize._matching._model import Ranker, bundled_ranker
from normalize._matching._outside import OutsideHit, OutsideIndex, bundled_outside
from normalize._matching._query import Query, parse_query
from normalize._matching._rank import Ranked, empty, rank
from normalize._matching._words import CommonWords, bundled_words

__all__ = ["Resolver"]

_DEFAULT = object()


class Resolver:
    """Ranks queries against ``index``. ``outside``: the index of places outside the gazetteer (the bundled one
    by default; ``None`` for none); ``ranker``: the model (the bundled one by default); ``words``: the common-word
    list (the bundled one by default; ``None`` for none)."""

    def __init__(self, index: NameIndex, *, outside: OutsideIndex | object | None = _DEFAULT,
                 ranker: Ranker | None = None, words: CommonWords | object | None = _DEFAULT) -> None:
        self.index = index
        self.outside: OutsideIndex | None = bundled_outside() if outside is _DEFAULT else outside  # type: ignore[assignment]
        self.words: CommonWords | None = bundled_words() if words is _DEFAULT else words  # type: ignore[assignment]
        self._ranker = ranker

    @property
    def ranker(self) -> Ranker:
        if self._ranker is None:
            self._ranker = bundled_ranker()
        return self._ranker

    def outside_hit(self, query: Query) -> OutsideHit | None:
        if self.outside is None:
            return None
        key = query.key
        return self.outside.lookup(key.compact, key.phonetic, self.index.covered)

    def block(self, query: Query, filt: Filter) -> tuple[Block, OutsideHit | None]:
        """The candidate block of ``query`` and the outside place it names, if any (training uses this too)."""
        hit = self.outside_hit(query)
        return build_block(query, generate(self.index, query), self.index, filt.mask, hit), hit  # type: ignore[arg-type]

    def rank(self, text: str, filt: Filter) -> Ranked:
        """Every candidate of ``text`` in rank order, with calibrated probabilities."""
        query = parse_query(text)
        if query is None:
            return empty(None)
        block, hit = self.block(query, filt)
        return rank(query, block, self.ranker, self.index, hit, self.words)
