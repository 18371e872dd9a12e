"""Fixtures shared by the test suite.

Every test runs with the library's cache folder pointed at a temporary folder of the session (never the
machine's home folder), and with the in-process caches of the library emptied after it, so that no test sees
what another left behind. The default gazetteer is loaded again from the session's compiled index where a test
needs it (a fraction of a second).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _tiny_marian import build_tiny_marian

import normalize


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's cache folder (compiled indexes, the linker's keys, converted models)."""
    # CI sets NORMALIZE_CACHE_DIR to a folder inside the clone; keep it when set, so CI reruns reuse it.
    given = os.environ.get("NORMALIZE_CACHE_DIR")
    return Path(given) if given and given.strip().lower() not in ("", "off", "0", "false", "no") else \
        tmp_path_factory.mktemp("normalize-cache")


@pytest.fixture(autouse=True)
def _isolated_caches(session_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", str(session_cache))
    # A user's own default-gazetteer setting must not change what the tests see.
    monkeypatch.delenv("NORMALIZE_GAZETTEER", raising=False)
    yield
    normalize.clear_caches()


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight Marian model laid out like Helsinki-NLP/opus-mt-ar-en (64 positions, so
    ordinary paragraphs must be split). Read-only by convention: copy it before writing into it."""
    import torch

    # A d_model-32 model spends its time synchronising threads, badly so on a loaded 2-core runner.
    torch.set_num_threads(1)
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian") / "model", seed=0)


@pytest.fixture(scope="session")
def tiny_marian_tc_big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tc-big / tc-bible variant: untied output projection and ``>>eng<<``-style target tokens."""
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian-tc-big") / "model", seed=1,
                             tie_word_embeddings=False, target_tokens=(">>eng<<", ">>deu<<"))
