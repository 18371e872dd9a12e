"""Place-mention linking: find every place named in a text and tie it to a gazetteer id.

>>> from normalize._link import link
>>> [(m.surface, m.id) for m in link("Clashes near Tuz Khurmatu and the Kifri district.")]
[('Tuz Khurmatu', 'geonames:90026'), ('Kifri district', 'geonames:94296')]

How spans are found: the gazetteer's folded names form one Aho-Corasick automaton (built once per gazetteer,
:mod:`normalize._link._automaton`); the text is folded the same way with an offset map
(:func:`normalize._matching._folding.fold_text`), so hits map back to the original characters. Latin hits respect word
boundaries and capitalisation (:mod:`normalize._link._latin`); Arabic and Sorani hits are checked for clitics
and suffixes (:mod:`normalize._link._arabic`); the longest match wins, adjacent designators join the mention.
Names that are also ordinary words need context, and all mentions of a document are resolved together
(:mod:`normalize._link._context`). See docs/linking.md.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from normalize._link._linker import Linker
from normalize._link._mention import Mention

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["Linker", "Mention", "link"]


def link(text: str, *, lang: str = "auto", gazetteer: Gazetteer | None = None,
         country: str | Collection[str] | None = None, min_score: float | None = None,
         actors: bool = False) -> list[Mention]:
    """Every place mentioned in ``text``, sorted by start offset.

    ``lang``: ``"auto"`` (detected), ``"en"``, ``"ar"``, ``"ckb"``, ``"fa"``, ``"kmr"``. ``gazetteer``: the
    default gazetteer when ``None``. ``country``: ISO alpha-2 code(s) the places must lie in (codes the
    gazetteer has). ``min_score``: the probability a near-miss spelling must reach (default
    :data:`normalize.DEFAULT_MIN_SCORE`); gazetteer spellings link by the document rules. ``actors``: also
    the actors named (``Mention.category == "actor"``, ids from :func:`normalize.actors`).
    """
    return Linker(gazetteer, country=country, min_score=min_score, actors=actors).link(text, lang=lang)
