"""Type aliases of the public signatures, in one place."""

from __future__ import annotations

import os
from collections.abc import Collection

__all__ = ["CountryArg", "StrPath"]

#: A file path as the standard library takes one.
StrPath = str | os.PathLike[str]
#: ``country=``: one ISO 3166-1 alpha-2 code, a collection of them, or ``None`` for every country.
CountryArg = str | Collection[str] | None
