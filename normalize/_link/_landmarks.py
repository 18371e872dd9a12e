"""Features named after a place — "Mosul Dam", "Lake Dukan", "Erbil airport", "the Ibrahim Khalil border
crossing", "مطار أربيل", "سد الموصل", "کەمپی دارەشەکران", "bendava Dukanê": the town's name inside a
feature's name is not a mention of the town. Such a span links only to a feature entry of the gazetteer (a dam,
a lake, a mountain range ...), and otherwise stays unlinked.

The words are folded as running text is (:func:`normalize._matching._folding.fold_text`): Latin ones stand
after the name ("Mosul Dam") or before it ("Lake Dukan", "Camp Speicher"), Arabic-script and Kurmanji ones
before it, with the ezafe (Sorani ـی, Kurmanji -a/-ê) folded into the word.
"""

from __future__ import annotations

from normalize._matching._folding import fold_arabic_word, tokens

__all__ = ["AFTER", "ARABIC_WORDS", "BEFORE", "LATIN_HEADS", "feature_agrees", "is_feature_kind"]


def _latin(text: str) -> frozenset[str]:
    return frozenset(" ".join(tokens(w.replace("_", " "))) for w in text.split())


#: Latin words after the name that make it a feature's name (two-word ones joined by "_").
AFTER = _latin("""
dam lake river camp airport airbase air_base base border_crossing crossing bridge mountain mountains valley
basin oilfield oil_field field refinery prison university stadium checkpoint port plain desert island
""")
_LATIN_BEFORE_SPELLINGS = """
lake mount camp river bendava bendav gola cemê çemê kampa kempa balafirgeha firokexaneya bingeha deriyê pira
çiyayê çiyayên zanîngeha girtîgeha newala deşta
"""
#: Latin (English, Kurmanji with the ezafe) words before the name that make it a feature's name.
_LATIN_BEFORE = _latin(_LATIN_BEFORE_SPELLINGS)
#: The same as written in lower case, and folded: a word of running text compares with a plain ``lower()``.
LATIN_HEADS = frozenset(_LATIN_BEFORE_SPELLINGS.split()) | _LATIN_BEFORE
_ARABIC_SPELLINGS = """
سد بحيرة نهر مخيم معسكر مطار قاعدة معبر منفذ جسر جبل جبال وادي حقل مصفى سجن جامعة ملعب سيطرة ميناء سهل
بەنداوی بەنداوەکەی دەریاچەی ڕووباری چەمی کەمپی کامپی ئۆردوگای فڕۆکەخانەی بنکەی دەروازەی پردی چیای زانکۆی
زیندانی کێڵگەی دەشتی
بەنداڤا گۆلا چەمێ کەمپا فرۆکەخانەیا بنکەها دەرگەهێ پرا چیایێ زانکۆیا
"""
#: The Arabic-script feature words as written.
ARABIC_WORDS: tuple[str, ...] = tuple(_ARABIC_SPELLINGS.split())
# Each Sorani word also as the older orthography writes it (ە as ه: به‌نداوى).
_ARABIC_BEFORE = frozenset(fold_arabic_word(v) for w in _ARABIC_SPELLINGS.split() for v in {w, w.replace("ە", "ه")})
#: Folded words before the name (Latin and Arabic script).
BEFORE = _LATIN_BEFORE | _ARABIC_BEFORE

# Feature codes of what a town's name stands for (places and divisions): anything else is a feature.
_PLACE_KINDS = ("PPL", "ADM", "PCL")


def is_feature_kind(kind: str) -> bool:
    """Whether a feature code names a natural or built feature (MTS, LK, STM, DAM, AIRP ...), not a place."""
    return not kind.startswith(_PLACE_KINDS)


# The words that name a mountain or a range, folded like the others: "Lake Hamrin" and "سد حمرين" are a lake
# and a dam named after the Hamrin range, not the range, so a mountain entry takes only these words.
_MOUNTAIN_WORDS = _latin("mount mountain mountains çiyayê çiyayên") | frozenset(
    fold_arabic_word(w) for w in ("جبل", "جبال", "چیای", "چیایێ"))
# GeoNames codes of mountains, hills, ridges and peaks (class T, the relief features news names by range).
_MOUNTAIN_KINDS = frozenset({"MT", "MTS", "HLL", "HLLS", "RDG", "RDGE", "PK", "PKS"})


def feature_agrees(word: str, kind: str) -> bool:
    """Whether the feature word next to a name (folded, from :data:`BEFORE` or :data:`AFTER`) can name a feature
    of code ``kind``: a mountain entry only with a mountain word, any other feature only with another word."""
    return (word in _MOUNTAIN_WORDS) == (kind in _MOUNTAIN_KINDS)
