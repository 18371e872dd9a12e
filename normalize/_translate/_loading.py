"""Find a model's files on this machine, never downloading.

A model is either a local directory (anything that exists on disk, or a name starting with ``/``,
``.`` or ``~``) or a Hugging Face Hub id looked up in the Hugging Face cache with
``local_files_only=True``: a machine without network never stalls on a download attempt, and a
machine with network does not fetch 300 MB behind the user's back. Missing files raise
``ModelNotFoundError`` saying which files, where we looked and the one command that fetches them: for a
Hub id ``hf download <id>``; for a local directory ``hf download <id> --local-dir <directory>`` with the
id the directory belongs to (its Hugging Face cache path, its ``config.json``, or the language's registry
model), never ``hf download <a local path>``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from normalize._errors import BackendUnavailableError, ModelNotFoundError

__all__ = ["REQUIRED_FILES", "WEIGHTS", "hf_cache_dir", "hub_id_of", "locate_model", "read_config"]

REQUIRED_FILES = ("config.json", "vocab.json", "source.spm", "target.spm")
WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_CACHE_REPO = re.compile(r"^models--(?P<org>[^/]+?)--(?P<name>[^/]+)$")


def hf_cache_dir() -> Path:
    """The Hub cache, resolved from the environment at call time ($HF_HUB_CACHE, $HF_HOME/hub,
    $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub), as huggingface_hub does."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "huggingface" / "hub"


def read_config(path: Path) -> dict[str, Any]:
    """``path/config.json`` as a dict; a missing or unreadable file is a ``ModelNotFoundError``."""
    file = path / "config.json"
    try:
        config = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelNotFoundError(f"translation model in {path}: cannot read {file}: {exc}") from exc
    if not isinstance(config, dict):
        raise ModelNotFoundError(f"translation model in {path}: {file} is not a JSON object")
    return config


def hub_id_of(path: Path, default: str | None = None) -> str | None:
    """The Hub id a local model directory holds: from its Hugging Face cache path
    (``models--Org--name/snapshots/...``), else its config's ``_name_or_path``, else ``default``."""
    for part in reversed(path.parts):
        match = _CACHE_REPO.match(part)
        if match:
            return f"{match['org']}/{match['name']}"
    try:
        name = json.loads((path / "config.json").read_text(encoding="utf-8")).get("_name_or_path")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        name = None
    if isinstance(name, str) and _HUB_ID.match(name) and not Path(name).expanduser().exists():
        return name
    return default


def _hub_hint(model_id: str) -> str:
    return (f"On a connected machine run `hf download {model_id}` (older huggingface_hub: "
            f"`huggingface-cli download {model_id}`) and copy its Hugging Face cache directory "
            f"(~/.cache/huggingface/hub, or $HF_HOME/hub) to this machine, or "
            f"`hf download {model_id} --local-dir DIR` and pass DIR as the model "
            f"(model=DIR, --model DIR or $NORMALIZE_MODEL_<LANG>=DIR). See docs/translation.md.")


def _directory_hint(directory: Path, model_id: str | None) -> str:
    if model_id is None:
        return (f"Download the model's files into it on a connected machine with "
                f"`hf download <hub id of the model> --local-dir {directory}` and copy the directory here. "
                f"See docs/translation.md.")
    return (f"Download them on a connected machine with `hf download {model_id} --local-dir {directory}` "
            f"and copy the directory here. See docs/translation.md.")


def _missing_files(path: Path) -> list[str]:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if not any((path / name).is_file() for name in WEIGHTS):
        missing.append(f"the weights ({' or '.join(WEIGHTS[:2])})")
    return missing


def locate_model(model: str, *, hub_id: str | None = None) -> Path:
    """Directory holding the Marian model ``model`` (a local path or a Hub id already in the cache).

    ``hub_id``: the registry model for the language being translated, named in the fetch command for a
    local directory that says nothing about its own id.
    """
    local = Path(model).expanduser()
    if local.is_dir():
        path = local.resolve()
        missing = _missing_files(path)
        if missing:
            owner = hub_id_of(path, hub_id)
            in_cache = any(_CACHE_REPO.match(part) for part in path.parts)
            # A snapshot inside the Hugging Face cache is refilled by downloading into the cache itself.
            hint = _hub_hint(owner) if in_cache and owner else _directory_hint(path, owner)
            raise ModelNotFoundError(
                f"translation model {model!r}: the local directory {path} lacks {', '.join(missing)}. {hint}")
        return path
    if _looks_like_path(model) or local.exists():
        raise ModelNotFoundError(
            f"translation model {model!r}: there is no directory {local}. "
            f"{_directory_hint(local, hub_id)}")
    return _from_hub_cache(model)


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or "\\" in model or model.count("/") > 1


def _from_hub_cache(model: str) -> Path:
    cache = hf_cache_dir()
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError
    except ImportError as exc:  # a transformers dependency, so only a broken install lacks it
        raise BackendUnavailableError(f"looking up {model!r} needs huggingface_hub: pip install huggingface_hub "
                                      f"({exc})") from exc
    try:
        found = Path(str(snapshot_download(model, cache_dir=str(cache), local_files_only=True)))
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError, OSError) as exc:
        raise ModelNotFoundError(
            f"translation model {model!r} is not on this machine: not found in the Hugging Face cache "
            f"{cache} (looked up with local_files_only=True; nothing is downloaded). {_hub_hint(model)}"
        ) from exc
    missing = _missing_files(found)
    if missing:
        raise ModelNotFoundError(
            f"translation model {model!r}: the Hugging Face cache snapshot {found} lacks {', '.join(missing)} "
            f"(an interrupted download?). {_hub_hint(model)}")
    return found
