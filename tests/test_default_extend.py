"""``$NORMALIZE_GAZETTEER``: the bundled gazetteer extended by other files, and ``combine(duplicates=)``."""

from __future__ import annotations

from pathlib import Path

import pytest

import normalize
from normalize import Entry, Gazetteer, GazetteerNotFoundError, InvalidOptionError, Name

TUZ = "geonames:90026"


def _extra(tmp_path: Path) -> Path:
    path = tmp_path / "extra.tsv"
    rows = [
        # A new place, and an entry for an id the bundled files have: its spelling only is taken.
        Entry("test:qaryat-zzyx", "Qaryat Zzyxwv", "PPL", "IQ", lat=35.0, lon=44.0, names=(Name("Qaryat Zzyxwv"),),
              source="made up for the test"),
        Entry(TUZ, "Something Else", "PPLX", "IR", names=(Name("Tuzqxurmatuv"),), source="made up for the test"),
    ]
    Gazetteer(rows).save(path)
    return path


def test_environment_variable_extends_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = len(normalize.default_gazetteer())
    monkeypatch.setenv("NORMALIZE_GAZETTEER", str(_extra(tmp_path)))
    normalize.clear_caches()
    extended = normalize.default_gazetteer()
    assert len(extended) == bundled + 1
    new = normalize.resolve("Qaryat Zzyxwv")
    assert new is not None and new.id == "test:qaryat-zzyx"
    tuz = extended.get(TUZ)
    assert tuz.kind != "PPLX" and tuz.country == "IQ"  # the curated row keeps its fields
    assert "Tuzqxurmatuv" in {n.text for n in tuz.names}


def test_missing_file_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE_GAZETTEER", str(tmp_path / "gone.nidx"))
    normalize.clear_caches()
    with pytest.raises(GazetteerNotFoundError, match=r"NORMALIZE_GAZETTEER.*gone\.nidx"):
        normalize.resolve("Kirkuk")


def test_combine_duplicates_option() -> None:
    a = Gazetteer([Entry("x", "Alpha", "PPL", "IQ")])
    b = Gazetteer([Entry("x", "Beta", "PPL", "IQ")])
    merged = Gazetteer.combine(a, b, duplicates="merge")
    assert [n.text for n in merged.get("x").names] == ["Alpha", "Beta"]
    with pytest.raises(InvalidOptionError, match=r"duplicates.*'raise' or 'merge'"):
        Gazetteer.combine(a, b, duplicates="keep")  # type: ignore[arg-type]
