"""The result type of a lookup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normalize._gazetteer._entry import Entry


@dataclass(frozen=True, slots=True, repr=False)
class Match:
    """A gazetteer entry that a query resolved to.

    ``score`` is the calibrated probability that the query names this entry (see ``docs/ranker.md``);
    ``matched`` is the gazetteer spelling that matched; ``why`` says how it matched and what else decided, e.g.
    ``"exact"``, ``"folded"``, ``"fuzzy: 1 edit(s)"``, ``"cross-script: phonetic 0.92"``, then notes such as
    the level rule or a place outside the gazetteer with the same name.
    """

    id: str
    name: str
    score: float
    matched: str
    entry: Entry
    why: str

    def __repr__(self) -> str:
        # The entry is left out: its names run to kilobytes (see ``entry`` or ``to_dict()``).
        return (f"Match(id={self.id!r}, name={self.name!r}, score={self.score!r}, matched={self.matched!r}, "
                f"why={self.why!r})")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the match and the entry's main fields (not every alternate name)."""
        e = self.entry
        return {"id": self.id, "name": self.name, "score": self.score, "matched": self.matched, "why": self.why,
                "kind": e.kind, "country": e.country,
                "admin1": e.admin1.name if e.admin1 else None, "admin1_code": e.admin1.code if e.admin1 else None,
                "admin2": e.admin2.name if e.admin2 else None, "admin2_code": e.admin2.code if e.admin2 else None,
                "lat": e.lat, "lon": e.lon, "population": e.population}
