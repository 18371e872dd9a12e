"""Benchmark of the actor gazetteer: spellings held out, abbreviations, non-actors, and linking on passages.

    python benchmarks/bench_actors.py

Spellings: every name of every actor of the evaluation half (a hash of the id; the actor calibration,
``scripts/train_actors.py``, never saw these actors) is withheld from the gazetteer in turn and queried
(leave one name out); the queries are counted per language and for abbreviations (names of up to five
letters written in capitals). Negatives: ``benchmarks/data/actor_negatives.tsv`` (places, people, ordinary
words, generic phrases), which must resolve to no actor. Linking: ``benchmarks/data/actor_passages.jsonl``
(written blind to the linker code), a prediction is right when it overlaps a gold mention with the same id.
The baseline is an exact lookup of the folded spelling among the actors' names.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import normalize  # noqa: E402
from normalize import Entry  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
# The language tag of the names the actor gazetteer derives (initials, names without a generic head word).
DERIVED = "und-x-derived"


def is_evaluation_actor(ident: str) -> bool:
    """The same split as scripts/train_actors.py (sha256 of the id, odd = evaluation)."""
    return int(hashlib.sha256(ident.encode()).hexdigest()[:8], 16) % 2 == 1


def key(text: str) -> str:
    return normalize.fold(text).replace(" ", "")


def held_out(actors: normalize.Gazetteer) -> list[tuple[str, str, str, normalize.Gazetteer]]:
    entries = list(actors)
    out = []
    for e in entries:
        if not is_evaluation_actor(e.id):
            continue
        for name in dict.fromkeys(e.names):
            if name.lang == DERIVED:
                continue  # derived again from the names that remain (the gazetteer's rule, not a spelling)
            k = key(name.text)
            kept = tuple(n for n in e.names if key(n.text) != k)
            if len(k) < 2 or not kept:
                continue
            others = {x.id for x in entries if x.id != e.id and any(key(n.text) == k for n in x.names)}
            if others:
                continue  # the spelling names another actor too: no single right answer
            withheld = Entry(e.id, e.name, e.kind, e.country, e.admin1, names=kept, source=e.source)
            out.append((name.text, name.lang or "?", e.id, actors.like(withheld if x.id == e.id else x
                                                                       for x in entries)))
    return out


def main(argv: list[str] | None = None) -> int:
    # No options: parsing still gives --help and rejects a mistyped flag instead of ignoring it.
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None).parse_args(argv)
    actors = normalize.actors()
    sig = normalize.Signature.of(actors, settings={"split": "sha256(id) odd = evaluation actors",
                                                   "negatives": "actor_negatives.tsv"})
    print(f"{sig}\n")
    t0 = time.perf_counter()
    queries = held_out(actors)
    exact = {}
    for e in actors:
        for n in e.names:
            if n.lang != DERIVED:  # the user's baseline knows only the listed names
                exact.setdefault(key(n.text), e.id)
    by_lang: dict[str, Counter[str]] = {}
    for text, lang, gold, g in queries:
        m = g.resolve(text)
        c = by_lang.setdefault(lang, Counter())
        c["n"] += 1
        c["ok"] += m is not None and m.id == gold
        base = {key(n.text): x.id for x in g for n in x.names if n.lang != DERIVED}.get(key(text))
        c["baseline"] += base == gold
        if len(text) <= 5 and text.isupper():
            a = by_lang.setdefault("abbreviations", Counter())
            a["n"] += 1
            a["ok"] += m is not None and m.id == gold
            a["baseline"] += base == gold
    print("## Held-out spellings of the evaluation actors (leave one name out)\n")
    print("| language | queries | normalize | exact lookup | target |")
    print("|---|---|---|---|---|")
    total = Counter()
    for lang, c in sorted(by_lang.items()):
        if lang != "abbreviations":
            total.update(c)
        print(f"| {lang} | {c['n']} | {c['ok'] / c['n']:.3f} | {c['baseline'] / c['n']:.3f} | |")
    print(f"| all | {total['n']} | {total['ok'] / total['n']:.3f} | {total['baseline'] / total['n']:.3f} | >= 0.90 |")

    with (DATA / "actor_spellings.tsv").open(encoding="utf-8") as f:
        spellings = list(csv.DictReader(f, delimiter="\t"))
    blind: dict[str, Counter[str]] = {}
    for row in spellings:
        m = actors.resolve(row["query"])
        c = blind.setdefault(row["lang"], Counter())
        c["n"] += 1
        c["ok"] += m is not None and m.id == row["id"]
        c["wrong"] += m is not None and m.id != row["id"]
        c["baseline"] += exact.get(key(row["query"])) == row["id"]
    print("\n## Real spellings written blind (actor_spellings.tsv, whole gazetteer)\n")
    print("| language | queries | normalize | wrong actor | exact lookup | target |")
    print("|---|---|---|---|---|---|")
    all_blind = Counter()
    for lang, c in sorted(blind.items()):
        all_blind.update(c)
        print(f"| {lang} | {c['n']} | {c['ok'] / c['n']:.3f} | {c['wrong'] / c['n']:.3f} | "
              f"{c['baseline'] / c['n']:.3f} | |")
    b = all_blind
    print(f"| all | {b['n']} | {b['ok'] / b['n']:.3f} | {b['wrong'] / b['n']:.3f} | {b['baseline'] / b['n']:.3f} | "
          f">= 0.90 |")

    with (DATA / "actor_negatives.tsv").open(encoding="utf-8") as f:
        negatives = list(csv.DictReader(f, delimiter="\t"))
    fp: dict[str, Counter[str]] = {}
    for row in negatives:
        c = fp.setdefault(row["type"], Counter())
        c["n"] += 1
        c["fp"] += actors.resolve(row["query"]) is not None
        c["baseline"] += key(row["query"]) in exact
    print("\n## Non-actors (false positives)\n")
    print("| type | queries | normalize | exact lookup | target |")
    print("|---|---|---|---|---|")
    all_fp = Counter()
    for kind, c in sorted(fp.items()):
        all_fp.update(c)
        print(f"| {kind} | {c['n']} | {c['fp'] / c['n']:.3f} | {c['baseline'] / c['n']:.3f} | |")
    print(f"| all | {all_fp['n']} | {all_fp['fp'] / all_fp['n']:.3f} | {all_fp['baseline'] / all_fp['n']:.3f} | "
          f"<= 0.05 |")

    passages = DATA / "actor_passages.jsonl"
    if passages.is_file():
        rows = [json.loads(line) for line in passages.read_text(encoding="utf-8").splitlines() if line.strip()]
        linker = normalize.Linker(actors=True)
        stats: dict[str, Counter[str]] = {}
        for row in rows:
            preds = [(m.start, m.end, m.id) for m in linker.link(row["text"], lang=row["lang"])
                     if m.category == "actor" and m.id]
            gold = [(g["start"], g["end"], g["id"]) for g in row["gold"]]
            c = stats.setdefault(row["lang"], Counter())
            c["gold"] += len(gold)
            c["found"] += sum(any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for p in preds) for g in gold)
            c["pred"] += len(preds)
            c["right"] += sum(any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for g in gold) for p in preds)
        print(f"\n## Linking actors ({passages.name}: {len(rows)} passages)\n")
        print("| language | gold | precision | recall |")
        print("|---|---|---|---|")
        for lang, c in sorted(stats.items()):
            precision, recall = c["right"] / max(1, c["pred"]), c["found"] / max(1, c["gold"])
            print(f"| {lang} | {c['gold']} | {precision:.3f} | {recall:.3f} |")
    print(f"\n{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
