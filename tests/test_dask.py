"""Scale-out on a local Dask cluster (two worker processes, loopback only): normalize._scale._dask."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import normalize  # noqa: E402
from normalize import Gazetteer, IndexFormatError  # noqa: E402
from normalize._scale._batch import link_many, resolve_many  # noqa: E402
from normalize._scale._dask import link_dask, load_counts, resolve_dask  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PARTITIONS = 6


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Iraq part of the bundled gazetteer, compiled once on the client (a smaller automaton to build)."""
    small = Gazetteer(e for e in normalize.default_gazetteer() if e.country == "IQ")
    return small.compile(tmp_path_factory.mktemp("index") / "iq.nidx")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as mp:
        # Worker processes import normalize from this checkout, whatever their working directory.
        mp.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as c:
            yield c


@pytest.fixture(scope="module")
def names(index_path: Path) -> Any:
    g = Gazetteer.open_index(index_path)
    rng = random.Random(3)
    pool = [n.text for e in list(g)[:800] for n in e.names[:3]] + ["Peshmerga", "Reuters", "xyzzy"]
    values: list[object] = [rng.choice(pool) for _ in range(3000)]
    for i in range(0, 3000, 97):
        values[i] = None
    return pd.Series(values, index=[f"n{i:05d}" for i in range(3000)], name="name", dtype=object)


@pytest.fixture(scope="module")
def texts(index_path: Path) -> Any:
    g = Gazetteer.open_index(index_path)
    rng = random.Random(4)
    places = [e.name for e in list(g)[:300]] + ["Kirkuk", "Mosul", "Tuz Khurmatu", "الموصل", "كركوك"]
    templates = ["Clashes were reported near {} on Monday.", "Families fled from {} to {}.",
                 "نزح سكان من {} إلى {}", "Nothing happened in the market today.", "Officials in {} said so."]
    out: list[object] = []
    for _ in range(240):
        t = rng.choice(templates)
        out.append(t.format(*(rng.choice(places) for _ in range(t.count("{}")))))
    out[5] = None
    return pd.Series(out, index=pd.RangeIndex(1000, 1240), name="text", dtype=object)


def test_resolve_dask_equals_single_process(client: Any, index_path: Path, names: Any) -> None:
    ddf = dd.from_pandas(names.to_frame(), npartitions=PARTITIONS)
    got = resolve_dask(ddf, "name", index_path=index_path, kind="P").compute()
    expected = resolve_many(names, gazetteer=Gazetteer.open_index(index_path), kind="P").to_pandas()
    # Dask stores the string labels as Arrow strings; the labels and every value must be the same.
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert list(got.index) == list(expected.index)
    assert got["id"].notna().sum() > 1000


def test_link_dask_equals_single_process(client: Any, index_path: Path, texts: Any) -> None:
    ds = dd.from_pandas(texts, npartitions=PARTITIONS)
    got = link_dask(ds, index_path=index_path).compute()
    expected = link_many(texts, gazetteer=Gazetteer.open_index(index_path)).to_pandas().drop(columns="row")
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) > 200
    for label, row in got.iterrows():
        assert texts[label][row["start"]:row["end"]] == row["surface"]


def test_each_worker_process_opened_the_index_once(client: Any, index_path: Path, names: Any,
                                                   texts: Any) -> None:
    # Both computations again, so this test holds on its own too.
    resolve_dask(dd.from_pandas(names, npartitions=PARTITIONS), index_path=index_path).compute()
    link_dask(dd.from_pandas(texts, npartitions=PARTITIONS), index_path=index_path).compute()
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    per_worker = client.run(load_counts)
    key = str(index_path.absolute())
    stats = [counts[key] for counts in per_worker.values() if key in counts]
    assert stats, per_worker
    assert all(s["loads"] == 1 for s in stats), per_worker
    # 2 x 6 partitions over at most 2 processes: opening per task would show loads > 1 somewhere.
    assert sum(s["uses"] for s in stats) >= 2 * PARTITIONS


def test_stale_index_is_rejected_on_the_workers(client: Any, index_path: Path, names: Any) -> None:
    ddf = dd.from_pandas(names.iloc[:50].to_frame(), npartitions=2)
    with pytest.raises(IndexFormatError, match="stale"):
        resolve_dask(ddf, "name", index_path=index_path, checksum="0" * 64).compute()


def test_bad_column_and_input_type(index_path: Path, names: Any) -> None:
    ddf = dd.from_pandas(names.to_frame(), npartitions=2)
    with pytest.raises(KeyError, match="nope"):
        resolve_dask(ddf, "nope", index_path=index_path)
    with pytest.raises(TypeError, match="dask"):
        resolve_dask(names, index_path=index_path)
    with pytest.raises(ValueError, match="not both"):
        resolve_dask(ddf, "name", index_path=index_path, gazetteer_paths=[index_path])


def test_worker_gazetteer_is_shared_and_reopened_when_the_file_changes(tmp_path: Path, index_path: Path) -> None:
    from normalize._scale._dask import worker_gazetteer

    path = tmp_path / "copy.nidx"
    path.write_bytes(index_path.read_bytes())
    first = worker_gazetteer(path)
    assert worker_gazetteer(str(path)) is first
    assert load_counts()[str(path)] == {"loads": 1, "uses": 2}
    Gazetteer(list(first)[:10]).compile(path)  # rewritten in place: another size
    second = worker_gazetteer(path)
    assert second is not first and len(second) == 10
    assert load_counts()[str(path)]["loads"] == 2
