"""A query after analysis: its script, the level its designator asks for, and the keys it is looked up by.

Besides the name as written, a query may have *variants*: the same name without something that qualifies it
in running text but is not part of the name — a Kurmanji case or ezafe ending (``Kerkûkê``, ``Mûsil-ê``,
``Zaxoyê``), a Turkish case suffix after an apostrophe (``Kerkük'te``), an English modifier (``central
Kirkuk``, ``the Kirkuk area``); or the same name in the spelling the gazetteer uses: Kurmanji x as kh, the
Kurmanji schwa i left out (``Giwêr`` = Gwer), the older Sorani ه as a vowel, a camp word of another language
in its English or Arabic form (``Kampa Şarya``, ``کەمپی شاریا`` = Sharya camp). Candidates come from every
key; the ranker sees which key matched, so a place whose own name ends in ``-ê`` still wins over the stripped
reading when it is there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from normalize._matching._designators import MODIFIERS
from normalize._matching._folding import NO_VOWEL_HEH_AFTER, analyse, compact, script_neutral_keys
from normalize._matching._language import KURMANJI_LETTERS
from normalize._matching._script import detect_script

__all__ = ["MAX_QUERY_LENGTH", "Query", "QueryKey", "parse_query"]

#: Queries longer than this many characters are no place name; they return no match without being folded.
MAX_QUERY_LENGTH = 400
#: Script codes of the indexed scripts (the index's ``script`` column).
LATIN, ARABIC = 0, 1

# Kurmanji oblique and ezafe endings on a name (Latin script): -ê (Kerkûkê), -yê after a vowel (Zaxoyê),
# -a/-ya (the feminine ezafe), -ên (plural oblique), with or without a hyphen. Stripped only from names of at
# least three letters, so that short words keep their endings.
_KURMANJI_ENDING = re.compile(r"(?<=[^\W\d_]{3})(?:-?y?ê|-y?a|-ên|-yên)$", re.IGNORECASE)
# The characters a _KURMANJI_ENDING match can end with (ê, a, n in either case: every code point its
# case-insensitive last letters match, checked over all of Unicode); a form ending otherwise skips the pattern.
_KURMANJI_LAST = frozenset("êÊaAnN")
# Turkish case suffixes after an apostrophe on a proper name: Kerkük'te, Musul'da, Erbil'den, Irak'ın.
_TURKISH_SUFFIX = re.compile(
    r"(?<=[^\W\d_]{3})['’](?:d[ae]n?|t[ae]n?|[ıiuü]n|n[ıiuü]n|y?[ae]|y?[ıiuü]|l[ae]r)$", re.IGNORECASE)
# Kurmanji's x, read as the kh of the other romanisations (see _variants), keeping its case.
_KURMANJI_X = re.compile("[xX]")
# Kurmanji writes its short vowel i (a schwa) where English, Arabic and Turkish romanisations of the same name
# write nothing in a word's first syllable (Giwêr = Gwer, Giwêlan = Gwêlan): a word-initial consonant, i, and
# another consonant (not y: iy is the vowel i, Diyarbekir), read without the i. Only in text with a Kurmanji
# letter, where i is that schwa.
_KURMANJI_SCHWA = re.compile(r"\b([bcçdfghjklmnpqrsştvwxzBCÇDFGHJKLMNPQRSŞTVWXZ])i(?=[bcçdfghjklmnpqrsştvwxz])")


def _kh(m: re.Match[str]) -> str:
    return "Kh" if m.group(0) == "X" else "kh"


# Camp words the gazetteer's camp names do not use: Kurmanji "Kampa X" and Turkish "X (Mülteci) Kampı" are read
# as English "X camp"; Sorani "کەمپی X" (both orthographies, either kaf) and Persian "کمپ X", "اردوگاه X" as
# Arabic "مخيم X". Camp rows carry the English and Arabic forms (gazetteers/iraq-camps.tsv), so one reading
# in each script reaches them whatever language the text is in.
_CAMP_BEFORE_LATIN = re.compile(r"^kampa\s+(?=\S)", re.IGNORECASE)
_CAMP_AFTER_LATIN = re.compile(r"(?<=\S)\s+(?:mülteci\s+|göçmen\s+)?kampı$", re.IGNORECASE)
_CAMP_BEFORE_ARABIC = re.compile(r"^(?:[كک](?:ە|ه)?مپ(?:ی|ي)?|اردوگاه|اردوگاهِ)\s+(?=\S)")


def _camp_reading(form: str, latin: bool) -> str | None:
    """``form`` with its camp word in the English (Latin script) or Arabic (Arabic script) form, or ``None``."""
    if latin:
        if _CAMP_BEFORE_LATIN.match(form):
            return _CAMP_BEFORE_LATIN.sub("", form) + " camp"
        if _CAMP_AFTER_LATIN.search(form):
            return _CAMP_AFTER_LATIN.sub("", form) + " camp"
        return None
    if _CAMP_BEFORE_ARABIC.match(form):
        return "مخيم " + _CAMP_BEFORE_ARABIC.sub("", form)
    return None


# Kurmanji prepositions that stand before a name in running text ("li Şengalê", "ji Kobanê", "bo Hewlêrê").
_KURMANJI_PREPOSITIONS = frozenset({"li", "ji", "bo", "di", "bi", "ber", "nav", "ta", "heta"})
# Older Sorani typing writes the vowel ە as ه inside words (مهندهلی for مەندەلی): a ه between two letters of a
# word is read as that vowel in a variant (the fold deletes ە, as Arabic spellings leave short vowels out); not
# after ا (the fold's reason, at NO_VOWEL_HEH_AFTER).
_MEDIAL_HEH = re.compile(
    rf"(?<=[\u0621-\u064a\u0671-\u06d3])(?<!{NO_VOWEL_HEH_AFTER})ه(?=[\u0621-\u064a\u0671-\u06d3])")
_MODIFIER_BEFORE = tuple(sorted((m for m, at in MODIFIERS.items() if at == "before"), key=len, reverse=True))
_MODIFIER_AFTER = tuple(sorted((m for m, at in MODIFIERS.items() if at == "after"), key=len, reverse=True))
# A text can begin with a modifier (or "the" and one) only if its first word is the first word of one, and end
# with one only if its last word is the last word of one: most queries are checked against no modifier at all.
_LEAD_WORDS = frozenset({"the", *(m.partition(" ")[0] for m in _MODIFIER_BEFORE)})
_TAIL_WORDS = frozenset(m.rpartition(" ")[2] for m in _MODIFIER_AFTER)


@dataclass(frozen=True, slots=True)
class QueryKey:
    """One key a query is looked up by: ``variant`` 0 is the name as written, 1 a reading without an ending or
    modifier (see the module docs)."""

    folded: str
    compact: str
    skeleton: str
    phonetic: str
    variant: int


@dataclass(frozen=True, slots=True)
class Query:
    """``text`` as given; ``script`` :data:`LATIN` or :data:`ARABIC`; ``hint`` the level a designator asks for
    (``"ADM1"``, ``"ADM2"``, ``"ADM3"``, ``"PPL"``, ``"ADMD"``, or ``""``); ``keys`` as written first."""

    text: str
    script: int
    hint: str
    keys: tuple[QueryKey, ...]

    @property
    def key(self) -> QueryKey:
        """The key of the name as written."""
        return self.keys[0]


def parse_query(text: str) -> Query | None:
    """The analysed query, or ``None`` for text that cannot name a place of the index (no letters, a script
    other than Latin and Arabic, longer than :data:`MAX_QUERY_LENGTH`)."""
    if len(text) > MAX_QUERY_LENGTH:
        return None
    folded, hint = analyse(text)
    key = compact(folded)
    if not key:
        return None
    script = detect_script(key)
    if script not in ("Latn", "Arab"):
        return None
    keys = [QueryKey(folded, key, *script_neutral_keys(folded), 0)]
    for other in _variants(text, script):
        o_folded, o_hint = analyse(other)
        o_key = compact(o_folded)
        if len(o_key) >= 3 and all(k.compact != o_key for k in keys):
            keys.append(QueryKey(o_folded, o_key, *script_neutral_keys(o_folded), 1))
            hint = hint or o_hint
    return Query(text, LATIN if script == "Latn" else ARABIC, hint, tuple(keys))


def _variants(text: str, script: str) -> list[str]:
    """Readings of ``text`` without a preposition, case ending or modifier (Latin script), or in the older
    Sorani orthography (Arabic script)."""
    raw = unicodedata.normalize("NFC", text).strip()
    if script != "Latn":
        heh = _MEDIAL_HEH.sub("", raw)
        readings = [heh] if heh != raw else []
        camp = _camp_reading(raw, latin=False)
        if camp is not None:
            readings.append(camp)
            heh_camp = _MEDIAL_HEH.sub("", camp)
            if heh_camp != camp:
                readings.append(heh_camp)
        return readings
    out: list[str] = []
    words = raw.split()
    forms = [raw]
    if len(words) > 1 and words[0].lower() in _KURMANJI_PREPOSITIONS:
        forms.append(" ".join(words[1:]))
        out.append(forms[-1])
    for form in forms:
        # A designator word before the name may carry the ezafe ("bajarê Zaxoyê"): the ending of the last word.
        # Each pattern only where it can match: the forms are stripped, so the last character ends a match.
        if form[-1:] in _KURMANJI_LAST:
            stripped = _KURMANJI_ENDING.sub("", form)
            if stripped != form:
                out.append(stripped)
        if "'" in form or "’" in form:
            stripped = _TURKISH_SUFFIX.sub("", form)
            if stripped != form:
                out.append(stripped)
    if not KURMANJI_LETTERS.isdisjoint(raw):
        for form in [raw, *out]:
            unschwa = _KURMANJI_SCHWA.sub(r"\1", form)
            if unschwa != form:
                out.append(unschwa)
    lower = raw.lower()
    if "kamp" in lower:  # both camp patterns need it: most queries skip them
        # After the endings are off ("li kampa Şaryayê" -> "kampa Şarya" -> "Şarya camp").
        for form in [raw, *out]:
            camp = _camp_reading(form, latin=True)
            if camp is not None:
                out.append(camp)
    if "x" in lower:
        # Kurmanji writes kh as x (Xanke = Khanke, Zaxo = Zakho); English, Turkish and Arabic romanisations
        # write kh, so the respelling is a reading of its own (an x in an English word finds nothing with it).
        out.append(_KURMANJI_X.sub(_kh, raw))
    if lower.partition(" ")[0] in _LEAD_WORDS:
        for m in _MODIFIER_BEFORE:
            for lead in (f"the {m} ", f"{m} "):
                if lower.startswith(lead) and len(raw) > len(lead):
                    out.append(raw[len(lead):])
                    break
    if lower.rpartition(" ")[2] in _TAIL_WORDS:
        for m in _MODIFIER_AFTER:
            if lower.endswith(f" {m}") and len(raw) > len(m) + 1:
                head = raw[:-(len(m) + 1)]
                out.append(head[4:] if head.lower().startswith("the ") else head)
    return out
