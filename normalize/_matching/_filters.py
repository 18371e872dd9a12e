"""The caller's context (``country=``, ``kind=``, ``within=``) as a mask over the index's entries.

Values are checked against the gazetteer's own vocabulary — the countries it holds, the feature codes and
classes it uses — so a filter that could match nothing is an :class:`~normalize.InvalidOptionError` naming
what is allowed, not an empty result.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from normalize._errors import InvalidOptionError
from normalize._gazetteer._entry import ADMIN_KINDS
from normalize._matching._index import NameIndex
from normalize._options import check_countries

__all__ = ["KIND_CLASSES", "Filter", "kind_choices"]

#: Feature classes accepted by ``kind=`` besides codes and code prefixes: ``A`` divisions, ``P`` populated places.
KIND_CLASSES = ("A", "P")


def kind_choices(kinds: Collection[str]) -> list[str]:
    """Every value ``kind=`` accepts for a gazetteer with these feature codes: the classes, the codes, and
    the prefixes that group codes (``ADM`` for ADM1/ADM2/ADM3, ``PPL`` for PPLA/PPLC ...)."""
    prefixes = {k[:3] for k in kinds if len(k) > 3}
    return [*KIND_CLASSES, *sorted(set(kinds) | prefixes)]


def _kind_matches(code: str, wanted: str) -> bool:
    if wanted == "A":
        return code in ADMIN_KINDS or code.startswith("ADM")
    if wanted == "P":
        return code.startswith("PPL")
    return code.startswith(wanted)


@dataclass(frozen=True, slots=True)
class Filter:
    """A context filter compiled to a mask over entry positions (``None``: no filter)."""

    mask: npt.NDArray[np.bool_] | None

    @classmethod
    def build(cls, index: NameIndex, *, country: object, kind: object, admin_codes: frozenset[str] | None
              ) -> Filter:
        """``admin_codes``: the division codes ``within=`` stands for (resolved by the gazetteer)."""
        mask: npt.NDArray[np.bool_] | None = None
        countries = check_countries("country", country, present=index.countries)
        if countries is not None:
            ids = [i for i, c in enumerate(index.countries) if c in countries]
            mask = np.isin(index.country_id, ids)
        if kind is not None:
            choices = kind_choices(index.kinds)
            if not isinstance(kind, str) or kind.strip().upper() not in choices:
                raise InvalidOptionError("kind", kind, f"one of {', '.join(choices)}")
            wanted = kind.strip().upper()
            ids = [i for i, code in enumerate(index.kinds) if _kind_matches(code, wanted)]
            k_mask = np.isin(index.kind_id, ids)
            mask = k_mask if mask is None else mask & k_mask
        if admin_codes is not None:
            ids = [i for i, c in enumerate(index.admin_codes) if c in admin_codes]
            a_mask = np.isin(index.admin1_id, ids) | np.isin(index.admin2_id, ids)
            mask = a_mask if mask is None else mask & a_mask
        return cls(mask)
