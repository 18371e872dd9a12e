"""`normalize link --format table`, the demo's readable output."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalize._cli import EXIT_OK, main


def test_table_lists_each_line_and_its_places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "article.txt"
    text.write_text("Fighting near Tuz Khurmato and Kirkuk.\n\nقصف قرب طوز خورماتو\n", encoding="utf-8")
    assert main(["link", "--format", "table", str(text)]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "line 1: 2 place(s)" and "line 3: 1 place(s)" in out
    assert not any(line.startswith("line 2") for line in out)  # a blank line has no row
    assert sum("geonames:90026" in line for line in out) == 2
