"""The public surface: __all__, lazy heavy imports, exception hierarchy."""

from __future__ import annotations

import subprocess
import sys

import normalize


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(normalize) if not name.startswith("_")} - {"annotations"}
    # Sorted like httpx: constants and classes (upper case first), then functions.
    assert normalize.__all__ == sorted(normalize.__all__)
    assert set(normalize.__all__) - {"__version__"} == public


def test_every_exported_name_resolves() -> None:
    for name in normalize.__all__:
        assert getattr(normalize, name) is not None


def test_import_does_not_load_heavy_dependencies() -> None:
    code = ("import sys, normalize; normalize.resolve('Kirkuk'); "
            "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'pandas', 'dask') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_exceptions_share_one_root_and_builtins() -> None:
    assert issubclass(normalize.GazetteerFormatError, normalize.NormalizeError)
    assert issubclass(normalize.GazetteerFormatError, ValueError)
    assert issubclass(normalize.GazetteerNotFoundError, FileNotFoundError)
    assert issubclass(normalize.UnknownEntryError, KeyError)
    assert issubclass(normalize.ModelNotFoundError, FileNotFoundError)
    assert issubclass(normalize.IndexFormatError, ValueError)
