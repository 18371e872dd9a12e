"""Every public entry point, fed arbitrary input: no crash, only the documented exceptions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import normalize
from normalize._cli import main
from normalize._gazetteer._tsv import read_tsv

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80) | st.text(
    alphabet=st.sampled_from(list("Kirkuk كركوك کەرکووک Kerkûkê ــ ً  ‌ ‏ 0123 ,.;-'’")), max_size=60)
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_TEXT)
def test_resolve_and_candidates_take_any_text(text: str) -> None:
    m = normalize.resolve(text)
    found = normalize.candidates(text, limit=3)
    if m is not None:
        assert found[0] == m
    assert all(0.0 < c.score <= 1.0 for c in found)


@_SETTINGS
@given(_TEXT)
def test_actor_resolve_and_link_take_any_text(text: str) -> None:
    m = normalize.actors().resolve(text)
    found = normalize.actors().candidates(text, limit=3)
    if m is not None:
        assert found[0] == m
    for mention in normalize.link(text, actors=True):
        assert text[mention.start:mention.end] == mention.surface
        assert mention.category in ("place", "actor")


@_SETTINGS
@given(_TEXT)
def test_link_takes_any_text_and_spans_are_exact(text: str) -> None:
    for mention in normalize.link(text):
        assert text[mention.start:mention.end] == mention.surface


@_SETTINGS
@given(st.lists(_TEXT | st.none() | st.integers(), max_size=5))
def test_resolve_many_takes_any_column(values: list[object]) -> None:
    cols = normalize.resolve_many(values)
    assert len(cols) == len(values)


@_SETTINGS
@given(_TEXT)
def test_tsv_reader_raises_only_format_errors(body: str) -> None:
    stream = io.StringIO("id\tname\tkind\tcountry\tadmin1_code\tadmin1_name\tadmin2_code\tadmin2_name\tlat\tlon\t"
                         "population\tnames\tsource\n" + body)
    try:
        list(read_tsv(stream, path="fuzz.tsv"))
    except normalize.GazetteerFormatError as exc:
        assert "fuzz.tsv" in str(exc)


@pytest.mark.parametrize("bad", [
    {"min_score": 1.5}, {"min_score": -0.1}, {"min_score": float("nan")}, {"min_score": "high"},
    {"country": "IRQ"}, {"country": []}, {"country": "ZZ"}, {"kind": "town"}, {"kind": ""}, {"limit": 0},
    {"limit": True}, {"within": "Atlantis"},
])
def test_invalid_options_are_invalid_option_errors(bad: dict[str, object]) -> None:
    with pytest.raises(normalize.InvalidOptionError) as info:
        normalize.candidates("Kirkuk", **bad)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError) and info.value.option == next(iter(bad))


def test_link_options_are_checked_too() -> None:
    with pytest.raises(normalize.InvalidOptionError):
        normalize.link("Kirkuk", country=[])
    with pytest.raises(normalize.InvalidOptionError):
        normalize.link("Kirkuk", lang="xx")
    with pytest.raises(normalize.InvalidOptionError):
        normalize.link("Kirkuk", min_score=2)


@_SETTINGS
@given(st.lists(_TEXT.filter(lambda s: "\x00" not in s and not s.startswith("-")), min_size=1, max_size=3))
def test_cli_lookup_in_process(names: list[str]) -> None:
    import contextlib

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        code = main(["lookup", "--json", *names])
    out = buffer.getvalue()
    assert code in (0, 1)  # documented: 0 all resolved, 1 some unresolved; never a traceback
    assert len([line for line in out.splitlines() if line.strip()]) == len([n for n in names if n.strip()])
    for line in out.splitlines():
        json.loads(line)


@pytest.mark.parametrize(("argv", "needle"), [
    (["lookup", "--min-score", "1.5", "Kirkuk"], "--min-score=1.5 is not allowed: a number in [0, 1]"),
    (["lookup", "--country", "IRQ", "Kirkuk"], "--country='IRQ' is not allowed"),
    (["lookup", "--country", "IQ", "--country", "XX", "Kirkuk"], "--country='XX' is not allowed"),
    (["lookup", "--country", "XX", "Kirkuk"], "countries in this gazetteer: "),
    (["lookup", "--kind", "town", "Kirkuk"], "--kind='town' is not allowed: one of A, P, ADM"),
    (["link", "--min-score", "7", "-"], "--min-score=7.0 is not allowed"),
])
def test_cli_invalid_option_is_one_line_and_exit_2(argv: list[str], needle: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_lookup_on_a_terminal_without_names_gives_a_hint(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert main(["lookup"]) == 2
    assert "give names as arguments" in capsys.readouterr().err


def test_cli_add_combines_with_the_bundled_gazetteer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text("id\tname\tkind\tcountry\tadmin1_code\tadmin1_name\tadmin2_code\tadmin2_name\tlat\tlon\t"
                    "population\tnames\tsource\n"
                    "test:qaryat-x\tQaryat Zanbur\tPPL\tIQ\t\t\t\t\t35.1\t44.1\t\tZanbur@en\tmy notes\n"
                    "geonames:94787\t\talias\t\t\t\t\t\t\t\t\tKarkuk Town@en\tmy notes\n", encoding="utf-8")
    assert main(["lookup", "--json", "--add", str(mine), "Qaryat Zanbur", "Karkuk Town", "Erbil"]) == 0
    ids = [json.loads(line)["matches"][0]["id"] for line in capsys.readouterr().out.splitlines()]
    assert ids == ["test:qaryat-x", "geonames:94787", "geonames:95446"]
    assert main(["lookup", "--json", "--gazetteer", str(mine.with_name("only.tsv")), "x"]) == 3


def test_cli_json_lines_escape_unicode_line_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    # U+0085, U+2028 and U+2029 are line ends to splitlines(); JSON may leave them raw, the CLI escapes them.
    assert main(["lookup", "--json", "Kirkuk\u2028x", "0\x85"]) == 1  # "0" plus a line break names nothing
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["query"] for line in lines] == ["Kirkuk\u2028x", "0\x85"]
