"""Names of an actor that its written names imply: initials (``Hêzên Parastina Gel`` → HPG, ``قوات سوريا
الديمقراطية`` → قسد) and the name without its generic head word (``منظمة بدر`` → بدر, ``Gorran Movement`` →
Gorran).

News writes actors by abbreviations and short names far more often than gazetteers list them; most of them
follow from a listed full name by two regular rules, so the actor gazetteer derives them instead of hoping a
curator typed each one. Derived names carry the language tag :data:`DERIVED` so that they can be told apart
(and are derived again, from the names that remain, whenever a gazetteer is built from edited entries: the
actor benchmark withholds a name and its derivations with it). A derived name another actor also has, by
listing or by derivation, is dropped: it names no one actor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from normalize._gazetteer._entry import Entry, Name
from normalize._matching._folding import fold

__all__ = ["DERIVED", "derive_names", "with_derived_names"]

#: BCP 47 private-use tag of a derived name.
DERIVED = "und-x-derived"

# Words that do not give a letter to an abbreviation: articles, prepositions, conjunctions and the Kurmanji
# izafe particles ("Partiya Demokrat a Kurdistanê" is PDK; "Islamic State of Iraq and Syria" is ISIS).
_SKIP_LATIN = frozenset({"a", "al", "and", "at", "d", "de", "e", "el", "for", "fi", "i", "in", "of", "the", "to",
                         "u", "ve", "wa", "ya", "yê", "ê", "û"})
_SKIP_ARABIC = frozenset({"في", "من", "و", "ل", "لل", "على", "ی"})
# Three letters at least: two-letter initials (IS, FP) collide with too much ordinary text to be derived.
_MIN_INITIALS = 3
# Generic head words a name is written with or without ("قوات بدر", "منظمة بدر" and "Badr" are one militia).
# Only words that say what kind of body it is, never the distinctive head ("Army" in "Iraqi Army" stays;
# "Force" stays: "Quds Force" is not "Quds", Jerusalem).
_GENERIC_LEADING = frozenset({
    # Arabic
    "قوات", "منظمة", "حركة", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "فصائل", "فصيل", "تنظيم",
    # Sorani
    "هێزەکانی", "هێزی", "ڕێکخراوی", "بزووتنەوەی", "میلیشیای", "میلیشیاکانی",
    # Persian
    "نیروهای", "سازمان", "جنبش", "شبه‌نظامیان",
    # Kurmanji
    "hêzên", "hêza", "rêxistina", "tevgera", "mîlîsên",
})
_GENERIC_TRAILING = frozenset({
    # English
    "forces", "organization", "organisation", "movement", "militia", "militias", "brigades", "corps",
    # Turkish
    "güçleri", "örgütü", "hareketi", "milisleri",
})
# The folded forms: names and queries are compared folded.
_LEADING = frozenset(fold(w) for w in _GENERIC_LEADING)
_TRAILING = frozenset(fold(w) for w in _GENERIC_TRAILING)
_SKIP = frozenset(fold(w) for w in _SKIP_LATIN | _SKIP_ARABIC)
_MIN_CORE_WORDS = 2
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _arabic_initial(word: str) -> str:
    """The letter an Arabic-script word gives an abbreviation: after a conjunction و and the article ال."""
    if len(word) > 3 and word.startswith("وال"):
        word = word[3:]
    elif len(word) > 2 and word.startswith("ال"):
        word = word[2:]
    return word[0]


def initials(text: str) -> str | None:
    """The abbreviation a name's initials spell (folded), or ``None`` for a name of fewer than three words that
    count. ``al-Haq`` gives its ``H``; a word already in capitals (``PKK``) stops the rule: the name holds an
    abbreviation, and its initials are no name anyone writes."""
    words = _WORD.findall(text.replace("-", " "))
    letters = []
    for word in words:
        if word.isupper() and len(word) > 1:
            return None
        folded = fold(word)
        if not folded or folded in _SKIP:
            continue
        letters.append(_arabic_initial(folded) if "\u0600" <= folded[0] <= "\u06ff" else folded[0])
    if len(letters) < _MIN_INITIALS:
        return None
    return "".join(letters)


def core(text: str) -> str | None:
    """The name without a generic head word (folded), or ``None`` where it has none or too little is left."""
    words = fold(text).split()
    if len(words) < 2:
        return None
    if words[0] in _LEADING:
        rest = words[1:]
    elif words[-1] in _TRAILING:
        rest = words[:-1]
    else:
        return None
    if rest and rest[0] in ("al", "the"):
        rest = rest[1:]
    # One word left is too often a word of its own, a people or a place ("Turkmen", "Babylon", "تركيه" of
    # "القوات التركية"): only a core of two words or more is derived.
    if len(rest) < _MIN_CORE_WORDS:
        return None
    return " ".join(rest)


def derive_names(entry: Entry) -> tuple[Name, ...]:
    """The names ``entry``'s listed names imply, before the check against other actors."""
    listed = [n for n in entry.names if n.lang != DERIVED]
    keys = {fold(n.text).replace(" ", "") for n in listed}
    out: dict[str, Name] = {}
    for name in listed:
        for derived in (initials(name.text), core(name.text)):
            if derived and derived.replace(" ", "") not in keys:
                out.setdefault(derived, Name(derived, DERIVED))
    return tuple(out.values())


def with_derived_names(entries: Iterable[Entry]) -> list[Entry]:
    """``entries`` with the names they imply added (and earlier derived names dropped), except a derived name
    that another entry has too."""
    plain = [Entry(e.id, e.name, e.kind, e.country, e.admin1, e.admin2, e.lat, e.lon, e.population,
                   tuple(n for n in e.names if n.lang != DERIVED), e.source) for e in entries]
    derived = [derive_names(e) for e in plain]
    owners: Counter[str] = Counter()
    for e, names in zip(plain, derived, strict=True):
        keys = {fold(n.text).replace(" ", "") for n in e.names} | {n.text.replace(" ", "") for n in names}
        owners.update(keys)
    out = []
    for e, names in zip(plain, derived, strict=True):
        unique = tuple(n for n in names if owners[n.text.replace(" ", "")] == 1)
        out.append(e.with_names(unique) if unique else e)
    return out
