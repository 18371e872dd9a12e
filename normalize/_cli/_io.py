"""Input and output helpers shared by the subcommands: records from FILE or stdin, JSON lines, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO, TypeVar

from normalize._errors import NormalizeError

T = TypeVar("T")


class InputFormatError(NormalizeError, ValueError):
    """A line of CLI input that cannot be read (bad JSON, missing field)."""


def open_input(source: str | None) -> TextIO:
    """``None`` or ``"-"`` means stdin; otherwise a UTF-8 file."""
    if source in (None, "-"):
        return sys.stdin
    path = Path(source)
    if not path.is_file():
        raise NormalizeError(f"{source}: no such file")
    return path.open(encoding="utf-8", errors="strict", newline="")


def read_records(stream: TextIO, *, field: str | None, name: str) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """Yield ``(record, text)`` per line: plain lines give ``(None, line)``; with ``field`` each line is a
    JSON object and the text is ``record[field]``. Errors name the input and the line."""
    try:
        for lineno, raw in enumerate(stream, start=1):
            line = raw.rstrip("\r\n")
            if field is None:
                yield None, line
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFormatError(f"{name}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict) or field not in record:
                raise InputFormatError(f"{name}:{lineno}: no field {field!r} in this JSON line")
            value = record[field]
            if not isinstance(value, str):
                raise InputFormatError(f"{name}:{lineno}: field {field!r} is not a string")
            yield record, value
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def progress(items: Iterable[T], *, total: int | None, desc: str, enabled: bool | None = None) -> Iterable[T]:
    """Wrap ``items`` in a tqdm bar on stderr for long batches (shown only when stderr is a terminal,
    unless ``enabled`` forces it)."""
    if enabled is None:
        enabled = sys.stderr.isatty() and (total is None or total > 200)
    if not enabled:
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, total=total, desc=desc, file=sys.stderr, unit="line")
    return bar


# Characters that JSON leaves raw but that readers splitting on universal newlines (Python's splitlines,
# many editors) take for line ends: escaped, so one record stays one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def write_json_line(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, sort_keys=False).translate(_LINE_BREAKS) + "\n")
