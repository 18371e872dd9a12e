"""The built wheel carries the bundled gazetteers and works outside the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_resolves_from_bundled_gazetteer(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("normalize_gazetteer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "normalize/_gazetteers/region.tsv" in names
    assert "normalize/_gazetteers/iraq-curated.tsv" in names
    assert "normalize/_gazetteers/common-words.tsv" in names
    assert "normalize/_matching/outside.nidx" in names and "normalize/_matching/ranker.npz" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Install the wheel itself (not editable) by unpacking it, and borrow the test environment's already
    # installed dependencies through a .pth line, so the test needs no network. A .pth line only adds the
    # folder: the editable-install hooks in that folder are not run, so the source tree stays invisible.
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    (site / "zz_borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    code = ("import json, normalize; m = normalize.resolve('طوز خورماتو'); "
            "print(json.dumps({'file': normalize.__file__, 'id': m.id if m else None}))")
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "NORMALIZE_CACHE_DIR": "off"})
    result = json.loads(out.stdout)
    assert result["id"] == "geonames:90026"
    assert result["file"].startswith(str(site))
