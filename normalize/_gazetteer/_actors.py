"""The actor gazetteer: armed groups, state forces, militias, parties, coalitions and government bodies, one id
each (``wikidata:Q…`` where the item was verified), with the names people write in every language.

The file (``gazetteers/actors.tsv``) is tab-separated with the columns ``id name kind countries parent names
former_names source`` (documented in ``gazetteers/README.md``). Each actor becomes an :class:`Entry` of the same
model as places, so the one ranking, ``Match`` and "no match" work alike: ``kind`` is an actor kind code
(:data:`KIND_CODES`), ``country`` the main country, ``admin1`` the parent actor (its id and name), ``names`` the
current and the former names. What places have no room for — every country, the former names with their years —
is in :class:`Actor`, from :func:`normalize.actor`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from normalize._cache import register_cache
from normalize._errors import GazetteerFormatError
from normalize._gazetteer._entry import AdminRef, Entry, Name
from normalize._gazetteer._tsv import data_lines, parse_names

__all__ = ["ACTOR_COLUMNS", "KIND_CODES", "Actor", "FormerName", "read_actors"]

ACTOR_COLUMNS = ("id", "name", "kind", "countries", "parent", "names", "former_names", "source")
#: The actor kinds of the file and the feature-code-like code each becomes on its entry.
KIND_CODES = {"armed-group": "ARMED", "state-force": "STATE", "militia": "MILITIA", "party": "PARTY",
              "coalition": "COALITION", "government-body": "GOVBODY"}
_ID = re.compile(r"^(?:wikidata:Q[0-9]+|normalize:actor/[a-z0-9-]+)$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_YEARS = re.compile(r"^(\d{4})?-(\d{4})?$")


@dataclass(frozen=True, slots=True)
class FormerName:
    """An earlier name of an actor, with the years it was used (``None`` where unknown)."""

    name: Name
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Actor:
    """What the actor gazetteer knows of one actor beyond its entry."""

    id: str
    name: str
    kind: str
    countries: tuple[str, ...]
    parent: str | None
    former_names: tuple[FormerName, ...]
    source: str


def _former(cell: str, fail: object) -> tuple[FormerName, ...]:
    out = []
    for raw in cell.split("|"):
        raw = raw.strip()
        if not raw:
            continue
        text, _, years = raw.partition("#")
        start = end = None
        if years:
            m = _YEARS.match(years.strip())
            if m is None:
                raise fail("former_names", f"{years!r} is not FROM-TO years (either may be empty)")  # type: ignore[operator]
            start = int(m.group(1)) if m.group(1) else None
            end = int(m.group(2)) if m.group(2) else None
        names = parse_names(text)
        if names:
            out.append(FormerName(names[0], start, end))
    return tuple(out)


def read_actors(path: Path) -> tuple[list[Entry], dict[str, Actor]]:
    """Entries (in file order) and the :class:`Actor` records of an actor file; a malformed row raises
    :class:`GazetteerFormatError` naming the file, line and field."""
    entries: list[Entry] = []
    actors: dict[str, Actor] = {}
    parents: dict[str, tuple[str, int]] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in data_lines(f, path=str(path), columns=ACTOR_COLUMNS):
            cells = line.split("\t")

            def fail(field: str, message: str, lineno: int = lineno) -> GazetteerFormatError:
                return GazetteerFormatError(message, path=str(path), line=lineno, field=field)

            if len(cells) != len(ACTOR_COLUMNS):
                raise GazetteerFormatError(f"expected {len(ACTOR_COLUMNS)} columns, got {len(cells)}",
                                           path=str(path), line=lineno)
            row = dict(zip(ACTOR_COLUMNS, (c.strip() for c in cells), strict=True))
            if not _ID.match(row["id"]):
                raise fail("id", f"{row['id']!r} is not wikidata:Q<n> or normalize:actor/<slug>")
            if row["id"] in actors:
                raise fail("id", f"duplicate id {row['id']}")
            if row["kind"] not in KIND_CODES:
                raise fail("kind", f"{row['kind']!r} is not one of {', '.join(KIND_CODES)}")
            countries = tuple(c for c in row["countries"].split("|") if c)
            if not countries or not all(_COUNTRY.match(c) for c in countries):
                raise fail("countries", f"{row['countries']!r} is not |-separated ISO 3166-1 alpha-2 codes")
            if not row["name"] or not row["source"]:
                raise fail("name" if not row["name"] else "source", "is empty")
            former = _former(row["former_names"], fail)
            names = (Name(row["name"]), *parse_names(row["names"]), *(f.name for f in former))
            actors[row["id"]] = Actor(row["id"], row["name"], row["kind"], countries, row["parent"] or None,
                                      former, row["source"])
            if row["parent"]:
                parents[row["id"]] = (row["parent"], lineno)
            entries.append(Entry(row["id"], row["name"], KIND_CODES[row["kind"]], countries[0],
                                 names=tuple(dict.fromkeys(names)), source=row["source"]))
    for parent, lineno in parents.values():
        if parent not in actors:
            raise GazetteerFormatError(f"parent {parent!r} has no row of its own", path=str(path), line=lineno,
                                       field="parent")
    with_parents = [Entry(e.id, e.name, e.kind, e.country,
                          AdminRef(parents[e.id][0], actors[parents[e.id][0]].name) if e.id in parents else None,
                          names=e.names, source=e.source) for e in entries]
    return with_parents, actors


class _Bundled:
    """The bundled actor gazetteer, loaded once on first use (behind a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[object, dict[str, Actor]] | None = None

    def get(self) -> tuple[object, dict[str, Actor]]:
        loaded = self._loaded
        if loaded is None:
            with self._lock:
                if self._loaded is None:
                    from normalize._gazetteer._default import bundled_path
                    from normalize._gazetteer._facade import Gazetteer
                    from normalize._matching._model import Ranker

                    entries, actors = read_actors(bundled_path(ACTORS_FILE))
                    path = Path(str(resources.files("normalize") / "_matching" / ACTOR_RANKER_FILE))
                    # Places outside the gazetteer and common words are no competing explanation for an actor's
                    # name; the ranker's trees are the places', with a calibration fitted on actors
                    # (scripts/train_actors.py).
                    from normalize._gazetteer._actor_names import with_derived_names

                    gazetteer = Gazetteer(entries).with_outside(None)._with_ranker(Ranker.load(path))._without_words()
                    self._loaded = (gazetteer._with_implied(with_derived_names), actors)
                loaded = self._loaded
        return loaded

    def clear(self) -> None:
        with self._lock:
            self._loaded = None

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.get()[1].values())


#: The bundled actor file's name in the gazetteers folder, and the actor calibration's next to the ranker.
ACTORS_FILE = "actors.tsv"
ACTOR_RANKER_FILE = "actors.npz"
_BUNDLED = _Bundled()
register_cache("normalize._gazetteer._actors", _BUNDLED.clear)
