"""Generation backends, looked up by name and imported on first use (so torch/ctranslate2 load lazily).

A backend turns batches of source token ids (each ending in ``</s>``, no padding) into target token
ids (without the decoder start token, ``</s>`` or padding). Segmentation, batching, length caps and
decoding to text are shared and live in ``normalize._translate._engine``.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from normalize._errors import BackendUnavailableError, TranslationError
from normalize._translate._options import BACKENDS, check_choice

__all__ = ["Backend", "DecodeOptions", "ModelVocab", "available", "ctranslate2_supports", "load_backend"]

# name -> (module implementing it, the optional dependency it needs)
_MODULES = {
    "ctranslate2": ("normalize._translate._backends._ctranslate2", "ctranslate2"),
    "transformers": ("normalize._translate._backends._transformers", "torch"),
}


@dataclass(frozen=True)
class ModelVocab:
    """What a backend needs to know about the tokenizer."""

    tokens: tuple[str, ...]  # id -> token string
    pad_id: int
    eos_id: int
    max_positions: int


@dataclass(frozen=True)
class DecodeOptions:
    beams: int
    max_new_tokens: int
    no_repeat_ngram_size: int = 0
    min_new_tokens: int = 0  # only the benchmark sets it, to force a fixed output length


class Backend(Protocol):
    name: str
    device: str

    def generate(self, batch: list[list[int]], options: DecodeOptions) -> list[list[int]]: ...


def available(name: str) -> bool:
    module = _MODULES[name][1]
    return importlib.util.find_spec(module) is not None


def ctranslate2_supports(path: Path) -> bool:
    """False for Marian checkpoints with an untied output projection (see docs/translation.md)."""
    import json

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return bool(config.get("tie_word_embeddings", True))


def load_backend(name: str, path: Path, *, vocab: ModelVocab, device: str, compute_type: str | None) -> Backend:
    """Load ``path`` (a Hugging Face Marian directory) with backend ``name`` ("auto": ctranslate2 when
    installed, else transformers)."""
    check_choice("backend", name, BACKENDS)
    if name == "auto":
        name = "ctranslate2" if available("ctranslate2") and ctranslate2_supports(path) else "transformers"
    elif name == "ctranslate2" and not ctranslate2_supports(path):
        raise TranslationError(
            f"{path}: this checkpoint has a separate output projection (tie_word_embeddings false, as in "
            "some tc-big conversions); its CTranslate2 conversion gives different tokens from transformers "
            "in our tests, so use backend='transformers' for it")
    module_name, dependency = _MODULES[name]
    if not available(name):
        raise BackendUnavailableError(
            f"translation backend {name!r} needs the {dependency!r} package: "
            "pip install 'normalize-gazetteer[translate]'")
    module = importlib.import_module(module_name)
    backend: Backend = module.load(path, vocab=vocab, device=device, compute_type=compute_type)
    return backend
