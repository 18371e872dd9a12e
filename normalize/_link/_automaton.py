"""The gazetteer's names as one Aho-Corasick automaton over folded keys, built once per gazetteer.

Latin keys are stored padded with a space on each side, so in the (space-padded) folded text they only hit on
word boundaries. Arabic-script keys are stored bare: Arabic and Sorani attach clitics to the name
(وبالموصل, کەرکووکەوە), so their boundaries are checked afterwards (:mod:`normalize._link._arabic`).
Each key is stored twice where they differ: as written (``"al mawsil"``, ``"الموصل"``) and as the resolver
folds it, with articles and designators removed (``"mawsil"``, ``"موصل"``), so the longest form wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from normalize._matching._folding import analyse, tokens
from normalize._matching._script import char_script

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["AUTOMATON_KEY", "Pattern", "Patterns", "build_patterns"]

AUTOMATON_KEY = "normalize._link.automaton/2"
_MIN_KEY = 2  # one-letter keys are initials, not names


@dataclass(frozen=True, slots=True)
class Pattern:
    """One automaton key: its folded text, script, and the (entry, gazetteer spelling, hint) it stands for."""

    key: str
    arabic: bool
    targets: tuple[tuple[Entry, str, str], ...]


@dataclass(frozen=True, slots=True)
class Patterns:
    """The built automaton (its values are :class:`Pattern`) and the gazetteer's entries in order."""

    automaton: Any
    entries: tuple[Entry, ...]
    #: Entry id -> position in the gazetteer (what the ranking's entry positions refer to).
    positions: dict[str, int]


def build_patterns(gazetteer: Gazetteer) -> Patterns:
    """Build the automaton for ``gazetteer`` (use ``gazetteer.derived(AUTOMATON_KEY, build_patterns)``)."""
    import ahocorasick

    by_key: dict[str, dict[tuple[str, str], tuple[Entry, str, str]]] = {}
    for entry in gazetteer:
        for name in entry.names:
            folded, hint = analyse(name.text)
            written = " ".join(tokens(name.text))
            for key in dict.fromkeys((written, folded)):
                if len(key.replace(" ", "")) < _MIN_KEY or key.replace(" ", "").isdigit():
                    continue
                by_key.setdefault(key, {}).setdefault((entry.id, hint), (entry, name.text, hint))
    automaton = ahocorasick.Automaton()
    for key, targets in by_key.items():
        arabic = char_script(key[0]) == "Arab"
        stored = key if arabic else f" {key} "
        automaton.add_word(stored, Pattern(key, arabic, tuple(targets.values())))
    automaton.make_automaton()
    entries = tuple(gazetteer)
    return Patterns(automaton, entries, {e.id: i for i, e in enumerate(entries)})
