"""The dataset from Python (pipeline/dataset.py): DataFrames with the declared dtypes, SQL, reports.

The dataset is made once per module by the real ``ingest`` on the samples
in data/raw; the docstring examples of pipeline.dataset and the Datasets
section of docs/api.md run against it as doctests.
"""

from __future__ import annotations

import doctest
import re
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
import pipeline.dataset
from pipeline.dataset import Dataset, dtypes, open_dataset
from pipeline.query import NotADatasetError, QueryError, QueryTimeout, connect, run_query, run_report
from pipeline.tables import TABLES, arrow_schema

slow = pytest.mark.slow

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.fixture(scope="module")
def data(seed_dataset):
    return seed_dataset


@pytest.fixture
def data_copy(data, tmp_path):
    """A copy of the dataset that a test may change."""
    return shutil.copytree(data, tmp_path / "parsed")


def view_count(data, table: str) -> int:
    con = connect(data)
    try:
        return con.sql(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


@slow
def test_docstring_examples_run(data):
    failed, attempted = doctest.testmod(pipeline.dataset, extraglobs={"data": data}, optionflags=DOCTEST_FLAGS)
    assert attempted >= 10
    assert failed == 0


def api_doc_section() -> str:
    """The "Datasets" section of docs/api.md (up to the next top-level section)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    match = re.search(r"^## Datasets\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, "docs/api.md has no '## Datasets' section"
    return match.group(1)


@slow
def test_api_doc_examples_run(data, monkeypatch):
    monkeypatch.chdir(data.parent.parent)
    test = doctest.DocTestParser().get_doctest(api_doc_section(), {}, "docs/api.md#datasets", "docs/api.md", 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


@slow
@pytest.mark.parametrize("table", TABLES)
def test_table_has_the_declared_dtypes_and_the_view_rows(data, table):
    df = open_dataset(data).table(table)
    assert list(df.columns) == arrow_schema(table).names
    assert df.dtypes.to_dict() == dtypes(table)
    assert len(df) == view_count(data, table)
    if table != "votes":  # the seed referater print no votes
        assert len(df) > 0


@slow
def test_nullable_integers_and_dates_stay_what_they_are(data):
    meetings = open_dataset(data).table("meetings")
    # "Møde 2, 2022" in the styregruppe referat; the politisk one prints no number:
    # a null int32 beside a 2, not a float NaN beside a 2.0
    numbers = dict(zip(meetings["body"], meetings["meeting_no"]))
    assert numbers["Styregruppe Klynge Syd"] == 2 and pd.isna(numbers["Politisk Sundhedsklynge Syd"])
    assert meetings["meeting_no"].dtype == pd.ArrowDtype(pa.int32())
    assert {d.isoformat() for d in meetings["meeting_date"]} == {"2022-05-06", "2022-11-07"}
    docs = open_dataset(data).table("documents")
    assert all(isinstance(s, list) and s for s in docs["sources"])


@slow
def test_tables_is_a_mapping_of_every_table(data):
    tables = open_dataset(data).tables
    assert list(tables) == list(TABLES) and len(tables) == len(TABLES)
    assert "people" in tables and "nope" not in tables
    assert tables["people"].equals(open_dataset(data).table("people"))
    with pytest.raises(KeyError, match="nope"):
        tables["nope"]


@slow
def test_committed_rows_only(data, data_copy):
    # a document killed before its commit marker: rows in people, no documents row
    some_file = next((data_copy / "people").glob("*.parquet"))
    orphan = pq.read_table(some_file)
    orphan = orphan.set_column(0, "doc_id", pa.array(["0" * 64] * orphan.num_rows))
    pq.write_table(orphan, data_copy / "people" / f"{'0' * 64}.parquet")
    pq.write_table(orphan, data_copy / "people" / ".half-written.parquet")
    assert len(pd.read_parquet(data_copy / "people")) > view_count(data, "people")
    people = open_dataset(data_copy).table("people")
    assert len(people) == view_count(data, "people")
    assert "0" * 64 not in set(people["doc_id"])


@slow
def test_missing_table_folder_is_an_empty_frame_with_the_dtypes(data_copy):
    shutil.rmtree(data_copy / "mentions")
    mentions = open_dataset(data_copy).table("mentions")
    assert len(mentions) == 0
    assert mentions.dtypes.to_dict() == dtypes("mentions")


@slow
def test_query_and_report_give_the_rows_of_the_cli(data):
    ds = open_dataset(data)
    sql = "select name, attendance, page from people order by name, attendance, page"
    columns, rows = run_query(data, sql)
    df = ds.query(sql)
    assert list(df.columns) == columns
    assert [tuple(None if pd.isna(v) else v for v in r) for r in df.itertuples(index=False)] == rows
    for name in ("attendance", "decisions", "amounts"):
        columns, rows = run_report(data, name)
        report = ds.report(name)
        assert list(report.columns) == columns and len(report) == len(rows) > 0


@slow
def test_connection_has_the_views_and_no_file_access(data, tmp_path):
    with open_dataset(data).connect() as con:
        assert con.sql("select count(*) from people").fetchall()[0][0] == view_count(data, "people")
        with pytest.raises(Exception, match="disabled by configuration"):
            con.sql(f"copy (select 1) to '{tmp_path / 'x.csv'}'")
    assert not (tmp_path / "x.csv").exists()


@slow
def test_limits_apply_to_query(data):
    ds = open_dataset(data, timeout=1, max_memory_mb=256)
    with pytest.raises(QueryTimeout, match=r"^query stopped after 1 s \(time limit 1 s\)$"):
        ds.query("select count(*) from range(10000000000000)")
    with pytest.raises(QueryError, match="syntax error"):
        ds.query("selec 1")
    with pytest.raises(QueryError, match="unknown report 'nope'"):
        ds.report("nope")


def test_not_a_dataset(tmp_path):
    with pytest.raises(NotADatasetError, match="not a referat dataset"):
        open_dataset(tmp_path)
    (tmp_path / "documents").mkdir()
    with pytest.raises(ValueError, match="timeout"):
        open_dataset(tmp_path, timeout=0)


def test_unknown_table(tmp_path):
    (tmp_path / "documents").mkdir()
    ds = open_dataset(tmp_path)
    assert isinstance(ds, Dataset)
    with pytest.raises(KeyError, match="unknown table 'nope'"):
        ds.table("nope")
    assert len(ds.table("documents")) == 0
