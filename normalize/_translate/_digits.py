"""Arabic-Indic (٠-٩) and extended Arabic-Indic / Persian (۰-۹) digits before translation.

Marian models trained on OPUS see mostly ASCII digits; Eastern digits are often copied, dropped or
mistranslated. ``digits="ascii"`` (the default) maps both digit sets to 0-9 and the Arabic decimal
and thousands separators (٫ ٬) to ``.`` and ``,`` before translation; ``digits="keep"`` leaves the text alone.
"""

from __future__ import annotations

from normalize._options import check_choice

__all__ = ["DIGIT_MODES", "convert_digits"]

DIGIT_MODES = ("ascii", "keep")

_TABLE = str.maketrans({
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "\u066b": ".",
    "\u066c": ",",
})


def convert_digits(text: str, mode: str) -> str:
    if check_choice("digits", mode, DIGIT_MODES) == "ascii":
        return text.translate(_TABLE)
    return text
