"""The result type of a lookup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normalize._gazetteer._entry import Entry


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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the match and the entry's main fields (not every alternate name)."""
        e = self.entry
        return {"id": self.id, "name": self.name, "score": self.score, "matched": self.matched, "why": self.why,
                "kind": e.kind, "country": e.country,
                "admin1": e.admin1.name if e.admin1 else None, "admin1_code": e.admin1.code if e.admin1 else None,
                "admin2": e.admin2.name if e.admin2 else None, "admin2_code": e.admin2.code if e.admin2 else None,
                "lat": e.lat, "lon": e.lon, "population": e.population}
