"""BLEU and chrF of normalize's translation on a local test set (needs real weights and data).

    python benchmarks/translation_quality.py SOURCE REFERENCE MODEL_DIR [--lang ar] [--backend auto] [--beams 4]

SOURCE and REFERENCE are plain-text files with one sentence per line (e.g. FLORES-200 devtest
``arb_Arab.devtest`` and ``eng_Latn.devtest``); MODEL_DIR is a downloaded Marian model directory.
When any of them is missing it prints "SKIPPED: ..." and exits 0, so it can sit in CI. No weights or test
sets can be downloaded on the development machine, so translation quality has not been measured there:
the speed benchmark runs on random weights, which say nothing about quality.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?")
    parser.add_argument("reference", nargs="?")
    parser.add_argument("model_dir", nargs="?")
    parser.add_argument("--lang", "--from", dest="lang", default="ar", help="source language (--from: older name)")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only")
    args = parser.parse_args()
    files = (("source file", args.source), ("reference file", args.reference))
    missing = [f"{name} {value!r}" for name, value in files if not value or not Path(value).is_file()]
    if not args.model_dir or not (Path(args.model_dir) / "config.json").is_file():
        missing.append(f"model directory {args.model_dir!r} (no config.json)")
    if missing:
        print(f"SKIPPED: translation quality not measured: missing {', '.join(missing)}")
        return 0
    import sacrebleu

    from normalize._translate import Translator

    sources = Path(args.source).read_text(encoding="utf-8").splitlines()[:args.limit]
    references = Path(args.reference).read_text(encoding="utf-8").splitlines()[:args.limit]
    if len(sources) != len(references):
        print(f"error: {len(sources)} source lines but {len(references)} reference lines", file=sys.stderr)
        return 2
    translator = Translator(lang=args.lang, model=args.model_dir, backend=args.backend, beams=args.beams)
    start = time.perf_counter()
    hypotheses = translator.translate(sources)
    seconds = time.perf_counter() - start
    bleu = sacrebleu.corpus_bleu(hypotheses, [references])
    chrf = sacrebleu.corpus_chrf(hypotheses, [references])
    print(f"model {args.model_dir} | from {args.lang} | backend {translator.engine(args.lang).backend.name} | "
          f"beams {args.beams} | {len(sources)} sentences in {seconds:.1f}s")
    print(bleu.format(signature=str(sacrebleu.BLEU().get_signature())))
    print(chrf.format(signature=str(sacrebleu.CHRF().get_signature())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
