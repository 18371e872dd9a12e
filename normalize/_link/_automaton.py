"""The gazetteer's names as one Aho-Corasick automaton over folded keys, built once per gazetteer and kept on
disk next to the compiled index, so that a new process links at once.

Latin keys are stored padded with a space on each side, so in the (space-padded) folded text they only hit on
word boundaries. Arabic-script keys are stored bare: Arabic and Sorani attach clitics to the name
(وبالموصل, کەرکووکەوە), so their boundaries are checked afterwards (:mod:`normalize._link._spans`).
Each name gives up to two keys where they differ: as written (``"al mawsil"``, ``"الموصل"``) and as the
resolver folds it, without articles and designators (``"mawsil"``, ``"موصل"``), so the longest form wins.

What takes time is folding every name (seconds for the bundled gazetteer); the automaton itself is built from
the keys in a fraction of a second. So the keys and their targets (entry position, which of its names, the
level its designator asks for) are written to ``<checksum>.links.nidx`` in the cache folder (the ``.nidx``
format: no pickle, checked against the gazetteer's checksum and the code that made the keys), and a later
process reads them back and builds only the automaton. Targets become :class:`Pattern` objects (with their
entries) when a text first hits their key.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from normalize._errors import IndexFormatError
from normalize._matching._designators import LEVELS
from normalize._matching._folding import analyse, tokens
from normalize._matching._index import StringTable
from normalize._matching._script import char_script

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["AUTOMATON_KEY", "Pattern", "Patterns", "build_patterns"]

AUTOMATON_KEY = "normalize._link.automaton/3"
_MIN_KEY = 2  # one-letter keys are initials, not names
_ARRAYS = ("keys_blob", "keys_offsets", "arabic", "target_offsets", "target_entry", "target_name", "target_hint")
# Patterns made into objects and kept (a bounded memo: a text touches a few hundred keys at most).
_PATTERN_CACHE = 1 << 16


@dataclass(frozen=True, slots=True)
class Pattern:
    """One automaton key: its folded text, script, and the (entry, gazetteer spelling, designator level) it
    stands for, with each entry's position in the gazetteer."""

    key: str
    arabic: bool
    targets: tuple[tuple[Entry, str, str], ...]
    positions: tuple[int, ...]
    #: Each target's gazetteer position by entry id, made once per pattern (read-only: every span of the key
    #: shares it; a dict per span was a fifth of the automaton pass on English text).
    by_id: Mapping[str, int]


class Patterns:
    """The automaton (its values are key numbers) and the key table it was built from."""

    def __init__(self, arrays: dict[str, np.ndarray], gazetteer: Gazetteer) -> None:
        import ahocorasick

        self._a = arrays
        self._keys = StringTable(arrays["keys_blob"], arrays["keys_offsets"])
        self._arabic: npt.NDArray[np.uint8] = arrays["arabic"]
        self._gazetteer = gazetteer
        self._lock = threading.Lock()
        self._made: dict[int, Pattern] = {}
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i, key in enumerate(self._keys.as_list()):
            automaton.add_word(key if self._arabic[i] else f" {key} ", i)
        automaton.make_automaton()
        self.automaton: Any = automaton

    def __len__(self) -> int:
        return len(self._keys)

    def pattern(self, i: int) -> Pattern:
        """The pattern of key number ``i`` (as the automaton yields it)."""
        made = self._made.get(i)
        if made is None:
            a = self._a
            lo, hi = int(a["target_offsets"][i]), int(a["target_offsets"][i + 1])
            store = self._gazetteer._store
            targets = []
            positions = []
            for pos, name_pos, hint in zip(a["target_entry"][lo:hi].tolist(), a["target_name"][lo:hi].tolist(),
                                           a["target_hint"][lo:hi].tolist(), strict=True):
                entry = store[pos]
                targets.append((entry, entry.names[name_pos].text, LEVELS[hint] if hint >= 0 else ""))
                positions.append(pos)
            by_id = MappingProxyType(dict(zip((e.id for e, _n, _h in targets), positions, strict=True)))
            made = Pattern(self._keys[i], bool(self._arabic[i]), tuple(targets), tuple(positions), by_id)
            with self._lock:
                if len(self._made) >= _PATTERN_CACHE:
                    self._made.clear()
                self._made[i] = made
        return made


def compute_arrays(gazetteer: Gazetteer) -> dict[str, np.ndarray]:
    """Fold every name of ``gazetteer`` into its automaton keys (see the module docs)."""
    level_code = {level: i for i, level in enumerate(LEVELS) if level}
    by_key: dict[str, dict[tuple[int, str], tuple[int, int, int]]] = {}
    for e_pos, entry in enumerate(gazetteer):
        for n_pos, name in enumerate(entry.names):
            folded, hint = analyse(name.text)
            written = " ".join(tokens(name.text))
            for key in dict.fromkeys((written, folded)):
                compact = key.replace(" ", "")
                if len(compact) < _MIN_KEY or compact.isdigit():
                    continue
                by_key.setdefault(key, {}).setdefault((e_pos, hint), (e_pos, n_pos, level_code.get(hint, -1)))
    keys = sorted(by_key)
    table = StringTable.build(keys)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    flat = [t for k in keys for t in by_key[k].values()]
    np.cumsum([len(by_key[k]) for k in keys], out=offsets[1:])
    return {"keys_blob": table.blob, "keys_offsets": table.offsets,
            "arabic": np.asarray([char_script(k[0]) == "Arab" for k in keys], dtype=np.uint8),
            "target_offsets": offsets, "target_entry": np.asarray([t[0] for t in flat], dtype=np.int32),
            "target_name": np.asarray([t[1] for t in flat], dtype=np.int32),
            "target_hint": np.asarray([t[2] for t in flat], dtype=np.int8)}


def _code_tag() -> str:
    """What decides the keys besides the matching layer (whose fingerprint the library tag carries): this file."""
    from normalize._gazetteer._index_file import library_fingerprint

    source = (resources.files("normalize") / "_link" / "_automaton.py").read_bytes()
    return f"links/{library_fingerprint()}/{hashlib.sha256(source).hexdigest()[:12]}"


def links_file(gazetteer: Gazetteer) -> Path | None:
    """Where the keys of ``gazetteer`` are kept (``None`` when the cache folder is disabled)."""
    from normalize._cache import cache_dir

    folder = cache_dir("index")
    return None if folder is None else folder / f"{gazetteer.checksum[:40]}.links.nidx"


def build_patterns(gazetteer: Gazetteer) -> Patterns:
    """The patterns of ``gazetteer`` (use ``gazetteer.derived(AUTOMATON_KEY, build_patterns)``): read from the
    cache folder when a valid file is there, else computed and written there."""
    from normalize._cache import prune_folder
    from normalize._gazetteer._index_file import read_index_file, write_index_file

    path = links_file(gazetteer)
    tag = _code_tag()
    if path is not None and path.is_file():
        try:
            data = read_index_file(path, expected_checksum=gazetteer.checksum, library=tag)
            return Patterns({k: data.arrays[k] for k in _ARRAYS}, gazetteer)
        except (IndexFormatError, KeyError):
            pass  # stale or damaged: computed again below
    arrays = compute_arrays(gazetteer)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_index_file(path, arrays, {}, source_checksum=gazetteer.checksum,
                             meta={"keys": len(arrays["arabic"]), "kind": "links"}, library=tag)
        except OSError:
            pass  # a read-only or full cache folder only costs start-up time
        else:
            prune_folder(path.parent)
    return Patterns(arrays, gazetteer)
