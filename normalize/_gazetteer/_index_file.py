"""The compiled gazetteer file (``.nidx``): entries and their name index in one memory-mappable file.

Layout: the 8-byte magic ``NORMIDX1``, a little-endian uint64 header length, a UTF-8 JSON header, then raw
NumPy arrays, each starting at a 64-byte boundary. The header records the format version, the library
version that wrote the file (the index depends on the folding rules, so another version's file is
rejected), the SHA-256 of the gazetteer sources, the vocabularies, and each array's dtype, length and
offset. Nothing is unpickled: arrays are read with ``numpy.frombuffer`` over an ``mmap``, so several worker
processes that open the same file share its pages.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from normalize._errors import IndexFormatError
from normalize._version import __version__

MAGIC = b"NORMIDX1"
FORMAT_VERSION = 1
_ALIGN = 64


def library_fingerprint() -> str:
    """``<version>+<digest of the matching layer>``, recorded in every index file and source checksum.

    What an index holds is decided by the matching layer (script detection, folding, the name index) and what
    a lookup does with it by the rest of that layer (ranking weights included), so every file of the
    ``normalize._matching`` package goes into the digest, with the common-word list it reads: a changed rule
    never serves a stale index, even between commits of a development checkout whose version did not move. (A
    change of the row format bumps :data:`FORMAT_VERSION` instead.)
    """
    digest = hashlib.sha256()
    package = resources.files("normalize") / "_matching"
    try:
        items = sorted((item for item in package.iterdir() if item.is_file() and not item.name.endswith(".pyc")),
                       key=lambda item: item.name)
        for item in items:
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
        # The ranking also reads the common-word list, which lives with the gazetteers.
        from normalize._gazetteer._default import bundled_dir
        from normalize._matching._words import WORDS_FILE

        words = bundled_dir() / WORDS_FILE
        if words.is_file():
            digest.update(WORDS_FILE.encode() + b"\0" + words.read_bytes() + b"\0")
    except OSError:  # an installation without sources: the version alone has to do
        digest.update(b"no sources")
    return f"{__version__}+{digest.hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class IndexFile:
    """What an index file holds, once opened."""

    arrays: dict[str, np.ndarray]
    vocab: dict[str, list[str]]
    source_checksum: str
    meta: dict[str, Any]


def write_index_file(path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray],
                     vocab: Mapping[str, list[str]], *, source_checksum: str, meta: Mapping[str, Any],
                     library: str | None = None) -> None:
    """Write atomically (to a temporary name, then rename), so readers never see half a file.

    ``library`` tags a file whose validity is not the library fingerprint's to decide (the bundled outside
    index records the folding fingerprint in ``source_checksum`` instead); by default the fingerprint is recorded.
    """
    table: dict[str, list[Any]] = {}
    offset = 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        table[name] = [arr.dtype.str, int(arr.size), offset]
        offset += _padded(arr.nbytes)
    header = {"format": FORMAT_VERSION, "library": library or library_fingerprint(), "source_checksum": source_checksum,
              "vocab": dict(vocab), "arrays": table, "payload_size": offset, "meta": dict(meta)}
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    head += b" " * (_padded(len(MAGIC) + 8 + len(head)) - (len(MAGIC) + 8 + len(head)))
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            f.write(MAGIC + struct.pack("<Q", len(head)) + head)
            for arr in arrays.values():
                data = np.ascontiguousarray(arr).tobytes()
                f.write(data + b"\0" * (_padded(len(data)) - len(data)))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def read_index_file(path: str | os.PathLike[str], *, expected_checksum: str | None = None,
                    library: str | None = None) -> IndexFile:
    """Open and validate an index file; raises :class:`IndexFormatError` naming what is wrong. ``library``: the
    tag the file must carry instead of this library's fingerprint (see :func:`write_index_file`)."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < len(MAGIC) + 8:
                raise IndexFormatError(f"{p}: truncated or not a normalize index ({size} bytes)")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise IndexFormatError(f"{p}: no such index file") from None
    if mm[:len(MAGIC)] != MAGIC:
        raise IndexFormatError(f"{p}: not a normalize index file (bad magic bytes)")
    (head_len,) = struct.unpack("<Q", mm[len(MAGIC):len(MAGIC) + 8])
    start = len(MAGIC) + 8
    if start + head_len > size:
        raise IndexFormatError(f"{p}: truncated (header runs past the end of the file)")
    try:
        header = json.loads(bytes(mm[start:start + head_len]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise IndexFormatError(f"{p}: corrupt header") from None
    fingerprint = library or library_fingerprint()
    if header.get("format") != FORMAT_VERSION or header.get("library") != fingerprint:
        raise IndexFormatError(
            f"{p}: written by normalize {header.get('library')} (index format {header.get('format')}); this is "
            f"normalize {fingerprint} (format {FORMAT_VERSION}). Rebuild it: normalize gazetteer build ...")
    base = start + head_len
    if base + int(header["payload_size"]) != size:
        raise IndexFormatError(f"{p}: truncated or padded: {size} bytes, expected {base + header['payload_size']}")
    if expected_checksum is not None and header["source_checksum"] != expected_checksum:
        raise IndexFormatError(f"{p}: stale: built from sources with checksum {header['source_checksum'][:12]}, "
                               f"but the gazetteer now has {expected_checksum[:12]}. Rebuild it.")
    arrays = {name: np.frombuffer(mm, dtype=np.dtype(dtype), count=count, offset=base + off)
              for name, (dtype, count, off) in header["arrays"].items()}
    return IndexFile(arrays, header["vocab"], header["source_checksum"], header.get("meta", {}))


def _padded(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN
