"""Model-free parts of translation: segmentation, digits, registry, runaway trimming, lazy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from normalize._errors import InvalidOptionError, NormalizeError, TranslationError
from normalize._translate import MODELS, Translator, translate
from normalize._translate._backends import CPU_INDEX, TORCH_PIN, install_hint
from normalize._translate._digits import convert_digits
from normalize._translate._engine import max_new_tokens, plan_batches, trim_runaway
from normalize._translate._options import thread_budget, worker_threads
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


def test_bad_options_name_the_option() -> None:
    cases = [({"backend": "marian"}, "backend"), ({"beams": 0}, "beams"), ({"digits": "x"}, "digits"),
             ({"lang": "xx"}, "lang"), ({"device": "tpu"}, "device"), ({"compute_type": "int4"}, "compute_type"),
             ({"batch_size": True}, "batch_size"), ({"batch_tokens": 0}, "batch_tokens"),
             ({"no_repeat_ngram_size": -1}, "no_repeat_ngram_size"), ({"model": ""}, "model")]
    for options, name in cases:
        with pytest.raises(InvalidOptionError) as info:
            Translator(**options)  # type: ignore[arg-type]
        assert info.value.option == name
        assert str(info.value).startswith(f"{name}=")
    with pytest.raises(InvalidOptionError, match="lang='xx' is not allowed: one of auto, ar, ckb, fa, kmr, en"):
        translate("نص", lang="xx")


def test_lang_option_and_deprecated_source_alias() -> None:
    assert Translator().lang == "auto"
    assert Translator(lang="ar").lang == "ar"
    with pytest.warns(DeprecationWarning, match="use lang="):
        old = Translator(source="ckb")
    assert old.lang == "ckb" and old.source == "ckb"
    with pytest.raises(InvalidOptionError, match="not together with lang="):
        Translator(lang="ar", source="ar")
    with pytest.warns(DeprecationWarning), pytest.raises(InvalidOptionError) as info:
        Translator(source="arabic")
    assert info.value.option == "lang"


def test_plan_batches_sorts_and_caps_pieces_and_tokens() -> None:
    lengths = [5, 30, 12, 30, 8, 60, 3]
    batches = plan_batches(lengths, batch_size=3, batch_tokens=10_000)
    assert batches == [[5, 1, 3], [2, 4, 0], [6]]  # longest first, ties in input order
    # Token budget: 60 x 2 > 100, so the 60-token piece goes alone; 30 x 3 = 90 fits.
    assert plan_batches(lengths, batch_size=16, batch_tokens=100) == [[5], [1, 3, 2], [4, 0, 6]]
    # A piece over the budget still gets a batch of its own.
    assert plan_batches([500, 2], batch_size=16, batch_tokens=100) == [[0], [1]]
    # Two workers: at least two batches, so neither idles.
    assert plan_batches([10] * 6, batch_size=16, workers=2) == [[0, 1, 2], [3, 4, 5]]
    # ... of equal token mass: the long pieces' batch holds fewer of them (balance), unlike halving the count.
    mixed = [40, 40, 10, 10, 10, 10, 10, 10]
    assert plan_batches(mixed, batch_size=16, workers=2) == [[0], [1], [2, 3, 4, 5, 6, 7]]
    assert plan_batches(mixed, batch_size=16, workers=2, balance=False) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert plan_batches([10], batch_size=16, workers=2) == [[0]]
    assert plan_batches([], batch_size=16, workers=2) == []
    for batches in (plan_batches(lengths, batch_size=2, batch_tokens=64, workers=3),):
        assert sorted(i for b in batches for i in b) == list(range(len(lengths)))


def test_thread_budget_follows_omp_num_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert thread_budget() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    import os

    assert 1 <= thread_budget() <= len(os.sched_getaffinity(0))
    assert worker_threads(1) == (1, 1)
    assert worker_threads(2) == (2, 1)
    assert worker_threads(16) == (4, 4)


def test_install_hints_pin_the_cpu_build_of_torch() -> None:
    both = install_hint(["torch", "ctranslate2"], "auto")
    assert both.startswith(f"pip install {TORCH_PIN} 'normalize-gazetteer[translate]' --extra-index-url {CPU_INDEX}")
    assert install_hint(["torch"], "cpu").startswith(f"pip install {TORCH_PIN} --index-url {CPU_INDEX}")
    # On a CUDA machine PyPI's (CUDA) torch is the one wanted.
    assert install_hint(["torch", "ctranslate2"], "cuda").startswith("pip install 'normalize-gazetteer[translate]'")
    assert install_hint(["ctranslate2"], "cpu") == "pip install 'ctranslate2>=4.3'"


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
