"""Training queries for the ranker, drawn from the gazetteer itself (free supervision) and the pinned data.

* held out: a real alternate spelling of an entry is withheld from the gazetteer and queried (the entry is
  the answer, the other candidates are hard negatives);
* perturbed: a name rewritten by edits, transliteration swaps, articles, spacing, designators, case endings;
* exact: a name queried as it is (ties between namesakes teach the model what an identical key is worth);
* outside: names of places outside the gazetteer's countries (no answer);
* non-place: people, organisations, words, phrases (no answer).

Entities whose GeoNames id is ``3 (mod 10)`` are the evaluation split: they are never a query's answer here,
and their names are never queried as negatives. ``7 (mod 10)`` is the calibration split (used to fit the
calibration and choose the threshold, not to fit the trees); the rest train the trees. Curated entries
without a GeoNames id are split the same way by a stable hash of their id, never into the evaluation split.
Outside places are split by their own GeoNames id the same way (``3`` reserved for the benchmark).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import normalize
from normalize import Entry

EVAL, CALIB, TRAIN = "eval", "calib", "train"


def split_of_id(ident: str) -> str:
    """The split of a gazetteer id (see the module docs)."""
    if ident.startswith("geonames:") and ident[9:].isdigit():
        r = int(ident[9:]) % 10
        return EVAL if r == 3 else CALIB if r == 7 else TRAIN
    r = int.from_bytes(hashlib.sha256(ident.encode()).digest()[:4], "little") % 10
    return CALIB if r == 7 else TRAIN


def split_of_geonameid(gid: int) -> str:
    r = gid % 10
    return EVAL if r == 3 else CALIB if r == 7 else TRAIN


@dataclass(frozen=True, slots=True)
class TrainQuery:
    """One query: its text, the id of the entry it names (``None``: no entry), the kind of query, the split."""

    text: str
    gold: str | None
    source: str
    split: str


def script_of(text: str) -> str:
    return normalize.detect_script(text)


def usable_name(text: str) -> bool:
    """A spelling someone writes: 4+ letters, not a code, not a lower-case machine romanisation."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 4 or re.fullmatch(r"[A-Z0-9]{2,4}", text.strip()):
        return False
    return not (script_of(text) == "Latn" and text == text.lower())


# --- perturbations -------------------------------------------------------------------------------------------

_LATIN_SWAPS = (("k", "q"), ("q", "k"), ("kh", "h"), ("kh", "x"), ("h", "kh"), ("gh", "g"), ("j", "dj"),
                ("sh", "ch"), ("dh", "d"), ("dh", "z"), ("th", "t"), ("w", "v"), ("v", "w"), ("ou", "u"),
                ("u", "ou"), ("u", "o"), ("o", "u"), ("i", "e"), ("e", "i"), ("a", "e"), ("e", "a"), ("ee", "i"),
                ("i", "ee"), ("y", "i"), ("i", "y"), ("ei", "ey"), ("aa", "a"), ("a", "aa"), ("c", "j"),
                ("ç", "ch"), ("ş", "sh"), ("ı", "i"), ("ü", "u"), ("ö", "o"), ("ê", "e"), ("û", "u"), ("î", "i"))
_ARABIC_SWAPS = (("ة", "ه"), ("ه", "ة"), ("ى", "ي"), ("ي", "ى"), ("أ", "ا"), ("ا", "أ"), ("إ", "ا"), ("آ", "ا"),
                 ("ک", "ك"), ("ك", "ک"), ("ی", "ي"), ("ي", "ی"), ("و", ""), ("ا", ""), ("ي", ""), ("ە", ""),
                 ("ە", "ه"), ("ه", "ە"), ("ڕ", "ر"), ("ر", "ڕ"), ("ڵ", "ل"), ("ل", "ڵ"), ("ۆ", "و"), ("و", "ۆ"),
                 ("ێ", "ی"), ("ی", "ێ"), ("ق", "ك"), ("ك", "ق"), ("ط", "ت"), ("ت", "ط"), ("ص", "س"), ("س", "ص"),
                 ("ذ", "ز"), ("ض", "د"), ("ظ", "ز"), ("ح", "ه"), ("ع", "ا"), ("غ", "ك"), ("ج", "چ"), ("گ", "ك"))
_LATIN_DESIGNATORS = {"ADM1": ("{} Governorate", "{} Province", "Governorate of {}", "Muhafazat {}", "{} İli",
                               "Parêzgeha {}", "Ostan-e {}"),
                      "ADM2": ("{} District", "Qada {}", "{} district", "Qadaa {}", "{} İlçesi", "Navçeya {}",
                               "Shahrestan-e {}"),
                      "ADM3": ("{} Subdistrict", "{} Sub-district", "Nahiyat {}", "Nahiya {}", "{} nahiya"),
                      "PPL": ("{} city", "the city of {}", "{} town", "Bajarê {}", "{} village")}
_ARABIC_DESIGNATORS = {"ADM1": ("محافظة {}", "پارێزگای {}", "استان {}"),
                       "ADM2": ("قضاء {}", "قەزای {}", "شهرستان {}"),
                       "ADM3": ("ناحية {}", "ناحیەی {}", "بخش {}"),
                       "PPL": ("مدينة {}", "بلدة {}", "قرية {}", "شاری {}")}
_MODIFIERS = ("central {}", "northern {}", "southern {}", "the {} area", "{} area", "eastern {}", "western {}")
_KURMANJI = ("{}ê", "{}-ê", "{}yê", "li {}ê", "ji {}ê")
_TURKISH = ("{}'da", "{}'de", "{}'den", "{}'te", "{}'nin", "{}'a")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _swap(rng: random.Random, text: str, swaps: Sequence[tuple[str, str]]) -> str:
    options = [(a, b) for a, b in swaps if a in text]
    if not options:
        return text
    a, b = rng.choice(options)
    positions = [m.start() for m in re.finditer(re.escape(a), text)]
    at = rng.choice(positions)
    return text[:at] + b + text[at + len(a):]


def _edit(rng: random.Random, text: str, alphabet: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))  # keep the first letter more often, as typists do
    op = rng.random()
    if op < 0.3:
        return text[:i] + text[i + 1:]
    if op < 0.6:
        return text[:i] + rng.choice(alphabet) + text[i:]
    if op < 0.85:
        return text[:i] + rng.choice(alphabet) + text[i + 1:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def perturb(rng: random.Random, entry: Entry, name: str) -> str:
    """One rewritten spelling of ``name`` (an entry's name), by one to three operations."""
    arabic = script_of(name) == "Arab"
    text = name
    ops = rng.choice((1, 1, 2, 2, 3))
    for _ in range(ops):
        r = rng.random()
        if r < 0.3:
            text = _swap(rng, text, _ARABIC_SWAPS if arabic else _LATIN_SWAPS)
        elif r < 0.5:
            text = _edit(rng, text, _ARABIC_LETTERS if arabic else _LETTERS)
        elif r < 0.6:  # article
            if arabic:
                text = text[2:] if text.startswith("ال") and len(text) > 4 else "ال" + text
            else:
                m = re.match(r"(?i)(al|el|ad|as|ash|ar|an|at|az)[- ]", text)
                text = text[m.end():] if m else rng.choice(("Al-", "al-", "Al ", "El-")) + text
        elif r < 0.7:  # spacing
            if " " in text:
                text = text.replace(" ", rng.choice(("", "-")), 1)
            elif len(text) > 6:
                cut = rng.randrange(3, len(text) - 2)
                text = text[:cut] + " " + text[cut:]
        elif r < 0.8:  # a designator of the entry's own level
            level = "PPL" if entry.kind.startswith("PPL") else entry.kind if entry.kind in (
                "ADM1", "ADM2", "ADM3") else ""
            table = _ARABIC_DESIGNATORS if arabic else _LATIN_DESIGNATORS
            if level in table:
                text = rng.choice(table[level]).format(text)
        elif r < 0.9 and not arabic:  # running-text forms: Kurmanji endings, Turkish suffixes, modifiers
            form = rng.choice(_KURMANJI + _TURKISH + _MODIFIERS)
            text = form.format(text)
        elif not arabic:
            text = rng.choice((text.upper(), text.lower(), text.title()))
    return unicodedata.normalize("NFC", text)


# --- query sets -------------------------------------------------------------------------------------------------

def prominence(e: Entry) -> float:
    """How much an entry is written about, roughly: news names big places and divisions far more often."""
    return (1.0 + math.log10(e.population + 1.0)) ** 2 * (1.0 + math.log2(len(e.names)))


# The news view's share of draws per country: the share of each country's places among the gold place mentions
# of the development passages (benchmarks/data/link_dev*.jsonl, 1,565 mentions, counted in round 13): Iraqi and
# Kurdish news names an Iraqi place four times in five, while half the gazetteer's entries are Turkish villages
# and one in ten is Iraqi. Drawn by prominence alone, the news half learnt the gazetteer's mix as its prior, and
# a Turkish or Iranian lookalike beat the Iraqi village a Kurdish page meant. ``None`` draws by prominence alone.
NEWS_COUNTRY_SHARE: dict[str, float] | None = {"IQ": 0.783, "SY": 0.087, "TR": 0.084, "IR": 0.031}
# The other countries' mentions together (Jordan, Kuwait, Saudi Arabia, Germany ...: 14 of the 1,565).
_OTHER_COUNTRY_SHARE = 0.009


def _news_weights(pool: Sequence[Entry]) -> list[float]:
    """Per entry, its weight in the news half: its prominence, scaled so that each country's entries together
    weigh that country's :data:`NEWS_COUNTRY_SHARE` (the other countries share :data:`_OTHER_COUNTRY_SHARE`)."""
    weights = [prominence(e) for e in pool]
    if NEWS_COUNTRY_SHARE is None:
        return weights
    share = NEWS_COUNTRY_SHARE
    group = [e.country if e.country in share else "" for e in pool]
    totals: dict[str, float] = {}
    for c, w in zip(group, weights, strict=True):
        totals[c] = totals.get(c, 0.0) + w
    return [w * share.get(c, _OTHER_COUNTRY_SHARE) / totals[c] for c, w in zip(group, weights, strict=True)]


def sample(rng: random.Random, pool: Sequence[Entry], k: int) -> list[Entry]:
    """``k`` distinct entries: half uniformly (the benchmark's view: any entry), half in proportion to
    :func:`prominence` within each country and to the country's share of news mentions (the news's view,
    :data:`NEWS_COUNTRY_SHARE`), so that the model learns what a namesake tie means in real use."""
    k = min(k, len(pool))
    uniform = rng.sample(range(len(pool)), k // 2)
    taken = set(uniform)
    weights = _news_weights(pool)
    # Weighted sampling without replacement (Efraimidis-Spirakis keys u ** (1 / w), as their logarithm: a
    # country's share spread over thousands of entries makes w small enough for the power to underflow to 0).
    keyed = sorted(((math.log(1.0 - rng.random()) / weights[i], i) for i in range(len(pool)) if i not in taken),
                   reverse=True)
    weighted = [i for _key, i in keyed[:k - len(uniform)]]
    return [pool[i] for i in sorted(taken | set(weighted))]


def held_out(entries: Sequence[Entry], rng: random.Random, n: int, owners: dict[str, set[str]]
             ) -> tuple[list[Entry], list[TrainQuery]]:
    """Withhold one usable non-canonical spelling from each of ``n`` sampled entries (not in the evaluation
    split) whose key no other entry shares; returns the gazetteer's entries without them, and the queries."""
    pool = [e for e in entries if split_of_id(e.id) != EVAL and len(e.names) > 1]
    chosen_ids = {e.id for e in sample(rng, pool, n)}
    chosen = {i for i, e in enumerate(entries) if e.id in chosen_ids}
    out_entries: list[Entry] = []
    queries: list[TrainQuery] = []
    for i, e in enumerate(entries):
        if i not in chosen:
            out_entries.append(e)
            continue
        texts = [nm.text for nm in e.names[1:] if usable_name(nm.text) and script_of(nm.text) in ("Latn", "Arab")
                 and owners.get(normalize.fold(nm.text).replace(" ", ""), set()) <= {e.id}]
        if not texts:
            out_entries.append(e)
            continue
        # Arabic-script spellings are rarer among alternates; draw them as often as Latin ones.
        arabic = [t for t in texts if script_of(t) == "Arab"]
        latin = [t for t in texts if script_of(t) == "Latn"]
        pick = rng.choice(arabic if arabic and (not latin or rng.random() < 0.5) else latin)
        key = normalize.fold(pick).replace(" ", "")
        kept = tuple(nm for nm in e.names if normalize.fold(nm.text).replace(" ", "") != key)
        if not kept:
            out_entries.append(e)
            continue
        out_entries.append(Entry(e.id, kept[0].text if e.name == pick else e.name, e.kind, e.country, e.admin1,
                                 e.admin2, e.lat, e.lon, e.population, kept, e.source))
        queries.append(TrainQuery(pick, e.id, "held-out", split_of_id(e.id)))
    return out_entries, queries


def perturbed(entries: Sequence[Entry], rng: random.Random, n: int, owners: dict[str, set[str]]
              ) -> list[TrainQuery]:
    pool = [e for e in entries if split_of_id(e.id) != EVAL]
    out = []
    for e in sample(rng, pool, n):
        names = [nm.text for nm in e.names if usable_name(nm.text) and script_of(nm.text) in ("Latn", "Arab")]
        if not names:
            continue
        text = perturb(rng, e, rng.choice(names))
        key = normalize.fold(text).replace(" ", "")
        if not key or not owners.get(key, set()) <= {e.id}:
            continue  # the rewrite is another entry's name: no longer a variant of this one
        out.append(TrainQuery(text, e.id, "perturbed", split_of_id(e.id)))
    return out


def exact(entries: Sequence[Entry], rng: random.Random, n: int) -> list[TrainQuery]:
    pool = [e for e in entries if split_of_id(e.id) != EVAL]
    out = []
    for e in sample(rng, pool, n):
        names = [nm.text for nm in e.names if script_of(nm.text) in ("Latn", "Arab") and usable_name(nm.text)]
        if names:
            out.append(TrainQuery(rng.choice(names), e.id, "exact", split_of_id(e.id)))
    return out


def countries_and_regions(entries: Sequence[Entry]) -> list[TrainQuery]:
    """Every usable name of every country and region entry (not the evaluation split), as queries: news names
    countries constantly, and a country's name must beat a village's namesake ("Iraq", "Syria")."""
    out: list[TrainQuery] = []
    for e in entries:
        if (e.kind.startswith("PCL") or e.kind == "ADMD") and split_of_id(e.id) != EVAL:
            out.extend(TrainQuery(nm.text, e.id, "country", split_of_id(e.id)) for nm in e.names
                       if script_of(nm.text) in ("Latn", "Arab") and sum(ch.isalpha() for ch in nm.text) >= 3)
    return out


def outside(places: Iterable[tuple[int, str, Sequence[str]]], rng: random.Random, n: int) -> list[TrainQuery]:
    """Names of outside places ``(geonameid, country, names)``, not the benchmark's (``3 mod 10``)."""
    pool = [p for p in places if split_of_geonameid(p[0]) != EVAL]
    out = []
    for gid, _country, names in rng.sample(pool, min(n, len(pool))):
        usable = [t for t in names if usable_name(t) and script_of(t) in ("Latn", "Arab")]
        if usable:
            out.append(TrainQuery(rng.choice(usable), None, "outside", split_of_geonameid(gid)))
    return out


def non_places(texts: Iterable[str]) -> list[TrainQuery]:
    return [TrainQuery(t, None, "non-place", split_of_id(f"text:{t}")) for t in texts]


def key_owners(entries: Iterable[Entry]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for e in entries:
        for nm in e.names:
            k = normalize.fold(nm.text).replace(" ", "")
            if k:
                owners.setdefault(k, set()).add(e.id)
    return owners
