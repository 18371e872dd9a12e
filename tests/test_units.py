"""Unit tests of the name index, the candidates, the feature block and the context rules on tiny in-memory
gazetteers (no bundled data involved, so each expectation follows from the few entries written here)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import normalize
from normalize import AdminRef, Entry, Name
from normalize._matching._candidates import generate
from normalize._matching._designators import LEVELS
from normalize._matching._features import FEATURES, build_block
from normalize._matching._index import KeyTable, NameIndex
from normalize._matching._query import parse_query

_F = {name: i for i, name in enumerate(FEATURES)}
DIYALA = AdminRef("IQ.10", "Diyala")

ENTRIES = [
    Entry("t:kifri", "Kifri", "PPLA2", "IQ", DIYALA, lat=34.69, lon=44.96, population=40000,
          names=(Name("Kifri"), Name("كفري", "ar"), Name("کفری", "ckb"), Name("Kifrî", "kmr"))),
    Entry("t:kifri-district", "Kifri District", "ADM2", "IQ", DIYALA, AdminRef("IQ.10.1", "Kifri District"),
          names=(Name("Kifri District"), Name("قضاء كفري", "ar"), Name("Kifri"))),
    Entry("t:kafr", "Kafr", "PPL", "IR", lat=30.0, lon=50.0, names=(Name("Kafr"), Name("كفر", "fa"))),
    Entry("t:iraq", "Iraq", "PCLI", "IQ", names=(Name("Iraq"),)),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex.build(ENTRIES)


# --- the index ---------------------------------------------------------------------------------------------

def test_names_are_indexed_once_per_entry_and_in_runs(index: NameIndex) -> None:
    # One key per folded spelling: "Kifri"/"Kifrî" and كفري/کفری are one key each; the district's names lose
    # their designator, so its bare "Kifri" repeats "Kifri District".
    assert list(index.entry_names) == [2, 2, 2, 1]
    assert list(index.entry_start) == [0, 2, 4, 6, 7]
    assert (np.diff(index.entry_of) >= 0).all()


def test_designator_hint_is_recorded_per_name(index: NameIndex) -> None:
    first, last = int(index.entry_start[1]), int(index.entry_start[2])
    # "Kifri District" and "قضاء كفري" ask for a district (the first spelling of a key is the one kept).
    assert [LEVELS[h] for h in index.hint[first:last]] == ["ADM2", "ADM2"]
    assert list(index.hint[:2]) == [-1, -1]  # the town's names carry no designator


def test_kurdish_names_are_flagged_per_entry(index: NameIndex) -> None:
    assert list(index.entry_kurdish) == [1, 0, 0, 0]


def test_covered_countries_exclude_a_country_entry_alone() -> None:
    only_country = NameIndex.build([Entry("t:sy", "Syria", "PCLI", "SY"), ENTRIES[0]])
    assert only_country.covered == frozenset({"IQ"})


# --- candidates and features -------------------------------------------------------------------------------

def _block(index: NameIndex, text: str) -> tuple[np.ndarray, list[str]]:
    query = parse_query(text)
    assert query is not None
    block = build_block(query, generate(index, query), index, None, None)
    return block.x, [ENTRIES[int(e)].id for e in block.entries]


def test_key_probes_agree_with_the_key_tables(index: NameIndex) -> None:
    # exact() and same_skeleton() probe a dict of keys; the key tables they stand for give the same ids.
    for i, key in enumerate(index.compacts_list):
        assert i in index.exact(key)
        assert index.exact(key) == [j for j, k in enumerate(index.compacts_list) if k == key]
        skel = index.skeletons_list[i]
        assert index.same_skeleton(skel, limit=80) == [j for j, s in enumerate(index.skeletons_list) if s and s == skel]
    assert index.exact("nosuchplace") == [] and index.same_skeleton("qqq", limit=80) == []


def test_key_positions_refuse_a_shared_code() -> None:
    # Two keys under one code (a hash collision) cannot be told apart by the code: no probe dict then.
    assert KeyTable.build([5, 5, 7], [0, 1, 2]).positions(["a", "b", "c"]) is None
    assert KeyTable.build([5, 5, 7], [0, 1, 2]).positions(["a", "a", "c"]) == {"a": 0, "c": 1}


def test_exact_folded_key_is_a_candidate_and_flagged(index: NameIndex) -> None:
    x, ids = _block(index, "Kifrî")
    assert set(ids) == {"t:kifri", "t:kifri-district", "t:kafr"}  # Kafr by its consonant skeleton k-f-r
    assert x[:, _F["exact"]].tolist() == [1.0, 1.0, 0.0]  # best similarity first
    assert ids[2] == "t:kafr" and x[0, _F["n_exact"]] == 2 and x[2, _F["rank"]] == 2
    assert x[:, _F["query_kurdish"]].tolist() == [1.0, 1.0, 1.0]
    assert x[ids.index("t:kifri"), _F["entry_kurdish"]] == 1.0


def test_designator_agreement_features(index: NameIndex) -> None:
    x, ids = _block(index, "قضاء كفري")
    district, town = ids.index("t:kifri-district"), ids.index("t:kifri")
    assert x[district, _F["hint_agrees"]] == 1.0 and x[town, _F["hint_disagrees"]] == 1.0
    assert x[district, _F["is_adm2"]] == 1.0 and x[town, _F["is_town"]] == 1.0


def test_cross_script_query_meets_latin_only_names(index: NameIndex) -> None:
    x, ids = _block(index, "ئيراق")
    assert "t:iraq" in ids
    row = ids.index("t:iraq")
    assert x[row, _F["same_script"]] == 0.0 and x[row, _F["sim"]] > 0.0


def test_pool_is_the_same_whatever_the_caller_asks(index: NameIndex) -> None:
    g = normalize.Gazetteer(ENTRIES).with_outside(None)
    ids = [m.id for m in g.candidates("Kifri", limit=10, min_score=0.0)]
    assert [m.id for m in g.candidates("Kifri", limit=1, min_score=0.0)] == ids[:1]
    assert g.resolve("Kifri", min_score=0.0).id == ids[0]  # type: ignore[union-attr]


# --- context rules in text ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def linker() -> normalize.Linker:
    return normalize.Linker(gazetteer=normalize.Gazetteer(ENTRIES))


def test_capitalised_latin_name_is_linked_lower_case_word_is_not(linker: normalize.Linker) -> None:
    assert [m.id for m in linker.link("Clashes in Kifri on Monday.", lang="en")] == ["t:kifri"]
    assert [m.id for m in linker.link("the kifri was quiet", lang="en")] == []


def test_designator_in_text_links_the_division(linker: normalize.Linker) -> None:
    assert [m.id for m in linker.link("اشتباكات في قضاء كفري", lang="ar")] == ["t:kifri-district"]


def test_arabic_name_after_a_title_is_a_person(linker: normalize.Linker) -> None:
    assert [m.id for m in linker.link("قال الشيخ كفري إن", lang="ar")] == []
    assert [m.id for m in linker.link("وصلت القوات إلى كفري", lang="ar")] == ["t:kifri"]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=200))
def test_unique_counts_is_numpys_unique_with_counts(values: list[int]) -> None:
    from normalize._matching._index import unique_counts

    ids = np.asarray(values, dtype=np.int32)
    want_ids, want_counts = np.unique(ids, return_counts=True)
    got_ids, got_counts = unique_counts(ids.copy())
    assert got_ids.dtype == want_ids.dtype and got_counts.dtype == want_counts.dtype
    assert got_ids.tolist() == want_ids.tolist() and got_counts.tolist() == want_counts.tolist()


def test_per_object_memo_builds_once_and_clears() -> None:
    import gc

    from normalize._cache import PerObject

    class Key:
        pass

    built: list[int] = []

    def build(key: Key) -> list[int]:
        built.append(1)
        return [len(built)]

    memo: PerObject[Key, list[int]] = PerObject("tests.per_object", build)
    key = Key()
    assert memo.get(key) is memo.get(key) and len(built) == 1
    normalize.clear_caches()
    assert memo.get(key) == [2]
    del key
    gc.collect()
    assert len(memo._values) == 0  # weakly keyed: gone with its object
