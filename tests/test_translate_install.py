"""What a user without the optional packages, or with an incomplete model directory, is told.

Missing packages are simulated in a fresh interpreter by setting ``sys.modules[name] = None`` before anything
imports them: ``importlib.util.find_spec`` then answers None and ``import`` raises ImportError, exactly as when
the package is not installed (transformers too then reports "PyTorch was not found").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalize._errors import ModelNotFoundError
from normalize._translate import Translator
from normalize._translate._backends import CPU_INDEX, TORCH_PIN

ARABIC = "وصل الوفد إلى بغداد صباح اليوم."

# Runs each scenario given on the command line (JSON: environment changes and Translator options) in a
# process where the packages named in argv[1] cannot be imported; prints one JSON result per scenario.
_SCRIPT = r"""
import json, os, sys
for name in sys.argv[1].split(","):
    if name:
        sys.modules[name] = None
from normalize._translate import Translator
from normalize._cli import main
for scenario in json.loads(sys.argv[2]):
    os.environ.update(scenario.get("env", {}))
    try:
        if "cli" in scenario:
            result = {"exit": main(scenario["cli"])}
        else:
            out = Translator(**scenario["options"]).translate(sys.argv[3])
            result = {"ok": bool(out)}
    except Exception as exc:
        result = {"error": type(exc).__name__, "message": str(exc)}
    result["loaded"] = sorted(m for m in ("torch", "ctranslate2") if sys.modules.get(m) is not None)
    print(json.dumps(result))
"""


def run_without(packages: list[str], scenarios: list[dict[str, object]], tmp_path: Path) -> list[dict[str, object]]:
    env = {**os.environ, "NORMALIZE_CACHE_DIR": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, ",".join(packages), json.dumps(scenarios), ARABIC],
                          capture_output=True, text=True, env=env, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def test_without_torch_and_ctranslate2(tiny_marian: Path, tmp_path: Path) -> None:
    model = str(tiny_marian)
    lines = tmp_path / "in.txt"
    lines.write_text(ARABIC + "\n", encoding="utf-8")
    auto, cli = run_without(["torch", "ctranslate2"], [
        {"options": {"lang": "ar", "model": model}},
        {"cli": ["translate", "--lang", "ar", "--model", model, str(lines)]},
    ], tmp_path)
    assert auto["error"] == "BackendUnavailableError"
    # The one command that works on a CPU machine: the CPU build of torch, pinned, with the extra.
    assert f"pip install {TORCH_PIN} 'normalize-gazetteer[translate]' --extra-index-url {CPU_INDEX}" in \
        str(auto["message"])
    assert cli["exit"] == 3


def test_without_torch_ctranslate2_runs_from_a_cached_conversion(tiny_marian: Path, tmp_path: Path) -> None:
    model = str(tiny_marian)
    fresh = str(tmp_path / "fresh")
    need_convert, transformers_backend = run_without(["torch"], [
        {"env": {"NORMALIZE_CACHE_DIR": fresh}, "options": {"lang": "ar", "model": model}},
        {"options": {"lang": "ar", "model": model, "backend": "transformers"}},
    ], tmp_path)
    # The conversion (once) needs torch: say so and give the CPU-torch command.
    assert need_convert["error"] == "BackendUnavailableError"
    assert "converting" in str(need_convert["message"])
    assert f"pip install {TORCH_PIN} --index-url {CPU_INDEX}" in str(need_convert["message"])
    assert transformers_backend["error"] == "BackendUnavailableError"
    assert "'torch' package" in str(transformers_backend["message"])
    assert f"pip install {TORCH_PIN} --index-url {CPU_INDEX}" in str(transformers_backend["message"])

    # Once converted (here, with torch), CTranslate2 translates without torch ever being imported.
    from normalize._translate._backends._ctranslate2 import converted_model

    os.environ["NORMALIZE_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        converted_model(tiny_marian)
    finally:
        del os.environ["NORMALIZE_CACHE_DIR"]
    (cached,) = run_without(["torch"], [{"options": {"lang": "ar", "model": model}}], tmp_path)
    assert cached == {"ok": True, "loaded": ["ctranslate2"]}


def test_ctranslate2_backend_without_ctranslate2(tiny_marian: Path, tmp_path: Path) -> None:
    (explicit,) = run_without(["ctranslate2"], [
        {"options": {"lang": "ar", "model": str(tiny_marian), "backend": "ctranslate2"}}], tmp_path)
    assert explicit["error"] == "BackendUnavailableError"
    assert "pip install 'ctranslate2>=4.3'" in str(explicit["message"])


def _copy_without(tiny_marian: Path, target: Path, *missing: str) -> Path:
    shutil.copytree(tiny_marian, target, ignore=shutil.ignore_patterns(*missing))
    return target


def test_local_directory_without_weights_names_the_files_and_the_command(tiny_marian: Path, tmp_path: Path) -> None:
    bare = _copy_without(tiny_marian, tmp_path / "opus", "model.safetensors", "source.spm")
    with pytest.raises(ModelNotFoundError) as info:
        Translator(lang="ar", model=str(bare)).translate(ARABIC)
    message = str(info.value)
    assert "lacks source.spm, the weights (model.safetensors or pytorch_model.bin)" in message
    # The registry model for Arabic, downloaded into that directory; never `hf download <local path>`.
    assert f"`hf download Helsinki-NLP/opus-mt-ar-en --local-dir {bare}`" in message
    assert f"hf download {bare}" not in message


def test_local_directory_hint_uses_the_model_id_it_records(tiny_marian: Path, tmp_path: Path) -> None:
    bare = _copy_without(tiny_marian, tmp_path / "big", "model.safetensors")
    config = json.loads((bare / "config.json").read_text(encoding="utf-8"))
    config["_name_or_path"] = "Helsinki-NLP/opus-mt-tc-big-ar-en"
    (bare / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelNotFoundError,
                       match=r"`hf download Helsinki-NLP/opus-mt-tc-big-ar-en --local-dir .*big`"):
        Translator(lang="ar", model=str(bare)).translate(ARABIC)
    # No registry model for Persian and no id recorded: the command says which placeholder to fill in.
    (bare / "config.json").write_text(json.dumps({"d_model": 32}), encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=r"`hf download <hub id of the model> --local-dir .*big`"):
        Translator(lang="fa", model=str(bare)).translate("این یک متن فارسی است که باید ترجمه شود")


def test_incomplete_snapshot_in_the_hub_cache_says_hf_download_of_its_id(tiny_marian: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-ar-en" / "snapshots" / ("0" * 40)
    _copy_without(tiny_marian, snapshot, "model.safetensors")
    with pytest.raises(ModelNotFoundError) as info:
        Translator(lang="ar", model=str(snapshot)).translate(ARABIC)
    assert "On a connected machine run `hf download Helsinki-NLP/opus-mt-ar-en`" in str(info.value)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        Translator(lang="ar", model=str(tmp_path / "nowhere")).translate(ARABIC)
    message = str(info.value)
    assert f"there is no directory {tmp_path / 'nowhere'}" in message
    assert f"`hf download Helsinki-NLP/opus-mt-ar-en --local-dir {tmp_path / 'nowhere'}`" in message


def test_unreadable_config_is_a_model_error(tiny_marian: Path, tmp_path: Path) -> None:
    broken = _copy_without(tiny_marian, tmp_path / "broken")
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=r"cannot read .*config\.json"):
        Translator(lang="ar", model=str(broken), backend="transformers").translate(ARABIC)
