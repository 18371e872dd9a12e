"""Folding of running text with an offset map, so matches in the folded text map back to the original.

The folded text is what the gazetteer keys are made of (:func:`normalize._matching._folding.tokens`): lower case, no
diacritics, Latin letters through unidecode, Arabic letters through the Arabic letter fold, punctuation and
white space as single spaces. Almost every character folds to exactly one character, so the fold is a
``str.translate`` with a 1:1 table and the offset map is the identity; characters that fold to nothing
(combining marks, tashkeel, tatweel, invisible controls, apostrophes, hamza) and the repeats the gazetteer
fold collapses (Arabic doubled letters, runs of spaces) are deleted in a second step that records, for each
kept character, its position in the original text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

from normalize._matching._folding import _APOSTROPHES, _ARABIC_LETTER_FOLD, _INVISIBLE
from normalize._matching._script import char_script

__all__ = ["FoldedText", "fold_text"]

_DELETED = "\x00"
# An English possessive ("Kirkuk's") ends the name: its apostrophe becomes a space, not a deletion.
_POSSESSIVE = re.compile(r"(?<=\w)['’](?=s\b)")
_ARABIC_REPEAT = re.compile(r"(?<=([\u0621-\u064a]))\1+")
_SPACE_RUN = re.compile(r"(?<= ) +")
_DELETED_RUN = re.compile("\x00+")


def _fold_char(ch: str) -> str:
    """The one character ``ch`` folds to, or ``_DELETED``."""
    cp = ord(ch)
    if cp in _INVISIBLE or cp in _APOSTROPHES:
        return _DELETED
    if ch.isspace():
        return " "
    if char_script(ch) == "Arab" or 0x0600 <= cp <= 0x06FF:
        if 0x064B <= cp <= 0x065F or cp in (0x0670, 0x0640) or 0x06D6 <= cp <= 0x06ED:
            return _DELETED
        out = ch.translate(_ARABIC_LETTER_FOLD)
        if not out:
            return _DELETED
        if len(out) == 1 and (out.isalnum() or out == " "):
            return out
        return " " if not out.isalnum() else out[0]
    if unicodedata.category(ch).startswith("M"):
        return _DELETED
    if ch.isalnum():
        folded = unidecode(unicodedata.normalize("NFKC", ch)).lower()
        folded = "".join(c for c in folded if c.isalnum())
        # Multi-letter expansions (ß, æ, œ) keep their first letter so the text stays length-preserving.
        return folded[0] if folded else _DELETED
    return " "


class _Table:
    """The per-character fold table, grown on demand as new characters are seen (guarded by a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._table: dict[int, str] = {i: chr(i).lower() if chr(i).isalnum() else " " for i in range(128)}
        for i in range(128):
            if i in _APOSTROPHES:
                self._table[i] = _DELETED

    def table_for(self, text: str) -> dict[int, str]:
        missing = [ch for ch in set(text) if ord(ch) not in self._table]
        if missing:
            with self._lock:
                for ch in missing:
                    self._table[ord(ch)] = _fold_char(ch)
        return self._table


_TABLE = _Table()


@dataclass(frozen=True, slots=True)
class FoldedText:
    """``folded`` text and, when characters were deleted, ``offsets[i]`` = original index of ``folded[i]``."""

    original: str
    folded: str
    offsets: tuple[int, ...] | None

    def start(self, i: int) -> int:
        """Original offset of folded position ``i`` (the start of a match)."""
        return i if self.offsets is None else self.offsets[i]

    def end(self, j: int) -> int:
        """Original offset just after folded position ``j - 1`` (the end of a match)."""
        if self.offsets is None:
            return j
        last = self.offsets[j - 1]
        # Characters deleted right after the last kept one (combining marks, tashkeel) belong to it.
        nxt = self.offsets[j] if j < len(self.offsets) else len(self.original)
        end = last + 1
        kept = self.original[last]
        while end < nxt and (_absorbed(self.original[end]) or self.original[end] == kept):
            end += 1  # marks and the collapsed repeats of the last letter (دووزخورماتوو) stay with it
        return end


def _absorbed(ch: str) -> bool:
    """Whether a deleted character after a match belongs to the matched word: combining marks, tashkeel,
    tatweel, format controls and the hamza (جلولاء), but not apostrophes or Sorani ە (a suffix there)."""
    return ch == "\u0621" or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf") or ch == "\u0640"


def fold_text(text: str) -> FoldedText:
    """Fold ``text`` for matching (see the module docs)."""
    folded = text.translate(_TABLE.table_for(text))
    if "'" in text or "’" in text:
        cuts = [m.start() for m in _POSSESSIVE.finditer(text)]
        if cuts:
            # The fold is 1:1 here, so the apostrophe's index in ``text`` is its index in ``folded``.
            pieces, last = [], 0
            for at in cuts:
                pieces.append(folded[last:at])
                last = at + 1
            pieces.append(folded[last:])
            folded = " ".join(pieces)
    offsets: list[int] | None = None
    if _DELETED in folded:
        offsets, folded = _delete(folded, _DELETED_RUN, offsets)
    for pattern in (_ARABIC_REPEAT, _SPACE_RUN):
        if pattern.search(folded) is not None:
            offsets, folded = _delete(folded, pattern, offsets)
    return FoldedText(text, folded, None if offsets is None else tuple(offsets))


def _delete(folded: str, pattern: re.Pattern[str], offsets: list[int] | None) -> tuple[list[int], str]:
    """``folded`` without the matches of ``pattern``, and the original index of each kept character (through
    ``offsets``, the map of an earlier deletion). Works run by run, so the cost is per deletion, not per
    character."""
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for m in pattern.finditer(folded):
        s, e = m.span()
        if s > last:
            pieces.append(folded[last:s])
            kept.extend(range(last, s) if offsets is None else offsets[last:s])
        last = e
    pieces.append(folded[last:])
    kept.extend(range(last, len(folded)) if offsets is None else offsets[last:])
    return kept, "".join(pieces)
