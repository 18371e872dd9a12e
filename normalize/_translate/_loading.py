"""Find a model's files on this machine, never downloading.

A model is either a local directory (anything that exists on disk, or a name starting with ``/``,
``.`` or ``~``) or a Hugging Face Hub id looked up in the Hugging Face cache with
``local_files_only=True``: a machine without network never stalls on a download attempt, and a
machine with network does not fetch 300 MB behind the user's back. Missing weights raise
``ModelNotFoundError`` saying where we looked and the command that fetches them.
"""

from __future__ import annotations

import os
from pathlib import Path

from normalize._errors import ModelNotFoundError

__all__ = ["REQUIRED_FILES", "hf_cache_dir", "locate_model"]

REQUIRED_FILES = ("config.json", "vocab.json", "source.spm", "target.spm")
_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")


def hf_cache_dir() -> Path:
    """The Hub cache, resolved from the environment at call time ($HF_HUB_CACHE, $HF_HOME/hub,
    $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub), as huggingface_hub does."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "huggingface" / "hub"


def _fetch_hint(model_id: str) -> str:
    return (f"On a connected machine run `hf download {model_id}` (older huggingface_hub: "
            f"`huggingface-cli download {model_id}`) and copy its Hugging Face cache directory "
            f"(~/.cache/huggingface/hub, or $HF_HOME/hub) to this machine, or "
            f"`hf download {model_id} --local-dir DIR` and pass DIR as the model "
            f"(model=DIR, --model DIR or $NORMALIZE_MODEL_<LANG>=DIR). See docs/translation.md.")


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or "\\" in model or model.count("/") > 1


def _check_files(path: Path, model: str, where: str) -> Path:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if not any((path / name).is_file() for name in _WEIGHTS):
        missing.append(" or ".join(_WEIGHTS))
    if missing:
        raise ModelNotFoundError(
            f"translation model {model!r}: {where} {path} lacks {', '.join(missing)}. {_fetch_hint(model)}")
    return path


def locate_model(model: str) -> Path:
    """Directory holding the Marian model ``model`` (a local path or a Hub id already in the cache)."""
    local = Path(model).expanduser()
    if local.is_dir():
        return _check_files(local.resolve(), model, "local directory")
    if _looks_like_path(model) or local.exists():
        raise ModelNotFoundError(f"translation model {model!r}: no such local directory {local}. "
                                 f"{_fetch_hint('<hub id>')}")
    cache = hf_cache_dir()
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        found = snapshot_download(model, cache_dir=str(cache), local_files_only=True)
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError, OSError) as exc:
        raise ModelNotFoundError(
            f"translation model {model!r} is not on this machine: not found in the Hugging Face cache "
            f"{cache} (looked up with local_files_only=True; nothing is downloaded). {_fetch_hint(model)}"
        ) from exc
    return _check_files(Path(str(found)), model, "Hugging Face cache snapshot")
