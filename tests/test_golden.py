"""Golden tables for the sample referater, field by field.

The golden files sit beside their samples (tests/samples/<family>/<name>.golden.json;
the seeds' in tests/samples/seeds/, see ``conftest.golden_path``).  They were
written once by the pipeline and then read line by line against the source
text; where a value was wrong, the code was fixed, not the file.  After a
deliberate change: ``REFERAT_UPDATE_GOLDEN=1 make test`` and review
``git diff tests/samples``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import RAW, SAMPLES, SAMPLES_DIR, SEEDS, UPDATE_GOLDEN, golden_path, parsed

#: columns that change from run to run or machine to machine
VOLATILE = {"doc_id", "parsed_at", "duration_s", "source", "sources", "file_size"}
#: what may differ between the PDF and the text form of the same meeting
LAYOUT = {"page", "page_start", "page_end", "line", "line_start", "line_end", "file_name", "file_type", "pages", "extractor"}
TABLES = ("meetings", "people", "agenda_items", "decisions", "amounts", "mentions", "votes")


def _plain(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return v
    return v


def snapshot(p) -> dict:
    out = {}
    for table, rows in p.rows.items():
        out[table] = [{k: _plain(v) for k, v in r.items() if k not in VOLATILE} for r in rows]
    for r in out["documents"]:
        r["extractor"] = (r["extractor"] or "").split("-")[0]  # the library, not its patch version
    # diagnostics: keep stage/severity/message (the page is kept too)
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_golden(sample):
    got = snapshot(parsed(str(sample)))
    path = golden_path(sample)
    if UPDATE_GOLDEN or not path.exists():
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path.name} was missing and has been written: review it, then rerun")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(want)
    for table in want:
        assert len(got[table]) == len(want[table]), f"{table}: {len(got[table])} rows, golden has {len(want[table])}"
        for i, (g, w) in enumerate(zip(got[table], want[table])):
            assert json.loads(json.dumps(g, ensure_ascii=False)) == w, f"{table} row {i} differs"


def test_every_golden_file_belongs_to_a_sample():
    """A golden file whose sample was renamed or removed would silently stop being checked."""
    orphans = sorted(set(SAMPLES_DIR.glob("**/*.golden.json")) - {golden_path(s) for s in SAMPLES})
    assert not orphans, f"golden files without a sample: {[str(p.relative_to(SAMPLES_DIR)) for p in orphans]}"


@pytest.mark.parametrize("stem", sorted({s.stem for s in SEEDS}))
def test_the_rows_of_a_pdf_typeset_from_a_text_are_the_texts(stem):
    """The sample PDFs are typeset from the seed texts (scripts/make_sample_pdfs.py): read back, they
    give the text's rows, page and line numbers apart.  (Fidelity to real PDFs is checked against
    pdfplumber's own characters and words: test_load, test_loss.)"""
    a = snapshot(parsed(str(RAW / f"{stem}.txt")))
    b = snapshot(parsed(str(RAW / f"{stem}.pdf")))
    for table in TABLES:
        ra = [{k: v for k, v in r.items() if k not in LAYOUT} for r in a[table]]
        rb = [{k: v for k, v in r.items() if k not in LAYOUT} for r in b[table]]
        assert ra == rb, f"{table} differs between .txt and .pdf"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_decisions_and_votes_agree(sample):
    """No item typed rejected on a minority's dissent alone; every vote's item has a decision."""
    from consistency import decision_vote_problems

    rows = parsed(str(sample)).rows
    assert decision_vote_problems(rows["decisions"], rows["votes"]) == []
