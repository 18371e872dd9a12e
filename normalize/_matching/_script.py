"""Which writing system a string is in (ISO 15924 codes)."""

from __future__ import annotations

import re
import unicodedata

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_ARABIC_CLASS = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _ARABIC_RANGES)
#: A run of Arabic-script characters (letters and marks).
ARABIC_RUN = re.compile(f"[{_ARABIC_CLASS}]+")
_ARABIC_LETTER = re.compile(f"[{_ARABIC_CLASS}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# The ASCII letters are exactly the ASCII characters for which str.isalpha holds.
_ASCII_LETTER = re.compile("[A-Za-z]")


def char_script(ch: str) -> str:
    """Script of one character: ``"Latn"``, ``"Arab"``, ``"Zzzz"`` (another script) or ``"Zyyy"`` (none)."""
    cp = ord(ch)
    if not ch.isalpha():
        return "Zyyy"
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return "Latn"
    for lo, hi in _ARABIC_RANGES:
        if lo <= cp <= hi:
            return "Arab"
    return "Zzzz"


def detect_script(text: str) -> str:
    """Dominant script of ``text`` by letter count; ``"Zyyy"`` when it has no letters.

    Ties go to Arabic, since mixed strings in our domain are Arabic text quoting a Latin acronym.
    """
    # The counts run in C (map over str.isalpha, str.count) rather than a generator step per character.
    if text.isascii():
        return "Latn" if _ASCII_LETTER.search(text) is not None else "Zyyy"
    text = unicodedata.normalize("NFKC", text)
    letters = sum(map(str.isalpha, text))
    if not letters:
        return "Zyyy"
    arabic = sum(map(str.isalpha, _ARABIC_LETTER.findall(text)))
    latin = len(_LATIN_LETTER.findall(text)) - text.count("\u00d7") - text.count("\u00f7")
    other = letters - arabic - latin
    best = max(latin, arabic, other)
    if arabic == best:
        return "Arab"
    return "Latn" if latin == best else "Zzzz"
