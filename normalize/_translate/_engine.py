"""One loaded model: tokenizer, backend, token budget, length caps, batching and decoding.

Length rules (documented in docs/translation.md):

* a piece may have at most ``budget = max_positions // 2`` source tokens (``</s>`` and the target
  token included), so its translation has room in the decoder's positions;
* generation stops after ``max_new_tokens = min(2 * source_tokens + 10, max_positions - 1)`` tokens
  (``max_positions`` = the smaller of ``max_position_embeddings`` and the tokenizer's
  ``model_max_length``). The cap is applied per piece, so a piece's output does not depend on which
  other pieces share its batch;
* pieces are sorted longest first and cut into batches of at most ``batch_size`` pieces and at most
  ``batch_tokens`` padded source tokens; when the backend has parallel workers (CTranslate2 on CPU decodes
  several batches at once) into at least one batch per worker, each holding an equal share of the tokens,
  so the workers finish together (see ``plan_batches``); each batch's decoding stops at the largest cap
  among its pieces, so sorting keeps short pieces out of long pieces' batches;
* a hypothesis that hits its cap is a runaway: every run of the same 1-8 token unit repeated 3 or
  more times in it is cut back to one occurrence (hypotheses that end with ``</s>`` are left alone,
  so legitimate repetition in a finished translation is kept).
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from normalize._errors import BackendUnavailableError, ModelNotFoundError, TranslationError
from normalize._translate._backends import Backend, DecodeOptions, Hypothesis, ModelVocab, load_backend
from normalize._translate._loading import read_config

__all__ = ["DEFAULT_BATCH_TOKENS", "Engine", "max_new_tokens", "plan_batches", "trim_runaway"]

_MAX_UNIT = 8
_MIN_REPEATS = 3
_PROGRESS_MIN_PIECES = 64
#: Padded source tokens per batch at most. It binds only for long pieces at large batch sizes (64 pieces
#: of 60 tokens is 3,840): it bounds a batch's memory (beam 4 keeps 4 decoder caches per piece) whatever
#: batch_size says, and leaves the ordinary 16 x 10-60 token batches alone.
DEFAULT_BATCH_TOKENS = 2048


def max_new_tokens(source_tokens: int, max_positions: int) -> int:
    return min(2 * source_tokens + 10, max_positions - 1)


def trim_runaway(ids: list[int]) -> list[int]:
    """Collapse every run of one unit of 1-8 tokens repeated 3+ times in a row to a single occurrence."""
    out: list[int] = []
    i = 0
    while i < len(ids):
        for unit in range(1, _MAX_UNIT + 1):
            chunk = ids[i:i + unit]
            repeats = 1
            while ids[i + repeats * unit:i + (repeats + 1) * unit] == chunk and len(chunk) == unit:
                repeats += 1
            if repeats >= _MIN_REPEATS:
                out.extend(chunk)
                i += repeats * unit
                break
        else:
            out.append(ids[i])
            i += 1
    return out


class Engine:
    """A Marian model ready to translate pieces that fit its budget."""

    def __init__(self, path: Path, *, backend: str, device: str, compute_type: str | None,
                 target_prefix: str | None) -> None:
        try:
            from transformers import MarianTokenizer
        except ImportError as exc:  # transformers and sentencepiece are core dependencies: a broken install
            raise BackendUnavailableError(f"the Marian tokenizer needs transformers and sentencepiece: "
                                          f"pip install 'normalize-gazetteer' ({exc})") from exc

        self.path = path
        config = read_config(path)
        try:
            self._tokenizer: Any = MarianTokenizer.from_pretrained(str(path), local_files_only=True)
        except ImportError as exc:
            raise BackendUnavailableError(f"the Marian tokenizer needs sentencepiece: pip install sentencepiece "
                                          f"({exc})") from exc
        except (OSError, ValueError, TypeError, RuntimeError) as exc:  # sentencepiece's errors for a bad .spm
            raise ModelNotFoundError(f"translation model in {path}: its tokenizer files (vocab.json, "
                                     f"source.spm, target.spm) cannot be loaded: {exc}") from exc
        positions = int(config.get("max_position_embeddings", 512))
        tok_max = getattr(self._tokenizer, "model_max_length", positions)
        self.max_positions = min(positions, tok_max) if isinstance(tok_max, int) and tok_max > 0 else positions
        self.budget = self.max_positions // 2
        # We count tokens of over-long text on purpose (to split it); silence the "longer than the
        # maximum" warning, the budget above is what protects the model.
        self._tokenizer.model_max_length = 1 << 30
        vocab = self._tokenizer.get_vocab()
        tokens = [""] * (max(vocab.values()) + 1)
        for token, i in vocab.items():
            tokens[i] = token
        if target_prefix is None and ">>eng<<" in vocab:
            target_prefix = ">>eng<<"  # multi-target Tatoeba models need the target-language token
        if target_prefix and target_prefix not in vocab:
            raise TranslationError(f"target token {target_prefix!r} is not in the vocabulary of {path}")
        self.target_prefix = target_prefix or None
        self._vocab = ModelVocab(tuple(tokens), int(self._tokenizer.pad_token_id),
                                 int(self._tokenizer.eos_token_id), self.max_positions)
        self.backend: Backend = load_backend(backend, path, vocab=self._vocab, device=device,
                                             compute_type=compute_type)
        self._lock = threading.Lock()

    def encode(self, piece: str) -> list[int]:
        text = f"{self.target_prefix} {piece}" if self.target_prefix else piece
        ids: list[int] = self._tokenizer(text, truncation=False)["input_ids"]
        return ids

    def count(self, piece: str) -> int:
        return len(self.encode(piece))

    def decode(self, ids: list[int]) -> str:
        text: str = self._tokenizer.decode(ids, skip_special_tokens=True)
        return text.strip()

    def generate_ids(self, encoded: list[list[int]], *, beams: int, batch_size: int,
                     batch_tokens: int = DEFAULT_BATCH_TOKENS, no_repeat_ngram_size: int = 0,
                     progress: bool | None = None, lengths: Sequence[int] | None = None) -> list[list[int]]:
        """Target ids per source, in input order (see the module docstring for batching and caps).

        ``lengths`` (benchmarks only) forces each batch to decode exactly the largest of its pieces' lengths:
        random-weight models never emit ``</s>``, and the benchmark must give every side the same steps.
        """
        results: list[list[int]] = [[] for _ in encoded]
        if not encoded:
            return results
        batches = plan_batches([len(ids) for ids in encoded], batch_size=batch_size, batch_tokens=batch_tokens,
                               workers=self.backend.workers)
        caps = [max_new_tokens(len(ids), self.max_positions) for ids in encoded]
        options = []
        for batch in batches:
            cap = max(caps[i] for i in batch)
            forced = 0 if lengths is None else max(lengths[i] for i in batch)
            if forced > self.max_positions - 1:
                raise TranslationError(f"forced length {forced} exceeds the model's {self.max_positions} positions")
            options.append(DecodeOptions(beams=beams, max_new_tokens=forced or cap, min_new_tokens=forced,
                                         no_repeat_ngram_size=no_repeat_ngram_size))
        with self._lock:
            outputs: Iterator[list[Hypothesis]] = self.backend.generate(
                [[encoded[i] for i in batch] for batch in batches], options)
            for batch, out in zip(batches, self._progress(outputs, len(batches), len(encoded), progress),
                                  strict=True):
                for i, hyp in zip(batch, out, strict=True):
                    ids = hyp.ids[:caps[i]]
                    # Not finished within its own cap: a runaway (or a piece whose batch-mates allowed more).
                    results[i] = trim_runaway(ids) if len(hyp.ids) >= caps[i] else ids
        return results

    def translate_pieces(self, pieces: list[str], *, beams: int, batch_size: int,
                         batch_tokens: int = DEFAULT_BATCH_TOKENS, no_repeat_ngram_size: int = 0,
                         progress: bool | None = None) -> list[str]:
        encoded = [self.encode(p) for p in pieces]
        ids = self.generate_ids(encoded, beams=beams, batch_size=batch_size, batch_tokens=batch_tokens,
                                no_repeat_ngram_size=no_repeat_ngram_size, progress=progress)
        return [self.decode(i) for i in ids]

    @staticmethod
    def _progress(outputs: Iterator[list[Hypothesis]], batches: int, pieces: int,
                  enabled: bool | None) -> Iterable[list[Hypothesis]]:
        if enabled is None:
            enabled = sys.stderr.isatty() and pieces >= _PROGRESS_MIN_PIECES
        if not enabled:
            return outputs
        from tqdm import tqdm

        bar: Iterable[list[Hypothesis]] = tqdm(outputs, total=batches, desc="translate", unit="batch",
                                               file=sys.stderr)
        return bar


def plan_batches(lengths: Sequence[int], *, batch_size: int, batch_tokens: int = DEFAULT_BATCH_TOKENS,
                 workers: int = 1, balance: bool = True) -> list[list[int]]:
    """Indices of ``lengths`` sorted longest first (ties in input order), cut into batches.

    A batch holds at most ``batch_size`` pieces and at most ``batch_tokens`` padded tokens (pieces x its
    longest piece; a single piece over the budget still gets a batch of its own). With ``workers`` > 1 there
    are at least ``workers`` batches when there are that many pieces, and (``balance``) the token budget is
    lowered to an equal share of the pieces' tokens, so the batches of long pieces hold fewer of them and
    the parallel workers finish together instead of one decoding the long half while another idles.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    if workers > 1 and order:
        wanted = max(math.ceil(len(order) / batch_size), min(workers, len(order)))
        if balance:
            batch_tokens = min(batch_tokens, math.ceil(sum(lengths) / wanted))
        else:
            batch_size = min(batch_size, math.ceil(len(order) / wanted))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # Sorted longest first, so current[0] is the longest piece of the batch.
        if current and (len(current) >= batch_size or (len(current) + 1) * lengths[current[0]] > batch_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
