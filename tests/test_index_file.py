"""Compiled .nidx files: same answers as the in-memory gazetteer; stale, truncated, foreign files rejected."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

import normalize
from normalize import Gazetteer, IndexFormatError
from normalize._gazetteer._default import DEFAULT_FILES, bundled_path

QUERIES = ["Tuz Khurmato", "طوز خورماتو", "Kifri District", "Kirkukk", "Jalawla", "Peshmerga", "Hewler", "Mosoul"]


@pytest.fixture(scope="module")
def region() -> Gazetteer:
    return Gazetteer.load(*(bundled_path(n) for n in DEFAULT_FILES), cache=False)


@pytest.fixture(scope="module")
def compiled(region: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return region.compile(tmp_path_factory.mktemp("idx") / "region.nidx")


def test_compiled_index_answers_like_the_source(region: Gazetteer, compiled: Path) -> None:
    opened = Gazetteer.open_index(compiled, checksum=region.checksum)
    assert len(opened) == len(region) and opened.checksum == region.checksum
    for q in QUERIES:
        assert opened.candidates(q, limit=3) == region.candidates(q, limit=3), q
    assert opened.get("geonames:90026") == region.get("geonames:90026")
    assert "geonames:90026" in opened and "geonames:0" not in opened
    assert opened.candidates("Kifri", within="Diyala", kind="P") == region.candidates("Kifri", within="Diyala",
                                                                                       kind="P")


def test_stale_index_is_rejected(compiled: Path) -> None:
    with pytest.raises(IndexFormatError, match="stale"):
        Gazetteer.open_index(compiled, checksum="0" * 64)


def test_truncated_index_is_rejected(compiled: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.nidx"
    cut.write_bytes(compiled.read_bytes()[:-100])
    with pytest.raises(IndexFormatError, match="truncated"):
        Gazetteer.open_index(cut)
    tiny = tmp_path / "tiny.nidx"
    tiny.write_bytes(b"NORM")
    with pytest.raises(IndexFormatError, match="truncated"):
        Gazetteer.open_index(tiny)


def test_other_version_and_garbage_are_rejected(compiled: Path, tmp_path: Path) -> None:
    data = compiled.read_bytes()
    (head_len,) = struct.unpack("<Q", data[8:16])
    header = json.loads(data[16:16 + head_len])
    header["library"] = "0.0.1"
    new_head = json.dumps(header, sort_keys=True).encode()
    new_head += b" " * (head_len - len(new_head))
    old = tmp_path / "old.nidx"
    old.write_bytes(data[:8] + struct.pack("<Q", head_len) + new_head + data[16 + head_len:])
    with pytest.raises(IndexFormatError, match=r"written by normalize 0\.0\.1"):
        Gazetteer.open_index(old)
    garbage = tmp_path / "garbage.nidx"
    garbage.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(IndexFormatError, match="not a normalize index"):
        Gazetteer.open_index(garbage)
    with pytest.raises(IndexFormatError, match="no such index"):
        Gazetteer.open_index(tmp_path / "absent.nidx")


def test_load_uses_and_refreshes_the_cache(tmp_path: Path) -> None:
    src = tmp_path / "g.tsv"
    region_rows = bundled_path("iraq-curated.tsv").read_text(encoding="utf-8")
    # A self-contained file: the curated rows without their alias rows (whose targets live in region.tsv).
    src.write_text("\n".join(line for line in region_rows.splitlines() if "\talias\t" not in line) + "\n",
                   encoding="utf-8")
    cache = tmp_path / "cache"
    first = Gazetteer.load(src, cache=cache)
    files = list(cache.glob("*.nidx"))
    assert len(files) == 1
    second = Gazetteer.load(src, cache=cache)
    assert second.candidates("Jalawla") == first.candidates("Jalawla")
    assert type(second._store).__name__ == "CompiledStore"  # served from the compiled file
    # Editing the source changes its checksum, so the next load rebuilds rather than serving stale data.
    src.write_text(src.read_text(encoding="utf-8").replace("Jalawla", "Jalawlix"), encoding="utf-8")
    third = Gazetteer.load(src, cache=cache)
    assert third.candidates("Jalawlix", limit=1)[0].why.startswith("exact")
    assert not second.candidates("Jalawlix", limit=1)[0].why.startswith("exact")
    assert len(list(cache.glob("*.nidx"))) == 2


def test_cache_can_be_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    Gazetteer.load(bundled_path("region.tsv"))
    assert not list(tmp_path.rglob("*.nidx"))
    assert normalize.resolve("Kirkuk") is not None
