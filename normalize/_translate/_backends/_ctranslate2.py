"""Generation with CTranslate2: the Marian model converted once, int8 on CPU by default.

CTranslate2's defaults differ from transformers' (beam_size 2, max_input_length 1024 which
*truncates silently*, max_decoding_length 256), so every one of them is set on each call.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from normalize._errors import TranslationError
from normalize._translate._backends import DecodeOptions, ModelVocab

__all__ = ["CTranslate2Backend", "converted_model", "load"]

_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "normalize" / "ct2"


def _cache_key(path: Path) -> str:
    import ctranslate2

    digest = hashlib.sha256()
    digest.update(f"{path.resolve()}\0ctranslate2 {ctranslate2.__version__}\0".encode())
    digest.update((path / "config.json").read_bytes())
    for name in _WEIGHTS:
        weights = path / name
        if weights.exists():
            stat = weights.stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def converted_model(path: Path, *, cache_dir: Path | None = None) -> Path:
    """The CTranslate2 conversion of the Marian model in ``path`` (float32, quantised on load).

    Stored in ``path/ct2-<key>`` when ``path`` is writable, else under ``$XDG_CACHE_HOME/normalize/ct2/<key>``
    (or ``cache_dir``). The key covers the model's config, its weight files' size and mtime, and the
    ctranslate2 version, so an updated model or library is converted again. Written to a temporary
    directory and renamed, so a concurrent or interrupted conversion never leaves a half-written model.
    """
    key = _cache_key(path)
    if cache_dir is not None:
        target = cache_dir / key
    elif os.access(path, os.W_OK):
        target = path / f"ct2-{key}"
    else:
        target = user_cache_dir() / key
    if (target / "model.bin").exists():
        return target
    from ctranslate2.converters import TransformersConverter

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".ct2-", dir=target.parent))
    try:
        TransformersConverter(str(path)).convert(str(tmp / "model"), force=True)
        try:
            os.replace(tmp / "model", target)
        except OSError:
            if not (target / "model.bin").exists():  # lost a race only if the winner finished
                raise
    except Exception as exc:
        raise TranslationError(f"could not convert {path} to CTranslate2 in {target.parent}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


class CTranslate2Backend:
    name = "ctranslate2"

    def __init__(self, translator: Any, vocab: ModelVocab, device: str, compute_type: str) -> None:
        self._translator = translator
        self._vocab = vocab
        self.device = device
        self.compute_type = compute_type
        self._ids = {token: i for i, token in enumerate(vocab.tokens)}

    def generate(self, batch: list[list[int]], options: DecodeOptions) -> list[list[int]]:
        v = self._vocab
        if max(len(ids) for ids in batch) > v.max_positions:
            raise TranslationError(f"a piece of {max(len(i) for i in batch)} tokens exceeds the model's "
                                   f"{v.max_positions} positions (segmentation should have split it)")
        # The converter drops <pad> from the vocabulary (it is only Marian's decoder start token), so
        # it cannot be generated and needs no suppressing, unlike in transformers.
        source = [[v.tokens[i] for i in ids] for ids in batch]
        results = self._translator.translate_batch(
            source, beam_size=options.beams, patience=1, num_hypotheses=1, length_penalty=1.0,
            coverage_penalty=0.0, repetition_penalty=1.0, no_repeat_ngram_size=options.no_repeat_ngram_size,
            max_input_length=v.max_positions, max_decoding_length=options.max_new_tokens,
            min_decoding_length=options.min_new_tokens, sampling_topk=1,
            return_end_token=False, max_batch_size=0)
        return [[self._ids[t] for t in r.hypotheses[0]] for r in results]


def load(path: Path, *, vocab: ModelVocab, device: str, compute_type: str | None) -> CTranslate2Backend:
    import ctranslate2

    device = resolve_device(device)
    if compute_type is None:
        compute_type = "int8" if device == "cpu" else "int8_float16"
    model_dir = converted_model(path)
    translator = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type)
    return CTranslate2Backend(translator, vocab, device, compute_type)
