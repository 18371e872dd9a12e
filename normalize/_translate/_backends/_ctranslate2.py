"""Generation with CTranslate2: the Marian model converted once, int8 on CPU by default.

CTranslate2's defaults differ from transformers' (beam_size 2, max_input_length 1024 which
*truncates silently*, max_decoding_length 256, intra_threads 4 whatever the machine), so every one of
them is set on each call.

Conversions live in the library's cache (``cache_dir("ct2")``: ``$NORMALIZE_CACHE_DIR/ct2``, by default
``~/.cache/normalize/ct2``), never in the user's model directory. With the cache disabled
(``NORMALIZE_CACHE_DIR=off``) they go to a temporary directory of this process, removed at exit.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from normalize._cache import cache_dir, register_cache
from normalize._errors import BackendUnavailableError, InvalidOptionError, TranslationError
from normalize._translate._backends import DecodeOptions, Hypothesis, ModelVocab, available, install_hint
from normalize._translate._loading import WEIGHTS
from normalize._translate._options import CT2_COMPUTE_TYPES, thread_budget, worker_threads

__all__ = ["VMAP_FILE", "CTranslate2Backend", "conversion_root", "converted_model", "load"]

#: A vocabulary map in CTranslate2's text format (``source n-gram<TAB>target tokens``), used when the model
#: directory ships one. OPUS-MT models on the Hugging Face Hub ship none; none is made up here.
VMAP_FILE = "vmap.txt"

_lock = threading.Lock()
_temporary: Path | None = None


def _clear_temporary() -> None:
    global _temporary
    with _lock:
        if _temporary is not None:
            shutil.rmtree(_temporary, ignore_errors=True)
            _temporary = None


# The per-process conversion folder (cache disabled) is an in-process cache: clear_caches() removes it.
# Loaded translators keep their weights in memory, so removing the files under them is safe.
register_cache(__name__, _clear_temporary)
atexit.register(_clear_temporary)


def conversion_root() -> Path:
    """Where converted models go: ``cache_dir("ct2")``, or this process's temporary directory when the
    cache is disabled."""
    root = cache_dir("ct2")
    if root is not None:
        return root
    global _temporary
    with _lock:
        if _temporary is None:
            _temporary = Path(tempfile.mkdtemp(prefix="normalize-ct2-"))
        return _temporary


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def _cache_key(path: Path) -> str:
    import ctranslate2

    digest = hashlib.sha256()
    digest.update(f"{path.resolve()}\0ctranslate2 {ctranslate2.__version__}\0".encode())
    digest.update((path / "config.json").read_bytes())
    for name in WEIGHTS:
        weights = path / name
        if weights.exists():
            stat = weights.stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    vmap = path / VMAP_FILE
    if vmap.exists():  # only models that ship one: the key of every other model is unchanged
        stat = vmap.stat()
        digest.update(f"{VMAP_FILE}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def converted_model(path: Path, *, root: Path | None = None) -> Path:
    """The CTranslate2 conversion of the Marian model in ``path`` (float32, quantised on load).

    Stored in ``root`` (default :func:`conversion_root`) under a key covering the model's config, its weight
    files' size and mtime, and the ctranslate2 version, so an updated model or library is converted again.
    Written to a temporary directory and renamed, so a concurrent or interrupted conversion never leaves a
    half-written model. Nothing is written to ``path``.
    """
    target = (root or conversion_root()) / _cache_key(path)
    if (target / "model.bin").exists():
        return target
    if not available("torch"):
        raise BackendUnavailableError(
            f"converting {path} to CTranslate2 (done once, then cached in {target.parent}) needs PyTorch, "
            f"which is not installed. Install it with: {install_hint(['torch'], 'cpu')}")
    from ctranslate2.converters import TransformersConverter

    vmap = path / VMAP_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".ct2-", dir=target.parent))
    except OSError as exc:
        raise TranslationError(f"cannot write the CTranslate2 conversion of {path} to {target.parent}: {exc}; "
                               f"set NORMALIZE_CACHE_DIR to a writable folder (or 'off')") from exc
    try:
        TransformersConverter(str(path)).convert(str(tmp / "model"), vmap=str(vmap) if vmap.exists() else None,
                                                 force=True)
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

    def __init__(self, translator: Any, vocab: ModelVocab, device: str, compute_type: str, *, workers: int,
                 use_vmap: bool) -> None:
        self._translator = translator
        self._vocab = vocab
        self.device = device
        self.compute_type = compute_type
        self.workers = workers
        self.use_vmap = use_vmap
        self._ids = {token: i for i, token in enumerate(vocab.tokens)}
        self._eos = vocab.tokens[vocab.eos_id]

    def generate(self, batches: Sequence[list[list[int]]],
                 options: Sequence[DecodeOptions]) -> Iterator[list[Hypothesis]]:
        v = self._vocab
        for batch in batches:
            if max(len(ids) for ids in batch) > v.max_positions:
                raise TranslationError(f"a piece of {max(len(i) for i in batch)} tokens exceeds the model's "
                                       f"{v.max_positions} positions (segmentation should have split it)")
        # Every batch is submitted before any result is read, so the workers decode batches in parallel.
        # The converter drops <pad> from the vocabulary (it is only Marian's decoder start token), so it
        # cannot be generated and needs no suppressing, unlike in transformers.
        pending = [self._translator.translate_batch(
            [[v.tokens[i] for i in ids] for ids in batch], asynchronous=True, max_batch_size=0,
            beam_size=opt.beams, patience=1, num_hypotheses=1, length_penalty=1.0, coverage_penalty=0.0,
            repetition_penalty=1.0, no_repeat_ngram_size=opt.no_repeat_ngram_size,
            max_input_length=v.max_positions, max_decoding_length=opt.max_new_tokens,
            min_decoding_length=opt.min_new_tokens, sampling_topk=1, use_vmap=self.use_vmap,
            # With the end token in the result, a hypothesis that finished is told from one that hit its cap.
            return_end_token=True) for batch, opt in zip(batches, options, strict=True)]
        for futures in pending:
            try:
                results = [future.result() for future in futures]
            except RuntimeError as exc:
                raise TranslationError(f"CTranslate2 failed: {exc}") from exc
            yield [self._hypothesis(r.hypotheses[0]) for r in results]

    def _hypothesis(self, tokens: list[str]) -> Hypothesis:
        finished = bool(tokens) and tokens[-1] == self._eos
        return Hypothesis([self._ids[t] for t in (tokens[:-1] if finished else tokens)], finished)


def load(path: Path, *, vocab: ModelVocab, device: str, compute_type: str | None,
         threads: tuple[int, int] | None = None, use_vmap: bool | None = None) -> CTranslate2Backend:
    """``threads`` (``(inter_threads, intra_threads)``) and ``use_vmap`` are for the benchmark's lever
    table; by default they follow the machine (:func:`worker_threads`) and the model (a shipped vmap)."""
    import ctranslate2

    device = resolve_device(device)
    if compute_type is None:
        compute_type = "int8" if device == "cpu" else "int8_float16"
    supported = sorted(ctranslate2.get_supported_compute_types(device))
    if compute_type not in CT2_COMPUTE_TYPES or compute_type not in supported:
        raise InvalidOptionError("compute_type", compute_type, f"on {device} with ctranslate2 one of "
                                 f"{', '.join(supported)}")
    if threads is None:
        # CPU: parallel one-thread workers (see worker_threads). GPU: one worker, ctranslate2's CPU threads.
        threads = worker_threads(thread_budget()) if device == "cpu" else (1, 0)
    model_dir = converted_model(path)
    if use_vmap is None:
        use_vmap = (model_dir / "vmap.txt").exists()
    inter, intra = threads
    # Creating a Translator sets the calling thread's OpenMP thread count to intra_threads, and with torch
    # loaded that is torch's count too (one libgomp serves both): a caller's torch.set_num_threads(8) would
    # silently become 1. Put it back; CTranslate2's workers keep their own setting.
    torch = sys.modules.get("torch")
    torch_threads = torch.get_num_threads() if torch is not None else None
    try:
        translator = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type,
                                            inter_threads=inter, intra_threads=intra)
    finally:
        if torch is not None and torch_threads is not None:
            torch.set_num_threads(torch_threads)
    return CTranslate2Backend(translator, vocab, device, compute_type, workers=inter, use_vmap=use_vmap)
