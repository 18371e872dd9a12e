"""Designators: the words that say what level of place a name is ("Kifri District", "محافظة ديالى",
"Parêzgeha Duhokê", "Diyarbakır İli"), in every language the library reads, and the level each asks for.

This is the one vocabulary of designators: the folding that makes index keys strips them (and keeps the
level as a hint), the resolver's level rule reads the hint, and the linker uses the same words to extend a
mention over its designator. Spellings are written here as people write them; the tables below hold them
folded, so they compare with folded tokens.

Levels are GeoNames feature codes: ``ADM1`` (governorate, province), ``ADM2`` (district, qada, county),
``ADM3`` (sub-district, nahiya, bakhsh), ``PPL`` (city, town, village), ``ADMD`` (a region such as the
Kurdistan Region), or ``""`` for a word that marks a place without naming its level ("area", منطقة).
"""

from __future__ import annotations

__all__ = ["ARABIC_SPELLINGS", "KURMANJI_SPELLINGS", "LATIN", "LATIN_SPELLINGS", "LEVELS", "MODIFIERS"]

#: The levels a designator can ask for.
LEVELS = ("ADM1", "ADM2", "ADM3", "PPL", "ADMD", "")

# Latin-script designators as written (folded by the folding module: lower case, no diacritics). English,
# romanised Arabic and Persian, Turkish, Azerbaijani (as in GeoNames alternate names) and Kurmanji.
LATIN_SPELLINGS: dict[str, str] = {
    # English and romanised Arabic / Persian
    "governorate": "ADM1", "province": "ADM1", "provinces": "ADM1", "muhafazat": "ADM1", "muhafaza": "ADM1",
    "muhafazah": "ADM1", "mohafazat": "ADM1", "mohafaza": "ADM1", "ostan": "ADM1", "wilayat": "ADM1",
    "district": "ADM2", "districts": "ADM2", "qada": "ADM2", "qadha": "ADM2", "qadaa": "ADM2", "kaza": "ADM2",
    "qaza": "ADM2", "qadhaa": "ADM2", "kada": "ADM2", "caza": "ADM2", "liwa": "ADM2", "shahrestan": "ADM2",
    "county": "ADM2", "subdistrict": "ADM3", "subdistricts": "ADM3", "nahiya": "ADM3", "nahiyah": "ADM3",
    "nahia": "ADM3", "nahiyat": "ADM3", "nahiyeh": "ADM3", "nahiye": "ADM3", "bakhsh": "ADM3", "dehestan": "ADM3",
    "city": "PPL", "town": "PPL", "village": "PPL", "qarya": "PPL", "qaryat": "PPL", "karyat": "PPL",
    "region": "ADMD",
    # Turkish and Azerbaijani
    "ili": "ADM1", "il": "ADM1", "eyaleti": "ADM1", "vilayeti": "ADM1", "muhafezesi": "ADM1", "ostani": "ADM1",
    "ilcesi": "ADM2", "rayonu": "ADM2", "bucagi": "ADM3", "koyu": "PPL", "sehri": "PPL", "bolgesi": "ADMD",
    # Kurmanji: KURMANJI_SPELLINGS, merged in below
}

#: Kurmanji (Latin) designators: the ezafe forms that stand before the name, in lower case ("parêzgeha
#: Duhokê", "bajarê Zaxo"; "walîtiya Şirnexê" for the Turkish and Syrian provinces; "bajarokê" small town).
KURMANJI_SPELLINGS: dict[str, str] = {
    "parezgeha": "ADM1", "parezgeh": "ADM1", "parezgaha": "ADM1", "walitiya": "ADM1", "waliya": "ADM1",
    "wilayeta": "ADM1", "navceya": "ADM2", "navce": "ADM2", "qezaya": "ADM2", "nahiyeya": "ADM3",
    "bajare": "PPL", "bajar": "PPL", "bajaroke": "PPL", "bajarok": "PPL", "gunde": "PPL", "gund": "PPL",
    "herema": "ADMD",
    # "nahiya Bamernê": the ezafe form of nahiye, written in lower case as the others
    "nahiya": "ADM3",
}
LATIN_SPELLINGS.update(KURMANJI_SPELLINGS)

# Arabic-script designators as written: Arabic, Persian, Sorani in both orthographies (ە/ه, ێ/ي, ۆ/و) and
# Behdini. They stand before the name.
ARABIC_SPELLINGS: dict[str, str] = {
    # Arabic
    "محافظة": "ADM1", "محافظه": "ADM1", "ولاية": "ADM1", "قضاء": "ADM2", "قضا": "ADM2", "لواء": "ADM2",
    "ناحية": "ADM3", "ناحيه": "ADM3", "مدينة": "PPL", "مدينه": "PPL", "بلدة": "PPL", "بلده": "PPL",
    "قرية": "PPL", "قريه": "PPL", "قصبة": "PPL", "إقليم": "ADMD", "اقليم": "ADMD", "منطقة": "",
    # Persian
    "استان": "ADM1", "شهرستان": "ADM2", "بخش": "ADM3", "دهستان": "ADM3", "روستای": "PPL",
    # Sorani, both orthographies
    "پارێزگای": "ADM1", "پارێزگاری": "ADM1", "پارێزگا": "ADM1", "پاریزگای": "ADM1", "پاريزگاي": "ADM1",
    "قەزای": "ADM2", "قەزا": "ADM2", "قهزای": "ADM2", "قهزاي": "ADM2", "ناحیەی": "ADM3", "ناحیە": "ADM3",
    "ناحيەی": "ADM3", "ناحيهی": "ADM3", "ناحیهی": "ADM3", "شاری": "PPL", "شارۆچکەی": "PPL", "شاروچکهی": "PPL",
    "گوندی": "PPL", "گوندێ": "PPL", "ھەرێمی": "ADMD", "هەرێمی": "ADMD", "ههرێمی": "ADMD", "ناوچەی": "",
    "ناوچهی": "",
    # Behdini (Kurmanji in Arabic script, as Duhok's press writes it)
    "پارێزگەها": "ADM1", "باژێرێ": "PPL", "ناحیا": "ADM3", "قەزایا": "ADM2",
}

#: Latin designators that, in the position after the name, need a word before them (folded).
LATIN: frozenset[str] = frozenset(LATIN_SPELLINGS)

#: English words that qualify a name without being part of it ("central Kirkuk", "northern Iraq", "the
#: Kirkuk area"): the resolver also tries the name without them, as a variant of the query (the index keeps
#: names as written, since "North Khorasan" and "South Khorasan" are different provinces).
MODIFIERS: dict[str, str] = {
    "central": "before", "northern": "before", "southern": "before", "eastern": "before", "western": "before",
    "northeastern": "before", "northwestern": "before", "southeastern": "before", "southwestern": "before",
    "greater": "before", "downtown": "before", "outskirts": "before", "rural": "before",
    "area": "after", "areas": "after", "outskirts of": "before",
    # Persian "city of" with the ezafe ("Shahr-e Langarud"): a variant only, since it also begins names
    # (Shahr-e Kord, Shahr-e Babak).
    "shahr-e": "before", "shahr e": "before", "shahr-i": "before", "the republic of": "before",
    "republic of": "before", "kingdom of": "before", "state of": "before",
}
