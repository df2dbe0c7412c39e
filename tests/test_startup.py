"""What the package and the CLI import before they do any work (no timings here: see
benchmarks/startup_bench.py).  ``import pipeline``, ``referat --help`` and the process of
``referat show`` that only prints what its guarded child parsed must not load the parser's
libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

HEAVY = ("spacy", "pyarrow", "pandas", "duckdb", "numpy", "pdfplumber", "pdfminer", "pipeline.parse")


def loaded_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@pytest.mark.parametrize("code", [
    "import pipeline",
    "import pipeline.cli",  # referat --help
    "from pipeline.parsed import Parsed",  # what the parent of `referat show` unpickles
])
def test_no_heavy_import(code):
    assert loaded_after(code) == []


def test_the_parse_result_lives_outside_the_parser():
    """A Parsed is pickled by its module's name: that module must be the light one."""
    from pipeline.parse import Parsed

    assert Parsed.__module__ == "pipeline.parsed"
