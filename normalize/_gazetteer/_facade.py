"""The Gazetteer: a set of places, how it is built, and lookups against it.

The jobs live elsewhere — alias merging and entry storage in :mod:`._store`, files and the compiled-index
cache in :mod:`._files`, the whole query pipeline in :mod:`normalize._matching` — and this class ties them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from normalize._errors import GazetteerNotFoundError, InvalidOptionError, RowProblem, UnknownEntryError
from normalize._gazetteer import _files
from normalize._gazetteer._entry import Entry
from normalize._gazetteer._store import EntryStore, MemoryStore, merge_aliases
from normalize._gazetteer._tsv import OnError, write_tsv
from normalize._options import check_positive, check_score
from normalize._types import CountryArg, StrPath

if TYPE_CHECKING:
    from normalize._matching._filters import Filter
    from normalize._matching._index import NameIndex
    from normalize._matching._match import Match
    from normalize._matching._model import Ranker
    from normalize._matching._outside import OutsideIndex
    from normalize._matching._rank import Ranked
    from normalize._matching._resolver import Resolver

T = TypeVar("T")
# Distinct context filters kept compiled per gazetteer (each is a mask over the entries).
_FILTER_CACHE = 64
Duplicates = Literal["raise", "merge"]
_DUPLICATES: tuple[str, ...] = ("raise", "merge")


class Gazetteer:
    """An immutable collection of places with a name index built once, on first lookup (thread-safe).

    Build one from :class:`Entry` objects, or with :meth:`load` (project TSV), :meth:`from_geonames` (GeoNames
    dumps), :meth:`combine` or :meth:`open_index` (a compiled ``.nidx`` file). Entries with ``kind == "alias"``
    attach their names to the earlier entry with the same id.
    """

    def __init__(self, entries: Iterable[Entry] = (), *, problems: Sequence[RowProblem] = (),
                 checksum: str | None = None) -> None:
        self._setup(MemoryStore(merge_aliases(entries)), None, problems, checksum)

    def _setup(self, store: EntryStore, index: NameIndex | None, problems: Sequence[RowProblem],
               checksum: str | None) -> None:
        self._store = store
        self._index = index
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        self._checksum = checksum
        self._lock = threading.RLock()
        self._resolver: Resolver | None = None
        self._outside: OutsideIndex | bool | None = True  # True: the bundled index of places outside
        self._ranker: Ranker | None = None  # None: the bundled place ranker
        # The common-word rule (normalize._matching._words): on for places; the actor gazetteer, whose names are
        # often common words ("Islamic State", "Popular Mobilization Forces"), turns it off.
        self._words = True
        self._filters: dict[tuple[object, ...], Filter] = {}
        self._derived: dict[str, object] = {}
        # Names the entries imply, added when a gazetteer like this one is built (the actor gazetteer's).
        self._implied: Callable[[Iterable[Entry]], list[Entry]] | None = None

    @classmethod
    def _from_parts(cls, store: EntryStore, *, index: NameIndex | None = None, problems: Sequence[RowProblem] = (),
                    checksum: str | None = None) -> Gazetteer:
        gazetteer = cls.__new__(cls)
        gazetteer._setup(store, index, problems, checksum)
        return gazetteer

    # --- construction ------------------------------------------------------------------------------------

    @classmethod
    def load(cls, *paths: StrPath, on_error: OnError = "raise", cache: bool | StrPath = True) -> Gazetteer:
        """Read project-format TSV files (later files may hold alias rows for earlier ones). With ``cache``, the
        compiled index is kept in the cache folder (``$NORMALIZE_CACHE_DIR/index``, see the README) or the folder
        given, under the sources' SHA-256, so the next load of the same files maps it instead of re-indexing."""
        if not paths:
            raise TypeError("Gazetteer.load() needs at least one path")
        files = _files.existing_files(paths)
        checksum = _files.sources_checksum(files, on_error)
        cache_path = _files.cache_file(cache, checksum)
        cached = _files.try_cached(cache_path, checksum)
        if cached is not None:
            return cls._from_parts(cached.store, index=cached.index, checksum=cached.checksum)
        entries, problems = _files.read_tsv_files(files, on_error)
        _files.warn_skipped(problems)
        gazetteer = cls(entries, problems=problems, checksum=checksum)
        if not problems:
            _files.store_cached(cache_path, gazetteer._store, gazetteer.index, checksum)
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
        _files.warn_skipped(problems)
        return cls(entries, problems=problems)

    @classmethod
    def combine(cls, *gazetteers: Gazetteer, duplicates: Duplicates = "raise") -> Gazetteer:
        """One gazetteer holding all entries in order; alias rows of a later one attach to an earlier one's
        entries. A repeated id is an error with ``duplicates="raise"`` (the default); with ``"merge"`` the later
        entry only adds its names to the earlier one (a downloaded GeoNames dump over the curated gazetteer:
        the curated row keeps its fields, the dump adds spellings)."""
        from normalize._gazetteer._tsv import ALIAS_KIND

        if duplicates not in _DUPLICATES:
            raise InvalidOptionError("duplicates", duplicates, " or ".join(repr(d) for d in _DUPLICATES))
        entries: Iterable[Entry] = (e for g in gazetteers for e in g)
        if duplicates == "merge":
            seen: set[str] = set()
            merged = []
            for e in entries:
                if e.id in seen:
                    e = Entry(e.id, "", ALIAS_KIND, "", names=e.names, source=e.source)
                seen.add(e.id)
                merged.append(e)
            entries = merged
        return cls(entries, problems=[p for g in gazetteers for p in g.problems],
                   checksum=cls._combined_checksum(gazetteers, duplicates))

    @staticmethod
    def _combined_checksum(gazetteers: Sequence[Gazetteer], duplicates: Duplicates) -> str:
        """The checksum :meth:`combine` gives, without combining (to find a cached compiled index first)."""
        import hashlib

        # "raise" hashes as before the option existed, so that caches built then stay valid.
        digest = hashlib.sha256(b"" if duplicates == "raise" else f"duplicates={duplicates}".encode())
        for g in gazetteers:
            digest.update(g.checksum.encode())
        return digest.hexdigest()

    def compile(self, path: StrPath) -> Path:
        """Write this gazetteer and its index to one memory-mappable ``.nidx`` file (see :meth:`open_index`)."""
        return _files.write_compiled(path, self._store, self.index, self.checksum)

    @classmethod
    def open_index(cls, path: StrPath, *, checksum: str | None = None) -> Gazetteer:
        """Open a compiled ``.nidx`` file (memory-mapped; entries are parsed only when returned). With
        ``checksum``, a file built from other sources is rejected as stale (:class:`IndexFormatError`), as is a
        truncated file or one written by another version of this library."""
        compiled = _files.open_compiled(path, checksum)
        return cls._from_parts(compiled.store, index=compiled.index, checksum=compiled.checksum)

    def with_outside(self, outside: OutsideIndex | None) -> Gazetteer:
        """The same gazetteer (sharing its entries and index) with another index of places outside it:
        ``None`` for none, or an :class:`OutsideIndex` (``OutsideIndex.build``). By default a gazetteer uses the
        bundled one (every cities500 place outside Iraq and its neighbours); a query that names such a place
        (in a country this gazetteer has no places of) is less likely to name a lookalike entry."""
        from normalize._matching._outside import OutsideIndex

        if outside is not None and not isinstance(outside, OutsideIndex):
            raise InvalidOptionError("outside", outside, "an OutsideIndex or None")
        other = self._share_settings(self._same_entries())
        other._outside = outside
        return other

    def like(self, entries: Iterable[Entry]) -> Gazetteer:
        """A new gazetteer of ``entries`` that ranks and decides like this one (the same model, calibration and
        index of outside places): ``normalize.actors().like([*normalize.actors(), my_actor])`` adds your own
        actors to the bundled ones and keeps the actor calibration."""
        return self._share_settings(Gazetteer(entries if self._implied is None else self._implied(entries)))

    def _with_ranker(self, ranker: Ranker) -> Gazetteer:
        """The same gazetteer scored by another model (the actor gazetteer's calibration)."""
        other = self._share_settings(self._same_entries())
        other._ranker = ranker
        return other

    def _without_words(self) -> Gazetteer:
        """The same gazetteer without the common-word rule (the actor gazetteer's)."""
        other = self._share_settings(self._same_entries())
        other._words = False
        return other

    def _with_implied(self, rule: Callable[[Iterable[Entry]], list[Entry]]) -> Gazetteer:
        """A gazetteer of this one's entries with the names ``rule`` says they imply, and that builds gazetteers
        :meth:`like` it with the same rule."""
        other = self._share_settings(Gazetteer(rule(self)))
        other._implied = rule
        return other

    def _same_entries(self) -> Gazetteer:
        """A new gazetteer sharing this one's entries and index (with default settings)."""
        return Gazetteer._from_parts(self._store, index=self.index, problems=self.problems, checksum=self._checksum)

    def _share_settings(self, other: Gazetteer) -> Gazetteer:
        """``other`` with this gazetteer's ranking settings: outside index, ranker, word rule, implied names."""
        other._outside = self._outside
        other._ranker = self._ranker
        other._words = self._words
        other._implied = self._implied
        return other

    def save(self, path: StrPath) -> None:
        """Write the gazetteer in the project TSV format."""
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            write_tsv(self._store, stream)

    # --- collection protocol -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._store)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._store)

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self._store.position(ident) is not None

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self)} entries, checksum {self.checksum[:12]}>"

    def get(self, ident: str) -> Entry:
        """The entry with this id; raises :class:`UnknownEntryError` (a ``KeyError``) if absent."""
        pos = self._store.position(ident)
        if pos is None:
            raise UnknownEntryError(f"no entry {ident!r} in this gazetteer")
        return self._store[pos]

    @property
    def checksum(self) -> str:
        """SHA-256 of the source files (or of the entries, for gazetteers built in memory)."""
        if self._checksum is None:
            import hashlib

            from normalize._gazetteer._tsv import format_line

            digest = hashlib.sha256()
            for e in self._store:
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

                    self._index = NameIndex.build(self._store)
                index = self._index
        return index

    @property
    def kinds(self) -> tuple[str, ...]:
        """The feature codes this gazetteer's entries use, sorted."""
        return tuple(self.index.kinds)

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries (ISO alpha-2) of this gazetteer's entries, sorted."""
        return tuple(self.index.countries)

    def derived(self, key: str, factory: Callable[[Gazetteer], T]) -> T:
        """A structure derived from this gazetteer (an automaton, a lookup table), built once by ``factory(self)``
        and kept on the gazetteer; thread-safe. ``key`` names the structure and its version."""
        with self._lock:
            if key not in self._derived:
                self._derived[key] = factory(self)
            return cast(T, self._derived[key])

    # --- lookups -----------------------------------------------------------------------------------------

    def resolve(self, name: str, *, country: CountryArg = None, kind: str | None = None,
                within: str | None = None, min_score: float | None = None) -> Match | None:
        """The best entry for ``name``, or ``None`` when its calibrated probability is under ``min_score``
        (default :data:`normalize.DEFAULT_MIN_SCORE`). ``country``: ISO alpha-2 code(s). ``kind``: a feature code,
        code prefix (``"ADM"``, ``"PPL"``) or class (``"A"``, ``"P"``). ``within``: an admin division, by id or
        name, that the place must lie in. Always the first of :meth:`candidates`, when it answers."""
        from normalize._matching._decision import DEFAULT_MIN_SCORE

        threshold = check_score("min_score", min_score)
        if threshold is None:  # the threshold chosen with the model (the actor gazetteer's has its own)
            threshold = DEFAULT_MIN_SCORE if self._ranker is None else float(self._ranker.meta["threshold"])
        found = self.candidates(name, limit=1, country=country, kind=kind, within=within, min_score=threshold)
        return found[0] if found else None

    def candidates(self, name: str, *, limit: int = 5, country: CountryArg = None,
                   kind: str | None = None, within: str | None = None, min_score: float | None = None
                   ) -> list[Match]:
        """Up to ``limit`` entries for ``name``, best first, each with the calibrated probability that ``name``
        names it; ``min_score`` (default 0: everything found whose probability is not 0 at the four decimals of
        ``Match.score``) drops the less likely ones."""
        from normalize._matching._decision import explain
        from normalize._matching._folding import clean
        from normalize._matching._match import Match

        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        check_positive("limit", limit)
        threshold = check_score("min_score", min_score) or 0.0
        ranked = self._rank(name, self._filter(country, kind, within))
        index = self.index
        out: list[Match] = []
        for i in range(min(limit, len(ranked))):
            p = float(ranked.probabilities[i])
            score = round(p, 4)  # the precision a Match reports
            if p < threshold or score <= 0.0:  # a probability that rounds to 0 is no candidate
                break
            entry = self._store[int(ranked.entries[i])]
            name_id = int(ranked.names[i])
            matched = entry.names[int(index.position[name_id])].text
            why = explain(ranked, i, index.compacts_list[name_id], index.phonetics_list[name_id])
            if why.startswith("folded") and clean(matched) == clean(name):
                why = "exact" + why[len("folded"):]
            out.append(Match(entry.id, entry.name, score, matched, entry, why))
        return out

    def _rank(self, name: str, filt: Filter) -> Ranked:
        """Every candidate of ``name`` in rank order (the one ranking; the linker uses it too)."""
        resolver = self._resolver
        if resolver is None:
            from normalize._matching._resolver import Resolver
            from normalize._matching._words import bundled_words

            with self._lock:
                if self._resolver is None:
                    words = bundled_words() if self._words else None
                    if self._outside is True:
                        self._resolver = Resolver(self.index, ranker=self._ranker, words=words)
                    else:
                        self._resolver = Resolver(self.index, outside=self._outside, ranker=self._ranker, words=words)
                resolver = self._resolver
        return resolver.rank(name, filt)

    def _filter(self, country: object, kind: object, within: object) -> Filter:
        """The compiled context filter (bounded cache of the last :data:`_FILTER_CACHE` distinct ones)."""
        from normalize._matching._filters import Filter

        key: tuple[object, ...] = (tuple(country) if isinstance(country, (list, tuple, set, frozenset)) else country,
                                   kind, within)
        try:
            cached = self._filters.get(key)
        except TypeError:  # an unhashable value: validated (and rejected or used) below without caching
            cached, key = None, ()
        if cached is not None:
            return cached
        filt = Filter.build(self.index, country=country, kind=kind,
                            admin_codes=None if within is None else self._within_codes(within))
        with self._lock:
            if key:
                if len(self._filters) >= _FILTER_CACHE:
                    self._filters.clear()
                self._filters[key] = filt
        return filt

    def _within_codes(self, within: object) -> frozenset[str]:
        """Division codes that ``within`` (an entry id, or the name of a division) stands for."""
        if not isinstance(within, str) or not within.strip():
            raise InvalidOptionError("within", within, "an entry id or the name of an ADM1/ADM2 division")
        if within in self:
            entry = self.get(within)
        else:
            match = self.resolve(within, kind="A")
            if match is None:
                raise InvalidOptionError("within", within, "an entry id or the name of an ADM1/ADM2 division of "
                                                           "this gazetteer (none matches)")
            entry = match.entry
        code = entry.admin_code
        if code is None:
            raise InvalidOptionError("within", within, f"an ADM1 or ADM2 division; {entry.id} is {entry.kind}")
        # Curated rows may name their district by the district's own id instead of its GeoNames code.
        return frozenset({code, entry.id})
