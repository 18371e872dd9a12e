"""Place-mention linking: offsets, the seed passage, ordinary words, clitics, CLI, edge inputs."""

from __future__ import annotations

import json

import pytest

from normalize._cli import main
from normalize._link import Linker, Mention, link

SEED = ("ISIS elements moved towards areas between Tuz Khurmato and the borders of the Kifri district. "
        "Villages between Qara Tappa district, Saladin Governorate, and the outskirts of the Islah Basin, "
        "north of Jalawla.")


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker()


def _ids(mentions: list[Mention]) -> list[str | None]:
    return [m.id for m in mentions]


def test_seed_passage(linker: Linker) -> None:
    mentions = linker.link(SEED)
    found = {m.surface: m for m in mentions if m.id}
    assert found["Tuz Khurmato"].id == "geonames:90026"
    assert found["Kifri district"].id == "geonames:94296"  # the ADM2, because of the designator
    assert found["Qara Tappa district"].id == "normalize:iq/qara-tapa-district"  # the district created in 2025
    assert found["Saladin Governorate"].match is not None
    assert found["Saladin Governorate"].match.entry.kind == "ADM1"
    assert found["Saladin Governorate"].id == "geonames:91695"
    assert found["Jalawla"].id == "normalize:iq/jalawla"
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_offsets_are_exact(linker: Linker) -> None:
    for m in linker.link(SEED):
        assert SEED[m.start:m.end] == m.surface


@pytest.mark.parametrize("text", [
    "Clashes in Tu\u0301z Khurmatu and Kirkuk.",  # combining mark inside a name
    "Clashes 🙂 in Mosul 🙂 and Kirkuk.",
    "Clashes in \u202bMosul\u202c and \u200fKirkuk\u200f.",
    "Clashes in Mosul\r\nand Kirkuk\r\n",
    "اشتباكات في الموصل\u200f و\u0640كركوك",
    "اشتباكاتٌ في المَوْصِلِ وكَرْكُوك",
])
def test_offsets_with_marks_emoji_bidi_crlf(linker: Linker, text: str) -> None:
    mentions = [m for m in linker.link(text) if m.id]
    assert len(mentions) == 2
    for m in mentions:
        assert text[m.start:m.end] == m.surface
    assert {m.id for m in mentions} == {"geonames:99072", "geonames:94787"} or "Tu" in text


def test_longest_match_wins(linker: Linker) -> None:
    [m] = linker.link("Shelling hit Tuz Khurmatu overnight.")
    assert m.surface == "Tuz Khurmatu"


@pytest.mark.parametrize("text", [
    "He said the hit was bad.",
    "Hit the road, Jack.",
    "Ahmed Said said the bay was calm in March.",
    "Mark my words: of all the days, Monday is the worst.",
])
def test_ordinary_english_words_do_not_link(linker: Linker, text: str) -> None:
    assert [m for m in linker.link(text, lang="en") if m.id] == []


def test_ambiguous_english_word_with_context(linker: Linker) -> None:
    ids = _ids(linker.link("Mortar rounds fell on Hit and Haditha, west of Ramadi."))
    assert "geonames:95788" in ids


@pytest.mark.parametrize("text", [
    "قال مسؤول إن هذا البلد يحتاج إلى الاستقرار.",
    "يعيش في بلد آخر منذ سنوات ويزور أهله في الأعياد.",
    "قال الطبيب إن الرجل أصيب في الساق ونقل إلى المستشفى.",
])
def test_ordinary_arabic_sentences_do_not_link(linker: Linker, text: str) -> None:
    assert [m for m in linker.link(text, lang="ar") if m.id] == []


def test_arabic_ambiguous_word_with_designator(linker: Linker) -> None:
    [m] = [m for m in linker.link("سقطت قذائف على مدينة هيت مساء أمس") if m.id]
    assert m.surface == "مدينة هيت" and m.id == "geonames:95788"


@pytest.mark.parametrize(("text", "surface", "ident"), [
    ("وصل الوفد وبالموصل التقى المحافظ", "الموصل", "geonames:99072"),
    ("ثم توجه لكركوك في اليوم التالي", "كركوك", "geonames:94787"),
    ("عاد الوفد للموصل مرة أخرى", "لموصل", "geonames:99072"),
    ("فالرمادي مدينة كبيرة", "الرمادي", "geonames:98717"),
])
def test_arabic_clitics(linker: Linker, text: str, surface: str, ident: str) -> None:
    [m] = [m for m in linker.link(text, lang="ar") if m.id]
    assert (m.surface, m.id) == (surface, ident)
    assert text[m.start:m.end] == surface


@pytest.mark.parametrize(("text", "surface", "ident"), [
    ("هێزەکان لە کەرکووکەوە چوون", "کەرکووک", "geonames:94787"),
    ("کۆبوونەوەکە لە هەولێردا بوو", "هەولێر", "geonames:95446"),
    ("خەڵکی دووزخورماتوویش بەشدار بوون", "دووزخورماتوو", "geonames:90026"),
])
def test_sorani_suffixes(linker: Linker, text: str, surface: str, ident: str) -> None:
    [m] = [m for m in linker.link(text, lang="ckb") if m.id]
    assert (m.surface, m.id) == (surface, ident)


def test_designator_picks_division(linker: Linker) -> None:
    [m] = [m for m in linker.link("وصلت التعزيزات إلى قضاء كفري", lang="ar") if m.id]
    assert m.id == "geonames:94296" and m.surface == "قضاء كفري"


def test_document_context_pulls_towards_region(linker: Linker) -> None:
    ids = _ids(linker.link("Fighting near Khalis and Muqdadiyah in Diyala."))
    assert "geonames:96965" in ids
    khalis = linker.link("Fighting near Khalis and Muqdadiyah in Diyala.")[0]
    assert khalis.match is not None and khalis.match.entry.admin1 is not None
    assert khalis.match.entry.admin1.code == "IQ.10"


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n", "12345 !!"])
def test_empty_and_blank(linker: Linker, text: str) -> None:
    assert linker.link(text) == []


def test_huge_input(linker: Linker) -> None:
    unit = "Clashes in Mosul and Kirkuk were reported. He said the hit was bad. "
    text = unit * (1_048_576 // len(unit) + 1)
    mentions = linker.link(text, lang="en")
    assert len(mentions) == 2 * (1_048_576 // len(unit) + 1)
    assert all(text[m.start:m.end] == m.surface for m in mentions[:50])


def test_link_function_and_errors() -> None:
    assert _ids(link("Clashes in Mosul.", lang="en")) == ["geonames:99072"]
    with pytest.raises(ValueError):
        link("x", lang="xx")
    with pytest.raises(TypeError):
        link(b"x")  # type: ignore[arg-type]
    assert link("Clashes in Mosul and Aleppo.", country="SY")[0].id == "geonames:170063"


def test_deterministic(linker: Linker) -> None:
    assert linker.link(SEED) == linker.link(SEED)


def test_cli_link_plain(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.txt"
    path.write_text("Clashes in Mosul and Kirkuk.\n\nHe said the hit was bad.\n", encoding="utf-8")
    assert main(["link", str(path)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3 and [x["line"] for x in lines] == [1, 2, 3]
    assert "text" not in lines[0]  # plain input is not echoed by default: the line number says which it was
    assert [m["id"] for m in lines[0]["mentions"]] == ["geonames:99072", "geonames:94787"]
    assert lines[1]["mentions"] == [] and lines[2]["mentions"] == []
    assert main(["link", "--echo", str(path)]) == 0
    echoed = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    first = echoed[0]["mentions"][0]
    assert echoed[0]["text"][first["start"]:first["end"]] == first["surface"] == "Mosul"


def test_cli_link_jsonl(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"doc": 7, "body": "وبالموصل اجتماع"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["link", str(path), "--field", "body"]) == 0
    [row] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert row["doc"] == 7 and row["mentions"][0]["surface"] == "الموصل"


def test_cli_link_bad_json(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert main(["link", str(path), "--field", "body"]) == 3
    assert "not valid JSON" in capsys.readouterr().err
