"""Rules for Latin-script text: capitalisation, sentence starts, ordinary English words, designators.

* A span whose first letter is lower case never links ("he said the hit was bad").
* A span whose folded form is an ordinary English word (:data:`ORDINARY`: "Hit", "Said", "Bay", "Mark",
  "Of", "Ana", "Balad" ...) links only with support: a designator ("Hit district"), or, when it is not the
  first word of a sentence or of a title-case line, a locative cue before it ("in", "near", "north of", "towns
  of") and no capitalised neighbour that would make it part of a person's or organisation's name
  ("Ahmed Said", "Mark Smith").
* A capitalised word sequence the automaton did not cover is resolved fuzzily (``Gazetteer.candidates``)
  only after a locative cue or before a designator, so near-miss spellings ("Saladin Governorate",
  "Tuz Khormatu") link while people's names do not.
"""

from __future__ import annotations

import re

from normalize._matching._designators import KURMANJI_SPELLINGS
from normalize._matching._folding import LATIN_DESIGNATORS

__all__ = ["DESIGNATOR_WORDS", "LOCATIVE", "ORDINARY", "is_sentence_initial", "is_title_line"]

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words after which a capitalised span is read as a place ("in Hit", "north of Balad", "towns of Ana").
LOCATIVE = _words("""
in on at near from to towards toward into via through around outside inside across between and of north south
east west northeast northwest southeast southwest northern southern eastern western central outskirts edge
border borders city town village villages towns cities province district governorate nahiya subdistrict area
areas region road highway entering entered reached reach captured liberated
li ji bo di ber nav nêzîkî nezîkî derdora başûrê bakurê rojhilatê rojavayê navenda
""")

#: Words after a name that say it stands for its governorate without being its designator ("the Kirkuk
#: Provincial Council", "the Kirkuk governor"): the name is the governorate's mention.
GOVERNORATE_WORDS = _words("provincial governor governors parêzgarê parezgare")

#: Kurmanji head words of the names of parties, movements, forces, unions, clubs, universities and media,
#: which join a place name with the ezafe ("Partiya ... a Kurdistanê"); not government bodies.
KURMANJI_ORGANISATION = _words("""
partiya partî yekîtiya yekîtî tevgera tevger hêzên hêza yekîneyên yekîneya rêxistina komeleya bizava
zanîngeha zanîngeh yaneya yane kompanya pargîdaniya rojnameya kanala televizyona radyoya ajansa
""")

#: Kurmanji designators written in lower case before the name, with the ezafe ("parêzgeha Duhokê"): the
#: designator vocabulary's Kurmanji words.
LOWER_DESIGNATORS = frozenset(KURMANJI_SPELLINGS)

# Ordinary English words and common given names that are also place names in the region gazetteer. Folded
# (lower case, ASCII). A capitalised occurrence needs support (see the module docs).
ORDINARY = _words("""
a an the of on in at to by as or and but if is it its be am are was were has had have do did does not no yes
so up out off over under he she we they you i me him her us them my our your his their this that these those
who whom what when where why how all any each few more most other some such only own same than too very can
will just should now new old big good bad hit hits said say says saying tell told mark marks bay bays may june
july march april august ana balad said sultan king queen prince bar bars ban bath bat bay bell best bill bird
black blue bridge brown camp cape car care case cat center centre chance church close coast cold corner court
cross deal dean den die dog door down dry eagle end fair fall farm field fine fire fish fort fox free friend
garden gate gold golf grand grace green grove hall hand hard harbor harbour hay head heart hill home hope horn
hot house hunt iron island jack job joy key kid king lake land lane last lead lee light lime lion long lord
love low main man mill mine mint mole moon moor more moss mount nice north oak orange palm park peace pine pit
plain pleasant point pool port post pride queen rain range red rest rich ridge ring rock rose round royal run
rush sale salt sand sea seal shell ship shore silver sky snow south spring star station stone storm sun sweet
table tea temple union vale valley van view wall war water well west wood york monday tuesday wednesday
thursday friday saturday sunday january february september october november december mr mrs ms dr gen col maj
capt lt sgt sheikh imam president minister governor mayor prime army police security forces force state states
kurd kurds bazirgan gund bajar dewlet herem hezan
islamic iraqi kurdish arab arabs turkish iranian syrian american ali ahmed ahmad mohammed muhammad mohammad
hassan hasan hussein husain omar umar khalid khaled karim jamal salim salem saleh salih adel amer amir nasser
nasir jabbar abbas majid hamid rashid rasheed latif aziz said saeed saad sami samir tariq tarek ibrahim ismail
yusuf yousef mahmoud mustafa mustafa anwar bashar hadi mahdi fadel faisal nouri maliki sudani barzani talabani
sadr allawi abadi kadhimi halbousi isis isil daesh pkk un us uk eu nato
""")

#: Folded Latin designator words ("district", "governorate", "qada", ...).
DESIGNATOR_WORDS = frozenset(LATIN_DESIGNATORS) | {"sub-district"}
_DESIGNATOR_WORDS = DESIGNATOR_WORDS
_SENTENCE_END = re.compile(r"[.!?:;\"“”()\[\]\n\r\u2029]\s*$|^\s*$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def is_designator(word: str) -> bool:
    """Whether a folded word is a Latin designator ("district", "governorate", "qada", ...)."""
    return word in _DESIGNATOR_WORDS


def is_sentence_initial(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence: start of text or line, or after . ! ? : ; quotes or brackets."""
    before = text[max(0, start - 40):start]
    return bool(_SENTENCE_END.search(before))


def is_title_line(text: str, start: int) -> bool:
    """Whether the line around ``start`` is in Title Case (headlines capitalise ordinary words)."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line_end = len(text)
    for sep in ("\n", "\r"):
        at = text.find(sep, start)
        if at != -1:
            line_end = min(line_end, at)
    words: list[str] = _WORD.findall(text[line_start:line_end])
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) < 3:
        return False
    return sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)
