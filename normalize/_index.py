"""The name index, built once per gazetteer: exact folded keys, consonant skeletons and trigram blocking.

Everything is held in flat NumPy arrays (sorted 64-bit key codes, CSR postings), so an index can be saved
with ``numpy.savez`` and loaded back without pickle, memory-mapped and shared by worker processes. Queries
never scan every name: exact keys are a binary search, fuzzy candidates come from the rarest trigrams of the
query, and only those candidates are scored with RapidFuzz.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np
import numpy.typing as npt

from normalize._entry import Entry
from normalize._folding import compact, fold, skeleton
from normalize._script import detect_script

IntArray = npt.NDArray[np.int64]
#: Only these scripts are indexed: the library's users query in Arabic script or Latin letters, and
#: unidecode romanisations of other scripts (Chinese, Japanese ...) would only add false friends.
INDEXED_SCRIPTS = ("Latn", "Arab")
SCRIPT_CODES = {s: i for i, s in enumerate(INDEXED_SCRIPTS)}

# Trigram postings longer than this are skipped at query time unless too few trigrams would remain: such
# trigrams ("^al", "ah$") say little about which name was meant and cost the most to merge.
_COMMON_TRIGRAM = 20_000
_FUZZY_POOL = 64


def key_code(key: str) -> int:
    """Stable 64-bit code of a string key (Python's ``hash`` is salted per process, so unusable on disk)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") & 0x7FFF_FFFF_FFFF_FFFF


def trigram_codes(key: str) -> list[int]:
    """Distinct trigrams of ``^key$`` packed exactly into integers (three 21-bit code points)."""
    padded = f"\x02{key}\x03"
    return sorted({(ord(padded[i]) << 42) | (ord(padded[i + 1]) << 21) | ord(padded[i + 2])
                   for i in range(len(padded) - 2)})


@dataclass(frozen=True, slots=True)
class KeyTable:
    """Sorted key codes with CSR postings of name ids."""

    codes: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]
    postings: npt.NDArray[np.int32]

    @classmethod
    def build(cls, codes: Sequence[int], ids: Sequence[int]) -> KeyTable:
        code_arr = np.asarray(codes, dtype=np.int64)
        id_arr = np.asarray(ids, dtype=np.int32)
        order = np.lexsort((id_arr, code_arr))
        code_arr, id_arr = code_arr[order], id_arr[order]
        uniq, starts = np.unique(code_arr, return_index=True)
        offsets = np.append(starts, len(code_arr)).astype(np.int64)
        return cls(uniq.astype(np.int64), offsets, id_arr)

    def get(self, code: int) -> npt.NDArray[np.int32]:
        i = int(np.searchsorted(self.codes, code))
        if i < len(self.codes) and int(self.codes[i]) == code:
            return self.postings[self.offsets[i]:self.offsets[i + 1]]
        return self.postings[:0]

    def slices(self, codes: Sequence[int]) -> list[npt.NDArray[np.int32]]:
        """Postings of several codes at once (empty for absent codes)."""
        if not codes:
            return []
        q = np.asarray(codes, dtype=np.int64)
        pos = np.searchsorted(self.codes, q)
        pos_c = np.minimum(pos, len(self.codes) - 1)
        found = (pos < len(self.codes)) & (self.codes[pos_c] == q)
        out = []
        for p, ok in zip(pos_c.tolist(), found.tolist(), strict=True):
            out.append(self.postings[self.offsets[p]:self.offsets[p + 1]] if ok else self.postings[:0])
        return out


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One indexed spelling: which entry, which of its names, and its keys."""

    entry: int
    position: int
    compact: str
    skeleton: str
    script: int


class NameIndex:
    """Candidate generation over every Latin and Arabic-script name of a list of entries."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        entry_of: list[int] = []
        position: list[int] = []
        compacts: list[str] = []
        skeletons: list[str] = []
        scripts: list[int] = []
        for e_idx, entry in enumerate(entries):
            seen: set[str] = set()
            for n_idx, name in enumerate(entry.names):
                script = detect_script(name.text)
                if script not in SCRIPT_CODES:
                    continue
                folded = fold(name.text)
                key = compact(folded)
                if not key or key in seen:
                    continue
                seen.add(key)
                entry_of.append(e_idx)
                position.append(n_idx)
                compacts.append(key)
                skeletons.append(skeleton(folded))
                scripts.append(SCRIPT_CODES[script])
        self.entry_of = np.asarray(entry_of, dtype=np.int32)
        self.position = np.asarray(position, dtype=np.int32)
        self.script = np.asarray(scripts, dtype=np.int8)
        self.compacts = compacts
        self.skeletons = skeletons
        ids = range(len(compacts))
        self.by_compact = KeyTable.build([key_code(k) for k in compacts], list(ids))
        skel_ids = [i for i in ids if skeletons[i]]
        self.by_skeleton = KeyTable.build([key_code(skeletons[i]) for i in skel_ids], skel_ids)
        self.by_trigram = _trigram_table(compacts)
        self.by_skeleton_trigram = _trigram_table(skeletons)

    def __len__(self) -> int:
        return len(self.compacts)

    def exact(self, key: str) -> list[int]:
        """Names whose compact folded key equals ``key``."""
        return [int(i) for i in self.by_compact.get(key_code(key)) if self.compacts[i] == key]

    def same_skeleton(self, skel: str) -> list[int]:
        """Names whose consonant skeleton equals ``skel``."""
        if not skel:
            return []
        return [int(i) for i in self.by_skeleton.get(key_code(skel)) if self.skeletons[i] == skel]

    def fuzzy(self, key: str, *, skeleton_key: bool = False, limit: int = _FUZZY_POOL) -> list[int]:
        """Up to ``limit`` names sharing the most trigrams with ``key`` (rarest trigrams first)."""
        table = self.by_skeleton_trigram if skeleton_key else self.by_trigram
        codes = trigram_codes(key)
        lists = [p for p in table.slices(codes) if len(p)]
        if not lists:
            return []
        lists.sort(key=len)
        usable = [p for p in lists if len(p) <= _COMMON_TRIGRAM] or lists[:2]
        if len(usable) < min(3, len(lists)):
            usable = lists[:3]
        merged = np.concatenate(usable)
        ids, counts = np.unique(merged, return_counts=True)
        # Names sharing too few trigrams cannot be within a couple of edits.
        need = max(1, min(len(usable), len(codes)) - 6)
        keep = counts >= need
        ids, counts = ids[keep], counts[keep]
        if len(ids) > limit:
            top = np.argpartition(-counts, limit - 1)[:limit]
            ids = ids[top][np.argsort(-counts[top], kind="stable")]
        else:
            ids = ids[np.argsort(-counts, kind="stable")]
        return [int(i) for i in ids]


def _trigram_table(keys: Iterable[str]) -> KeyTable:
    codes: list[int] = []
    ids: list[int] = []
    for i, key in enumerate(keys):
        if key:
            grams = trigram_codes(key)
            codes.extend(grams)
            ids.extend([i] * len(grams))
    return KeyTable.build(codes, ids)
