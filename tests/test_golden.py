"""Golden tables for the sample referater, field by field.

The golden files (tests/golden/<sample file>.json) were written once by the
pipeline and then read line by line against the source text; where a value
was wrong, the code was fixed, not the file.  After a deliberate change:
``REFERAT_UPDATE_GOLDEN=1 make test`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import GOLDEN, SAMPLES, SEEDS, UPDATE_GOLDEN, parsed

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
    path = GOLDEN / f"{sample.name}.json"
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


@pytest.mark.parametrize("stem", sorted({s.stem for s in SEEDS}))
def test_pdf_and_text_give_the_same_rows(stem):
    from conftest import RAW

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
