"""Which writing system a string is in (ISO 15924 codes)."""

from __future__ import annotations

import unicodedata

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


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
    latin = arabic = other = 0
    for ch in unicodedata.normalize("NFKC", text):
        s = char_script(ch)
        if s == "Latn":
            latin += 1
        elif s == "Arab":
            arabic += 1
        elif s == "Zzzz":
            other += 1
    best = max(latin, arabic, other)
    if best == 0:
        return "Zyyy"
    if arabic == best:
        return "Arab"
    return "Latn" if latin == best else "Zzzz"
