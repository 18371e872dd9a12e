"""scripts/_training_queries.py: how the ranker's training queries are drawn (the news view's country shares)."""

from __future__ import annotations

import math
import random
from types import ModuleType

import pytest
from _scripts import load_script

from normalize._gazetteer._entry import Entry, Name


@pytest.fixture(scope="module")
def tq() -> ModuleType:
    return load_script("_training_queries")


def _pool() -> list[Entry]:
    # Many Turkish villages, few Iraqi ones, and a Jordanian one: the gazetteer's mix in miniature.
    out = []
    for i in range(300):
        country = "TR" if i < 240 else "IQ" if i < 290 else "IR" if i < 299 else "JO"
        out.append(Entry(f"geonames:{1000 + 10 * i}", f"Place {i}", "PPL", country, population=10 * i,
                         names=(Name(f"Place {i}"), Name(f"Village {i}"))))
    return out


def test_news_weights_give_each_country_its_share_of_mentions(tq: ModuleType) -> None:
    pool = _pool()
    weights = tq._news_weights(pool)
    by_country: dict[str, float] = {}
    for e, w in zip(pool, weights, strict=True):
        by_country[e.country] = by_country.get(e.country, 0.0) + w
    for country in ("TR", "IQ", "IR"):
        assert math.isclose(by_country[country], tq.NEWS_COUNTRY_SHARE[country])
    assert math.isclose(by_country["JO"], tq._OTHER_COUNTRY_SHARE)  # not named: the others' share
    # Within a country, prominence still orders the weights.
    iraqi = [w for e, w in zip(pool, weights, strict=True) if e.country == "IQ"]
    assert iraqi == sorted(iraqi) and iraqi[0] < iraqi[-1]


def test_news_half_draws_iraqi_entries_by_their_share_and_is_deterministic(tq: ModuleType) -> None:
    pool = _pool()
    drawn = tq.sample(random.Random("t"), pool, 60)
    assert drawn == tq.sample(random.Random("t"), pool, 60)
    assert len({e.id for e in drawn}) == 60
    # 30 uniform draws hold about 5 Iraqi entries (50 of 300); the 30 news draws about 0.78 * 30 = 23.
    iraqi = sum(e.country == "IQ" for e in drawn)
    assert iraqi >= 20, iraqi


def test_without_country_shares_the_news_half_follows_prominence_alone(tq: ModuleType,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tq, "NEWS_COUNTRY_SHARE", None)
    pool = _pool()
    assert tq._news_weights(pool) == [tq.prominence(e) for e in pool]
    iraqi = sum(e.country == "IQ" for e in tq.sample(random.Random("t"), pool, 60))
    assert iraqi < 20, iraqi
