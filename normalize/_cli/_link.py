"""``normalize link`` and ``normalize process``: place mentions (and entity-preserving translations) as JSON
lines, from plain text lines or from a field of JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from normalize._cli._common import add_gazetteer_options, gazetteer_from_args
from normalize._cli._io import open_input, progress, read_records, write_json_line
from normalize._options import BACKENDS, DEVICES, LANG_CHOICES

__all__ = ["register"]


def register(subparsers: Any) -> None:
    link = subparsers.add_parser(
        "link", help="find and resolve the place names in text",
        description="Link the place mentions of each input line (or the --field of each JSON line). Writes "
                    "one JSON line per input line: the text's mentions with character offsets, surface, id "
                    "and canonical name (JSON input: the record with an added \"mentions\" field).")
    _common(link)
    link.add_argument("--lang", default="auto", choices=LANG_CHOICES,
                      help="language of the text (default: detected per line)")
    link.add_argument("--country", action="append", default=None, metavar="CC",
                      help="only places in this country (ISO alpha-2; repeatable)")
    link.add_argument("--min-score", type=float, default=None, metavar="P",
                      help="the probability a near-miss spelling must reach, in [0, 1] (default: the resolver's)")
    link.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                      help="jsonl (default, for pipelines) or a readable table")
    link.add_argument("--unresolved", action="store_true",
                      help="also output place-like mentions that resolved to nothing (id null)")
    link.add_argument("--actors", action="store_true",
                      help="also link actors (armed groups, forces, parties ...): category \"actor\"")
    link.set_defaults(func=run_link)

    proc = subparsers.add_parser(
        "process", help="link places, then translate into English keeping their canonical names",
        description="Link the places of each input line (or --field of each JSON line), translate it into "
                    "English and keep every place's canonical English name in the translation. Writes one JSON "
                    "line per input line with the translation and the entities (source and target offsets).")
    _common(proc)
    proc.add_argument("--lang", "--from", dest="lang", default="auto", choices=LANG_CHOICES,
                      help="source language: auto (default), ar, ckb, kmr, fa, en (--from is the older spelling)")
    proc.add_argument("--model", default=None, help="Hub id or local directory (overrides $NORMALIZE_MODEL_<LANG>)")
    proc.add_argument("--backend", default="auto", choices=BACKENDS)
    proc.add_argument("--device", default="auto", choices=DEVICES)
    proc.add_argument("--beams", type=int, default=4, help="beam size (default 4)")
    proc.set_defaults(func=run_process)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)")
    parser.add_argument("--field", default=None, metavar="NAME", help="input is JSON lines; use this field")
    parser.add_argument("--echo", action=argparse.BooleanOptionalAction, default=None,
                        help="repeat the input in each output line (default: the record for JSON input, not the "
                             "text for plain lines)")
    add_gazetteer_options(parser)
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


def _gazetteer(args: argparse.Namespace) -> Any:
    return gazetteer_from_args(args)


def _records(args: argparse.Namespace, desc: str) -> Any:
    name = "<stdin>" if args.input in (None, "-") else args.input
    stream = open_input(args.input)
    return stream, progress(read_records(stream, field=args.field, name=name), total=None, desc=desc,
                            enabled=args.progress)


def run_link(args: argparse.Namespace) -> int:
    from normalize._link import Linker

    linker = Linker(_gazetteer(args), country=args.country, min_score=args.min_score, actors=args.actors)
    stream, records = _records(args, "link")
    out = sys.stdout
    try:
        for lineno, (record, text) in enumerate(records, start=1):
            mentions = [{"start": m.start, "end": m.end, "surface": m.surface, "id": m.id,
                         "name": None if m.match is None else m.match.name, "category": m.category, "why": m.why}
                        for m in linker.link(text, lang=args.lang) if m.match is not None or args.unresolved]
            if args.format == "table":
                if text.strip():  # a blank line has nothing to show
                    _print_mentions(lineno, mentions, out)
            else:
                write_json_line(_output(args, lineno, record, text, {"mentions": mentions}), out)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def _output(args: argparse.Namespace, lineno: int, record: dict[str, Any] | None, text: str,
            body: dict[str, Any]) -> dict[str, Any]:
    """One output line: the record back with ``body`` added (JSON input), or the line number and ``body``
    (plain input); ``--echo``/``--no-echo`` add or drop the input."""
    if record is not None:
        return {**record, **body} if args.echo is not False else {"line": lineno, **body}
    return {"line": lineno, "text": text, **body} if args.echo else {"line": lineno, **body}


def _print_mentions(lineno: int, mentions: list[dict[str, Any]], out: Any) -> None:
    actors = sum(m["category"] == "actor" for m in mentions)
    head = f"line {lineno}: {len(mentions) - actors} place(s)" + (f", {actors} actor(s)" if actors else "")
    out.write(head + "\n")
    for m in mentions:
        tag = "  (actor)" if m["category"] == "actor" else ""
        out.write(f"  {m['start']:>5}-{m['end']:<5} {m['surface']}  ->  {m['id'] or '-'}  {m['name'] or ''}{tag}\n")


def run_process(args: argparse.Namespace) -> int:
    from normalize._process import process
    from normalize._translate import Translator

    gazetteer = _gazetteer(args)
    translator = Translator(lang=args.lang, model=args.model, backend=args.backend, device=args.device,
                            beams=args.beams)
    stream, records = _records(args, "process")
    out = sys.stdout
    try:
        for lineno, (record, text) in enumerate(records, start=1):
            doc = process(text, lang=args.lang, gazetteer=gazetteer, translator=translator)
            entities = [{"source_start": e.source_start, "source_end": e.source_end, "source_text": e.source_text,
                         "id": e.id, "name": e.name, "target_start": e.target_start, "target_end": e.target_end,
                         "method": e.method} for e in doc.entities]
            body = {"translation": doc.translation, "language": doc.language, "entities": entities}
            write_json_line(_output(args, lineno, record, text, body), out)
            out.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0
