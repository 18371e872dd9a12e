"""Reading gazetteer files, the compiled-index cache, and compiling / opening ``.nidx`` files.

``Gazetteer.load`` keeps a compiled index of each set of sources in the cache folder (``index/`` of
:func:`normalize._cache.cache_dir`), keyed by the SHA-256 of the sources and the library fingerprint, so the
next load of the same files memory-maps it instead of parsing and indexing again.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from normalize._cache import cache_dir, prune_folder
from normalize._errors import GazetteerFormatError, GazetteerNotFoundError, IndexFormatError, RowProblem
from normalize._gazetteer._entry import Entry
from normalize._gazetteer._index_file import library_fingerprint, read_index_file, write_index_file
from normalize._gazetteer._store import CompiledStore, EntryStore
from normalize._gazetteer._tsv import OnError, format_line, read_tsv
from normalize._matching._index import KeyTable, NameIndex, StringTable, key_code
from normalize._types import StrPath

__all__ = ["Compiled", "cache_file", "open_compiled", "read_tsv_files", "sources_checksum",
           "warn_skipped", "write_compiled"]



@dataclass(frozen=True, slots=True)
class Compiled:
    """What a compiled index file gives back: the entry store, the name index and the sources' checksum."""

    store: EntryStore
    index: NameIndex
    checksum: str


def existing_files(paths: Sequence[StrPath]) -> list[Path]:
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise GazetteerNotFoundError(f"{path}: no such gazetteer file")
    return files


def sources_checksum(files: Sequence[Path], on_error: OnError) -> str:
    """SHA-256 over the library fingerprint, the error mode and the bytes of every source file, in order."""
    digest = hashlib.sha256(f"normalize {library_fingerprint()} on_error={on_error}\n".encode())
    for path in files:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def cache_file(cache: bool | StrPath, checksum: str) -> Path | None:
    """Where the compiled index of sources with ``checksum`` is cached (``None``: not cached)."""
    if cache is False:
        return None
    folder = cache_dir("index") if cache is True else Path(cache)
    return None if folder is None else folder / f"{checksum[:40]}.nidx"


def read_tsv_files(files: Sequence[Path], on_error: OnError) -> tuple[list[Entry], list[RowProblem]]:
    entries: list[Entry] = []
    problems: list[RowProblem] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as stream:
            try:
                entries.extend(read_tsv(stream, path=str(path), on_error=on_error, problems=problems))
            except UnicodeDecodeError as exc:
                raise GazetteerFormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=str(path)) from None
    return entries, problems


def write_compiled(path: StrPath, store: EntryStore, index: NameIndex, checksum: str) -> Path:
    """Write entries and their index to one memory-mappable file. Rows parse back to identical entries (names
    keep their positions), so the index built for lookups is the one written."""
    rows = StringTable.build(format_line(e) for e in store)
    ids = KeyTable.build([key_code(ident) for ident in store.ids()], list(range(len(store))))
    arrays = {**index.arrays, "rows_blob": rows.blob, "rows_offsets": rows.offsets,
              "ids.codes": ids.codes, "ids.offsets": ids.offsets, "ids.postings": ids.postings}
    write_index_file(path, arrays, index.vocab, source_checksum=checksum,
                     meta={"entries": len(store), "names": len(index)})
    return Path(path)


def open_compiled(path: StrPath, checksum: str | None) -> Compiled:
    data = read_index_file(path, expected_checksum=checksum)
    a = data.arrays
    try:
        store = CompiledStore(StringTable(a["rows_blob"], a["rows_offsets"]),
                              KeyTable(a["ids.codes"], a["ids.offsets"], a["ids.postings"]))
        index = NameIndex({k: a[k] for k in NameIndex.ARRAYS}, data.vocab)
    except KeyError as exc:
        raise IndexFormatError(f"{path}: missing array {exc.args[0]!r}") from None
    return Compiled(store, index, data.source_checksum)


def try_cached(cache_path: Path | None, checksum: str) -> Compiled | None:
    """The cached compiled index, or ``None`` when there is none or it is stale or damaged (then rebuilt)."""
    if cache_path is None or not cache_path.is_file():
        return None
    try:
        return open_compiled(cache_path, checksum)
    except IndexFormatError:
        return None


def store_cached(cache_path: Path | None, store: EntryStore, index: NameIndex, checksum: str) -> None:
    """Write the compiled index to the cache; a read-only or full cache folder only costs speed, never data."""
    if cache_path is None:
        return
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        write_compiled(cache_path, store, index, checksum)
    except OSError:
        return
    prune_folder(cache_path.parent)


def warn_skipped(problems: Sequence[RowProblem]) -> None:
    if problems:
        first = problems[0]
        warnings.warn(f"skipped {len(problems)} malformed row(s); first: {first.path}:{first.line}: "
                      f"field {first.field!r}: {first.message} (see Gazetteer.problems)", stacklevel=4)
