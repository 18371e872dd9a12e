"""Common words of the languages users write, a competing explanation for a query that names no place:
``security``, ``Mohammed``, ``قوات``, ``ڕێگا``, ``hêz``, ``١٢ آذار ٢٠٢٤``.

Non-place strings that happen to look like a regional name (a one-edit or phonetic near-miss of a village)
are the false positives that set the resolver's threshold. A query that is one common word (with numbers or
without) is better explained as that word than as a near-miss of a place: only an exact gazetteer name still
counts for it (``Iraq``, ``Yenice`` stay found), and the ranking scales every other candidate's probability down
(:mod:`._rank`, where the factor and its measured reason live).

The bundled list is ``gazetteers/common-words.tsv``: frequent words of news text (function words, nouns,
verbs, adjectives, time and number words, demonyms, given names) in English, Arabic, Persian, Turkish, Sorani
and Kurmanji, written for this purpose (see ``gazetteers/README.md``), without place names or place
descriptors. It is folded once, on first use, as queries are.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from normalize._cache import register_cache
from normalize._errors import GazetteerFormatError

__all__ = ["WORD_COLUMNS", "WORD_KINDS", "WORD_LANGUAGES", "WORDS_FILE", "CommonWords", "bundled_words",
           "read_words"]

#: The bundled list's file name in the gazetteers folder.
WORDS_FILE = "common-words.tsv"
#: Its columns, languages and kinds of word.
WORD_COLUMNS = ("word", "lang", "kind", "gloss")
WORD_LANGUAGES = ("ar", "ckb", "en", "fa", "kmr", "tr")
WORD_KINDS = ("adjective", "demonym", "function", "given-name", "noun", "number", "time", "verb")


@dataclass(frozen=True, slots=True)
class CommonWords:
    """Folded common words."""

    words: frozenset[str]

    @classmethod
    def build(cls, words: Iterable[str]) -> CommonWords:
        """The list of the folded forms of ``words`` (each folded as a query is; a word that folds to
        nothing, to a number or to several words is left out)."""
        from normalize._matching._folding import fold

        folded = (fold(w) for w in words)
        return cls(frozenset(f for f in folded if f and " " not in f and not f.isdigit()))

    def covers(self, folded: str) -> bool:
        """Whether the folded query ``folded`` is one common word, alone or with numbers (``security``,
        ``12 اذار 2024``). Longer phrases are not covered: place names made of common words are frequent
        (``Hamid Abad``, ``Dilek Köyü``, ``قلعة صالح``), and on the calibration split covering them explained no
        more non-places."""
        words = [w for w in folded.split() if not w.isdigit()]
        return len(words) == 1 and words[0] in self.words


def read_words(path: Path) -> list[str]:
    """The words of a common-word file (``word``, ``lang``, ``kind``, ``gloss``); a malformed row raises
    :class:`GazetteerFormatError` naming the file, line and field."""
    from normalize._gazetteer._tsv import data_lines

    out: list[str] = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in data_lines(f, path=str(path), columns=WORD_COLUMNS):
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) != len(WORD_COLUMNS):
                raise GazetteerFormatError(f"expected {len(WORD_COLUMNS)} columns, got {len(cells)}",
                                           path=str(path), line=lineno)
            row = dict(zip(WORD_COLUMNS, cells, strict=True))
            for field, allowed in (("lang", WORD_LANGUAGES), ("kind", WORD_KINDS)):
                if row[field] not in allowed:
                    raise GazetteerFormatError(f"{row[field]!r} is not one of {', '.join(allowed)}",
                                               path=str(path), line=lineno, field=field)
            if not row["word"] or " " in row["word"]:
                raise GazetteerFormatError("must be one word", path=str(path), line=lineno, field="word")
            out.append(row["word"])
    return out


class _Bundled:
    """The bundled list, read and folded once on first use (behind a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._words: CommonWords | None = None

    def get(self) -> CommonWords:
        if self._words is None:
            with self._lock:
                if self._words is None:
                    from normalize._gazetteer._default import bundled_path

                    self._words = CommonWords.build(read_words(bundled_path(WORDS_FILE)))
        return self._words

    def clear(self) -> None:
        with self._lock:
            self._words = None


_BUNDLED = _Bundled()
register_cache("normalize._matching._words.bundled", _BUNDLED.clear)


def bundled_words() -> CommonWords:
    """The common-word list shipped with the package (``gazetteers/common-words.tsv``, folded)."""
    return _BUNDLED.get()
