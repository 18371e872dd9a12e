"""Scale-out on Dask: resolve or link a column of a ``dask.dataframe`` partition by partition.

The gazetteer travels by *path*, never by value: the client compiles it once (:meth:`Gazetteer.compile`, or
``normalize gazetteer build``) and every worker process memory-maps the same ``.nidx`` file
(:meth:`Gazetteer.open_index`), so the operating system shares its pages between the processes of a machine.

Why a per-process cache: Dask runs the partition function once per task, in long-lived worker processes, and
pickles its arguments into every task. Shipping a ``Gazetteer`` object would copy it into each task (a
memory-mapped one cannot be pickled at all), and opening the index inside the function would reopen it for
every partition. :data:`_LOADER` opens each index once per process and hands the same object to every later
task and thread of that process. It is this module's only state; like every cache of the library it is
registered with :func:`normalize.clear_caches`.

Nothing here imports dask or pandas at import time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from normalize._cache import register_cache
from normalize._errors import IndexFormatError
from normalize._scale._batch import link_many, resolve_many
from normalize._types import StrPath

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["link_dask", "load_counts", "resolve_dask", "worker_gazetteer"]



@dataclass(frozen=True, slots=True)
class GazetteerSource:
    """Where a worker finds the gazetteer: a compiled index, project TSV files, or (neither) the default.

    Plain strings only, so that it pickles small into every task.
    """

    index_path: str | None = None
    gazetteer_paths: tuple[str, ...] = ()
    checksum: str | None = None

    @classmethod
    def of(cls, index_path: StrPath | None, gazetteer_paths: StrPath | Sequence[StrPath] | None,
           checksum: str | None) -> GazetteerSource:
        if index_path is not None and gazetteer_paths is not None:
            raise ValueError("give index_path or gazetteer_paths, not both")
        if isinstance(gazetteer_paths, (str, os.PathLike)):
            gazetteer_paths = [gazetteer_paths]
        # Absolute paths: a worker's working directory need not be the client's.
        index = None if index_path is None else str(Path(index_path).absolute())
        tsv = tuple(str(Path(p).absolute()) for p in gazetteer_paths or ())
        return cls(index, tsv, checksum)

    @property
    def key(self) -> str:
        if self.index_path is not None:
            return self.index_path
        return "\0".join(self.gazetteer_paths) if self.gazetteer_paths else "<default>"

    def signature(self) -> tuple[tuple[int, int], ...]:
        """Size and modification time of the files, so a file rewritten in place is reopened."""
        paths = [self.index_path] if self.index_path is not None else list(self.gazetteer_paths)
        out = []
        for p in paths:
            st = os.stat(p)
            out.append((st.st_size, st.st_mtime_ns))
        return tuple(out)

    def open(self) -> Gazetteer:
        from normalize._gazetteer._facade import Gazetteer

        if self.index_path is not None:
            return Gazetteer.open_index(self.index_path, checksum=self.checksum)
        if self.gazetteer_paths:
            # Gazetteer.load keeps a compiled copy in the cache folder, so workers after the first map it.
            gazetteer = Gazetteer.load(*self.gazetteer_paths)
        else:
            from normalize._gazetteer._default import default_gazetteer

            gazetteer = default_gazetteer()
        if self.checksum is not None and gazetteer.checksum != self.checksum:
            raise IndexFormatError(f"{self.key}: stale: the gazetteer has checksum {gazetteer.checksum[:12]}, "
                                   f"the client expected {self.checksum[:12]}")
        return gazetteer


class _ProcessLoader:
    """Gazetteers opened in this process, by source; one instance per process, guarded by its lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, tuple[tuple[tuple[int, int], ...], Gazetteer]] = {}
        self._loads: dict[str, int] = {}
        self._uses: dict[str, int] = {}

    def get(self, source: GazetteerSource) -> Gazetteer:
        signature = source.signature()
        key = source.key
        with self._lock:  # held while opening: two threads of one worker must not both open the index
            self._uses[key] = self._uses.get(key, 0) + 1
            held = self._open.get(key)
            if held is not None and held[0] == signature and source.checksum in (None, held[1].checksum):
                return held[1]
            gazetteer = source.open()
            self._open[key] = (signature, gazetteer)
            self._loads[key] = self._loads.get(key, 0) + 1
            return gazetteer

    def counts(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {k: {"loads": self._loads.get(k, 0), "uses": n} for k, n in self._uses.items()}

    def clear(self) -> None:
        with self._lock:
            self._open.clear()
            self._loads.clear()
            self._uses.clear()


_LOADER = _ProcessLoader()
register_cache(__name__, _LOADER.clear)


def worker_gazetteer(index_path: StrPath | None = None, *,
                     gazetteer_paths: StrPath | Sequence[StrPath] | None = None,
                     checksum: str | None = None) -> Gazetteer:
    """The gazetteer for this process, opened on the first call and shared by every later call with the same
    source (reopened only if the file changes): what a task of any process-based engine (Dask, Spark's
    ``mapInPandas``, a ``multiprocessing`` pool) should call instead of opening the index itself.

    ``index_path``: a ``.nidx`` file (``checksum``, if given, rejects a stale one); ``gazetteer_paths``:
    project TSV files instead; neither: the bundled gazetteer.
    """
    return _LOADER.get(GazetteerSource.of(index_path, gazetteer_paths, checksum))


def load_counts() -> dict[str, dict[str, int]]:
    """In this process: per gazetteer source (the index path), how often it was opened (``loads``) and how
    many partitions used it (``uses``). Ask every worker with ``client.run(load_counts)``."""
    return _LOADER.counts()


def resolve_dask(data: Any, column: str = "name", *, index_path: StrPath | None = None,
                 gazetteer_paths: StrPath | Sequence[StrPath] | None = None, checksum: str | None = None,
                 country: str | Collection[str] | None = None, kind: str | None = None,
                 within: str | None = None, min_score: float | None = None) -> Any:
    """Resolve a column of a Dask DataFrame (or a Dask Series) on the cluster.

    Returns a Dask DataFrame with the columns of :func:`resolve_many` (``id``, ``name``, ``score``, ``lat``,
    ``lon``, ``country``, ``admin1``, ``kind``, ``matched``), with the same partitions and index as ``data``.
    ``index_path``: a ``.nidx`` file every worker can read (``checksum``, if given, rejects a stale one);
    ``gazetteer_paths``: project TSV files instead; neither: the bundled gazetteer. Options as
    :meth:`Gazetteer.resolve`. Each worker process opens the gazetteer once (see the module docstring).
    """
    from normalize._scale._batch import ResolvedColumns

    series = _series(data, column)
    source = GazetteerSource.of(index_path, gazetteer_paths, checksum)
    meta = ResolvedColumns.from_matches([], index=series._meta.index).to_pandas()
    options = {"country": country, "kind": kind, "within": within, "min_score": min_score}
    return series.map_partitions(_resolve_partition, source, options, meta=meta)


def link_dask(data: Any, column: str = "text", *, index_path: StrPath | None = None,
              gazetteer_paths: StrPath | Sequence[StrPath] | None = None, checksum: str | None = None,
              lang: str = "auto", country: str | Collection[str] | None = None,
              min_score: float | None = None) -> Any:
    """Link the place mentions of a text column of a Dask DataFrame (or a Dask Series) on the cluster.

    Returns a Dask DataFrame in long format, one row per mention, indexed by the label of the text's row
    (give the input a unique index, e.g. an article id): ``start``, ``end``, ``surface``, ``id``, ``name``,
    ``score``, as :meth:`LinkedMentions.to_pandas` without ``row`` (a position within a partition means
    nothing globally). Gazetteer and options as :func:`resolve_dask` and :func:`normalize._link.link`.
    """
    from normalize._scale._batch import LinkedMentions

    series = _series(data, column)
    source = GazetteerSource.of(index_path, gazetteer_paths, checksum)
    meta = LinkedMentions.from_mentions([], index=series._meta.index).to_pandas().drop(columns="row")
    options = {"lang": lang, "country": country, "min_score": min_score}
    return series.map_partitions(_link_partition, source, options, meta=meta)


def _series(data: Any, column: str) -> Any:
    import dask.dataframe as dd

    if isinstance(data, dd.DataFrame):
        if column not in data.columns:
            raise KeyError(f"column {column!r} is not in the Dask DataFrame (columns: {list(data.columns)})")
        return data[column]
    if isinstance(data, dd.Series):
        return data
    raise TypeError(f"expected a dask.dataframe DataFrame or Series, not {type(data).__name__}")


def _resolve_partition(part: Any, source: GazetteerSource, options: dict[str, Any]) -> Any:
    return resolve_many(part, gazetteer=_LOADER.get(source), **options).to_pandas()


def _link_partition(part: Any, source: GazetteerSource, options: dict[str, Any]) -> Any:
    return link_many(part, gazetteer=_LOADER.get(source), **options).to_pandas().drop(columns="row")
