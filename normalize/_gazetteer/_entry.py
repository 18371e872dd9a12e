"""The gazetteer's data model: entries and their names."""

from __future__ import annotations

from dataclasses import dataclass, field

from normalize._matching._script import detect_script

#: Feature codes counted as administrative divisions (GeoNames feature class ``A``).
ADMIN_KINDS = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD", "PCLI", "PCL"})


@dataclass(frozen=True, slots=True)
class Name:
    """One spelling of a place, with its language tag where known (``"ar"``, ``"ckb"``, ``"en"``; ``""``)."""

    text: str
    lang: str = ""

    @property
    def script(self) -> str:
        """ISO 15924 code of the dominant script: ``"Latn"``, ``"Arab"``, ... or ``"Zyyy"``."""
        return detect_script(self.text)


@dataclass(frozen=True, slots=True)
class AdminRef:
    """A parent administrative division: GeoNames code (``"IQ.18"``, ``"IQ.18.90148"``) and name."""

    code: str
    name: str


@dataclass(frozen=True, slots=True, repr=False)
class Entry:
    """One place in a gazetteer.

    ``kind`` is a GeoNames feature code (``"PPL"``, ``"PPLA"``, ``"ADM1"``, ``"ADM2"``, ``"ADM3"``).
    ``names`` holds every spelling, the canonical ``name`` included.
    """

    id: str
    name: str
    kind: str
    country: str
    admin1: AdminRef | None = None
    admin2: AdminRef | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    names: tuple[Name, ...] = field(default=())
    source: str = ""

    def __repr__(self) -> str:
        # Short: an entry's names run to hundreds (they are in ``names``).
        parent = f", admin1={self.admin1.code!r}" if self.admin1 else ""
        return (f"Entry(id={self.id!r}, name={self.name!r}, kind={self.kind!r}, country={self.country!r}{parent}, "
                f"{len(self.names)} names)")

    @property
    def is_admin(self) -> bool:
        """True for administrative divisions (governorates, districts, ...)."""
        return self.kind in ADMIN_KINDS

    @property
    def admin_code(self) -> str | None:
        """The division code this entry *is* (for ADM1/ADM2), used by ``within=`` filters."""
        if self.kind == "ADM1" and self.admin1 is not None:
            return self.admin1.code
        if self.kind == "ADM2" and self.admin2 is not None:
            return self.admin2.code
        return None

    def with_names(self, extra: tuple[Name, ...]) -> Entry:
        """A copy with ``extra`` names appended (duplicates dropped, order kept)."""
        seen = set(self.names)
        merged = list(self.names)
        for n in extra:
            if n not in seen:
                seen.add(n)
                merged.append(n)
        return Entry(self.id, self.name, self.kind, self.country, self.admin1, self.admin2, self.lat,
                     self.lon, self.population, tuple(merged), self.source)
