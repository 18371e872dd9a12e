"""Entity-preserving translation on the tiny random-weight Marian model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize._cli import main
from normalize._process import Document, english_name, process
from normalize._translate import Translator

TEXTS = [
    "عناصر داعش تحركوا بين طوز خورماتو وحدود قضاء كفري، وقرى بين قره تبه ومحافظة صلاح الدين شمال جلولاء.",
    "وصل الوفد وبالموصل التقى المحافظ ثم توجه لكركوك.\nوفي اليوم التالي زار أربيل.",
    "هێزەکانی پێشمەرگە لە کەرکووکەوە بەرەو دووزخورماتوو چوون.",
]


@pytest.fixture(scope="module")
def translator(tiny_marian: Path) -> Translator:
    return Translator(model=str(tiny_marian), backend="transformers", device="cpu", beams=2)


@pytest.mark.parametrize("text", TEXTS)
def test_every_entity_name_is_in_the_translation(translator: Translator, text: str) -> None:
    doc = process(text, translator=translator)
    assert isinstance(doc, Document) and doc.entities
    for e in doc.entities:
        assert doc.source[e.source_start:e.source_end] == e.source_text
        assert doc.translation[e.target_start:e.target_end] == e.name
        assert e.name in doc.translation


def test_rest_of_translation_unchanged(translator: Translator) -> None:
    text = TEXTS[0]
    plain = translator.translate(text)
    doc = process(text, translator=translator)
    rest, last = [], 0
    for e in sorted(doc.entities, key=lambda e: e.target_start):
        rest.append(doc.translation[last:e.target_start])
        last = e.target_end
    rest.append(doc.translation[last:])
    words = iter(plain.split())
    # Outside the entities the translation is the plain translation with some words replaced.
    assert all(any(w == p for p in words) for w in " ".join(rest).split())


def test_seed_entities(translator: Translator) -> None:
    doc = process(TEXTS[0], translator=translator)
    ids = [e.id for e in doc.entities]
    for ident in ("geonames:90026", "geonames:94296", "normalize:iq/qara-tapa", "geonames:91695",
                  "normalize:iq/jalawla"):
        assert ident in ids
    names = {e.id: e.name for e in doc.entities}
    assert names["geonames:94296"] == "Kifri District"
    assert names["geonames:90026"] == "Tuz Khurmatu"


def test_english_passes_through(translator: Translator) -> None:
    text = "Clashes in Mosul and Kirkuk."
    doc = process(text, translator=translator)
    assert doc.translation == text
    assert [e.id for e in doc.entities] == ["geonames:99072", "geonames:94787"]


def test_empty(translator: Translator) -> None:
    doc = process("  ", translator=translator)
    assert doc.entities == () and doc.translation == ""


def test_english_name() -> None:
    import normalize

    g = normalize.default_gazetteer()
    assert english_name(g.get("geonames:91695")) == "Salah ad Din"
    assert english_name(g.get("geonames:6765385")) == "Anah"


def test_cli_process(tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.txt"
    path.write_text(TEXTS[1].replace("\n", " ") + "\n", encoding="utf-8")
    assert main(["process", str(path), "--model", str(tiny_marian), "--backend", "transformers",
                 "--device", "cpu", "--beams", "1"]) == 0
    [row] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert row["entities"]
    for e in row["entities"]:
        assert row["translation"][e["target_start"]:e["target_end"]] == e["name"]
