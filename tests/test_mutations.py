"""Mutation property: a damaged sample either gives the undamaged document's tables or is not ``ok``.

A few dozen variants of the sample PDFs and texts (tests/mutations.py, one
seed: the same files every run) are ingested together with the undamaged
samples in one ``ingest`` call under a time limit and a memory cap.  For
every variant: exactly one ``documents`` row; no Python error escaped the
pipeline; and either every table equals the undamaged document's, or the
status says it is not (``partial``/``failed``).  benchmarks/mutation_campaign.py
runs the same on hundreds of variants.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

import mutations
from conftest import RAW
from pipeline.ingest import Options, ingest
from pipeline.parse import INTERNAL_ERROR

SOURCES = sorted(RAW.glob("*.*"))
#: variants in the suite (every kind of damage at least once per source kind)
COUNT = 36
#: a bomb larger than the memory cap below, and fewer text objects than the campaign's
BOMB_BYTES = 2 << 30
TEXT_OBJECTS = 20_000


@pytest.mark.slow
def test_damaged_samples_are_equal_or_not_ok(tmp_path):
    variants = mutations.variants(SOURCES, COUNT, seed=20261201, bomb_bytes=BOMB_BYTES, text_objects=TEXT_OBJECTS)
    assert len(variants) == COUNT
    assert {v.kind for v in variants} >= set(mutations.PDF_KINDS) | set(mutations.TEXT_KINDS)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for src in SOURCES:
        shutil.copyfile(src, inputs / src.name)
    for v in variants:
        (inputs / v.name).write_bytes(v.data)

    summary = ingest([inputs], tmp_path / "out", Options(workers=2, timeout=30, max_memory_mb=1500, model="blank", batch=64))

    by_doc = mutations.dataset_by_doc(tmp_path / "out")
    assert summary.parsed == len(SOURCES) + COUNT
    for src in SOURCES:
        assert mutations.classify(by_doc, src.read_bytes(), src.read_bytes()) == ("ok-equal", "")
    outcomes = {v.name: mutations.classify(by_doc, v.data, v.source.read_bytes()) for v in variants}
    wrong = {name: got for name, got in outcomes.items() if got[0] in ("ok-changed", "missing", "duplicated")}
    assert wrong == {}
    escaped = {name: why for name, (category, why) in outcomes.items() if INTERNAL_ERROR in why or "worker error" in why}
    assert escaped == {}
    counts = Counter(category for category, _ in outcomes.values())
    assert counts["ok-equal"] >= 5 and counts["partial"] >= 10  # both sides of the property are exercised
