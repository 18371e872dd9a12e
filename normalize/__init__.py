"""normalize: resolve Arabic, Kurdish and English place names to canonical gazetteer IDs."""

from normalize._version import __version__

__all__ = ["__version__"]
