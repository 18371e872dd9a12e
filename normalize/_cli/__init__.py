"""Command-line interface: parses arguments, calls the public API, prints. Library code never exits.

Exit codes (documented in the README):
    0  success (for ``lookup``: every name resolved)
    1  ``lookup``: at least one name resolved to nothing
    2  usage error (bad arguments, an option value outside its allowed values)
    3  bad input or data: unreadable file, malformed gazetteer, missing model weights
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from normalize._errors import InvalidOptionError, NormalizeError
from normalize._version import __version__

EXIT_OK, EXIT_UNRESOLVED, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

# Each subcommand lives in its own module with a ``register(subparsers)`` function; imported lazily
# only to build the parser, so heavy dependencies stay inside the command functions.
_COMMANDS = ("_lookup", "_translate", "_link", "_gazetteer")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normalize",
        description="Resolve Arabic, Kurdish and English place names to gazetteer IDs; link and translate text.")
    parser.add_argument("--version", action="version", version=f"normalize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"normalize._cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"normalize._cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``normalize`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except InvalidOptionError as exc:
        from normalize._cli._common import option_message

        print(option_message(args.command, exc), file=sys.stderr)
        return EXIT_USAGE
    except NormalizeError as exc:
        print(f"normalize {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"normalize {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    return code


def run() -> None:
    sys.exit(main())
