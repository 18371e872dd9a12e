"""normalize: resolve Arabic, Kurdish and English place names to canonical gazetteer IDs.

>>> import normalize
>>> normalize.resolve("طوز خورماتو").id
'geonames:90026'
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from normalize._default import default_gazetteer
from normalize._entry import AdminRef, Entry, Name
from normalize._errors import (
    BackendUnavailableError,
    GazetteerFormatError,
    GazetteerNotFoundError,
    IndexFormatError,
    ModelNotFoundError,
    NormalizeError,
    RowProblem,
    TranslationError,
    UnknownEntryError,
)
from normalize._folding import fold, skeleton
from normalize._gazetteer import Gazetteer
from normalize._match import Match
from normalize._scoring import DEFAULT_MIN_SCORE
from normalize._script import detect_script
from normalize._version import __version__

if TYPE_CHECKING:
    pass

__all__ = [
    "DEFAULT_MIN_SCORE",
    "AdminRef",
    "BackendUnavailableError",
    "Entry",
    "Gazetteer",
    "GazetteerFormatError",
    "GazetteerNotFoundError",
    "IndexFormatError",
    "Match",
    "ModelNotFoundError",
    "Name",
    "NormalizeError",
    "RowProblem",
    "TranslationError",
    "UnknownEntryError",
    "__version__",
    "candidates",
    "default_gazetteer",
    "detect_script",
    "fold",
    "resolve",
    "skeleton",
]


def resolve(name: str, *, country: str | Collection[str] | None = None, kind: str | None = None,
            within: str | None = None, min_score: float | None = None,
            gazetteer: Gazetteer | None = None) -> Match | None:
    """Resolve one place name against the default gazetteer (or ``gazetteer``); see :meth:`Gazetteer.resolve`."""
    g = default_gazetteer() if gazetteer is None else gazetteer
    return g.resolve(name, country=country, kind=kind, within=within, min_score=min_score)


def candidates(name: str, *, limit: int = 5, country: str | Collection[str] | None = None,
               kind: str | None = None, within: str | None = None, min_score: float | None = None,
               gazetteer: Gazetteer | None = None) -> list[Match]:
    """Ranked candidates for ``name`` from the default gazetteer (or ``gazetteer``)."""
    g = default_gazetteer() if gazetteer is None else gazetteer
    return g.candidates(name, limit=limit, country=country, kind=kind, within=within, min_score=min_score)


def __getattr__(name: str) -> Any:
    raise AttributeError(f"module 'normalize' has no attribute {name!r}")
