"""Column-wise resolving and linking: normalize._scale._batch.resolve_many / link_many."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import normalize
from normalize import Gazetteer, Match
from normalize._link import link
from normalize._scale._batch import (
    MENTION_COLUMNS,
    RESOLVED_COLUMNS,
    LinkedMentions,
    ResolvedColumns,
    link_many,
    resolve_many,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return normalize.default_gazetteer()


@pytest.fixture(scope="module")
def names(gazetteer: Gazetteer) -> list[str]:
    """Gazetteer spellings, damaged spellings and non-places, each repeated a few times, shuffled."""
    rng = random.Random(7)
    entries = [e for e in gazetteer if e.country == "IQ"][:400]
    spellings = [rng.choice(e.names).text for e in rng.sample(entries, 120)]
    damaged = [s[:-1] + "x" if len(s) > 5 else s + "a" for s in spellings[:40]]
    junk = ["Peshmerga", "the", "", "   ", "Reuters", "12345", "x" * 500]
    pool = spellings + damaged + junk
    out = [rng.choice(pool) for _ in range(600)]
    rng.shuffle(out)
    return out


def _row(result: ResolvedColumns, i: int) -> dict[str, object]:
    return {c: getattr(result, c)[i] for c in RESOLVED_COLUMNS}


def _expected(match: Match | None) -> dict[str, object]:
    if match is None:
        return dict.fromkeys(RESOLVED_COLUMNS)
    d = match.to_dict()
    return {c: d[c] for c in RESOLVED_COLUMNS}


class CountingGazetteer(Gazetteer):
    """Records every name passed to ``resolve``."""

    calls: list[str]

    def resolve(self, name: str, *, country: str | Collection[str] | None = None, kind: str | None = None,
                within: str | None = None, min_score: float | None = None) -> Match | None:
        self.calls.append(name)
        return super().resolve(name, country=country, kind=kind, within=within, min_score=min_score)


# --- resolve_many ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"country": "IQ", "kind": "P"}, {"min_score": 0.95}])
def test_every_row_equals_resolving_that_name_alone(gazetteer: Gazetteer, names: list[str],
                                                    options: dict[str, object]) -> None:
    result = resolve_many(names, gazetteer=gazetteer, **options)  # type: ignore[arg-type]
    assert len(result) == len(names)
    found = 0
    for i, name in enumerate(names):
        match = gazetteer.resolve(name, **options)  # type: ignore[arg-type]
        assert _row(result, i) == _expected(match), name
        assert result.matches[i] == match
        found += match is not None
    assert 0 < found < len(names)  # the sample holds both places and non-places


def test_each_distinct_name_is_resolved_once(tmp_path: Path, gazetteer: Gazetteer, names: list[str]) -> None:
    counting = CountingGazetteer.open_index(gazetteer.compile(tmp_path / "g.nidx"))
    assert isinstance(counting, CountingGazetteer)
    counting.calls = []
    result = resolve_many(names, gazetteer=counting)
    real_calls = [c for c in counting.calls if c != ""]
    assert sorted(real_calls) == sorted(set(names) - {""})
    assert len(names) > len(set(names))
    assert result == resolve_many(names, gazetteer=gazetteer)


def test_order_is_preserved(gazetteer: Gazetteer, names: list[str]) -> None:
    forward = resolve_many(names, gazetteer=gazetteer)
    backward = resolve_many(names[::-1], gazetteer=gazetteer)
    for c in RESOLVED_COLUMNS:
        assert getattr(backward, c) == getattr(forward, c)[::-1]


def test_missing_and_non_string_entries_give_empty_rows(gazetteer: Gazetteer) -> None:
    column: list[object] = [None, float("nan"), pd.NA, np.nan, 3, 4.5, b"Kirkuk", ["Kirkuk"], "Kirkuk",
                            np.str_("Mosul")]
    result = resolve_many(column, gazetteer=gazetteer)
    assert len(result) == len(column)
    for i in range(8):
        assert _row(result, i) == dict.fromkeys(RESOLVED_COLUMNS)
        assert result.matches[i] is None
    assert _row(result, 8) == _expected(gazetteer.resolve("Kirkuk"))
    assert _row(result, 9) == _expected(gazetteer.resolve("Mosul"))
    assert result.id[8] is not None and result.id[9] is not None


def test_list_tuple_array_series_and_generator_agree(gazetteer: Gazetteer, names: list[str]) -> None:
    expected = resolve_many(names, gazetteer=gazetteer)
    assert resolve_many(tuple(names), gazetteer=gazetteer) == expected
    assert resolve_many(np.array(names, dtype=object), gazetteer=gazetteer) == expected
    assert resolve_many(np.array(names), gazetteer=gazetteer) == expected  # a fixed-width unicode array
    assert resolve_many(pd.Series(names), gazetteer=gazetteer) == expected
    assert resolve_many(pd.Series(names, dtype="string"), gazetteer=gazetteer) == expected
    assert resolve_many(iter(names), gazetteer=gazetteer) == expected


def test_series_index_is_kept(gazetteer: Gazetteer) -> None:
    series = pd.Series(["Mosul", None, "كركوك", "Mosul", "not a place at all"], index=["e", "d", "c", "b", "a"],
                       name="place")
    frame = resolve_many(series, gazetteer=gazetteer).to_pandas()
    assert list(frame.index) == ["e", "d", "c", "b", "a"]
    assert frame.loc["e", "id"] == gazetteer.resolve("Mosul").id  # type: ignore[union-attr]
    assert frame.loc["c", "id"] == gazetteer.resolve("كركوك").id  # type: ignore[union-attr]
    assert pd.isna(frame.loc["d", "id"]) and math.isnan(frame.loc["d", "score"])
    # Joins back onto the source frame by label, whatever the row order.
    source = series.to_frame().iloc[::-1]
    joined = source.join(frame[["id"]])
    assert joined.loc["b", "id"] == frame.loc["e", "id"]


def test_to_pandas_columns_dtypes_and_values(gazetteer: Gazetteer, names: list[str]) -> None:
    result = resolve_many(names, gazetteer=gazetteer)
    frame = result.to_pandas()
    assert tuple(frame.columns) == RESOLVED_COLUMNS
    assert list(frame.index) == list(range(len(names)))
    for c in RESOLVED_COLUMNS:
        if c in ("score", "lat", "lon"):
            assert frame[c].dtype == np.float64
        else:
            assert frame[c].dtype == pd.StringDtype()
        values = [None if pd.isna(v) else v for v in frame[c].tolist()]
        assert values == list(getattr(result, c))


@pytest.mark.parametrize("empty", [[], (), np.array([], dtype=object), pd.Series([], dtype=object), iter([])])
def test_empty_input(gazetteer: Gazetteer, empty: object) -> None:
    result = resolve_many(empty, gazetteer=gazetteer)  # type: ignore[arg-type]
    assert len(result) == 0
    assert result.to_dict() == {c: [] for c in RESOLVED_COLUMNS}
    frame = result.to_pandas()
    assert tuple(frame.columns) == RESOLVED_COLUMNS and len(frame) == 0
    assert frame["score"].dtype == np.float64 and frame["id"].dtype == pd.StringDtype()


def test_to_dict_is_json_ready(gazetteer: Gazetteer) -> None:
    d = resolve_many(["Kirkuk", None], gazetteer=gazetteer).to_dict()
    assert list(d) == list(RESOLVED_COLUMNS)
    assert d["id"] == [gazetteer.resolve("Kirkuk").id, None]  # type: ignore[union-attr]
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_bad_arguments_fail_even_for_an_empty_column(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match="country"):
        resolve_many([], gazetteer=gazetteer, country="Iraq")
    with pytest.raises(ValueError, match="min_score"):
        resolve_many([None], gazetteer=gazetteer, min_score=2)
    with pytest.raises(TypeError, match="single str"):
        resolve_many("Kirkuk", gazetteer=gazetteer)
    with pytest.raises(TypeError, match="DataFrame"):
        resolve_many(pd.DataFrame({"name": ["Kirkuk"]}), gazetteer=gazetteer)
    with pytest.raises(ValueError, match="one-dimensional"):
        resolve_many(np.array([["Kirkuk"]]), gazetteer=gazetteer)


def test_default_gazetteer_is_used_when_none_given(gazetteer: Gazetteer) -> None:
    assert resolve_many(["Kirkuk"]) == resolve_many(["Kirkuk"], gazetteer=gazetteer)


def test_batch_modules_do_not_import_pandas_or_dask() -> None:
    code = ("import sys, normalize, normalize._scale._batch, normalize._scale._dask; "
            "r = normalize._scale._batch.resolve_many(['Kirkuk', None]); r.to_dict(); "
            "small = normalize.Gazetteer(e for e in normalize.default_gazetteer() "
            "if e.admin1 and 'Kirk' in e.admin1.name); "
            "assert normalize.link_many(['Clashes near Kirkuk.'], lang='en', gazetteer=small).to_dict()['id']; "
            "print(','.join(m for m in ('pandas', 'dask', 'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


# --- link_many -------------------------------------------------------------------------------------------------

TEXTS = [
    "Clashes near Tuz Khurmatu and the Kifri district.",
    None,
    "نزح سكان من الموصل إلى أربيل يوم الاثنين",
    "Nothing to see here.",
    "Clashes near Tuz Khurmatu and the Kifri district.",
    float("nan"),
    "",
    "Fighters moved from Kirkuk to Mosul, then to Baghdad.",
]


def test_link_many_equals_link_per_text_and_offsets_match(gazetteer: Gazetteer) -> None:
    result = link_many(TEXTS, gazetteer=gazetteer)
    expected = [(i, m) for i, t in enumerate(TEXTS) if isinstance(t, str) for m in link(t, gazetteer=gazetteer)]
    assert len(result) == len(expected) >= 6
    assert result.n_texts == len(TEXTS)
    for k, (i, m) in enumerate(expected):
        assert result.row[k] == i
        assert (result.start[k], result.end[k], result.surface[k], result.id[k]) == (m.start, m.end, m.surface, m.id)
        text = TEXTS[i]
        assert isinstance(text, str) and text[result.start[k]:result.end[k]] == result.surface[k]
        assert result.mentions[k] == m
    assert list(result.row) == sorted(result.row)
    assert {1, 3, 5, 6}.isdisjoint(result.row)
    # The repeated text gives the same mentions as its first copy.
    spans = list(zip(result.row, result.start, result.end, result.id, strict=True))
    first = [(s, e, i) for r, s, e, i in spans if r == 0]
    again = [(s, e, i) for r, s, e, i in spans if r == 4]
    assert first == again and first


def test_link_many_to_pandas_is_indexed_by_the_text_label(gazetteer: Gazetteer) -> None:
    series = pd.Series(TEXTS, index=[f"doc{i}" for i in range(len(TEXTS))])
    result = link_many(series, gazetteer=gazetteer)
    frame = result.to_pandas()
    assert tuple(frame.columns) == MENTION_COLUMNS
    assert [str(x) for x in frame.dtypes] == ["int64", "int64", "int64", "string", "string", "string", "float64"]
    assert list(frame.index) == [f"doc{r}" for r in result.row]
    for label, row in frame.iterrows():
        assert series[label][row["start"]:row["end"]] == row["surface"]
    plain = link_many(TEXTS, gazetteer=gazetteer)
    assert plain == result
    assert list(plain.to_pandas().index) == list(plain.row)


def test_link_many_empty_and_bad_lang(gazetteer: Gazetteer) -> None:
    empty = link_many([], gazetteer=gazetteer)
    assert isinstance(empty, LinkedMentions) and len(empty) == 0
    frame = empty.to_pandas()
    assert tuple(frame.columns) == MENTION_COLUMNS and len(frame) == 0 and frame["start"].dtype == np.int64
    assert len(link_many([None, 1.5], gazetteer=gazetteer)) == 0
    with pytest.raises(ValueError, match="lang"):
        link_many([], gazetteer=gazetteer, lang="xx")
