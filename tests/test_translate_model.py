"""Translation through the real loading, tokenisation and generation code, on a tiny random Marian model."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from normalize._errors import ModelNotFoundError
from normalize._translate import Translator, translate
from normalize._translate._backends._ctranslate2 import converted_model
from normalize._translate._digits import convert_digits
from normalize._translate._engine import DecodeOptions, Engine

ARABIC = [
    "وصل الوفد إلى بغداد صباح اليوم.",
    "هل انتهى الاجتماع في الموصل؟",
    "قالت الشرطة إن الانفجار وقع قرب سوق البصرة، وأصيب عشرة أشخاص",
    "العراق",
    "تقع أربيل شمال العراق، على بعد ٣٥٠ كيلومترا من بغداد.",
]


@pytest.fixture(scope="module")
def hf(tiny_marian: Path) -> Translator:
    return Translator(source="ar", model=str(tiny_marian), backend="transformers", beams=1)


@pytest.fixture(scope="module")
def ct2_model(tiny_marian: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("ct2-tiny") / "model"
    shutil.copytree(tiny_marian, copy)
    return copy


def test_shape_order_and_determinism(hf: Translator) -> None:
    one = hf.translate(ARABIC[0])
    assert isinstance(one, str) and one
    many = hf.translate(ARABIC)
    assert isinstance(many, list) and len(many) == len(ARABIC)
    assert many[0] == one
    # Batching sorts by length; results must come back in input order whatever the batch size.
    assert hf.translate(ARABIC, batch_size=1) == many
    assert hf.translate(list(reversed(ARABIC)), batch_size=2) == list(reversed(many))
    assert hf.translate(ARABIC) == many


def test_function_form_matches_translator(tiny_marian: Path, hf: Translator) -> None:
    assert translate(ARABIC[:2], source="ar", model=str(tiny_marian), backend="transformers", beams=1) == \
        hf.translate(ARABIC[:2])


def test_empty_input_does_not_call_the_model(hf: Translator, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = hf.engine("ar")

    def boom(*args: object, **kwargs: object) -> list[list[int]]:
        raise AssertionError("model called for empty input")

    monkeypatch.setattr(engine.backend, "generate", boom)
    assert hf.translate(["", " ", "\n\n"]) == ["", "", ""]


def test_long_input_is_split_and_every_sentence_is_translated(hf: Translator,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    engine = hf.engine("ar")
    assert engine.max_positions == 64
    seen: list[tuple[list[str], list[str]]] = []
    original = Engine.translate_pieces

    def spy(self: Engine, pieces: list[str], **kwargs: object) -> list[str]:
        out = original(self, pieces, **kwargs)  # type: ignore[arg-type]
        seen.append((pieces, out))
        return out

    monkeypatch.setattr(Engine, "translate_pieces", spy)
    # ~600 tokens: far over the 64 positions; one paragraph without any punctuation among others.
    paragraph = " ".join(ARABIC * 6)
    run_on = " ".join(["مدينة بغداد الكبيرة"] * 60)
    text = f"{paragraph}\n\n{run_on}"
    result = hf.translate(text)
    pieces, outputs = seen[-1]
    assert len(pieces) > len(ARABIC) * 6
    assert all(engine.count(p) <= engine.budget for p in pieces)
    assert all(out.strip() for out in outputs)  # every piece produced text
    # No source word was dropped between segmentation and translation.
    assert " ".join(pieces).split() == convert_digits(paragraph + " " + run_on, "ascii").split()
    # Paragraph break kept.
    assert result.count("\n\n") == 1 and all(part.strip() for part in result.split("\n\n"))


def test_single_overlong_word_is_hard_split(hf: Translator) -> None:
    engine = hf.engine("ar")
    word = "بغدادالموصلالبصرةأربيلكركوك" * 8
    assert engine.count(word) > engine.budget
    out = hf.translate(word)
    assert out.strip()


def test_digits_option_changes_model_input(hf: Translator, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = hf.engine("ar")
    captured: list[list[str]] = []
    original = Engine.translate_pieces

    def spy(self: Engine, pieces: list[str], **kwargs: object) -> list[str]:
        captured.append(list(pieces))
        return original(self, pieces, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "translate_pieces", spy)
    hf.translate("عام ٢٠٢٤ في بغداد")
    hf.translate("عام ٢٠٢٤ في بغداد", digits="keep")
    assert captured == [["عام 2024 في بغداد"], ["عام ٢٠٢٤ في بغداد"]]
    assert engine is hf.engine("ar")  # the loaded model is reused


def test_auto_detection_routes_and_passes_english_through(tiny_marian: Path) -> None:
    tr = Translator(model=str(tiny_marian), backend="transformers", beams=1)
    english = "The delegation arrived in Baghdad."
    out = tr.translate([english, ARABIC[0], "هێزەکانی پێشمەرگە لە هەولێر"])
    assert out[0] == english
    assert out[1] and out[1] != ARABIC[0]
    assert out[2]
    assert {key[0] for key in tr._engines} == {str(tiny_marian)}


def test_target_prefix_from_vocabulary(tiny_marian_tc_big: Path) -> None:
    tr = Translator(source="ckb", model=str(tiny_marian_tc_big), backend="transformers", beams=1)
    engine = tr.engine("ckb")
    assert engine.target_prefix == ">>eng<<"
    vocab = json.loads((tiny_marian_tc_big / "vocab.json").read_text(encoding="utf-8"))
    assert engine.encode("هەولێر")[0] == vocab[">>eng<<"]
    assert tr.translate("هەولێر")
    assert Translator(source="ckb", model=str(tiny_marian_tc_big), target_prefix="").engine("ckb").target_prefix is None


def test_tc_big_untied_output_projection_survives_loading(tiny_marian_tc_big: Path) -> None:
    # transformers issue 26216: tc-big checkpoints (separate lm_head) produced garbage because weight
    # tying overwrote one matrix with the other while loading.
    import torch
    from safetensors.torch import load_file
    from transformers import MarianMTModel

    saved = load_file(str(tiny_marian_tc_big / "model.safetensors"))
    model = MarianMTModel.from_pretrained(str(tiny_marian_tc_big))
    assert not model.config.tie_word_embeddings
    assert torch.equal(model.lm_head.weight, saved["lm_head.weight"])
    assert torch.equal(model.model.shared.weight, saved["model.shared.weight"])
    assert not torch.equal(model.lm_head.weight, model.model.shared.weight)


def test_missing_weights_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("NORMALIZE_MODEL_AR", raising=False)
    with pytest.raises(ModelNotFoundError) as info:
        Translator(source="ar").translate(ARABIC[0])
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-ar-en" in message
    assert str(tmp_path / "hf" / "hub") in message
    assert "hf download Helsinki-NLP/opus-mt-ar-en" in message

    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    (incomplete / "config.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="lacks"):
        Translator(source="ar", model=str(incomplete)).translate(ARABIC[0])


def test_hub_id_found_in_cache(tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lay the tiny model out as the Hugging Face cache does and resolve it by Hub id, offline.
    repo = tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-ar-en"
    snapshot = repo / "snapshots" / ("0" * 40)
    shutil.copytree(tiny_marian, snapshot, ignore=shutil.ignore_patterns("ct2-*"))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("NORMALIZE_MODEL_AR", raising=False)
    tr = Translator(source="ar", backend="transformers", beams=1)
    assert tr.engine("ar").path == snapshot
    assert tr.translate(ARABIC[0]) == Translator(source="ar", model=str(tiny_marian), backend="transformers",
                                                 beams=1).translate(ARABIC[0])


@pytest.mark.parametrize("beams", [1, 4])
def test_ctranslate2_float32_matches_transformers_token_for_token(ct2_model: Path, beams: int) -> None:
    hf = Translator(source="ar", model=str(ct2_model), backend="transformers").engine("ar")
    ct = Translator(source="ar", model=str(ct2_model), backend="ctranslate2", device="cpu",
                    compute_type="float32").engine("ar")
    assert ct.backend.name == "ctranslate2"
    sources = [hf.encode(s) for s in [*ARABIC, "x", "بغداد " * 12]]
    for cap in (7, 30):
        options = DecodeOptions(beams=beams, max_new_tokens=cap)
        assert hf.backend.generate(sources, options) == ct.backend.generate(sources, options)
    assert hf.generate_ids(sources, beams=beams, batch_size=3) == ct.generate_ids(sources, beams=beams, batch_size=3)


def test_untied_checkpoint_is_kept_off_ctranslate2(tiny_marian_tc_big: Path) -> None:
    # CTranslate2's converter gave different tokens from transformers for an untied output projection,
    # so "auto" falls back to transformers and an explicit request is refused.
    from normalize._errors import TranslationError

    auto = Translator(source="ckb", model=str(tiny_marian_tc_big), device="cpu").engine("ckb")
    assert auto.backend.name == "transformers"
    with pytest.raises(TranslationError, match="tie_word_embeddings"):
        Translator(source="ckb", model=str(tiny_marian_tc_big), backend="ctranslate2").engine("ckb")


def test_ctranslate2_int8_default_and_conversion_cache(ct2_model: Path) -> None:
    tr = Translator(source="ar", model=str(ct2_model), backend="ctranslate2", device="cpu")
    out = tr.translate(ARABIC)
    assert len(out) == len(ARABIC) and all(out)
    backend = tr.engine("ar").backend
    assert getattr(backend, "compute_type", None) == "int8"
    cached = sorted(ct2_model.glob("ct2-*"))
    assert len(cached) == 1 and (cached[0] / "model.bin").exists()
    assert converted_model(ct2_model) == cached[0]  # converted once, then reused


def test_ctranslate2_cache_goes_to_user_dir_when_model_is_read_only(
        tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro"
    shutil.copytree(tiny_marian, ro, ignore=shutil.ignore_patterns("ct2-*"))
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        import os

        if os.access(ro, os.W_OK):
            pytest.skip("running as a user that can write to read-only directories (root)")
        target = converted_model(ro)
        assert target.parent == tmp_path / "cache" / "normalize" / "ct2"
        assert (target / "model.bin").exists()
    finally:
        ro.chmod(stat.S_IRWXU)


def test_ctranslate2_explicit_cache_dir(tiny_marian: Path, tmp_path: Path) -> None:
    target = converted_model(tiny_marian, cache_dir=tmp_path / "c")
    assert target.parent == tmp_path / "c" and (target / "model.bin").exists()
