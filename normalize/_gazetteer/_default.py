"""The default gazetteer, loaded once on first use (behind a lock): the bundled files (through
importlib.resources), extended by the gazetteers named in ``$NORMALIZE_GAZETTEER`` (a GeoNames download from
``normalize gazetteer download``, your own TSV files).
"""

from __future__ import annotations

import os
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
                 "iraq-villages.tsv", "iraq-villages-2.tsv", "iraq-villages-3.tsv", "iraq-villages-4.tsv",
                 "iraq-villages-5.tsv", "iraq-villages-6.tsv", "iraq-villages-7.tsv", "iraq-villages-8.tsv",
                 "iraq-villages-9.tsv", "iraq-camps.tsv",
                 "kurdish-names.tsv", "kurdish-names-2.tsv", "kurdish-names-3.tsv", "kurdish-names-4.tsv",
                 "latin-names.tsv", "kurmanji-names.tsv", "kurmanji-names-2.tsv", "turkish-names.tsv",
                 "curated-place-spellings.tsv", "curated-place-spellings-2.tsv", "curated-place-spellings-3.tsv")


#: The environment variable naming gazetteers that extend the bundled one: paths of ``.nidx`` index files or
#: project TSV files, separated by the platform's path separator (``:``; ``;`` on Windows).
GAZETTEER_VARIABLE = "NORMALIZE_GAZETTEER"


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
                    bundled = Gazetteer.load(*(bundled_path(n) for n in DEFAULT_FILES))
                    self._gazetteer = _extended(bundled, os.environ.get(GAZETTEER_VARIABLE, ""))
                gazetteer = self._gazetteer
        return gazetteer

    def clear(self) -> None:
        with self._lock:
            self._gazetteer = None


def _extended(bundled: Gazetteer, setting: str) -> Gazetteer:
    """The bundled gazetteer extended by the files of ``setting``: their new places are added, and their
    entries with an id the bundled files have only add spellings (the curated rows keep their fields). The
    combined index is compiled once into the cache folder, under the checksums of its parts."""
    paths = [Path(p).expanduser() for p in setting.split(os.pathsep) if p.strip()]
    if not paths:
        return bundled
    parts = [bundled]
    for path in paths:
        if not path.is_file():
            raise GazetteerNotFoundError(f"{GAZETTEER_VARIABLE} names {path}, which is not a file (unset the "
                                         f"variable, or run `normalize gazetteer download COUNTRY` again)")
        parts.append(Gazetteer.open_index(path) if path.suffix == ".nidx" else Gazetteer.load(path))
    from normalize._gazetteer import _files

    checksum = Gazetteer._combined_checksum(parts, "merge")
    cache_path = _files.cache_file(True, checksum)
    cached = _files.try_cached(cache_path, checksum)
    if cached is not None:
        return Gazetteer._from_parts(cached.store, index=cached.index, checksum=cached.checksum)
    combined = Gazetteer.combine(*parts, duplicates="merge")
    _files.store_cached(cache_path, combined._store, combined.index, combined.checksum)
    return combined


_HOLDER = _DefaultHolder()
register_cache("normalize._gazetteer._default", _HOLDER.clear)


def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer (Iraq and its neighbours plus the curated Iraq supplement), extended by the
    gazetteers of ``$NORMALIZE_GAZETTEER`` where it is set; loaded once (:func:`normalize.clear_caches` forgets
    it, so a changed variable takes effect)."""
    return _HOLDER.get()
