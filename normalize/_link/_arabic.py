"""Rules for Arabic-script text (Arabic, Sorani): clitics, suffixes, designators, ordinary words.

Arabic and Sorani have no capital letters, and they attach short words to the name, so an automaton hit is
kept only when

* what stands between the start of the word and the name is a sequence of proclitics: the conjunctions و ف,
  the prepositions ب ل ك, the article ال, and their combinations (وبال، فال، لل ...). The mention starts at
  the article when there is one (``وبالموصل`` -> ``الموصل``; ``للموصل`` -> ``لموصل``, whose ل is the
  article's), else at the name;
* what follows the name up to the end of the word is nothing, or, in Sorani, one of the case and
  definiteness suffixes (ـی ـە ـەوە ـدا ـیش ـەکە ...), which stay outside the mention.

A name that is also an ordinary word (:data:`ORDINARY`: بلد "country", هيت, عانة, and every name of three
letters or fewer) needs context: a designator before it (مدينة، قضاء، ناحية، قرية ...), or a locative
preposition before it (في، الى، من، قرب، شمال ...) together with another place linked in the same document,
or a co-mentioned place in the same governorate. With the article attached (البلد) such a word is the common
noun and never links, unless the gazetteer spelling itself has the article. Words in :data:`STOP` (function
words and very frequent words that happen to be place names somewhere in the region) never link.
"""

from __future__ import annotations

from collections.abc import Iterable

from normalize._matching._folding import ARABIC_DESIGNATORS, fold_arabic_word

__all__ = ["DEFINITE", "DESIGNATORS", "GOVERNMENT", "INDEFINITE", "KURDISH_LETTERS", "KURDISH_WORDS", "LOCATIVE",
           "ORDINARY", "PROCLITICS", "SECTORS", "STOP", "SUFFIXES", "final_vowel_agrees", "fold_word",
           "kurdish_clitics", "kurdish_letters_agree", "ta_marbuta_agrees", "vowel_word"]


def fold_word(word: str) -> str:
    """A word folded as the linker folds Arabic-script text (letter fold, no ە, no doubled letters)."""
    return fold_arabic_word(word)


# Proclitic sequences, folded, mapped to the length of the part that belongs to the mention (the article).
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")
PROCLITICS: dict[str, int] = {}
for _c in _CONJ:
    for _p in _PREP:
        PROCLITICS[_c + _p] = 0
        if _p == "ل":
            PROCLITICS[_c + "لل"] = 1  # ل + (ا)ل: the alif of the article is dropped after the preposition
        else:
            PROCLITICS[_c + _p + "ال"] = 2

# Not the adjective endings (-یی, -ییەکان: "Iraqi", "the Iraqis"), which make a nationality of a country's name.
_SORANI_SUFFIXES = ("ی", "ە", "ەوە", "دا", "ەدا", "یدا", "یش", "ەش", "ش", "ەکە", "ەکەی", "یەکە",
                    "یەوە", "وە", "ێ", "یان", "ەیش", "یشدا", "دایە",
                    # the same stacked: "also from X" (خانەقینیشەوە), "from/in the X" (ەکەوە, ەکەدا)
                    "یشەوە", "ەشەوە", "شەوە", "ەکەوە", "ەکەدا", "ەکەش", "ەوەش", "یەوەش", "ێدا", "ێوە",
                    # with the copula: "they are in X" (هەڵەبجەدان)
                    "دان", "داین",
                    # "also" with the ezafe after it: "the old quarters of Sulaymaniyah too" (سلێمانیشی)
                    "شی", "یشی", "ەشی")
#: Folded Sorani suffixes that may follow a name inside its word (outside the mention), also as the older
#: orthography writes them (ە as ه; inside the word that ه is read away, see ``_spans.readings``).
SUFFIXES: frozenset[str] = frozenset(
    {fold_word(s) for s in _SORANI_SUFFIXES}
    | {fold_word(s.replace("ە", "ه"))[:-1].replace("ه", "") + fold_word(s.replace("ە", "ه"))[-1:]
       for s in _SORANI_SUFFIXES}) - {""}

_DESIGNATOR_SPELLINGS = ("مدينة", "مدينه", "بلدة", "قضاء", "قضا", "ناحية", "قرية", "محافظة", "منطقة", "قصبة",
                         "مركز", "شاری", "شارى", "گوندی", "قەزای", "ناحیەی", "پارێزگای", "شارۆچکەی", "ناوچەی")
#: Folded designator words (before the name) and the feature code each hints at.
DESIGNATORS: dict[str, str] = {
    **ARABIC_DESIGNATORS,
    **{fold_word(w): k for w, k in (("بلدة", "PPL"), ("قصبة", "PPL"), ("مركز", "PPL"), ("شارۆچکەی", "PPL"),
                                    ("ناوچەی", "ADM2"), ("شاری", "PPL"), ("گوندی", "PPL"), ("قەزای", "ADM2"),
                                    ("ناحیەی", "ADM3"), ("پارێزگای", "ADM1"), ("مدينه", "PPL"))},
}

_LOCATIVE_SPELLINGS = """
في فى الى إلى إلي الي من قرب قريب بالقرب نحو باتجاه داخل خارج حول بين عبر اطراف أطراف ضواحي مشارف محيط
شمال جنوب شرق غرب شمالي جنوبي شرقي غربي شمالها جنوبها غربها شرقها وسط مدخل حدود منطقة مناطق
لە بۆ نزیک باکووری باشووری ڕۆژهەڵاتی ڕۆژئاوای ناو نێوان
سكان أهالي اهالي عشائر أبناء ابناء خەڵکی دانیشتووانی فلاحو فلاحي مزارعو مزارعي جووتیارانی
"""
#: Folded locative prepositions and direction words.
LOCATIVE: frozenset[str] = frozenset(fold_word(w) for w in _LOCATIVE_SPELLINGS.split())

_ORDINARY_SPELLINGS = """
بلد هيت عانة عانه حديثة حديثه امل نور سلام سلامة حرية حرب نصر فتح خير بركة جبل سهل عين بئر تل
دور بيت باب سوق نهر جسر ساحة حي مجمع قلعة برج كهف ميناء مطار معسكر قاعدة قصر
الدور دار زاوية شيخ سيد امام ملك امير جامع مسجد كنيسة مدرسة مستشفى
كامل جزيرة سلام فجر شباب علم عمارة إصلاح اصلاح رياض ميدان ساحة وحدة تحرير نهضة ثورة
عدل رشاد ملتقى حيرة
دوو سێ چوار پێنج خۆی خۆیان ڕێ ڕێگا شۆڕش خەبات ڕزگاری مەیدان شەو ڕۆژ تەکیە ئاشتی ئازادی بەهار هیوا
"""
#: Folded names that are also ordinary words; they need context (see the module docs).
ORDINARY: frozenset[str] = frozenset(fold_word(w) for w in _ORDINARY_SPELLINGS.split())

_STOP_SPELLINGS = """
من في على الى إلى عن مع ان أن إن كان كانت يكون هو هي هم هذا هذه ذلك تلك التي الذي الذين او أو ثم قد لقد
لا لم لن ما ماذا كل بعض غير بين بعد قبل عند حتى منذ خلال حيث كما اذا إذا لكن بل أي اي يوم اليوم امس أمس
غدا عام العام شهر سنة قال قالت وقال يقول اكد أكد افاد أفاد اعلن أعلن ذكر اضاف أضاف مصدر مصادر قوات القوات
الجيش الشرطة الامن الأمن امني أمني مسلح مسلحين عناصر داعش تنظيم الحكومة حكومة وزير الوزير رئيس مجلس
محافظ المحافظ قائد عملية هجوم انفجار عبوة ناسفة قتلى جرحى مقتل اصابة إصابة شخص اشخاص أشخاص مدني مدنيين
عراقي العراقي العراقية كردي الكردي الكردية منطقة المنطقة مناطق المناطق قرية قرى
مدينة المدينة ناحية قضاء محافظة طريق الطريق شمال جنوب شرق غرب وسط اطراف أطراف حدود الحدود بلاد
كە لە بۆ و بە ئەو ئەم لەگەڵ دوای پێش ساڵ ڕۆژ هێزی هێزەکانی پۆلیس ئاسایش شار گوند
کرد کردوو کردووە کردەوە بوو بووە دەکەن دەکات سەرۆک سەرۆکی کەس کەسێک خەڵک ئاو
تركمان التركمان عرب العرب كرد الكرد اكراد الأكراد شيعة سنة مسيحيين ايزيديين
بحيرة بحيرات
دينار دنانير دولار دینار دۆلار بيان البيان
"""
#: Folded words that never link (function words, news vocabulary).
STOP: frozenset[str] = frozenset(fold_word(w) for w in _STOP_SPELLINGS.split())

_PERSON_SPELLINGS = """
النائب الباحث الشيخ شيخ السيد سيد الدكتور د الحاج العميد اللواء العقيد المقدم الرائد النقيب الوزير الرئيس الكاتب
الصحفي الناشط المواطن الشاعر الفنان اللاعب المدرب الأستاذ الاستاذ المهندس المحامي القاضي الملا الإمام الامام
محمد احمد أحمد علي حسن حسين عمر عثمان خالد كريم جمال سليم صالح عادل عامر نصر جبار عباس ماجد حميد رشيد لطيف
عزيز سعيد سعد سامي سمير طارق ابراهيم إبراهيم اسماعيل إسماعيل يوسف محمود مصطفى انور أنور بشار هادي مهدي فاضل فيصل
نوري عبد عبدالله عبدالرحمن ابو أبو ام أم بن بنت حيدر قاسم مرتضى منتظر مقتدى عمار ياسر زياد وليد رعد فراس ثامر
کاک کاکە مام شێخ مامۆستا بەڕێز دکتۆر خاتوو
محەمەد ئەحمەد عەلی حەسەن حوسێن عومەر عوسمان کەریم ئازاد کاروان کاوە ڕێبوار شوان دلشاد هێمن سامان ئاسۆ سیروان
هێرۆ هێرو
نەوزاد بەختیار بارزان دیلان ژیان ڕێزان سۆزان ئاراس هاوکار هەڤاڵ زانا بێستون فەرهاد شێرکۆ
"""
#: Titles and common given names (Arabic, Sorani): a name that follows or precedes one is a person's
#: ("علي البغدادي", "النائب حسن الدراجي", "سیروان محەمەد"), unless a designator says otherwise.
PERSON: frozenset[str] = frozenset(fold_word(w) for w in _PERSON_SPELLINGS.split())

_ORGANISATION_SPELLINGS = """
نادي قناة صحيفة جريدة وكالة شركة مصرف بنك حزب حركة تيار سرايا كتائب عصائب فصائل فصيل فوج جيش قوات مؤسسة منظمة
مجموعة اتحاد رابطة جمعية هيئة مستشفى
یانەی کەناڵی ڕۆژنامەی ئاژانسی کۆمپانیای بانکی پارتی بزووتنەوەی ڕێکخراوی یەکێتیی نەخۆشخانەی
"""
#: Words before a name that make it an organisation's name ("نادي الرمادي", "قناة الجزيرة", "سرايا السلام").
ORGANISATION: frozenset[str] = frozenset(fold_word(w) for w in _ORGANISATION_SPELLINGS.split())

_GOVERNMENT_SPELLINGS = "مديرية دائرة مجلس قيادة محكمة"
_SECTOR_SPELLINGS = "شرطة زراعة تربية صحة كهرباء ماء بلدية جنايات"
#: Government bodies named for their jurisdiction ("مجلس كربلاء", "مديرية صحة البصرة", "زراعة النجف"): the name
#: is a mention of the place the body governs, at the governorate's level where it has one.
GOVERNMENT: frozenset[str] = frozenset(fold_word(w) for w in _GOVERNMENT_SPELLINGS.split())
#: Sectors of such bodies, which name the body on their own ("مسؤول في زراعة النجف") or after one.
SECTORS: frozenset[str] = frozenset(fold_word(w) for w in _SECTOR_SPELLINGS.split())

def vowel_word(word: str) -> str:
    """A Kurdish word folded with its vowel ە kept (as ه, also the older orthography's letter for it), so that
    words the name fold makes alike stay apart: ژمارە (number) is not ژمار (Zummar)."""
    return fold_word(word.replace("\u200c", "").replace("ە", "ه"))


#: Kurdish indefinite endings, folded by :func:`vowel_word` (ـێک, ـیەک): a place name never takes them.
INDEFINITE = (vowel_word("ێک"), vowel_word("یەک"))
#: Kurdish definite endings, singular and plural, after a consonant and after a vowel (ـەکە ـەکان، ـکە ـکان).
DEFINITE = (vowel_word("ەکە"), vowel_word("ەکان"), vowel_word("کە"), vowel_word("کان"))
#: Frequent Kurdish words (Sorani, Behdini) whose fold begins with a place's name, by :func:`vowel_word`:
#: ژمارە "number" (Zummar is ژمار), Behdini دوماهی "end" (Duma).
KURDISH_WORDS = frozenset(vowel_word(w) for w in ("ژمارە", "دوماهی"))


#: Proclitics Sorani attaches to a name (it writes its prepositions لە، بە، بۆ as separate words).
SORANI_PROCLITICS: dict[str, int] = {"": 0, "و": 0}


def is_clitic_stop(key: str, sorani: bool) -> bool:
    """Whether a whole-word key is a proclitic plus a stop word (وإن "and that" is not Van, Turkey), with the
    proclitics of the text's language (Sorani writes its prepositions apart: بغدا is Baghdad, not ب + غدا)."""
    proclitics = SORANI_PROCLITICS if sorani else PROCLITICS
    return any(key[len(p):] in STOP for p in proclitics if p and key.startswith(p) and len(key) > len(p))


#: Letters Kurdish writes that Arabic spellings of names never have (they write ر ل ي و ف and ك or ج instead,
#: and no letter for the vowel ە).
KURDISH_LETTERS = frozenset("ڕڵێۆڤگە")


def kurdish_letters_agree(surface: str, spellings: Iterable[str]) -> bool:
    """Whether some gazetteer spelling has every Kurdish letter the text's ``surface`` has."""
    wanted = KURDISH_LETTERS.intersection(surface)
    return not wanted or any(wanted <= set(s) for s in spellings)


def kurdish_clitics(lang: str) -> bool:
    """Whether Arabic-script names in a text of ``lang`` take the Kurdish clitic rules (Sorani's suffixes, only
    و before a name) rather than Arabic's: Sorani, Persian, undetermined Arabic script, and Behdini (Kurmanji
    written in Arabic script attaches its words as Sorani does). On Latin text the rules change nothing."""
    return lang in ("ckb", "fa", "und", "kmr")


#: Letter forms only Persian and Kurdish spellings have (Arabic writes ك ي ك/ج ج ب ز).
_PERSIAN_FORMS = frozenset("کیگچپژە")


def ta_marbuta_agrees(surface: str, spellings: Iterable[str]) -> bool:
    """Whether an Arabic word ending in ة may be one of these spellings: Persian and Kurdish never write ة, so a
    spelling in their letters that ends in ه is another word ("طائرات تركية" Turkish planes is not ترکیه, Turkey
    in Persian); an Arabic spelling (no Persian letter forms) or one ending in ة itself may be."""
    if not surface.endswith("ة"):
        return True
    return any(s.endswith("ة") or not _PERSIAN_FORMS.intersection(s) for s in spellings)


def final_vowel_agrees(surface: str, spellings: Iterable[str]) -> bool:
    """Whether a Kurdish word may be one of these spellings although the fold drops the vowel ە: where every
    Kurdish spelling ends in ە (or ه, the older orthography) and the word does not, it is another word
    ("تورکی" Turkish is not "تورکیە" Turkey, "سووری" not "سووریە")."""
    ending = ("ە", "ه", "ة")
    names = [s for s in spellings if s]
    if not names or surface.endswith(ending):
        return True
    # Another word only where the name has Kurdish spellings and every spelling ends in the vowel.
    return not any("ە" in s for s in names) or any(not s.endswith(ending) for s in names)
