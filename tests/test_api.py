"""The Python API (pipeline/api.py): ``pipeline.parse`` and ``pipeline.open_dataset``.

The docstring examples of pipeline.api and the "Parsing one file" section of
docs/api.md run here as doctests, from the repository root, with no trained
Danish model (as on the machine the examples were written on).
"""

from __future__ import annotations

import doctest
import re
import subprocess
import sys

import pandas as pd
import pytest

import pipeline
import pipeline.api
from conftest import RAW, ROOT
from pipeline.dataset import dtypes, open_dataset
from pipeline.tables import TABLES, arrow_schema

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
TEXT = RAW / "styregruppe_klynge_syd_2022-05-06.txt"


@pytest.fixture
def as_documented(monkeypatch):
    """The repository root as working folder; a default model that is not installed (the notice diagnostic)."""
    import pipeline.nlp

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(pipeline.nlp, "DEFAULT_MODEL", "da_core_news_sm_not_installed")


def test_docstring_examples_run(as_documented):
    failed, attempted = doctest.testmod(pipeline.api, optionflags=DOCTEST_FLAGS)
    assert attempted >= 10
    assert failed == 0


def test_page_selection_examples_run():
    import pipeline.pages

    failed, attempted = doctest.testmod(pipeline.pages, optionflags=DOCTEST_FLAGS)
    assert attempted >= 2 and failed == 0


def test_pages_option(tmp_path):
    doc = tmp_path / "to_sider.txt"
    lines = TEXT.read_text(encoding="utf-8").split("\n")
    doc.write_text("\n".join(lines[:175]) + "\n\f" + "\n".join(lines[175:]), encoding="utf-8")
    whole, part = pipeline.parse(doc, model="blank"), pipeline.parse(doc, model="blank", pages=[2])
    assert set(part.tables["agenda_items"]["page_start"]) == {2}
    on_2 = whole.tables["agenda_items"]
    on_2 = on_2[on_2.page_start == 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(part.tables["agenda_items"][["item_no", "title", "line_start", "line_end"]], on_2[["item_no", "title", "line_start", "line_end"]])
    with pytest.raises(ValueError, match="page numbers start at 1"):
        pipeline.parse(doc, pages="0")


def test_api_doc_examples_run(as_documented):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = re.search(r"^## Parsing one file\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert section, "docs/api.md has no '## Parsing one file' section"
    test = doctest.DocTestParser().get_doctest(section.group(1), {}, "docs/api.md#parsing-one-file", "docs/api.md", 0)
    assert len(test.examples) >= 10
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_every_table_has_the_schema_columns_and_dtypes():
    doc = pipeline.parse(TEXT, model="blank")
    assert list(doc.tables) == list(TABLES)
    for name, frame in doc.tables.items():
        assert list(frame.columns) == arrow_schema(name).names, name
        assert frame.dtypes.to_dict() == dtypes(name), name
    assert len(doc.tables["amounts"]) == 0  # an empty table keeps its columns and types
    assert doc.diagnostics is doc.tables["diagnostics"]
    assert doc.doc_id == doc.tables["documents"].loc[0, "doc_id"]
    meeting_no = doc.tables["meetings"]["meeting_no"]
    assert meeting_no.dtype == pd.ArrowDtype(arrow_schema("meetings").field("meeting_no").type) and meeting_no[0] == 2


def test_the_tables_are_what_ingest_writes(tmp_path):
    out = tmp_path / "parsed"
    r = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(TEXT), "--data", str(out), "-q", "--model", "blank", "--workers", "1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    doc = pipeline.parse(TEXT, model="blank")
    ds = open_dataset(out)
    for name in TABLES:
        written = ds.table(name)
        mine = doc.tables[name]
        if name == "documents":  # when and how long: each parse's own
            written, mine = (f.drop(columns=["parsed_at", "duration_s"]) for f in (written, mine))
        sort = [c for c in ("item_no", "seq", "page", "line", "name", "text", "message") if c in mine.columns]
        norm = [f.sort_values(sort, kind="stable").reset_index(drop=True) for f in (written, mine)]
        pd.testing.assert_frame_equal(norm[0], norm[1], obj=name)


def test_a_file_that_cannot_be_read_is_a_failed_document(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("this is not a pdf", encoding="utf-8")
    doc = pipeline.parse(fake)
    assert doc.status == "failed"
    assert "not a PDF" in doc.tables["documents"].loc[0, "error"]
    assert (doc.diagnostics.severity == "error").any()
    assert all(len(doc.tables[t]) == 0 for t in TABLES if t not in ("documents", "diagnostics"))


def test_parse_stays_callable_when_the_parser_module_is_imported():
    """``pipeline.parse`` is also the parser's module name: importing that module must not break the function."""
    code = (
        "import pipeline\n"
        f"first = pipeline.parse({str(TEXT)!r}, model='blank')\n"
        "from pipeline.parse import parse_document\n"
        f"second = pipeline.parse({str(TEXT)!r}, model='blank')\n"
        f"third = parse_document({str(TEXT)!r}, model='blank')\n"
        "from pipeline import parse\n"  # the module, as it always was
        f"fourth = parse.parse_document({str(TEXT)!r}, model='blank')\n"
        f"fifth = parse({str(TEXT)!r}, model='blank', pages='1')\n"
        "print(first.status, second.status, third.status, fourth.status, fifth.status,"
        " len({p.doc_id for p in (first, second, third, fourth, fifth)}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ok", "ok", "ok", "ok", "ok", "1"]


def test_the_package_exports_the_api():
    assert set(pipeline.__all__) >= {"parse", "open_dataset", "Parsed"}
    assert pipeline.open_dataset is open_dataset
    assert pipeline.Parsed is type(pipeline.parse(TEXT, model="blank"))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pipeline.nope
