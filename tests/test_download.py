"""`normalize.download_geonames` and `normalize gazetteer download`, against a local HTTP server (never the internet).

The server serves a folder laid out like https://download.geonames.org/export/dump/, built from the GeoNames
fixtures in tests/data/geonames, answers ``Range`` requests (``SimpleHTTPRequestHandler`` does not), records
every request, and can be told to ignore ranges or to cut a response short.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import normalize
from normalize import DownloadError, Gazetteer, InvalidOptionError, download_geonames
from normalize._cli import EXIT_OK, EXIT_USAGE, main

DATA = Path(__file__).parent / "data" / "geonames"


@dataclass
class Behaviour:
    """What the server does; tests change it between calls."""

    ranges: bool = True  # answer Range requests with 206 (False: ignore them, like some servers)
    cut: dict[str, int] = field(default_factory=dict)  # path -> bytes to send before dropping the connection, once
    requests: list[tuple[str, str | None, int]] = field(default_factory=list)  # (path, Range header, status)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.behaviour = Behaviour()
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        behaviour = self.server.behaviour
        file = self.server.root / self.path.lstrip("/")
        if not file.is_file():
            self._log(404)
            self.send_error(404)
            return
        data = file.read_bytes()
        asked = self.headers.get("Range")
        match = re.fullmatch(r"bytes=(\d+)-", asked or "")
        start = int(match[1]) if match and behaviour.ranges else 0
        if start >= len(data) > 0:
            self._log(416)
            self.send_error(416)
            return
        body = data[start:]
        self._log(206 if start else 200)
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with self.server.lock:
            cut = behaviour.cut.pop(self.path, None)
        self.wfile.write(body if cut is None else body[:cut])
        if cut is not None:
            self.close_connection = True

    def _log(self, status: int) -> None:
        with self.server.lock:
            self.server.behaviour.requests.append((self.path, self.headers.get("Range"), status))

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass


@dataclass(frozen=True)
class Mirror:
    url: str
    root: Path
    behaviour: Behaviour


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    root = tmp_path / "dump"
    # As GeoNames publishes them: IQ.zip holds IQ.txt and a readme, alternatenames/IQ.zip holds IQ.txt.
    _zip(root / "IQ.zip", {"IQ.txt": (DATA / "IQ.txt").read_bytes(), "readme.txt": b"GeoNames fixture\n"})
    _zip(root / "alternatenames" / "IQ.zip", {"IQ.txt": (DATA / "alternateNamesV2.txt").read_bytes()})
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt"):
        shutil.copy(DATA / name, root / name)
    server = _Server(root)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Mirror(f"http://127.0.0.1:{server.server_address[1]}/", root, server.behaviour)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _free_port() -> int:
    """A port with nothing listening on it (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_download_builds_an_index_that_resolves_alternate_names(mirror: Mirror, tmp_path: Path) -> None:
    folder = tmp_path / "dl"
    result = download_geonames(["iq"], base_url=mirror.url, folder=folder, progress=False)
    assert isinstance(result, normalize.DownloadResult)
    assert result.index == folder / "geonames-IQ.nidx" and result.countries == ("IQ",)
    assert [f.path.relative_to(folder).as_posix() for f in result.files] == [
        "admin1CodesASCII.txt", "admin2Codes.txt", "IQ.zip", "alternatenames/IQ.zip"]
    for f in result.files:
        served = (mirror.root / f.path.relative_to(folder)).read_bytes()
        assert f.fetched and f.size == len(served) and f.sha256 == hashlib.sha256(served).hexdigest()
        assert f.url == mirror.url + f.path.relative_to(folder).as_posix()
    assert not list(folder.rglob("*.part"))
    gazetteer = Gazetteer.open_index(result.index)
    assert result.entries == len(gazetteer) == 7  # the P and A rows; the river (class H) is not a place
    match = gazetteer.resolve("دووز خورماتوو")  # a Sorani name only the alternate-names file has
    assert match is not None and match.id == "geonames:90026"
    tikrit = gazetteer.get("geonames:90150")
    assert tikrit.admin1 is not None and tikrit.admin1.name == "Şalāḩ ad Dīn"  # from admin1CodesASCII.txt


def test_second_call_reuses_files_and_makes_no_request(mirror: Mirror, tmp_path: Path) -> None:
    first = download_geonames("IQ", base_url=mirror.url, folder=tmp_path, progress=False)
    asked = len(mirror.behaviour.requests)
    built = first.index.stat().st_mtime_ns
    second = download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert len(mirror.behaviour.requests) == asked == 4
    assert not any(f.fetched for f in second.files)
    assert [f.sha256 for f in second.files] == [f.sha256 for f in first.files]
    assert second.index == first.index and second.entries == first.entries
    assert second.index.stat().st_mtime_ns == built  # the index of these very files is not built again


def test_a_part_file_resumes_with_a_range_request(mirror: Mirror, tmp_path: Path) -> None:
    served = (mirror.root / "IQ.zip").read_bytes()
    half = len(served) // 2
    (tmp_path / "IQ.zip.part").write_bytes(served[:half])
    result = download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert ("/IQ.zip", f"bytes={half}-", 206) in mirror.behaviour.requests
    assert (tmp_path / "IQ.zip").read_bytes() == served and not (tmp_path / "IQ.zip.part").exists()
    assert next(f for f in result.files if f.path.name == "IQ.zip" and f.path.parent == tmp_path).fetched


def test_a_server_that_ignores_the_range_is_fetched_whole(mirror: Mirror, tmp_path: Path) -> None:
    mirror.behaviour.ranges = False
    served = (mirror.root / "IQ.zip").read_bytes()
    (tmp_path / "IQ.zip.part").write_bytes(b"stale bytes of another version")
    download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert (tmp_path / "IQ.zip").read_bytes() == served


def test_an_interrupted_download_keeps_its_part_and_the_next_run_resumes(mirror: Mirror, tmp_path: Path) -> None:
    mirror.behaviour.cut["/IQ.zip"] = 100
    with pytest.raises(DownloadError, match="run the same command again to resume"):
        download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert (tmp_path / "IQ.zip.part").stat().st_size == 100 and not (tmp_path / "IQ.zip").exists()
    download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert ("/IQ.zip", "bytes=100-", 206) in mirror.behaviour.requests
    assert (tmp_path / "IQ.zip").read_bytes() == (mirror.root / "IQ.zip").read_bytes()


def test_a_country_without_a_dump_names_the_country(mirror: Mirror, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"no dump for country 'XK'") as caught:
        download_geonames(["IQ", "XK"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert caught.value.url == mirror.url + "XK.zip" and "HTTP 404" in str(caught.value)
    assert not (tmp_path / "XK.zip").exists() and not (tmp_path / "XK.zip.part").exists()


@pytest.mark.parametrize("damage", ["garbage", "crc"])
def test_a_corrupt_zip_is_removed(mirror: Mirror, tmp_path: Path, damage: str) -> None:
    bad = mirror.root / "IQ.zip"
    if damage == "garbage":
        bad.write_bytes(b"<html>captive portal</html>")
    else:  # a stored member with one byte changed: the archive opens, the CRC check fails
        text = bytearray((DATA / "IQ.txt").read_bytes())
        _zip(bad, {"IQ.txt": bytes(text)}, zipfile.ZIP_STORED)
        raw = bytearray(bad.read_bytes())
        at = raw.index(text[:40]) + 10
        raw[at] ^= 0x01
        bad.write_bytes(bytes(raw))
    with pytest.raises(DownloadError, match=r"IQ\.zip arrived corrupt .* was removed"):
        download_geonames(["IQ"], base_url=mirror.url, folder=tmp_path, progress=False)
    assert not (tmp_path / "IQ.zip").exists() and not (tmp_path / "IQ.zip.part").exists()
    assert not list(tmp_path.glob("*.nidx"))


def test_offline_names_the_url_and_the_offline_route(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{_free_port()}/"
    with pytest.raises(DownloadError) as caught:
        download_geonames(["IQ"], base_url=base, folder=tmp_path, progress=False)
    message = str(caught.value)
    assert isinstance(caught.value, OSError) and caught.value.url == base + "admin1CodesASCII.txt"
    assert f"could not reach GeoNames at {base}admin1CodesASCII.txt" in message
    assert "normalize gazetteer build OUT.nidx --geonames IQ.zip --alternate-names alternatenames/IQ.zip" in message
    assert str(tmp_path) in message and "\n" not in message


@pytest.mark.parametrize("countries", ["IRQ", ["I1"], [], ["IQ", ""], [42]])
def test_a_bad_country_code_is_an_invalid_option(countries: object, tmp_path: Path) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        download_geonames(countries, folder=tmp_path)  # type: ignore[arg-type]
    assert caught.value.option == "countries" and "ISO 3166-1 alpha-2" in caught.value.allowed


def test_the_default_folder_is_in_the_cache_and_needed_when_it_is_off(mirror: Mirror, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", str(tmp_path / "cache"))
    result = download_geonames(["IQ"], base_url=mirror.url, progress=False)
    assert result.index == tmp_path / "cache" / "geonames" / "geonames-IQ.nidx"
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", "off")
    with pytest.raises(InvalidOptionError, match="disables the cache") as caught:
        download_geonames(["IQ"], base_url=mirror.url, progress=False)
    assert caught.value.option == "folder"


def test_cli_prints_the_index_and_the_export_line(mirror: Mirror, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["gazetteer", "download", "IQ", "--folder", str(tmp_path), "--url", mirror.url, "--no-progress"]
    assert main(argv) == EXIT_OK
    out = capsys.readouterr().out
    index = tmp_path / "geonames-IQ.nidx"
    assert f"index: {index}" in out and "entries: 7 (IQ)" in out and out.count("fetched") == 4
    assert out.splitlines()[-1].strip() == f"export NORMALIZE_GAZETTEER={index}"
    assert main(argv) == EXIT_OK
    assert capsys.readouterr().out.count("reused") == 4


def test_cli_offline_and_bad_code_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{_free_port()}/"
    code = main(["gazetteer", "download", "IQ", "--folder", str(tmp_path), "--url", base, "--no-progress"])
    err = capsys.readouterr().err
    assert code not in (EXIT_OK, EXIT_USAGE)
    assert err.startswith("normalize gazetteer: error: could not reach GeoNames at " + base)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["gazetteer", "download", "IRQ", "--folder", str(tmp_path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("normalize gazetteer: error: COUNTRY='IRQ' is not allowed") and err.count("\n") == 1
