"""Generation backends, looked up by name and imported on first use (so torch/ctranslate2 load lazily).

A backend turns batches of source token ids (each ending in ``</s>``, no padding) into target token
ids (without the decoder start token, ``</s>`` or padding), and says for each hypothesis whether it
ended with ``</s>``. Segmentation, batching, length caps and decoding to text are shared and live in
``normalize._translate._engine``.

A missing optional dependency is a :class:`~normalize.BackendUnavailableError` whose message is the one
``pip`` command that installs what is missing for that case (:func:`install_hint`).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from normalize._errors import BackendUnavailableError, NormalizeError, TranslationError
from normalize._options import BACKENDS, check_choice

__all__ = ["CPU_INDEX", "TORCH_PIN", "Backend", "DecodeOptions", "Hypothesis", "ModelVocab", "available",
           "ctranslate2_supports", "install_hint", "load_backend"]

# name -> (module implementing it, the optional package it cannot run without)
_MODULES = {
    "ctranslate2": ("normalize._translate._backends._ctranslate2", "ctranslate2"),
    "transformers": ("normalize._translate._backends._transformers", "torch"),
}

#: The torch release the test suite runs on. PyPI's Linux torch wheels are the CUDA build (several GB
#: with their nvidia-* dependencies); PyTorch's CPU index serves the same release without them.
TORCH_PIN = "torch==2.13.0"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# Lowest ctranslate2 with the TransformersConverter and translate_batch options used here (as in the extra).
_CT2_PIN = "ctranslate2>=4.3"


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
    # Benchmarks only: random-weight models never emit </s>, so the benchmark forces every side to the
    # same output length (min = max). Translation leaves it at 0.
    min_new_tokens: int = 0


@dataclass(frozen=True)
class Hypothesis:
    """The best hypothesis for one source: target ids, and whether it ended with ``</s>`` (False: it
    stopped at ``max_new_tokens``)."""

    ids: list[int]
    finished: bool


class Backend(Protocol):
    name: str
    device: str
    workers: int  # batches decoded at the same time; the engine cuts at least this many when it can

    def generate(self, batches: Sequence[list[list[int]]],
                 options: Sequence[DecodeOptions]) -> Iterator[list[Hypothesis]]:
        """Hypotheses per batch, yielded in the order of ``batches`` (batches may run in parallel)."""
        ...


def available(package: str) -> bool:
    """Whether ``package`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # a broken install, or a module set to None in sys.modules
        return False


def install_hint(missing: Sequence[str], device: str) -> str:
    """The one pip command that installs ``missing`` (``"torch"``, ``"ctranslate2"``) for ``device``."""
    wanted = set(missing)
    cuda = device == "cuda"
    if wanted >= {"torch", "ctranslate2"}:
        if cuda:
            return "pip install 'normalize-gazetteer[translate]' (PyPI's torch is the CUDA build)"
        return (f"pip install {TORCH_PIN} 'normalize-gazetteer[translate]' --extra-index-url {CPU_INDEX} "
                f"(the CPU build of torch; plain `pip install 'normalize-gazetteer[translate]'` pulls the "
                f"multi-GB CUDA build, which is what you want only on a CUDA machine)")
    if "torch" in wanted:
        if cuda:
            return f"pip install {TORCH_PIN} (PyPI's torch is the CUDA build)"
        return f"pip install {TORCH_PIN} --index-url {CPU_INDEX} (the CPU build of torch)"
    return f"pip install '{_CT2_PIN}'"


def ctranslate2_supports(path: Path) -> bool:
    """False for Marian checkpoints with an untied output projection (see docs/translation.md)."""
    from normalize._translate._loading import read_config

    return bool(read_config(path).get("tie_word_embeddings", True))


def load_backend(name: str, path: Path, *, vocab: ModelVocab, device: str, compute_type: str | None) -> Backend:
    """Load ``path`` (a Hugging Face Marian directory) with backend ``name`` ("auto": ctranslate2 when
    installed and the checkpoint is tied, else transformers)."""
    check_choice("backend", name, BACKENDS)
    chosen_automatically = name == "auto"
    if name == "auto":
        name = "ctranslate2" if available("ctranslate2") and ctranslate2_supports(path) else "transformers"
    elif name == "ctranslate2" and not ctranslate2_supports(path):
        raise TranslationError(
            f"{path}: this checkpoint has a separate output projection (tie_word_embeddings false, as in "
            "some tc-big conversions); its CTranslate2 conversion gives different tokens from transformers "
            "in our tests, so use backend='transformers' for it")
    module_name, package = _MODULES[name]
    if not available(package):
        if chosen_automatically and not available("ctranslate2"):
            # Neither backend can run: install both (the fast one needs torch for its one-off conversion).
            raise BackendUnavailableError(
                "translation needs PyTorch, and CTranslate2 for the fast backend; neither is installed. "
                f"Install them with: {install_hint(['torch', 'ctranslate2'], device)}")
        raise BackendUnavailableError(
            f"translation backend {name!r} needs the {package!r} package, which is not installed. "
            f"Install it with: {install_hint([package], device)}")
    module = importlib.import_module(module_name)
    try:
        backend: Backend = module.load(path, vocab=vocab, device=device, compute_type=compute_type)
    except NormalizeError:
        raise
    except ImportError as exc:  # installed but broken (a missing shared library, a version clash)
        raise BackendUnavailableError(
            f"translation backend {name!r} could not be imported: {exc}. Reinstall it with: "
            f"{install_hint([package], device)}") from exc
    except (OSError, RuntimeError, ValueError) as exc:  # unreadable weights, a device that is not there
        raise TranslationError(f"could not load the {name} backend for {path}: {exc}") from exc
    return backend
