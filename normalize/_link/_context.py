"""Document context: which ambiguous spans may link, and which entry each span resolves to.

Ambiguity (a name that is also an ordinary word) is settled per span by the script rules in
:mod:`normalize._link._latin` and :mod:`normalize._link._arabic`, with the document as support: an Arabic
common-word name after a locative preposition links only when the document names another place, and one
without a preposition links when another place of the same governorate is mentioned.

Resolution is collective. Every span starts with its candidate entries (all entries its folded key stands
for), scored by the one ranking (:mod:`normalize._matching._rank`: the calibrated probability that the span's
words name the entry, with the level rule — a bare name names the town, a designator its division — applied
there). Then each candidate gets a coherence bonus from the *other* spans of the
document: ``0.5`` times the share of their candidate weight that lies in the same first-level division
(governorate) and ``0.2`` times the share in the same country, where a span with ``k`` distinct divisions
among its candidates gives each ``1/k``. So "Kifri" next to "Diyala" stays in Diyala, and "Hit" next to
"Ramadi" is the Anbar town rather than a namesake elsewhere.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from normalize._cache import register_cache
from normalize._link import _arabic, _latin
from normalize._link._spans import Span, has_kurmanji_ending
from normalize._matching._folding import LATIN_DESIGNATORS, tokens

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry
    from normalize._matching._folding import FoldedText

__all__ = ["Cover", "admin1_of", "anchor_countries", "arabic_allowed", "choose", "is_ordinary", "latin_allowed",
           "strong_regions"]

_REGION_WEIGHT = 0.5
_COUNTRY_WEIGHT = 0.2
_BIG_TOWN = 100_000
# A town this big is named bare in the news; a smaller place (a village, a sub-district) usually comes with a
# designator or a preposition in Arabic script, where no capital letter marks a name.
_KNOWN_TOWN = 20_000
# Arabic-script keys this short (رق from فرق, after the fold collapses ڕەققە) are letters of other words.
_MIN_BARE_LETTERS = 2
# Keys up to this length collide with Kurdish words (بە گوتەی "according to" folds to the key of الكوت); for
# them a Kurdish letter in the text must be in the name's spelling too. Longer names keep linking across
# spellings (ڕەمادی is الرمادي).
_SHORT_KEY = 3
# A noun before an adjective: the article and at least three letters (shorter words are particles).
_MIN_NOUN = 4


def admin1_of(entry: Entry) -> str:
    """The first-level division code an entry lies in (or is), or its country for country-level entries."""
    if entry.admin1 is not None:
        return entry.admin1.code
    return entry.country


def is_ordinary(span: Span) -> bool:
    """Whether the span's name is also an ordinary word of its script."""
    if span.arabic:
        stem = span.key[2:] if span.key.startswith("ال") and len(span.key) > 3 else span.key
        if " " in span.key:
            return False
        if span.key in _arabic.ORDINARY or stem in _arabic.ORDINARY:
            return True
        # Short names collide with ordinary words, except the big towns (حلب، النجف، الكوت).
        return len(stem) <= 3 and max(e.population for e, _n, _h in span.targets) < _BIG_TOWN
    return span.key in _latin.ORDINARY or len(span.key.replace(" ", "")) <= 2


class Cover:
    """Which text positions lie inside some span (binary search over the spans in text order)."""

    def __init__(self, spans: list[Span]) -> None:
        self._starts = [s.start for s in spans]
        self._ends = [s.end for s in spans]

    def __call__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]


def latin_allowed(span: Span, ft: FoldedText, covered: Cover) -> tuple[bool, str]:
    """Whether a Latin span may link; ``(False, reason)`` for a name inside a longer proper name (a person's,
    an organisation's: "Soran Omar", "Zakho FC", "the University of Baghdad") or an ordinary word without
    support."""
    if span.designated:
        return True, "with a designator" if not is_ordinary(span) else "ordinary word with a designator"
    text = ft.original
    prev_word, prev_start = _previous_word(text, span.start)
    if _part_of_a_name_before(text, prev_word, prev_start, covered):
        return False, "part of a longer proper name"
    nxt = _next_word(text, span.end)
    # A Kurmanji case ending closes the noun phrase ("Li Hewlêrê Partiya Demokrat ... civîn kir"): a capitalised
    # word after it begins the next one.
    if nxt and nxt[0].isupper() and not covered(span.end + 1) and _gap_is_space(text, span.end) and \
            nxt.lower() not in _NAME_BREAKS and not has_kurmanji_ending(text[span.start:span.end]):
        return False, "part of a longer proper name"
    if not is_ordinary(span):
        return True, ""
    if _latin.is_sentence_initial(text, span.start):
        return False, "ordinary word at a sentence start"
    if _latin.is_title_line(text, span.start):
        return False, "ordinary word in a title-case line"
    if prev_word.lower() == "as" and _previous_word(text, prev_start)[0].lower() == "such":
        return True, "ordinary word after 'such as'"
    if prev_word.lower() in _latin.LOCATIVE:
        return True, f"ordinary word after {prev_word!r}"
    return False, "ordinary word without a locative cue"


# Capitalised words after a name that do not make it part of a longer name: they begin the next clause or are
# the name's own designator or feature word (handled elsewhere).
_NAME_BREAKS = frozenset({"and", "or", "but", "the", "in", "on", "at", "as", "while", "after", "before", "where",
                          "when", "since", "then", "i", "a", "an"})


# Kurmanji ezafe particles that join a capitalised head to a name in organisation names; lower case only.
_KURMANJI_EZAFE = frozenset({"a", "ya", "yê", "yên", "ê", "ên"})


def _part_of_a_name_before(text: str, prev_word: str, prev_start: int, covered: Cover) -> bool:
    """Whether the word before a Latin span makes it part of a longer proper name: a capitalised word that
    does not begin the sentence and is no locative ("Soran Omar"... "Ahmed Soran"), or "<Capitalised> of"
    ("the University of Baghdad", "the Patriotic Union of Kurdistan")."""
    if not prev_word or covered(prev_start):
        return False
    if prev_word[0].isupper() and prev_word.lower() in _latin.KURMANJI_ORGANISATION:
        return True  # the head word itself carries the ezafe: "Yaneya Dihokê" (Duhok's club), "Zanîngeha Zaxoyê"
    if prev_word in _KURMANJI_EZAFE:
        # Kurmanji "<organisation> ... a/ya X" ("Partiya Demokrat a Kurdistanê", "Yaneya Werzişê ya Dihokê"); a
        # ministry or council so named ("Wezareta Derve ya Îraqê") is the place's government: a mention.
        at = prev_start
        for _ in range(3):
            word, at = _previous_word(text, at)
            if not word or not word[0].isupper():
                return False
            if word.lower() in _latin.KURMANJI_ORGANISATION:
                return True
        return False
    if prev_word == "of":  # "<Capitalised> of X"
        word, at = _previous_word(text, prev_start)
        return bool(word) and word[0].isupper() and not covered(at) and word.lower() not in _latin.LOCATIVE \
            and not _latin.is_designator(word.lower()) and not _latin.is_sentence_initial(text, at)
    return prev_word[0].isupper() and not _latin.is_sentence_initial(text, prev_start) and \
        prev_word.lower() not in _latin.LOCATIVE and not _latin.is_designator(prev_word.lower())


def is_prominent(span: Span) -> bool:
    """Whether a reading of the span is a place news names on its own: a country, region, governorate,
    district, an administrative seat or a town of some size."""
    return any(e.kind.startswith(("PCL", "ADMD", "ADM1", "ADM2", "PPLA", "PPLC")) or e.population >= _KNOWN_TOWN
               for e, _n, _h in span.targets)


def strong_regions(spans: list[Span]) -> dict[str, int]:
    """Governorates of the likeliest reading of each span that is not an ordinary word, with how many spans
    give each (so a span can leave its own out: a minor place may not vouch for itself)."""
    # Spans with the same key share their targets tuple (alive for the whole call): decide each pair once.
    seen: dict[tuple[int, str], str | None] = {}
    out: dict[str, int] = {}
    for s in spans:
        ck = (id(s.targets), s.hint)
        if ck in seen:
            region = seen[ck]
        else:
            region = seen[ck] = None if is_ordinary(s) else admin1_of(_likeliest(s))
        if region is not None:
            out[region] = out.get(region, 0) + 1
    return out


def anchor_countries(spans: list[Span]) -> set[str]:
    """The countries of every reading of the spans that need no support (designated or prominent names, not
    ordinary words): where the document may be. Minor places are left out, so a namesake abroad cannot
    vouch for itself."""
    return {e.country for s in spans if not is_ordinary(s) and (s.designated or is_prominent(s))
            for e, _n, _h in s.targets}


def arabic_allowed(span: Span, ft: FoldedText, strong: int, regions: Mapping[str, int],
                   lands: set[str] | frozenset[str] = frozenset(), *, counted: bool = False,
                   districts: set[str] | frozenset[str] = frozenset()) -> tuple[bool, str]:
    """Whether an Arabic-script span may link (see :mod:`normalize._link._arabic`). ``strong``: how many spans
    of the document are not ordinary words; ``regions``: their governorates (:func:`strong_regions`;
    ``counted``: whether this span is one of them); ``lands``: :func:`anchor_countries`; ``districts``: the
    admin2 codes of the districts the text names with a designator."""
    key = span.key
    stem = key[2:] if key.startswith("ال") and len(key) > 3 else key
    # A gazetteer spelling with its designator ("ناحية الصينية") is designated as much as one found beside it.
    designated = span.designated or key.split(" ", 1)[0] in _arabic.DESIGNATORS
    # The name as written, without a designator found before it (whose letters are not the name's).
    name_text = ft.original[max(span.start, ft.start(span.fstart)):span.end]
    if key in _arabic.STOP or stem in _arabic.STOP or (" " not in key and _arabic.is_clitic_stop(key, span.sorani)):
        return False, "stop word"
    own_prefix = _own_prefix(ft, span)
    whole = own_prefix + key
    if whole != key and (whole in _arabic.STOP or (whole[0] in "وف" and whole[1:] in _arabic.STOP)):
        # the word is itself a stop word, not proclitics before a name: "بحيرة" (lake) is not ب + حيرة
        return False, "stop word"
    prev = _arabic_prev_word(ft, span.fstart)
    if prev in _arabic.ORGANISATION or (prev not in _arabic.LOCATIVE and prev not in _arabic.DESIGNATORS and
                                        _arabic_word_before(ft, prev, span.fstart) in _arabic.ORGANISATION):
        # the organisation word one or two words before ("نادي الرمادي", "پارتی دیموکراتی کوردستان")
        return False, "part of an organisation's name"
    locative = prev in _arabic.LOCATIVE or own_prefix.endswith(("ب", "ل"))
    if not designated and (prev in _arabic.PERSON or (not locative and _arabic_next_word(ft, span.fend)
                                                           in _arabic.PERSON)):
        return False, "part of a person's name"
    if not designated and len(stem.replace(" ", "")) <= _MIN_BARE_LETTERS:
        return False, "too short to be a name without a designator"
    if not span.sorani and not _arabic.ta_marbuta_agrees(name_text,
                                                          (name for _e, name, _h in span.targets)):
        return False, "an Arabic word in ة: no Arabic spelling of the name (a Persian one ends in ه)"
    if span.sorani and not _arabic.final_vowel_agrees(name_text,
                                                       (name for _e, name, _h in span.targets)):
        return False, "a Kurdish word without the final ە of the name (تورکی Turkish, تورکیە Turkey)"
    if span.sorani and _without_designator(name_text)[:1] != "ئ" and all(
            _without_designator(name).startswith("ئ") for _e, name, _h in span.targets):
        # Kurdish writes a word's first vowel on ئ, which the fold drops: "وێرانە" (ruined) is not و + ئێران.
        # The name's word, not a designator the spelling begins with ("ناحیەی ئیسێوە").
        return False, "a Kurdish word: the name begins with ئ and the word does not"
    if span.sorani and not designated and _kurdish_common_noun(ft, span, name_text):
        return False, "a Kurdish common noun that begins so (indefinite, a word with the definite ending)"
    if span.sorani and not designated and _kurdish_country_adjective(ft, span):
        return False, "a country's adjective after a noun with the ezafe (جووتیارانی عێراقی)"
    if span.sorani and len(stem) <= _SHORT_KEY and not _arabic.kurdish_letters_agree(
            name_text, (_without_designator(n.text) for e, _name, _h in span.targets for n in e.names)):
        # Any spelling of the entry counts, not only the one the automaton kept for the key: Najaf's "نجف"
        # and "نەجەف" fold alike, and the Kurdish one has the letters.
        return False, "a Kurdish word: no spelling of the name has its Kurdish letters"
    surface = ft.original[span.start:span.end]
    if not designated and surface.endswith(("ية", "يه")) and _after_definite_noun(ft, span, prev):
        # The nisba shape of a country or city ("البضائع السورية" Syrian goods, "القوات العراقية").
        return False, "an adjective after a definite noun"
    ordinary = is_ordinary(span)
    if not ordinary and (designated or is_prominent(span)):
        return True, ""
    if not designated and _after_definite_noun(ft, span, prev):
        return False, "an adjective after a definite noun"
    if not designated and not surface.startswith("ال") and not own_prefix and \
            all(_without_designator(name).startswith("ال") for _e, name, _h in span.targets):
        # Arabic keeps the article of a name ("في الصينية"); without it the word is another ("بمنحة صينية").
        return False, "a minor place's name without its article"
    if ordinary and span.definite and not any(name.startswith(("ال", "آل")) for _e, name, _h in span.targets):
        return False, "ordinary word with the article"
    if designated:
        return True, "ordinary word with a designator"
    # The countries the document's other places lie in: a bare minor reading abroad ("إلى سلوك" in a Kirkuk
    # story is the verb, not a Syrian village) is a namesake far away, not a mention.
    near = not lands or any(e.country in lands for e, _n, _h in span.targets)
    # (Not an Arabic ordinary word with the article and no preposition: "بتحقيق العدل" is justice, whatever
    # district the text names.)
    if not (ordinary and span.definite and not locative) and any(
            e.admin2 is not None and e.admin2.code in districts and not e.kind.startswith("ADM2")
            for e, _n, _h in span.targets):
        # "جووتیارانی شۆڕش و تەکیە لە قەزای چەمچەماڵ", "ئاشتیی سەر بە قەزای کۆیە": the text names its district.
        return True, "a place of a district the text names"
    if ordinary:
        if locative and strong and near:
            return True, "ordinary word after a locative preposition, with other places in the text"
        return False, "ordinary word without a designator or locative preposition"
    # A village or sub-district named bare: a preposition before it, or a place of its governorate nearby.
    if locative and near:
        return True, "a minor place after a locative preposition"
    own = admin1_of(_likeliest(span)) if counted else None  # its own count in ``regions``
    if any(regions.get(r, 0) - (r == own) > 0 for r in {admin1_of(e) for e, _n, _h in span.targets}):
        return True, "a minor place co-mentioned with places of the same governorate"
    return False, "a minor place named without context"


def _likeliest(span: Span) -> Entry:
    return max(span.targets, key=lambda t: span.scores.get(t[0].id, 0.0))[0]


def choose(spans: list[Span]) -> list[tuple[Entry, str, float]]:
    """For each span, ``(entry, gazetteer spelling, decisive score)`` chosen collectively (module docs)."""
    # Spans with the same key share their targets tuple: score each (targets, hint) once.
    cache: dict[tuple[int, str], _Scored] = {}
    scored: list[_Scored] = []
    total_regions: dict[str, float] = {}
    total_countries: dict[str, float] = {}
    for span in spans:
        ck = (id(span.targets), span.hint)
        item = cache.get(ck)
        if item is None:
            item = cache[ck] = _Scored(span)
        scored.append(item)
        for r, w in item.regions.items():
            total_regions[r] = total_regions.get(r, 0.0) + w
        for c, w in item.countries.items():
            total_countries[c] = total_countries.get(c, 0.0) + w
    out = []
    others = max(1, len(spans) - 1)
    # The totals are fixed now, so each distinct candidate set has one answer for the whole document.
    decided: dict[int, tuple[Entry, str, float]] = {}
    for item in scored:
        answer = decided.get(id(item))
        if answer is None:
            answer = decided[id(item)] = _decide(item, total_regions, total_countries, others, len(spans))
        out.append(answer)
    return out


def _decide(item: _Scored, total_regions: dict[str, float], total_countries: dict[str, float], others: int,
            n_spans: int) -> tuple[Entry, str, float]:
    if len(item.options) == 1 or n_spans == 1:
        entry, name, base, _r, _c = max(item.options, key=lambda o: o[2])
        return entry, name, round(base, 4)
    best: tuple[float, Entry, str] | None = None
    for entry, name, base, region, country in item.options:
        score = base + _REGION_WEIGHT * (total_regions[region] - item.regions[region]) / others
        score += _COUNTRY_WEIGHT * (total_countries[country] - item.countries[country]) / others
        if best is None or score > best[0] + 1e-12:
            best = (score, entry, name)
    assert best is not None
    return best[1], best[2], round(best[0], 4)


class _Scored:
    """A span's candidates with their context-free scores and the weight it gives each region/country."""

    __slots__ = ("countries", "options", "regions")

    def __init__(self, span: Span) -> None:
        self.options: list[tuple[Entry, str, float, str, str]] = []
        for entry, name, _hint in span.targets:
            self.options.append((entry, name, span.scores.get(entry.id, 0.0), admin1_of(entry), entry.country))
        regions = sorted({o[3] for o in self.options})
        lands = sorted({o[4] for o in self.options})
        self.regions = {r: 1.0 / len(regions) for r in regions}
        self.countries = {c: 1.0 / len(lands) for c in lands}


def _previous_word(text: str, start: int) -> tuple[str, int]:
    i = start
    while i > 0 and text[i - 1] in " \t-":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’"):
        j -= 1
    return text[j:i], j


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end)
    return m.group(1) if m is not None else ""


# Blanks, then letters and digits (``[^\W_]`` is exactly ``str.isalnum``).
_NEXT_WORD = re.compile(r"[ \t]*([^\W_]*)")


def _gap_is_space(text: str, end: int) -> bool:
    return end < len(text) and text[end] in " \t"


def _arabic_word_before(ft: FoldedText, word: str, fstart: int) -> str:
    """The folded word before ``word``, itself the word before the span at ``fstart`` ("" at the start)."""
    folded = ft.folded
    j = fstart
    while j > 0 and folded[j - 1] != " ":
        j -= 1
    while j > 0 and folded[j - 1] == " ":
        j -= 1
    j -= len(word)
    while j > 0 and folded[j - 1] == " ":
        j -= 1
    i = folded.rfind(" ", 0, j) + 1
    return folded[i:j] if j > 0 else ""


def _kurdish_common_noun(ft: FoldedText, span: Span, name_text: str) -> bool:
    """Whether the word a Kurdish span's name begins is a common noun: the name with the indefinite ending
    ("پردێکی نوێ" a new bridge, not Pirde; names take no indefinite), an ordinary word's name with the definite
    ending, or a frequent word of :data:`_arabic.KURDISH_WORDS` that the fold, which drops the vowel ە, makes the
    name ("ژمارە" number is ژمار, Zummar in Kurdish; Behdini "دوماهیا" the end is not Duma)."""
    text = ft.original
    end = span.end
    while end < len(text) and (text[end].isalpha() or text[end] == "\u200c"):
        end += 1
    if end == span.end:
        return False
    word = _arabic.vowel_word(text[span.end - len(name_text):end])
    name = _arabic.vowel_word(name_text)
    rest = word[len(name):] if word.startswith(name) else ""
    if rest.startswith(_arabic.INDEFINITE) or (name_text.endswith("ێ") and rest.startswith("ك")):
        return True
    if rest.startswith(_arabic.DEFINITE) and is_ordinary(span):
        # A name that is also a word, with the definite ending: the common noun, as البلد is in Arabic
        # ("تەکیەکەی" the tekke, "مەیدانەکە" the square).
        return True
    return any(word.startswith(w) and len(w) > len(name) for w in _arabic.KURDISH_WORDS)


def _kurdish_country_adjective(ft: FoldedText, span: Span) -> bool:
    """Whether a country's name carries only the ending ی after a word with the ezafe ی: Kurdish makes the
    adjective so ("جووتیارانی عێراقی" Iraqi farmers, "کاڵای ئێرانی" Iranian goods), where the country itself
    stands bare after the ezafe ("سوپای عێراق")."""
    if not all(e.kind.startswith("PCL") for e, _n, _h in span.targets):
        return False
    text = ft.original
    end = span.end
    if text[end:end + 1] not in ("ی", "ى", "ي") or (end + 1 < len(text) and text[end + 1].isalpha()):
        return False
    before = text[:span.start].rstrip(" \u200c")
    return len(before) < span.start and before[-1:] in ("ی", "ى", "ي")


def _without_designator(name: str) -> str:
    """A gazetteer spelling without the designator it may begin with ("ناحية الصينية" -> "الصينية") or, in Latin
    script, end with ("Al-Hawija District" -> "Al-Hawija")."""
    first, _, rest = name.partition(" ")
    if rest and _is_designator_word(first):
        return rest
    head, _, last = name.rpartition(" ")
    return head if head and _is_latin_designator_word(last) else name


@functools.lru_cache(maxsize=4096)  # a few hundred distinct first words in a gazetteer; cleared by clear_caches()
def _is_designator_word(word: str) -> bool:
    return _arabic.fold_word(word) in _arabic.DESIGNATORS


@functools.lru_cache(maxsize=4096)  # as above
def _is_latin_designator_word(word: str) -> bool:
    return "".join(tokens(word)) in LATIN_DESIGNATORS


register_cache("normalize._link._context.designator_words", _is_designator_word.cache_clear)
register_cache("normalize._link._context.latin_designator_words", _is_latin_designator_word.cache_clear)


def _after_definite_noun(ft: FoldedText, span: Span, prev: str) -> bool:
    """Whether a name written with the article follows a noun with the article, nothing but a space between:
    in Arabic that is the noun's adjective ("الشركات الصينية" the Chinese companies, "الخضار التازة" fresh
    vegetables), not a place. Designators and prepositions are not such nouns."""
    text = ft.original
    if not text.startswith("ال", span.start) or not prev.startswith("ال") or len(prev) <= _MIN_NOUN:
        return False
    if prev in _arabic.DESIGNATORS or prev[2:] in _arabic.DESIGNATORS or prev in _arabic.LOCATIVE:
        return False
    before = text[:span.start]
    stripped = before.rstrip(" ")
    return len(stripped) < len(before) and "\u0621" <= stripped[-1:] <= "\u064a"


def _arabic_prev_word(ft: FoldedText, fstart: int) -> str:
    folded = ft.folded
    j = fstart
    while j > 0 and folded[j - 1] != " ":
        j -= 1  # the span's own proclitics
    while j > 0 and folded[j - 1] == " ":
        j -= 1
    i = folded.rfind(" ", 0, j) + 1
    word = folded[i:j]
    for prefix in ("و", "ف"):
        if word.startswith(prefix) and word[1:] in _arabic.LOCATIVE:
            return word[1:]
    return word


def _arabic_next_word(ft: FoldedText, fend: int) -> str:
    folded = ft.folded
    i = fend
    while i < len(folded) and folded[i] != " ":
        i += 1  # the span's own suffixes
    while i < len(folded) and folded[i] == " ":
        i += 1
    j = folded.find(" ", i)
    return folded[i:j if j != -1 else len(folded)]


def _own_prefix(ft: FoldedText, span: Span) -> str:
    folded = ft.folded
    j = span.fstart
    while j > 0 and folded[j - 1] != " ":
        j -= 1
    return folded[j:span.fstart]
