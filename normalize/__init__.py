"""normalize: resolve Arabic, Kurdish and English place names to canonical gazetteer IDs.

>>> import normalize
>>> normalize.resolve("طوز خورماتو").id
'geonames:90026'
"""

from __future__ import annotations

from normalize._api import candidates, resolve
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
from normalize._gazetteer._default import default_gazetteer
from normalize._gazetteer._entry import AdminRef, Entry, Name
from normalize._gazetteer._facade import Gazetteer
from normalize._link import Linker, Mention, link
from normalize._matching._decision import DEFAULT_MIN_SCORE
from normalize._matching._folding import fold, skeleton
from normalize._matching._language import detect_language
from normalize._matching._match import Match
from normalize._matching._script import detect_script
from normalize._process import Document, Entity, process
from normalize._scale._batch import LinkedMentions, ResolvedColumns, link_many, resolve_many
from normalize._scale._dask import link_dask, resolve_dask, worker_gazetteer
from normalize._translate import Translator, translate
from normalize._version import __version__

__all__ = [
    "AdminRef",
    "BackendUnavailableError",
    "DEFAULT_MIN_SCORE",
    "Document",
    "Entity",
    "Entry",
    "Gazetteer",
    "GazetteerFormatError",
    "GazetteerNotFoundError",
    "IndexFormatError",
    "LinkedMentions",
    "Linker",
    "Match",
    "Mention",
    "ModelNotFoundError",
    "Name",
    "NormalizeError",
    "ResolvedColumns",
    "RowProblem",
    "TranslationError",
    "Translator",
    "UnknownEntryError",
    "__version__",
    "candidates",
    "default_gazetteer",
    "detect_language",
    "detect_script",
    "fold",
    "link",
    "link_dask",
    "link_many",
    "process",
    "resolve",
    "resolve_dask",
    "resolve_many",
    "skeleton",
    "translate",
    "worker_gazetteer",
]
