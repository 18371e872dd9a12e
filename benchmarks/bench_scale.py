"""Scale-out benchmark: resolve a column of names and link a column of texts on 1 and 2 Dask worker processes,
beside the single-process baseline, in one run.

    python benchmarks/bench_scale.py            # 1,000,000 names, 100,000 texts (the baseline loop alone ~7 min)
    python benchmarks/bench_scale.py --quick    # 100,000 names, 10,000 texts
    python benchmarks/bench_scale.py --workers 1 2 4 --partitions 16 --json out.json

Names: a seeded pool of ~50k spellings (every Latin and Arabic-script name of the gazetteer, plus
transliteration-style and typo variants, plus non-places: benchmarks/data/negatives.txt and made-up words),
drawn with Zipf-like repetition (probability of the k-th spelling ~ 1/k^1.1, ranks shuffled), as in archives
where a few places fill most rows. Texts: seeded short sentences mixing gazetteer names (Latin and Arabic)
with filler.

Rows:
- ``loop``: the single-process baseline, ``[gazetteer.resolve(n) for n in names]`` (no deduplication) and
  ``[linker.link(t) for t in texts]``.
- ``resolve_many``/``link_many``: the column API in this process (repeated strings resolved once).
- ``dask N``: ``resolve_dask``/``link_dask`` on a LocalCluster of N single-threaded worker processes over the
  same partitions, against one ``.nidx`` file compiled once here and memory-mapped by every worker.

Throughput excludes the per-process start-up (opening the index; for linking also building the automaton,
~8 s on the bundled gazetteer), which is measured separately with ``client.run`` and shown as "warm-up".
Memory: peak RSS (``VmHWM``) of each worker process; pages of the memory-mapped index count in every process
that touched them although the kernel holds them once. The results of every Dask run are checked to be equal
to the single-process API's. Scaling is bounded by the number of cores (``os.cpu_count()`` is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _variants_data import read_negatives, script_of, translit, typo  # noqa: E402

import normalize  # noqa: E402
from normalize import Gazetteer  # noqa: E402
from normalize._link import Linker  # noqa: E402
from normalize._scale._batch import link_many, resolve_many  # noqa: E402

NEGATIVES = Path(__file__).resolve().parent / "data" / "negatives.txt"
ZIPF_S = 1.1
FILLER = ("the", "officials", "said", "on", "Monday", "that", "forces", "moved", "towards", "after", "clashes",
          "residents", "reported", "a", "convoy", "near", "from", "to", "in", "water", "prices", "rose")
FILLER_AR = ("قال", "مسؤولون", "إن", "القوات", "تحركت", "نحو", "بعد", "اشتباكات", "في", "من", "إلى", "السكان")


# --- data ----------------------------------------------------------------------------------------------------

def spelling_pool(gazetteer: Gazetteer, *, size: int, seed: int) -> list[str]:
    """~``size`` distinct strings: gazetteer spellings, ~20% variants of them, ~4% non-places; seeded order."""
    rng = random.Random(f"pool/{seed}")
    names = sorted({n.text for e in gazetteer for n in e.names if script_of(n.text) in ("Latn", "Arab")})
    rng.shuffle(names)
    n_variants, n_junk = size // 5, size // 25
    names = names[:size - n_variants - n_junk]
    latin = [n for n in names if script_of(n) == "Latn"]
    variants: set[str] = set()
    for _ in range(n_variants * 3):
        if len(variants) >= n_variants:
            break
        base = rng.choice(latin)
        made = translit(rng, base) if rng.random() < 0.5 else typo(rng, base)
        if made is not None:
            variants.add(made[0])
    junk = set(read_negatives(NEGATIVES))
    letters = "bcdfghjklmnpqrstvwz"
    while len(junk) < n_junk:
        junk.add("".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(rng.randint(2, 4))).title())
    pool = list(dict.fromkeys([*names, *sorted(variants), *sorted(junk)]))
    rng.shuffle(pool)
    return pool


def zipf_draw(pool: Sequence[str], n: int, *, seed: int) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(pool) + 1) ** ZIPF_S
    picks = rng.choice(len(pool), size=n, p=weights / weights.sum())
    return [pool[i] for i in picks.tolist()]


def sentences(gazetteer: Gazetteer, n: int, *, seed: int) -> list[str]:
    rng = random.Random(f"texts/{seed}")
    entries = sorted((e for e in gazetteer if e.population > 0 or e.is_admin), key=lambda e: e.id)
    latin = [e.name for e in entries if script_of(e.name) == "Latn"]
    arabic = sorted({nm.text for e in entries for nm in e.names if nm.lang == "ar"})
    out = []
    for _ in range(n):
        if arabic and rng.random() < 0.3:
            words = [rng.choice(FILLER_AR) for _ in range(rng.randint(6, 14))]
            for _ in range(rng.randint(0, 2)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(arabic))
        else:
            words = [rng.choice(FILLER) for _ in range(rng.randint(6, 14))]
            for _ in range(rng.randint(0, 2)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(latin))
            words[0] = words[0][:1].upper() + words[0][1:]
        out.append(" ".join(words) + ".")
    return out


# --- measuring -----------------------------------------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def proc_status(field: str) -> float:
    """A ``/proc/self/status`` memory field in MiB (NaN where there is no /proc)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker_peak_rss() -> float:
    return proc_status("VmHWM")


def worker_warm_up(index_path: str, link: bool) -> float:
    """Open the index in this worker process (and build the linking automaton); seconds taken."""
    from normalize._link import Linker
    from normalize._scale._dask import _LOADER, GazetteerSource

    start = time.perf_counter()
    gazetteer = _LOADER.get(GazetteerSource.of(index_path, None, None))
    if link:
        Linker(gazetteer).link("warm-up")
    return time.perf_counter() - start


def run_dask(workers: int, index_path: Path, names: Any, texts: Any, partitions: int, do_link: bool
             ) -> dict[str, Any]:
    import dask.dataframe as dd
    import distributed

    from normalize._scale._dask import link_dask, load_counts, resolve_dask

    out: dict[str, Any] = {"workers": workers}
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, memory_limit=0) as cluster, \
            distributed.Client(cluster) as client:
        # Data go to the cluster before the clock starts: the timing is of the work, not of the transfer.
        ddf = dd.from_pandas(names.to_frame(), npartitions=partitions).persist()
        dtexts = dd.from_pandas(texts, npartitions=partitions).persist()
        distributed.wait([ddf, dtexts])
        # As an ordinary task pinned to each worker (the work itself runs in the task thread too).
        addresses = list(client.scheduler_info()["workers"])
        warm = client.gather([client.submit(worker_warm_up, str(index_path), do_link, workers=[a], pure=False)
                              for a in addresses])
        out["warm_up_s"] = max(warm)
        out["resolve_s"], resolved = timed(lambda: resolve_dask(ddf, "name", index_path=index_path).compute())
        if do_link:
            out["link_s"], linked = timed(lambda: link_dask(dtexts, index_path=index_path).compute())
            out["linked"] = linked
        out["resolved"] = resolved
        out["peak_rss_mb"] = list(client.run(worker_peak_rss).values())
        out["loads"] = [c.get(str(index_path.absolute()), {}).get("loads", 0)
                        for c in client.run(load_counts).values()]
    return out


# --- main ----------------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 names and 10,000 texts")
    parser.add_argument("--names", type=int, help="number of names (default 1,000,000; --quick 100,000)")
    parser.add_argument("--texts", type=int, help="number of texts (default 100,000; --quick 10,000; 0: no linking)")
    parser.add_argument("--pool", type=int, default=50_000, help="distinct spellings drawn from (default 50,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Dask worker counts (default 1 2)")
    parser.add_argument("--partitions", type=int, default=8, help="partitions of each column (default 8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    args = parser.parse_args(argv)
    n_names = args.names if args.names is not None else (100_000 if args.quick else 1_000_000)
    n_texts = args.texts if args.texts is not None else (10_000 if args.quick else 100_000)

    import pandas as pd

    # Worker processes import normalize from this checkout too.
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    gazetteer = normalize.default_gazetteer()
    pool = spelling_pool(gazetteer, size=args.pool, seed=args.seed)
    names = zipf_draw(pool, n_names, seed=args.seed)
    texts = sentences(gazetteer, n_texts, seed=args.seed)
    import dask
    import distributed

    print(f"normalize {normalize.__version__} | gazetteer {len(gazetteer)} entries, checksum "
          f"{gazetteer.checksum[:12]} | seed {args.seed} | names {n_names:,} ({len(set(names)):,} distinct, pool "
          f"{len(pool):,}, zipf s={ZIPF_S}) | texts {n_texts:,} ({len(set(texts)):,} distinct) | partitions "
          f"{args.partitions} | Python {platform.python_version()}, dask {dask.__version__}, distributed "
          f"{distributed.__version__}, pandas {pd.__version__} | {os.cpu_count()} CPU cores", flush=True)

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        index_path = gazetteer.compile(Path(tmp) / "gazetteer.nidx")
        local = Gazetteer.open_index(index_path)
        linker = Linker(local)
        if n_texts:
            linker.link("warm-up")  # the automaton is built once here, outside the timings
        loop_s, loop_matches = timed(lambda: [local.resolve(n) for n in names])
        loop_link_s, _ = timed(lambda: [linker.link(t) for t in texts]) if n_texts else (float("nan"), None)
        rows.append({"config": "loop (1 process)", "resolve_s": loop_s, "link_s": loop_link_s})
        print(f"loop done: {loop_s:.1f} s resolve, {loop_link_s:.1f} s link", flush=True)
        many_s, many = timed(lambda: resolve_many(names, gazetteer=local))
        many_link_s, many_links = timed(lambda: link_many(texts, gazetteer=local)) if n_texts else (float("nan"),
                                                                                                   None)
        assert list(many.id) == [None if m is None else m.id for m in loop_matches]
        rows.append({"config": "resolve_many / link_many (1 process)", "resolve_s": many_s, "link_s": many_link_s})
        expected = many.to_pandas()
        expected_links = many_links.to_pandas().drop(columns="row") if many_links is not None else None
        series = pd.Series(names, name="name")
        text_series = pd.Series(texts, name="text")
        for w in args.workers:
            got = run_dask(w, index_path, series, text_series, args.partitions, bool(n_texts))
            resolved = got.pop("resolved")
            differ_r = resolved.ne(expected) & ~(resolved.isna() & expected.isna())
            got["resolve_mismatches"] = int(differ_r.any(axis=1).sum())
            if got["resolve_mismatches"]:
                bad = differ_r.any(axis=1)
                print(f"WARNING: {got['resolve_mismatches']} name(s) resolved differently on the workers:\n"
                      f"{pd.concat([series[bad], resolved.loc[bad, 'id'], expected.loc[bad, 'id']], axis=1).head(10)}",
                      flush=True)
            if expected_links is not None:
                linked = got.pop("linked")
                pd.testing.assert_frame_equal(linked[["start", "end", "surface"]],
                                              expected_links[["start", "end", "surface"]])
                differ = linked.ne(expected_links) & ~(linked.isna() & expected_links.isna())
                got["link_mismatches"] = int(differ.any(axis=1).sum())
                if got["link_mismatches"]:
                    print(f"WARNING: {got['link_mismatches']} mention(s) resolved differently on the workers:\n"
                          f"{linked[differ.any(axis=1)].head()}\nexpected\n"
                          f"{expected_links[differ.any(axis=1)].head()}", flush=True)
            rows.append({"config": f"dask, {w} worker process{'es' if w > 1 else ''}", **got})
            print(f"dask {w} done", flush=True)

    print()
    print(table(rows, n_names, n_texts))
    if args.json:
        args.json.write_text(json.dumps({"names": n_names, "texts": n_texts, "seed": args.seed, "rows": rows,
                                         "checksum": gazetteer.checksum}, indent=2))
    return 0


def table(rows: list[dict[str, Any]], n_names: int, n_texts: int) -> str:
    base = rows[0]
    one = next((r for r in rows if r.get("workers") == 1), None)
    lines = ["| configuration | names/s | vs loop | texts/s | vs loop | scaling vs 1 worker | warm-up s | "
             "peak RSS per worker (MiB) | index opens per worker |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        names_ps = n_names / r["resolve_s"]
        texts_ps = n_texts / r["link_s"] if n_texts and r.get("link_s") else float("nan")
        scaling = "–"
        if one is not None and "workers" in r:
            s_names = one["resolve_s"] / r["resolve_s"]
            scaling = f"{s_names:.2f}x names" + (f", {one['link_s'] / r['link_s']:.2f}x texts" if n_texts else "")
        rss = ", ".join(f"{m:.0f}" for m in r["peak_rss_mb"]) if "peak_rss_mb" in r else "–"
        loads = ", ".join(str(n) for n in r["loads"]) if "loads" in r else "–"
        warm = f"{r['warm_up_s']:.1f}" if "warm_up_s" in r else "–"
        lines.append(f"| {r['config']} | {names_ps:,.0f} | {base['resolve_s'] / r['resolve_s']:.1f}x | "
                     f"{texts_ps:,.0f} | {base['link_s'] / r['link_s'] if n_texts else float('nan'):.1f}x | "
                     f"{scaling} | {warm} | {rss} | {loads} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
