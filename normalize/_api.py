"""Module-level lookups against the default gazetteer (or one passed in)."""

from __future__ import annotations

from normalize._gazetteer._actors import Actor
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


def actors() -> Gazetteer:
    """The bundled actor gazetteer (armed groups, forces, militias, parties, coalitions, government bodies of
    Iraq, the Kurdistan Region and north-east Syria), loaded once: ``actors().resolve("داعش")``,
    ``actors().candidates(...)`` rank and decide as for places."""
    from normalize._gazetteer._actors import _BUNDLED

    gazetteer = _BUNDLED.get()[0]
    assert isinstance(gazetteer, Gazetteer)
    return gazetteer


def actor(ident: str) -> Actor:
    """What the actor gazetteer knows of the actor ``ident`` beyond its entry: every country it operates in,
    its parent, its former names with their years. Raises :class:`~normalize.UnknownEntryError` if absent."""
    from normalize._errors import UnknownEntryError
    from normalize._gazetteer._actors import _BUNDLED

    if not isinstance(ident, str):
        raise TypeError(f"ident must be a str, not {type(ident).__name__}")
    found = _BUNDLED.get()[1].get(ident)
    if found is None:
        raise UnknownEntryError(f"no actor {ident!r} in the actor gazetteer")
    return found
