"""Validation of the keyword options shared by ``translate`` and ``Translator``."""

from __future__ import annotations

from normalize._errors import NormalizeError

__all__ = ["BACKENDS", "DEVICES", "InvalidOptionError", "check_choice", "check_positive"]

BACKENDS = ("auto", "ctranslate2", "transformers")
DEVICES = ("auto", "cpu", "cuda")


class InvalidOptionError(NormalizeError, ValueError):
    """An option value outside its documented choices."""


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidOptionError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


def check_positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidOptionError(f"{name} must be a positive integer, not {value!r}")
    return value
