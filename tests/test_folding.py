"""Text normalisation: folding, designators, skeletons."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize import fold, skeleton
from normalize._matching._folding import _LATIN_ARTICLES, LATIN_DESIGNATORS, analyse, compact


@pytest.mark.parametrize(("raw", "folded"), [
    ("Ţūz Khūrmātū", "tuz khurmatu"),
    ("TUZ-KHURMATU", "tuz khurmatu"),
    ("Karbalā’", "karbala"),
    ("Ba‘qubah", "baqubah"),
    ("Ba'quba", "baquba"),
    ("Al-Anbar", "anbar"),
    ("al Anbar", "anbar"),
    ("Ad Dawr", "dawr"),
    ("Salah ad-Din", "salah din"),
    ("Kifri District", "kifri"),
    ("Qaḑā’ Kifrī", "kifri"),
    ("Governorate of Basra", "basra"),
    ("Sub-district of Jabara", "jabara"),
    ("Jabara Nahiya", "jabara"),
    ("  Mosul  ", "mosul"),
])
def test_latin_folding(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(("raw", "folded"), [
    ("طُوزْ خُورْمَاتُو", "طوز خورماتو"),  # tashkeel
    ("طــوز", "طوز"),  # tatweel
    ("أربيل", "اربيل"),
    ("إربل", "اربل"),
    ("ديالى", "ديالي"),
    ("البصرة", "بصره"),
    ("محافظة صلاح الدين", "صلاح دين"),
    ("قضاء كفري", "كفري"),
    ("ناحية جلولاء", "جلولا"),
    ("پارێزگای هەولێر", "هولير"),
    ("کەرکووک", "كركوك"),
    ("سلێمانی", "سليماني"),
    ("ڕانیە", "راني"),
    ("گەرمیان", "كرميان"),
    ("طوز\u200cخورماتو", "طوزخورماتو"),  # ZWNJ
    ("\u202bطوز خورماتو\u202c", "طوز خورماتو"),  # bidi embedding
    ("ﻃﻮﺯ", "طوز"),  # presentation forms (NFKC)
])
def test_arabic_script_folding(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_arabic_indic_digits_become_ascii() -> None:
    assert fold("الكيلو ١٨") == "كيلو 18"
    assert fold("کیلو ۱۸") == "كيلو 18"


@pytest.mark.parametrize(("raw", "hint"), [
    ("Kifri District", "ADM2"), ("Diyala Governorate", "ADM1"), ("Nahiyat Jabara", "ADM3"),
    ("قضاء كفري", "ADM2"), ("محافظة ديالى", "ADM1"), ("ناحیەی قەرەتەپە", "ADM3"), ("Kifri", ""),
])
def test_designator_hints(raw: str, hint: str) -> None:
    assert analyse(raw)[1] == hint


def test_designator_alone_is_kept() -> None:
    # A name that is only a designator keeps it: "District" is not an empty string.
    assert fold("District") == "district"


@pytest.mark.parametrize(("a", "b"), [
    ("Tuz Khurmatu", "طوز خورماتو"),
    ("Kirkuk", "كركوك"),
    ("Kirkuk", "کەرکووک"),
    ("Basrah", "البصرة"),
    ("Basra", "البصرة"),
    ("Qara Tappa", "قره تبه"),
    ("Jalawla", "جلولاء"),
    ("Sulaymaniyah", "السليمانية"),
    ("Salah ad Din", "صلاح الدين"),
    ("Mahmudiyah", "المحمودية"),
    ("Tuzkhurmatu", "Tuz Khourmatou"),
])
def test_cross_script_skeletons_agree(a: str, b: str) -> None:
    assert skeleton(fold(a)) == skeleton(fold(b)) != ""


def test_skeletons_keep_distinct_places_apart() -> None:
    assert skeleton(fold("Kirkuk")) != skeleton(fold("Karbala"))
    assert skeleton(fold("Mosul")) != skeleton(fold("Basra"))


@pytest.mark.parametrize("raw", ["", "   ", "\u200f\u202b", "\u0651\u064e", "!!!", "\x00"])
def test_no_letters_folds_to_empty(raw: str) -> None:
    assert fold(raw) == ""
    assert skeleton(fold(raw)) == ""


_INVISIBLES = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
               "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u061c", "\u00ad"}


@given(st.text(max_size=60))
def test_fold_invariants_on_any_text(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not _INVISIBLES & set(folded)
    assert not any("\u064b" <= ch <= "\u065f" for ch in folded)  # no tashkeel survives
    assert folded == folded.lower()
    assert " " not in compact(folded)
    assert set(skeleton(folded)) <= set("abcdefghijklmnopqrstuvwxyz")


_STOP = _LATIN_ARTICLES | set(LATIN_DESIGNATORS) | {"of", "sub"}
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10).filter(lambda w: w not in _STOP)


@given(st.lists(_WORDS, min_size=1, max_size=4), st.sampled_from([" ", "-", "  ", " - "]),
       st.sampled_from([str.capitalize, str.upper, str.lower]))
def test_latin_fold_matches_a_simple_reference(words: list[str], sep: str, case: Callable[[str], str]) -> None:
    # Reference for plain ASCII words: lower case, one space between words.
    assert fold(sep.join(case(w) for w in words)) == " ".join(words)


def test_fold_is_deterministic_and_nfkc_stable() -> None:
    s = "Ţūz Khūrmātū"
    assert fold(s) == fold(unicodedata.normalize("NFD", s)) == fold(unicodedata.normalize("NFKC", s))


# One fold for names and running text: the words of the running-text fold are the name tokens.
_HARD = "طوز خورماتو كركوك ÇçêîûşŞ ßæœ Kirkuk's Ra's al-Ain ‘’ʿ ىيئة ـ\u064b\u200c\u202b.,-"
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.text(
    alphabet=st.sampled_from(list(_HARD)), max_size=40)


@given(_TEXT)
def test_running_text_fold_tokens_are_the_name_tokens(text: str) -> None:
    from normalize._matching._folding import fold_text, tokens

    ft = fold_text(text)
    assert ft.folded.split() == tokens(text)
    if ft.offsets is not None:  # every folded character maps to a character of the original, in order
        assert len(ft.offsets) == len(ft.folded)
        assert list(ft.offsets) == sorted(ft.offsets)
        assert all(0 <= i < len(text) for i in ft.offsets)
    else:
        assert len(ft.folded) == len(text)


def test_expanding_letters_fold_alike_in_names_and_text() -> None:
    from normalize._matching._folding import fold_text

    ft = fold_text("Straße Æsir")
    assert ft.folded == "strasse aesir"
    assert ft.start(4) == ft.start(5) == 4  # both s of "ss" map back to ß
    assert fold("Straße") == "strasse"


def test_possessive_ends_the_name_but_a_short_word_keeps_its_apostrophe() -> None:
    assert fold("Kirkuk's") == "kirkuk s"
    assert fold("Ra's al-Ain") == "ras ain"


@given(_TEXT)
def test_script_neutral_keys_are_the_skeleton_and_phonetic_key(text: str) -> None:
    from normalize._matching._folding import phonetic, script_neutral_keys

    for folded in (fold(text), _running_fold(text)):
        assert script_neutral_keys(folded) == (skeleton(folded), phonetic(folded))


def _running_fold(text: str) -> str:
    from normalize._matching._folding import fold_text

    return fold_text(text).folded


def test_kurmanji_ending_gate_holds_every_last_letter_the_pattern_matches() -> None:
    import re
    import sys

    from normalize._matching._query import _KURMANJI_ENDING, _KURMANJI_LAST

    # The pattern's alternatives end in ê, a or n, matched case-insensitively.
    assert _KURMANJI_ENDING.flags & re.IGNORECASE
    last = re.compile("ê|a|n", re.IGNORECASE)
    assert {chr(cp) for cp in range(sys.maxunicode + 1) if last.fullmatch(chr(cp))} <= _KURMANJI_LAST
