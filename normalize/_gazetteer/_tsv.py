"""The project's own editable gazetteer format (documented in ``gazetteers/README.md``)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Iterator
from typing import Literal, TextIO

from normalize._errors import GazetteerFormatError, RowProblem
from normalize._gazetteer._entry import AdminRef, Entry, Name

COLUMNS = ("id", "name", "kind", "country", "admin1_code", "admin1_name", "admin2_code", "admin2_name",
           "lat", "lon", "population", "names", "source")
ALIAS_KIND = "alias"
OnError = Literal["raise", "skip"]

_ID = re.compile(r"^[a-z][a-z0-9_-]*:[^\s|]+$")
_KIND = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def parse_names(cell: str) -> tuple[Name, ...]:
    """``"Tuz Khurmatu@en|طوز خورماتو@ar|Tuzkhurmatu"`` -> names; a trailing ``@tag`` is a language tag."""
    out: list[Name] = []
    for raw in cell.split("|"):
        text = raw.strip()
        if not text:
            continue
        lang = ""
        head, sep, tail = text.rpartition("@")
        if sep and head.strip() and _LANG.match(tail):
            text, lang = head.strip(), tail
        out.append(Name(text, lang))
    return tuple(out)


def format_names(names: Iterable[Name]) -> str:
    return "|".join(f"{n.text}@{n.lang}" if n.lang else n.text for n in names)


class _Row:
    """One parsed data row; raises GazetteerFormatError with the field name on bad cells."""

    def __init__(self, path: str, lineno: int, cells: list[str]) -> None:
        self.path, self.lineno, self.cells = path, lineno, dict(zip(COLUMNS, cells, strict=True))

    def fail(self, field: str, message: str) -> GazetteerFormatError:
        return GazetteerFormatError(message, path=self.path, line=self.lineno, field=field)

    def text(self, field: str, *, required: bool) -> str:
        value = self.cells[field].strip()
        if required and not value:
            raise self.fail(field, "is empty")
        return value

    def number(self, field: str, lo: float, hi: float) -> float | None:
        value = self.cells[field].strip()
        if not value:
            return None
        try:
            x = float(value)
        except ValueError:
            raise self.fail(field, f"{value!r} is not a number") from None
        if not (math.isfinite(x) and lo <= x <= hi):
            raise self.fail(field, f"{value!r} is outside [{lo}, {hi}]")
        return x

    def entry(self) -> Entry:
        ident = self.text("id", required=True)
        if not _ID.match(ident):
            raise self.fail("id", f"{ident!r} is not a namespaced id such as 'geonames:90026'")
        kind = self.text("kind", required=True)
        names = parse_names(self.cells["names"])
        source = self.text("source", required=True)
        if kind == ALIAS_KIND:
            if not names:
                raise self.fail("names", "an alias row needs at least one name")
            return Entry(ident, "", ALIAS_KIND, "", names=names, source=source)
        if not _KIND.match(kind):
            raise self.fail("kind", f"{kind!r} is not a GeoNames feature code (PPL, ADM2, ...) or 'alias'")
        name = self.text("name", required=True)
        country = self.text("country", required=True)
        if not _COUNTRY.match(country):
            raise self.fail("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        pop_cell = self.cells["population"].strip()
        if pop_cell and not pop_cell.isdigit():
            raise self.fail("population", f"{pop_cell!r} is not a non-negative integer")
        lat = self.number("lat", -90.0, 90.0)
        lon = self.number("lon", -180.0, 180.0)
        if (lat is None) != (lon is None):
            raise self.fail("lon" if lon is None else "lat", "lat and lon must be given together")
        a1c, a2c = self.text("admin1_code", required=False), self.text("admin2_code", required=False)
        admin1 = AdminRef(a1c, self.text("admin1_name", required=False)) if a1c else None
        admin2 = AdminRef(a2c, self.text("admin2_name", required=False)) if a2c else None
        if Name(name) not in names:
            names = (Name(name), *names)
        return Entry(ident, name, kind, country, admin1, admin2, lat, lon, int(pop_cell or 0), names, source)


def parse_line(line: str, *, path: str = "<index>", lineno: int = 0) -> Entry:
    """One data row (no trailing newline) to an entry; raises GazetteerFormatError on bad cells."""
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        raise GazetteerFormatError(f"expected {len(COLUMNS)} tab-separated columns, got {len(cells)}",
                                   path=path, line=lineno)
    return _Row(path, lineno, cells).entry()


def format_line(e: Entry) -> str:
    """One entry as a data row (no trailing newline); names other than the canonical one go to ``names``."""
    for n in e.names:
        if any(c in n.text for c in "\t\n\r|"):
            raise GazetteerFormatError(f"name {n.text!r} of {e.id} contains a tab, newline or '|'", field="names")
    # The canonical name is implied when it is the first name, so parse_line(format_line(e)) == e exactly:
    # compiled indexes rely on names keeping their positions.
    others = e.names[1:] if e.names and e.names[0] == Name(e.name) else e.names
    cells = [e.id, e.name, e.kind, e.country,
             e.admin1.code if e.admin1 else "", e.admin1.name if e.admin1 else "",
             e.admin2.code if e.admin2 else "", e.admin2.name if e.admin2 else "",
             "" if e.lat is None else f"{e.lat:.5f}", "" if e.lon is None else f"{e.lon:.5f}",
             str(e.population) if e.population else "", format_names(others), e.source]
    return "\t".join(cells)


def data_lines(stream: TextIO, *, path: str, columns: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of each data row of a project TSV stream: comment and blank lines skipped, the
    header checked against ``columns`` (the gazetteer's and the actor file's format share these rules)."""
    header_seen = False
    for lineno, line in enumerate(stream, start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            cells = line.split("\t")
            if tuple(c.strip() for c in cells) != columns:
                raise GazetteerFormatError(
                    f"header must be the {len(columns)} columns {' '.join(columns)}; got {' '.join(cells)[:200]}",
                    path=path, line=lineno)
            header_seen = True
            continue
        yield lineno, line
    if not header_seen:
        raise GazetteerFormatError("no header row: the file is empty", path=path, line=1)


def read_tsv(stream: TextIO, *, path: str, on_error: OnError = "raise",
             problems: list[RowProblem] | None = None) -> Iterator[Entry]:
    """Yield entries (alias rows included, with ``kind == "alias"``) from an open TSV stream."""
    for lineno, line in data_lines(stream, path=path, columns=COLUMNS):
        try:
            entry = parse_line(line, path=path, lineno=lineno)
        except GazetteerFormatError as exc:
            if on_error == "raise":
                raise
            if problems is not None:
                problems.append(RowProblem(path, lineno, exc.field, exc.reason))
            continue
        yield entry


def write_tsv(entries: Iterable[Entry], stream: TextIO, *, comment: str = "") -> None:
    """Write entries in the project format; names other than the canonical one go to ``names``."""
    for line in comment.splitlines():
        stream.write(f"# {line}\n")
    stream.write("\t".join(COLUMNS) + "\n")
    for e in entries:
        stream.write(format_line(e) + "\n")


def dumps(entries: Iterable[Entry]) -> str:
    buf = io.StringIO()
    write_tsv(entries, buf)
    return buf.getvalue()
