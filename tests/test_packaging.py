"""An installed package finds its rules and word lists without the checkout.

``scripts/check_wheel.sh`` (run by CI after the tests) builds the real wheel
and installs it into a fresh virtual environment; this test checks the same
layout without network access: the package copied alone into a folder, with
``models/`` inside it as the wheel carries it, imported from elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import RAW, ROOT

pytestmark = pytest.mark.slow

_PROBE = """
import sys
from pathlib import Path
site, root, sample = (Path(a) for a in sys.argv[1:4])
sys.path.insert(0, str(site))
import pipeline
from pipeline.lexicon import models_dir
from pipeline.parse import parse_document
assert Path(pipeline.__file__).resolve().parent == (site / "pipeline").resolve(), pipeline.__file__
assert models_dir().resolve() == (site / "pipeline" / "models").resolve(), models_dir()
p = parse_document(sample, model="blank")
doc = p.rows["documents"][0]
print(doc["status"], doc["error"], len(p.rows["agenda_items"]), len(p.rows["people"]))
"""


def test_wheel_layout_reads_its_own_models(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "pipeline", site / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", site / "pipeline" / "models")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.txt", elsewhere / "m.txt")
    r = subprocess.run([sys.executable, "-c", _PROBE, str(site), str(ROOT), str(sample)], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    status, error, items, people = r.stdout.split()[-4:]
    assert (status, error) == ("ok", "None")
    assert int(items) == 8 and int(people) == 17


def test_models_missing_is_a_clear_error(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "pipeline", site / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    code = "import sys; sys.path.insert(0, sys.argv[1]); from pipeline.lexicon import models_dir; models_dir()"
    r = subprocess.run([sys.executable, "-c", code, str(site)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "ModelsNotFound" in r.stderr and "models folder is missing" in r.stderr


def test_pyproject_ships_models_in_the_wheel():
    """The build configuration maps models/ to pipeline/models (what the layout test assumes)."""
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = conf["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["pipeline"]
    assert wheel["force-include"] == {"models": "pipeline/models"}
