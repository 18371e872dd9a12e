"""One loaded model: tokenizer, backend, token budget, length caps, batching and decoding.

Length rules (documented in docs/translation.md):

* a piece may have at most ``budget = max_positions // 2`` source tokens (``</s>`` and the target
  token included), so its translation has room in the decoder's positions;
* generation stops after ``max_new_tokens = min(2 * source_tokens + 10, max_positions - 1)`` tokens
  (``max_positions`` = the smaller of ``max_position_embeddings`` and the tokenizer's
  ``model_max_length``). The cap is applied per piece, so a piece's output does not depend on which
  other pieces share its batch;
* a hypothesis that hits its cap is a runaway: every run of the same 1-8 token unit repeated 3 or
  more times in it is cut back to one occurrence (hypotheses that end with ``</s>`` are left alone,
  so legitimate repetition in a finished translation is kept).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from normalize._translate._backends import Backend, DecodeOptions, ModelVocab, load_backend

__all__ = ["Engine", "max_new_tokens", "trim_runaway"]

_MAX_UNIT = 8
_MIN_REPEATS = 3
_PROGRESS_MIN_PIECES = 64


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
        from transformers import MarianTokenizer

        self.path = path
        self._tokenizer: Any = MarianTokenizer.from_pretrained(str(path), local_files_only=True)
        import json

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
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
            from normalize._errors import TranslationError

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

    def generate_ids(self, encoded: list[list[int]], *, beams: int, batch_size: int, no_repeat_ngram_size: int = 0,
                     progress: bool | None = None) -> list[list[int]]:
        """Target ids per source, batches sorted longest first, results in input order."""
        order = sorted(range(len(encoded)), key=lambda i: (-len(encoded[i]), i))
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        results: list[list[int]] = [[] for _ in encoded]
        for batch in self._progress(batches, len(encoded), progress):
            caps = [max_new_tokens(len(encoded[i]), self.max_positions) for i in batch]
            options = DecodeOptions(beams=beams, max_new_tokens=max(caps), no_repeat_ngram_size=no_repeat_ngram_size)
            with self._lock:
                out = self.backend.generate([encoded[i] for i in batch], options)
            for i, cap, ids in zip(batch, caps, out, strict=False):
                ids = ids[:cap]
                results[i] = trim_runaway(ids) if len(ids) >= cap else ids
        return results

    def translate_pieces(self, pieces: list[str], *, beams: int, batch_size: int, no_repeat_ngram_size: int = 0,
                         progress: bool | None = None) -> list[str]:
        encoded = [self.encode(p) for p in pieces]
        ids = self.generate_ids(encoded, beams=beams, batch_size=batch_size,
                                no_repeat_ngram_size=no_repeat_ngram_size, progress=progress)
        return [self.decode(i) for i in ids]

    @staticmethod
    def _progress(batches: list[list[int]], pieces: int, enabled: bool | None) -> Iterable[list[int]]:
        if enabled is None:
            enabled = sys.stderr.isatty() and pieces >= _PROGRESS_MIN_PIECES
        if not enabled:
            return batches
        from tqdm import tqdm

        bar: Iterable[list[int]] = tqdm(batches, total=len(batches), desc="translate", unit="batch", file=sys.stderr)
        return bar
