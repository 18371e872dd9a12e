"""`normalize gazetteer build|info`, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize import Gazetteer
from normalize._cli import EXIT_DATA, EXIT_OK, main
from normalize._gazetteer._default import bundled_path


def test_build_then_lookup_against_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "region.nidx"
    assert main(["gazetteer", "build", str(out)]) == EXIT_OK
    assert "entries" in capsys.readouterr().err
    opened = Gazetteer.open_index(out)
    match = opened.resolve("طوز خورماتو")
    assert match is not None and match.id == "geonames:90026"
    assert main(["lookup", "--json", "--index", str(out), "Touz Hourmato"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["matches"][0]["id"] == "geonames:90026"
    assert main(["gazetteer", "info", str(out)]) == EXIT_OK
    info = capsys.readouterr().out
    assert f"entries: {len(opened)}" in info and "IQ" in info


def test_build_from_a_tsv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "curated.nidx"
    src = tmp_path / "curated.tsv"
    rows = bundled_path("iraq-curated.tsv").read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(r for r in rows if "\talias\t" not in r) + "\n", encoding="utf-8")
    assert main(["gazetteer", "build", str(out), "--gazetteer", str(src)]) == EXIT_OK
    assert main(["lookup", "--json", "--gazetteer", str(src), "Jalawla"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["matches"][0]["id"] == "normalize:iq/jalawla"


def test_info_on_a_broken_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.nidx"
    broken.write_bytes(b"not an index at all")
    assert main(["gazetteer", "info", str(broken)]) == EXIT_DATA
    assert "not a normalize index" in capsys.readouterr().err
