"""The project TSV format: reading, writing, malformed rows, alias rows, combining."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from normalize import AdminRef, Entry, Gazetteer, GazetteerFormatError, GazetteerNotFoundError, Name
from normalize._gazetteer._tsv import COLUMNS, parse_names

HEADER = "\t".join(COLUMNS)
TUZ = ("geonames:90026\tTuz Khurmatu\tPPL\tIQ\tIQ.18\tSalah ad Din\t\t\t34.88808\t44.63256\t120712\t"
       "طوز خورماتو@ar|Touz Hourmato\tgeonames:cities500")
KIFRI = "geonames:94298\tKifri\tPPL\tIQ\tIQ.10\tDiyala\t\t\t34.68963\t44.96057\t30143\t\tgeonames:cities500"


def write(tmp_path: Path, *rows: str, name: str = "g.tsv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("# a comment\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_reads_entries_with_languages_and_admins(tmp_path: Path) -> None:
    g = Gazetteer.load(write(tmp_path, TUZ, KIFRI))
    assert len(g) == 2
    tuz = g.get("geonames:90026")
    assert tuz.admin1 == AdminRef("IQ.18", "Salah ad Din")
    assert tuz.population == 120712 and tuz.lat == pytest.approx(34.88808)
    assert Name("طوز خورماتو", "ar") in tuz.names
    assert Name("Touz Hourmato", "") in tuz.names
    assert tuz.names[0] == Name("Tuz Khurmatu")  # the canonical name is always one of the names


def test_round_trip(tmp_path: Path) -> None:
    g = Gazetteer.load(write(tmp_path, TUZ, KIFRI))
    out = tmp_path / "out.tsv"
    g.save(out)
    again = Gazetteer.load(out)
    assert list(again) == list(g)


@pytest.mark.parametrize(("row", "field"), [
    (TUZ.replace("34.88808", "north"), "lat"),
    (TUZ.replace("34.88808", "134.9"), "lat"),
    (TUZ.replace("44.63256", ""), "lon"),
    (TUZ.replace("120712", "-5"), "population"),
    (TUZ.replace("\tIQ\t", "\tIraq\t", 1), "country"),
    (TUZ.replace("geonames:90026", "90026"), "id"),
    (TUZ.replace("\tPPL\t", "\tpopulated place\t"), "kind"),
    (TUZ.replace("\tgeonames:cities500", "\t"), "source"),
    (TUZ.replace("Tuz Khurmatu\t", "\t", 1), "name"),
])
def test_malformed_row_names_file_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    path = write(tmp_path, KIFRI, row)
    with pytest.raises(GazetteerFormatError) as info:
        Gazetteer.load(path)
    err = info.value
    assert err.line == 4 and err.field == field and err.path == str(path)
    assert f"{path}:4" in str(err) and field in str(err)
    assert isinstance(err, ValueError)


def test_wrong_column_count(tmp_path: Path) -> None:
    path = write(tmp_path, KIFRI, "geonames:1\tX\tPPL")
    with pytest.raises(GazetteerFormatError, match=r":4: expected 13 tab-separated columns, got 3"):
        Gazetteer.load(path)


def test_bad_header_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerFormatError, match="header"):
        Gazetteer.load(write(tmp_path, KIFRI, header="id\tname"))
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match="empty"):
        Gazetteer.load(empty)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes((HEADER + "\n" + KIFRI.replace("Kifri\t", "Kifr\xed\t") + "\n").encode("latin-1"))
    with pytest.raises(GazetteerFormatError, match="not UTF-8"):
        Gazetteer.load(path)


def test_missing_file() -> None:
    with pytest.raises(GazetteerNotFoundError):
        Gazetteer.load("/nonexistent/gazetteer.tsv")


def test_skip_mode_counts_and_warns(tmp_path: Path) -> None:
    path = write(tmp_path, TUZ, KIFRI.replace("34.68963", "x"), "geonames:1\tX")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = Gazetteer.load(path, on_error="skip")
    assert [e.id for e in g] == ["geonames:90026"]
    assert [(p.line, p.field) for p in g.problems] == [(4, "lat"), (5, None)]
    assert any("skipped 2 malformed row(s)" in str(w.message) for w in caught)


def test_alias_rows_attach_names_across_files(tmp_path: Path) -> None:
    base = write(tmp_path, TUZ, name="base.tsv")
    alias = "geonames:90026\t\talias\t\t\t\t\t\t\t\t\tدووزخورماتوو@ckb|Tuz Khurmato@en\tcurated"
    extra = write(tmp_path, alias, name="extra.tsv")
    g = Gazetteer.load(base, extra)
    assert len(g) == 1
    names = g.get("geonames:90026").names
    assert Name("دووزخورماتوو", "ckb") in names and Name("Tuz Khurmato", "en") in names
    assert g.resolve("دووزخورماتوو") is not None


def test_alias_without_target_and_duplicate_ids_fail(tmp_path: Path) -> None:
    alias = "geonames:5\t\talias\t\t\t\t\t\t\t\t\tX\tcurated"
    with pytest.raises(GazetteerFormatError, match="alias row for geonames:5"):
        Gazetteer.load(write(tmp_path, alias))
    with pytest.raises(GazetteerFormatError, match="duplicate id geonames:90026"):
        Gazetteer.load(write(tmp_path, TUZ, TUZ, name="dup.tsv"))


def test_combine_keeps_ids_unique(tmp_path: Path) -> None:
    a = Gazetteer.load(write(tmp_path, TUZ, name="a.tsv"))
    b = Gazetteer.load(write(tmp_path, KIFRI, name="b.tsv"))
    both = Gazetteer.combine(a, b)
    assert [e.id for e in both] == ["geonames:90026", "geonames:94298"]
    assert both.checksum != a.checksum
    with pytest.raises(GazetteerFormatError, match="duplicate"):
        Gazetteer.combine(a, a)


def test_parse_names_keeps_at_signs_that_are_not_tags() -> None:
    assert parse_names("a@b.com|Erbil@en| |Hewlêr@ckb-Latn") == (
        Name("a@b.com"), Name("Erbil", "en"), Name("Hewlêr", "ckb-Latn"))


def test_entries_in_memory_and_unknown_id() -> None:
    g = Gazetteer([Entry("normalize:iq/x", "X Town", "PPL", "IQ", names=(Name("X Town"),), source="test")])
    assert "normalize:iq/x" in g and "normalize:iq/y" not in g
    with pytest.raises(KeyError, match="normalize:iq/y"):
        g.get("normalize:iq/y")


def test_format_and_parse_round_trip_exactly() -> None:
    # Compiled indexes store entries as rows and refer to names by position, so the round trip is exact.
    from normalize._gazetteer._default import bundled_path
    from normalize._gazetteer._tsv import format_line, parse_line

    g = Gazetteer.load(bundled_path("region.tsv"), bundled_path("iraq-curated.tsv"), cache=False)
    for entry in g:
        assert parse_line(format_line(entry)) == entry
    odd = Entry("test:x", "X", "PPL", "IQ", names=(Name("X", "en"), Name("Y"), Name("X")), source="t")
    assert parse_line(format_line(odd)) == odd
