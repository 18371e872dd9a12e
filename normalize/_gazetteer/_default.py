"""The bundled default gazetteer, loaded once on first use (behind a lock) through importlib.resources."""

from __future__ import annotations

import sys
import threading
from importlib import resources
from pathlib import Path

from normalize._cache import register_cache
from normalize._errors import GazetteerNotFoundError
from normalize._gazetteer._facade import Gazetteer

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

#: The files of the default gazetteer, in load order (later files hold alias rows for entries of earlier ones).
DEFAULT_FILES = ("region.tsv", "countries.tsv", "countries-names.tsv", "iraq-curated.tsv", "iraq-subdistricts.tsv",
                 "iraq-villages.tsv", "kurdish-names.tsv", "kurdish-names-2.tsv")


def bundled_dir() -> Traversable:
    """Where the bundled gazetteers are: inside the installed wheel, or at the top of a source checkout."""
    package = resources.files("normalize")
    packed = package / "_gazetteers"
    if packed.is_dir():
        return packed
    # Editable installs and source checkouts: pyproject.toml packs the top-level gazetteers/ folder into
    # the wheel as normalize/_gazetteers, so outside a wheel it is the package's sibling.
    checkout = Path(str(package)).parent / "gazetteers"
    if checkout.is_dir():
        return checkout
    raise GazetteerNotFoundError(f"the bundled gazetteers are missing from this installation ({packed})")


def bundled_path(name: str) -> Path:
    """Filesystem path of one bundled file (the package is installed unzipped, so no extraction is needed)."""
    path = Path(str(bundled_dir() / name))
    if not path.is_file():
        raise GazetteerNotFoundError(f"bundled gazetteer file {name!r} is missing ({path})")
    return path


class _DefaultHolder:
    """Holds the default gazetteer once loaded; one instance, guarded by its lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gazetteer: Gazetteer | None = None

    def get(self) -> Gazetteer:
        gazetteer = self._gazetteer
        if gazetteer is None:
            with self._lock:
                if self._gazetteer is None:
                    self._gazetteer = Gazetteer.load(*(bundled_path(n) for n in DEFAULT_FILES))
                gazetteer = self._gazetteer
        return gazetteer

    def clear(self) -> None:
        with self._lock:
            self._gazetteer = None


_HOLDER = _DefaultHolder()
register_cache("normalize._gazetteer._default", _HOLDER.clear)


def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer (Iraq and its neighbours plus the curated Iraq supplement), loaded once."""
    return _HOLDER.get()
