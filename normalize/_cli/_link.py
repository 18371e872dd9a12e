"""``normalize link`` and ``normalize process``: place mentions (and entity-preserving translations) as JSON
lines, from plain text lines or from a field of JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from normalize._cli._io import open_input, progress, read_records, write_json_line

__all__ = ["register"]


def register(subparsers: Any) -> None:
    link = subparsers.add_parser(
        "link", help="find and resolve the place names in text",
        description="Link the place mentions of each input line (or the --field of each JSON line). Writes "
                    "one JSON line per input line: the text's mentions with character offsets, surface, id "
                    "and canonical name (JSON input: the record with an added \"mentions\" field).")
    _common(link)
    link.add_argument("--lang", default="auto", choices=("auto", "ar", "ckb", "fa", "kmr", "en"),
                      help="language of the text (default: detected per line)")
    link.add_argument("--country", action="append", default=None, metavar="CC",
                      help="only places in this country (ISO alpha-2; repeatable)")
    link.add_argument("--min-score", type=float, default=None,
                      help="similarity a near-miss spelling must reach (default 0.88)")
    link.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                      help="jsonl (default, for pipelines) or a readable table")
    link.add_argument("--unresolved", action="store_true",
                      help="also output place-like mentions that resolved to nothing (id null)")
    link.set_defaults(func=run_link)

    proc = subparsers.add_parser(
        "process", help="link places, then translate into English keeping their canonical names",
        description="Link the places of each input line (or --field of each JSON line), translate it into "
                    "English and keep every place's canonical English name in the translation. Writes one JSON "
                    "line per input line with the translation and the entities (source and target offsets).")
    _common(proc)
    proc.add_argument("--from", dest="source", default="auto", metavar="LANG",
                      help="source language: auto (default), ar, ckb, kmr, fa, en")
    proc.add_argument("--model", default=None, help="Hub id or local directory (overrides $NORMALIZE_MODEL_<LANG>)")
    proc.add_argument("--backend", default="auto", choices=("auto", "ctranslate2", "transformers"))
    proc.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    proc.add_argument("--beams", type=int, default=4, help="beam size (default 4)")
    proc.set_defaults(func=run_process)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)")
    parser.add_argument("--field", default=None, metavar="NAME", help="input is JSON lines; use this field")
    parser.add_argument("--gazetteer", action="append", default=None, metavar="TSV",
                        help="project-format gazetteer file(s) instead of the bundled one (repeatable)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


def _gazetteer(args: argparse.Namespace) -> Any:
    if not args.gazetteer:
        return None
    from normalize._gazetteer._facade import Gazetteer

    return Gazetteer.load(*args.gazetteer)


def _records(args: argparse.Namespace, desc: str) -> Any:
    name = "<stdin>" if args.input in (None, "-") else args.input
    stream = open_input(args.input)
    return stream, progress(read_records(stream, field=args.field, name=name), total=None, desc=desc,
                            enabled=args.progress)


def run_link(args: argparse.Namespace) -> int:
    from normalize._link import Linker

    linker = Linker(_gazetteer(args), country=args.country, min_score=args.min_score)
    stream, records = _records(args, "link")
    out = sys.stdout
    try:
        for lineno, (record, text) in enumerate(records, start=1):
            mentions = [{"start": m.start, "end": m.end, "surface": m.surface, "id": m.id,
                         "name": None if m.match is None else m.match.name, "why": m.why}
                        for m in linker.link(text, lang=args.lang) if m.match is not None or args.unresolved]
            if args.format == "table":
                _print_mentions(lineno, mentions, out)
            elif record is None:
                write_json_line({"line": lineno, "text": text, "mentions": mentions}, out)
            else:
                write_json_line({**record, "mentions": mentions}, out)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def _print_mentions(lineno: int, mentions: list[dict[str, Any]], out: Any) -> None:
    out.write(f"line {lineno}: {len(mentions)} place(s)\n")
    for m in mentions:
        out.write(f"  {m['start']:>5}-{m['end']:<5} {m['surface']}  ->  {m['id'] or '-'}  {m['name'] or ''}\n")


def run_process(args: argparse.Namespace) -> int:
    from normalize._process import process
    from normalize._translate import Translator

    gazetteer = _gazetteer(args)
    translator = Translator(source=args.source, model=args.model, backend=args.backend, device=args.device,
                            beams=args.beams)
    stream, records = _records(args, "process")
    out = sys.stdout
    try:
        for lineno, (record, text) in enumerate(records, start=1):
            doc = process(text, source=args.source, gazetteer=gazetteer, translator=translator)
            entities = [{"source_start": e.source_start, "source_end": e.source_end, "source_text": e.source_text,
                         "id": e.id, "name": e.name, "target_start": e.target_start, "target_end": e.target_end,
                         "method": e.method} for e in doc.entities]
            body = {"translation": doc.translation, "language": doc.language, "entities": entities}
            if record is None:
                write_json_line({"line": lineno, "text": text, **body}, out)
            else:
                write_json_line({**record, **body}, out)
            out.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0
