"""``normalize gazetteer build|info``: compile a gazetteer into a memory-mappable index file, inspect one."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from normalize._cli._lookup import add_gazetteer_options, gazetteer_from_args


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
    kinds = Counter(gazetteer.index.kinds[int(k)] for k in gazetteer.index.kind_id)
    countries = Counter(gazetteer.index.countries[int(c)] for c in gazetteer.index.country_id)
    print(f"entries: {len(gazetteer)}")
    print(f"indexed names: {len(gazetteer.index)}")
    print(f"checksum: {gazetteer.checksum}")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))
    print("countries: " + ", ".join(f"{c} {n}" for c, n in countries.most_common(12))
          + (" ..." if len(countries) > 12 else ""))
    return 0
