"""Candidate spans: automaton hits over the folded text, checked for word boundaries, longest match first.

A :class:`Span` is a stretch of the original text that may name a place, with the gazetteer targets its
folded key stands for. Latin hits are aligned on word boundaries by construction (the keys are space-padded);
Arabic-script hits are checked against :mod:`normalize._link._arabic` (clitics before, Sorani suffixes after).
Overlapping spans are settled longest first ("Tuz Khurmatu" over "Tuz"), then leftmost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalize._link import _arabic, _landmarks, _latin
from normalize._link._automaton import Patterns
from normalize._matching._designators import ARABIC_SPELLINGS
from normalize._matching._folding import NO_VOWEL_HEH_AFTER, FoldedText, analyse, fold, tokens

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry

__all__ = ["LIST_GAP", "Span", "automaton_spans", "designate", "drop_designator_words", "has_kurmanji_ending",
           "select_longest", "trim_kurmanji_ending"]


@dataclass(slots=True)
class Span:
    """A candidate mention under construction (mutable while the linker settles it)."""

    start: int
    end: int
    fstart: int
    fend: int
    key: str
    arabic: bool
    targets: tuple[tuple[Entry, str, str], ...]
    definite: bool = False  # an Arabic article was attached to the name in the text
    hint: str = ""  # designator feature code (ADM1, ADM2, ADM3, PPL)
    designated: bool = False
    sorani: bool = False  # found with Sorani's clitic rules (the text is Sorani or Behdini)
    notes: list[str] = field(default_factory=list)
    #: The one ranking's calibrated probability of each target entry (by id), filled by the linker.
    scores: dict[str, float] = field(default_factory=dict)
    #: The gazetteer position of each automaton target (by id).
    positions: Mapping[str, int] = field(default_factory=dict)


def _is_arabic_letter(ch: str) -> bool:
    return "\u0621" <= ch <= "\u06ff" and ch.isalpha()


def automaton_spans(ft: FoldedText, patterns: Patterns, *, sorani: bool) -> list[Span]:
    """Every automaton hit that passes the word-boundary rules of its script."""
    folded = ft.folded
    padded = f" {folded} "
    text = ft.original
    offsets = ft.offsets
    out: list[Span] = []
    for end_idx, number in patterns.automaton.iter(padded):
        pat = patterns.pattern(number)
        n = len(pat.key)
        if pat.arabic:
            fs, fe = end_idx - n, end_idx
            ws = fs
            while ws > 0 and _is_arabic_letter(folded[ws - 1]):
                ws -= 1
            we = fe
            while we < len(folded) and _is_arabic_letter(folded[we]):
                we += 1
            prefix, suffix = folded[ws:fs], folded[fe:we]
            keep = (_arabic.SORANI_PROCLITICS if sorani else _arabic.PROCLITICS).get(prefix)
            if keep is None or (prefix.endswith("ال") and pat.key.startswith("ال")):
                continue
            # A suffix that begins with the name's last letter lost it to the fold's collapse of doubled
            # letters (سلێمانی + یان -> سليمانيان): that letter belongs to the suffix too.
            if suffix and not (sorani and (suffix in _arabic.SUFFIXES or pat.key[-1:] + suffix in _arabic.SUFFIXES)):
                continue
            if suffix and "گ" in text[ft.end(fe):ft.end(we)]:
                continue  # گ folds to ك, but no suffix has it: مانگ "month" is not مان + the suffix ک
            start = ft.start(fs - keep)
            if keep == 0 and prefix.endswith("ل") and text[max(0, start - 2):start] == "لل":
                keep, start = 1, start - 1  # للموصل: the doubled ل was collapsed by the fold; one is the article's
            end = ft.end(fe)
            if (text[end:end + 1] == "ە" or (sorani and text[end:end + 1] == "ه")) and \
                    any(name.endswith(("ە", "ه", "ة")) for _e, name, _h in pat.targets):
                end += 1  # the name's own final ە (هەڵەبجە; ه in the older orthography), which the fold deletes
            out.append(Span(start, end, fs - keep, fe, pat.key, True, pat.targets, definite=keep > 0, sorani=sorani,
                            positions=pat.by_id))
        else:
            fs = end_idx - n - 1
            start = fs if offsets is None else offsets[fs]
            first = text[start]
            if not first.isupper() and not first.isdigit():
                continue  # lower-case words are ordinary words in Latin text
            out.append(Span(start, ft.end(end_idx - 1), fs, end_idx - 1, pat.key, False, pat.targets,
                            positions=pat.by_id))
    return out


# Kurmanji case and ezafe endings on a name in running text (Kerkûkê, Zaxoyê, Mûsil-ê, Qamişloyê): the ending is
# read away in a second pass (the first pass still finds names that end in ê themselves: Kobanê, Amûdê).
_KURMANJI_ENDING = re.compile(r"(?<=[^\W\d_]{3})(?:y?ê|yên|ên|y[ae])(?![^\W\d_])")


def has_kurmanji_ending(surface: str) -> bool:
    """Whether a Latin name as written ends in a Kurmanji case or ezafe ending (Hewlêrê, Zaxoyê)."""
    m = _KURMANJI_ENDING.search(surface)
    return m is not None and m.end() == len(surface)


# Older Sorani typing writes the vowel ە as ه inside a word (ههولێر, كهلار): read away in a second pass.
_MEDIAL_HEH = "ه"


def readings(ft: FoldedText, lang: str) -> list[tuple[FoldedText, list[int]]]:
    """Second readings of a text for the automaton, with what the first fold keeps: Kurmanji without case
    endings, Sorani without the older orthography's ه for the vowel ە. Each comes with the map from its positions to
    those of ``ft.folded``."""
    out = []
    if lang == "kmr":
        drop: set[int] = set()
        inverse = _inverse(ft)
        for m in _KURMANJI_ENDING.finditer(ft.original):
            drop.update(i for i in (inverse[j] for j in range(m.start(), m.end())) if i >= 0)
        if drop:
            out.append(_without(ft, drop))
    if lang in ("ckb", "kmr") and _MEDIAL_HEH in ft.folded:
        folded = ft.folded
        # Inside a word (the fold deletes it only where a ZWNJ marks it), and at the end of a word, where the
        # fold keeps it for the Arabic spellings: "هه‌ڵه‌بجه" is also read as the Sorani "هەڵەبجە".
        drop = {i for i in range(1, len(folded)) if folded[i] == _MEDIAL_HEH and _is_arabic_letter(
            folded[i - 1]) and folded[i - 1] != NO_VOWEL_HEH_AFTER and (
                i + 1 == len(folded) or _is_arabic_letter(folded[i + 1]) or folded[i + 1] == " ")}
        if drop:
            out.append(_without(ft, drop))
    return out


def trim_kurmanji_ending(span: Span, text: str, last_words: Callable[[Entry], frozenset[str]]) -> None:
    """End a Latin span of Kurmanji text before its case or ezafe ending when the name without it is one of
    its entries' names ("Qamişloyê" -> "Qamişlo", "navçeya Dêrikê" -> "navçeya Dêrik"), the convention for
    every language: the mention is the name, its endings stay outside. A name whose own form ends so keeps it
    (Hesekê, Amûdê). ``last_words``: the folded last word of each of an entry's names (memoised by the caller)."""
    surface = text[span.start:span.end]
    m = _KURMANJI_ENDING.search(surface)
    if m is None or m.end() != len(surface):
        return
    stem = fold(surface[:m.start()]).split()
    if not stem:
        return
    last = stem[-1]
    if any(last in last_words(e) for e, _n, _h in span.targets):
        span.end -= len(surface) - m.start()


def _inverse(ft: FoldedText) -> list[int]:
    """For each character of the original text, its position in the folded text (-1: folded away)."""
    if ft.offsets is None:
        return list(range(len(ft.original)))
    inverse = [-1] * len(ft.original)
    for i, at in enumerate(ft.offsets):
        inverse[at] = i
    return inverse


def _without(ft: FoldedText, drop: set[int]) -> tuple[FoldedText, list[int]]:
    """``ft`` without the folded positions in ``drop``, and the kept positions. Built run by run between the
    dropped positions (a few per text), not character by character."""
    folded = ft.folded
    pieces: list[str] = []
    kept: list[int] = []
    last = 0
    for at in sorted(drop):
        if at > last:
            pieces.append(folded[last:at])
            kept.extend(range(last, at))
        last = at + 1
    pieces.append(folded[last:])
    kept.extend(range(last, len(folded)))
    offsets = ft.offsets
    starts = tuple(kept) if offsets is None else tuple(offsets[i] for i in kept)
    return FoldedText(ft.original, "".join(pieces), starts), kept


def rebase(spans: list[Span], kept: list[int]) -> list[Span]:
    """Spans found in a second reading, with their folded positions in the first one's terms."""
    for span in spans:
        span.fstart, span.fend = kept[span.fstart], kept[span.fend - 1] + 1
        span.notes.append("read without an ending or the older Sorani ه")
    return spans


def select_longest(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first, then leftmost; returned in text order.

    Spans are swept in text order into clusters of mutually overlapping spans (almost all clusters have one
    span), and each cluster is settled longest first."""
    out: list[Span] = []
    cluster: list[Span] = []
    reach = -1
    # Sorting by start, then by end descending, as two stable int sorts (no key tuples to allocate).
    ordered = sorted(spans, key=_end, reverse=True)
    ordered.sort(key=_start)
    for span in ordered:
        if cluster and span.start >= reach:
            out.extend(_settle(cluster))
            cluster = []
        cluster.append(span)
        reach = max(reach, span.end) if len(cluster) > 1 else span.end
    if cluster:
        out.extend(_settle(cluster))
    return out


def _start(span: Span) -> int:
    return span.start


def _end(span: Span) -> int:
    return span.end


def _settle(cluster: list[Span]) -> list[Span]:
    if len(cluster) == 1:
        return cluster
    chosen: list[Span] = []
    for span in sorted(cluster, key=lambda s: (-(s.end - s.start), s.start, s.key)):
        if all(span.end <= c.start or c.end <= span.start for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


# A space, then an Arabic-script letter: a designator word used as one, before a name.
# Folded Arabic-script designator and feature words that some spelling writes with a final ێ (Behdini گوندێ،
# چیایێ). For the others, a word ending in ێ is a name whose fold meets the word's ezafe form: پردێ (Pirde) folds
# as پردی, "the bridge of".
_E_FINAL_WORDS = frozenset(_arabic.fold_word(w) for w in (*ARABIC_SPELLINGS, *_landmarks.ARABIC_WORDS)
                           if w.endswith("ێ"))
_ARABIC_WORD_AFTER = re.compile("[ \u00a0]+[\u0621-\u064a\u0671-\u06d3]")


def drop_designator_words(spans: list[Span], text: str) -> list[Span]:
    """Spans that are a designator or feature word right before (Arabic) or after (Latin) another span belong
    to the other span, not places ("مدينة" is also Medina, "District" and "Dam" village names somewhere)."""
    out = []
    for i, span in enumerate(spans):
        if span.arabic:
            stem = span.key[2:] if span.key.startswith("ال") else span.key
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            if (span.key in _arabic.DESIGNATORS or stem in _arabic.DESIGNATORS or span.key in _landmarks.BEFORE) \
                    and not (text[span.end - 1:span.end] == "ێ" and span.key not in _E_FINAL_WORDS):
                if nxt is not None and not text[span.end:nxt.start].strip():
                    continue
                # Followed by a word the automaton does not know ("بلدة الهول"): still the word's designator.
                if _ARABIC_WORD_AFTER.match(text, span.end):
                    continue
        else:
            prv = spans[i - 1] if i else None
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            if (_latin.is_designator(span.key) or span.key in _landmarks.AFTER) and prv is not None and \
                    not text[prv.end:span.start].strip(" -"):
                continue
            if span.key in _landmarks.BEFORE and nxt is not None and not text[span.end:nxt.start].strip(" -"):
                continue
        out.append(span)
    return out


def feature_word(span: Span, ft: FoldedText) -> str:
    """The word next to ``span`` that makes it the name of a feature ("Mosul Dam", "Lake Dukan", "مطار أربيل"),
    or ``""`` (see :mod:`normalize._link._landmarks`)."""
    folded = ft.folded
    before = _word_before(folded, span.fstart)
    if before is not None:
        word = folded[before[0]:before[1]]
        if span.arabic and len(word) > 1 and word[0] in "وف" and word[1:] in _landmarks.BEFORE:
            word = word[1:]  # وسد الموصل: the conjunction is not part of the feature word
        if word in _landmarks.BEFORE:
            return word
    if not span.arabic:
        after = _words_after(folded, span.fend, 2)
        if after:
            first = folded[after[0][0]:after[0][1]]
            if first in _landmarks.AFTER:
                return first
            if len(after) > 1 and f"{first} {folded[after[1][0]:after[1][1]]}" in _landmarks.AFTER:
                return f"{first} {folded[after[1][0]:after[1][1]]}"
    return ""


# Plural designators before a list of names ("the districts of Daquq, Dibis and Hawija", "أقضية الحويجة والدبس
# وداقوق", "قەزاکانی کۆیە و شەقڵاوە", "navçeyên Akrê û Şêxanê"), folded, and the level they give every name of it.
_PLURAL_SPELLINGS = {
    "districts": "ADM2", "sub districts": "ADM3", "subdistricts": "ADM3", "provinces": "ADM1",
    "governorates": "ADM1", "villages": "PPL", "towns": "PPL",
    "أقضية": "ADM2", "نواحي": "ADM3", "محافظات": "ADM1", "قرى": "PPL",
    # the dual ("ناحيتا صفوان وأم قصر", "قضائي الزبير والفاو")
    "ناحيتا": "ADM3", "ناحيتي": "ADM3", "قضاءا": "ADM2", "قضائي": "ADM2", "محافظتا": "ADM1", "محافظتي": "ADM1",
    "قريتا": "PPL", "قريتي": "PPL",
    "قەزاکانی": "ADM2", "ناحیەکانی": "ADM3", "پارێزگاکانی": "ADM1", "گوندەکانی": "PPL",
    "navçeyên": "ADM2", "parêzgehên": "ADM1", "gundên": "PPL",
}
# Each Sorani spelling also in the older orthography, which writes the vowel ە as ه (قهزاكانى).
_PLURALS = {" ".join(tokens(spelling)): v for k, v in _PLURAL_SPELLINGS.items()
            for spelling in {k, k.replace("ە", "ه")}}
# What may stand between the names of one list: commas, "and" in each language, spaces.
LIST_GAP = re.compile(r"^(?:\s|,|،|و|and|û|ve|-)*$")


def plural_designators(spans: list[Span], ft: FoldedText) -> None:
    """Give every name of a list after a plural designator the level it names (not a designator of its own:
    the span stays the name)."""
    folded, text = ft.folded, ft.original
    for i, span in enumerate(spans):
        if span.designated:
            continue
        before = _word_before(folded, span.fstart)
        if before is None:
            continue
        word = folded[before[0]:before[1]]
        two = _word_before(folded, before[0])
        pair = f"{folded[two[0]:two[1]]} {word}" if two else ""
        if word == "of" and two is not None:  # "the districts of Daquq ..."
            word, pair = folded[two[0]:two[1]], ""
            three = _word_before(folded, two[0])
            if three is not None and f"{folded[three[0]:three[1]]} {word}" in _PLURALS:
                pair = f"{folded[three[0]:three[1]]} {word}"
        level = _PLURALS.get(pair) or _PLURALS.get(word)
        if not level:
            continue
        chain = [span]
        for nxt in spans[i + 1:]:
            if not LIST_GAP.match(text[chain[-1].end:nxt.start]):
                break
            chain.append(nxt)
        for member in chain:
            # A name written with its own designator keeps that level ("قرى قضاء الحويجة": the villages of the
            # Hawija district, which is the district).
            if not member.designated and not analyse(text[member.start:member.end])[1]:
                member.hint, member.designated = level, True
                member.notes.append(f"a name of a list after {word!r}")


def _words_after(folded: str, pos: int, count: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = pos
    while len(out) < count:
        while i < len(folded) and folded[i] == " ":
            i += 1
        if i >= len(folded):
            break
        j = folded.find(" ", i)
        j = len(folded) if j == -1 else j
        out.append((i, j))
        i = j
    return out


def _word_before(folded: str, pos: int) -> tuple[int, int] | None:
    j = pos
    while j > 0 and folded[j - 1] == " ":
        j -= 1
    if j == 0:
        return None
    i = folded.rfind(" ", 0, j) + 1
    return i, j


def designate(span: Span, ft: FoldedText, *, left_limit: int, right_limit: int) -> None:
    """Extend ``span`` over an adjacent designator ("Kifri district", "Governorate of Diyala", "قضاء كفري")
    and record its hint; never across ``left_limit``/``right_limit`` (the neighbouring mentions)."""
    folded, text = ft.folded, ft.original
    if span.arabic:
        before = _word_before(folded, span.fstart)
        if before is None:
            return
        word = folded[before[0]:before[1]]
        if word in _GOVERNOR_BEFORE:
            # "محافظ كركوك": the governor of Kirkuk governs the governorate, which the name stands for; the
            # district's governor or office ("قائممقام الحويجة", "قائممقامية الحويجة") the district.
            span.hint, span.designated = _GOVERNOR_BEFORE[word], True
            span.notes.append(f"{text[ft.start(before[0]):ft.end(before[1])]!r} names the division it governs")
            return
        two = _word_before(folded, before[0])
        if word not in _arabic.DESIGNATORS and (word in _arabic.GOVERNMENT or word in _arabic.SECTORS or (
                two is not None and folded[two[0]:two[1]] in _arabic.GOVERNMENT)):
            # A government body named for its jurisdiction ("مديرية زراعة ذي قار", "مجلس كربلاء"): the place it
            # governs, the governorate where the name has one.
            span.designated = True
            if any(e.kind == "ADM1" for e, _n, _h in span.targets):
                span.hint = "ADM1"
            span.notes.append(f"{text[ft.start(before[0]):ft.end(before[1])]!r}: a body the place's government")
            return
        for cut in range(0, min(3, len(word))):
            prefix, stem = word[:cut], word[cut:]
            if prefix in _arabic.PROCLITICS and _arabic.PROCLITICS[prefix] == 0 and stem in _arabic.DESIGNATORS:
                start = ft.start(before[0] + cut)
                if start >= left_limit:
                    span.start, span.hint, span.designated = start, _arabic.DESIGNATORS[stem], True
                    span.notes.append(f"designator {text[start:ft.end(before[1])]!r}")
                return
        return
    # Most spans have no designator or feature word next to them: rule that out with one word on each side
    # before running the full checks.
    n = len(folded)
    i = span.fend
    while i < n and folded[i] == " ":
        i += 1
    nxt = ""
    if i < n:
        j = folded.find(" ", i)
        nxt = folded[i:j] if j != -1 else folded[i:]
    after = _words_after(folded, span.fend, 2) if nxt in _AFTER_WORDS else []
    if after:
        a0, a1 = after[0]
        word = folded[a0:a1]
        if word == "sub" and len(after) > 1 and folded[after[1][0]:after[1][1]] == "district":
            a1, word = after[1][1], "subdistrict"
        if _latin.is_designator(word) and text[ft.start(a0) - 1:ft.start(a0)] in (" ", "-"):
            end = ft.end(a1)
            if end <= right_limit:
                span.end, span.hint, span.designated = end, _latin_hint(word), True
                span.notes.append(f"designator {text[ft.start(a0):end]!r}")
                return
        if word in _landmarks.AFTER:
            span.notes.append("feature word after")
        if word in _latin.GOVERNORATE_WORDS:
            span.hint, span.designated = "ADM1", True
            span.notes.append(f"{word!r} after it names the governorate")
            return
    before = _word_before(folded, span.fstart)
    if before is not None:
        word = folded[before[0]:before[1]]
        if word in _GOVERNOR_BEFORE:
            span.hint, span.designated = _GOVERNOR_BEFORE[word], True
            span.notes.append(f"{word!r} before it names the governorate")
            return
        if word != "of" and not _latin.is_designator(word):
            return
        of_start = None
        if word == "of":
            of_start = before[0]
            before = _word_before(folded, before[0])
            word = folded[before[0]:before[1]] if before else ""
        if before is not None and _latin.is_designator(word) and (text[ft.start(before[0])].isupper() or
                                                                 word in _latin.LOWER_DESIGNATORS):
            start = ft.start(before[0])
            if start >= left_limit:
                span.start, span.hint, span.designated = start, _latin_hint(word), True
                span.notes.append(f"designator {text[start:ft.start(of_start or span.fstart)].strip()!r}")


# Words after a Latin span that designate() acts on: designators, the "sub" of "sub district", feature words.
_AFTER_WORDS = frozenset(_latin.DESIGNATOR_WORDS | _landmarks.AFTER | _latin.GOVERNORATE_WORDS | {"sub"})
# Arabic and Kurmanji words for "the governor of" (and the district governor or office of) before a name, with
# the level of the division each governs.
_GOVERNOR_BEFORE: dict[str, str] = {
    "محافظ": "ADM1", "parezgare": "ADM1",
    **{_arabic.fold_word(w): "ADM2" for w in ("قائممقام", "قائمقام", "قائممقامية", "قائمقامية", "قایمقامی")}}


def _latin_hint(word: str) -> str:
    from normalize._matching._folding import LATIN_DESIGNATORS

    return LATIN_DESIGNATORS.get(word, "ADM3")
