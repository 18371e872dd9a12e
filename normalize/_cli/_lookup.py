"""``normalize lookup``: resolve names given as arguments, in a file, or on stdin (one per line)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from normalize._cli._common import add_gazetteer_options, gazetteer_from_args
from normalize._cli._io import open_input, progress, write_json_line
from normalize._matching._decision import DEFAULT_MIN_SCORE
from normalize._matching._match import Match

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lookup", help="resolve place names to gazetteer ids",
        description="Resolve place names to gazetteer ids. Names come from the arguments, or from --file / "
                    "stdin one per line. Exit status: 0 all resolved, 1 some unresolved, 2 usage, 3 bad input.")
    p.add_argument("names", nargs="*", metavar="NAME", help="names to resolve ('-' reads stdin)")
    p.add_argument("--file", "-f", metavar="FILE", help="read names from FILE, one per line ('-' for stdin)")
    add_gazetteer_options(p)
    p.add_argument("--actors", action="store_true",
                   help="look the names up in the actor gazetteer (armed groups, forces, parties ...) instead")
    p.add_argument("--country", action="append", metavar="CC", help="only places in this country (repeatable)")
    p.add_argument("--kind", metavar="CODE", help="feature code, prefix or class: ADM1, ADM2, ADM, PPL, A, P ...")
    p.add_argument("--within", metavar="ID|NAME", help="only places inside this admin division")
    p.add_argument("--limit", type=int, default=1, metavar="N", help="show up to N candidates per name (1)")
    p.add_argument("--min-score", type=float, default=None, metavar="P",
                   help=f"the probability a match must reach, in [0, 1] (default {DEFAULT_MIN_SCORE})")
    p.add_argument("--json", action="store_true", help="JSON lines: one object per name")
    p.set_defaults(func=run)


def _names(args: argparse.Namespace) -> list[str] | None:
    """The names to resolve; ``None`` when there are none and stdin is a terminal (nothing would come)."""
    names = [n for n in args.names if n != "-"]
    sources = [args.file] if args.file else []
    if "-" in args.names or (not args.names and not args.file):
        if not args.names and not args.file and sys.stdin.isatty():
            return None
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
        print(f"normalize lookup: error: --limit={args.limit} is not allowed: a positive integer", file=sys.stderr)
        return EXIT_USAGE
    names = _names(args)
    if names is None:
        print("normalize lookup: give names as arguments, with --file FILE, or on stdin (normalize lookup - < "
              "names.txt); see normalize lookup --help", file=sys.stderr)
        return EXIT_USAGE
    if args.actors:
        from normalize._api import actors

        gazetteer = actors()
        default = float(gazetteer._ranker.meta["threshold"]) if gazetteer._ranker is not None else DEFAULT_MIN_SCORE
    else:
        gazetteer = gazetteer_from_args(args)
        default = DEFAULT_MIN_SCORE
    threshold = default if args.min_score is None else args.min_score
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
