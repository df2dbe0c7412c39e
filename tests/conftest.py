"""Shared fixtures: sample paths, the shared corpus (optional), a parse cache."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
#: golden files of the seeds, which stay in data/raw/ because `make run` ingests them
SEED_GOLDEN = SAMPLES_DIR / "seeds"
SHARED = Path(os.environ.get("REFERAT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
UPDATE_GOLDEN = os.environ.get("REFERAT_UPDATE_GOLDEN") == "1"

SEED_STEMS = ("politisk_sundhedsklynge_syd_2022-11-07", "styregruppe_klynge_syd_2022-05-06")
SEEDS = tuple(RAW / f"{stem}.{ext}" for stem in SEED_STEMS for ext in ("txt", "pdf"))
#: invented minutes in the layouts of other template families, one folder per family (tests/samples/<family>/)
FAMILY_SAMPLES = tuple(sorted(p for p in SAMPLES_DIR.glob("*/*") if p.suffix in (".pdf", ".txt", ".md")))
SAMPLES = SEEDS + FAMILY_SAMPLES


def golden_path(sample: Path) -> Path:
    """The golden file of a sample: beside it (``<name>.golden.json``); a seed's in tests/samples/seeds/,
    named with its extension, since each seed meeting is there as PDF and as text."""
    if sample.parent == RAW:
        return SEED_GOLDEN / f"{sample.name}.golden.json"
    return sample.with_name(f"{sample.stem}.golden.json")


def flate_bomb(target: Path) -> Path:
    """A seed PDF with a page whose content inflates to 1 GB, written to ``target``: beyond any
    memory cap a test sets, whatever the parser itself needs to start."""
    import random

    import mutations

    target.write_bytes(mutations.flate_bomb((RAW / f"{SEED_STEMS[1]}.pdf").read_bytes(), random.Random(1)))
    return target


#: the cap a memory test sets: room for a guarded child to start (about 320 MB of address space),
#: far too little for a Flate bomb
BOMB_CAP_MB = 700
#: how the cap shows: Python's MemoryError, the child dying in native code (both name the cap),
#: or a page that pdfminer could not inflate under it
MEMORY_SAID = r"memory limit exceeded|the --max-memory cap of \d+ MB may be too small|needs more memory than the limit allows"


@lru_cache(maxsize=None)
def parsed(path: str):
    from pipeline.parse import parse_document

    return parse_document(path, model="blank")


@pytest.fixture(scope="session")
def lex():
    from pipeline.lexicon import lexicon

    return lexicon()


def needs_corpus():
    return pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")


@pytest.fixture(scope="session")
def rules():
    from pipeline.rules import rules_for

    return rules_for()


@pytest.fixture(scope="session")
def reading(lex, rules):
    from pipeline.extract.attendance import Reading

    return Reading(lex, rules)


@pytest.fixture(scope="session")
def seed_dataset(tmp_path_factory):
    """The seeds (data/raw) ingested once per session into <tmp>/data/parsed, as after `make run`
    (docs/api.md opens "data/parsed"); tests that change a dataset copy it first."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("seeds") / "data" / "parsed"
    r = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", "data/raw", "--out", str(out), "-q", "--model", "blank", "--batch", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    return out
