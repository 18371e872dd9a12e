from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize._cli import EXIT_DATA, main


def test_cli_plain_lines(tiny_marian: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.txt"
    src.write_text("وصل الوفد إلى بغداد.\n\nThe delegation arrived.\nهل انتهى الاجتماع؟\n", encoding="utf-8")
    code = main(["translate", "--model", str(tiny_marian), "--backend", "transformers", "--beams", "1", str(src)])
    assert code == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[-1] == "" and len(lines[:-1]) == 4  # one output line per input line
    assert lines[0] and lines[3] and lines[1] == ""
    assert lines[2] == "The delegation arrived."  # English passes through under --from auto


def test_cli_jsonl_from_stdin(tiny_marian: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    rows = [{"id": 1, "text": "وصل الوفد إلى بغداد."}, {"id": 2, "text": ""}]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)))
    code = main(["translate", "--from", "ar", "--model", str(tiny_marian), "--backend", "transformers",
                 "--field", "text", "-"])
    assert code == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in out] == [1, 2]
    assert out[0]["text"] == rows[0]["text"] and out[0]["translation"]
    assert out[1]["translation"] == ""


def test_cli_missing_model_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("NORMALIZE_MODEL_AR", raising=False)
    src = tmp_path / "in.txt"
    src.write_text("وصل الوفد إلى بغداد.\n", encoding="utf-8")
    assert main(["translate", "--from", "ar", str(src)]) == EXIT_DATA
    assert "hf download Helsinki-NLP/opus-mt-ar-en" in capsys.readouterr().err


def test_cli_lang_option_and_choices(tiny_marian: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.txt"
    src.write_text("وصل الوفد إلى بغداد.\n", encoding="utf-8")
    common = ["--model", str(tiny_marian), "--backend", "transformers", "--beams", "1", str(src)]
    assert main(["translate", "--lang", "ar", *common]) == 0
    by_lang = capsys.readouterr().out
    assert main(["translate", "--from", "ar", *common]) == 0  # the older spelling
    assert capsys.readouterr().out == by_lang and by_lang.strip()
    for bad in (["--lang", "arabic"], ["--compute-type", "int4"]):
        with pytest.raises(SystemExit) as info:
            main(["translate", *bad, str(src)])
        assert info.value.code == 2
        assert "invalid choice" in capsys.readouterr().err
