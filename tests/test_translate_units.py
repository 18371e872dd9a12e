"""Model-free parts of translation: segmentation, digits, registry, runaway trimming, lazy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from normalize._errors import NormalizeError, TranslationError
from normalize._translate import MODELS, InvalidOptionError, Translator
from normalize._translate._digits import convert_digits
from normalize._translate._engine import max_new_tokens, trim_runaway
from normalize._translate._registry import IIR_MODEL, env_var, model_for
from normalize._translate._segment import fit_to_budget, layout, split_sentences


def words(text: str) -> int:
    return len(text.split())


def test_split_sentences_arabic_and_latin_punctuation() -> None:
    line = "وصل الوفد إلى بغداد. هل انتهى الاجتماع؟ نعم؛ انتهى! Prices rose 3.5 percent. Done"
    assert split_sentences(line) == [
        "وصل الوفد إلى بغداد.", "هل انتهى الاجتماع؟", "نعم؛", "انتهى!", "Prices rose 3.5 percent.", "Done"]


def test_layout_keeps_lines_and_blank_lines() -> None:
    lay = layout("A b. C d.\n\nE f", words, 10)
    assert lay.pieces == ("A b.", "C d.", "E f")
    assert lay.line_sizes == (2, 0, 1)
    assert lay.join(["1", "2", "3"]) == "1 2\n\n3"


def test_fit_cuts_at_commas_then_spaces_then_characters() -> None:
    sentence = "one two three, four five six، seven eight nine ten eleven twelve"
    pieces = fit_to_budget(sentence, words, 4)
    assert all(words(p) <= 4 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()
    assert pieces[0] == "one two three,"

    chars = fit_to_budget("x" * 25, len, 10)
    assert chars == ["x" * 10, "x" * 10, "x" * 5]


def test_fit_never_loses_text_on_long_unpunctuated_input() -> None:
    text = " ".join(f"w{i}" for i in range(500))
    pieces = fit_to_budget(text, words, 7)
    assert all(words(p) <= 7 for p in pieces)
    assert " ".join(pieces) == text


def test_budget_too_small_is_an_error() -> None:
    with pytest.raises(TranslationError):
        fit_to_budget("abc", lambda s: len(s) + 5, 3)


def test_digits() -> None:
    assert convert_digits("عام ٢٠٢٤ و۱۴۰۳ و٣٫٥ و١٬٠٠٠", "ascii") == "عام 2024 و1403 و3.5 و1,000"
    assert convert_digits("٢٠٢٤", "keep") == "٢٠٢٤"
    with pytest.raises(InvalidOptionError):
        convert_digits("1", "roman")


def test_max_new_tokens_cap() -> None:
    assert max_new_tokens(5, 512) == 20
    assert max_new_tokens(300, 512) == 511


def test_trim_runaway() -> None:
    assert trim_runaway([1, 2, 2, 2, 2, 3, 4, 5, 4, 5, 4, 5, 6]) == [1, 2, 3, 4, 5, 6]
    assert trim_runaway([1, 2, 1, 2, 3]) == [1, 2, 1, 2, 3]  # two repeats are kept
    assert trim_runaway([]) == []


def test_registry_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(env_var("ar"), raising=False)
    monkeypatch.delenv(env_var("ckb"), raising=False)
    assert MODELS["ar"].model_id == "Helsinki-NLP/opus-mt-ar-en"
    assert model_for("ar") == ("Helsinki-NLP/opus-mt-ar-en", None)
    assert model_for("ckb") == (IIR_MODEL, ">>eng<<")
    assert model_for("kmr") == (IIR_MODEL, ">>eng<<")
    monkeypatch.setenv("NORMALIZE_MODEL_AR", "/models/ar")
    assert model_for("ar") == ("/models/ar", None)
    assert model_for("ar", "other/model") == ("other/model", None)


def test_persian_has_no_default_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NORMALIZE_MODEL_FA", raising=False)
    with pytest.raises(NormalizeError, match="NORMALIZE_MODEL_FA") as info:
        Translator(model=None).translate("وزیر امور خارجه ایران در تهران گفت که گفتگوها ادامه پیدا می‌کند")
    assert IIR_MODEL in str(info.value)


def test_bad_options() -> None:
    with pytest.raises(InvalidOptionError):
        Translator(backend="marian")
    with pytest.raises(InvalidOptionError):
        Translator(beams=0)
    with pytest.raises(InvalidOptionError):
        Translator(digits="x")


def test_empty_and_english_input_need_no_model() -> None:
    translator = Translator(model="/nonexistent/model")
    assert translator.translate(["", "   ", "\n\t", "The city of Mosul."]) == ["", "", "", "The city of Mosul."]
    assert translator.translate("") == ""


def test_import_does_not_load_heavy_dependencies() -> None:
    code = ("import sys, normalize._translate, normalize._matching._language, normalize._cli._translate; "
            "print(sorted(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_non_text_input_raises_type_error() -> None:
    from normalize import translate

    with pytest.raises(TypeError, match="str or a list of str"):
        translate(None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        translate(["", 5])  # type: ignore[list-item]
