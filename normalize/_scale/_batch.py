"""Column-wise lookups: resolve a column of names, or link a column of texts, in one call.

Archives repeat the same spellings over and over, so every distinct string is looked up once and the result
is shared by all rows that hold it. Entries that are not strings (``None``, ``NaN``, ``pd.NA``, numbers) give
empty results rather than errors, because real columns have holes. pandas is optional: it is imported only
by ``to_pandas()`` and, to recognise a Series, only if the caller has already imported it.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from normalize._matching._match import Match

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer
    from normalize._link._mention import Mention

__all__ = ["LinkedMentions", "ResolvedColumns", "link_many", "resolve_many"]

#: Columns of :class:`ResolvedColumns`, in order (``to_dict`` and ``to_pandas`` use this order).
RESOLVED_COLUMNS = ("id", "name", "score", "lat", "lon", "country", "admin1", "kind", "matched")
#: Columns of :class:`LinkedMentions`, in order.
MENTION_COLUMNS = ("row", "start", "end", "surface", "id", "name", "score")
_FLOAT_COLUMNS = frozenset({"score", "lat", "lon"})
_INT_COLUMNS = frozenset({"row", "start", "end"})


@dataclass(frozen=True, slots=True)
class ResolvedColumns:
    """The result of :func:`resolve_many`: one tuple per column, one position per input row.

    Rows whose input was not a string, or that resolved to nothing, hold ``None`` in every column.
    ``admin1`` is the governorate's name (as in :meth:`Match.to_dict`). ``matches`` holds the
    :class:`Match` objects themselves (for fields not given as columns, such as ``entry.admin2``).
    ``index`` is the input Series' index (``None`` for other inputs); it is not part of equality.
    """

    id: tuple[str | None, ...]
    name: tuple[str | None, ...]
    score: tuple[float | None, ...]
    lat: tuple[float | None, ...]
    lon: tuple[float | None, ...]
    country: tuple[str | None, ...]
    admin1: tuple[str | None, ...]
    kind: tuple[str | None, ...]
    matched: tuple[str | None, ...]
    matches: tuple[Match | None, ...] = field(repr=False)
    index: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_matches(cls, matches: Sequence[Match | None], *, index: Any = None) -> ResolvedColumns:
        """Columns from one ``Match`` (or ``None``) per row."""
        cols: dict[str, list[Any]] = {c: [] for c in RESOLVED_COLUMNS}
        for m in matches:
            if m is None:
                for values in cols.values():
                    values.append(None)
                continue
            e = m.entry
            cols["id"].append(m.id)
            cols["name"].append(m.name)
            cols["score"].append(m.score)
            cols["lat"].append(e.lat)
            cols["lon"].append(e.lon)
            cols["country"].append(e.country)
            cols["admin1"].append(e.admin1.name if e.admin1 else None)
            cols["kind"].append(e.kind)
            cols["matched"].append(m.matched)
        return cls(**{c: tuple(v) for c, v in cols.items()}, matches=tuple(matches), index=index)

    def __len__(self) -> int:
        return len(self.id)

    def to_dict(self) -> dict[str, list[Any]]:
        """``{column: [value per row]}`` for the columns in :data:`RESOLVED_COLUMNS` (JSON-ready)."""
        return {c: list(getattr(self, c)) for c in RESOLVED_COLUMNS}

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: text columns as the nullable ``"string"`` dtype, ``score``/``lat``/``lon``
        as ``float64`` (``NaN`` where empty); indexed like the input Series (else ``0..n-1``)."""
        return _frame(self.to_dict(), RESOLVED_COLUMNS, self.index)


@dataclass(frozen=True, slots=True)
class LinkedMentions:
    """The result of :func:`link_many` in long format: one position per mention, texts in input order and
    mentions in text order. ``row`` is the position of the text in the input; ``start``/``end`` are
    character offsets into that text (``texts[row][start:end] == surface``). ``id``, ``name`` and ``score``
    are ``None`` for a place-like span that resolved to nothing. ``mentions`` holds the :class:`Mention`
    objects; ``index`` is the input Series' index (``None`` for other inputs), not part of equality.
    """

    row: tuple[int, ...]
    start: tuple[int, ...]
    end: tuple[int, ...]
    surface: tuple[str, ...]
    id: tuple[str | None, ...]
    name: tuple[str | None, ...]
    score: tuple[float | None, ...]
    mentions: tuple[Mention, ...] = field(repr=False)
    n_texts: int = 0
    index: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_mentions(cls, per_text: Sequence[Sequence[Mention]], *, index: Any = None) -> LinkedMentions:
        """Long format from one list of mentions per text."""
        rows = [(i, m) for i, ms in enumerate(per_text) for m in ms]
        return cls(row=tuple(i for i, _m in rows), start=tuple(m.start for _i, m in rows),
                   end=tuple(m.end for _i, m in rows), surface=tuple(m.surface for _i, m in rows),
                   id=tuple(m.id for _i, m in rows),
                   name=tuple(None if m.match is None else m.match.name for _i, m in rows),
                   score=tuple(None if m.match is None else m.match.score for _i, m in rows),
                   mentions=tuple(m for _i, m in rows), n_texts=len(per_text), index=index)

    def __len__(self) -> int:
        return len(self.row)

    def to_dict(self) -> dict[str, list[Any]]:
        """``{column: [value per mention]}`` for the columns in :data:`MENTION_COLUMNS` (JSON-ready)."""
        return {c: list(getattr(self, c)) for c in MENTION_COLUMNS}

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per mention, indexed by the label of the text it came from (the
        input Series' index label, else the text's position), so it joins back onto the input frame.
        ``row``/``start``/``end`` are ``int64``, ``score`` ``float64``, the rest the ``"string"`` dtype."""
        import pandas as pd

        labels = (pd.RangeIndex(self.n_texts) if self.index is None else self.index).take(list(self.row))
        return _frame(self.to_dict(), MENTION_COLUMNS, labels)


def resolve_many(names: Iterable[object], *, gazetteer: Gazetteer | None = None,
                 country: str | Collection[str] | None = None, kind: str | None = None,
                 within: str | None = None, min_score: float | None = None) -> ResolvedColumns:
    """Resolve a column of place names; see :meth:`Gazetteer.resolve` for the options.

    ``names``: a list, tuple, NumPy array, pandas Series (the result keeps its index) or any iterable.
    Each distinct string is resolved once; non-strings give empty rows. Order is preserved.

    >>> resolve_many(["Kirkuk", None, "Kirkuk"]).id[0] == resolve_many(["Kirkuk"]).id[0]
    True
    """
    values, index = _column(names, "names")
    g = _gazetteer(gazetteer)
    # Bad options fail here, once, even for an empty or all-missing column.
    g.resolve("", country=country, kind=kind, within=within, min_score=min_score)
    found: dict[str, Match | None] = {}
    for v in values:
        if isinstance(v, str) and v not in found:
            found[v] = g.resolve(v, country=country, kind=kind, within=within, min_score=min_score)
    return ResolvedColumns.from_matches([found[v] if isinstance(v, str) else None for v in values], index=index)


def link_many(texts: Iterable[object], *, lang: str = "auto", gazetteer: Gazetteer | None = None,
              country: str | Collection[str] | None = None, min_score: float | None = None) -> LinkedMentions:
    """Link the place mentions of a column of texts; see :func:`normalize._link.link` for the options.

    ``texts``: a list, tuple, NumPy array, pandas Series (the result's ``to_pandas()`` is indexed by its
    labels) or any iterable. One :class:`Linker` serves all texts; repeated texts are linked once;
    non-strings have no mentions.
    """
    from normalize._link import Linker

    values, index = _column(texts, "texts")
    linker = Linker(_gazetteer(gazetteer), country=country, min_score=min_score)
    linker.link("", lang=lang)  # validates lang once, even for an empty column
    found: dict[str, list[Mention]] = {}
    for v in values:
        if isinstance(v, str) and v not in found:
            found[v] = linker.link(v, lang=lang)
    return LinkedMentions.from_mentions([found[v] if isinstance(v, str) else [] for v in values], index=index)


def _gazetteer(gazetteer: Gazetteer | None) -> Gazetteer:
    if gazetteer is not None:
        return gazetteer
    from normalize._gazetteer._default import default_gazetteer

    return default_gazetteer()


def _column(data: Iterable[object], what: str) -> tuple[list[object], Any]:
    """The values of a one-dimensional input, and its pandas index if it is a Series."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{what} must be a column of strings (list, tuple, array, Series), not a single "
                        f"{type(data).__name__}: wrap it in a list")
    pd = sys.modules.get("pandas")  # a Series can exist only if pandas was imported, so never import it here
    if pd is not None:
        if isinstance(data, pd.DataFrame):
            raise TypeError(f"{what} must be one column, not a DataFrame: pass df[{'column'!r}]")
        if isinstance(data, pd.Series):
            return data.tolist(), data.index
    np = sys.modules.get("numpy")
    if np is not None and isinstance(data, np.ndarray):
        if data.ndim != 1:
            raise ValueError(f"{what} must be one-dimensional, got an array of shape {data.shape}")
        return data.tolist(), None
    return list(data), None


def _frame(columns: dict[str, list[Any]], order: Sequence[str], index: Any) -> Any:
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
    for c in order:
        if c in _FLOAT_COLUMNS:
            data[c] = np.array([np.nan if v is None else v for v in columns[c]], dtype=np.float64)
        elif c in _INT_COLUMNS:
            data[c] = np.array(columns[c], dtype=np.int64)
        else:
            # The nullable string dtype, not object: the same dtype (and missing value, pd.NA) in pandas 2
            # and 3, and in Dask's ``meta``.
            data[c] = pd.array(columns[c], dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(columns[order[0]])) if index is None else index)

