"""Candidate spans: automaton hits over the folded text, checked for word boundaries, longest match first.

A :class:`Span` is a stretch of the original text that may name a place, with the gazetteer targets its
folded key stands for. Latin hits are aligned on word boundaries by construction (the keys are space-padded);
Arabic-script hits are checked against :mod:`normalize._link._arabic` (clitics before, Sorani suffixes after).
Overlapping spans are settled longest first ("Tuz Khurmatu" over "Tuz"), then leftmost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalize._link import _arabic, _latin
from normalize._link._automaton import Patterns
from normalize._matching._folding import FoldedText

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry

__all__ = ["Span", "automaton_spans", "designate", "drop_designator_words", "select_longest"]


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
    notes: list[str] = field(default_factory=list)
    #: The one ranking's calibrated probability of each target entry (by id), filled by the linker.
    scores: dict[str, float] = field(default_factory=dict)
    #: The gazetteer position of each automaton target (by id).
    positions: dict[str, int] = field(default_factory=dict)


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
            if suffix and not (sorani and suffix in _arabic.SUFFIXES):
                continue
            start = ft.start(fs - keep)
            if keep == 0 and prefix.endswith("ل") and text[max(0, start - 2):start] == "لل":
                keep, start = 1, start - 1  # للموصل: the doubled ل was collapsed by the fold; one is the article's
            end = ft.end(fe)
            if text[end:end + 1] == "ە" and any(name.endswith(("ە", "ه", "ة")) for _e, name, _h in pat.targets):
                end += 1  # the name's own final ە (هەڵەبجە), which the fold deletes
            out.append(Span(start, end, fs - keep, fe, pat.key, True, pat.targets, definite=keep > 0,
                            positions=dict(zip((e.id for e, _n, _h in pat.targets), pat.positions, strict=True))))
        else:
            fs = end_idx - n - 1
            start = fs if offsets is None else offsets[fs]
            first = text[start]
            if not first.isupper() and not first.isdigit():
                continue  # lower-case words are ordinary words in Latin text
            out.append(Span(start, ft.end(end_idx - 1), fs, end_idx - 1, pat.key, False, pat.targets,
                            positions=dict(zip((e.id for e, _n, _h in pat.targets), pat.positions, strict=True))))
    return out


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


def drop_designator_words(spans: list[Span], text: str) -> list[Span]:
    """Spans that are a designator word right before (Arabic) or after (Latin) another span are the other
    span's designator, not places ("مدينة" is also Medina, "District" a village name somewhere)."""
    out = []
    for i, span in enumerate(spans):
        if span.arabic:
            stem = span.key[2:] if span.key.startswith("ال") else span.key
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            if (span.key in _arabic.DESIGNATORS or stem in _arabic.DESIGNATORS) and nxt is not None and \
                    not text[span.end:nxt.start].strip():
                continue
        else:
            prv = spans[i - 1] if i else None
            if _latin.is_designator(span.key) and prv is not None and not text[prv.end:span.start].strip(" -"):
                continue
        out.append(span)
    return out


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
        if word in _latin.FEATURE_WORDS:
            span.notes.append("feature word after")
    before = _word_before(folded, span.fstart)
    if before is not None:
        word = folded[before[0]:before[1]]
        if word != "of" and not _latin.is_designator(word):
            return
        of_start = None
        if word == "of":
            of_start = before[0]
            before = _word_before(folded, before[0])
            word = folded[before[0]:before[1]] if before else ""
        if before is not None and _latin.is_designator(word) and text[ft.start(before[0])].isupper():
            start = ft.start(before[0])
            if start >= left_limit:
                span.start, span.hint, span.designated = start, _latin_hint(word), True
                span.notes.append(f"designator {text[start:ft.start(of_start or span.fstart)].strip()!r}")


# Words after a Latin span that designate() acts on: designators, the "sub" of "sub district", feature words.
_AFTER_WORDS = frozenset(_latin.DESIGNATOR_WORDS | _latin.FEATURE_WORDS | {"sub"})


def _latin_hint(word: str) -> str:
    from normalize._matching._folding import LATIN_DESIGNATORS

    return LATIN_DESIGNATORS.get(word, "ADM3")
