"""Which language a piece of news text is in, among the ones this library handles.

``detect_language(text)`` returns one of:

``"ar"``   Arabic: Arabic script without the Sorani or Persian markers below.
``"ckb"``  Sorani Kurdish: Arabic script with at least one letter only Kurdish uses
           (ێ ۆ ڵ ڕ ە ڤ ۊ, or ھ), checked first because Sorani also uses the Persian letters.
``"fa"``   Persian: Arabic script with more Persian-only letters (پ چ ژ گ ک ی) than
           Arabic-only ones (ة ي ك ى ئ ؤ ـ), and no Sorani marker. Arabic loanwords written
           with پ/گ (Iraqi spellings of "Pepsi", "Gaza" …) are outvoted by ة/ي/ك in real text.
``"kmr"``  Kurmanji Kurdish: Latin script with ê î û ç ş (and none of Turkish ı ğ ö ü), or,
           without those letters, more Kurmanji function words (û li ji di bi ku …) than
           English ones (the of and to …).
``"en"``   Any other Latin-script text. It is treated as English and passed through unchanged.
``"und"``  No letters, or a script other than Latin and Arabic dominates.

The script decision is the one in ``normalize._matching._script.detect_script`` (majority of letters,
ties to Arabic). Rules are deterministic and need no model; they are meant for whole sentences
or documents, not single words (a one-word Arabic-script name may have no distinguishing letter
and then counts as Arabic).
"""

from __future__ import annotations

import re
import unicodedata

from normalize._matching._script import detect_script

__all__ = ["KURMANJI_LETTERS", "LANGUAGES", "detect_language", "is_kurdish"]

LANGUAGES = ("ar", "ckb", "fa", "kmr", "en", "und")

# ڤ is also used for Kurdish /v/; ھ (heh doachashmee) is the Sorani h and almost never Arabic.
_SORANI = frozenset("ێۆڵڕەۊھ")
_PERSIAN = frozenset("پچژگکی")
_ARABIC_ONLY = frozenset("ةيكىئؤـ")
KURMANJI_LETTERS = frozenset("êîûçşÊÎÛÇŞ")
_TURKISH_LETTERS = frozenset("ığöüİĞÖÜ")
_KURMANJI_WORDS = frozenset((
    "û", "li", "ji", "di", "bi", "ku", "ew", "ev", "jî", "de", "da", "re", "tê", "ye", "bû", "hat", "kir",
    "dike", "dikin", "wê", "wî", "me", "we", "wan", "ne", "heye"))
_ENGLISH_WORDS = frozenset((
    "the", "of", "and", "to", "in", "is", "was", "for", "on", "with", "that", "by", "at", "from", "as",
    "are", "were", "be", "has", "have", "it", "this", "an"))
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Language code of ``text``: ``"ar"``, ``"ckb"``, ``"fa"``, ``"kmr"``, ``"en"`` or ``"und"``.

    See the module docstring for the rules.
    """
    # NFKC folds Arabic presentation forms (FB50-FEFF) onto the base letters the sets hold.
    text = unicodedata.normalize("NFKC", text)
    script = detect_script(text)
    if script == "Arab":
        return _arabic_script_language(text)
    if script == "Latn":
        return _latin_script_language(text)
    return "und"


def is_kurdish(text: str, lang: str = "") -> bool:
    """Whether a name is written in Kurdish: tagged ``ckb``/``kmr``, or detected as Sorani or Kurmanji."""
    if lang in ("ckb", "kmr"):
        return True
    if text.isascii():
        # No Sorani, Turkish or Kurmanji letter is ASCII (and NFKC keeps ASCII as it is): of the rules, only the
        # function words can make ASCII text Kurmanji. Every query asks this, so it skips the letter scans.
        return _kurmanji_words_outnumber(text)
    return detect_language(text) in ("ckb", "kmr")


# The letter tests are set operations and counts over ``map`` (they run in C; every query of the resolver asks
# is_kurdish), the same answers as a generator step per character.
def _arabic_script_language(text: str) -> str:
    if not _SORANI.isdisjoint(text):
        return "ckb"
    persian = sum(map(_PERSIAN.__contains__, text))
    arabic = sum(map(_ARABIC_ONLY.__contains__, text))
    return "fa" if persian > arabic else "ar"


def _latin_script_language(text: str) -> str:
    if not _TURKISH_LETTERS.isdisjoint(text):
        return "en"
    if not KURMANJI_LETTERS.isdisjoint(text):
        return "kmr"
    return "kmr" if _kurmanji_words_outnumber(text) else "en"


def _kurmanji_words_outnumber(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in _KURMANJI_WORDS for w in words) > sum(w in _ENGLISH_WORDS for w in words)
