"""``normalize gazetteer build|info``: compile a gazetteer into a memory-mappable index file, inspect one."""

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
