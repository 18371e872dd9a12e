"""The result type of linking: one place mention in a text."""

from __future__ import annotations

from dataclasses import dataclass

from normalize._matching._match import Match

__all__ = ["Mention"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A place (or, with ``actors=True``, an actor) mentioned in a text.

    ``start``/``end`` are character offsets into the original text (``text[start:end] == surface``); the
    span holds the name with its article and designator (``"Kifri district"``, ``"محافظة ديالى"``,
    ``"الموصل"``) but not attached conjunctions, prepositions or Sorani suffixes (``و``/``ب`` in
    ``وبالموصل``, ``ەوە`` in ``کەرکووکەوە``). ``match`` is the resolved entry, or ``None`` for a place-like
    span (a name with a designator such as "X Basin" or "قرية X") that resolved to nothing. ``why`` says how
    the span was found and resolved. ``category`` is ``"place"`` or ``"actor"``.
    """

    start: int
    end: int
    surface: str
    match: Match | None
    why: str
    category: str = "place"

    @property
    def id(self) -> str | None:
        """The resolved entry's id, or ``None``."""
        return None if self.match is None else self.match.id
