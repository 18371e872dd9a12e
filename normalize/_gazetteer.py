"""The Gazetteer: a set of entries, how they are loaded and combined, and lookups against them."""

from __future__ import annotations

import hashlib
import os
import threading
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from normalize._entry import Entry
from normalize._errors import GazetteerFormatError, GazetteerNotFoundError, RowProblem, UnknownEntryError
from normalize._folding import analyse, clean, compact, skeleton
from normalize._scoring import DEFAULT_MIN_SCORE, Query, prior, similarity
from normalize._script import detect_script
from normalize._tsv_format import ALIAS_KIND, OnError, read_tsv, write_tsv

if TYPE_CHECKING:
    from normalize._index import NameIndex
    from normalize._match import Match

StrPath = str | os.PathLike[str]
T = TypeVar("T")

#: Queries longer than this many characters are no place name; they return no match without being folded.
MAX_QUERY_LENGTH = 400
_SKELETON_POOL = 400  # a skeleton shared by more names than this is too common to score exhaustively


class Gazetteer:
    """An immutable collection of places with a name index built once, on first lookup (thread-safe).

    Build one with :meth:`load` (project TSV), :meth:`from_geonames` (GeoNames dumps), :meth:`combine`, or
    from :class:`Entry` objects. Entries with ``kind == "alias"`` attach their names to the entry with the
    same id, which must come earlier.
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
                by_id[entry.id] = entry
        self._entries: tuple[Entry, ...] = tuple(by_id.values())
        self._position = {e.id: i for i, e in enumerate(self._entries)}
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        self._checksum = checksum
        self._lock = threading.RLock()
        self._index: NameIndex | None = None
        self._derived: dict[str, object] = {}

    # --- construction ------------------------------------------------------------------------------------

    @classmethod
    def load(cls, *paths: StrPath, on_error: OnError = "raise") -> Gazetteer:
        """Read one or more project-format TSV files (later files may hold alias rows for earlier ones)."""
        if not paths:
            raise TypeError("Gazetteer.load() needs at least one path")
        entries: list[Entry] = []
        problems: list[RowProblem] = []
        digest = hashlib.sha256()
        for p in paths:
            path = Path(p)
            if not path.is_file():
                raise GazetteerNotFoundError(f"{path}: no such gazetteer file")
            digest.update(path.read_bytes())
            with path.open(encoding="utf-8", newline="") as stream:
                try:
                    entries.extend(read_tsv(stream, path=str(path), on_error=on_error, problems=problems))
                except UnicodeDecodeError as exc:
                    raise GazetteerFormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})",
                                               path=str(path)) from None
        _warn_skipped(problems)
        return cls(entries, problems=problems, checksum=digest.hexdigest())

    @classmethod
    def from_geonames(cls, path: StrPath, *, alternate_names: StrPath | None = None,
                      admin_codes: StrPath | Sequence[StrPath] | None = None,
                      countries: Collection[str] | None = None, on_error: OnError = "raise") -> Gazetteer:
        """Read a GeoNames ``geoname`` table (``IQ.txt``, ``cities500.txt``, ``allCountries.txt`` or a .zip of
        one), optionally with ``alternateNamesV2.txt`` and ``admin1CodesASCII.txt``/``admin2Codes.txt``."""
        from normalize._geonames_format import read_geonames

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
        return ident in self._position

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
                digest.update(repr(e).encode("utf-8"))
            self._checksum = digest.hexdigest()
        return self._checksum

    @property
    def index(self) -> NameIndex:
        """The name index, built on first use."""
        index = self._index
        if index is None:
            with self._lock:
                if self._index is None:
                    from normalize._index import NameIndex

                    self._index = NameIndex(self._entries)
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
        """
        found = self.candidates(name, limit=1, country=country, kind=kind, within=within,
                                min_score=DEFAULT_MIN_SCORE if min_score is None else min_score)
        return found[0] if found else None

    def candidates(self, name: str, *, limit: int = 5, country: str | Collection[str] | None = None,
                   kind: str | None = None, within: str | None = None, min_score: float | None = None
                   ) -> list[Match]:
        """Up to ``limit`` entries for ``name``, best first (score, then priors, then gazetteer order)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        if not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        threshold = 0.0 if min_score is None else float(min_score)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], got {min_score!r}")
        if len(name) > MAX_QUERY_LENGTH:
            return []
        folded, hint = analyse(name)
        key = compact(folded)
        if not key:
            return []
        script = detect_script(key)
        if script not in ("Latn", "Arab"):
            return []
        query = Query(name, key, skeleton(folded), 0 if script == "Latn" else 1, hint)
        keep = _Filter.build(self, country=country, kind=kind, within=within)
        index = self.index
        scored = self._score(query, index.exact(key), keep)
        if not scored or len(scored) < limit:
            pool = [*index.same_skeleton(query.skeleton)[:_SKELETON_POOL], *index.fuzzy(key)]
            if len(query.skeleton) >= 4:
                pool.extend(index.fuzzy(query.skeleton, skeleton_key=True))
            for ident, item in self._score(query, pool, keep).items():
                if ident not in scored or item[0] > scored[ident][0]:
                    scored[ident] = item
        ranked = sorted(scored.values(), key=lambda it: (-(it[0] + 0.02 * it[1]), it[2]))
        from normalize._match import Match

        out = []
        for sim, _prior, e_idx, matched, why in ranked:
            if sim < threshold:
                continue
            entry = self._entries[e_idx]
            out.append(Match(entry.id, entry.name, round(sim, 4), matched, entry, why))
            if len(out) == limit:
                break
        return out

    def _score(self, query: Query, name_ids: Iterable[int], keep: _Filter
               ) -> dict[int, tuple[float, float, int, str, str]]:
        """Best (similarity, prior, entry index, matched name, why) per entry among ``name_ids``."""
        index = self.index
        best: dict[int, tuple[float, float, int, str, str]] = {}
        for i in dict.fromkeys(name_ids):
            e_idx = int(index.entry_of[i])
            entry = self._entries[e_idx]
            if not keep(entry):
                continue
            same = int(index.script[i]) == query.script
            has_script = same or _has_script(index, e_idx, query.script, i)
            sim, why = similarity(query, index.compacts[i], index.skeletons[i], same, has_script)
            if sim <= 0.0:
                continue
            matched = entry.names[int(index.position[i])].text
            if why == "folded" and clean(matched).strip() == clean(query.text).strip():
                why = "exact"
            prev = best.get(e_idx)
            if prev is None or sim > prev[0]:
                best[e_idx] = (sim, prior(entry, query.hint), e_idx, matched, why)
        return best


def _has_script(index: NameIndex, e_idx: int, script: int, near: int) -> bool:
    """Whether entry ``e_idx`` has any indexed name in ``script`` (its names are contiguous in the index)."""
    lo = near
    while lo > 0 and index.entry_of[lo - 1] == e_idx:
        lo -= 1
    hi = near
    while hi + 1 < len(index.entry_of) and index.entry_of[hi + 1] == e_idx:
        hi += 1
    return bool((index.script[lo:hi + 1] == script).any())


class _Filter:
    """The caller's context as a predicate over entries."""

    __slots__ = ("admin_codes", "countries", "kind")

    def __init__(self, countries: frozenset[str] | None, kind: str | None, admin_codes: frozenset[str] | None):
        self.countries, self.kind, self.admin_codes = countries, kind, admin_codes

    @classmethod
    def build(cls, gazetteer: Gazetteer, *, country: str | Collection[str] | None, kind: str | None,
              within: str | None) -> _Filter:
        countries = None
        if country is not None:
            codes = [country] if isinstance(country, str) else list(country)
            if not all(isinstance(c, str) and len(c.strip()) == 2 for c in codes):
                raise ValueError(f"country must be ISO 3166-1 alpha-2 code(s), got {country!r}")
            countries = frozenset(c.strip().upper() for c in codes)
        if kind is not None and (not isinstance(kind, str) or not kind.strip()):
            raise ValueError(f"kind must be a feature code or class such as 'ADM2', 'PPL', 'A', 'P'; got {kind!r}")
        admin_codes = None
        if within is not None:
            admin_codes = frozenset(_admin_codes_within(gazetteer, within))
        return cls(countries, kind.strip().upper() if kind else None, admin_codes)

    def __call__(self, entry: Entry) -> bool:
        if self.countries is not None and entry.country not in self.countries:
            return False
        if self.kind is not None:
            k = self.kind
            if k == "A":
                if not entry.is_admin:
                    return False
            elif k == "P":
                if not entry.kind.startswith("PPL"):
                    return False
            elif not entry.kind.startswith(k):
                return False
        if self.admin_codes is not None:
            codes = {entry.admin1.code if entry.admin1 else None, entry.admin2.code if entry.admin2 else None}
            if not codes & self.admin_codes:
                return False
        return True


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
    return {code, entry.id}


def _warn_skipped(problems: Sequence[RowProblem]) -> None:
    if problems:
        first = problems[0]
        warnings.warn(f"skipped {len(problems)} malformed row(s); first: {first.path}:{first.line}: "
                      f"field {first.field!r}: {first.message} (see Gazetteer.problems)", stacklevel=3)
