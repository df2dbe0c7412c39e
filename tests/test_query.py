"""SQL over the dataset (pipeline/query.py): views, reports, output formats.

The dataset is made once per module by the real ``ingest`` on the samples.
Expected report values are read off the seed texts in data/raw/*.txt (quoted
below), not off the pipeline's output.  The samples hold every meeting twice,
as PDF and as text, so each count is per file times ``COPIES``.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import RAW, ROOT, SEED_STEMS
from pipeline.query import (
    FORMATS,
    NotADatasetError,
    QueryError,
    amounts,
    attendance,
    connect,
    decisions,
    format_rows,
    run_query,
)
from pipeline.store import compact
from pipeline.tables import TABLES, arrow_schema

slow = pytest.mark.slow

POLITISK, STYREGRUPPE = SEED_STEMS
POLITISK_BODY = "Politisk Sundhedsklynge Syd"
#: every seed meeting is in data/raw as .pdf and as .txt
COPIES = len(list(RAW.glob(f"{POLITISK}.*")))


def seed_text(stem: str) -> str:
    return (RAW / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dataset(seed_dataset):
    return seed_dataset


@pytest.fixture
def dataset_copy(dataset, tmp_path):
    """A copy of the dataset that a test may change."""
    return shutil.copytree(dataset, tmp_path / "parsed")


def as_dicts(result) -> list[dict]:
    columns, rows = result
    return [dict(zip(columns, row)) for row in rows]


def count(data, table: str) -> int:
    """Rows in a view (on a connection in this process: run_query starts a process per query)."""
    con = connect(data)
    try:
        return con.sql(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


# --- views -------------------------------------------------------------------


@slow
def test_seed_files_come_in_pairs():
    assert COPIES == 2
    assert len(list(RAW.glob(f"{STYREGRUPPE}.*"))) == COPIES


@slow
def test_one_view_per_table_with_the_declared_columns(dataset):
    con = connect(dataset)
    try:
        views = {name for (name,) in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
        assert views == set(TABLES)
        for table in TABLES:
            assert con.sql(f"select * from {table}").columns == arrow_schema(table).names
    finally:
        con.close()


@slow
@pytest.mark.parametrize("table", TABLES)
def test_view_has_the_rows_of_the_table_folder(dataset, table):
    n = len(pd.read_parquet(dataset / table))
    assert count(dataset, table) == n
    if table != "votes":  # the seed referater print no votes
        assert n > 0


@slow
def test_views_hold_committed_rows_only(dataset, dataset_copy):
    # a document killed before its commit marker: rows in people, no documents row
    some_file = next((dataset_copy / "people").glob("*.parquet"))
    orphan = pq.read_table(some_file)
    orphan = orphan.set_column(0, "doc_id", pa.array(["0" * 64] * orphan.num_rows))
    pq.write_table(orphan, dataset_copy / "people" / f"{'0' * 64}.parquet")
    # a hidden file is never part of the dataset
    pq.write_table(orphan, dataset_copy / "people" / ".half-written.parquet")
    assert len(pd.read_parquet(dataset_copy / "people")) == count(dataset, "people") + orphan.num_rows
    assert count(dataset_copy, "people") == count(dataset, "people")


@slow
def test_compacted_dataset_gives_the_same_views(dataset, dataset_copy):
    compact(dataset_copy)
    assert {p.name for p in (dataset_copy / "people").iterdir() if p.suffix == ".parquet"} == {"compact-1.parquet"}
    for table in TABLES:
        assert count(dataset_copy, table) == count(dataset, table)
    assert attendance(dataset_copy) == attendance(dataset)


@slow
def test_file_from_an_older_version_reads_missing_columns_as_null(dataset, dataset_copy):
    some_file = max((dataset_copy / "amounts").glob("*.parquet"), key=lambda p: pq.read_metadata(p).num_rows)
    old = pq.read_table(some_file).drop_columns(["context"])
    pq.write_table(old, some_file)
    ids = ", ".join(f"'{d}'" for d in sorted(set(old.column("doc_id").to_pylist())))
    _, rows = run_query(dataset_copy, f"select count(*), count(context) from amounts where doc_id in ({ids})")
    assert rows == [(old.num_rows, 0)] and old.num_rows > 0
    assert count(dataset_copy, "amounts") == count(dataset, "amounts")


@slow
def test_missing_or_empty_table_folder_is_an_empty_view(dataset_copy):
    shutil.rmtree(dataset_copy / "mentions")
    for p in (dataset_copy / "diagnostics").iterdir():
        p.unlink()
    for table in ("mentions", "diagnostics"):
        columns, rows = run_query(dataset_copy, f"select * from {table}")
        assert columns == arrow_schema(table).names
        assert rows == []
    assert count(dataset_copy, "people") > 0


def test_a_folder_that_is_not_a_dataset_is_a_clear_error(tmp_path):
    (tmp_path / "people").mkdir()
    for folder in (tmp_path, tmp_path / "nope"):
        with pytest.raises(NotADatasetError, match="not a referat dataset") as exc:
            run_query(folder, "select 1")
        assert str(folder) in str(exc.value)
        with pytest.raises(NotADatasetError):
            attendance(folder)


@slow
def test_example_query(dataset):
    # Afbud list of the politisk meeting: Per Møller, Lina Hundebøll Jespersen,
    # Anne Krøjer Jacobsen (...), Lisbeth Lagoni (...) — the last is "Lisbeth Kjær Lagoni" of the list
    afbud = seed_text(POLITISK).split("Afbud", 1)[1].split(" 1. Velkomst", 1)[0]
    assert "Per Møller" in afbud and "Lisbeth Lagoni" in afbud
    sql = """
        select distinct p.name
        from people p join meetings m using (doc_id) join documents d using (doc_id)
        where m.body = 'Politisk Sundhedsklynge Syd' and p.attendance = 'absent' and d.file_type = 'text'
        order by p.name
    """
    columns, rows = run_query(dataset, sql)
    assert columns == ["name"]
    assert [name for (name,) in rows] == ["Anne Krøjer Jacobsen", "Lina Hundebøll Jespersen", "Lisbeth Kjær Lagoni", "Per Møller"]


@slow
def test_timestamps_come_back_as_datetimes(dataset):
    columns, rows = run_query(dataset, "select parsed_at from documents")
    assert len(rows) == 2 * COPIES
    assert all(isinstance(v, dt.datetime) and v.utcoffset() == dt.timedelta(0) for (v,) in rows)


@slow
def test_queries_cannot_touch_files(dataset):
    target = dataset / "people" / "written-by-a-query.parquet"
    for sql in (
        f"copy (select * from people) to '{target}'",
        f"attach '{dataset / 'x.duckdb'}' as x",
        f"select * from read_parquet('{dataset / 'people'}/*.parquet')",
        "select * from read_csv('/etc/passwd')",
    ):
        with pytest.raises(QueryError, match="[Pp]ermission"):
            run_query(dataset, sql)
    assert not target.exists()
    assert not (dataset / "x.duckdb").exists()
    with pytest.raises(QueryError):
        run_query(dataset, "set enable_external_access = true")


@slow
def test_bad_sql_is_a_query_error(dataset):
    with pytest.raises(QueryError, match="syntax error"):
        run_query(dataset, "selec 1")
    with pytest.raises(QueryError, match="nope"):
        run_query(dataset, "select * from nope")


# --- reports -----------------------------------------------------------------


@pytest.fixture(scope="module")
def attendance_by_person(dataset):
    return {r["person"]: r for r in as_dicts(attendance(dataset))}


@slow
def test_attendance_absent_in_one_meeting_substitute_in_the_other(attendance_by_person):
    # styregruppe: "Overlæge Jan Nybo, ... Universitetshospital – afbud"
    # politisk:    "Lisbeth Lagoni (Jan Nybo deltager i hendes sted)"
    assert re.search(r"Jan Nybo,[^–]*– afbud", seed_text(STYREGRUPPE))
    assert "Lisbeth Lagoni (Jan Nybo deltager i hendes sted)" in seed_text(POLITISK)
    jan = attendance_by_person["Jan Nybo"]
    assert (jan["meetings"], jan["present"], jan["absent"], jan["substitute"], jan["guest"]) == (2 * COPIES, 0, COPIES, COPIES, 0)
    assert jan["substituted_by"] is None


@slow
def test_attendance_substituted_by(attendance_by_person):
    # present in the styregruppe list, under Afbud in the politisk meeting
    assert "Sygeplejefagligdirektør Lisbeth Kjær Lagoni" in seed_text(STYREGRUPPE)
    lisbeth = attendance_by_person["Lisbeth Kjær Lagoni"]
    assert (lisbeth["present"], lisbeth["absent"], lisbeth["substitute"]) == (COPIES, COPIES, 0)
    assert lisbeth["substituted_by"] == "Jan Nybo"
    # "Anne Krøjer Jacobsen (Bente Bach Poulsen deltager i hendes sted)"
    assert attendance_by_person["Anne Krøjer Jacobsen"]["substituted_by"] == "Bente Bach Poulsen"
    assert attendance_by_person["Bente Bach Poulsen"]["substitute"] == COPIES


@slow
def test_attendance_links_name_variants_across_meetings(attendance_by_person):
    # styregruppe: "Direktør Anne Krøjer, Vesthimmerlands Kommune"
    # politisk:    "Anne Krøjer Jacobsen, direktør Vesthimmerlands Kommune" (and under Afbud)
    assert "Direktør Anne Krøjer, Vesthimmerlands Kommune" in seed_text(STYREGRUPPE)
    assert "Anne Krøjer Jacobsen, direktør Vesthimmerlands Kommune" in seed_text(POLITISK)
    assert "Anne Krøjer" not in attendance_by_person
    anne = attendance_by_person["Anne Krøjer Jacobsen"]
    assert (anne["meetings"], anne["present"], anne["absent"]) == (2 * COPIES, COPIES, COPIES)


@slow
def test_attendance_guests_and_order(dataset, attendance_by_person):
    # styregruppe, "Gæster som deltager": "Lise Holten chefkonsulent, ... – punkt 2"
    assert attendance_by_person["Lise Holten"]["guest"] == COPIES
    columns, rows = attendance(dataset)
    assert columns == ["person", "party", "meetings", "present", "absent", "substitute", "guest", "substituted_by", "roles"]
    persons = [r[0] for r in rows]
    assert persons == sorted(persons)
    for r in attendance_by_person.values():
        assert r["present"] + r["absent"] + r["substitute"] + r["guest"] >= r["meetings"]


@slow
def test_decisions_report(dataset):
    # politisk, 8 items: 1 and 8 have minutes but no recommendation (none);
    # 2 "Godkender" (approved), 3 "Tager orienteringen til efterretning" (noted),
    # 4 and 7 "Drøfter", 6.1 "drøftede projektidéen" (discussed), 5 "Beslutter" (decided),
    # 6.2 "Det blev aftalt, at sekretariatet på næstkommende møde …" (decided: the process was
    # agreed; reporting back at the next meeting postpones nothing): 9 rows per file
    rows = [r for r in as_dicts(decisions(dataset)) if r["body"] == POLITISK_BODY]
    by_type = {r["decision_type"]: r["decisions"] for r in rows}
    per_file = {"none": 2, "discussed": 3, "approved": 1, "noted": 1, "decided": 2}
    assert sum(per_file.values()) == 9
    assert by_type == {t: n * COPIES for t, n in per_file.items()}
    assert {r["meetings"] for r in rows} == {COPIES}
    assert [r["decisions"] for r in rows] == sorted((r["decisions"] for r in rows), reverse=True)


@slow
def test_amounts_report(dataset):
    # item 5: "Der er afsat 80 mio. kr. i 2022" and a table of 6 cells:
    # 739.846 kr. 739.846 kr. / 759.279 kr. 7.59.279 kr. (malformed) / 1.499.126 kr. 1.499.126 kr.
    # item 7: "Regeringen har afsat 4 mia. kr."
    text = seed_text(POLITISK)
    assert "80 mio. kr." in text and "7.59.279 kr." in text and "4 mia. kr." in text
    rows = {(r["body"], r["year"], r["item_no"]): r for r in as_dicts(amounts(dataset))}
    item5 = rows[(POLITISK_BODY, 2022, 5)]
    per_file = 80_000_000 + 2 * 739_846 + 2 * 759_279 + 2 * 1_499_126
    assert (item5["amounts"], item5["repaired"], item5["unreadable"]) == (7 * COPIES, COPIES, 0)
    # equal values in the table's two period columns are two facts, not a repeat
    assert item5["distinct_amounts"] == item5["amounts"]
    assert item5["sum_dkk_distinct"] == pytest.approx(per_file * COPIES)
    item7 = rows[(POLITISK_BODY, 2022, 7)]
    assert (item7["amounts"], item7["repaired"], item7["unreadable"]) == (COPIES, 0, 0)
    assert item7["sum_dkk_distinct"] == pytest.approx(4_000_000_000 * COPIES)


@slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_format(dataset, fmt):
    columns, rows = attendance(dataset)
    text = format_rows(columns, rows, fmt)
    assert "Lisbeth Kjær Lagoni" in text
    if fmt == "json":
        assert len(json.loads(text)) == len(rows)
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1


@slow
def test_report_command_prints_the_named_report(dataset):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)

    r = cli("report", "decisions", "--data", str(dataset), "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    columns, want = decisions(dataset)
    assert len(rows) == len(want) > 0
    assert {(x["body"], x["decision_type"]) for x in rows} == {(w[columns.index("body")], w[columns.index("decision_type")]) for w in want}
    assert cli("query", "--report", "decisions", "--out", str(dataset), "--format", "csv").stdout == r.stdout
    bad = cli("report", "nope", "--data", str(dataset))
    assert bad.returncode == 2 and "attendance, decisions, amounts" in bad.stderr


# --- formats -----------------------------------------------------------------

COLUMNS = ["name", "meeting_date", "value", "sources", "note"]
ROWS = [
    ('Hansen, "Bo"', dt.date(2022, 11, 7), decimal.Decimal("759279.00"), ["a.pdf", "b.txt"], None),
    ("Søren Aalund", dt.date(2022, 5, 6), 1.5, [], "line one\nline two"),
]


def test_csv_quotes_commas_quotes_and_newlines():
    text = format_rows(COLUMNS, ROWS, "csv")
    assert text.splitlines()[1].startswith('"Hansen, ""Bo""",2022-11-07,759279.00,')
    back = list(csv.reader(io.StringIO(text)))
    assert back[0] == COLUMNS
    assert back[1] == ['Hansen, "Bo"', "2022-11-07", "759279.00", '["a.pdf", "b.txt"]', ""]
    assert back[2] == ["Søren Aalund", "2022-05-06", "1.5", "[]", "line one\nline two"]


def test_json_round_trips():
    text = format_rows(COLUMNS, ROWS, "json")
    assert "Søren" in text  # not \u00f8
    assert json.loads(text) == [
        {"name": 'Hansen, "Bo"', "meeting_date": "2022-11-07", "value": "759279.00", "sources": ["a.pdf", "b.txt"], "note": None},
        {"name": "Søren Aalund", "meeting_date": "2022-05-06", "value": 1.5, "sources": [], "note": "line one\nline two"},
    ]


def test_json_keeps_every_column_and_has_no_nan():
    back = json.loads(format_rows(["a", "a", "f"], [(1, 2, float("nan"))], "json"))
    assert back == [{"a": 1, "a_2": 2, "f": None}]


def test_table_shows_document_text_as_written_and_harmless():
    text = format_rows(["name", "n"], [("[red]Bo[/red]\x1b[2J", 1234567.0), (None, 2.5)], "table")
    assert "[red]Bo[/red]" in text
    assert "\x1b" not in text
    assert "1,234,567" in text and "2.5" in text
    assert "2 rows" in text


def test_unknown_format():
    with pytest.raises(ValueError, match="xml"):
        format_rows(["a"], [(1,)], "xml")


@slow
def test_attendance_report_shows_functions(attendance_by_person):
    # "Mads Duedahl, Regionsrådsformand (medformand) - mødeleder"
    assert "- mødeleder" in seed_text(POLITISK)
    assert attendance_by_person["Mads Duedahl"]["roles"] == "mødeleder"
    assert attendance_by_person["Jan Nybo"]["roles"] is None
