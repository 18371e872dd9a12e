from __future__ import annotations

import pytest

from normalize._matching._language import LANGUAGES, detect_language


@pytest.mark.parametrize(("text", "expected"), [
    ("انفجار في بغداد وسقوط ضحايا في منطقة الكرادة", "ar"),
    ("قالت وزارة الداخلية العراقية إن الشرطة اعتقلت ثلاثة أشخاص", "ar"),
    ("هێزەکانی پێشمەرگە لە هەولێر کۆبوونەوە", "ckb"),
    ("سەرۆکی هەرێمی کوردستان", "ckb"),
    ("وزیر امور خارجه ایران در تهران گفت که گفتگوها ادامه پیدا می‌کند", "fa"),
    ("Hêzên pêşmerge li Hewlêrê civiyan", "kmr"),
    ("Ew li bajarê Amedê dijî û ji Qamişloyê hat", "kmr"),
    ("ew li mal bu di sala 2020 de", "kmr"),
    ("The Peshmerga forces met in Erbil on Monday", "en"),
    ("Istanbul'da büyük bir toplantı yapıldı ve Türkiye", "en"),
    ("", "und"),
    ("  ١٢٣ 456 !!", "und"),
    ("Москва", "und"),
])
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    assert expected in LANGUAGES


def test_presentation_forms_are_folded() -> None:
    # U+FEEB.. are Arabic presentation forms; NFKC maps them onto the letters the rules look at.
    assert detect_language("ﺑﻐﺪاد ﻣﺪﻳﻨﺔ") == "ar"


def test_arabic_with_a_persian_letter_in_a_loanword_stays_arabic() -> None:
    assert detect_language("شركة بيبسي والگاز في مدينة البصرة الكبيرة") == "ar"
