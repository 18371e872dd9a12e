"""``normalize translate``: translate plain lines or JSON lines into English."""

from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import Any

from normalize._cli._io import open_input, progress, read_records, write_json_line
from normalize._options import BACKENDS, DEVICES, LANG_CHOICES
from normalize._translate._digits import DIGIT_MODES
from normalize._translate._options import COMPUTE_TYPES

__all__ = ["register"]

# Lines are translated in chunks so a large file streams instead of being held in memory, while
# each chunk is still big enough for length-sorted batching to pay off.
_CHUNK = 512


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "translate", help="translate Arabic / Kurdish text into English",
        description="Translate each input line (or the --field of each JSON line) into English. Plain lines "
                    "give one translated line per input line; JSON lines get an added \"translation\" field.")
    parser.add_argument("input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)")
    parser.add_argument("--lang", "--from", dest="lang", default="auto", choices=LANG_CHOICES,
                        help="source language: auto (default, detected per line), ar, ckb, kmr, fa, en "
                             "(--from is the older spelling)")
    parser.add_argument("--model", default=None, help="Hub id or local directory (overrides $NORMALIZE_MODEL_<LANG>)")
    parser.add_argument("--backend", default="auto", choices=BACKENDS)
    parser.add_argument("--device", default="auto", choices=DEVICES)
    parser.add_argument("--compute-type", default=None, choices=COMPUTE_TYPES,
                        help="CTranslate2: int8 (CPU default), int8_float32, int16, float32, int8_float16 (CUDA "
                             "default); transformers: float32 (default), float16, bfloat16")
    parser.add_argument("--beams", type=int, default=4, help="beam size (default 4; 1 = greedy)")
    parser.add_argument("--batch-size", type=int, default=16, help="pieces per batch at most (default 16)")
    parser.add_argument("--digits", default="ascii", choices=DIGIT_MODES,
                        help="convert Arabic-Indic/Persian digits to 0-9 before translating (default) or keep them")
    parser.add_argument("--field", default=None, metavar="NAME",
                        help="input is JSON lines; translate this field and add \"translation\"")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from normalize._translate import Translator

    translator = Translator(lang=args.lang, model=args.model, backend=args.backend, device=args.device,
                            compute_type=args.compute_type, beams=args.beams, batch_size=args.batch_size,
                            digits=args.digits)
    name = "<stdin>" if args.input in (None, "-") else args.input
    stream = open_input(args.input)
    try:
        records = read_records(stream, field=args.field, name=name)
        out = sys.stdout
        for chunk in progress(_chunks(records), total=None, desc="translate", enabled=args.progress):
            translations = translator.translate([text for _, text in chunk], progress=False)
            for (record, _), translation in zip(chunk, translations, strict=False):
                if record is None:
                    out.write(translation.replace("\n", " ") + "\n")
                else:
                    write_json_line({**record, "translation": translation}, out)
            out.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def _chunks(records: Any) -> Any:
    iterator = iter(records)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
