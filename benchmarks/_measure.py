"""Measurement helpers of the benchmarks: timers, peak memory, the two baselines and the fold cache."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _variants_data import key, script_of
from rapidfuzz import fuzz, process, utils

import normalize
from normalize import Gazetteer


def clear_fold_cache() -> None:
    """Empty the library's in-process caches (``normalize.clear_caches()``), so that timed queries fold from
    scratch: building the query sets folds every query once, and the timed pass would measure cache hits."""
    normalize.clear_caches()


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (VmHWM, else ru_maxrss, which Linux gives in KiB)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def _indexed_names(gazetteer: Gazetteer) -> Iterable[tuple[str, str, int]]:
    """(name text, entry id, population) of every Latin and Arabic-script name (what the library indexes)."""
    for e in gazetteer:
        for n in e.names:
            if script_of(n.text) in ("Latn", "Arab"):
                yield n.text, e.id, e.population


class ExactKeyBaseline:
    """Baseline (a): a dict from the folded key (spaces removed) to an entry id; on a collision the most
    populous entry wins (the first one in gazetteer order on equal population)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        best: dict[str, tuple[int, str]] = {}
        for text, ident, pop in _indexed_names(gazetteer):
            k = key(text)
            if k and (k not in best or pop > best[k][0]):
                best[k] = (pop, ident)
        self.table = {k: v[1] for k, v in best.items()}

    def resolve(self, query: str) -> str | None:
        # Not the memoised ``key``: the timed pass must fold like a user would.
        return self.table.get(normalize.fold(query).replace(" ", ""))


@dataclass(frozen=True, slots=True)
class BruteHit:
    ident: str | None
    score: float
    matched: str


class BruteForceBaseline:
    """Baseline (b): ``rapidfuzz.process.extractOne`` with ``fuzz.WRatio`` over every indexed name string,
    both sides through ``rapidfuzz.utils.default_process`` (lower case, punctuation to spaces)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        best: dict[str, tuple[int, str]] = {}
        for text, ident, pop in _indexed_names(gazetteer):
            if text not in best or pop > best[text][0]:
                best[text] = (pop, ident)
        self.texts = list(best)
        self.ids = [best[t][1] for t in self.texts]
        self.processed = [utils.default_process(t) for t in self.texts]

    def __len__(self) -> int:
        return len(self.texts)

    def best(self, query: str) -> BruteHit:
        """The best name whatever its score (apply a cutoff to the score afterwards)."""
        found = process.extractOne(utils.default_process(query), self.processed, scorer=fuzz.WRatio,
                                   processor=None, score_cutoff=0)
        if found is None:
            return BruteHit(None, 0.0, "")
        _choice, score, idx = found
        return BruteHit(self.ids[idx], float(score), self.texts[idx])

    def run(self, queries: Sequence[str]) -> list[BruteHit]:
        return [self.best(q) for q in queries]
