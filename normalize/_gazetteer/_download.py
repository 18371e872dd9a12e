"""Download GeoNames country dumps and compile them into one gazetteer index (``normalize gazetteer download``).

For each country ``CC`` the folder receives what https://download.geonames.org/export/dump/ publishes, in the
same layout: ``CC.zip`` (the geoname table), ``alternatenames/CC.zip`` (its alternate names) and, once for all
countries, ``admin1CodesASCII.txt`` and ``admin2Codes.txt``; then ``geonames-CC-....nidx``, the compiled index.

* Atomic: a file is written to ``NAME.part`` and renamed into place only once it is complete and verified, so a
  file under its real name is always whole. An interrupted download leaves the ``.part``, which the next run
  resumes with an HTTP ``Range`` request (or starts over when the server ignores the range).
* Verified: each zip opens, its CRCs check (``testzip``) and it holds ``CC.txt``; the admin-code files parse.
  The geoname and alternate-name rows are parsed by the GeoNames reader when the index is built, right after;
  a file that fails there is removed too. GeoNames publishes no checksums, so the SHA-256 of each file is
  recorded in the result instead.
* Idempotent: a file already present that verifies is not fetched again, and an index built from exactly these
  files (by this version of the library) is not built again, so a second run makes no request and no work.

Only the standard library speaks HTTP (``urllib.request``); nothing here is imported by ``import normalize``
beyond this module's own few standard-library imports.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from normalize._cache import CACHE_ENV, cache_dir
from normalize._errors import DownloadError, GazetteerFormatError, IndexFormatError, InvalidOptionError
from normalize._gazetteer._facade import Gazetteer
from normalize._types import StrPath
from normalize._version import __version__

if TYPE_CHECKING:
    from email.message import Message

__all__ = ["ADMIN_FILES", "GEONAMES_URL", "TIMEOUT_S", "DownloadResult", "DownloadedFile",
           "download_geonames"]

#: GeoNames's dump folder, where ``CC.zip``, ``alternatenames/CC.zip`` and the admin-code files are published.
GEONAMES_URL = "https://download.geonames.org/export/dump/"
#: Seconds a connection attempt or one read may stall before the download fails: long enough for a slow, busy
#: server (GeoNames's often is), short enough that an unreachable one is reported instead of hanging.
TIMEOUT_S = 60.0
#: The division-name files, the same for every country (world-wide), fetched once per folder.
ADMIN_FILES = ("admin1CodesASCII.txt", "admin2Codes.txt")
#: Bytes read per chunk: small enough for a smooth progress bar, large enough that Python's loop costs nothing.
_CHUNK = 1 << 16
#: Identifies this client in the server's logs (urllib's default names only Python).
_USER_AGENT = f"normalize-gazetteer/{__version__} (Python urllib)"
#: Part of the index checksum, so an index is reused only for the very same files read the same way.
_INDEX_TAG = "normalize geonames download 1"


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    """One file of a download: where it is, where it came from, its SHA-256 and size, and whether this call
    fetched it (``False``: it was already there and verified, so it was reused)."""

    path: Path
    url: str
    sha256: str
    size: int
    fetched: bool


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """What :func:`download_geonames` made: the compiled ``index`` (open it with ``Gazetteer.open_index``, or name it
    in ``$NORMALIZE_GAZETTEER``), the ``countries`` in it, every source ``file`` and the number of ``entries``."""

    index: Path
    countries: tuple[str, ...]
    files: tuple[DownloadedFile, ...]
    entries: int


@dataclass(frozen=True, slots=True)
class _Remote:
    """A file to fetch: its path relative to the base URL (and to the folder), the country it is of (``None``
    for the admin-code files) and the zip member it must hold (``None``: not a zip)."""

    name: str
    url: str
    country: str | None
    member: str | None


@dataclass(frozen=True, slots=True)
class _Job:
    """One call's settings, passed down instead of kept anywhere global."""

    base: str
    folder: Path
    countries: tuple[str, ...]
    remotes: tuple[_Remote, ...]
    timeout: float
    progress: bool


def download_geonames(countries: str | Iterable[str], *, base_url: str = GEONAMES_URL, folder: StrPath | None = None,
                      progress: bool | None = None, timeout: float = TIMEOUT_S) -> DownloadResult:
    """Fetch the GeoNames dumps of ``countries`` (ISO 3166-1 alpha-2 codes, e.g. ``["IQ", "SY"]``), verify them and
    compile one gazetteer of their places to ``<folder>/geonames-IQ-SY.nidx``.

    ``folder`` defaults to ``geonames/`` in the cache folder (``$NORMALIZE_CACHE_DIR``); with the cache disabled
    it must be given. ``base_url`` is a folder laid out like GeoNames's (a mirror, or a ``file:`` URL of a copy).
    ``progress``: a progress bar on stderr (default: when stderr is a terminal). ``timeout``: seconds a connection
    or read may stall. Files already in the folder that verify are not fetched again; an interrupted download
    resumes. Raises :class:`DownloadError` (server unreachable, with the offline route; no dump for a country;
    a corrupt file, which is removed) and :class:`InvalidOptionError` for a malformed code or URL.

    GeoNames data (https://www.geonames.org/) is licensed under CC BY 4.0.
    """
    codes = _country_codes(countries)
    base = _base_url(base_url)
    if not timeout > 0:
        raise InvalidOptionError("timeout", timeout, "a positive number of seconds")
    remotes = [_Remote(name, base + name, None, None) for name in ADMIN_FILES]
    for cc in codes:
        remotes.append(_Remote(f"{cc}.zip", f"{base}{cc}.zip", cc, f"{cc}.txt"))
        # GeoNames names the member of alternatenames/CC.zip CC.txt as well (alternateNamesV2 columns).
        remotes.append(_Remote(f"alternatenames/{cc}.zip", f"{base}alternatenames/{cc}.zip", cc, f"{cc}.txt"))
    if progress is None:
        progress = sys.stderr is not None and sys.stderr.isatty()
    job = _Job(base, _folder(folder), codes, tuple(remotes), float(timeout), bool(progress))
    files = tuple(_ensure(remote, job) for remote in job.remotes)
    index = job.folder / f"geonames-{'-'.join(codes)}.nidx"
    entries = _build_index(index, job, files)
    return DownloadResult(index, codes, files, entries)


# ------------------------------------------------------------------------------------------------- options


def _country_codes(countries: str | Iterable[str]) -> tuple[str, ...]:
    allowed = "ISO 3166-1 alpha-2 country codes (two letters, such as 'IQ')"
    items = [countries] if isinstance(countries, str) else list(countries)
    if not items:
        raise InvalidOptionError("countries", countries, "one or more " + allowed)
    codes: set[str] = set()
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else ""
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise InvalidOptionError("countries", item, allowed)
        codes.add(code)
    return tuple(sorted(codes))


def _base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://", "file:")):
        raise InvalidOptionError("base_url", base_url,
                                 "an http://, https:// or file: URL of a folder laid out like " + GEONAMES_URL)
    return base_url if base_url.endswith("/") else base_url + "/"


def _folder(folder: StrPath | None) -> Path:
    if folder is None:
        found = cache_dir("geonames")
        if found is None:
            raise InvalidOptionError("folder", None, f"a folder to download into: the default, geonames/ in the "
                                                     f"cache folder, is unavailable because ${CACHE_ENV} disables "
                                                     f"the cache")
        path = found
    else:
        path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the download folder {path} ({exc.strerror or exc})") from None
    return path


# ------------------------------------------------------------------------------------------------ one file


def _ensure(remote: _Remote, job: _Job) -> DownloadedFile:
    """The file in place and verified: reused when it already is, else fetched (resuming a ``.part``)."""
    target = job.folder / remote.name
    part = target.with_name(target.name + ".part")
    if target.is_file():
        if _problem(target, remote) is None:
            part.unlink(missing_ok=True)  # left by an earlier interrupted fetch of what is now whole
            return _record(target, remote, fetched=False)
        target.unlink()  # damaged since it was verified (or put there by hand): fetch it anew
    target.parent.mkdir(parents=True, exist_ok=True)
    resumed = _fetch(remote, part, job)
    problem = _problem(part, remote)
    if problem is not None and resumed:
        # The .part may hold the start of an older version of the file (GeoNames rewrites the dumps daily),
        # which makes the joined file corrupt: fetch it whole, once.
        part.unlink()
        _fetch(remote, part, job)
        problem = _problem(part, remote)
    if problem is not None:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{remote.url} arrived corrupt ({problem}); the download {part} was removed. Run the "
                            f"command again to fetch it anew; if it fails the same way, the server's copy is "
                            f"damaged: try later", url=remote.url)
    os.replace(part, target)
    return _record(target, remote, fetched=True)


def _record(path: Path, remote: _Remote, *, fetched: bool) -> DownloadedFile:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return DownloadedFile(path, remote.url, digest.hexdigest(), path.stat().st_size, fetched)


def _problem(path: Path, remote: _Remote) -> str | None:
    """What is wrong with a downloaded file, or ``None`` when it verifies."""
    if remote.member is None:
        from normalize._gazetteer._geonames import read_admin_codes

        try:
            codes = read_admin_codes(path)
        except GazetteerFormatError as exc:
            return f"not a GeoNames admin-code file: {exc}"
        return None if codes else "no admin codes in it"
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if remote.member not in names:
                return f"no {remote.member} in the archive, which holds {', '.join(names) or 'nothing'}"
            bad = zf.testzip()
            if bad is not None:
                return f"member {bad} fails its CRC check"
            if zf.getinfo(remote.member).file_size == 0:
                return f"{remote.member} is empty"
    # What a damaged archive raises: a bad directory, a truncated or garbled compressed stream, an unknown method.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        return f"not a readable zip archive: {exc}"
    return None


def _fetch(remote: _Remote, part: Path, job: _Job) -> bool:
    """Download ``remote`` into ``part``, resuming what ``part`` holds; ``True`` when it was resumed."""
    import http.client
    import urllib.error
    import urllib.request

    offset = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(remote.url, headers={"User-Agent": _USER_AGENT})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=job.timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset:  # the .part is as long as the file or longer (the file changed): start over
            part.unlink()
            return _fetch(remote, part, job)
        raise _http_error(remote, exc.code, str(exc.reason), job) from None
    except urllib.error.URLError as exc:  # DNS failure, refused, unreachable, timed out, TLS
        raise _unreachable(remote, exc.reason, job) from None
    except (OSError, http.client.HTTPException) as exc:  # a timeout or reset raised past urllib's wrapping
        raise _unreachable(remote, exc, job) from None
    with response:
        status = response.status or 200  # file: URLs answer without a status
        resumed = offset > 0 and status == 206
        if resumed and _range_start(response.headers) != offset:
            response.close()
            part.unlink()  # a range other than the one asked for: take the whole file instead
            return _fetch(remote, part, job)
        if status == 206 and not resumed:
            raise DownloadError(f"{remote.url}: the server sent part of the file when asked for all of it",
                                url=remote.url)
        length = _content_length(response.headers)
        start = offset if resumed else 0
        received = 0
        with part.open("ab" if resumed else "wb") as out, _bar(remote.name, length, start, job.progress) as bar:
            while True:
                try:
                    chunk = response.read(_CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise _interrupted(remote, part, start + received, exc) from None
                if not chunk:
                    break
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if length is not None and received < length:
        raise _interrupted(remote, part, start + received, f"{length - received} bytes missing")
    return resumed


def _range_start(headers: Message) -> int | None:
    """The first byte of a ``Content-Range: bytes START-END/TOTAL`` answer."""
    value = headers.get("Content-Range", "")
    unit, _, spec = value.partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit == "bytes" and first.isdigit() else None


def _content_length(headers: Message) -> int | None:
    value = headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def _bar(name: str, length: int | None, start: int, show: bool) -> Any:  # Any: tqdm has no type hints
    from tqdm import tqdm

    return tqdm(total=None if length is None else start + length, initial=start, desc=name, unit="B",
                unit_scale=True, unit_divisor=1024, file=sys.stderr, disable=not show, leave=False)


# ----------------------------------------------------------------------------------------------- messages


def _unreachable(remote: _Remote, reason: object, job: _Job) -> DownloadError:
    if remote.url.startswith("file:") and isinstance(reason, FileNotFoundError):
        return _http_error(remote, 404, "Not Found", job)
    cc = job.countries[0]
    names = ", ".join(r.name for r in job.remotes)
    return DownloadError(
        f"could not reach GeoNames at {remote.url} ({reason}). To proceed offline, download {names} from {job.base} "
        f"on a machine with internet, then either copy them into {job.folder} (same layout) and run this again "
        f"(files already there are not fetched), or build an index from one country's files: normalize gazetteer "
        f"build OUT.nidx --geonames {cc}.zip --alternate-names alternatenames/{cc}.zip "
        f"--admin-codes admin1CodesASCII.txt --admin-codes admin2Codes.txt", url=remote.url)


def _http_error(remote: _Remote, code: int, reason: str, job: _Job) -> DownloadError:
    missing = "was not found" + ("" if remote.url.startswith("file:") else " (HTTP 404)")
    if code == 404 and remote.country is not None:
        return DownloadError(f"GeoNames has no dump for country {remote.country!r}: {remote.url} {missing}. Check "
                             f"the code (ISO 3166-1 alpha-2); the dumps are listed at {job.base}", url=remote.url)
    if code == 404:
        return DownloadError(f"{remote.url} {missing}: is {job.base} a GeoNames dump folder (like {GEONAMES_URL})?",
                             url=remote.url)
    return DownloadError(f"{remote.url}: the server answered HTTP {code} {reason}; try again later",
                         url=remote.url)


def _interrupted(remote: _Remote, part: Path, got: int, why: object) -> DownloadError:
    return DownloadError(f"the download of {remote.url} stopped after {got} bytes ({why}); {part} keeps what "
                         f"arrived: run the same command again to resume", url=remote.url)


# ------------------------------------------------------------------------------------------------ the index


def _build_index(index: Path, job: _Job, files: tuple[DownloadedFile, ...]) -> int:
    """Compile the countries' files into ``index`` (or keep the one already built from these very files); the
    number of entries. Parsing the rows here is the last verification: a file that fails it is removed."""
    from normalize._gazetteer._index_file import library_fingerprint

    digest = hashlib.sha256(f"{_INDEX_TAG} {library_fingerprint()}\n".encode())
    for f in files:
        digest.update(f"{f.url} {f.sha256}\n".encode())
    checksum = digest.hexdigest()
    if index.is_file():
        try:
            return len(Gazetteer.open_index(index, checksum=checksum))
        except IndexFormatError:
            pass  # stale, damaged or another version's: built again below
    by_name = {f.path.relative_to(job.folder).as_posix(): f.path for f in files}
    admin = [by_name[name] for name in ADMIN_FILES]
    parts: list[Gazetteer] = []
    for cc in job.countries:
        table, alternates = by_name[f"{cc}.zip"], by_name[f"alternatenames/{cc}.zip"]
        try:
            gazetteer = Gazetteer.from_geonames(table, alternate_names=alternates, admin_codes=admin, countries=[cc])
        except GazetteerFormatError as exc:
            bad = next((p for p in (table, alternates, *admin) if str(p) == exc.path), table)
            bad.unlink(missing_ok=True)
            raise DownloadError(f"{bad} does not read as a GeoNames file ({exc}); it was removed: run the command "
                                f"again to fetch it anew") from None
        if not len(gazetteer):
            table.unlink(missing_ok=True)
            raise DownloadError(f"{table} holds no populated places or administrative divisions of {cc}; it was "
                                f"removed: run the command again to fetch it anew")
        parts.append(gazetteer)
    # One gazetteer under the checksum of its files, so the next run with the same files finds this index valid.
    combined = Gazetteer((entry for part in parts for entry in part), checksum=checksum)
    combined.compile(index)
    return len(combined)
