"""The GeoNames dump reader, on small excerpts in the exact GeoNames layout (tests/data/geonames/)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from normalize._errors import GazetteerFormatError, GazetteerNotFoundError, RowProblem
from normalize._gazetteer._entry import AdminRef, Entry, Name
from normalize._gazetteer._geonames import read_admin_codes, read_geonames
from normalize._gazetteer._tsv import dumps, read_tsv

DATA = Path(__file__).parent / "data" / "geonames"
IQ = DATA / "IQ.txt"
KW = DATA / "KW.txt"
ALT_V2 = DATA / "alternateNamesV2.txt"
ALT_V1 = DATA / "alternateNames.txt"
ADMIN = [DATA / "admin1CodesASCII.txt", DATA / "admin2Codes.txt"]


def by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def with_row_changed(tmp_path: Path, index: int, column: int, value: str, *, name: str = "IQ.txt") -> Path:
    lines = lines_of(IQ)
    cells = lines[index].rstrip("\n").split("\t")
    cells[column] = value
    lines[index] = "\t".join(cells) + "\n"
    out = tmp_path / name
    out.write_text("".join(lines), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------------------------- mapping


def test_maps_the_geoname_columns() -> None:
    entries = by_id(read_geonames(IQ, admin_codes=ADMIN))
    tuz = entries["geonames:90026"]
    assert tuz.name == "Ţūz Khūrmātū"
    assert tuz.kind == "PPLA2"
    assert tuz.country == "IQ"
    assert (tuz.lat, tuz.lon) == (34.88808, 44.63256)
    assert tuz.population == 120712
    assert tuz.admin1 == AdminRef("IQ.18", "Şalāḩ ad Dīn")
    assert tuz.admin2 is None
    assert tuz.source == "geonames:IQ.txt"
    tikrit = entries["geonames:90150"]
    assert tikrit.admin2 == AdminRef("IQ.18.90148", "Tikrit District")
    assert entries["geonames:90148"].kind == "ADM2"
    assert entries["geonames:90148"].admin_code == "IQ.18.90148"
    assert entries["geonames:91695"].admin_code == "IQ.18"


def test_admin_names_are_empty_without_code_files() -> None:
    tikrit = by_id(read_geonames(IQ))["geonames:90150"]
    assert tikrit.admin1 == AdminRef("IQ.18", "")
    assert tikrit.admin2 == AdminRef("IQ.18.90148", "")


def test_names_without_alternate_file_are_untagged_and_deduplicated() -> None:
    tuz = by_id(read_geonames(IQ))["geonames:90026"]
    texts = [n.text for n in tuz.names]
    assert texts[:2] == ["Ţūz Khūrmātū", "Tuz Khurmatu"]  # canonical, then asciiname
    assert "طوز خورماتو" in texts
    assert len(texts) == len(set(texts))  # "Tuz Khurmatu" is both asciiname and in alternatenames
    assert all(n.lang == "" for n in tuz.names)


def test_file_order_is_kept() -> None:
    ids = [e.id for e in read_geonames(IQ)]
    expected = [f"geonames:{line.split(chr(9))[0]}" for line in lines_of(IQ)
                if line.split("\t")[6] in ("P", "A")]
    assert ids == expected


# ------------------------------------------------------------------------------------------ alternate names


def test_alternate_names_add_language_tags() -> None:
    entries = by_id(read_geonames(IQ, alternate_names=ALT_V2))
    tuz = entries["geonames:90026"]
    assert Name("طوز خورماتو", "ar") in tuz.names
    assert Name("دووز خورماتوو", "ckb") in tuz.names
    assert Name("Tuzhurmatu", "tr") in tuz.names
    assert Name("Tuz Khormato", "") in tuz.names  # an untagged alternate row is kept untagged
    kirkuk = entries["geonames:94787"]
    assert Name("کەرکووک", "ckb") in kirkuk.names
    assert Name("Kerkûk", "ku") in kirkuk.names


def test_tagged_alternate_replaces_equal_untagged_name() -> None:
    tuz = by_id(read_geonames(IQ, alternate_names=ALT_V2))["geonames:90026"]
    same_text = [n for n in tuz.names if n.text == "طوز خورماتو"]
    assert same_text == [Name("طوز خورماتو", "ar")]
    plain = [n.text for n in by_id(read_geonames(IQ))["geonames:90026"].names]
    tagged = [n.text for n in tuz.names]
    # the replacement keeps the position of the untagged name it replaces
    assert tagged[:len(plain)] == plain
    assert [n for n in tuz.names if n.text == "Tuz Khurmatu"] == [Name("Tuz Khurmatu", "en")]


def test_same_text_in_two_languages_keeps_both_tags() -> None:
    baghdad = by_id(read_geonames(IQ, alternate_names=ALT_V2))["geonames:98182"]
    assert [n for n in baghdad.names if n.text == "بغداد"] == [Name("بغداد", "ar"), Name("بغداد", "fa")]


def test_pseudo_language_rows_are_ignored() -> None:
    entries = list(read_geonames(IQ, alternate_names=ALT_V2))
    texts = {n.text for e in entries for n in e.names}
    langs = {n.lang for e in entries for n in e.names}
    assert "https://en.wikipedia.org/wiki/Tuz_Khurmatu" not in texts
    assert "36001" not in texts and "Q1129391" not in texts and "Bagdad-la-Ville" not in texts
    assert langs <= {"", "ar", "ckb", "ku", "fa", "en", "tr"}
    # "BGW" also sits in the untagged alternatenames column; the iata row must not tag it
    assert Name("BGW") in by_id(entries)["geonames:98182"].names


@pytest.mark.parametrize("alternates", [ALT_V2, ALT_V1], ids=["alternateNamesV2", "alternateNames"])
def test_both_alternate_name_layouts_give_the_same_entries(alternates: Path) -> None:
    assert list(read_geonames(IQ, alternate_names=alternates)) == list(read_geonames(IQ, alternate_names=ALT_V2))
    assert len(lines_of(ALT_V1)[0].split("\t")) == 8
    assert len(lines_of(ALT_V2)[0].split("\t")) == 10


def test_entries_round_trip_through_the_project_tsv_format() -> None:
    entries = list(read_geonames(IQ, alternate_names=ALT_V2, admin_codes=ADMIN))
    again = list(read_tsv(io.StringIO(dumps(entries)), path="mem.tsv"))
    assert again == entries


# -------------------------------------------------------------------------------------------------- filters


def both_countries(tmp_path: Path) -> Path:
    out = tmp_path / "allCountries.txt"
    out.write_bytes(IQ.read_bytes() + KW.read_bytes())
    return out


def test_country_filter(tmp_path: Path) -> None:
    path = both_countries(tmp_path)
    assert {e.country for e in read_geonames(path)} == {"IQ", "KW"}
    only_kw = list(read_geonames(path, countries=["kw"], alternate_names=ALT_V2))
    assert [e.id for e in only_kw] == ["geonames:285787", "geonames:285788"]
    assert Name("مدينة الكويت", "ar") in only_kw[0].names


def test_feature_class_filter() -> None:
    default = {e.kind for e in read_geonames(IQ)}
    assert "STM" not in default and {"ADM1", "PPLC"} <= default
    places = list(read_geonames(IQ, feature_classes=["P"]))
    assert places and all(e.kind.startswith("PPL") for e in places)
    rivers = list(read_geonames(IQ, feature_classes=["H"], alternate_names=ALT_V2))
    assert [e.id for e in rivers] == ["geonames:99143"]
    assert Name("نهر دجلة", "ar") in rivers[0].names
    assert rivers[0].admin1 is None  # admin1 "00" means no first-level division


def test_bad_country_filter_is_rejected() -> None:
    with pytest.raises(ValueError, match="alpha-2"):
        read_geonames(IQ, countries=["IRQ"])


# ---------------------------------------------------------------------------------------------------- zip


def make_zip(tmp_path: Path, members: dict[str, bytes], name: str = "IQ.zip") -> Path:
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return out


def test_zip_input_is_streamed(tmp_path: Path) -> None:
    # GeoNames' IQ.zip holds IQ.txt and readme.txt
    archive = make_zip(tmp_path, {"readme.txt": b"GeoNames readme\n", "IQ.txt": IQ.read_bytes()})
    alt_zip = make_zip(tmp_path, {"alternateNamesV2.txt": ALT_V2.read_bytes(),
                                  "iso-languagecodes.txt": b"ISO 639-3\tISO 639-2\n"}, "alternateNamesV2.zip")
    from_zip = list(read_geonames(archive, alternate_names=alt_zip, admin_codes=ADMIN))
    plain = list(read_geonames(IQ, alternate_names=ALT_V2, admin_codes=ADMIN))
    assert [e.id for e in from_zip] == [e.id for e in plain]
    assert [e.names for e in from_zip] == [e.names for e in plain]
    assert from_zip[0].source == "geonames:IQ.zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IQ.zip", "alternateNamesV2.zip"]  # nothing extracted


def test_zip_without_a_single_data_member_is_an_error(tmp_path: Path) -> None:
    archive = make_zip(tmp_path, {"readme.txt": b"x\n", "a.txt": b"", "b.txt": b""}, "dump.zip")
    with pytest.raises(GazetteerFormatError, match=r"dump\.zip.*a\.txt, b\.txt"):
        list(read_geonames(archive))
    broken = tmp_path / "IQ.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(GazetteerFormatError, match="zip"):
        list(read_geonames(broken))


# ---------------------------------------------------------------------------------------- malformed rows


@pytest.mark.parametrize(("column", "value", "field"), [
    (0, "90x26", "geonameid"),
    (1, " ", "name"),
    (4, "north", "latitude"),
    (4, "91.5", "latitude"),
    (5, "-181", "longitude"),
    (5, "nan", "longitude"),
    (7, "", "feature code"),
    (8, "Iraq", "country code"),
    (14, "12k", "population"),
    (14, "-5", "population"),
])
def test_malformed_geoname_row_names_file_line_and_field(tmp_path: Path, column: int, value: str,
                                                         field: str) -> None:
    path = with_row_changed(tmp_path, 2, column, value)
    with pytest.raises(GazetteerFormatError) as info:
        list(read_geonames(path))
    err = info.value
    assert (err.path, err.line, err.field) == (str(path), 3, field)
    assert "IQ.txt:3" in str(err) and repr(field) in str(err)


def test_wrong_column_count(tmp_path: Path) -> None:
    lines = lines_of(IQ)
    lines[1] = "\t".join(lines[1].split("\t")[:15]) + "\n"
    path = tmp_path / "IQ.txt"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match=r"IQ\.txt:2: expected 19 tab-separated columns, got 15"):
        list(read_geonames(path))


def test_errors_raise_before_anything_is_yielded_when_alternates_are_given(tmp_path: Path) -> None:
    path = with_row_changed(tmp_path, 6, 4, "x")
    it = read_geonames(path, alternate_names=ALT_V2)
    with pytest.raises(GazetteerFormatError, match=r"IQ\.txt:7"):
        next(it)


def test_rows_outside_the_filters_are_not_validated(tmp_path: Path) -> None:
    path = with_row_changed(tmp_path, 7, 8, "")  # the river (class H) loses its country code
    assert len(list(read_geonames(path))) == 7
    with pytest.raises(GazetteerFormatError, match="country code"):
        list(read_geonames(path, feature_classes=["H"]))


@pytest.mark.parametrize("alternates", [False, True], ids=["one-pass", "two-pass"])
def test_skip_mode_records_each_problem_once(tmp_path: Path, alternates: bool) -> None:
    lines = lines_of(IQ)
    bad = [lines[0].replace("34.88808", "abc"), "only\tthree\tcells\n", lines[1].replace("\tIQ\t", "\tiraq\t")]
    path = tmp_path / "IQ.txt"
    path.write_text("".join(bad + lines[2:]), encoding="utf-8")
    problems: list[RowProblem] = []
    entries = list(read_geonames(path, on_error="skip", problems=problems,
                                 alternate_names=ALT_V2 if alternates else None))
    assert [e.id for e in entries] == [e.id for e in read_geonames(IQ)][2:]
    assert problems == [
        RowProblem(str(path), 1, "latitude", "'abc' is not a number"),
        RowProblem(str(path), 2, None, "expected 19 tab-separated columns, got 3"),
        RowProblem(str(path), 3, "country code", "'iraq' is not an ISO 3166-1 alpha-2 code"),
    ]


def test_skip_mode_without_a_list_warns(tmp_path: Path) -> None:
    path = with_row_changed(tmp_path, 0, 14, "many")
    with pytest.warns(RuntimeWarning, match=r"skipped 1 malformed GeoNames row.*IQ\.txt:1.*population"):
        entries = list(read_geonames(path, on_error="skip"))
    assert len(entries) == 6


def test_malformed_alternate_name_rows(tmp_path: Path) -> None:
    lines = lines_of(ALT_V2)
    lines[1] = lines[1].replace("\t90026\t", "\t9002x\t")
    lines[2] = "1\t90026\tar\n"
    lines[3] = lines[3].replace("Tuz Khurmatu", "  ")
    path = tmp_path / "alternateNamesV2.txt"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerFormatError) as info:
        list(read_geonames(IQ, alternate_names=path))
    assert (info.value.line, info.value.field) == (2, "geonameid")
    problems: list[RowProblem] = []
    entries = by_id(read_geonames(IQ, alternate_names=path, on_error="skip", problems=problems))
    assert [(p.line, p.field) for p in problems] == [(2, "geonameid"), (3, None), (4, "alternate name")]
    assert all(p.path == str(path) for p in problems)
    assert Name("طوز خورماتو", "ar") not in entries["geonames:90026"].names  # its row was the bad one
    assert Name("Kerkûk", "ku") in entries["geonames:94787"].names


def test_malformed_admin_code_rows(tmp_path: Path) -> None:
    path = tmp_path / "admin1CodesASCII.txt"
    path.write_text("IQ.18\tŞalāḩ ad Dīn\tSalah ad Din\t91695\n"
                    "IQ 13\tKirkuk\tKirkuk\t98410\n"
                    "IQ.07\tBaghdad\tBaghdad\n"
                    "IQ.05\t\t\t98465\n", encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match=r"admin1CodesASCII\.txt:2: field 'code'"):
        read_admin_codes(path)
    problems: list[RowProblem] = []
    assert read_admin_codes(path, on_error="skip", problems=problems) == {"IQ.18": "Şalāḩ ad Dīn"}
    assert [(p.line, p.field) for p in problems] == [(2, "code"), (3, None), (4, "name")]
    problems.clear()
    tuz = by_id(read_geonames(IQ, admin_codes=path, on_error="skip", problems=problems))["geonames:90026"]
    assert tuz.admin1 == AdminRef("IQ.18", "Şalāḩ ad Dīn")
    assert len(problems) == 3


def test_admin_codes_accept_one_path_or_several() -> None:
    one = read_admin_codes(ADMIN[0])
    both = read_admin_codes(ADMIN)
    assert one["IQ.18"] == "Şalāḩ ad Dīn" and "IQ.18.90148" not in one
    assert both["IQ.18.90148"] == "Tikrit District"
    assert read_admin_codes(str(ADMIN[1])) == {k: v for k, v in both.items() if k.count(".") == 2}


def test_invalid_utf8_is_a_row_problem(tmp_path: Path) -> None:
    data = IQ.read_bytes().split(b"\n")
    data[3] = data[3].replace(b"Kirkuk", b"Kirk\xffk", 1)
    path = tmp_path / "IQ.txt"
    path.write_bytes(b"\n".join(data))
    with pytest.raises(GazetteerFormatError, match=r"IQ\.txt:4: is not valid UTF-8"):
        list(read_geonames(path))
    problems: list[RowProblem] = []
    assert len(list(read_geonames(path, on_error="skip", problems=problems))) == 6
    assert [p.line for p in problems] == [4]


def test_on_error_must_be_known() -> None:
    with pytest.raises(ValueError, match="on_error"):
        read_geonames(IQ, on_error="ignore")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------- odd but valid files


def test_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert list(read_geonames(empty)) == []
    assert list(read_geonames(empty, alternate_names=empty, admin_codes=[empty])) == []
    plain = list(read_geonames(IQ))
    assert list(read_geonames(IQ, alternate_names=empty)) == plain


def test_bom_and_crlf_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "IQ.txt"
    path.write_bytes(b"\xef\xbb\xbf" + IQ.read_bytes().replace(b"\n", b"\r\n"))
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_bytes(b"\xef\xbb\xbf" + ALT_V2.read_bytes().replace(b"\n", b"\r\n"))
    got = list(read_geonames(path, alternate_names=alt, admin_codes=ADMIN))
    want = list(read_geonames(IQ, alternate_names=ALT_V2, admin_codes=ADMIN))
    assert got == want
    assert got[0].kind == "PPLA2" and got[-1].name == "Tikrit District"  # no "\r" left on the last cell


def test_missing_file() -> None:
    with pytest.raises(GazetteerNotFoundError, match="no such GeoNames file"):
        list(read_geonames(DATA / "XX.txt"))
