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


def test_parsing_a_document_loads_neither_the_table_libraries_nor_spacys_command_line():
    """A guarded child only parses: the Arrow schema, pandas, DuckDB and spaCy's command line
    (typer, weasel, httpx …, which spaCy's ``__init__`` imports for ``spacy.info``) stay out."""
    text = ROOT / "data" / "raw" / "styregruppe_klynge_syd_2022-05-06.txt"
    probe = (
        "import sys\n"
        "from pipeline.parse import parse_document\n"
        f"parse = parse_document({str(text)!r})\n"
        "assert parse.rows['agenda_items'], 'the sample parsed to nothing'\n"
        "print(' '.join(m for m in ('pyarrow', 'pandas', 'duckdb', 'spacy.cli', 'typer', 'httpx') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == []


def test_spacy_info_and_command_line_still_work_after_the_light_import():
    """``pipeline.spacy_import`` leaves spaCy whole: ``spacy.info`` answers, and ``spacy.cli``
    imports spaCy's real command line (not the stand-in used while spaCy was imported)."""
    probe = (
        "import sys\n"
        "from pipeline.spacy_import import spacy\n"
        "assert 'spacy.cli' not in sys.modules and 'spacy.cli.info' not in sys.modules\n"
        "about = spacy.info(silent=True)\n"
        "import spacy.cli\n"
        "print(about['spacy_version'] == spacy.__version__, sys.modules['spacy.cli.info'].__file__.endswith('info.py'),"
        " callable(spacy.cli.download))"
    )
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True", "True"]


def test_the_parse_result_lives_outside_the_parser():
    """A Parsed is pickled by its module's name: that module must be the light one."""
    from pipeline.parse import Parsed

    assert Parsed.__module__ == "pipeline.parsed"
