"""Module-level lookups against the default gazetteer (or one passed in)."""

from __future__ import annotations

from normalize._gazetteer._default import default_gazetteer
from normalize._gazetteer._facade import Gazetteer
from normalize._matching._match import Match
from normalize._types import CountryArg


def resolve(name: str, *, country: CountryArg = None, kind: str | None = None,
            within: str | None = None, min_score: float | None = None,
            gazetteer: Gazetteer | None = None) -> Match | None:
    """Resolve one place name against the default gazetteer (or ``gazetteer``); see :meth:`Gazetteer.resolve`."""
    g = default_gazetteer() if gazetteer is None else gazetteer
    return g.resolve(name, country=country, kind=kind, within=within, min_score=min_score)


def candidates(name: str, *, limit: int = 5, country: CountryArg = None,
               kind: str | None = None, within: str | None = None, min_score: float | None = None,
               gazetteer: Gazetteer | None = None) -> list[Match]:
    """Ranked candidates for ``name`` from the default gazetteer (or ``gazetteer``)."""
    g = default_gazetteer() if gazetteer is None else gazetteer
    return g.candidates(name, limit=limit, country=country, kind=kind, within=within, min_score=min_score)
