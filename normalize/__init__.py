"""normalize: resolve Arabic, Kurdish and English place names to canonical gazetteer IDs, link them in news text,
and translate the text to English without losing them.

>>> import normalize
>>> normalize.resolve("طوز خورماتو").id
'geonames:90026'

Everything public is importable from here; the private modules show the layers (``_gazetteer`` storage and
formats, ``_matching`` folding to decision, ``_link``, ``_translate``, ``_scale``, ``_cli``; see
docs/architecture.md). Importing this package imports neither torch, transformers, ctranslate2, pandas nor dask.
"""

from __future__ import annotations

from normalize._api import actor, actors, candidates, resolve
from normalize._cache import clear_caches
from normalize._errors import (
    BackendUnavailableError,
    DownloadError,
    GazetteerFormatError,
    GazetteerNotFoundError,
    IndexFormatError,
    InvalidOptionError,
    ModelNotFoundError,
    NormalizeError,
    RowProblem,
    TranslationError,
    UnknownEntryError,
)
from normalize._gazetteer._actors import Actor, FormerName
from normalize._gazetteer._default import default_gazetteer
from normalize._gazetteer._download import DownloadResult, download_geonames
from normalize._gazetteer._entry import AdminRef, Entry, Name
from normalize._gazetteer._facade import Gazetteer
from normalize._link import Linker, Mention, link
from normalize._matching._decision import DEFAULT_MIN_SCORE
from normalize._matching._folding import fold, skeleton
from normalize._matching._language import detect_language
from normalize._matching._match import Match
from normalize._matching._outside import OutsideIndex, OutsidePlace
from normalize._matching._script import detect_script
from normalize._options import LANGUAGES
from normalize._process import Document, Entity, process
from normalize._scale._batch import LinkedMentions, ResolvedColumns, link_many, resolve_many
from normalize._scale._dask import link_dask, resolve_dask, worker_gazetteer
from normalize._signature import Signature
from normalize._translate import Translator, translate
from normalize._version import __version__

__all__ = [
    "Actor",
    "AdminRef",
    "BackendUnavailableError",
    "DEFAULT_MIN_SCORE",
    "Document",
    "DownloadError",
    "DownloadResult",
    "Entity",
    "Entry",
    "FormerName",
    "Gazetteer",
    "GazetteerFormatError",
    "GazetteerNotFoundError",
    "IndexFormatError",
    "InvalidOptionError",
    "LANGUAGES",
    "LinkedMentions",
    "Linker",
    "Match",
    "Mention",
    "ModelNotFoundError",
    "Name",
    "NormalizeError",
    "OutsideIndex",
    "OutsidePlace",
    "ResolvedColumns",
    "RowProblem",
    "Signature",
    "TranslationError",
    "Translator",
    "UnknownEntryError",
    "__version__",
    "actor",
    "actors",
    "candidates",
    "clear_caches",
    "default_gazetteer",
    "detect_language",
    "detect_script",
    "download_geonames",
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

# Public names show the package they are used from (help(), reprs, tracebacks, docs), not the private module
# they are defined in (as httpx does).
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(getattr(_obj, "__module__", None), str) and _obj.__module__.startswith("normalize."):
        _obj.__module__ = "normalize"
del _name, _obj
