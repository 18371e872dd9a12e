"""``normalize gazetteer build|info|download``: compile a gazetteer into a memory-mappable index file, inspect one,
download GeoNames country dumps and compile them."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from normalize._cli._common import add_gazetteer_options, gazetteer_from_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gazetteer", help="build or inspect compiled gazetteer index files",
                       description="Compile gazetteers into .nidx index files that load in well under a second, "
                                   "are memory-mapped, and are shared by worker processes.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="compile a gazetteer (TSV or GeoNames dump) into an index file",
                               description="Compile the given gazetteer (default: the bundled one) into OUT.")
    build.add_argument("out", metavar="OUT", help="index file to write (e.g. world.nidx)")
    add_gazetteer_options(build)
    build.set_defaults(func=_build)
    info = actions.add_parser("info", help="describe a gazetteer or index file")
    info.add_argument("index", nargs="?", metavar="INDEX", help="a .nidx file (default: the --gazetteer given)")
    info.add_argument("--by-country", action="store_true", help="entries per country and kind, every country")
    info.add_argument("--by-kind", action="store_true", help="entries per feature code, every code")
    add_gazetteer_options(info)
    info.set_defaults(func=_info)
    download = actions.add_parser(
        "download", help="download GeoNames country dumps and compile them into an index file",
        description="Fetch COUNTRY.zip, alternatenames/COUNTRY.zip, admin1CodesASCII.txt and admin2Codes.txt from "
                    "GeoNames (CC BY 4.0, https://www.geonames.org/), verify them, and compile one index of the "
                    "countries' places. Files already downloaded are reused; an interrupted download resumes.")
    download.add_argument("countries", nargs="+", metavar="COUNTRY", help="ISO 3166-1 alpha-2 code, e.g. IQ SY")
    download.add_argument("--folder", metavar="DIR",
                          help="where the files and the index go (default: geonames/ in the cache folder)")
    download.add_argument("--url", metavar="BASE", default=None,
                          help="base URL of the dump folder (default: https://download.geonames.org/export/dump/)")
    download.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    download.set_defaults(func=_download)


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    gazetteer = gazetteer_from_args(args)
    path = gazetteer.compile(args.out)
    size = path.stat().st_size
    print(f"wrote {path}: {len(gazetteer)} entries, {len(gazetteer.index)} indexed names, "
          f"{size / 1e6:.1f} MB, source checksum {gazetteer.checksum[:16]}, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _info(args: argparse.Namespace) -> int:
    from normalize._gazetteer._facade import Gazetteer

    gazetteer = Gazetteer.open_index(args.index) if args.index else gazetteer_from_args(args)
    index = gazetteer.index
    kinds = Counter(index.kinds[int(k)] for k in index.kind_id)
    countries = Counter(index.countries[int(c)] for c in index.country_id)
    print(f"entries: {len(gazetteer)}")
    print(f"indexed names: {len(index)}")
    print(f"checksum: {gazetteer.checksum}")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))
    print("countries: " + ", ".join(f"{c} {n}" for c, n in countries.most_common(12))
          + (" ..." if len(countries) > 12 else ""))
    if args.by_kind:
        print("\nkind     entries")
        for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"{k:<8} {n:>7}")
    if args.by_country:
        # Per country: entries, then the split into divisions, populated places and the rest.
        pairs = Counter((index.countries[int(c)], index.kinds[int(k)])
                        for c, k in zip(index.country_id.tolist(), index.kind_id.tolist(), strict=True))
        print("\ncountry  entries  ADM1  ADM2  ADM3  PPL*  other")
        for country, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])):
            by = {k: m for (c, k), m in pairs.items() if c == country}
            towns = sum(m for k, m in by.items() if k.startswith("PPL"))
            levels = [by.get(level, 0) for level in ("ADM1", "ADM2", "ADM3")]
            other = n - towns - sum(levels)
            print(f"{country:<8} {n:>7} {levels[0]:>5} {levels[1]:>5} {levels[2]:>5} {towns:>5} {other:>6}")
    return 0


# The API's option names as this command spells them (COUNTRY is positional, so it has no -- form).
_DOWNLOAD_OPTIONS = {"countries": "COUNTRY", "base_url": "--url", "folder": "--folder"}


def _download(args: argparse.Namespace) -> int:
    import shlex

    from normalize._cli import EXIT_USAGE
    from normalize._errors import InvalidOptionError
    from normalize._gazetteer._default import GAZETTEER_VARIABLE
    from normalize._gazetteer._download import GEONAMES_URL, download_geonames

    try:
        result = download_geonames(args.countries, base_url=args.url or GEONAMES_URL, folder=args.folder,
                                   progress=False if args.no_progress else None)
    except InvalidOptionError as exc:
        name = _DOWNLOAD_OPTIONS.get(exc.option, exc.option)
        print(f"normalize gazetteer: error: {name}={exc.value!r} is not allowed: {exc.allowed}", file=sys.stderr)
        return EXIT_USAGE
    print(f"index: {result.index}")
    print(f"entries: {result.entries} ({' '.join(result.countries)})")
    print("files:")
    for f in result.files:
        print(f"  {'fetched' if f.fetched else 'reused '}  {_size(f.size):>9}  sha256 {f.sha256[:16]}  {f.path}")
    print("To make it the default gazetteer (the bundled one extended by these places):")
    print(f"  export {GAZETTEER_VARIABLE}={shlex.quote(str(result.index))}")
    return 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"
