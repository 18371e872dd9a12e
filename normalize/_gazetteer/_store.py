"""Where a gazetteer's entries are held: in memory, or as the rows of a compiled index, parsed when asked for.

Both stores answer the same questions (how many entries, the entry at a position, the position of an id),
so the gazetteer and the matching layer never care which one they have.
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import overload

from normalize._cache import register_cache
from normalize._errors import GazetteerFormatError
from normalize._gazetteer._entry import Entry, Name
from normalize._gazetteer._tsv import ALIAS_KIND, parse_line
from normalize._matching._index import KeyTable, StringTable, key_code

__all__ = ["CompiledStore", "EntryStore", "MemoryStore", "merge_aliases"]


def merge_aliases(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Entries in order, with each ``alias`` row's names attached to the entry of its id (which must come
    earlier), the canonical name first among each entry's names, and repeated ids rejected."""
    by_id: dict[str, Entry] = {}
    for entry in entries:
        if entry.kind == ALIAS_KIND:
            base = by_id.get(entry.id)
            if base is None:
                raise GazetteerFormatError(f"alias row for {entry.id} comes before (or without) its entry",
                                           field="id")
            by_id[entry.id] = base.with_names(entry.names)
        elif entry.id in by_id:
            raise GazetteerFormatError(f"duplicate id {entry.id}", field="id")
        else:
            if Name(entry.name) not in entry.names:
                entry = dataclasses.replace(entry, names=(Name(entry.name), *entry.names))
            by_id[entry.id] = entry
    return tuple(by_id.values())


class EntryStore(Sequence[Entry]):
    """Entries by position, and the position of an id (``None`` when absent)."""

    def position(self, ident: str) -> int | None:
        raise NotImplementedError

    def ids(self) -> Iterator[str]:
        return (e.id for e in self)


class MemoryStore(EntryStore):
    """Entries held as objects."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self._entries = entries
        self._position: Mapping[str, int] = {e.id: i for i, e in enumerate(entries)}

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | Sequence[Entry]:
        return self._entries[i]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def position(self, ident: str) -> int | None:
        return self._position.get(ident)


#: Parsed entries a compiled store keeps (then it starts afresh): the places a stream of queries returns repeat
#: (every spelling of Kirkuk returns Kirkuk), and parsing a row costs more than ranking its query; a few thousand
#: entries are a few megabytes, however large the gazetteer.
PARSED_ENTRIES = 4096


class CompiledStore(EntryStore):
    """Entries of a compiled index: TSV rows in one memory-mapped blob and an id table of key codes; an entry
    is parsed when asked for (compiled gazetteers are large, lookups return few entries), and the last
    :data:`PARSED_ENTRIES` distinct ones are kept (``clear_caches`` empties them)."""

    def __init__(self, rows: StringTable, ids: KeyTable) -> None:
        self._rows = rows
        self._ids = ids
        self._parsed: dict[int, Entry] = {}
        with _STORES_LOCK:
            _STORES.add(self)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        entry = self._parsed.get(i)
        if entry is None:
            entry = parse_line(self._rows[i])
            if len(self._parsed) >= PARSED_ENTRIES:
                self._parsed.clear()
            self._parsed[i] = entry
        return entry

    def clear_parsed(self) -> None:
        """Forget the parsed entries (they are parsed again when asked for)."""
        self._parsed.clear()

    def position(self, ident: str) -> int | None:
        for pos in self._ids.get(key_code(ident)).tolist():
            if self._rows[pos].split("\t", 1)[0] == ident:
                return int(pos)
        return None

    def ids(self) -> Iterator[str]:
        return (self._rows[i].split("\t", 1)[0] for i in range(len(self._rows)))


# Every live compiled store, so that ``clear_caches`` can empty their parsed entries (weakly held: a store goes
# with its gazetteer).
_STORES: weakref.WeakSet[CompiledStore] = weakref.WeakSet()
_STORES_LOCK = threading.Lock()


def _clear_parsed() -> None:
    with _STORES_LOCK:
        stores = list(_STORES)
    for store in stores:
        store.clear_parsed()


register_cache("normalize._gazetteer._store.parsed", _clear_parsed)
