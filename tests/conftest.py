"""Fixtures shared by the test suite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _tiny_marian import build_tiny_marian


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight Marian model laid out like Helsinki-NLP/opus-mt-ar-en (64 positions, so
    ordinary paragraphs must be split). Read-only by convention: copy it before writing into it
    (the CTranslate2 backend caches its conversion inside a writable model directory)."""
    import torch

    # A d_model-32 model spends its time synchronising threads, badly so on a loaded 2-core runner.
    torch.set_num_threads(1)
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian") / "model", seed=0)


@pytest.fixture(scope="session")
def tiny_marian_tc_big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tc-big / tc-bible variant: untied output projection and ``>>eng<<``-style target tokens."""
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian-tc-big") / "model", seed=1,
                             tie_word_embeddings=False, target_tokens=(">>eng<<", ">>deu<<"))
