"""Which Marian model translates which source language into English, and how to override it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from normalize._errors import TranslationError

__all__ = ["IIR_MODEL", "MODELS", "ModelInfo", "env_var", "model_for"]


@dataclass(frozen=True)
class ModelInfo:
    """A default model: Hub id, the token that selects English on multi-target models, and its published score."""

    source: str
    model_id: str
    target_prefix: str | None = None
    note: str = ""


IIR_MODEL = "Helsinki-NLP/opus-mt-tc-bible-big-iir-deu_eng_fra_por_spa"

MODELS: Mapping[str, ModelInfo] = MappingProxyType({
    "ar": ModelInfo("ar", "Helsinki-NLP/opus-mt-ar-en",
                    note="Marian base, vocab 62,834; FLORES BLEU about 34"),
    # No dedicated OPUS-MT model for either Kurdish variety: the Indo-Iranian -> deu/eng/fra/por/spa
    # multi-target model needs the target-language token.
    "ckb": ModelInfo("ckb", IIR_MODEL, ">>eng<<", note="FLORES-200 ckb-eng BLEU about 24.7"),
    "kmr": ModelInfo("kmr", IIR_MODEL, ">>eng<<", note="FLORES-200 kmr-eng BLEU about 12.8"),
})


def env_var(source: str) -> str:
    """Environment variable that overrides the model for ``source``: ``NORMALIZE_MODEL_AR`` etc."""
    return f"NORMALIZE_MODEL_{source.upper()}"


def model_for(source: str, model: str | None = None) -> tuple[str, str | None]:
    """``(model id or local path, target prefix from the registry or None)`` for ``source``.

    Precedence: the ``model`` argument, then ``$NORMALIZE_MODEL_<SOURCE>``, then the registry default.
    The registry's target prefix is only returned for the registry's own model; for anything else the
    caller decides (from the model's vocabulary or an explicit option).
    """
    info = MODELS.get(source)
    chosen = model or os.environ.get(env_var(source)) or None
    if chosen is None:
        if info is None:
            raise TranslationError(_no_model_message(source))
        return info.model_id, info.target_prefix
    if info is not None and chosen == info.model_id:
        return chosen, info.target_prefix
    return chosen, None


def _no_model_message(source: str) -> str:
    if source == "fa":
        return (
            "no default model for Persian ('fa'): pass model=... (CLI: --model) or set "
            f"{env_var('fa')}; {IIR_MODEL} lists Persian among its Indo-Iranian sources "
            "(not evaluated here) and is used with the '>>eng<<' target token automatically")
    known = ", ".join(sorted(MODELS))
    return (f"no default translation model for source language {source!r} (defaults exist for {known}): "
            f"pass model=... (CLI: --model) or set {env_var(source)}")
