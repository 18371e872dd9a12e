"""Text normalisation for matching: one character fold from which every key and the running-text fold derive.

* :func:`fold_text` folds running text character by character with an offset map back to the original, so the
  linker finds gazetteer keys in a text and maps them back to its characters.
* :func:`tokens` are the words of that same fold (``tokens(s) == fold_text(s).folded.split()``, tested), so a
  gazetteer name and the same words in a text fold alike.
* :func:`analyse` / :func:`fold` — the matching key of a name: its tokens without articles and without a
  leading or trailing designator, whose level is kept as a hint (``"Qaḑā’ Kifrī"`` -> ``("kifri", "ADM2")``,
  ``"محافظة صلاح الدين"`` -> ``("صلاح دين", "ADM1")``). Designators come from :mod:`._designators`.
* :func:`compact` — the folded key without spaces, so ``Tuzkhurmatu`` meets ``Tuz Khurmatu``.
* :func:`skeleton` / :func:`phonetic` — script-neutral keys in Latin letters, so an Arabic-script query can meet
  a place whose gazetteer names are only Latin, and the reverse (``"طوز خورماتو"`` and ``"Tuz Khurmatu"`` both
  give the skeleton ``"tzxrmt"``).

The character fold: NFKC; invisible and bidi controls, apostrophes, ayn/hamza marks, combining marks,
tashkeel and tatweel deleted; Arabic-script letters through the Arabic letter fold below; other letters and
digits through unidecode, lower case; everything else a space. Then a doubled Arabic letter is one letter
(Arabic writes geminates with shadda, so doubles are Kurdish long vowels or typos), and a possessive
apostrophe ("Kirkuk's") ends the word. The older Sorani orthography writes the vowel ە inside a word as ه
followed by a zero-width non-joiner (``كه‌ركووك`` = ``کەرکووک``, ``هه‌ڵه‌بجه`` = ``هەڵەبجە``); that ه is the
vowel and is deleted as ە is. At the end of a word it is kept: Arabic spellings write a final vowel too
(``قره``, ``حلبجة``), so the older Sorani ending meets them; the linker also reads the text without it.
"""

from __future__ import annotations

import operator
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from normalize._cache import register_cache
from normalize._matching import _designators
from normalize._matching._script import ARABIC_RUN

__all__ = ["ARABIC_DESIGNATORS", "DESIGNATORS", "LATIN_DESIGNATORS", "NO_VOWEL_HEH_AFTER", "FoldedText", "analyse",
           "clean", "compact", "fold", "fold_arabic_word", "fold_text", "phonetic", "script_neutral_keys", "skeleton",
           "tokens"]

# --- The character fold -------------------------------------------------------------------------------------

# Zero-width and bidi controls, the Arabic letter mark and the soft hyphen carry no letters.
_INVISIBLE = frozenset(
    [0x00AD, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070)])

# Apostrophes, ayn and hamza marks used in romanisations: ‘ ’ ʿ ʾ ` ' ʻ ʼ ′ ´ (deleted, so Ba'quba = Baquba).
_APOSTROPHES = frozenset(map(ord, "'`´‘’‛ʹʻʼʽʾʿˈˊˋ′"))
# The Azerbaijani schwa, which unidecode turns into "@" (and so would split "mühafəzəsi" into three words).
_SCHWA = {"ə": "e", "Ə": "e"}

_ARABIC_LETTER_FOLD = str.maketrans({
    "آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ێ": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    # Sorani ە is a written short vowel, which Arabic spellings leave out: deleted.
    "ة": "ه", "ە": None, "ھ": "ه", "ۀ": "ه", "ہ": "ه",
    "ؤ": "و", "ۆ": "و", "ۇ": "و", "ۈ": "و", "ۋ": "و", "ۊ": "و",
    "ک": "ك", "گ": "ك", "ڭ": "ك",
    "ڵ": "ل", "ڕ": "ر", "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ڨ": "ق",
    "ء": None,
    # Arabic-Indic and Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
})


def _is_arabic_block(cp: int) -> bool:
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF


def _is_tashkeel(cp: int) -> bool:
    """Harakat, Quranic annotation marks, superscript alef and tatweel."""
    return 0x064B <= cp <= 0x065F or cp in (0x0670, 0x0640) or 0x06D6 <= cp <= 0x06ED


def fold_char(ch: str) -> str:
    """What one character folds to: ``""`` (deleted), ``" "`` (a word break), or one or more letters/digits."""
    cp = ord(ch)
    if cp in _INVISIBLE or cp in _APOSTROPHES:
        return ""
    if ch in _SCHWA:
        return _SCHWA[ch]
    if ch.isspace():
        return " "
    nfkc = unicodedata.normalize("NFKC", ch)
    if nfkc != ch:  # presentation forms, ligatures, full-width letters: fold what they stand for
        return "".join(fold_char(c) for c in nfkc)
    if _is_arabic_block(cp):
        if _is_tashkeel(cp):
            return ""
        out = ch.translate(_ARABIC_LETTER_FOLD)
        return out if out == "" or out.isalnum() else " "  # Arabic punctuation (، ؛ ؟) is a break
    if unicodedata.category(ch).startswith("M"):
        return ""  # combining marks of decomposed Latin letters
    if not ch.isalnum():
        return " "
    # unidecode may emit ' or ` for ayn/hamza (deleted), spaces between syllables (kept as breaks).
    out = unidecode(ch).lower()
    return "".join(c if c.isalnum() else "" if c in "'`" else " " for c in out)


class _CharTable:
    """``fold_char`` memoised per code point for ``str.translate``: at most :data:`_TABLE_LIMIT` code points are
    kept (an explicit, bounded cache, reset by ``normalize.clear_caches()``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            # One character per code point in the fast table: deleted ones as _DELETED, expansions apart.
            self.single: dict[int, str] = {}
            self.expanding: dict[int, str] = {}
            for i in range(128):
                self._store(i, fold_char(chr(i)))

    def _store(self, cp: int, out: str) -> None:
        if len(out) <= 1:
            self.single[cp] = out or _DELETED
        else:
            self.expanding[cp] = out
            self.single[cp] = _EXPANDED

    def table_for(self, text: str) -> dict[int, str]:
        single = self.single
        if text.isascii():  # every ASCII code point is in the table from the start (clear)
            return single
        missing = set(map(ord, text)).difference(single)  # in C, not a set comprehension
        if missing:
            with self._lock:
                if len(single) + len(missing) > _TABLE_LIMIT:
                    # A pathological text with very many distinct characters: a private table for this call.
                    return {**single, **{cp: (fold_char(chr(cp)) or _DELETED)[:1] for cp in missing}}
                for cp in missing:
                    self._store(cp, fold_char(chr(cp)))
        return single


_DELETED = "\x00"
_EXPANDED = "\x01"
# Enough for every script a news archive uses many times over; beyond it folding still works, uncached.
_TABLE_LIMIT = 1 << 16
_TABLE = _CharTable()
register_cache("normalize._matching._folding.char_table", _TABLE.clear)

# An English possessive ("Kirkuk's") ends the name: its apostrophe is a break, not a deletion. Three letters
# before it, so "Ra's al-Ain" keeps its ra's.
# The apostrophe comes first in the pattern so the scan looks for it, not for three letters at every position.
_POSSESSIVE = re.compile(r"['’](?<=\w\w\w['’])(?=s\b)")
_ARABIC_REPEAT = re.compile(r"(?<=([\u0621-\u064a]))\1+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_SPACE_RUN = re.compile(r"(?<= ) +")
#: The letter after which ه is never the older Sorani orthography's vowel ە, whether a ZWNJ marks it (the fold) or
#: not (the resolver's and the linker's second readings): no Kurdish word writes ە after ا, so there ه is the
#: consonant h (Persian شاه‌آباد Shah-abad, Arabic and Persian لاهور Lahore).
NO_VOWEL_HEH_AFTER = "\u0627"
# The older Sorani ە inside a word: ه, a zero-width non-joiner, then another letter of the word.
_ZWNJ = "\u200c"
_OLD_SORANI_VOWEL = re.compile(f"(?<=[\u0620-\u06ff])(?<!{NO_VOWEL_HEH_AFTER})\u0647(?=\u200c[\u0620-\u06ff])")
_DELETED_RUN = re.compile("\x00+")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """``folded`` text and, when characters were deleted or expanded, ``offsets[i]`` = index in ``original``
    of the character ``folded[i]`` came from (``None`` when the fold kept every position)."""

    original: str
    folded: str
    offsets: tuple[int, ...] | None

    def start(self, i: int) -> int:
        """Original offset of folded position ``i`` (the start of a match)."""
        return i if self.offsets is None else self.offsets[i]

    def end(self, j: int) -> int:
        """Original offset just after folded position ``j - 1`` (the end of a match)."""
        if self.offsets is None:
            return j
        last = self.offsets[j - 1]
        # Characters deleted right after the last kept one (combining marks, tashkeel) belong to it.
        nxt = self.offsets[j] if j < len(self.offsets) else len(self.original)
        end = last + 1
        kept = self.original[last]
        while end < nxt and (_absorbed(self.original[end]) or self.original[end] == kept):
            end += 1  # marks and the collapsed repeats of the last letter (دووزخورماتوو) stay with it
        return end


def _absorbed(ch: str) -> bool:
    """Whether a deleted character after a match belongs to the matched word: combining marks, tashkeel,
    tatweel, format controls and the hamza (جلولاء), but not apostrophes or Sorani ە (a suffix there)."""
    return ch == "\u0621" or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf") or ch == "\u0640"


def _fold_chars(text: str) -> str:
    """The steps of the fold that keep every position (1:1 with ``text``): the character table, the possessive
    apostrophe as a break, the older Sorani vowel marked for deletion. The deletions and expansions follow, with
    or without the offset map (:func:`fold_text`, :func:`_fold_string`)."""
    folded = text.translate(_TABLE.table_for(text))
    if "'" in text or "’" in text:
        cuts = [m.start() for m in _POSSESSIVE.finditer(text)]
        if cuts:  # the fold is 1:1 here, so the apostrophe's index in text is its index in folded
            chars = list(folded)
            for at in cuts:
                chars[at] = " "
            folded = "".join(chars)
    if _ZWNJ in text:
        folded = _old_sorani_vowels(text, folded)
    return folded


def fold_text(text: str) -> FoldedText:
    """Fold ``text`` character by character (see the module docs), with the offset map."""
    folded = _fold_chars(text)
    offsets: list[int] | None = None
    if _EXPANDED in folded:
        offsets, folded = _expand(folded, text)
    if _DELETED in folded:
        offsets, folded = _delete(folded, _DELETED_RUN, offsets)
    # Only text with Arabic letters can have their repeats (a scan for one letter is cheaper than the pattern's).
    if _ARABIC_LETTER.search(folded) is not None and _ARABIC_REPEAT.search(folded) is not None:
        offsets, folded = _delete(folded, _ARABIC_REPEAT, offsets)
    if _SPACE_RUN.search(folded) is not None:
        offsets, folded = _delete(folded, _SPACE_RUN, offsets)
    return FoldedText(text, folded, None if offsets is None else tuple(offsets))


def _fold_string(text: str) -> str:
    """``fold_text(text).folded`` without the offset map: the same steps, with each deletion a plain ``sub``
    (a pattern's matches are the spans :func:`_delete` cuts). Keys need only the string, and most of the cost
    of a deletion in :func:`fold_text` is the map."""
    folded = _fold_chars(text)
    if _EXPANDED in folded:
        folded = _expand(folded, text)[1]
    if _DELETED in folded:
        folded = folded.replace(_DELETED, "")
    if _ARABIC_LETTER.search(folded) is not None and _ARABIC_REPEAT.search(folded) is not None:
        folded = _ARABIC_REPEAT.sub("", folded)
    if _SPACE_RUN.search(folded) is not None:
        folded = _SPACE_RUN.sub("", folded)
    return folded


def _old_sorani_vowels(text: str, folded: str) -> str:
    """``folded`` with the older orthography's vowel ه deleted (module docs); the fold is 1:1 at this step, so an
    index in ``text`` is the same index in ``folded``."""
    cuts = [m.start() for m in _OLD_SORANI_VOWEL.finditer(text)]
    if not cuts:
        return folded
    chars = list(folded)
    for at in cuts:
        chars[at] = _DELETED
    return "".join(chars)


def _expand(folded: str, text: str) -> tuple[list[int], str]:
    """Replace each expansion marker by the characters it stands for (ß -> ss), every one mapped to the
    original character."""
    pieces: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(folded):
        if ch == _EXPANDED:
            out = _TABLE.expanding.get(ord(text[i])) or fold_char(text[i])
            pieces.append(out)
            offsets.extend([i] * len(out))
        else:
            pieces.append(ch)
            offsets.append(i)
    return offsets, "".join(pieces)


def _delete(folded: str, pattern: re.Pattern[str], offsets: list[int] | None) -> tuple[list[int], str]:
    """``folded`` without the matches of ``pattern``, and the original index of each kept character (through
    ``offsets``, the map of an earlier step). Works run by run, so the cost is per deletion, not per character."""
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for m in pattern.finditer(folded):
        s, e = m.span()
        if s > last:
            pieces.append(folded[last:s])
            kept.extend(range(last, s) if offsets is None else offsets[last:s])
        last = e
    pieces.append(folded[last:])
    kept.extend(range(last, len(folded)) if offsets is None else offsets[last:])
    return kept, "".join(pieces)


def clean(text: str) -> str:
    """NFKC without invisible controls: how a spelling compares as written (``why == "exact"``)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ord(ch) not in _INVISIBLE).strip()


def tokens(text: str) -> list[str]:
    """The words of ``text`` after the character fold (articles and designators still in)."""
    return _fold_string(text).split()


def fold_arabic_word(word: str) -> str:
    """An Arabic-script word folded as a name is (letter fold, no ە, no doubled letters, no tashkeel)."""
    return "".join(tokens(word))


# --- Articles and designators --------------------------------------------------------------------------------

# Romanised Arabic article, with sun-letter assimilation (ad-, as-, ash-, ...), as a separate token.
_LATIN_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "es", "et", "en", "er",
     "ez", "the", "du"})

#: Folded Latin designator -> the level it asks for (see :mod:`._designators`).
LATIN_DESIGNATORS: dict[str, str] = {"".join(tokens(k)): v for k, v in _designators.LATIN_SPELLINGS.items()}
#: Folded Arabic-script designator -> level.
ARABIC_DESIGNATORS: dict[str, str] = {fold_arabic_word(k): v for k, v in _designators.ARABIC_SPELLINGS.items()}
#: Every folded designator -> level.
DESIGNATORS: dict[str, str] = {**LATIN_DESIGNATORS, **ARABIC_DESIGNATORS}
# Words that join a designator to the name: "Governorate of X"; Persian ezafe "Shahrestan-e X".
_JOINERS = frozenset({"of", "e", "ye", "i"})


_MADDA_WORD = re.compile("\u0622\u0644[\u0620-\u06ff\u200c]*")


def _strip_arabic_article(tok: str) -> str:
    if tok.startswith("ال") and len(tok) > 3:
        return tok[2:]
    return tok


def _join_subdistrict(toks: list[str]) -> list[str]:
    """"sub district" / "sub-district" is one designator."""
    if "sub" not in toks:
        return toks
    out: list[str] = []
    for t in toks:
        if t == "district" and out and out[-1] == "sub":
            out[-1] = "subdistrict"
        else:
            out.append(t)
    return out


@lru_cache(maxsize=1 << 16)
def analyse(text: str) -> tuple[str, str]:
    """``(folded key, designator level)``; the level is a feature code (``"ADM2"`` for "Kifri District") or ``""``.

    Designators are removed only at the start or end of the name (and never when they are the whole name), so
    ``"New City Road"`` keeps its ``city``. Articles are removed wherever they stand as tokens.
    """
    toks = _join_subdistrict(tokens(text))
    hint = ""
    if len(toks) > 2 and toks[0] == "the" and toks[1] in DESIGNATORS:
        toks = toks[1:]  # "the city of Kirkuk", "the district of Daquq"
    while len(toks) > 1 and toks[0] in DESIGNATORS:
        hint = hint or DESIGNATORS[toks[0]]
        toks = toks[1:]
        if len(toks) > 1 and toks[0] in _JOINERS:
            toks = toks[1:]
    while len(toks) > 1 and toks[-1] in DESIGNATORS:
        hint = hint or DESIGNATORS[toks[-1]]
        toks = toks[:-1]
    kept = [t for t in toks if t not in _LATIN_ARTICLES] if len(toks) > 1 else toks
    if "آ" in text:
        # آل is not the article: a word written with alef madda (Persian آلمان Germany, آلتون کوپری) keeps
        # its first letters, which the fold turns into ال.
        madda = {fold_arabic_word(w) for w in _MADDA_WORD.findall(text)}
        kept = [t if t in madda else _strip_arabic_article(t) for t in kept]
    else:  # _strip_arabic_article inline: a call per token is most of this step's cost
        kept = [t[2:] if len(t) > 3 and t.startswith("ال") else t for t in kept]
    return " ".join([t for t in kept if t]), hint


register_cache("normalize._matching._folding.analyse", analyse.cache_clear)


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
# The digraphs ending in h, which a word without an h skips at once (the others follow them in the order).
_H_DIGRAPHS = tuple(d for d in _LATIN_DIGRAPHS if d[0].endswith("h"))
_OTHER_DIGRAPHS = tuple(d for d in _LATIN_DIGRAPHS if not d[0].endswith("h"))
assert _LATIN_DIGRAPHS == _H_DIGRAPHS + _OTHER_DIGRAPHS  # skipping the h group must not reorder the rules
_REPEAT = re.compile(r"(.)\1+")
# The replacement of _REPEAT as a C-level callable: a "\1" template sends every sub() through re's
# Python-level template code.
_FIRST_OF_RUN = operator.itemgetter(1)
# Anything but a-z, which the script-neutral keys drop (one C-level pass instead of a test per character).
_NOT_A_TO_Z = re.compile("[^a-z]+")


def _latin_digraphs(word: str, others: tuple[tuple[str, str], ...]) -> str:
    """``word`` through :data:`_H_DIGRAPHS` (only when it has an h) and then ``others``, in order."""
    if "h" in word:
        for a, b in _H_DIGRAPHS:
            word = word.replace(a, b)
    for a, b in others:
        word = word.replace(a, b)
    return word


def _skeleton_word(word: str, arabic: bool) -> str:
    if arabic:
        out = word.translate(_ARABIC_CLASS)
    else:
        word = _latin_digraphs(word, _OTHER_DIGRAPHS)
        # Doubled letters are collapsed before vowels go, so Tappa = Tapa but Jalawla keeps both l's (as
        # جلولا does, whose doubled letters the Arabic fold already collapsed).
        out = _REPEAT.sub(_FIRST_OF_RUN, word).translate(_LATIN_CLASS)
    # A word-final h is the ta marbuta / -eh ending (-a, -ah, -e in Latin) or a final ح that romanisations
    # often drop; dropping it on both sides keeps Basrah/Basra/البصرة and Salah/صلاح together.
    return out[:-1] if len(out) > 1 and out.endswith("h") else out


def skeleton(folded: str) -> str:
    """Script-neutral consonant skeleton of a *folded* key (output of :func:`fold`); may be ``""``."""
    out = "".join(_skeleton_word(w, ARABIC_RUN.match(w) is not None) for w in folded.split(" ") if w)
    return _NOT_A_TO_Z.sub("", out)


def script_neutral_keys(folded: str) -> tuple[str, str]:
    """``(skeleton(folded), phonetic(folded))``, splitting ``folded`` and telling each word's script once."""
    skeletons: list[str] = []
    phonetics: list[str] = []
    for w in folded.split(" "):
        if w:
            arabic = ARABIC_RUN.match(w) is not None
            skeletons.append(_skeleton_word(w, arabic))
            phonetics.append(_phonetic_word(w, arabic))
    return _NOT_A_TO_Z.sub("", "".join(skeletons)), "".join(phonetics)


# --- Phonetic key ------------------------------------------------------------------------------------------

# Like the skeleton, but vowels are kept as three classes (a, i, u): Arabic script writes only long vowels
# (ا و ي), romanisations write all of them, so comparing these keys with an insert/delete distance rewards a
# Latin spelling whose vowels agree with the Arabic long vowels (برما ~ Burma, not Beyram).
_LATIN_PHONETIC = str.maketrans({
    "a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u", "v": "u", "'": None,
    "q": "k", "g": "k", "c": "j", "p": "b",
})
_ARABIC_PHONETIC = str.maketrans({**{k: v for k, v in _ARABIC_CLASS_TABLE.items()}, "ا": "a", "و": "u", "ي": "i"})
_PHONETIC_VOWEL_DIGRAPHS = (("ou", "u"), ("ee", "i"), ("oo", "u"))
_LATIN_PHONETIC_DIGRAPHS = (*_PHONETIC_VOWEL_DIGRAPHS, *_LATIN_DIGRAPHS)


def _phonetic_word(word: str, arabic: bool) -> str:
    if arabic:
        if len(word) > 1 and word.endswith("ه"):
            word = word[:-1] + "ا"
        out = word.translate(_ARABIC_PHONETIC)
    else:
        if len(word) > 2 and word.endswith("h") and word[-2] in "aeiou":
            word = word[:-1]
        # _LATIN_PHONETIC_DIGRAPHS in order: the vowel digraphs, then the skeleton's
        for a, b in _PHONETIC_VOWEL_DIGRAPHS:
            word = word.replace(a, b)
        word = _latin_digraphs(word, _OTHER_DIGRAPHS)
        out = _REPEAT.sub(_FIRST_OF_RUN, word).translate(_LATIN_PHONETIC)
    return _REPEAT.sub(_FIRST_OF_RUN, _NOT_A_TO_Z.sub("", out))


def phonetic(folded: str) -> str:
    """Script-neutral key with consonant classes and a/i/u vowel classes, of a *folded* key; may be ``""``."""
    return "".join(_phonetic_word(w, ARABIC_RUN.match(w) is not None) for w in folded.split(" ") if w)
