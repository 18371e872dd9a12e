"""Translate Arabic, Sorani and Kurmanji news text into English with Marian (OPUS-MT) models.

``translate(texts, ...)`` and ``Translator(...).translate(texts)``; see docs/translation.md.
Importing this package imports neither torch, transformers nor ctranslate2: they load on the first
translation that needs a model.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import overload

from normalize._cache import register_cache
from normalize._errors import InvalidOptionError
from normalize._matching._language import detect_language
from normalize._options import BACKENDS, DEVICES, check_choice, check_positive
from normalize._translate._digits import DIGIT_MODES, convert_digits
from normalize._translate._engine import DEFAULT_BATCH_TOKENS, Engine
from normalize._translate._options import COMPUTE_TYPES, check_compute_type, check_non_negative, resolve_lang
from normalize._translate._registry import MODELS, ModelInfo, env_var, model_for
from normalize._translate._segment import Layout, layout

__all__ = ["COMPUTE_TYPES", "DIGIT_MODES", "MODELS", "ModelInfo", "Translator", "env_var", "translate"]

# Texts detected as these are returned unchanged: already English, or nothing to translate.
_PASS_THROUGH = frozenset({"en", "und"})


class Translator:
    """Keeps loaded models (one per source language / model) for repeated ``translate`` calls.

    ``lang``: ``"auto"`` (the default: ``detect_language`` per text; English and letterless texts are
    returned unchanged), or a language code (``"ar"``, ``"ckb"``, ``"kmr"``, ``"fa"`` with a model, ``"en"``),
    as in ``link(lang=...)``. ``source=`` is its deprecated alias (a ``DeprecationWarning``; removed in the
    next release).
    ``model``: Hub id or local directory, overriding the registry and ``$NORMALIZE_MODEL_<LANG>``.
    ``backend``: ``"auto"`` (CTranslate2 when installed, else transformers), ``"ctranslate2"``, ``"transformers"``.
    ``device``: ``"auto"`` (CUDA when present), ``"cpu"``, ``"cuda"``.
    ``compute_type``: CTranslate2 ``int8`` (CPU default), ``int8_float32``, ``int16``, ``float32`` on CPU,
    ``int8_float16`` (CUDA default) …; transformers ``float32`` (default), ``float16``, ``bfloat16``.
    ``target_prefix``: target-language token put before each piece; by default the registry's, else
    ``>>eng<<`` when the model's vocabulary has it; ``""`` disables it.
    ``batch_size``: at most this many pieces (sentences) per batch; batches are also capped at
    ``batch_tokens`` padded source tokens.
    Safe to share between threads (loading and generation are serialised per model).
    """

    def __init__(self, *, lang: str | None = None, model: str | None = None, backend: str = "auto",
                 device: str = "auto", compute_type: str | None = None, target_prefix: str | None = None,
                 beams: int = 4, batch_size: int = 16, batch_tokens: int = DEFAULT_BATCH_TOKENS,
                 digits: str = "ascii", no_repeat_ngram_size: int = 0, progress: bool | None = None,
                 source: str | None = None) -> None:
        self.lang = resolve_lang(lang, source)
        if model is not None and (not isinstance(model, str) or not model.strip()):
            raise InvalidOptionError("model", model, "a Hub id or a local directory, or None for the registry's")
        self.model = model
        self.backend = check_choice("backend", backend, BACKENDS)
        self.device = check_choice("device", device, DEVICES)
        self.compute_type = check_compute_type(compute_type)
        if target_prefix is not None and not isinstance(target_prefix, str):
            raise InvalidOptionError("target_prefix", target_prefix, "a vocabulary token such as '>>eng<<', or ''")
        self.target_prefix = target_prefix
        self.beams = check_positive("beams", beams)
        self.batch_size = check_positive("batch_size", batch_size)
        self.batch_tokens = check_positive("batch_tokens", batch_tokens)
        self.digits = check_choice("digits", digits, DIGIT_MODES)
        self.no_repeat_ngram_size = check_non_negative("no_repeat_ngram_size", no_repeat_ngram_size)
        self.progress = progress
        self._engines: dict[tuple[str, str | None], Engine] = {}
        self._lock = threading.Lock()

    @property
    def source(self) -> str:
        """Deprecated name of :attr:`lang`."""
        return self.lang

    def __repr__(self) -> str:
        return (f"Translator(lang={self.lang!r}, model={self.model!r}, backend={self.backend!r}, "
                f"device={self.device!r})")

    def engine(self, lang: str) -> Engine:
        """The loaded model for language ``lang`` (loaded on first use; raises ModelNotFoundError if absent)."""
        model_id, prefix = model_for(lang, self.model)
        if self.target_prefix is not None:
            prefix = self.target_prefix
        key = (model_id, prefix)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                from normalize._translate._loading import locate_model

                # The registry's id for this language names the files a bare local directory should hold.
                registry = MODELS.get(lang)
                path = locate_model(model_id, hub_id=registry.model_id if registry else None)
                engine = Engine(path, backend=self.backend, device=self.device,
                                compute_type=self.compute_type, target_prefix=prefix)
                self._engines[key] = engine
            return engine

    def language_of(self, text: str) -> str:
        return detect_language(text) if self.lang == "auto" else self.lang

    @overload
    def translate(  # type: ignore[overload-overlap]  # a str is also a Sequence[str]
            self, texts: str, *, beams: int | None = ..., batch_size: int | None = ...,
            digits: str | None = ..., progress: bool | None = ...) -> str: ...
    @overload
    def translate(self, texts: Sequence[str], *, beams: int | None = ..., batch_size: int | None = ...,
                  digits: str | None = ..., progress: bool | None = ...) -> list[str]: ...

    def translate(self, texts: str | Sequence[str], *, beams: int | None = None, batch_size: int | None = None,
                  digits: str | None = None, progress: bool | None = None) -> str | list[str]:
        """English translation of one text or of each text in a list (same shape, same order).

        Empty and whitespace-only texts give ``""`` without touching a model. Line breaks are kept.
        """
        single = isinstance(texts, str)
        if not single and not isinstance(texts, Sequence):
            raise TypeError(f"texts must be a str or a list of str, not {type(texts).__name__}")
        items: list[str] = [texts] if isinstance(texts, str) else list(texts)
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] is {type(t).__name__}, not str")
        beams = check_positive("beams", self.beams if beams is None else beams)
        batch_size = check_positive("batch_size", self.batch_size if batch_size is None else batch_size)
        digits = check_choice("digits", self.digits if digits is None else digits, DIGIT_MODES)
        progress = self.progress if progress is None else progress

        out: list[str] = [""] * len(items)
        jobs: dict[str, list[int]] = {}
        for i, text in enumerate(items):
            if not text.strip():
                continue
            language = self.language_of(text)
            if language in _PASS_THROUGH:
                out[i] = text
            else:
                jobs.setdefault(language, []).append(i)
        for language in sorted(jobs):
            engine = self.engine(language)
            layouts: list[tuple[int, Layout]] = [
                (i, layout(convert_digits(items[i], digits), engine.count, engine.budget)) for i in jobs[language]]
            pieces = [p for _, lay in layouts for p in lay.pieces]
            translated = engine.translate_pieces(pieces, beams=beams, batch_size=batch_size,
                                                 batch_tokens=self.batch_tokens,
                                                 no_repeat_ngram_size=self.no_repeat_ngram_size, progress=progress)
            start = 0
            for i, lay in layouts:
                out[i] = lay.join(translated[start:start + len(lay.pieces)])
                start += len(lay.pieces)
        return out[0] if single else out


# translate() keeps the Translators of its last few option sets, so repeated calls do not reload the model
# (each holds its loaded models: ~80 MB for opus-mt-ar-en in int8, ~300 MB in float32). Two covers a caller
# alternating between two configurations; clear_caches() empties it.
_KEEP_TRANSLATORS = 2
_translators: OrderedDict[tuple[object, ...], Translator] = OrderedDict()
_translators_lock = threading.Lock()


def _clear_translators() -> None:
    with _translators_lock:
        _translators.clear()


register_cache(__name__, _clear_translators)


@overload
def translate(  # type: ignore[overload-overlap]  # a str is also a Sequence[str]
        texts: str, *, lang: str | None = ..., model: str | None = ..., backend: str = ..., device: str = ...,
        beams: int = ..., batch_size: int = ..., digits: str = ..., compute_type: str | None = ...,
        progress: bool | None = ..., source: str | None = ...) -> str: ...
@overload
def translate(texts: Sequence[str], *, lang: str | None = ..., model: str | None = ..., backend: str = ...,
              device: str = ..., beams: int = ..., batch_size: int = ..., digits: str = ...,
              compute_type: str | None = ..., progress: bool | None = ..., source: str | None = ...) -> list[str]: ...


def translate(texts: str | Sequence[str], *, lang: str | None = None, model: str | None = None,
              backend: str = "auto", device: str = "auto", beams: int = 4, batch_size: int = 16,
              digits: str = "ascii", compute_type: str | None = None, progress: bool | None = None,
              source: str | None = None) -> str | list[str]:
    """Translate one text or a list of texts into English (see ``Translator`` for the options).

    The loaded model is kept for the next call with the same ``lang``/``model``/``backend``/``device``/
    ``compute_type`` (the last two such sets are kept; ``normalize._cache.clear_caches()`` drops them).
    """
    lang = resolve_lang(lang, source)
    key = (lang, model, backend, device, compute_type)
    with _translators_lock:
        translator = _translators.get(key)
        if translator is not None:
            _translators.move_to_end(key)
    if translator is None:
        translator = Translator(lang=lang, model=model, backend=backend, device=device,
                                compute_type=compute_type)
        with _translators_lock:
            _translators[key] = translator
            while len(_translators) > _KEEP_TRANSLATORS:
                _translators.popitem(last=False)
    return translator.translate(texts, beams=beams, batch_size=batch_size, digits=digits, progress=progress)
