"""normalize: resolve Arabic, Kurdish and English place names to canonical gazetteer IDs.

>>> import normalize
>>> normalize.resolve("طوز خورماتو").id
'geonames:90026'
"""

from __future__ import annotations

from normalize._api import candidates, resolve
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

__all__ = [
    "AdminRef",
    "BackendUnavailableError",
    "DEFAULT_MIN_SCORE",
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
