"""Translation through the real loading, tokenisation and generation code, on a tiny random Marian model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalize._cache import clear_caches
from normalize._errors import ModelNotFoundError
from normalize._translate import Translator, translate
from normalize._translate._backends import DecodeOptions, Hypothesis
from normalize._translate._backends._ctranslate2 import conversion_root, converted_model
from normalize._translate._digits import convert_digits
from normalize._translate._engine import Engine

ARABIC = [
    "وصل الوفد إلى بغداد صباح اليوم.",
    "هل انتهى الاجتماع في الموصل؟",
    "قالت الشرطة إن الانفجار وقع قرب سوق البصرة، وأصيب عشرة أشخاص",
    "العراق",
    "تقع أربيل شمال العراق، على بعد ٣٥٠ كيلومترا من بغداد.",
]


@pytest.fixture(scope="module")
def hf(tiny_marian: Path) -> Translator:
    return Translator(lang="ar", model=str(tiny_marian), backend="transformers", beams=1)


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("normalize-cache")


@pytest.fixture(autouse=True)
def _library_cache(ct2_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Conversions go to the library cache: keep them out of the real ~/.cache, shared within this module.
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", str(ct2_cache))


@pytest.fixture(scope="module")
def tiny_marian_eos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model with a </s> bias, so hypotheses end on their own after 0 to 25 tokens."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from _tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian-eos") / "model", seed=0, eos_bias=3.0)


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(directory)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*"))}


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
    assert translate(ARABIC[:2], lang="ar", model=str(tiny_marian), backend="transformers", beams=1) == \
        hf.translate(ARABIC[:2])


def test_translate_function_keeps_the_loaded_model(tiny_marian: Path) -> None:
    import normalize._translate as api

    clear_caches()
    assert not api._translators
    first = translate(ARABIC[0], lang="ar", model=str(tiny_marian), backend="transformers", beams=1)
    (translator,) = api._translators.values()
    engine = translator.engine("ar")
    assert translate(ARABIC[0], lang="ar", model=str(tiny_marian), backend="transformers", beams=1) == first
    assert list(api._translators.values()) == [translator] and translator.engine("ar") is engine
    clear_caches()
    assert not api._translators


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
    tr = Translator(lang="ckb", model=str(tiny_marian_tc_big), backend="transformers", beams=1)
    engine = tr.engine("ckb")
    assert engine.target_prefix == ">>eng<<"
    vocab = json.loads((tiny_marian_tc_big / "vocab.json").read_text(encoding="utf-8"))
    assert engine.encode("هەولێر")[0] == vocab[">>eng<<"]
    assert tr.translate("هەولێر")
    assert Translator(lang="ckb", model=str(tiny_marian_tc_big), target_prefix="").engine("ckb").target_prefix is None


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
        Translator(lang="ar").translate(ARABIC[0])
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-ar-en" in message
    assert str(tmp_path / "hf" / "hub") in message
    assert "hf download Helsinki-NLP/opus-mt-ar-en" in message


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
    tr = Translator(lang="ar", backend="transformers", beams=1)
    assert tr.engine("ar").path == snapshot
    assert tr.translate(ARABIC[0]) == Translator(lang="ar", model=str(tiny_marian), backend="transformers",
                                                 beams=1).translate(ARABIC[0])


def generate(engine: Engine, sources: list[list[int]], options: DecodeOptions) -> list[Hypothesis]:
    (out,) = engine.backend.generate([sources], [options])
    return out


@pytest.mark.parametrize("beams", [1, 4])
def test_ctranslate2_float32_matches_transformers_token_for_token(tiny_marian: Path, beams: int) -> None:
    hf = Translator(lang="ar", model=str(tiny_marian), backend="transformers").engine("ar")
    ct = Translator(lang="ar", model=str(tiny_marian), backend="ctranslate2", device="cpu",
                    compute_type="float32").engine("ar")
    assert ct.backend.name == "ctranslate2"
    sources = [hf.encode(s) for s in [*ARABIC, "x", "بغداد " * 12]]
    for cap in (7, 30):
        options = DecodeOptions(beams=beams, max_new_tokens=cap)
        assert generate(hf, sources, options) == generate(ct, sources, options)
    # The engine's batching (sorted, split over CTranslate2's parallel workers) changes nothing either.
    assert ct.backend.workers >= 1
    assert hf.generate_ids(sources, beams=beams, batch_size=3) == ct.generate_ids(sources, beams=beams, batch_size=3)


@pytest.mark.parametrize("beams", [1, 4])
def test_ctranslate2_float32_parity_when_hypotheses_end_on_their_own(tiny_marian_eos: Path, beams: int) -> None:
    # With </s> reachable, both backends must stop at the same step and agree on which hypotheses finished
    # (CTranslate2 counts the end token in max_decoding_length as transformers does in max_new_tokens).
    hf = Translator(lang="ar", model=str(tiny_marian_eos), backend="transformers").engine("ar")
    ct = Translator(lang="ar", model=str(tiny_marian_eos), backend="ctranslate2", device="cpu",
                    compute_type="float32").engine("ar")
    sources = [hf.encode(s) for s in [*ARABIC, "x", "بغداد " * 12]]
    ends = []
    for cap in (3, 7, 30):
        options = DecodeOptions(beams=beams, max_new_tokens=cap)
        expected = generate(hf, sources, options)
        assert generate(ct, sources, options) == expected
        ends.extend((h.finished, len(h.ids)) for h in expected)
    finished_lengths = {n for done, n in ends if done}
    assert len(finished_lengths) >= 3 and any(not done for done, _ in ends)  # a real mix of ends and caps


def test_untied_checkpoint_is_kept_off_ctranslate2(tiny_marian_tc_big: Path) -> None:
    # CTranslate2's converter gave different tokens from transformers for an untied output projection,
    # so "auto" falls back to transformers and an explicit request is refused.
    from normalize._errors import TranslationError

    auto = Translator(lang="ckb", model=str(tiny_marian_tc_big), device="cpu").engine("ckb")
    assert auto.backend.name == "transformers"
    with pytest.raises(TranslationError, match="tie_word_embeddings"):
        Translator(lang="ckb", model=str(tiny_marian_tc_big), backend="ctranslate2").engine("ckb")


def test_ctranslate2_converts_into_the_library_cache_and_leaves_the_model_alone(
        tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", str(tmp_path / "cache"))
    before = snapshot(tiny_marian)
    tr = Translator(lang="ar", model=str(tiny_marian), backend="ctranslate2", device="cpu")
    out = tr.translate(ARABIC)
    assert len(out) == len(ARABIC) and all(out)
    backend = tr.engine("ar").backend
    assert getattr(backend, "compute_type", None) == "int8"
    assert getattr(backend, "use_vmap", None) is False  # the model ships no vocabulary map
    converted = list((tmp_path / "cache" / "ct2").iterdir())
    assert len(converted) == 1 and (converted[0] / "model.bin").exists()
    assert converted_model(tiny_marian) == converted[0]  # converted once, then reused
    assert snapshot(tiny_marian) == before  # nothing written into the user's model directory


def test_loading_ctranslate2_keeps_torch_thread_count(tiny_marian: Path) -> None:
    # One libgomp serves torch and CTranslate2: creating a translator set torch's threads to intra_threads.
    import torch

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(3)
        backend = Translator(lang="ar", model=str(tiny_marian), backend="ctranslate2", device="cpu").engine("ar")
        assert backend.backend.name == "ctranslate2"
        assert torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(before)


def test_ctranslate2_default_cache_folder(tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NORMALIZE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert conversion_root() == tmp_path / "xdg" / "normalize" / "ct2"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert conversion_root() == tmp_path / "home" / ".cache" / "normalize" / "ct2"


def test_ctranslate2_conversion_of_a_shipped_vocabulary_map(tiny_marian: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(tiny_marian, model)
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    common = [t for t in vocab if not t.startswith("<")][:50]
    (model / "vmap.txt").write_text("\t" + " ".join(common) + "\n", encoding="utf-8")
    tr = Translator(lang="ar", model=str(model), backend="ctranslate2", device="cpu", beams=1)
    backend = tr.engine("ar").backend
    assert getattr(backend, "use_vmap", None) is True
    assert (converted_model(model) / "vmap.txt").exists()
    # Output restricted to the map's 50 tokens (plus </s> and <unk>, which CTranslate2 always allows).
    ids = tr.engine("ar").generate_ids([tr.engine("ar").encode(s) for s in ARABIC], beams=1, batch_size=8)
    allowed = {vocab[t] for t in common} | {vocab["</s>"], vocab["<unk>"]}
    assert {i for row in ids for i in row} <= allowed and any(ids)


def test_disabled_cache_converts_into_a_temporary_folder_removed_at_exit(tiny_marian: Path, tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; "
            "from normalize._translate._backends._ctranslate2 import converted_model; "
            "target = converted_model(Path(sys.argv[1])); print(target); "
            "assert (target / 'model.bin').exists() and 'normalize-ct2-' in str(target.parent)")
    env = {**os.environ, "NORMALIZE_CACHE_DIR": "off", "TMPDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code, str(tiny_marian)], capture_output=True, text=True, env=env,
                         check=True)
    target = Path(out.stdout.strip().splitlines()[-1])
    assert target.is_relative_to(tmp_path)
    assert not target.parent.exists()  # removed when the process exited
    assert list(tmp_path.iterdir()) == []


def test_disabled_cache_folder_is_cleared_by_clear_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", "off")
    root = conversion_root()
    assert root.is_dir() and root == conversion_root()
    clear_caches()
    assert not root.exists()
    assert conversion_root() != root
    clear_caches()
