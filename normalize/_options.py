"""The options vocabulary shared by the API and the command line, and its checks.

Every public function validates its keyword options here, and the CLI uses the same tuples for argparse
``choices=``, so an option means the same thing and fails the same way everywhere: an invalid value raises
:class:`~normalize.InvalidOptionError` (also a ``ValueError``) naming the option and what it allows, never an
empty result.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

from normalize._errors import InvalidOptionError

__all__ = ["BACKENDS", "DETECTED_LANGUAGES", "DEVICES", "LANGUAGES", "LANG_CHOICES", "check_choice",
           "check_countries", "check_positive", "check_score"]

#: Languages the library reads: Arabic, Sorani (Central Kurdish), Persian, Kurmanji (Northern Kurdish), English.
LANGUAGES = ("ar", "ckb", "fa", "kmr", "en")
#: What language detection may answer: one of :data:`LANGUAGES`, or ``"und"`` (no letters, other script).
DETECTED_LANGUAGES = (*LANGUAGES, "und")
#: Accepted by every ``lang=`` option: ``"auto"`` (detected per text) or a language code.
LANG_CHOICES = ("auto", *LANGUAGES)
#: Translation backends: ``"auto"`` (CTranslate2 when installed, else transformers).
BACKENDS = ("auto", "ctranslate2", "transformers")
#: Devices for translation: ``"auto"`` (CUDA when present).
DEVICES = ("auto", "cpu", "cuda")


def check_choice(option: str, value: object, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``, else :class:`InvalidOptionError`."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidOptionError(option, value, f"one of {', '.join(choices)}")
    return value


def check_positive(option: str, value: object) -> int:
    """``value`` if it is a positive integer (``bool`` is not), else :class:`InvalidOptionError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidOptionError(option, value, "a positive integer")
    return value


def check_score(option: str, value: object) -> float | None:
    """``None``, or ``value`` as a float in [0, 1]; anything else is an :class:`InvalidOptionError`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0.0 <= float(value) <= 1.0:
        raise InvalidOptionError(option, value, "a number in [0, 1]")
    return float(value)


def check_countries(option: str, value: object, present: Iterable[str] | None = None) -> frozenset[str] | None:
    """``None``, or the ISO 3166-1 alpha-2 codes ``value`` names (one code or a non-empty collection, any case).

    With ``present`` (the countries a gazetteer holds), a code outside it is an error that lists them: a filter
    that can match nothing is a mistake, not an empty result.
    """
    if value is None:
        return None
    codes: list[object] = [value] if isinstance(value, str) else list(value) if isinstance(
        value, Collection) else [value]
    bad = [c for c in codes if not (isinstance(c, str) and len(c.strip()) == 2 and c.strip().isalpha())]
    if not codes or bad:
        raise InvalidOptionError(option, value if not bad else bad[0] if len(bad) == 1 else bad,
                                 "an ISO 3166-1 alpha-2 code such as 'IQ', or a non-empty list")
    wanted = frozenset(str(c).strip().upper() for c in codes)
    if present is not None:
        known = frozenset(present)
        missing = sorted(wanted - known)
        if missing:
            # Name the codes that are wrong, not the whole list the caller gave (the CLI collects its flags in one).
            raise InvalidOptionError(option, missing[0] if len(missing) == 1 else missing,
                                     f"countries in this gazetteer: {', '.join(sorted(known))}")
    return wanted
