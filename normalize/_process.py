"""Entity-preserving translation: link places on the source side, translate, and make sure every place's
canonical English name is in the translation.

Method: post-alignment. The text is translated by exactly the call ``normalize.translate`` makes
(``Translator.translate(text)``), so every part of the translation that is not a place name is the same as
``normalize.translate`` gives. Then, line by line (the translation keeps the source's line breaks), each
source entity is located in the translation and that stretch is replaced by the canonical English name:

1. ``aligned: linked`` — the translation line names the same place (linking the English finds the same id);
2. ``aligned: rendering`` — the model's translation of the name on its own ("black hill" for قره تبه)
   appears in the line;
3. ``inserted`` — neither is found (the model dropped or garbled the name): the canonical name is inserted
   at the word boundary nearest to the entity's relative position in its source line.

Placeholder substitution (replacing names by tokens before translation) was measured against this on the
tiny random-weight Marian model (``benchmarks/bench_link.py --process``): placeholders changed the rest of the
translation for every text and most placeholders did not survive decoding, while post-alignment keeps the
translation identical outside the entities by construction. See docs/linking.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unidecode import unidecode

from normalize._matching._folding import LATIN_DESIGNATORS

if TYPE_CHECKING:
    from normalize._gazetteer._entry import Entry
    from normalize._gazetteer._facade import Gazetteer
    from normalize._link import Mention
    from normalize._translate import Translator

__all__ = ["Document", "Entity", "english_name", "process"]

_DIVISION_WORD = {"ADM1": "Governorate", "ADM2": "District", "ADM3": "Subdistrict"}
_APOSTROPHES = re.compile(r"['`’‘ʿʾ]")


@dataclass(frozen=True, slots=True)
class Entity:
    """A place in the source text and where its canonical English name stands in the translation.

    ``source_start``/``source_end``: offsets into ``Document.source`` (``source_text`` is that slice).
    ``target_start``/``target_end``: offsets into ``Document.translation`` (that slice is ``name``).
    ``method``: ``"aligned: linked"``, ``"aligned: rendering"``, ``"inserted"`` or ``"source is English"``.
    """

    source_start: int
    source_end: int
    source_text: str
    id: str
    name: str
    target_start: int
    target_end: int
    method: str


@dataclass(frozen=True, slots=True)
class Document:
    """A source text, its English translation and the place entities of both."""

    source: str
    translation: str
    language: str
    entities: tuple[Entity, ...]


def english_name(entry: Entry) -> str:
    """The canonical English form of an entry's name: ASCII, no ayn/hamza marks, and a leading designator
    turned into an English trailing one ("Qaḑā’ Kifrī" -> "Kifri District")."""
    name = _APOSTROPHES.sub("", unidecode(unicodedata.normalize("NFC", entry.name))).strip()
    words = name.split()
    if len(words) > 1 and words[0].lower() in LATIN_DESIGNATORS and entry.kind in _DIVISION_WORD:
        name = " ".join(words[1:])
        if words[1].lower() == "of" and len(words) > 2:
            name = " ".join(words[2:])
        name = f"{name} {_DIVISION_WORD[entry.kind]}"
    return name


def process(text: str, *, lang: str | None = None, gazetteer: Gazetteer | None = None,
            translator: Translator | None = None, actors: bool = True, source: str | None = None,
            **options: Any) -> Document:
    """Link the places of ``text``, translate it into English and keep each place's canonical English name
    in the translation (see the module docs for the method).

    ``lang``: ``"auto"`` (default) or a language code, as for ``normalize.link`` and ``normalize.translate``
    (``source=`` is its deprecated alias). ``translator``: a :class:`normalize.Translator` to reuse (loaded
    models are kept on it); otherwise one is made from ``lang`` and ``options`` (``model``, ``backend``,
    ``device``, ``beams``, ``digits`` ...). ``actors``: keep the actors named (ISIS, the Peshmerga ...) through the
    translation too, with their canonical English names (default); places always.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    from normalize._link import link
    from normalize._matching._language import detect_language
    from normalize._translate._options import resolve_lang

    source = resolve_lang(lang, source)
    language = detect_language(text) if source == "auto" else source
    link_lang = language if language in ("ar", "ckb", "fa", "kmr", "en") else "auto"
    mentions = [m for m in link(text, lang=link_lang, gazetteer=gazetteer, actors=actors) if m.match is not None]
    if translator is None:
        from normalize._translate import Translator

        translator = Translator(lang=source, **options)
    elif options:
        raise TypeError("pass translation options either in a Translator or as keyword arguments, not both")
    translation = translator.translate(text)
    if translation == text:
        # Passed through (English or no letters): the names stay as written, with their canonical ids.
        ents = tuple(Entity(m.start, m.end, m.surface, m.match.id, english_name(m.match.entry), m.start, m.end,
                            "source is English") for m in mentions if m.match is not None)
        return Document(text, translation, language, ents)
    return _align(text, translation, language, mentions, translator, gazetteer)


def _align(text: str, translation: str, language: str, mentions: list[Mention], translator: Translator,
           gazetteer: Gazetteer | None) -> Document:
    from normalize._link import link

    with_actors = any(m.category == "actor" for m in mentions)
    src_lines = _line_starts(text)
    tgt_lines = translation.split("\n")
    # Edits per translation line: (start, end, name, mention index, method).
    edits: dict[int, list[tuple[int, int, str, int, str]]] = {}
    renderings: dict[str, str] = {}
    linked: dict[int, list[Mention]] = {}
    for index, mention in enumerate(mentions):
        assert mention.match is not None
        name = english_name(mention.match.entry)
        line_no, line_start, line_end = _locate_line(src_lines, text, mention.start)
        if line_no >= len(tgt_lines):
            line_no = len(tgt_lines) - 1
        line = tgt_lines[line_no]
        taken = edits.setdefault(line_no, [])
        span: tuple[int, int] | None = None
        method = ""
        if line_no not in linked:
            linked[line_no] = link(line, lang="en", gazetteer=gazetteer, actors=with_actors) if line.strip() else []
        for other in linked[line_no]:
            if other.id == mention.match.id and _free(taken, other.start, other.end):
                span, method = (other.start, other.end), "aligned: linked"
                break
        if span is None:
            if mention.surface not in renderings:
                renderings[mention.surface] = translator.translate(mention.surface).strip()
            rendering = renderings[mention.surface]
            if len(rendering) >= 2:
                for m in re.finditer(rf"(?<!\w){re.escape(rendering)}(?!\w)", line, flags=re.IGNORECASE):
                    if _free(taken, m.start(), m.end()):
                        span, method = (m.start(), m.end()), "aligned: rendering"
                        break
        if span is None:
            relative = (mention.start - line_start) / max(1, line_end - line_start)
            at = _word_boundary(line, round(relative * len(line)), taken)
            span, method = (at, at), "inserted"
        taken.append((span[0], span[1], name, index, method))
    out_lines: list[str] = []
    placed: dict[int, tuple[int, int, str]] = {}
    offset = 0
    for line_no, line in enumerate(tgt_lines):
        pieces: list[str] = []
        cursor = 0
        length = 0
        for start, end, name, index, method in sorted(edits.get(line_no, []), key=lambda e: (e[0], e[1], e[3])):
            pieces.append(line[cursor:start])
            length += start - cursor
            insert = name
            if start == end:  # an insertion: keep it a separate word
                before = "" if start == 0 or line[start - 1] == " " or (pieces and pieces[-1].endswith(" ")) else " "
                after = "" if start == len(line) or line[start] == " " else " "
                insert = f"{before}{name}{after}"
                lead = len(before)
            else:
                lead = 0
            placed[index] = (offset + length + lead, offset + length + lead + len(name), method)
            pieces.append(insert)
            length += len(insert)
            cursor = end
        pieces.append(line[cursor:])
        length += len(line) - cursor
        out_lines.append("".join(pieces))
        offset += length + 1
    final = "\n".join(out_lines)
    entities = []
    for index, mention in enumerate(mentions):
        assert mention.match is not None
        start, end, method = placed[index]
        entities.append(Entity(mention.start, mention.end, mention.surface, mention.match.id,
                               english_name(mention.match.entry), start, end, method))
    return Document(text, final, language, tuple(entities))


def _line_starts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each source line as the translator splits them (\\r\\n, \\r and \\n)."""
    out = []
    start = 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _locate_line(lines: list[tuple[int, int]], text: str, pos: int) -> tuple[int, int, int]:
    for i, (start, end) in enumerate(lines):
        if start <= pos <= end:
            return i, start, end
    last = lines[-1]
    return len(lines) - 1, last[0], last[1]


def _free(taken: list[tuple[int, int, str, int, str]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e, *_ in taken if e > s) and not any(
        s == e and start < s < end for s, e, *_ in taken)


def _word_boundary(line: str, pos: int, taken: list[tuple[int, int, str, int, str]]) -> int:
    """The nearest position at or after ``pos`` that starts or ends a word and is outside replaced spans."""
    pos = max(0, min(pos, len(line)))
    candidates = [0, len(line)] + [m.start() for m in re.finditer(r"(?<=\s)\S", line)] + [
        m.end() for m in re.finditer(r"\S(?=\s|$)", line)]
    best = None
    for c in sorted(set(candidates), key=lambda c: (abs(c - pos), c)):
        if all(not (s < c < e) for s, e, *_ in taken):
            best = c
            break
    return len(line) if best is None else best
