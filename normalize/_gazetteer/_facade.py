"""The Gazetteer: a set of entries, how they are loaded, combined and compiled, and lookups against them."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast, overload

import numpy as np
import numpy.typing as npt

from normalize._errors import (
    GazetteerFormatError,
    GazetteerNotFoundError,
    IndexFormatError,
    RowProblem,
    UnknownEntryError,
)
from normalize._gazetteer._entry import ADMIN_KINDS, Entry, Name
from normalize._gazetteer._tsv import ALIAS_KIND, OnError, format_line, parse_line, read_tsv, write_tsv
from normalize._matching._folding import analyse, clean, compact, phonetic, skeleton
from normalize._matching._scoring import DEFAULT_MIN_SCORE, FOLDED, Query, explain, prior, prior_block, score_block
from normalize._matching._script import detect_script

if TYPE_CHECKING:
    from normalize._matching._index import KeyTable, NameIndex, StringTable
    from normalize._matching._match import Match

StrPath = str | os.PathLike[str]
T = TypeVar("T")

#: Queries longer than this many characters are no place name; they return no match without being folded.
MAX_QUERY_LENGTH = 400
_NAMESAKE_TOWN_BONUS = 0.3
_SKELETON_POOL = 80  # a skeleton shared by more names than this is too common to score exhaustively
#: Environment variable naming the cache folder for compiled indexes; empty or "off" disables the cache.
CACHE_ENV = "NORMALIZE_CACHE_DIR"

# Per scored entry: entry index, similarity, prior, best name id, rule code (parallel arrays).
_Scored = tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64],
                npt.NDArray[np.int8]]


class Gazetteer:
    """An immutable collection of places with a name index built once, on first lookup (thread-safe).

    Build one with :meth:`load` (project TSV), :meth:`from_geonames` (GeoNames dumps), :meth:`combine`,
    :meth:`open_index` (a compiled ``.nidx`` file), or from :class:`Entry` objects. Entries with
    ``kind == "alias"`` attach their names to the entry with the same id, which must come earlier.
    """

    def __init__(self, entries: Iterable[Entry] = (), *, problems: Sequence[RowProblem] = (),
                 checksum: str | None = None) -> None:
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
        self._entries: Sequence[Entry] = tuple(by_id.values())
        self._position: Mapping[str, int] = {e.id: i for i, e in enumerate(self._entries)}
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        self._checksum = checksum
        self._lock = threading.RLock()
        self._index: NameIndex | None = None
        self._derived: dict[str, object] = {}

    # --- construction ------------------------------------------------------------------------------------

    @classmethod
    def load(cls, *paths: StrPath, on_error: OnError = "raise", cache: bool | StrPath = True) -> Gazetteer:
        """Read one or more project-format TSV files (later files may hold alias rows for earlier ones).

        With ``cache`` (the default), the compiled index is kept in the cache folder (``$NORMALIZE_CACHE_DIR``,
        else ``$XDG_CACHE_HOME/normalize``, else ``~/.cache/normalize``; or the folder given) under the
        sources' SHA-256, so the next load of the same files maps it instead of parsing and indexing again.
        """
        if not paths:
            raise TypeError("Gazetteer.load() needs at least one path")
        files = [Path(p) for p in paths]
        for path in files:
            if not path.is_file():
                raise GazetteerNotFoundError(f"{path}: no such gazetteer file")
        checksum = _sources_checksum(files, on_error)
        cache_file = _cache_file(cache, checksum)
        if cache_file is not None and cache_file.is_file():
            try:
                return cls.open_index(cache_file, checksum=checksum)
            except IndexFormatError:
                pass  # a stale or damaged cache entry is rebuilt below
        entries: list[Entry] = []
        problems: list[RowProblem] = []
        for path in files:
            with path.open(encoding="utf-8", newline="") as stream:
                try:
                    entries.extend(read_tsv(stream, path=str(path), on_error=on_error, problems=problems))
                except UnicodeDecodeError as exc:
                    raise GazetteerFormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})",
                                               path=str(path)) from None
        _warn_skipped(problems)
        gazetteer = cls(entries, problems=problems, checksum=checksum)
        if cache_file is not None and not problems:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                gazetteer.compile(cache_file)
            except OSError:
                pass  # a read-only or full cache folder only costs speed, never data
        return gazetteer

    @classmethod
    def from_geonames(cls, path: StrPath, *, alternate_names: StrPath | None = None,
                      admin_codes: StrPath | Sequence[StrPath] | None = None,
                      countries: Collection[str] | None = None, on_error: OnError = "raise") -> Gazetteer:
        """Read a GeoNames ``geoname`` table (``IQ.txt``, ``cities500.txt``, ``allCountries.txt`` or a .zip of
        one), optionally with ``alternateNamesV2.txt`` and ``admin1CodesASCII.txt``/``admin2Codes.txt``."""
        from normalize._gazetteer._geonames import read_geonames

        if not Path(path).is_file():
            raise GazetteerNotFoundError(f"{path}: no such GeoNames file")
        problems: list[RowProblem] = []
        entries = list(read_geonames(path, alternate_names=alternate_names, admin_codes=admin_codes,
                                     countries=countries, on_error=on_error, problems=problems))
        _warn_skipped(problems)
        return cls(entries, problems=problems)

    @classmethod
    def combine(cls, *gazetteers: Gazetteer) -> Gazetteer:
        """One gazetteer holding all entries; a repeated id is an error (use alias rows to add names)."""
        digest = hashlib.sha256()
        for g in gazetteers:
            digest.update(g.checksum.encode())
        return cls((e for g in gazetteers for e in g), problems=[p for g in gazetteers for p in g.problems],
                   checksum=digest.hexdigest())

    def compile(self, path: StrPath) -> Path:
        """Write this gazetteer and its index to one memory-mappable ``.nidx`` file (see :meth:`open_index`)."""
        from normalize._gazetteer._index_file import write_index_file
        from normalize._matching._index import KeyTable, StringTable, key_code

        rows = [format_line(e) for e in self._entries]
        # Rows parse back to identical entries (names keep their positions), so the index built for
        # lookups is the one written.
        index = self.index
        row_table = StringTable.build(rows)
        ids = KeyTable.build([key_code(e.id) for e in self._entries], list(range(len(self._entries))))
        arrays = {**index.arrays, "rows_blob": row_table.blob, "rows_offsets": row_table.offsets,
                  "ids.codes": ids.codes, "ids.offsets": ids.offsets, "ids.postings": ids.postings}
        write_index_file(path, arrays, index.vocab, source_checksum=self.checksum,
                         meta={"entries": len(self._entries), "names": len(index)})
        return Path(path)

    @classmethod
    def open_index(cls, path: StrPath, *, checksum: str | None = None) -> Gazetteer:
        """Open a compiled ``.nidx`` file (memory-mapped; entries are parsed only when returned).

        With ``checksum``, a file built from other sources is rejected as stale (:class:`IndexFormatError`);
        so is a truncated file or one written by another version of this library.
        """
        from normalize._gazetteer._index_file import read_index_file
        from normalize._matching._index import KeyTable, NameIndex, StringTable

        data = read_index_file(path, expected_checksum=checksum)
        a = data.arrays
        try:
            rows = StringTable(a["rows_blob"], a["rows_offsets"])
            ids = KeyTable(a["ids.codes"], a["ids.offsets"], a["ids.postings"])
            index = NameIndex({k: a[k] for k in NameIndex.ARRAYS}, data.vocab)
        except KeyError as exc:
            raise IndexFormatError(f"{path}: missing array {exc.args[0]!r}") from None
        gazetteer = cls.__new__(cls)
        gazetteer._entries = _LazyEntries(rows)
        gazetteer._position = _LazyPositions(ids, rows)
        gazetteer.problems = ()
        gazetteer._checksum = data.source_checksum
        gazetteer._lock = threading.RLock()
        gazetteer._index = index
        gazetteer._derived = {}
        return gazetteer

    def save(self, path: StrPath) -> None:
        """Write the gazetteer in the project TSV format."""
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            write_tsv(self._entries, stream)

    # --- collection protocol -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and ident in self._position

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self)} entries, checksum {self.checksum[:12]}>"

    def get(self, ident: str) -> Entry:
        """The entry with this id; raises :class:`UnknownEntryError` (a ``KeyError``) if absent."""
        try:
            return self._entries[self._position[ident]]
        except KeyError:
            raise UnknownEntryError(f"no entry {ident!r} in this gazetteer") from None

    @property
    def checksum(self) -> str:
        """SHA-256 of the source files (or of the entries, for gazetteers built in memory)."""
        if self._checksum is None:
            digest = hashlib.sha256()
            for e in self._entries:
                digest.update(format_line(e).encode("utf-8") + b"\n")
            self._checksum = digest.hexdigest()
        return self._checksum

    @property
    def index(self) -> NameIndex:
        """The name index, built on first use."""
        index = self._index
        if index is None:
            with self._lock:
                if self._index is None:
                    from normalize._matching._index import NameIndex

                    self._index = NameIndex.build(self._entries)
                index = self._index
        return index

    def derived(self, key: str, factory: Callable[[Gazetteer], T]) -> T:
        """A structure derived from this gazetteer (an automaton, a lookup table), built once by
        ``factory(self)`` and kept on the gazetteer; thread-safe. ``key`` names the structure and its version."""
        with self._lock:
            if key not in self._derived:
                self._derived[key] = factory(self)
            return cast(T, self._derived[key])

    # --- lookups -----------------------------------------------------------------------------------------

    def resolve(self, name: str, *, country: str | Collection[str] | None = None, kind: str | None = None,
                within: str | None = None, min_score: float | None = None) -> Match | None:
        """The best entry for ``name``, or ``None`` when nothing scores at least ``min_score``.

        ``country``: ISO alpha-2 code(s). ``kind``: a feature code prefix (``"ADM"``, ``"ADM2"``, ``"PPL"``) or
        class (``"A"``, ``"P"``). ``within``: an admin division, by id or by name, that the place must lie in.
        ``min_score`` defaults to :data:`DEFAULT_MIN_SCORE`.
        """
        found = self.candidates(name, limit=1, country=country, kind=kind, within=within,
                                min_score=DEFAULT_MIN_SCORE if min_score is None else min_score)
        return found[0] if found else None

    def candidates(self, name: str, *, limit: int = 5, country: str | Collection[str] | None = None,
                   kind: str | None = None, within: str | None = None, min_score: float | None = None
                   ) -> list[Match]:
        """Up to ``limit`` entries for ``name``, best first (score, then priors, then gazetteer order).

        ``min_score`` defaults to 0 here: every candidate found is listed with its score.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        threshold = 0.0 if min_score is None else float(min_score)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], got {min_score!r}")
        keep = _Filter.build(self, country=country, kind=kind, within=within)
        if len(name) > MAX_QUERY_LENGTH:
            return []
        folded, hint = analyse(name)
        key = compact(folded)
        script = detect_script(key) if key else "Zyyy"
        if script not in ("Latn", "Arab"):
            return []
        query = Query(name, key, skeleton(folded), phonetic(folded), 0 if script == "Latn" else 1, hint)
        index = self.index
        ids = index.exact(key)
        ranked = self._exact_only(query, ids, keep, limit)
        if ranked is None:
            pool = [*ids, *index.same_skeleton(query.skeleton, limit=_SKELETON_POOL), *index.fuzzy(key)]
            best = self._score(query, pool, keep)
            # Fuzzy skeletons serve cross-script matching: needed only when nothing came close enough yet.
            if len(query.skeleton) >= 4 and (len(best[0]) < limit or
                                              float(best[1].max(initial=0.0)) < max(threshold, DEFAULT_MIN_SCORE)):
                pool.extend(index.fuzzy(query.skeleton, skeleton_key=True))
                best = self._score(query, pool, keep)
            entries_idx, sims, priors, name_ids, rules = best
            order = np.lexsort((entries_idx, -(sims + 0.02 * priors)))
            order = order[sims[order] >= threshold][:limit]
            ranked = [(float(sims[k]), int(entries_idx[k]), int(name_ids[k]), int(rules[k])) for k in order.tolist()]
        from normalize._matching._match import Match

        out: list[Match] = []
        for sim, e_idx, i, rule in ranked:
            if sim < threshold:
                continue
            entry = self._entries[e_idx]
            matched = entry.names[int(index.position[i])].text
            why = explain(rule, query, index.compacts_list[i], index.phonetics_list[i])
            if why == "folded" and clean(matched).strip() == clean(name).strip():
                why = "exact"
            out.append(Match(entry.id, entry.name, round(sim, 4), matched, entry, why))
            if len(out) == limit:
                break
        return out

    def _exact_only(self, query: Query, ids: list[int], keep: _Filter, limit: int
                    ) -> list[tuple[float, int, int, int]] | None:
        """The ranking when at least ``limit`` entries match the folded key exactly (the common case), computed
        without the vectorised machinery; ``None`` when fuzzy candidates are needed too."""
        index = self.index
        first: dict[int, int] = {}
        for i in ids:
            e_idx = int(index.entry_of[i])
            if e_idx not in first and keep.allows(index, e_idx):
                first[e_idx] = i
        if len(first) < limit:
            return None
        kinds = index.kinds
        priors = {e: prior(kinds[int(index.kind_id[e])], int(index.population[e]), query.hint) for e in first}
        if not query.hint and len(first) > 1:
            # A bare name shared by a division and a town inside it ("Najaf", "Kirkuk") means the town, the way
            # news uses it; a designator ("Najaf Governorate") asks for the division.
            # Towns often lack their district code, so "in it" means in the division's governorate.
            governorates = {int(index.admin1_id[e]) for e in first
                            if kinds[int(index.kind_id[e])] in ("ADM1", "ADM2")}
            for e in first:
                if kinds[int(index.kind_id[e])].startswith("PPL") and int(index.admin1_id[e]) in governorates:
                    priors[e] += _NAMESAKE_TOWN_BONUS
        ranked = sorted((-(1.0 + 0.02 * priors[e]), e, i) for e, i in first.items())
        return [(1.0, e, i, FOLDED) for _rank, e, i in ranked]

    def _score(self, query: Query, name_ids: Sequence[int], keep: _Filter) -> _Scored:
        """Per entry among ``name_ids``: entry index, best similarity, prior, name id and rule (arrays)."""
        index = self.index
        ids = np.fromiter(dict.fromkeys(name_ids), dtype=np.int64)
        e_idx = index.entry_of[ids]
        if keep.active:
            mask = keep.mask(index, e_idx)
            ids, e_idx = ids[mask], e_idx[mask]
        same = index.script[ids] == query.script
        has_script = (index.entry_scripts[e_idx] & (1 << query.script)) != 0
        compacts, phonetics = index.compacts_list, index.phonetics_list
        id_list = ids.tolist()
        sims, rules = score_block(query, [compacts[i] for i in id_list], [phonetics[i] for i in id_list],
                                  same, has_script)
        hit = sims > 0.0
        ids, e_idx, sims, rules = ids[hit], e_idx[hit], sims[hit], rules[hit]
        # Best name per entry: sort by entry, then by descending similarity, keep each entry's first row.
        order = np.lexsort((-sims, e_idx))
        first = np.ones(len(order), dtype=bool)
        first[1:] = e_idx[order][1:] != e_idx[order][:-1]
        pick = order[first]
        e_best = e_idx[pick]
        priors = prior_block(index.kinds, index.kind_id[e_best], index.population[e_best], query.hint)
        return e_best, sims[pick], priors, ids[pick], rules[pick]


class _Filter:
    """The caller's context as a predicate over entry positions, on the index's columns."""

    __slots__ = ("active", "admin_ids", "country_ids", "kind_ids")

    def __init__(self, country_ids: frozenset[int] | None, kind_ids: frozenset[int] | None,
                 admin_ids: frozenset[int] | None) -> None:
        self.country_ids, self.kind_ids, self.admin_ids = country_ids, kind_ids, admin_ids
        self.active = not (country_ids is None and kind_ids is None and admin_ids is None)

    def allows(self, index: NameIndex, e_idx: int) -> bool:
        """Whether one entry passes the filter."""
        if not self.active:
            return True
        return bool(self.mask(index, np.asarray([e_idx], dtype=np.int32))[0])

    @classmethod
    def build(cls, gazetteer: Gazetteer, *, country: str | Collection[str] | None, kind: str | None,
              within: str | None) -> _Filter:
        index = gazetteer.index
        country_ids = kind_ids = admin_ids = None
        if country is not None:
            codes = [country] if isinstance(country, str) else list(country)
            if not codes or not all(isinstance(c, str) and len(c.strip()) == 2 for c in codes):
                raise ValueError(f"country must be ISO 3166-1 alpha-2 code(s), got {country!r}")
            wanted = {c.strip().upper() for c in codes}
            country_ids = frozenset(i for i, c in enumerate(index.countries) if c in wanted)
        if kind is not None:
            if not isinstance(kind, str) or not kind.strip():
                raise ValueError(f"kind must be a feature code or class such as 'ADM2', 'PPL', 'A', 'P'; "
                                 f"got {kind!r}")
            k = kind.strip().upper()
            kind_ids = frozenset(i for i, code in enumerate(index.kinds) if _kind_matches(code, k))
        if within is not None:
            codes_within = _admin_codes_within(gazetteer, within)
            admin_ids = frozenset(i for i, c in enumerate(index.admin_codes) if c in codes_within)
        return cls(country_ids, kind_ids, admin_ids)

    def mask(self, index: NameIndex, e_idx: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
        """Which of the entries ``e_idx`` pass the filter."""
        keep = np.ones(len(e_idx), dtype=bool)
        if self.country_ids is not None:
            keep &= np.isin(index.country_id[e_idx], list(self.country_ids))
        if self.kind_ids is not None:
            keep &= np.isin(index.kind_id[e_idx], list(self.kind_ids))
        if self.admin_ids is not None:
            wanted = list(self.admin_ids)
            keep &= np.isin(index.admin1_id[e_idx], wanted) | np.isin(index.admin2_id[e_idx], wanted)
        return keep


def _kind_matches(code: str, wanted: str) -> bool:
    if wanted == "A":
        return code in ADMIN_KINDS
    if wanted == "P":
        return code.startswith("PPL")
    return code.startswith(wanted)


def _admin_codes_within(gazetteer: Gazetteer, within: str) -> set[str]:
    """Division codes that ``within`` (an id, or the name of a division) stands for."""
    if not isinstance(within, str) or not within.strip():
        raise ValueError(f"within must be an entry id or the name of an administrative division, got {within!r}")
    if within in gazetteer:
        entry = gazetteer.get(within)
    else:
        match = gazetteer.resolve(within, kind="A")
        if match is None:
            raise UnknownEntryError(f"within={within!r}: no administrative division of that id or name")
        entry = match.entry
    code = entry.admin_code
    if code is None:
        raise ValueError(f"within={within!r} is {entry.id} ({entry.kind}), not an ADM1 or ADM2 division")
    # Curated rows may name their district by the district's own id instead of its GeoNames code.
    return {code, entry.id}


class _LazyEntries(Sequence[Entry]):
    """Entries of a compiled index, parsed from their rows when first asked for."""

    def __init__(self, rows: StringTable) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return parse_line(self._rows[i])


class _LazyPositions(Mapping[str, int]):
    """id -> entry position, through the compiled index's id table."""

    def __init__(self, ids: KeyTable, rows: StringTable) -> None:
        self._ids = ids
        self._rows = rows

    def __getitem__(self, ident: str) -> int:
        from normalize._matching._index import key_code

        for pos in self._ids.get(key_code(ident)).tolist():
            if self._rows[pos].split("\t", 1)[0] == ident:
                return int(pos)
        raise KeyError(ident)

    def __iter__(self) -> Iterator[str]:
        return (self._rows[i].split("\t", 1)[0] for i in range(len(self._rows)))

    def __len__(self) -> int:
        return len(self._rows)


def _sources_checksum(files: Sequence[Path], on_error: OnError) -> str:
    from normalize._gazetteer._index_file import library_fingerprint

    digest = hashlib.sha256(f"normalize {library_fingerprint()} on_error={on_error}\n".encode())
    for path in files:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _cache_file(cache: bool | StrPath, checksum: str) -> Path | None:
    if cache is False:
        return None
    if cache is True:
        env = os.environ.get(CACHE_ENV)
        if env is not None and env.strip().lower() in ("", "off", "0", "false"):
            return None
        if env:
            folder = Path(env)
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            folder = (Path(xdg) if xdg else Path.home() / ".cache") / "normalize"
    else:
        folder = Path(cache)
    return folder / f"{checksum[:40]}.nidx"


def _warn_skipped(problems: Sequence[RowProblem]) -> None:
    if problems:
        first = problems[0]
        warnings.warn(f"skipped {len(problems)} malformed row(s); first: {first.path}:{first.line}: "
                      f"field {first.field!r}: {first.message} (see Gazetteer.problems)", stacklevel=3)

