"""Reader for the GeoNames dump formats (``IQ.txt``, ``allCountries.txt``, ``alternateNamesV2.txt``, ...).

Files read (all UTF-8, tab-separated, as published at https://download.geonames.org/export/dump/):

* the ``geoname`` table: 19 columns (``IQ.txt``, ``cities500.txt``, ``allCountries.txt``), plain or as the
  ``.zip`` GeoNames distributes (streamed from the archive, never extracted to disk);
* ``alternateNamesV2.txt`` (10 columns) or the older ``alternateNames.txt`` (8 columns), plain or zipped;
* ``admin1CodesASCII.txt`` and ``admin2Codes.txt`` (4 columns each), which give the division names.

Design, so that a 1.5 GB ``allCountries.txt`` and a 700 MB ``alternateNamesV2.txt`` fit in bounded memory:

1. Pass 1 streams the geoname table, validates every row that survives the ``countries`` and
   ``feature_classes`` filters, and keeps only the set of their integer ids.
2. The alternate-names file is streamed once; only rows for ids in that set, in a real language, are kept
   (one ``"lang\\ttext"`` string per row, grouped by id).
3. Pass 2 streams the geoname table again and yields one :class:`~normalize._gazetteer._entry.Entry` per kept row,
   dropping its alternate names from memory as it goes.

Without an alternate-names file, a single pass is made. The admin-code files are small (about 50k rows for
the whole world) and are read into a dict up front.

Rows that survive the filters are validated in full; rows filtered out are only checked for their column
count and id, so the real dumps (which hold rows with an empty country or feature class outside ``P``/``A``)
read without complaint. A malformed row raises :class:`~normalize._errors.GazetteerFormatError` naming the
file, the line and the field; with ``on_error="skip"`` it is skipped and recorded as a
:class:`~normalize._errors.RowProblem` in ``problems`` (or, when no list is given, reported in one warning).
"""

from __future__ import annotations

import codecs
import math
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal

from normalize._errors import GazetteerFormatError, GazetteerNotFoundError, RowProblem
from normalize._gazetteer._entry import AdminRef, Entry, Name

OnError = Literal["raise", "skip"]
PathLike = str | os.PathLike[str]

GEONAME_COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
                   "feature class", "feature code", "country code", "cc2", "admin1 code", "admin2 code",
                   "admin3 code", "admin4 code", "population", "elevation", "dem", "timezone",
                   "modification date")
ALTERNATE_COLUMNS = ("alternateNameId", "geonameid", "isolanguage", "alternate name", "isPreferredName",
                     "isShortName", "isColloquial", "isHistoric", "from", "to")
ADMIN_COLUMNS = ("code", "name", "asciiname", "geonameid")

#: ``isolanguage`` values GeoNames uses for things that are not names in a language.
PSEUDO_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "wkdt", "phon",
                              "piny", "fr_1793"})

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FEATURE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
# The project TSV format accepts only BCP 47-like tags; anything else GeoNames invents is a pseudo-language.
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_ADMIN_CODE = re.compile(r"^[A-Z]{2}\.[^.\s]+(?:\.[^.\s]+)?$")
_COL = {name: i for i, name in enumerate(GEONAME_COLUMNS)}


class _Reporter:
    """Raises or records row problems according to ``on_error``."""

    def __init__(self, on_error: OnError, problems: list[RowProblem] | None) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
        self.on_error = on_error
        self.problems = problems if problems is not None else []
        self.owns_list = problems is None
        self.start = len(self.problems)

    def report(self, exc: GazetteerFormatError) -> None:
        if self.on_error == "raise":
            raise exc
        self.problems.append(RowProblem(exc.path or "", exc.line or 0, exc.field, exc.reason))

    def finish(self) -> None:
        skipped = len(self.problems) - self.start
        if self.owns_list and skipped:
            first = self.problems[self.start]
            warnings.warn(f"skipped {skipped} malformed GeoNames row(s); first: {first.as_error()}",
                          RuntimeWarning, stacklevel=3)


@contextmanager
def _open_binary(path: PathLike) -> Iterator[IO[bytes]]:
    """Open a dump file, or the data member of a GeoNames ``.zip`` (which also holds ``readme.txt``)."""
    p = Path(path)
    if not p.is_file():
        raise GazetteerNotFoundError(f"{p}: no such GeoNames file")
    if p.suffix.lower() != ".zip":
        with open(p, "rb", buffering=1 << 20) as fh:
            yield fh
        return
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile as exc:
        raise GazetteerFormatError(f"not a readable zip archive ({exc})", path=str(p)) from None
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".txt")]
        same_stem = [i for i in members if Path(i.filename).stem == p.stem]
        data = [i for i in members if Path(i.filename).name.lower() != "readme.txt"]
        chosen = same_stem or data
        if len(chosen) != 1:
            names = ", ".join(i.filename for i in members) or "none"
            raise GazetteerFormatError(
                f"expected one data .txt member (named {p.stem}.txt) in the archive; .txt members: {names}",
                path=str(p))
        with zf.open(chosen[0]) as fh:
            yield fh


def _rows(path: PathLike, reporter: _Reporter) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` for each data line; tolerates a BOM and CRLF, skips blank and ``#`` lines."""
    where = str(path)
    with _open_binary(path) as fh:
        # Iterating a binary stream splits on b"\n" only, so a stray "\r" inside a cell cannot split a row.
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                reporter.report(GazetteerFormatError(f"is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                                                     path=where, line=lineno))
                continue
            line = line.rstrip("\r\n")
            if line[:1] in ("", "#") or line.isspace():
                continue
            yield lineno, line.split("\t")


def _fail(path: PathLike, lineno: int, field: str | None, message: str) -> GazetteerFormatError:
    return GazetteerFormatError(message, path=str(path), line=lineno, field=field)


def _int(path: PathLike, lineno: int, field: str, value: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise _fail(path, lineno, field, f"{value!r} is not a non-negative integer")
    return int(value)


def _coordinate(path: PathLike, lineno: int, field: str, value: str, limit: float) -> float:
    value = value.strip()
    try:
        x = float(value)
    except ValueError:
        raise _fail(path, lineno, field, f"{value!r} is not a number") from None
    if not (math.isfinite(x) and -limit <= x <= limit):
        raise _fail(path, lineno, field, f"{value!r} is outside [{-limit}, {limit}]")
    return x


# --------------------------------------------------------------------------------------------- admin codes


def read_admin_codes(paths: PathLike | Sequence[PathLike], *, on_error: OnError = "raise",
                     problems: list[RowProblem] | None = None) -> dict[str, str]:
    """``{"IQ.18": "Şalāḩ ad Dīn", "IQ.18.90148": "Tikrit District", ...}`` from admin1/admin2 code files.

    The file kind does not matter: a code with one dot is a first-level division, with two a second-level one.
    """
    reporter = _Reporter(on_error, problems)
    out = _read_admin_codes(paths, reporter)
    reporter.finish()
    return out


def _read_admin_codes(paths: PathLike | Sequence[PathLike], reporter: _Reporter) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        for lineno, cells in _rows(path, reporter):
            try:
                if len(cells) != len(ADMIN_COLUMNS):
                    raise _fail(path, lineno, None,
                                f"expected {len(ADMIN_COLUMNS)} tab-separated columns, got {len(cells)}")
                code, name, asciiname, gid = (c.strip() for c in cells)
                if not _ADMIN_CODE.match(code):
                    raise _fail(path, lineno, "code", f"{code!r} is not a GeoNames admin code such as 'IQ.18'")
                if gid:
                    _int(path, lineno, "geonameid", gid)
                if not (name or asciiname):
                    raise _fail(path, lineno, "name", "is empty")
            except GazetteerFormatError as exc:
                reporter.report(exc)
                continue
            out.setdefault(code, name or asciiname)
    return out


# ------------------------------------------------------------------------------------------ alternate names


def _read_alternates(path: PathLike, keep: set[int], reporter: _Reporter) -> dict[int, list[str]]:
    """Alternate names of the ids in ``keep``, as ``"lang\\ttext"`` strings in file order."""
    out: dict[int, list[str]] = {}
    for lineno, cells in _rows(path, reporter):
        try:
            if len(cells) not in (8, 10):
                raise _fail(path, lineno, None,
                            f"expected 10 (alternateNamesV2) or 8 (alternateNames) tab-separated columns, "
                            f"got {len(cells)}")
            raw_id = cells[1]
            # inline fast path: this loop runs once per row of a 700 MB file
            gid = int(raw_id) if raw_id.isdigit() and raw_id.isascii() else _int(path, lineno, "geonameid", raw_id)
            if gid not in keep:
                continue
            _int(path, lineno, "alternateNameId", cells[0])
            lang = cells[2].strip()
            text = cells[3].strip()
            if not text:
                raise _fail(path, lineno, "alternate name", "is empty")
        except GazetteerFormatError as exc:
            reporter.report(exc)
            continue
        if lang in PSEUDO_LANGUAGES:
            continue  # links, postcodes, airport codes, transliterations: not names of the place
        lang = lang.replace("_", "-")
        if lang and not _LANG.match(lang):
            continue  # a pseudo-language GeoNames added after this list was written
        out.setdefault(gid, []).append(f"{lang}\t{text}")
    return out


# ---------------------------------------------------------------------------------------- the geoname table


def _parse_filter(countries: Collection[str] | None) -> frozenset[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    out = frozenset(c.strip().upper() for c in countries)
    bad = sorted(c for c in out if not _COUNTRY.match(c))
    if bad:
        raise ValueError(f"countries must be ISO 3166-1 alpha-2 codes such as 'IQ'; got {bad}")
    return out


class _Table:
    """Row parsing for one geoname table with its filters."""

    def __init__(self, path: PathLike, countries: frozenset[str] | None, classes: frozenset[str],
                 admin_names: dict[str, str]) -> None:
        self.path = path
        self.countries = countries
        self.classes = classes
        self.admin_names = admin_names
        self.source = "geonames:" + Path(path).name

    def selected_id(self, lineno: int, cells: list[str]) -> int | None:
        """The row's id if it passes the filters, else None; checks only the structure."""
        if len(cells) != len(GEONAME_COLUMNS):
            raise _fail(self.path, lineno, None,
                        f"expected {len(GEONAME_COLUMNS)} tab-separated columns, got {len(cells)}")
        raw_id = cells[0]
        gid = int(raw_id) if raw_id.isdigit() and raw_id.isascii() else _int(self.path, lineno, "geonameid", raw_id)
        if cells[_COL["feature class"]].strip() not in self.classes:
            return None
        if self.countries is not None and cells[_COL["country code"]].strip().upper() not in self.countries:
            return None
        return gid

    def entry(self, lineno: int, cells: list[str], gid: int, alternates: list[str] | None) -> Entry:
        """The row as an Entry; with ``alternates=None`` (pass 1: validation only) its names are left empty."""
        path, col = self.path, _COL

        def cell(field: str) -> str:
            return cells[col[field]].strip()

        name = cell("name")
        if not name:
            raise _fail(path, lineno, "name", "is empty")
        country = cell("country code")
        if not _COUNTRY.match(country):
            raise _fail(path, lineno, "country code", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        kind = cell("feature code")
        if not _FEATURE_CODE.match(kind):
            raise _fail(path, lineno, "feature code", f"{kind!r} is not a GeoNames feature code such as 'PPL'")
        lat = _coordinate(path, lineno, "latitude", cell("latitude"), 90.0)
        lon = _coordinate(path, lineno, "longitude", cell("longitude"), 180.0)
        pop_cell = cell("population")
        population = _int(path, lineno, "population", pop_cell) if pop_cell else 0
        a1, a2 = cell("admin1 code"), cell("admin2 code")
        admin1 = admin2 = None
        if a1 and a1 != "00":  # "00" is GeoNames for "no first-level division"
            code1 = f"{country}.{a1}"
            admin1 = AdminRef(code1, self.admin_names.get(code1, ""))
            if a2:
                code2 = f"{code1}.{a2}"
                admin2 = AdminRef(code2, self.admin_names.get(code2, ""))
        return Entry(f"geonames:{gid}", name, kind, country, admin1, admin2, lat, lon, population,
                     () if alternates is None else
                     _names(name, cell("asciiname"), cell("alternatenames"), alternates), self.source)


def _names(name: str, asciiname: str, alternatenames: str, alternates: list[str]) -> tuple[Name, ...]:
    """Canonical, ascii and untagged alternate names, then tagged rows (which replace equal untagged ones)."""
    names: list[Name] = []
    position: dict[Name, int] = {}
    texts: set[str] = set()

    def add(n: Name) -> None:
        if n not in position:
            position[n] = len(names)
            names.append(n)
            texts.add(n.text)

    for text in (name, asciiname, *alternatenames.split(",")):
        text = text.strip()
        if text:
            add(Name(text))
    for packed in alternates:
        lang, _, text = packed.partition("\t")
        if not lang:
            if text not in texts:  # an untagged copy of a tagged name adds nothing
                add(Name(text))
            continue
        tagged = Name(text, lang)
        if tagged in position:
            continue
        i = position.pop(Name(text), None)
        if i is None:
            add(tagged)
        else:
            names[i] = tagged
            position[tagged] = i
    return tuple(names)


def read_geonames(path: PathLike, *, alternate_names: PathLike | None = None,
                  admin_codes: PathLike | Sequence[PathLike] | None = None,
                  countries: Collection[str] | None = None, feature_classes: Collection[str] = ("P", "A"),
                  on_error: OnError = "raise", problems: list[RowProblem] | None = None) -> Iterator[Entry]:
    """Yield one :class:`Entry` per row of a GeoNames ``geoname`` table, in file order.

    ``path`` is ``IQ.txt``, ``cities500.txt``, ``allCountries.txt`` or a GeoNames ``.zip`` of one of them.
    ``alternate_names`` (``alternateNamesV2.txt`` or ``alternateNames.txt``, optionally zipped) adds
    language-tagged names; ``admin_codes`` (``admin1CodesASCII.txt``, ``admin2Codes.txt``, one path or
    several) gives the names of the ``admin1``/``admin2`` divisions. ``countries`` (ISO alpha-2 codes) and
    ``feature_classes`` (GeoNames classes: ``P`` populated places, ``A`` divisions, ...) select rows.

    Entry ids are ``geonames:<geonameid>``; ``kind`` is the feature code; ``source`` is ``geonames:`` plus
    the file name. A malformed row raises :class:`GazetteerFormatError` (file, line, field); with
    ``on_error="skip"`` it is skipped and appended to ``problems`` as a :class:`RowProblem`.
    """
    reporter = _Reporter(on_error, problems)
    country_filter = _parse_filter(countries)
    classes = frozenset(c.strip().upper() for c in feature_classes)
    admin_names = _read_admin_codes(admin_codes, reporter) if admin_codes is not None else {}
    table = _Table(path, country_filter, classes, admin_names)
    return _generate(table, alternate_names, reporter)


def _generate(table: _Table, alternate_names: PathLike | None, reporter: _Reporter) -> Iterator[Entry]:
    if alternate_names is None:
        yield from _scan(table, reporter, None, lambda gid: [])
        reporter.finish()
        return
    keep: set[int] = set()
    for _ in _scan(table, reporter, keep, lambda gid: None):
        pass
    alternates = _read_alternates(alternate_names, keep, reporter)
    # Pass 2: rows are known valid, so nothing is reported twice; only rows kept in pass 1 are rebuilt.
    quiet = _Reporter("skip", [])
    yield from _scan(table, quiet, None, lambda gid: alternates.pop(gid, []), only=keep)
    reporter.finish()


def _scan(table: _Table, reporter: _Reporter, collect: set[int] | None,
          alternates_of: Callable[[int], list[str] | None], *, only: set[int] | None = None) -> Iterator[Entry]:
    """Stream the table; with ``collect``, only record valid ids there (pass 1) instead of building entries."""
    for lineno, cells in _rows(table.path, reporter):
        try:
            gid = table.selected_id(lineno, cells)
            if gid is None or (only is not None and gid not in only):
                continue
            entry = table.entry(lineno, cells, gid, alternates_of(gid))
        except GazetteerFormatError as exc:
            reporter.report(exc)
            continue
        if collect is not None:
            collect.add(gid)
        else:
            yield entry
