"""Options every command that resolves names shares: which gazetteer (the bundled one, others instead of it,
or others added to it) and the one-line message for an invalid option."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from normalize._errors import InvalidOptionError

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["add_gazetteer_options", "gazetteer_from_args", "option_message"]


def add_gazetteer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--add", action="append", metavar="PATH",
                   help="a project-format TSV gazetteer combined with the bundled one, its alias rows attached to "
                        "the bundled entries (repeatable)")
    p.add_argument("--gazetteer", action="append", metavar="PATH",
                   help="project-format TSV gazetteer instead of the bundled one (repeatable, combined in order)")
    p.add_argument("--geonames", metavar="PATH", help="a GeoNames dump (IQ.txt, cities500.txt, .zip) instead")
    p.add_argument("--index", metavar="PATH", help="a compiled index from 'normalize gazetteer build' instead")
    p.add_argument("--alternate-names", metavar="PATH", help="with --geonames: alternateNamesV2.txt")
    p.add_argument("--admin-codes", action="append", metavar="PATH",
                   help="with --geonames: admin1CodesASCII.txt / admin2Codes.txt (repeatable)")


def gazetteer_from_args(args: argparse.Namespace) -> Gazetteer:
    """The gazetteer the options ask for: the bundled default (or the ``--gazetteer``/``--geonames``/``--index``
    ones instead of it), then every ``--add`` file combined on top."""
    from normalize._gazetteer._facade import Gazetteer

    parts: list[Gazetteer] = []
    if getattr(args, "index", None):
        parts.append(Gazetteer.open_index(args.index))
    if getattr(args, "geonames", None):
        parts.append(Gazetteer.from_geonames(args.geonames, alternate_names=args.alternate_names,
                                             admin_codes=args.admin_codes))
    if getattr(args, "gazetteer", None):
        parts.append(Gazetteer.load(*args.gazetteer))
    added = getattr(args, "add", None) or []
    if not parts:
        if not added:
            from normalize._gazetteer._default import default_gazetteer

            return default_gazetteer()
        from normalize._gazetteer._default import DEFAULT_FILES, bundled_path

        # One load of the bundled files with the added ones, so alias rows may refer to bundled entries and the
        # compiled index of the combination is cached like any other.
        return Gazetteer.load(*(bundled_path(n) for n in DEFAULT_FILES), *added)
    if added:
        parts.append(Gazetteer.load(*added))
    return parts[0] if len(parts) == 1 else Gazetteer.combine(*parts)


def option_message(command: str, exc: InvalidOptionError) -> str:
    """``normalize lookup: error: --min-score=1.5 is not allowed: a number in [0, 1]``: the API's option name
    written as the command line's flag."""
    flag = exc.option if exc.option.startswith("-") else "--" + exc.option.replace("_", "-")
    return f"normalize {command}: error: {flag}={exc.value!r} is not allowed: {exc.allowed}"
