"""Cut text into pieces a Marian model can translate whole, and put the translations back.

Marian models have a fixed number of positions (``max_position_embeddings``, 512 for OPUS-MT):
longer inputs raise ``IndexError`` and ``truncation=True`` silently drops their tail. So text is cut
at line breaks (kept in the output), then at sentence ends (``. ! ? ؟ ؛ ; … ۔``), and any sentence
still over the token budget is cut at clause punctuation (``, ، ; ؛ :``), then at spaces, then, as a
last resort, at the longest character prefix that fits. Every character of the input ends up in
exactly one piece except whitespace at the cut points.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from normalize._errors import TranslationError

__all__ = ["Layout", "fit_to_budget", "layout", "split_sentences"]

# "." only ends a sentence before whitespace (3.5, U.N.); the Arabic marks never occur inside numbers.
_SENTENCE_END = re.compile(r"(?<=[!?؟؛;…۔])(?![!?؟؛;…۔.])\s*(?=\S)|(?<=\.)\s+(?=\S)")
_CUTS = (re.compile(r"(?<=[,،;؛:])\s*(?=\S)"), re.compile(r"\s+"))


@dataclass(frozen=True)
class Layout:
    """The pieces of one text, and per line the number of pieces it owns (0 for a blank line)."""

    pieces: tuple[str, ...]
    line_sizes: tuple[int, ...]

    def join(self, translations: list[str]) -> str:
        """Reassemble: pieces of a line joined by a space, lines by ``\\n`` (paragraph breaks kept)."""
        if len(translations) != len(self.pieces):
            raise TranslationError(f"expected {len(self.pieces)} translated pieces, got {len(translations)}")
        lines, start = [], 0
        for size in self.line_sizes:
            lines.append(" ".join(t.strip() for t in translations[start:start + size]))
            start += size
        return "\n".join(lines)


def split_sentences(line: str) -> list[str]:
    """Sentences of one line, punctuation kept on the sentence it ends; no empty strings."""
    return [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]


def layout(text: str, count: Callable[[str], int], budget: int) -> Layout:
    """Split ``text`` into lines, sentences and pieces of at most ``budget`` tokens by ``count``."""
    pieces: list[str] = []
    sizes: list[int] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        before = len(pieces)
        for sentence in split_sentences(line):
            pieces.extend(fit_to_budget(sentence, count, budget))
        sizes.append(len(pieces) - before)
    return Layout(tuple(pieces), tuple(sizes))


def fit_to_budget(text: str, count: Callable[[str], int], budget: int, level: int = 0) -> list[str]:
    """``text`` cut into consecutive pieces whose ``count`` is at most ``budget`` (greedy, in order)."""
    if count(text) <= budget:
        return [text]
    if level >= len(_CUTS):
        return _hard_split(text, count, budget)
    parts = [p.strip() for p in _CUTS[level].split(text) if p.strip()]
    if len(parts) < 2:
        return fit_to_budget(text, count, budget, level + 1)
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count(candidate) <= budget:
            current = candidate
            continue
        if current:
            out.append(current)
        if count(part) <= budget:
            current = part
        else:
            out.extend(fit_to_budget(part, count, budget, level + 1))
            current = ""
    if current:
        out.append(current)
    return out


def _hard_split(text: str, count: Callable[[str], int], budget: int) -> list[str]:
    # One "word" longer than the budget (a URL, a run of digits): cut at the longest prefix that fits.
    out: list[str] = []
    rest = text
    while rest:
        if count(rest) <= budget:
            out.append(rest)
            break
        lo, hi = 1, len(rest) - 1
        if count(rest[:1]) > budget:
            raise TranslationError(f"token budget {budget} is too small for even one character of {rest[:20]!r}")
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(rest[:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        out.append(rest[:lo])
        rest = rest[lo:]
    return out
