"""Benchmark of place-mention linking: precision, recall and F1 per language on hand-annotated passages, and
English throughput on a >= 1 MB synthetic concatenation, against a context-free baseline.

    python benchmarks/bench_link.py            # linking table
    python benchmarks/bench_link.py --process  # also: entity-preserving translation methods on the tiny model

A prediction counts as correct when its span (start, end) and id equal a gold mention's ("strict"); the
"overlap" columns accept any overlapping span with the right id. Mentions that resolved to nothing (id None)
are not predictions. The baseline is plain exact gazetteer matching without context: every automaton hit on a
word boundary (Arabic: whole words only, no clitic handling), longest match, no capitalisation or ambiguity
rules, each span resolved to its candidate with the highest resolver prior.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import normalize  # noqa: E402
from normalize._link import Linker  # noqa: E402
from normalize._link._automaton import AUTOMATON_KEY, build_patterns  # noqa: E402
from normalize._link._spans import Span, select_longest  # noqa: E402
from normalize._matching._folding import fold_text  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "link_passages.jsonl"
Prediction = tuple[int, int, str]


def load() -> list[dict[str, object]]:
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def baseline(gazetteer: normalize.Gazetteer) -> Callable[[str, str], list[Prediction]]:
    patterns = gazetteer.derived(AUTOMATON_KEY, build_patterns)

    def run(text: str, lang: str) -> list[Prediction]:
        ft = fold_text(text)
        padded = f" {ft.folded} "
        spans = []
        for end_idx, pat in patterns.automaton.iter(padded):
            n = len(pat.key)
            if pat.arabic:
                fs, fe = end_idx - n, end_idx
                if (fs > 0 and ft.folded[fs - 1] != " ") or (fe < len(ft.folded) and ft.folded[fe] != " "):
                    continue
            else:
                fs, fe = end_idx - n - 1, end_idx - 1
            spans.append(Span(ft.start(fs), ft.end(fe), fs, fe, pat.key, pat.arabic, pat.targets))
        out = []
        for span in select_longest(spans):
            best = max(span.targets, key=lambda t: t[0].population)  # a user's pick: the biggest namesake
            out.append((span.start, span.end, best[0].id))
        return out

    return run


def score(rows: list[dict[str, object]], predict: Callable[[str, str], list[Prediction]]
          ) -> dict[str, dict[str, float]]:
    stats: dict[str, dict[str, float]] = {}
    for row in rows:
        lang, text = str(row["lang"]), str(row["text"])
        gold = {(g["start"], g["end"], g["id"]) for g in row["gold"]}  # type: ignore[attr-defined]
        pred = set(predict(text, lang))
        s = stats.setdefault(lang, {"tp": 0, "fp": 0, "fn": 0, "otp": 0, "ofp": 0, "ofn": 0, "n": 0})
        s["n"] += 1
        s["tp"] += len(gold & pred)
        s["fp"] += len(pred - gold)
        s["fn"] += len(gold - pred)
        overlap = {p for p in pred if any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for g in gold)}
        found = {g for g in gold if any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for p in pred)}
        s["otp"] += len(overlap)
        s["ofp"] += len(pred) - len(overlap)
        s["ofn"] += len(gold) - len(found)
    for s in stats.values():
        for prefix in ("", "o"):
            tp, fp, fn = s[prefix + "tp"], s[prefix + "fp"], s[prefix + "fn"]
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            s[prefix + "P"], s[prefix + "R"] = p, r
            s[prefix + "F1"] = 2 * p * r / (p + r) if p + r else 0.0
    return stats


def throughput(rows: list[dict[str, object]], predict: Callable[[str, str], list[Prediction]],
               size: int) -> tuple[int, float]:
    english = [str(r["text"]) for r in rows if r["lang"] == "en"]
    parts: list[str] = []
    total = 0
    while total < size:
        for t in english:
            parts.append(t)
            total += len(t) + 1
    text = "\n".join(parts)
    predict(english[0], "en")  # warm-up: automaton and caches
    start = time.perf_counter()
    predict(text, "en")
    return len(text), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_048_576, help="characters of English for throughput")
    parser.add_argument("--process", action="store_true", help="also measure entity-preserving translation")
    args = parser.parse_args()
    gazetteer = normalize.default_gazetteer()
    rows = load()
    t0 = time.perf_counter()
    gazetteer.derived(AUTOMATON_KEY, build_patterns)
    build_s = time.perf_counter() - t0
    linker = Linker(gazetteer)

    def ours(text: str, lang: str) -> list[Prediction]:
        return [(m.start, m.end, m.id) for m in linker.link(text, lang=lang) if m.id is not None]

    systems = {"linker": ours, "baseline": baseline(gazetteer)}
    print(f"# bench_link normalize {normalize.__version__} gazetteer {gazetteer.checksum[:16]} "
          f"({len(gazetteer)} entries) passages {len(rows)} ({DATA.name}) throughput-size {args.size} "
          f"automaton-build {build_s:.1f}s python {sys.version.split()[0]}")
    print()
    print("| system | lang | passages | P | R | F1 | P overlap | R overlap | F1 overlap |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, fn in systems.items():
        for lang, s in sorted(score(rows, fn).items()):
            print(f"| {name} | {lang} | {int(s['n'])} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | "
                  f"{s['oP']:.3f} | {s['oR']:.3f} | {s['oF1']:.3f} |")
    print()
    print("| system | English chars | seconds | chars/s |")
    print("|---|---|---|---|")
    for name, fn in systems.items():
        n, secs = throughput(rows, fn, args.size)
        print(f"| {name} | {n} | {secs:.2f} | {n / secs:,.0f} |")
    if args.process:
        _bench_process(rows)
    return 0


def _bench_process(rows: list[dict[str, object]]) -> None:
    """Placeholder substitution vs post-alignment on the tiny random-weight Marian model (tests/_tiny_marian)."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from _tiny_marian import build_tiny_marian

    from normalize._process import process
    from normalize._translate import Translator

    with tempfile.TemporaryDirectory() as tmp:
        model = build_tiny_marian(Path(tmp) / "model", seed=0)
        translators = {lang: Translator(source=lang, model=str(model), backend="transformers", device="cpu")
                       for lang in ("ar", "ckb")}
        kept = changed = total = same_rest = 0
        ph_kept = ph_total = ph_same = 0
        for row in rows:
            lang = str(row["lang"])
            if lang not in translators:
                continue
            text = str(row["text"])
            tr = translators[lang]
            plain = tr.translate(text)
            doc = process(text, source=lang, translator=tr)
            total += len(doc.entities)
            kept += sum(doc.translation[e.target_start:e.target_end] == e.name for e in doc.entities)
            rest = _without(doc.translation, [(e.target_start, e.target_end) for e in doc.entities])
            same_rest += int(_tokens_subset(rest, plain))
            changed += 1
            # Placeholder substitution: each entity replaced by a token before translation.
            ents = sorted(doc.entities, key=lambda e: e.source_start)
            marked, last = "", 0
            for i, e in enumerate(ents):
                marked += text[last:e.source_start] + f" PLACE{i} "
                last = e.source_end
            marked += text[last:]
            out = tr.translate(marked)
            ph_total += len(ents)
            ph_kept += sum(f"PLACE{i}" in out for i in range(len(ents)))
            ph_same += int(_tokens_subset(out, plain))
        print()
        print(f"# process on the tiny model: {changed} Arabic/Sorani passages, {total} entities")
        print("| method | canonical names in output | texts whose non-entity output equals translate() |")
        print("|---|---|---|")
        print(f"| post-alignment (chosen) | {kept}/{total} | {same_rest}/{changed} |")
        print(f"| placeholder substitution | {ph_kept}/{ph_total} placeholders survived | {ph_same}/{changed} |")


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for s, e in sorted(spans):
        out.append(text[last:s])
        last = e
    out.append(text[last:])
    return " ".join("".join(out).split())


def _tokens_subset(candidate: str, plain: str) -> bool:
    """Whether ``candidate`` (entities removed) is ``plain`` with some words removed, in order."""
    words = iter(plain.split())
    return all(any(w == p for p in words) for w in candidate.split())


if __name__ == "__main__":
    sys.exit(main())
