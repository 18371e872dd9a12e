"""``normalize lookup``: resolve names given as arguments, in a file, or on stdin (one per line)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from normalize._cli._io import open_input, progress, write_json_line
from normalize._gazetteer._facade import Gazetteer
from normalize._matching._decision import DEFAULT_MIN_SCORE
from normalize._matching._match import Match


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lookup", help="resolve place names to gazetteer ids",
        description="Resolve place names to gazetteer ids. Names come from the arguments, or from --file / "
                    "stdin one per line. Exit status: 0 all resolved, 1 some unresolved, 3 bad input.")
    p.add_argument("names", nargs="*", metavar="NAME", help="names to resolve ('-' reads stdin)")
    p.add_argument("--file", "-f", metavar="FILE", help="read names from FILE, one per line ('-' for stdin)")
    add_gazetteer_options(p)
    p.add_argument("--country", action="append", metavar="CC", help="only places in this country (repeatable)")
    p.add_argument("--kind", metavar="CODE", help="feature code prefix or class: ADM1, ADM2, ADM, PPL, A, P")
    p.add_argument("--within", metavar="ID|NAME", help="only places inside this admin division")
    p.add_argument("--limit", type=int, default=1, metavar="N", help="show up to N candidates per name (1)")
    p.add_argument("--min-score", type=float, default=None, metavar="S",
                   help=f"acceptance threshold in [0, 1] (default {DEFAULT_MIN_SCORE})")
    p.add_argument("--json", action="store_true", help="JSON lines: one object per name")
    p.set_defaults(func=run)


def add_gazetteer_options(p: argparse.ArgumentParser) -> None:
    """--gazetteer / --geonames options shared by the commands that resolve names."""
    p.add_argument("--gazetteer", action="append", metavar="PATH",
                   help="project-format TSV gazetteer instead of the bundled one (repeatable, combined in order)")
    p.add_argument("--geonames", metavar="PATH", help="a GeoNames dump (IQ.txt, cities500.txt, .zip) instead")
    p.add_argument("--index", metavar="PATH", help="a compiled index from 'normalize gazetteer build' instead")
    p.add_argument("--alternate-names", metavar="PATH", help="with --geonames: alternateNamesV2.txt")
    p.add_argument("--admin-codes", action="append", metavar="PATH",
                   help="with --geonames: admin1CodesASCII.txt / admin2Codes.txt (repeatable)")


def gazetteer_from_args(args: argparse.Namespace) -> Gazetteer:
    """The gazetteer the options ask for (the bundled default when none)."""
    parts: list[Gazetteer] = []
    if getattr(args, "index", None):
        parts.append(Gazetteer.open_index(args.index))
    if args.geonames:
        parts.append(Gazetteer.from_geonames(args.geonames, alternate_names=args.alternate_names,
                                             admin_codes=args.admin_codes))
    if args.gazetteer:
        parts.append(Gazetteer.load(*args.gazetteer))
    if not parts:
        from normalize._gazetteer._default import default_gazetteer

        return default_gazetteer()
    return parts[0] if len(parts) == 1 else Gazetteer.combine(*parts)


def _names(args: argparse.Namespace) -> list[str]:
    names = [n for n in args.names if n != "-"]
    sources = [args.file] if args.file else []
    if "-" in args.names or (not args.names and not args.file):
        sources.append("-")
    for source in sources:
        stream = open_input(source)
        try:
            names.extend(line.rstrip("\r\n") for line in stream)
        except UnicodeDecodeError as exc:
            from normalize._cli._io import InputFormatError

            raise InputFormatError(f"{source}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
        finally:
            if stream is not sys.stdin:
                stream.close()
    return [n for n in names if n.strip()]


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from normalize._cli import EXIT_OK, EXIT_UNRESOLVED, EXIT_USAGE

    out = sys.stdout if out is None else out
    if args.limit < 1:
        print("normalize lookup: error: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    gazetteer = gazetteer_from_args(args)
    names = _names(args)
    threshold = DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
    unresolved = 0
    rows: list[tuple[str, list[Match]]] = []
    for name in progress(names, total=len(names), desc="lookup"):
        found = gazetteer.candidates(name, limit=args.limit, country=args.country, kind=args.kind,
                                    within=args.within, min_score=threshold)
        unresolved += not found
        if args.json:
            write_json_line({"query": name, "resolved": bool(found), "matches": [m.to_dict() for m in found]}, out)
        else:
            rows.append((name, found))
    if not args.json:
        _print_table(rows, out)
    return EXIT_UNRESOLVED if unresolved else EXIT_OK


def _print_table(rows: list[tuple[str, list[Match]]], out: TextIO) -> None:
    table = [("query", "id", "name", "score", "matched", "why")]
    for name, found in rows:
        if not found:
            table.append((name, "-", "(no match)", "", "", ""))
        for rank, m in enumerate(found):
            table.append((name if rank == 0 else "", m.id, _place(m), f"{m.score:.2f}", m.matched, m.why))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() + "\n")


def _place(m: Match) -> str:
    e = m.entry
    parent = e.admin1.name if e.admin1 and e.admin1.name and e.kind != "ADM1" else ""
    return ", ".join(p for p in (m.name, parent, e.country) if p)
