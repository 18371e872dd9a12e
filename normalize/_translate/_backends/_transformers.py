"""Generation with PyTorch ``MarianMTModel.generate`` (transformers 5 has no translation pipeline)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from normalize._errors import InvalidOptionError
from normalize._translate._backends import DecodeOptions, Hypothesis, ModelVocab
from normalize._translate._options import TRANSFORMERS_COMPUTE_TYPES

__all__ = ["TransformersBackend", "load"]


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class TransformersBackend:
    name = "transformers"
    workers = 1  # generate() runs one batch at a time (torch parallelises inside it)

    def __init__(self, model: Any, vocab: ModelVocab, device: str) -> None:
        import transformers

        config_cls: Any = transformers.GenerationConfig
        # generate() fills options we leave unset from the model's own generation config, and treats
        # None as unset: replace it, or the checkpoint's forced_eos_token_id / max_length still apply.
        model.generation_config = config_cls(
            decoder_start_token_id=vocab.pad_id, pad_token_id=vocab.pad_id, eos_token_id=vocab.eos_id)
        self._model = model
        self._vocab = vocab
        self.device = device
        self._lock = threading.Lock()

    def generation_config(self, options: DecodeOptions) -> Any:
        import transformers

        config_cls: Any = transformers.GenerationConfig
        # Every field explicit: the checkpoint's generation_config.json (max_length 512, num_beams 4,
        # forced_eos_token_id …) must not change results behind our back, and these settings are the
        # ones the CTranslate2 backend uses, so both give the same tokens.
        v = self._vocab
        return config_cls(
            do_sample=False, num_beams=options.beams, max_new_tokens=options.max_new_tokens,
            min_new_tokens=options.min_new_tokens, length_penalty=1.0,
            early_stopping=True if options.beams > 1 else None,
            no_repeat_ngram_size=options.no_repeat_ngram_size, repetition_penalty=1.0,
            bad_words_ids=[[v.pad_id]], forced_eos_token_id=None, forced_bos_token_id=None,
            decoder_start_token_id=v.pad_id, pad_token_id=v.pad_id, eos_token_id=v.eos_id,
            num_return_sequences=1)

    def generate(self, batches: Sequence[list[list[int]]],
                 options: Sequence[DecodeOptions]) -> Iterator[list[Hypothesis]]:
        for batch, opt in zip(batches, options, strict=True):
            yield self._generate(batch, opt)

    def _generate(self, batch: list[list[int]], options: DecodeOptions) -> list[Hypothesis]:
        import torch

        v = self._vocab
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), v.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, source in enumerate(batch):
            input_ids[row, :len(source)] = torch.tensor(source, dtype=torch.long)
            mask[row, :len(source)] = 1
        with self._lock, torch.inference_mode():
            out = self._model.generate(
                input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                generation_config=self.generation_config(options))
        result = []
        for seq in out.tolist():
            ids: list[int] = []
            finished = False
            for token in seq[1:]:  # seq[0] is the decoder start token
                if token == v.eos_id:
                    finished = True
                    break
                if token != v.pad_id:
                    ids.append(token)
            result.append(Hypothesis(ids, finished))
        return result


def load(path: Path, *, vocab: ModelVocab, device: str, compute_type: str | None) -> TransformersBackend:
    import torch
    import transformers

    device = resolve_device(device)
    if compute_type is not None and compute_type not in TRANSFORMERS_COMPUTE_TYPES:
        raise InvalidOptionError("compute_type", compute_type,
                                 f"with backend transformers one of {', '.join(TRANSFORMERS_COMPUTE_TYPES)}")
    dtype = getattr(torch, compute_type or "float32")
    model_cls: Any = transformers.MarianMTModel
    model: Any = model_cls.from_pretrained(str(path), local_files_only=True, dtype=dtype)
    model.to(device)
    model.eval()
    return TransformersBackend(model, vocab, device)
