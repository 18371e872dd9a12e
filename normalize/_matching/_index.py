"""The name index, built once per gazetteer: exact folded keys, consonant skeletons and trigram blocking.

Everything is held in flat NumPy arrays (sorted 64-bit key codes with CSR postings, UTF-8 string blobs with
offsets, per-entry attribute columns), so an index can be written to one file and memory-mapped back without
pickle (see ``_index_file``), and shared by worker processes. Queries never scan every name: exact keys are
a binary search, fuzzy candidates come from the rarest trigrams of the query, and only those candidates are
scored with RapidFuzz. Filters and priors read the per-entry columns, so no entry is parsed until it is
returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from itertools import pairwise
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from normalize._gazetteer._entry import Entry
from normalize._matching._designators import LEVELS
from normalize._matching._folding import analyse, compact, phonetic, skeleton
from normalize._matching._language import is_kurdish
from normalize._matching._script import detect_script

#: Only these scripts are indexed: the library's users query in Arabic script or Latin letters, and
#: unidecode romanisations of other scripts (Chinese, Japanese ...) would only add false friends.
INDEXED_SCRIPTS = ("Latn", "Arab")
SCRIPT_CODES = {s: i for i, s in enumerate(INDEXED_SCRIPTS)}

# Trigram postings longer than this are skipped at query time unless too few trigrams would remain: such
# trigrams ("^al", "ah$") say little about which name was meant and cost the most to merge.
_COMMON_TRIGRAM = 5_000
# Feature codes of whole countries (PCLI, PCLD ...) and of regions above the first level (ADMD): a gazetteer
# holding only such an entry for a country does not cover that country's places.
_COUNTRY_LEVEL = ("PCL", "ADMD")
_LEVEL_CODES = {level: i for i, level in enumerate(LEVELS) if level}
_FUZZY_POOL = 64
_RAREST = 8

Int32 = npt.NDArray[np.int32]
Int64 = npt.NDArray[np.int64]


def key_code(key: str) -> int:
    """Stable 63-bit code of a string key (Python's ``hash`` is salted per process, so unusable on disk)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") & 0x7FFF_FFFF_FFFF_FFFF


def trigram_codes(key: str) -> list[int]:
    """Distinct trigrams of ``^key$`` packed exactly into integers (three 21-bit code points)."""
    padded = f"\x02{key}\x03"
    return sorted({(ord(padded[i]) << 42) | (ord(padded[i + 1]) << 21) | ord(padded[i + 2])
                   for i in range(len(padded) - 2)})


@dataclass(frozen=True, slots=True)
class KeyTable:
    """Sorted key codes with CSR postings of ids."""

    codes: Int64
    offsets: Int64
    postings: Int32

    @classmethod
    def build(cls, codes: Sequence[int], ids: Sequence[int]) -> KeyTable:
        code_arr = np.asarray(codes, dtype=np.int64)
        id_arr = np.asarray(ids, dtype=np.int32)
        order = np.lexsort((id_arr, code_arr))
        code_arr, id_arr = code_arr[order], id_arr[order]
        uniq, starts = np.unique(code_arr, return_index=True)
        offsets = np.append(starts, len(code_arr)).astype(np.int64)
        return cls(uniq.astype(np.int64), offsets, id_arr)

    def get(self, code: int) -> Int32:
        i = int(np.searchsorted(self.codes, code))
        if i < len(self.codes) and int(self.codes[i]) == code:
            return self.postings[int(self.offsets[i]):int(self.offsets[i + 1])]
        return self.postings[:0]

    def positions(self, keys: Sequence[str]) -> dict[str, int] | None:
        """Per key of the table (``keys[i]`` being the key of id ``i``), the position of its code, or ``None``
        when two keys share a code (a 63-bit hash collision, which would need the keys compared)."""
        if not len(self.codes):
            return {}
        first = self.postings[self.offsets[:-1]].tolist()  # one id per code
        out = dict(zip(itemgetter(*first)(keys) if len(first) > 1 else [keys[first[0]]], range(len(first)),
                       strict=True))
        # A code's key is then the key of all its ids only if the posted ids have as many distinct keys as codes.
        posted = set(itemgetter(*self.postings.tolist())(keys)) if len(self.postings) > 1 else set(out)
        return out if len(out) == len(posted) == len(self.codes) else None

    def bounds(self) -> dict[int, tuple[int, int]]:
        """Per code, the start and end of its postings."""
        offsets = self.offsets.tolist()
        return dict(zip(self.codes.tolist(), pairwise(offsets), strict=True))

    def at(self, position: int) -> Int32:
        """The postings of the code at ``position``."""
        return self.postings[int(self.offsets[position]):int(self.offsets[position + 1])]


class StringTable(Sequence[str]):
    """Many strings as one UTF-8 blob plus offsets; items are decoded on access."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: Int64) -> None:
        self.blob, self.offsets = blob, offsets

    @classmethod
    def build(cls, strings: Iterable[str]) -> StringTable:
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return bytes(self.blob[int(self.offsets[i]):int(self.offsets[i + 1])]).decode("utf-8")

    def as_list(self) -> list[str]:
        raw = self.blob.tobytes()
        o = self.offsets.tolist()
        return [raw[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]


def _vocab_ids(values: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int32]]:
    vocab = sorted(set(values))
    pos = {v: i for i, v in enumerate(vocab)}
    return vocab, np.asarray([pos[v] for v in values], dtype=np.int32)


class NameIndex:
    """Candidate generation over every Latin and Arabic-script name, plus per-entry columns for filters."""

    #: Array names, in the order they are written to an index file.
    ARRAYS = ("entry_of", "position", "script", "hint", "entry_names", "compact_blob", "compact_offsets",
              "skeleton_blob", "skeleton_offsets", "phonetic_blob", "phonetic_offsets", "entry_scripts",
              "entry_kurdish", "population",
              "kind_id", "country_id", "admin1_id", "admin2_id",
              "by_compact.codes", "by_compact.offsets", "by_compact.postings",
              "by_skeleton.codes", "by_skeleton.offsets", "by_skeleton.postings",
              "by_trigram.codes", "by_trigram.offsets", "by_trigram.postings",
              "by_skeleton_trigram.codes", "by_skeleton_trigram.offsets", "by_skeleton_trigram.postings")

    def __init__(self, arrays: Mapping[str, np.ndarray], vocab: Mapping[str, list[str]]) -> None:
        a = arrays
        self.entry_of: Int32 = a["entry_of"]
        self.position: Int32 = a["position"]
        self.script: npt.NDArray[np.int8] = a["script"]
        #: Per name, the level its own designator asked for, as an index into ``LEVELS`` (-1: none).
        self.hint: npt.NDArray[np.int8] = a["hint"]
        #: Per entry, how many distinct names it has indexed (a measure of how much it is written about).
        self.entry_names: npt.NDArray[np.int32] = a["entry_names"]
        self.compacts = StringTable(a["compact_blob"], a["compact_offsets"])
        self.skeletons = StringTable(a["skeleton_blob"], a["skeleton_offsets"])
        self.phonetics = StringTable(a["phonetic_blob"], a["phonetic_offsets"])
        #: Per entry, a bit per indexed script (1 << SCRIPT_CODES[script]) that the entry has a name in.
        self.entry_scripts: npt.NDArray[np.uint8] = a["entry_scripts"]
        #: Per entry, 1 if it has a name written in Kurdish (Sorani letters, Kurmanji spelling or a ckb/kmr tag):
        #: a query written in Kurdish most likely names a place Kurds write about, not a namesake in Iran.
        self.entry_kurdish: npt.NDArray[np.uint8] = a["entry_kurdish"]
        self.population: Int64 = a["population"]
        self.kind_id: Int32 = a["kind_id"]
        self.country_id: Int32 = a["country_id"]
        self.admin1_id: Int32 = a["admin1_id"]
        self.admin2_id: Int32 = a["admin2_id"]
        self.kinds, self.countries, self.admin_codes = vocab["kinds"], vocab["countries"], vocab["admin_codes"]
        #: Countries the gazetteer has places or divisions of (not just a country entry): places outside
        #: them are competing explanations for a query (see ``_outside``).
        self.covered: frozenset[str] = frozenset(vocab["covered"])
        self.by_compact = KeyTable(a["by_compact.codes"], a["by_compact.offsets"], a["by_compact.postings"])
        self.by_skeleton = KeyTable(a["by_skeleton.codes"], a["by_skeleton.offsets"], a["by_skeleton.postings"])
        self.by_trigram = KeyTable(a["by_trigram.codes"], a["by_trigram.offsets"], a["by_trigram.postings"])
        self.by_skeleton_trigram = KeyTable(a["by_skeleton_trigram.codes"], a["by_skeleton_trigram.offsets"],
                                            a["by_skeleton_trigram.postings"])
        self.arrays = dict(arrays)
        self.vocab = dict(vocab)
        # Scoring reads these strings for every candidate; decoding them once beats decoding per access.
        self.compacts_list: Sequence[str] = self.compacts.as_list()
        self.skeletons_list: Sequence[str] = self.skeletons.as_list()
        self.phonetics_list: Sequence[str] = self.phonetics.as_list()
        # Their lengths, in letters.
        self.compact_len: Int64 = np.fromiter((len(c) for c in self.compacts_list), dtype=np.int64,
                                              count=len(self.compacts_list))
        self.phonetic_len: Int64 = np.diff(self.phonetics.offsets)  # phonetic keys are ASCII: bytes = letters
        #: Per name, what scoring a candidate reads of it, as one tuple (entry position, script code, letters of
        #: the compact key, letters of the phonetic key, the entry's script bits): a candidate block takes them
        #: with one C-level ``itemgetter`` call instead of five NumPy gathers and conversions.
        self.name_info: list[tuple[int, int, int, int, int]] = list(zip(
            self.entry_of.tolist(), self.script.tolist(), self.compact_len.tolist(), self.phonetic_len.tolist(),
            self.entry_scripts[self.entry_of].tolist(), strict=True))
        # Exact-key lookups are dict probes, from a key to the position of its code in the key table: each query
        # probes both tables, and a probe beats hashing the key with blake2b and a binary search. ``None`` when two
        # keys of a table share a code (then the table is read as before).
        self._compact_at = self.by_compact.positions(self.compacts_list)
        self._skeleton_at = self.by_skeleton.positions(self.skeletons_list)
        # Fuzzy candidates read the postings of a dozen trigrams per key: a dict from each trigram code to its
        # postings' bounds replaces the binary search and its half-dozen array steps.
        self._trigram_bounds = self.by_trigram.bounds()
        self._skeleton_trigram_bounds = self.by_skeleton_trigram.bounds()
        # Names are indexed entry by entry, so an entry's names are one run of ids: where each run starts.
        self.entry_start: Int64 = np.searchsorted(self.entry_of, np.arange(len(self.population) + 1)).astype(
            np.int64)
        #: Per-kind feature rows, filled by the feature computation on first use (small, bounded by the hints).
        self.feature_tables: dict[str, npt.NDArray[np.float32]] = {}

    @classmethod
    def build(cls, entries: Sequence[Entry]) -> NameIndex:
        """Fold and index every Latin/Arabic-script name of ``entries``."""
        entry_of: list[int] = []
        position: list[int] = []
        compacts: list[str] = []
        skeletons: list[str] = []
        phonetics: list[str] = []
        scripts: list[int] = []
        hints: list[int] = []
        entry_scripts = np.zeros(len(entries), dtype=np.uint8)
        entry_names = np.zeros(len(entries), dtype=np.int32)
        entry_kurdish = np.zeros(len(entries), dtype=np.uint8)
        for e_idx, entry in enumerate(entries):
            entry_kurdish[e_idx] = any(is_kurdish(n.text, n.lang) for n in entry.names)
            seen: set[str] = set()
            for n_idx, spelling in enumerate(entry.names):
                script = detect_script(spelling.text)
                if script not in SCRIPT_CODES:
                    continue
                folded, hint = analyse(spelling.text)
                key = compact(folded)
                if not key or key in seen:
                    continue
                seen.add(key)
                entry_of.append(e_idx)
                position.append(n_idx)
                compacts.append(key)
                skeletons.append(skeleton(folded))
                phonetics.append(phonetic(folded))
                scripts.append(SCRIPT_CODES[script])
                hints.append(_LEVEL_CODES.get(hint, -1))
                entry_scripts[e_idx] |= 1 << SCRIPT_CODES[script]
                entry_names[e_idx] += 1
        kinds, kind_id = _vocab_ids([e.kind for e in entries])
        countries, country_id = _vocab_ids([e.country for e in entries])
        admin_values = [e.admin1.code if e.admin1 else "" for e in entries]
        admin_values += [e.admin2.code if e.admin2 else "" for e in entries]
        admin_codes, admin_ids = _vocab_ids(admin_values)
        ids = list(range(len(compacts)))
        skel_ids = [i for i in ids if skeletons[i]]
        compact_table = StringTable.build(compacts)
        skeleton_table = StringTable.build(skeletons)
        phonetic_table = StringTable.build(phonetics)
        tables = {
            "by_compact": KeyTable.build([key_code(k) for k in compacts], ids),
            "by_skeleton": KeyTable.build([key_code(skeletons[i]) for i in skel_ids], skel_ids),
            "by_trigram": _trigram_table(compacts),
            "by_skeleton_trigram": _trigram_table(skeletons),
        }
        arrays: dict[str, np.ndarray] = {
            "entry_of": np.asarray(entry_of, dtype=np.int32),
            "position": np.asarray(position, dtype=np.int32),
            "script": np.asarray(scripts, dtype=np.int8),
            "hint": np.asarray(hints, dtype=np.int8), "entry_names": entry_names,
            "compact_blob": compact_table.blob, "compact_offsets": compact_table.offsets,
            "skeleton_blob": skeleton_table.blob, "skeleton_offsets": skeleton_table.offsets,
            "phonetic_blob": phonetic_table.blob, "phonetic_offsets": phonetic_table.offsets,
            "entry_scripts": entry_scripts, "entry_kurdish": entry_kurdish,
            "population": np.asarray([e.population for e in entries], dtype=np.int64),
            "kind_id": kind_id, "country_id": country_id,
            "admin1_id": admin_ids[:len(entries)], "admin2_id": admin_ids[len(entries):],
        }
        for name, table in tables.items():
            arrays[f"{name}.codes"] = table.codes
            arrays[f"{name}.offsets"] = table.offsets
            arrays[f"{name}.postings"] = table.postings
        covered = sorted({e.country for e in entries if not e.kind.startswith(_COUNTRY_LEVEL)})
        return cls(arrays, {"kinds": kinds, "countries": countries, "admin_codes": admin_codes, "covered": covered})

    def __len__(self) -> int:
        return len(self.entry_of)

    def name_keys(self, entry: int) -> frozenset[str]:
        """The folded keys of every indexed name of entry position ``entry``."""
        return frozenset(self.compacts_list[int(self.entry_start[entry]):int(self.entry_start[entry + 1])])

    def compact_of(self, i: int) -> str:
        return self.compacts_list[i]

    def skeleton_of(self, i: int) -> str:
        return self.skeletons_list[i]

    def exact(self, key: str) -> list[int]:
        """Names whose compact folded key equals ``key``."""
        if self._compact_at is not None:  # one key per code: the code's postings are the key's names
            at = self._compact_at.get(key)
            return [] if at is None else self.by_compact.at(at).tolist()
        compacts = self.compacts_list
        return [i for i in self.by_compact.get(key_code(key)).tolist() if compacts[i] == key]

    def same_skeleton(self, skel: str, *, limit: int) -> list[int]:
        """Up to ``limit`` names whose consonant skeleton equals ``skel``."""
        if not skel:
            return []
        if self._skeleton_at is not None:
            at = self._skeleton_at.get(skel)
            return [] if at is None else self.by_skeleton.at(at)[:limit].tolist()
        skeletons = self.skeletons_list
        return [i for i in self.by_skeleton.get(key_code(skel))[:limit].tolist() if skeletons[i] == skel]

    def fuzzy(self, key: str, *, skeleton_key: bool = False, limit: int = _FUZZY_POOL) -> list[int]:
        """Up to ``limit`` names sharing the most trigrams with ``key`` (rarest trigrams first)."""
        table = self.by_skeleton_trigram if skeleton_key else self.by_trigram
        bounds = self._skeleton_trigram_bounds if skeleton_key else self._trigram_bounds
        postings = table.postings
        # The postings of the key's trigrams that the table has, in code order.
        lists = [postings[b[0]:b[1]] for b in map(bounds.get, trigram_codes(key)) if b is not None]
        if not lists:
            return []
        lists.sort(key=len)
        # The rarest trigrams decide; frequent ones ("^al", "ah$") are skipped unless too few would remain.
        usable = [p for p in lists[:_RAREST] if len(p) <= _COMMON_TRIGRAM]
        if len(usable) < min(3, len(lists)):
            usable = lists[:3]
        merged = np.concatenate(usable)
        if not len(merged):
            return []
        ids, counts = unique_counts(merged)
        # Names sharing too few of these trigrams cannot be within a couple of edits of the key.
        need = max(1, len(usable) - 5)
        keep = counts >= need
        ids, counts = ids[keep], counts[keep]
        if len(ids) > limit:
            top = np.argpartition(-counts, limit - 1)[:limit]
            ids = ids[top][np.argsort(-counts[top], kind="stable")]
        else:
            ids = ids[np.argsort(-counts, kind="stable")]
        out: list[int] = ids.tolist()
        return out


def unique_counts(ids: Int32) -> tuple[Int32, npt.NDArray[np.intp]]:
    """``np.unique(ids, return_counts=True)`` for a non-empty ``ids``, which it sorts in place: the same steps
    (sort, the first of each run, run lengths) as array methods, since np.unique's Python-level wrappers cost
    more than its work on the few hundred ids of a query's trigram postings."""
    ids.sort()
    first = np.empty(len(ids), dtype=bool)
    first[0] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    starts = np.concatenate((first.nonzero()[0], [len(ids)]))
    return ids[first], starts[1:] - starts[:-1]


def _trigram_table(keys: Iterable[str]) -> KeyTable:
    codes: list[int] = []
    ids: list[int] = []
    for i, key in enumerate(keys):
        if key:
            grams = trigram_codes(key)
            codes.extend(grams)
            ids.extend([i] * len(grams))
    return KeyTable.build(codes, ids)
