"""The actor gazetteer: its file format, derived names, resolution, linking, process() and the CLI flags."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import normalize
from normalize import Entry, GazetteerFormatError, InvalidOptionError, Name, UnknownEntryError
from normalize._cli import main
from normalize._gazetteer._actor_names import DERIVED, core, initials, with_derived_names
from normalize._gazetteer._actors import ACTOR_COLUMNS, read_actors
from normalize._matching._model import Ranker, bundled_ranker

ISIS = "wikidata:Q2429253"
PESHMERGA = "normalize:actor/peshmerga"
HEADER = "\t".join(ACTOR_COLUMNS)


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "actors.tsv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


ROW = "normalize:actor/x\tX Front\tarmed-group\tIQ|SY\t\tجبهة اكس\tOld X#1990-2001\tmade up for the test"


# --- the file format ---------------------------------------------------------------------------------------

def test_read_actors_row(tmp_path: Path) -> None:
    entries, actors = read_actors(_write(tmp_path, ROW))
    (entry,) = entries
    assert (entry.id, entry.kind, entry.country) == ("normalize:actor/x", "ARMED", "IQ")
    assert [n.text for n in entry.names] == ["X Front", "جبهة اكس", "Old X"]
    record = actors["normalize:actor/x"]
    assert record.countries == ("IQ", "SY")
    assert (record.former_names[0].name.text, record.former_names[0].start, record.former_names[0].end) == \
        ("Old X", 1990, 2001)


@pytest.mark.parametrize(("row", "field", "words"), [
    (ROW.replace("armed-group", "gang"), "kind", "armed-group"),
    (ROW.replace("IQ|SY", "Iraq"), "countries", "ISO 3166-1"),
    (ROW.replace("normalize:actor/x", "Q12"), "id", "wikidata:Q"),
    (ROW.replace("#1990-2001", "#ninety"), "former_names", "FROM-TO"),
])
def test_bad_rows_name_file_line_and_field(tmp_path: Path, row: str, field: str, words: str) -> None:
    with pytest.raises(GazetteerFormatError) as info:
        read_actors(_write(tmp_path, row))
    message = str(info.value)
    assert "actors.tsv" in message and ":2" in message and field in message and words in message


def test_unknown_parent_and_duplicate_id(tmp_path: Path) -> None:
    child = ROW.replace("armed-group\tIQ|SY\t", "armed-group\tIQ|SY\tnormalize:actor/nobody")
    with pytest.raises(GazetteerFormatError, match="parent"):
        read_actors(_write(tmp_path, child))
    with pytest.raises(GazetteerFormatError, match="duplicate id"):
        read_actors(_write(tmp_path, ROW, ROW))


def test_bundled_parents_exist() -> None:
    for record in normalize.actors():
        if record.admin1 is not None:
            assert normalize.actor(record.admin1.code).name == record.admin1.name


# --- derived names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("Hêzên Parastina Gel", "hpg"),
    ("Asa'ib Ahl al-Haq", "aah"),
    ("Partiya Demokrat a Kurdistanê", "pdk"),
    ("Islamic State of Iraq and Syria", "isis"),
    ("قوات سوريا الديمقراطية", "قسد"),
    ("الدولة الإسلامية في العراق والشام", "داعش"),
])
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize("name", ["Peshmerga", "Iraqi Army", "PKK Youth Wing"])
def test_no_initials(name: str) -> None:
    assert initials(name) is None  # under three words, or the name holds an abbreviation already


def test_core_drops_generic_head_word_only_with_two_words_left() -> None:
    assert core("Syrian Democratic Forces") == "syrian democratic"
    assert core("قوات سوريا الديمقراطية") == normalize.fold("سوريا الديمقراطية")
    assert core("Gorran Movement") is None  # one word left: too often a word, people or place of its own
    assert core("Iraqi Army") is None  # "Army" is the name's head, not a generic word


def test_derived_name_shared_by_two_entries_is_dropped() -> None:
    a = Entry("a", "Kurdistan Peace Party", "PARTY", "IQ", names=(Name("Kurdistan Peace Party"),))
    b = Entry("b", "Kurdish Patriotic Party", "PARTY", "IQ", names=(Name("Kurdish Patriotic Party"),))
    c = Entry("c", "Syrian National Army", "ARMED", "SY", names=(Name("Syrian National Army"),))
    out = {e.id: [n.text for n in e.names if n.lang == DERIVED] for e in with_derived_names([a, b, c])}
    assert out == {"a": [], "b": [], "c": ["sna"]}


def test_like_derives_again_from_the_names_that_remain() -> None:
    full = Entry("x", "Hêzên Parastina Gel", "ARMED", "TR", names=(Name("Hêzên Parastina Gel"), Name("Guerrilla")))
    with_name = normalize.actors().like([full])
    derived = [n for n in next(iter(with_name)).names if n.lang == DERIVED]
    assert [n.text for n in derived] == ["hpg", "parastina gel"]  # its initials, and without "Hêzên" (forces)
    withheld = Entry("x", "Guerrilla", "ARMED", "TR", names=(Name("Guerrilla"), *derived))
    without = normalize.actors().like([withheld])
    # The derived "hpg" went with the name it came from, though it was on the entry passed in.
    assert [n.text for n in next(iter(without)).names] == ["Guerrilla"]


# --- resolution --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["ISIS", "Daesh", "داعش", "داعشی", "DAIŞ", "IŞİD", "Islamic State"])
def test_isis_spellings_resolve_to_one_actor(spelling: str) -> None:
    match = normalize.actors().resolve(spelling)
    assert match is not None and match.id == ISIS


@pytest.mark.parametrize("text", ["Kirkuk", "Masoud Barzani", "weather", "كركوك"])
def test_non_actors_are_no_match(text: str) -> None:
    assert normalize.actors().resolve(text) is None


def test_candidates_score_and_why() -> None:
    (first, *_rest) = normalize.actors().candidates("Peshmerga forces", limit=3)
    assert first.id == PESHMERGA and 0.0 <= first.score <= 1.0
    assert normalize.actors().resolve("Peshmerga") is not None
    assert normalize.resolve("Peshmerga") is None  # not a place


def test_actor_record_and_unknown_id() -> None:
    record = normalize.actor(ISIS)
    assert record.kind == "armed-group" and "IQ" in record.countries and "SY" in record.countries
    with pytest.raises(UnknownEntryError, match="no actor"):
        normalize.actor("normalize:actor/nobody")
    with pytest.raises(TypeError, match="ident must be a str"):
        normalize.actor(["wikidata:Q2429253"])  # type: ignore[arg-type]


def test_actor_calibration_uses_the_bundled_trees() -> None:
    # scripts/train_actors.py refits the calibration on the place ranker's trees: rerun it after a retrain.
    path = Path(str(resources.files("normalize") / "_matching" / "actors.npz"))
    calibrated = Ranker.load(path)
    assert calibrated.meta["actors"]["trees"] == bundled_ranker().checksum()
    base = bundled_ranker()
    for field in ("split_feature", "border", "leaf_values"):
        assert (getattr(calibrated, field) == getattr(base, field)).all(), field


# --- linking and process() ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "surface", "ident"), [
    ("وصل الدعم للبيشمركة في كركوك", "ar", "بيشمركة", PESHMERGA),
    ("پەلاماری هێزەکانی پێشمەرگە درا بە داعش", "ckb", "داعش", ISIS),
    ("The Peshmerga pushed ISIS out of the village.", "en", "ISIS", ISIS),
])
def test_link_finds_actors_through_clitics(text: str, lang: str, surface: str, ident: str) -> None:
    found = [(m.surface, m.id) for m in normalize.link(text, lang=lang, actors=True) if m.category == "actor"]
    assert any(s.endswith(surface) and i == ident for s, i in found)


def test_link_without_actors_has_none() -> None:
    mentions = normalize.link("The Peshmerga pushed ISIS out of Kirkuk.", lang="en")
    assert [m.category for m in mentions] == ["place"]


def test_longer_actor_span_wins_over_a_place_inside_it() -> None:
    mentions = normalize.link("The Kurdistan Democratic Party won in Duhok.", lang="en", actors=True)
    assert [(m.surface, m.category) for m in mentions] == [("Kurdistan Democratic Party", "actor"),
                                                           ("Duhok", "place")]


def test_lowercase_short_word_is_not_an_abbreviation() -> None:
    mentions = normalize.link("He said the sna was closed.", lang="en", actors=True)
    assert not [m for m in mentions if m.category == "actor"]


def test_actors_option_is_checked() -> None:
    with pytest.raises(InvalidOptionError, match="actors"):
        normalize.Linker(actors="yes")  # type: ignore[arg-type]


def test_process_keeps_actor_names(tiny_marian: Path) -> None:
    from normalize._process import process
    from normalize._translate import Translator

    translator = Translator(model=str(tiny_marian), backend="transformers", device="cpu", beams=2)
    doc = process("عناصر داعش تحركوا قرب طوز خورماتو.", translator=translator)
    names = {e.id: e.name for e in doc.entities}
    assert names.get(ISIS) == "Islamic State" and "Islamic State" in doc.translation
    plain = process("عناصر داعش تحركوا قرب طوز خورماتو.", translator=translator, actors=False)
    assert ISIS not in {e.id for e in plain.entities}


# --- the CLI -----------------------------------------------------------------------------------------------

def test_cli_lookup_actors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--actors", "Daesh", "قسد"]) == 0
    out = capsys.readouterr().out
    assert ISIS in out and "normalize:actor/sdf" in out


def test_cli_lookup_actors_no_match_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--actors", "Kirkuk"]) == 1
    assert "no match" in capsys.readouterr().out.lower()


def test_cli_link_actors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text("A Peshmerga commander in Kifri said ISIS attacked.\n", encoding="utf-8")
    assert main(["link", "--actors", "--format", "table", str(path)]) == 0
    out = capsys.readouterr().out
    assert PESHMERGA in out and ISIS in out and "(actor)" in out
