"""The result type of a lookup."""

from __future__ import annotations

from dataclasses import dataclass

from normalize._entry import Entry


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer entry that a query resolved to.

    ``score`` is the name similarity in [0, 1] after folding (1.0: the same folded key); ``matched`` is the
    gazetteer spelling that matched; ``why`` says which rule matched, e.g. ``"exact"``, ``"folded"``,
    ``"cross-script skeleton"``, ``"fuzzy: edit similarity 0.92"``.
    """

    id: str
    name: str
    score: float
    matched: str
    entry: Entry
    why: str
