"""Actor mentions in running text: ISIS, Daesh, داعش, للبيشمركة, بە داعش, the PMF, قسد ...

The same span machinery as places (:mod:`._spans`: an automaton over the actor gazetteer's folded names,
Arabic clitics and Sorani suffixes, Kurmanji endings and the older Sorani orthography read away, longest match
first), with the rules that suit names of organisations: a Latin name starts with a capital and a short one
(three letters or fewer: IS, PMF, KDP) is written in capitals; an Arabic-script name after a title or given name
is a person's ("عمر البشمركة" is not the Peshmerga); and each span is resolved by the one ranking
(:mod:`normalize._matching._rank`) among the actors its spelling names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from normalize._link import _arabic
from normalize._link._automaton import AUTOMATON_KEY, Patterns, build_patterns
from normalize._link._mention import Mention
from normalize._link._spans import Span, automaton_spans, readings, rebase, select_longest
from normalize._matching._folding import fold_text
from normalize._matching._match import Match

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["ActorLinker"]

# A name this short is an abbreviation, written in capitals when it means the actor ("IS", "PMF", "KDP").
_ABBREVIATION = 3


class ActorLinker:
    """Finds actor mentions with the bundled actor gazetteer (or ``gazetteer``)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        if gazetteer is None:
            from normalize._api import actors

            gazetteer = actors()
        self.gazetteer = gazetteer
        self._filter = gazetteer._filter(None, None, None)
        # The decision is the resolver's: the threshold chosen with the actor calibration (scripts/train_actors.py).
        ranker = gazetteer._ranker
        from normalize._matching._decision import DEFAULT_MIN_SCORE

        self.min_score = float(ranker.meta["threshold"]) if ranker is not None else DEFAULT_MIN_SCORE

    @property
    def patterns(self) -> Patterns:
        return self.gazetteer.derived(AUTOMATON_KEY, build_patterns)

    def link(self, text: str, lang: str) -> list[Mention]:
        """Actor mentions of ``text`` (``lang`` already detected: ``ar``, ``ckb``, ``fa``, ``kmr``, ``en``)."""
        ft = fold_text(text)
        sorani = _arabic.kurdish_clitics(lang)
        spans = automaton_spans(ft, self.patterns, sorani=sorani)
        for reading, kept in readings(ft, lang):
            spans.extend(rebase(automaton_spans(reading, self.patterns, sorani=sorani), kept))
        out = []
        for span in select_longest(spans):
            if not self._plausible(span, ft.original, ft):
                continue
            mention = self._resolve(span, text)
            if mention is not None:
                out.append(mention)
        return out

    def _plausible(self, span: Span, text: str, ft: object) -> bool:
        surface = text[span.start:span.end]
        if not span.arabic:
            letters = [c for c in surface if c.isalpha()]
            return len(letters) > _ABBREVIATION or surface.isupper()
        from normalize._link._context import _arabic_prev_word  # the same word-before rule as for places

        return _arabic_prev_word(ft, span.fstart) not in _arabic.PERSON  # type: ignore[arg-type]

    def _resolve(self, span: Span, text: str) -> Mention | None:
        surface = text[span.start:span.end]
        ranked = self.gazetteer._rank(surface, self._filter)
        allowed = set(span.positions.values())
        for i in range(len(ranked)):
            position = int(ranked.entries[i])
            if position in allowed:
                p = float(ranked.probabilities[i])
                if p < self.min_score:
                    return None
                entry = self.gazetteer._store[position]
                name = next((n for e, n, _h in span.targets if e.id == entry.id), entry.name)
                match = Match(entry.id, entry.name, round(p, 4), name, entry,
                              "exact" if name == surface else "folded")
                return Mention(span.start, span.end, surface, match, f"actor's spelling {name!r}", "actor")
        return None
