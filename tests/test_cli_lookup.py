"""`normalize lookup`, run in-process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalize._cli import EXIT_DATA, EXIT_OK, EXIT_UNRESOLVED, EXIT_USAGE, main


def test_table_output_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lookup", "Tuz Khurmato", "طوز خورماتو"])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert out.count("geonames:90026") == 2
    assert out.splitlines()[0].split()[:3] == ["query", "id", "name"]


def test_unresolved_name_sets_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lookup", "Kirkuk", "Peshmerga"])
    out = capsys.readouterr().out
    assert code == EXIT_UNRESOLVED
    assert "(no match)" in out


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lookup", "--json", "--limit", "3", "Touz Hourmato", "Peshmerga"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == EXIT_UNRESOLVED
    assert [r["query"] for r in lines] == ["Touz Hourmato", "Peshmerga"]
    assert lines[0]["resolved"] and lines[0]["matches"][0]["id"] == "geonames:90026"
    assert lines[0]["matches"][0]["admin1_code"] == "IQ.18"
    assert not lines[1]["resolved"] and lines[1]["matches"] == []


def test_names_from_file_and_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Kirkuk\n\nكركوك\n", encoding="utf-8")
    assert main(["lookup", "--json", "--file", str(names)]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 2  # the blank line is not a query
    monkeypatch.setattr(sys, "stdin", io.StringIO("Mosul\nالموصل\n"))
    assert main(["lookup", "--json"]) == EXIT_OK
    ids = {json.loads(line)["matches"][0]["id"] for line in capsys.readouterr().out.splitlines()}
    assert len(ids) == 1


def test_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--json", "--kind", "ADM2", "Kifri"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["matches"][0]["kind"] == "ADM2"
    assert main(["lookup", "--json", "--country", "SY", "Tikrit"]) in (EXIT_OK, EXIT_UNRESOLVED)
    row = json.loads(capsys.readouterr().out)
    assert all(m["country"] == "SY" for m in row["matches"])


def test_custom_gazetteer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from normalize._gazetteer._tsv import COLUMNS

    path = tmp_path / "g.tsv"
    path.write_text("\t".join(COLUMNS) + "\nnormalize:iq/qara-tapa\tQara Tapa\tPPL\tIQ\t\t\t\t\t\t\t\t"
                    "قره تبه@ar\ttest\n", encoding="utf-8")
    assert main(["lookup", "--json", "--gazetteer", str(path), "Qara Tappa"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["matches"][0]["id"] == "normalize:iq/qara-tapa"


def test_bad_input_gives_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--file", str(tmp_path / "missing.txt")]) == EXIT_DATA
    assert "missing.txt" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tname\n", encoding="utf-8")
    assert main(["lookup", "--gazetteer", str(bad), "X"]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "bad.tsv:1" in err and "header" in err
    latin1 = tmp_path / "names.txt"
    latin1.write_bytes("Kifr\xed\n".encode("latin-1"))
    assert main(["lookup", "--file", str(latin1)]) == EXIT_DATA
    assert "not UTF-8" in capsys.readouterr().err
    assert main(["lookup", "--limit", "0", "X"]) == EXIT_USAGE


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["lookup", "--no-such-option"])
    assert info.value.code == EXIT_USAGE


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "normalize", "lookup", "--json", "Kirkuk"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == EXIT_OK
    assert json.loads(out.stdout)["resolved"] is True
