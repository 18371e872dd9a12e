"""Text normalisation for matching: folding of Latin and Arabic-script spellings to comparable keys.

Three keys come out of one spelling:

* :func:`fold` — the spelling in its own script, with case, diacritics, apostrophes, hamza seats, alef forms,
  Persian/Kurdish letters, articles and designators folded away (``"Qaḑā’ Kifrī"`` -> ``"kifri"``,
  ``"محافظة صلاح الدين"`` -> ``"صلاح دين"``).
* :func:`compact` — the folded key without spaces, so ``Tuzkhurmatu`` meets ``Tuz Khurmatu``.
* :func:`skeleton` — a script-neutral consonant skeleton in Latin letters, so an Arabic-script query can meet a
  place whose gazetteer names are only Latin, and the reverse (``"طوز خورماتو"`` and ``"Tuz Khurmatu"`` both
  give ``"tzxrmt"``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

from normalize._matching._script import ARABIC_RUN

# --- Unicode clean-up -------------------------------------------------------------------------------------

# Zero-width and bidi controls, the Arabic letter mark and the soft hyphen carry no letters.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070)])

# Apostrophes, ayn and hamza marks used in romanisations: ‘ ’ ʿ ʾ ` ' ʻ ʼ ′ ´. The Azerbaijani schwa is
# mapped here too, because unidecode turns it into "@" (and so splits "mühafəzəsi" into three tokens).
_APOSTROPHES = {**dict.fromkeys(map(ord, "'`´‘’‛ʹʻʼʽʾʿˈˊˋ′")), ord("ə"): "e", ord("Ə"): "E"}

# --- Arabic script -----------------------------------------------------------------------------------------

_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, Quranic marks, tatweel

_ARABIC_LETTER_FOLD = str.maketrans({
    "آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ێ": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    "ة": "ه", "ە": None, "ھ": "ه", "ۀ": "ه", "ہ": "ه",
    "ؤ": "و", "ۆ": "و", "ۇ": "و", "ۈ": "و", "ۋ": "و", "ۊ": "و",
    "ک": "ك", "گ": "ك", "ڭ": "ك",
    "ڵ": "ل", "ڕ": "ر", "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ڨ": "ق",
    "ء": None,
    "،": " ", "؛": " ", "؟": " ", "٬": " ", "٫": ".",
    # Arabic-Indic and Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
})

# --- Articles and designators ------------------------------------------------------------------------------

# Romanised Arabic article, with sun-letter assimilation (ad-, as-, ash-, ...), as a separate token.
_LATIN_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "es", "et", "en", "er",
     "ez", "the", "du"})
_LATIN_JOINED_ARTICLE = re.compile(r"\b(?:al|el)-(?=\w)")

# Designator -> the feature code it hints at. Compared after folding, so the keys are folded spellings.
LATIN_DESIGNATORS: dict[str, str] = {
    "governorate": "ADM1", "province": "ADM1", "muhafazat": "ADM1", "muhafaza": "ADM1", "muhafazah": "ADM1",
    "mohafazat": "ADM1", "ostan": "ADM1", "region": "ADM1", "wilayat": "ADM1", "il": "ADM1",
    "district": "ADM2", "qada": "ADM2", "qadha": "ADM2", "qadaa": "ADM2", "kaza": "ADM2", "qaza": "ADM2",
    "qadhaa": "ADM2", "shahrestan": "ADM2", "county": "ADM2", "ilcesi": "ADM2", "mantiqa": "ADM2",
    "subdistrict": "ADM3", "nahiya": "ADM3", "nahiyah": "ADM3", "nahia": "ADM3", "nahiyat": "ADM3",
    "nahiyeh": "ADM3", "bakhsh": "ADM3", "dehestan": "ADM3", "liwa": "ADM2", "kada": "ADM2", "caza": "ADM2",
    "city": "PPL", "town": "PPL", "village": "PPL", "qarya": "PPL", "qaryat": "PPL", "karyat": "PPL",
    # Turkish and Azerbaijani forms that GeoNames alternate names carry ("Bolu İli", "Bağdad mühafəzəsi").
    "ili": "ADM1", "muhafezesi": "ADM1", "vilayeti": "ADM1", "ostani": "ADM1", "rayonu": "ADM2",
}
_LATIN_MULTIWORD = re.compile(r"\bsub[ -]district\b")

# Arabic, Persian and Sorani designators, folded with the Arabic letter fold above (پارێزگای -> باريزكاي).
_ARABIC_DESIGNATOR_SPELLINGS: dict[str, str] = {
    "محافظة": "ADM1", "محافظه": "ADM1", "استان": "ADM1", "پارێزگای": "ADM1", "پارێزگا": "ADM1", "ولاية": "ADM1",
    "قضاء": "ADM2", "قضا": "ADM2", "شهرستان": "ADM2", "قەزای": "ADM2", "قەزا": "ADM2", "منطقة": "ADM2",
    "لواء": "ADM2", "دهستان": "ADM3",
    "ناحية": "ADM3", "ناحیه": "ADM3", "ناحیەی": "ADM3", "ناحیە": "ADM3", "بخش": "ADM3",
    "مدينة": "PPL", "قرية": "PPL", "شاری": "PPL", "گوندی": "PPL", "روستای": "PPL", "شارۆچکەی": "PPL",
}


def _fold_arabic_letters(text: str) -> str:
    text = _TASHKEEL.sub("", text).translate(_ARABIC_LETTER_FOLD)
    # Arabic writes geminates with shadda, not doubled letters, so a doubled letter is a Kurdish long vowel
    # (وو, یی) or a typo: collapse it. Sorani ە (a written short vowel) was deleted above for the same
    # reason: Arabic spellings leave short vowels out.
    return re.sub(r"([\u0621-\u064a])\1+", r"\1", text)


ARABIC_DESIGNATORS: dict[str, str] = {_fold_arabic_letters(k): v for k, v in _ARABIC_DESIGNATOR_SPELLINGS.items()}
ALL_DESIGNATORS: dict[str, str] = {**LATIN_DESIGNATORS, **ARABIC_DESIGNATORS}

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]|_")


def clean(text: str) -> str:
    """NFKC with invisible controls removed; the common first step of every key."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def _transliterate_non_arabic(text: str) -> str:
    """unidecode for everything except Arabic-script runs, which are folded natively."""
    if text.isascii():
        return text
    parts = ARABIC_RUN.split(text)
    # re.split with a capturing-free pattern drops the separators, so interleave them back.
    runs = ARABIC_RUN.findall(text)
    out = [unidecode(parts[0])]
    for run, rest in zip(runs, parts[1:], strict=True):
        out.append(run)
        out.append(unidecode(rest))
    return "".join(out)


def tokens(text: str) -> list[str]:
    """Folded tokens of ``text`` before articles and designators are removed."""
    text = clean(text).translate(_APOSTROPHES)
    text = _fold_arabic_letters(_transliterate_non_arabic(text))
    text = text.translate(_APOSTROPHES).lower()  # unidecode may emit ' or ` for ayn/hamza
    text = _LATIN_MULTIWORD.sub("subdistrict", text)
    text = _LATIN_JOINED_ARTICLE.sub("", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip().split(" ") if text.strip() else []


def _strip_arabic_article(tok: str) -> str:
    if tok.startswith("ال") and len(tok) > 3:
        return tok[2:]
    return tok


@lru_cache(maxsize=65536)
def analyse(text: str) -> tuple[str, str]:
    """``(folded key, designator hint)``; the hint is a feature code (``"ADM2"`` for "Kifri District") or ``""``.

    Designators are removed only at the start or end of the name (and never when they are the whole name), so
    ``"New City Road"`` keeps its ``city``. Articles are removed wherever they stand as tokens.
    """
    toks = tokens(text)
    hint = ""
    # Leading "Governorate of", "محافظة", "Qada'" ... and trailing "District", "Governorate" ...
    while len(toks) > 1 and toks[0] in ALL_DESIGNATORS:
        hint = hint or ALL_DESIGNATORS[toks[0]]
        toks = toks[1:]
        # "Governorate of X"; Persian ezafe "Shahrestan-e X", "Bakhsh-e X".
        if len(toks) > 1 and toks[0] in ("of", "e", "ye", "i"):
            toks = toks[1:]
    while len(toks) > 1 and toks[-1] in ALL_DESIGNATORS:
        hint = hint or ALL_DESIGNATORS[toks[-1]]
        toks = toks[:-1]
    kept = [t for t in toks if t not in _LATIN_ARTICLES] if len(toks) > 1 else toks
    kept = [_strip_arabic_article(t) for t in kept]
    return " ".join(t for t in kept if t), hint


def fold(text: str) -> str:
    """The folded matching key of ``text`` in its own script (see module docs); ``""`` for no letters."""
    return analyse(text)[0]


def compact(folded: str) -> str:
    """A folded key without spaces."""
    return folded.replace(" ", "")


# --- Consonant skeleton --------------------------------------------------------------------------------

# Latin digraphs first (kh -> x, sh -> s ...), then single letters to consonant classes; vowels, w, y and
# v (Persian/Turkish romanisations write و as v) are dropped, as are Arabic long-vowel letters and ayn.
_LATIN_DIGRAPHS = (("kh", "x"), ("gh", "k"), ("sh", "s"), ("ch", "j"), ("th", "t"), ("dh", "d"), ("zh", "z"),
                   ("ph", "f"), ("ou", "u"), ("dj", "j"))
_LATIN_CLASS = str.maketrans({
    "a": None, "e": None, "i": None, "o": None, "u": None, "y": None, "w": None, "v": None, "'": None,
    "q": "k", "g": "k", "c": "j", "p": "b",
})
_ARABIC_CLASS_TABLE: dict[str, str | None] = {
    "ع": None,
    "ب": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "j", "ح": "h", "ه": "h", "خ": "x",
    "د": "d", "ذ": "d", "ض": "d", "ر": "r", "ز": "z", "ظ": "z", "س": "s", "ص": "s", "ش": "s",
    "ف": "f", "ق": "k", "ك": "k", "غ": "k", "ل": "l", "م": "m", "ن": "n",
}
_ARABIC_CLASS = str.maketrans({**_ARABIC_CLASS_TABLE, "ا": None, "و": None, "ي": None})
_REPEAT = re.compile(r"(.)\1+")


def _skeleton_word(word: str) -> str:
    if ARABIC_RUN.match(word):
        out = word.translate(_ARABIC_CLASS)
    else:
        for a, b in _LATIN_DIGRAPHS:
            word = word.replace(a, b)
        # Doubled letters are collapsed before vowels go, so Tappa = Tapa but Jalawla keeps both l's (as
        # جلولا does, whose doubled letters the Arabic fold already collapsed).
        out = _REPEAT.sub(r"\1", word).translate(_LATIN_CLASS)
    # A word-final h is the ta marbuta / -eh ending (-a, -ah, -e in Latin) or a final ح that romanisations
    # often drop; dropping it on both sides keeps Basrah/Basra/البصرة and Salah/صلاح together.
    return out[:-1] if len(out) > 1 and out.endswith("h") else out


def skeleton(folded: str) -> str:
    """Script-neutral consonant skeleton of a *folded* key (output of :func:`fold`); may be ``""``."""
    out = "".join(_skeleton_word(w) for w in folded.split(" ") if w)
    return "".join(ch for ch in out if "a" <= ch <= "z")


# --- Phonetic key ------------------------------------------------------------------------------------------

# Like the skeleton, but vowels are kept as three classes (a, i, u): Arabic script writes only long vowels
# (ا و ي), romanisations write all of them, so comparing these keys with an insert/delete distance rewards a
# Latin spelling whose vowels agree with the Arabic long vowels (برما ~ Burma, not Beyram).
_LATIN_PHONETIC = str.maketrans({
    "a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u", "v": "u", "'": None,
    "q": "k", "g": "k", "c": "j", "p": "b",
})
_ARABIC_PHONETIC = str.maketrans({**{k: v for k, v in _ARABIC_CLASS_TABLE.items()}, "ا": "a", "و": "u", "ي": "i"})
_LATIN_PHONETIC_DIGRAPHS = (("ou", "u"), ("ee", "i"), ("oo", "u"), *_LATIN_DIGRAPHS)


def _phonetic_word(word: str) -> str:
    if ARABIC_RUN.match(word):
        if len(word) > 1 and word.endswith("ه"):
            word = word[:-1] + "ا"
        out = word.translate(_ARABIC_PHONETIC)
    else:
        if len(word) > 2 and word.endswith("h") and word[-2] in "aeiou":
            word = word[:-1]
        for a, b in _LATIN_PHONETIC_DIGRAPHS:
            word = word.replace(a, b)
        out = _REPEAT.sub(r"\1", word).translate(_LATIN_PHONETIC)
    return _REPEAT.sub(r"\1", "".join(ch for ch in out if "a" <= ch <= "z"))


def phonetic(folded: str) -> str:
    """Script-neutral key with consonant classes and a/i/u vowel classes, of a *folded* key; may be ``""``."""
    return "".join(_phonetic_word(w) for w in folded.split(" ") if w)
