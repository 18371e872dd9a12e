"""The exception hierarchy: one root, and each subclass also inherits the matching built-in."""

from __future__ import annotations


class NormalizeError(Exception):
    """Root of every error this library raises on purpose."""


class GazetteerFormatError(NormalizeError, ValueError):
    """A gazetteer file (or row) that cannot be read; the message names file, line and field."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = ":".join(str(p) for p in (path, line) if p is not None)
        parts = [p for p in (where, f"field {field!r}" if field else None, message) if p]
        super().__init__(": ".join(parts))
        self.path = path
        self.line = line
        self.field = field
        self.reason = message


class InvalidOptionError(NormalizeError, ValueError):
    """An option given a value outside its documented choices; the message names the option and what is allowed.

    ``option`` is the option's name as the caller wrote it (``"min_score"``, ``"--kind"``), ``value`` the
    rejected value and ``allowed`` a short description of the accepted values.
    """

    def __init__(self, option: str, value: object, allowed: str) -> None:
        super().__init__(f"{option}={value!r} is not allowed: {allowed}")
        self.option = option
        self.value = value
        self.allowed = allowed


class GazetteerNotFoundError(NormalizeError, FileNotFoundError):
    """A gazetteer path that does not exist."""


class IndexFormatError(NormalizeError, ValueError):
    """An on-disk index that is stale, truncated, or written by another version."""


class UnknownEntryError(NormalizeError, KeyError):
    """An id that is not in the gazetteer."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ModelNotFoundError(NormalizeError, FileNotFoundError):
    """Translation weights are not on this machine; the message says where we looked and how to fetch them."""


class TranslationError(NormalizeError, RuntimeError):
    """Translation failed for a reason other than missing weights."""


class BackendUnavailableError(NormalizeError, ImportError):
    """An optional dependency (torch, ctranslate2, pandas, dask) is not installed."""


class DownloadError(NormalizeError, OSError):
    """A download that failed (server unreachable, no such file, corrupt data); the message names the URL or file
    and what to do next (how to proceed offline, that a damaged file was removed). ``url``: the URL concerned."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class RowProblem:
    """A malformed row that was skipped because the caller asked for ``on_error="skip"``."""

    __slots__ = ("field", "line", "message", "path")

    def __init__(self, path: str, line: int, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"RowProblem({self.path!r}, line={self.line}, field={self.field!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RowProblem) and (self.path, self.line, self.field, self.message) == (
            other.path, other.line, other.field, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.field, self.message))

    def as_error(self) -> GazetteerFormatError:
        return GazetteerFormatError(self.message, path=self.path, line=self.line, field=self.field)
