"""Common words as a competing explanation: a query that is one common word keeps only its exact names."""

from __future__ import annotations

from pathlib import Path

import pytest

import normalize
from normalize import Entry, Gazetteer, GazetteerFormatError, Name
from normalize._matching._filters import Filter
from normalize._matching._rank import COMMON_WORD_FACTOR
from normalize._matching._resolver import Resolver
from normalize._matching._words import WORDS_FILE, CommonWords, bundled_words, read_words


def test_bundled_list_covers_words_and_numbers_but_not_place_names() -> None:
    words = bundled_words()
    assert words is not None
    fold = normalize.fold
    for text in ("security", "قوات", "١٢ آذار ٢٠٢٤", "güvenlik", "Mohammed", "ڕێگا", "hêz", "Kurdish"):
        assert words.covers(fold(text)), text
    # Place names, numbers alone, and phrases (place names made of common words are frequent: Hamid Abad).
    for text in ("Kirkuk", "Tuz Khurmatu", "طوز خورماتو", "Xanke", "Sulakyurt", "140", "", "refugee camp",
                 "Hamid Abad"):
        assert not words.covers(fold(text)), text


@pytest.mark.parametrize("query", ["security", "قوات", "١٢ آذار ٢٠٢٤", "Mohammed", "ڕێگا"])
def test_common_words_resolve_to_nothing(query: str) -> None:
    assert normalize.resolve(query) is None
    listed = normalize.candidates(query, limit=3)
    assert all("is a common word, so only an exact name counts" in m.why for m in listed)


def test_exact_names_that_are_common_words_still_resolve() -> None:
    # "Iraq" and "Syria" are common English words and exact names of entries.
    assert normalize.resolve("Iraq").id == "geonames:99237"  # type: ignore[union-attr]
    assert normalize.resolve("Syria").id == "geonames:163843"  # type: ignore[union-attr]


def _tiny() -> Gazetteer:
    return Gazetteer([
        Entry("t:secority", "Secority", "PPL", "IQ", population=5000, names=(Name("Secority"),)),
        Entry("t:camp", "Camp", "PPL", "IQ", population=5000, names=(Name("Camp"),)),
        Entry("t:kirkuk", "Kirkuk", "PPL", "IQ", population=5000, names=(Name("Kirkuk"),)),
    ])


def _probabilities(resolver: Resolver, g: Gazetteer, text: str) -> dict[str, float]:
    ranked = resolver.rank(text, Filter(None))
    return {g._store[int(e)].id: float(p) for e, p in zip(ranked.entries, ranked.probabilities, strict=True)}


def test_only_candidates_without_the_exact_name_are_scaled_down() -> None:
    g = _tiny()
    words = CommonWords.build(["security", "camp"])
    with_words, without = Resolver(g.index, words=words), Resolver(g.index, words=None)
    # "security" is one edit from the village Secority: the near-miss keeps COMMON_WORD_FACTOR of its probability.
    near = _probabilities(with_words, g, "security")["t:secority"]
    assert near == pytest.approx(_probabilities(without, g, "security")["t:secority"] * COMMON_WORD_FACTOR)
    # "camp" is a common word and the exact name of the village Camp: its probability is untouched.
    assert _probabilities(with_words, g, "camp")["t:camp"] == _probabilities(without, g, "camp")["t:camp"]
    # A misspelt place name is no common word, and a designator says the query names a place: nothing changes.
    assert _probabilities(with_words, g, "Kirkukk") == _probabilities(without, g, "Kirkukk")
    assert _probabilities(with_words, g, "security district") == _probabilities(without, g, "security district")


def test_actor_names_made_of_common_words_still_match_fuzzily() -> None:
    # The actor gazetteer has no common-word rule: "Islamic Stat" is a near-miss of the Islamic State.
    found = normalize.actors().resolve("Islamic Stat")
    assert found is not None and found.name == "Islamic State"


def test_build_folds_and_keeps_single_words() -> None:
    words = CommonWords.build(["Security", "قوات", "refugee camp", "2024"])
    assert words.words == frozenset({"security", "قوات"})  # phrases and numbers are no list words


@pytest.mark.parametrize(("row", "field"), [("security\txx\tnoun\tsecurity", "lang"),
                                            ("security\ten\tthing\tsecurity", "kind"),
                                            ("car bomb\ten\tnoun\tcar bomb", "word")])
def test_a_bad_row_is_an_error_naming_file_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    path = tmp_path / "common-words.tsv"
    path.write_text("# comment\nword\tlang\tkind\tgloss\nforces\ten\tnoun\tforces\n" + row + "\n",
                    encoding="utf-8")
    with pytest.raises(GazetteerFormatError) as info:
        read_words(path)
    assert info.value.line == 4 and info.value.field == field and "common-words.tsv" in str(info.value)


def test_the_bundled_file_reads_cleanly() -> None:
    from normalize._gazetteer._default import bundled_path

    words = read_words(bundled_path(WORDS_FILE))
    assert len(words) > 1000
