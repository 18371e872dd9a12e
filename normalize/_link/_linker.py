"""The linker: finds every place mentioned in a text and resolves the mentions together."""

from __future__ import annotations

import bisect
import operator
import re
import threading
from collections.abc import Collection
from typing import TYPE_CHECKING

from normalize._errors import InvalidOptionError
from normalize._link import _arabic, _context, _landmarks, _latin
from normalize._link._automaton import AUTOMATON_KEY, Patterns, build_patterns
from normalize._link._mention import Mention
from normalize._link._spans import (
    LIST_GAP,
    Span,
    automaton_spans,
    designate,
    drop_designator_words,
    feature_word,
    plural_designators,
    readings,
    rebase,
    select_longest,
    trim_kurmanji_ending,
)
from normalize._matching._folding import FoldedText, analyse, fold, fold_text
from normalize._matching._match import Match
from normalize._options import LANG_CHOICES, check_choice, check_countries, check_score

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["Linker"]
# Each per-linker memo (near-miss surfaces, seats, completed spans, scores) holds at most this many keys and is
# emptied when full: a linker kept for a whole pipeline stays within a few MB.
_FUZZY_CACHE_SIZE = 4096
_START_END = operator.attrgetter("start", "end")  # text order (a C key: documents have thousands of mentions)
# A designator for each level, to rank a name whose level the context gave.
_LATIN_LEVEL_WORD = {"ADM1": "Governorate", "ADM2": "District", "ADM3": "Subdistrict", "PPL": "city", "ADMD": "Region"}
_ARABIC_LEVEL_WORD = {"ADM1": "محافظة", "ADM2": "قضاء", "ADM3": "ناحية", "PPL": "مدينة", "ADMD": "إقليم"}
_SEAT_POPULATION = 20_000
_SEAT_SCORE = 0.9  # or a near-identical spelling (Hawija ~ Al Hawijah)
# Candidates of every kind looked at for a seat: the governorate, district and sub-district of the name come
# first, so the towns are within the next few.
_SEAT_CANDIDATES = 6
# At most this many Latin names of a town are tried to find its namesake division (they are sorted, so the
# same ones every time; towns with dozens of GeoNames spellings would cost a lookup each).
_DIVISION_LATIN_NAMES = 8
_DIVISION_MIN_SCORE = 0.84  # cross-script matches of short names score 0.86 - 0.04; the region check guards it
# A capitalised word sequence: up to four words, allowing romanised articles (Salah ad Din, Ras al-Ain).
_CAPITALISED = re.compile(
    r"(?<![\w'’])[A-Z][^\W\d_]*(?:['’-][A-Za-z]+)*"
    r"(?:[ -](?:(?:al|el|ad|as|ash|ar|an|at|az|ed|es|of)[ -])?[A-Z][^\W\d_]*(?:['’-][A-Za-z]+)*){0,3}")


class Linker:
    """Links place mentions in texts against one gazetteer; keep one to link many texts (thread-safe).

    ``country``: ISO alpha-2 code(s) the places must be in. ``min_score``: the similarity a fuzzy (near-miss)
    spelling must reach; exact gazetteer spellings always pass.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, country: str | Collection[str] | None = None,
                 min_score: float | None = None, actors: bool = False) -> None:
        if gazetteer is None:
            from normalize._gazetteer._default import default_gazetteer

            gazetteer = default_gazetteer()
        self.gazetteer = gazetteer
        self._countries = check_countries("country", country, present=gazetteer.countries)
        self.country = country
        threshold = check_score("min_score", min_score)
        if threshold is None:
            from normalize._matching._decision import DEFAULT_MIN_SCORE

            threshold = DEFAULT_MIN_SCORE
        #: The probability a near-miss spelling (a capitalised span the automaton did not find) must reach.
        self.min_score = threshold
        self._lock = threading.Lock()
        self._fuzzy: dict[str, Match | None] = {}
        self._seats: dict[str, tuple[tuple[tuple[Entry, str, str], ...], dict[str, float]]] = {}
        self._completed: dict[tuple[str, str, bool, int], tuple[tuple[tuple[Entry, str, str], ...],
                                                                 tuple[str, ...], dict[str, float]]] = {}
        self._scores: dict[tuple[str, str], dict[int, float]] = {}
        self._last: dict[str, frozenset[str]] = {}
        self._filter = self.gazetteer._filter(country, None, None)
        if not isinstance(actors, bool):
            raise InvalidOptionError("actors", actors, "True or False")
        self._actors = None
        if actors:
            from normalize._link._actors import ActorLinker

            self._actors = ActorLinker()

    @property
    def patterns(self) -> Patterns:
        """The gazetteer's automaton (built once per gazetteer)."""
        return self.gazetteer.derived(AUTOMATON_KEY, build_patterns)

    def link(self, text: str, *, lang: str = "auto") -> list[Mention]:
        """The place mentions of ``text``, in text order (see :func:`normalize.link`)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        check_choice("lang", lang, LANG_CHOICES)
        if not text.strip():
            return []
        if lang == "auto":
            from normalize._matching._language import detect_language

            lang = detect_language(text)
        ft = fold_text(text)
        sorani = _arabic.kurdish_clitics(lang)
        spans = automaton_spans(ft, self.patterns, sorani=sorani)
        for reading, kept in readings(ft, lang):
            spans.extend(rebase(automaton_spans(reading, self.patterns, sorani=sorani), kept))
        if self._countries is not None:
            for span in spans:
                span.targets = tuple(t for t in span.targets if t[0].country in self._countries)
            spans = [s for s in spans if s.targets]
        spans = drop_designator_words(select_longest(spans), text)
        for i, span in enumerate(spans):
            left = spans[i - 1].end if i else 0
            right = spans[i + 1].start if i + 1 < len(spans) else len(text)
            designate(span, ft, left_limit=left, right_limit=right)
        plural_designators(spans, ft)
        spans = [s for s in spans if _landmark_targets(s, ft)]
        accepted = self._settle_ambiguity(spans, ft)
        for span in accepted:
            if not span.hint:  # a designator inside the matched spelling ("Kirkuk Province", "محافظة ديالى")
                span.hint = analyse(text[span.start:span.end])[1]
            self._complete(span, text)
            self._score(span, text)
        if lang == "kmr":
            for span in accepted:
                if not span.arabic:
                    trim_kurmanji_ending(span, text, self._last_words)
        mentions = self._resolve(accepted, text)
        mentions.extend(self._fuzzy_spans(ft, accepted))
        if self._actors is not None:
            mentions = _with_actors(mentions, self._actors.link(text, lang))
        mentions.sort(key=_START_END)
        return mentions

    def _settle_ambiguity(self, spans: list[Span], ft: FoldedText) -> list[Span]:
        covered = _context.Cover(spans)
        kept: list[Span] = []
        for span in spans:
            if span.arabic:
                ok, why = True, ""  # Arabic spans are judged below, against the other places
            else:
                ok, why = _context.latin_allowed(span, ft, covered)
            if ok:
                if why:
                    span.notes.append(why)
                kept.append(span)
        # Arabic: first the spans that need no support, then the ordinary words against them.
        plain = [s for s in kept if not s.arabic or _context.arabic_allowed(s, ft, 0, {})[0]]
        regions = _context.strong_regions(plain)
        lands = _context.anchor_countries(plain)
        # The districts the text names with a designator ("لە قەزای چەمچەماڵ"), the division added by kind
        # where the district has no spelling in the text's script: a minor place of such a district is placed.
        for span in plain:
            if span.arabic and span.hint == "ADM2":
                self._complete(span, ft.original)
        # (A district spelled with its designator, "قەزای چەمچەماڵ" as a gazetteer spelling, names it as well.)
        districts = {e.admin2.code for s in plain
                     if s.arabic and (s.hint or analyse(ft.original[s.start:s.end])[1]) == "ADM2"
                     for e, _n, _h in s.targets if e.kind == "ADM2" and e.admin2 is not None}
        in_plain = {id(s) for s in plain}
        strong = sum(not _context.is_ordinary(s) for s in plain)
        decided: list[tuple[Span, bool, str]] = []
        for span in kept:
            if span.arabic:
                own = 0 if _context.is_ordinary(span) else 1
                ok, why = _context.arabic_allowed(span, ft, strong - own, regions, lands, counted=id(span) in in_plain,
                                                  districts=districts)
                decided.append((span, ok, why))
            else:
                decided.append((span, True, ""))
        # A name in one list with an accepted place ("القائم والرطبة", "هيت وحديثة") is a place too, unless it is
        # a stop word or part of a person's or organisation's name.
        changed = True
        while changed:
            changed = False
            for i, (span, ok, why) in enumerate(decided):
                if ok or not why.startswith(("a minor place", "ordinary word without")):
                    continue
                neighbours = [decided[j] for j in (i - 1, i + 1) if 0 <= j < len(decided)]
                if any(n_ok and _in_one_list(ft.original, span, other) for other, n_ok, _w in neighbours):
                    decided[i] = (span, True, "in a list with another place")
                    changed = True
        final: list[Span] = []
        for span, ok, why in decided:
            if ok:
                if why:
                    span.notes.append(why)
                final.append(span)
        return final

    def _complete(self, span: Span, text: str) -> None:
        """Add the division a designator asks for, or the town a bare division name stands for; the result
        depends only on the key, the hint and the original targets, so it is cached on the linker."""
        ck = (span.key, span.hint, span.arabic, len(span.targets))
        with self._lock:
            cached = self._completed.get(ck)
        if cached is None:
            original = span.targets
            if span.hint and span.hint.startswith("ADM"):
                self._add_division(span, text)
            elif not span.hint and _lacks_town(span):
                self._add_seat(span)
            note = tuple(n for n in span.notes if n.endswith(("designator", "added")))
            cached = (span.targets, note, dict(span.scores)) if span.targets is not original else (original, (), {})
            with self._lock:
                if len(self._completed) >= _FUZZY_CACHE_SIZE:
                    self._completed.clear()
                self._completed[ck] = cached
            return
        if cached[0] is not span.targets and len(cached[0]) > len(span.targets):
            span.targets = cached[0]
            span.notes.extend(cached[1])
            span.scores.update(cached[2])

    def _score(self, span: Span, text: str) -> None:
        """The one ranking's probability of each of the span's targets, for its words as written (designator
        included): cached per folded surface and level on the linker."""
        surface = text[span.start:span.end]
        if span.hint and analyse(surface)[1] != span.hint:
            # The level came from the context ("the Kirkuk Provincial Council", "the districts of X and Y"):
            # rank the name as written with the designator that level has.
            word = (_ARABIC_LEVEL_WORD if span.arabic else _LATIN_LEVEL_WORD).get(span.hint)
            if word:
                surface = f"{word} {surface}" if span.arabic else f"{surface} {word}"
        ck = analyse(surface)
        with self._lock:
            probs = self._scores.get(ck)
        if probs is None:
            ranked = self.gazetteer._rank(surface, self._filter)
            probs = dict(zip(ranked.entries.tolist(), ranked.probabilities.tolist(), strict=True))
            with self._lock:
                if len(self._scores) >= _FUZZY_CACHE_SIZE:
                    self._scores.clear()
                self._scores[ck] = probs
        for entry, _n, _h in span.targets:
            pos = span.positions.get(entry.id)
            if pos is None:
                # Added for a designator or as a seat (not one of the key's own targets): the ranking of the words
                # as written, where it reaches the entry, beats the score of the lookup that added it.
                at = self.gazetteer._store.position(entry.id)
                found = probs.get(at) if at is not None else None
                if found is not None:
                    span.scores[entry.id] = found
            elif entry.id not in span.scores:
                span.scores[entry.id] = probs.get(pos, 0.0)

    def _add_division(self, span: Span, text: str) -> None:
        """A designator asks for a division ("قضاء كفري" is the district, not the town) that the name's own
        spelling may not reach (the division has only Latin names): look it up by kind, and keep it only if
        it lies in the same governorate as one of the span's own candidates."""
        if any(e.kind == span.hint for e, _n, _h in span.targets):
            return
        name = span.targets[0][1] if span.targets else text[span.start:span.end]
        regions = {_context.admin1_of(e) for e, _n, _h in span.targets}
        # The name as written with its designator ranks the division best ("قضاء تلعفر": the district has only
        # Latin names); then the town's Latin names, which a division named after it shares (Koya, Koisnjaq).
        queries = [text[span.start:span.end], name]
        queries += sorted({n.text for e, _n, _h in span.targets if e.kind.startswith("PPL") for n in e.names
                           if n.text.isascii() and n.text[:1].isupper()})[:_DIVISION_LATIN_NAMES]
        found: list[Match] = []
        for query in queries:
            found += [m for m in self.gazetteer.candidates(query, kind=span.hint, limit=3, country=self.country,
                                                            min_score=_DIVISION_MIN_SCORE)
                      if all(m.id != f.id for f in found)]
        extra = tuple((m.entry, m.matched, span.hint) for m in found if _context.admin1_of(m.entry) in regions)
        for m in found:
            span.scores.setdefault(m.entry.id, m.score)
        if extra:
            span.targets = span.targets + extra
            span.notes.append(f"{span.hint} found by kind for the designator")

    def _add_seat(self, span: Span) -> None:
        """A bare name that reached only divisions ("دهوك", "بەغدا": the city lacks that spelling) also stands
        for the division's seat: a town of the same name, found by the resolver (cross-script), in the same
        governorate and of some size or an admin seat."""
        # The spelling without a designator it may begin with ("قەزای بیارە", "شهرستان سیروان"): the town is
        # looked up by its name, and a district designator would rank every town of that name low.
        name = _context._without_designator(span.targets[0][1])
        with self._lock:
            cached = self._seats.get(name)
        if cached is None:
            regions = {_context.admin1_of(e) for e, _n, _h in span.targets}
            # Ranked among every kind, then the towns kept: the one ranking's level rule gives a bare name's
            # probability to the town a division is named after even where the town lacks that spelling
            # (قەرەتەپە is the nahiya's Sorani name, not the town's), which a ranking of towns alone cannot.
            found = [m for m in self.gazetteer.candidates(name, limit=_SEAT_CANDIDATES, country=self.country,
                                                          min_score=_DIVISION_MIN_SCORE)
                     if m.entry.kind.startswith("PPL")][:3]
            seats = [m for m in found if _context.admin1_of(m.entry) in regions and (
                m.entry.kind.startswith(("PPLA", "PPLC")) or m.entry.population >= _SEAT_POPULATION
                or m.score >= _SEAT_SCORE)]
            cached = (tuple((m.entry, m.matched, "") for m in seats), {m.entry.id: m.score for m in seats})
            with self._lock:
                if len(self._seats) >= _FUZZY_CACHE_SIZE:
                    self._seats.clear()
                self._seats[name] = cached
        if cached[0]:
            span.targets = span.targets + cached[0]
            for ident, score in cached[1].items():
                span.scores.setdefault(ident, score)
            span.notes.append("town of the division's name added")

    def _resolve(self, spans: list[Span], text: str) -> list[Mention]:
        out = []
        # Per call: spans of the same key share their targets tuple, and a Match is immutable, so both the
        # candidate count and the Match of an (entry, spelling, exactness) are computed once.
        counts: dict[int, int] = {}
        matches: dict[tuple[str, str, bool], Match] = {}
        for span, (entry, name, score) in zip(spans, _context.choose(spans), strict=False):
            n_ids = counts.get(id(span.targets))
            if n_ids is None:
                n_ids = counts[id(span.targets)] = len({e.id for e, _n, _h in span.targets})
            head = f"gazetteer spelling {name!r}"
            if n_ids > 1:
                parts = [head, *span.notes,
                         f"{n_ids} candidates, chosen by the ranking and document context ({score:.2f})"]
                why = "; ".join(parts)
            elif span.notes:
                why = "; ".join([head, *span.notes])
            else:
                why = head
            surface = text[span.start:span.end]
            exact = name == surface
            mk = (entry.id, name, exact)
            match = matches.get(mk)
            if match is None:
                match = matches[mk] = Match(entry.id, entry.name, round(span.scores.get(entry.id, 0.0), 4), name,
                                            entry, "exact" if exact else "folded")
            out.append(Mention(span.start, span.end, surface, match, why))
        return out

    def _fuzzy_spans(self, ft: FoldedText, taken: list[Span]) -> list[Mention]:
        """Capitalised sequences the automaton did not cover, after a locative cue or before a designator."""
        text = ft.original
        if not any("A" <= ch <= "Z" for ch in text[:1]) and _CAPITALISED.search(text) is None:
            return []
        starts = [s.start for s in taken]
        out = []
        for m in _CAPITALISED.finditer(text):
            start, end = m.start(), m.end()
            surface = m.group(0)
            if surface.endswith(("'s", "’s")):
                surface, end = surface[:-2], end - 2
            i = bisect.bisect_right(starts, end) - 1
            if i >= 0 and taken[i].end > start:
                continue
            words = surface.replace("-", " ").split()
            if words[0].lower() in _landmarks.LATIN_HEADS:
                continue  # a feature's name ("Deriyê Îbrahîm Xelîl", "Lake Dukan"), not a place
            last = words[-1].lower()
            designated = _latin.is_designator(last) and len(words) > 1
            feature = last in _landmarks.AFTER and len(words) > 1
            if not designated:
                follower = _context._next_word(text, end).lower()
                spaced = _context._gap_is_space(text, end)
                if spaced and not feature and _names_a_feature(text, end, follower):
                    # "the Qushtapa camp", "the Akre dam": the town's name inside a feature's name is not the
                    # town, as for the automaton's spans (_landmark_targets); no feature entry is reached here.
                    continue
                if spaced and _latin.is_designator(follower):
                    designated = True
                    end = end + 1 + len(follower)
                    surface = text[start:end]
            prev_word, _ = _context._previous_word(text, start)
            cue = prev_word.lower() in _latin.LOCATIVE or (prev_word.lower() == "the" and _cue_before_the(text, start))
            if not (designated or feature or cue):
                continue
            name_words = words[:-1] if (designated or feature) and len(words) > 1 else words
            folded_name = " ".join(w.lower() for w in name_words)
            if folded_name in _latin.ORDINARY or len("".join(name_words)) < 4:
                continue
            if not designated and not feature and _latin.is_sentence_initial(text, start):
                continue
            match = self._fuzzy_match(surface)
            if match is None and not (designated or feature):
                continue
            why = "capitalised span" + (", designator" if designated else "") + (", after a locative cue" if cue
                                                                                  else "")
            why += f"; {match.why} to {match.matched!r}" if match else "; resolved to nothing"
            out.append(Mention(start, end, text[start:end], match, why))
        return out

    def _last_words(self, entry: Entry) -> frozenset[str]:
        """The folded last word of each of ``entry``'s names, folded once per entry (memo bounded like the others)."""
        with self._lock:
            found = self._last.get(entry.id)
        if found is None:
            found = frozenset(words[-1] for n in entry.names if (words := fold(n.text).split()))
            with self._lock:
                if len(self._last) >= _FUZZY_CACHE_SIZE:
                    self._last.clear()
                self._last[entry.id] = found
        return found

    def _fuzzy_match(self, surface: str) -> Match | None:
        with self._lock:
            if surface in self._fuzzy:
                return self._fuzzy[surface]
        found = self.gazetteer.candidates(surface, limit=1, country=self.country, min_score=self.min_score)
        match = found[0] if found else None
        with self._lock:
            if len(self._fuzzy) >= _FUZZY_CACHE_SIZE:
                self._fuzzy.clear()
            self._fuzzy[surface] = match
        return match


def _with_actors(places: list[Mention], actors: list[Mention]) -> list[Mention]:
    """Places and actors together; where they overlap the longer span wins ("Kurdistan Democratic Party" is an
    actor, not Kurdistan), a place on a tie (a place's name is a place first)."""
    # Places do not overlap one another, nor actors one another: in start order a binary search finds the
    # places an actor overlaps (a scan over all places per actor was quadratic on long documents).
    places = sorted(places, key=lambda m: (m.start, m.end))
    starts = [p.start for p in places]
    removed: set[int] = set()
    kept_actors = []
    for actor in actors:
        hi = bisect.bisect_left(starts, actor.end)
        lo = hi
        while lo > 0 and places[lo - 1].end > actor.start:
            lo -= 1
        clash = [i for i in range(lo, hi) if i not in removed]
        if all(actor.end - actor.start > places[i].end - places[i].start for i in clash):
            removed.update(clash)
            kept_actors.append(actor)
    return [p for i, p in enumerate(places) if i not in removed] + kept_actors


def _in_one_list(text: str, a: Span, b: Span) -> bool:
    """Whether two spans are neighbours in one list: a comma or "and" between them, nothing else but spaces
    (two names side by side with only a space are one phrase, "محكمة جنايات صلاح الدين حكماً", not a list)."""
    first, second = (a, b) if a.start < b.start else (b, a)
    gap = text[first.end:second.start]
    return bool(LIST_GAP.match(gap)) and bool(gap.strip())


def _landmark_targets(span: Span, ft: FoldedText) -> bool:
    """Keep only feature entries for a name inside a feature's name ("Mosul Dam" is not Mosul); ``False`` when
    none is left, so the span is dropped."""
    word = feature_word(span, ft)
    if not word:
        return True
    features = tuple(t for t in span.targets
                     if _landmarks.is_feature_kind(t[0].kind) and _landmarks.feature_agrees(word, t[0].kind))
    if not features:
        return False
    span.targets = features
    span.notes.append(f"feature named with {word!r}: the feature, not the town")
    return True


def _lacks_town(span: Span) -> bool:
    """Whether the span reaches a governorate or district but no town in that division's governorate (a country
    is no town's division: "Iraq" has no seat to add)."""
    regions = {_context.admin1_of(e) for e, _n, _h in span.targets if e.kind in ("ADM1", "ADM2")}
    return bool(regions) and not any(
        e.kind.startswith("PPL") and _context.admin1_of(e) in regions for e, _n, _h in span.targets)


def _names_a_feature(text: str, end: int, follower: str) -> bool:
    """Whether the word after ``end`` (``follower``, lower case), or it and the next, is a feature word that
    stands after a name (:data:`_landmarks.AFTER`: "camp", "dam", "border crossing")."""
    if follower in _landmarks.AFTER:
        return True
    if not follower:
        return False
    # Where the follower ends, from the match that found it (not a slice of the text's rest: this runs for
    # every capitalised sequence of a long text).
    after = _context._NEXT_WORD.match(text, end)
    return after is not None and f"{follower} {_context._next_word(text, after.end()).lower()}" in _landmarks.AFTER


def _cue_before_the(text: str, start: int) -> bool:
    _word, at = _context._previous_word(text, start)
    prev, _ = _context._previous_word(text, at)
    return prev.lower() in _latin.LOCATIVE
