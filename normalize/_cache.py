"""Where the library keeps files between runs, and the registry of its in-process caches.

On disk: one folder, ``$NORMALIZE_CACHE_DIR`` (``""``, ``off``, ``0`` or ``false`` disable it), else
``$XDG_CACHE_HOME/normalize``, else ``~/.cache/normalize``, resolved when a file is needed (never at import).
Compiled gazetteer indexes go to ``index/``, converted translation models to ``ct2/``.

In memory: every cache the library keeps between calls (the fold memo, the default gazetteer, loaded
translators ...) registers a clear function here, so :func:`clear_caches` resets all of them at once
(tests do this between cases; long-running services may do it to release memory).
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["CACHE_ENV", "PerObject", "cache_dir", "clear_caches", "prune_folder", "register_cache"]

_K = TypeVar("_K")
_V = TypeVar("_V")

#: Environment variable naming the cache folder; an empty value or ``off``/``0``/``false`` disables it.
CACHE_ENV = "NORMALIZE_CACHE_DIR"
_DISABLED = ("", "off", "0", "false", "no")

_lock = threading.Lock()
_clearers: dict[str, Callable[[], None]] = {}


def cache_dir(part: str) -> Path | None:
    """The folder for ``part`` (``"index"``, ``"ct2"``) inside the cache folder, or ``None`` when the cache
    is disabled. The folder is not created here."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        if env.strip().lower() in _DISABLED:
            return None
        root = Path(env).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "normalize"
    return root / part


#: Compiled files kept per cache folder: every change of sources or of the library writes a new one (keyed by
#: checksum), so without a bound a development checkout would fill the disk.
KEEP_FILES = 12


def prune_folder(folder: Path, *, keep: int = KEEP_FILES) -> None:
    """Delete all but the ``keep`` most recently written ``.nidx`` files of ``folder`` (errors ignored: another
    process may be pruning too)."""
    try:
        files = sorted(folder.glob("*.nidx"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def register_cache(name: str, clear: Callable[[], None]) -> None:
    """Register ``clear`` under ``name`` (a module path); registering a name again replaces it."""
    with _lock:
        _clearers[name] = clear


def clear_caches() -> None:
    """Empty every in-process cache of the library (the default gazetteer is loaded again on next use)."""
    with _lock:
        clearers = list(_clearers.values())
    for clear in clearers:
        clear()


class PerObject(Generic[_K, _V]):
    """What ``build`` derives from an object (a name index's per-entry tables), computed on first use and kept
    as long as the object lives (weakly keyed), registered under ``name`` so :func:`clear_caches` empties it.
    Two threads may build the same value at once; both results are equal and the last one is kept."""

    def __init__(self, name: str, build: Callable[[_K], _V]) -> None:
        self._build = build
        self._values: weakref.WeakKeyDictionary[_K, _V] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        register_cache(name, self.clear)

    def get(self, key: _K) -> _V:
        value = self._values.get(key)
        if value is None:
            value = self._build(key)
            with self._lock:
                self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
