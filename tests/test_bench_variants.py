"""Structural checks of the spelling-variant benchmark's query sets on a small synthetic gazetteer.

These check how the sets are built (gold ids exist, withheld spellings are really withheld, unfair negatives
are dropped, a seed gives the same sets), never accuracy figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import normalize
from normalize import Entry, Gazetteer, Name

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))
variants = pytest.importorskip("_variants_data")


_IDS = {name: f"geonames:{1003 + 10 * i}" for i, name in enumerate(
    ("kirkuk", "mosul", "tuz", "erbil", "samarra", "kifri", "mawsil2", "tikrit", "halabja", "baiji"))}


def _entry(ident: str, name: str, *others: str, population: int = 0) -> Entry:
    # Evaluation-split ids (3 mod 10): the benchmark draws its held-out and perturbed queries only from those.
    return Entry(_IDS.get(ident, f"test:{ident}"), name, "PPL", "IQ", population=population,
                 names=tuple(Name(t) for t in (name, *others)))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer([
        _entry("kirkuk", "Kirkuk", "Kirkouk", "Kerkuk", "Karkuk", "KIK", "krkwk", "كركوك", "کەرکووک",
               population=1_000_000),
        _entry("mosul", "Mosul", "Mossoul", "Al-Mawsil", "Mawsil", "Musul", "الموصل", population=1_500_000),
        _entry("tuz", "Tuz Khurmatu", "Tuzkhurmatu", "Touz Khormatou", "Tuz Hurmatu", "طوز خورماتو"),
        _entry("erbil", "Erbil", "Arbil", "Irbil", "Hawler", "Hewlêr", "أربيل", "هەولێر", population=900_000),
        _entry("samarra", "Samarra", "Samarrah", "Sāmarrā’", "Sur man raa", "سامراء"),
        _entry("kifri", "Kifri", "Kifrī", "Kefri", "كفري"),
        # A second place spelled "Mawsil": that spelling is ambiguous and must never be withheld as a query.
        _entry("mawsil2", "Mawsil Village", "Mawsil", "Mawsel"),
        _entry("tikrit", "Tikrit", "Tekrit", "Takrit", "Tikreet", "تكريت", population=160_000),
        _entry("halabja", "Halabja", "Halabjah", "Helebce", "حلبجة", "هەڵەبجە"),
        _entry("baiji", "Baiji", "Bayji", "Beiji", "Bayjī", "بيجي"),
    ])


NEGATIVES = ["Peshmerga", "Ahmed Ali", "security", "kirkouk", "الموصل", "Hashd al-Shaabi", "هجوم"]


def _ids(g: Gazetteer) -> set[str]:
    return {e.id for e in g}


@pytest.mark.parametrize("script", ["Latn", "Arab"])
def test_held_out_spellings_are_withheld_and_unambiguous(gazetteer: Gazetteer, script: str) -> None:
    qset = variants.held_out(gazetteer, script=script, n=50, seed=3)
    assert qset.queries, "the synthetic gazetteer has eligible spellings in both scripts"
    owners = variants.key_owners(gazetteer)
    for q in qset.queries:
        assert q.gold in _ids(gazetteer)
        assert normalize.detect_script(q.text) == script
        entry = gazetteer.get(q.gold)
        assert q.text != entry.name
        assert variants.letters(q.text) >= variants.MIN_LETTERS and not variants.is_code(q.text)
        # The resolver's gazetteer has the entry, without the withheld spelling.
        reduced = qset.gazetteer.get(q.gold)
        assert q.text not in {n.text for n in reduced.names}
        assert q.text in {n.text for n in entry.names}
        # No other entry has a name folding to the query.
        assert owners[variants.key(q.text)] == {q.gold}
        remaining = {variants.key(n.text) for n in reduced.names}
        assert q.trivial == (variants.key(q.text) in remaining)
    assert len({q.gold for q in qset.queries}) == len(qset.queries), "one withheld spelling per entry"
    assert "Mawsil" not in {q.text for q in qset.queries}
    # Entries not sampled keep every name.
    sampled = {q.gold for q in qset.queries}
    for e in gazetteer:
        if e.id not in sampled:
            assert qset.gazetteer.get(e.id).names == e.names


def test_cross_script_tag_means_no_arabic_name_left(gazetteer: Gazetteer) -> None:
    qset = variants.held_out(gazetteer, script="Arab", n=50, seed=0)
    tags = {q.gold: q.tag for q in qset.queries}
    assert "cross-script" in tags.values() and "" in tags.values()
    for q in qset.queries:
        left = [n.text for n in qset.gazetteer.get(q.gold).names if normalize.detect_script(n.text) == "Arab"]
        assert (q.tag == "cross-script") == (not left)


def test_perturbations_have_valid_unambiguous_gold(gazetteer: Gazetteer) -> None:
    qset = variants.perturbations(gazetteer, n=20, seed=1)
    owners = variants.key_owners(gazetteer)
    assert qset.queries and qset.gazetteer is gazetteer
    for q in qset.queries:
        entry = gazetteer.get(q.gold)
        assert q.gold_name == entry.name and q.text != entry.name
        assert q.tag in ("translit", "typo") and q.how
        assert owners.get(variants.key(q.text), {q.gold}) == {q.gold}
        if q.tag == "typo":
            assert variants.letters(entry.name) >= variants.MIN_TYPO_LETTERS
            assert abs(len(q.text) - len(entry.name)) <= 1


def test_negatives_folding_to_gazetteer_names_are_excluded(gazetteer: Gazetteer) -> None:
    qset = variants.negatives(gazetteer, NEGATIVES)
    kept = [q.text for q in qset.queries]
    excluded = [s for s, _ in qset.notes["excluded"]]
    assert set(excluded) == {"kirkouk", "الموصل"}
    assert set(kept) | set(excluded) == set(NEGATIVES) and not set(kept) & set(excluded)
    assert all(q.gold is None for q in qset.queries)


def test_sets_are_deterministic_for_a_seed(gazetteer: Gazetteer) -> None:
    def snapshot(seed: int) -> list[list[tuple[str, str | None, bool, str, str]]]:
        sets = variants.build_sets(gazetteer, NEGATIVES, n=8, seed=seed)
        return [[(q.text, q.gold, q.trivial, q.tag, q.how) for q in s.queries] for s in sets]

    assert snapshot(5) == snapshot(5)
    assert snapshot(5) != snapshot(6)


def test_negatives_file_parses(tmp_path: Path) -> None:
    path = tmp_path / "neg.txt"
    path.write_text("# comment\nPeshmerga\n\n  داعش  \nPeshmerga\n", encoding="utf-8")
    assert variants.read_negatives(path) == ["Peshmerga", "داعش"]
    shipped = variants.read_negatives(BENCH / "data" / "negatives.txt")
    assert len(shipped) >= 250 and all(not s.startswith("#") for s in shipped)


def test_only_evaluation_entities_are_drawn(gazetteer: Gazetteer) -> None:
    other = Gazetteer([*gazetteer, Entry("geonames:2001", "Qaraqosh", "PPL", "IQ",
                                         names=(Name("Qaraqosh"), Name("Bakhdida"), Name("Baghdeda")))])
    drawn = {q.gold for s in variants.build_sets(other, NEGATIVES, n=50, seed=1) for q in s.queries}
    assert "geonames:2001" not in drawn and drawn - {None} <= set(_IDS.values())
