"""The signature every benchmark prints: what was measured, with which code, data and settings.

A figure means something only with its signature (as sacrebleu prints one with every score): the library
version and fingerprint (which changes with any change to the matching code or the ranker's weights), the
gazetteer's checksum and size, the settings of the run, and the versions of the libraries that decide speed.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalize._version import __version__

if TYPE_CHECKING:
    from normalize._gazetteer._facade import Gazetteer

__all__ = ["Signature"]

_PACKAGES = ("rapidfuzz", "numpy")


@dataclass(frozen=True, slots=True)
class Signature:
    """Library version and fingerprint, ranker checksum, gazetteer checksum and size, settings, platform."""

    version: str
    fingerprint: str
    ranker: str
    gazetteer: str
    entries: int
    settings: tuple[tuple[str, str], ...] = field(default=())
    platform: str = ""

    @classmethod
    def of(cls, gazetteer: Gazetteer | None = None, *, settings: Mapping[str, object] | None = None) -> Signature:
        """The signature of a run on ``gazetteer`` (the default one when ``None``) with ``settings``."""
        # Imported here: importlib.metadata pulls in the email package, ~30 ms of every `import normalize`.
        from importlib import metadata

        from normalize._gazetteer._default import default_gazetteer
        from normalize._gazetteer._index_file import library_fingerprint
        from normalize._matching._model import bundled_ranker

        g = default_gazetteer() if gazetteer is None else gazetteer
        versions = []
        for name in _PACKAGES:
            try:
                versions.append(f"{name} {metadata.version(name)}")
            except metadata.PackageNotFoundError:
                continue
        plat = " | ".join([f"python {platform.python_version()}", *versions, platform.machine()])
        return cls(__version__, library_fingerprint(), bundled_ranker().checksum(), g.checksum[:12], len(g),
                   tuple((str(k), str(v)) for k, v in (settings or {}).items()), plat)

    def __str__(self) -> str:
        parts = [f"normalize {self.version}", f"fingerprint {self.fingerprint}", f"ranker {self.ranker}",
                 f"gazetteer sha256:{self.gazetteer} ({self.entries} entries)"]
        parts += [f"{k}={v}" for k, v in self.settings]
        if self.platform:
            parts.append(self.platform)
        return " | ".join(parts)
