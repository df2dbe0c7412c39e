"""The CLI as a user meets it: real processes, real files, exit codes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import BOMB_CAP_MB, MEMORY_SAID, RAW, ROOT, flate_bomb

pytestmark = pytest.mark.slow


def referat(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def test_help():
    r = referat("--help")
    assert r.returncode == 0
    assert "ingest" in r.stdout and "show" in r.stdout
    r = referat("ingest", "--help")
    assert r.returncode == 0 and "--out" in r.stdout and "--workers" in r.stdout


def test_missing_path_is_a_usage_error(tmp_path):
    r = referat("ingest", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "out"))
    one_error_line(r, "nope.pdf: file not found")
    assert not (tmp_path / "out").exists()


def one_error_line(r, *parts) -> str:
    """The run failed as a usage error with one line on stderr that holds every part."""
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ") and all(p in lines[0] for p in parts), lines[0]
    return lines[0]


def test_dataset_folder_that_is_a_file(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a dataset", encoding="utf-8")
    doc = str(RAW / "styregruppe_klynge_syd_2022-05-06.txt")
    for option in ("--out", "--data"):
        one_error_line(referat("ingest", doc, option, str(afile)), f"{afile}: is a file")
    assert afile.read_text(encoding="utf-8") == "not a dataset"
    for args in (["query", "select 1"], ["report", "attendance"], ["compact"]):
        one_error_line(referat(*args, "--data", str(afile)), f"{afile}: not a referat dataset (a file, not a folder)")


def test_dataset_folder_that_cannot_be_created_or_written(tmp_path):
    """Tests run as root, for whom permissions do not count: a folder below a file, and /proc, fail for root too."""
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    doc = str(RAW / "styregruppe_klynge_syd_2022-05-06.txt")
    one_error_line(referat("ingest", doc, "--data", str(afile / "parsed")), "cannot create the dataset folder", f"{afile} is a file")
    if os.path.isdir("/proc/self"):
        one_error_line(referat("ingest", doc, "--data", "/proc/referat-test"), "/proc/referat-test: cannot create the dataset folder")
        one_error_line(referat("ingest", doc, "--data", "/proc/self"), "/proc/self: cannot write to the dataset folder")


def test_inputs_without_documents_are_a_usage_error(tmp_path):
    """No .pdf/.txt/.md among the inputs: which folders and patterns were searched, exit 2, no dataset written."""
    empty = tmp_path / "notes"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "notes.docx").write_bytes(b"PK")
    (empty / ".hidden.txt").write_text("left out", encoding="utf-8")
    out = tmp_path / "out"
    line = one_error_line(referat("ingest", str(empty), "--data", str(out)), "no document to ingest", str(empty), ".pdf", ".txt", ".md")
    assert "recursively" in line
    assert not out.exists()
    # with an argument that names nothing: that one is named, then what was searched
    r = referat("ingest", str(empty), str(tmp_path / "nope.pdf"), str(tmp_path / "*.md"), "--data", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines == [
        f"error: {tmp_path / 'nope.pdf'}: file not found",
        f"error: {tmp_path / '*.md'}: no file matches this pattern",
        f"error: no document to ingest: no .pdf, .md, .text or .txt file in {empty} (folders are searched recursively; names starting with a dot are left out)",
    ]


def test_show_missing_file(tmp_path):
    r = referat("show", str(tmp_path / "nope.txt"))
    assert r.returncode == 2
    assert "nope.txt: file not found" in r.stderr


def test_unknown_option_is_a_usage_error():
    r = referat("ingest", "--bogus")
    assert r.returncode == 2


@pytest.fixture
def mixed_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.txt", src / "good.txt")
    shutil.copy(RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf", src / "møde med æøå.pdf")
    (src / "fake.pdf").write_text("this is not a pdf", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    return src


def test_folder_with_bad_files_ingests_the_rest(mixed_folder, tmp_path):
    out = tmp_path / "out"
    r = referat("ingest", str(mixed_folder), "--data", str(out), "--workers", "1")
    assert r.returncode == 1, r.stderr
    assert "fake.pdf" in r.stderr and "not a PDF" in r.stderr
    assert "empty.txt" in r.stderr and "empty file" in r.stderr
    assert r.stderr.count("fake.pdf") == r.stderr.count("empty.txt") == 1  # each failure printed once
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["good.txt", "status"] == "ok"
    assert docs.loc["møde med æøå.pdf", "status"] == "ok"
    assert docs.loc["fake.pdf", "status"] == "failed"
    assert "not a PDF" in docs.loc["fake.pdf", "error"]
    assert docs.loc["empty.txt", "status"] == "failed"
    diags = pd.read_parquet(out / "diagnostics")
    failed_ids = set(docs[docs.status == "failed"].doc_id)
    assert failed_ids <= set(diags[diags.severity == "error"].doc_id)
    people = pd.read_parquet(out / "people")
    assert len(people[people.doc_id == docs.loc["good.txt", "doc_id"]]) == 17
    # a second run skips what is done and writes nothing twice
    r2 = referat("ingest", str(mixed_folder), "--out", str(out), "--workers", "1")
    assert "skipped (unchanged)" in r2.stdout
    assert len(pd.read_parquet(out / "people")) == len(people)
    assert len(pd.read_parquet(out / "documents")) == 4
    # --data names the dataset for compact too (--out stays an alias)
    r3 = referat("compact", "--data", str(out))
    assert r3.returncode == 0, r3.stderr
    assert [p.name for p in (out / "people").glob("*.parquet")] == ["compact-1.parquet"]


def test_show_prints_the_document():
    r = referat("show", str(RAW / "styregruppe_klynge_syd_2022-05-06.txt"))
    assert r.returncode == 0, r.stderr
    assert "Lise Søndergaard" in r.stdout
    assert "Inge Kjær Andersen" in r.stdout


def test_terminal_output_is_escaped(tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text("REFERAT\n[bold red]Udvalget[/bold red] \x1b[31mrødt\x1b[0m\n1. Punkt et\nReferat:\nGodkendt.\n2. Punkt to\n", encoding="utf-8")
    r = referat("show", str(evil))
    assert "\x1b[31m" not in r.stdout
    assert "[bold red]Udvalget" in r.stdout  # shown literally, not interpreted


def test_show_and_inspect_run_under_the_time_limit(tmp_path):
    """The parse hangs (a fault point): show and inspect fail the document after --timeout, like ingest."""
    env = {**os.environ, "REFERAT_HANG_AT": "guard.parse"}
    doc = RAW / "styregruppe_klynge_syd_2022-05-06.txt"
    r = referat("show", str(doc), "--timeout", "2", env=env)
    assert r.returncode == 1, r.stderr
    assert "error: timed out after 2 s" in r.stdout
    report = tmp_path / "r.html"
    r = referat("inspect", str(doc), "--out", str(report), "--timeout", "2", env=env)
    assert r.returncode == 1, r.stderr
    assert "timed out after 2 s" in report.read_text(encoding="utf-8")


def test_show_and_inspect_run_under_the_memory_cap(tmp_path):
    """A Flate bomb under a cap the child starts in: the page (partial) or the document (failed)
    stops at the cap, and what is shown or drawn says the limit was the reason."""
    doc = flate_bomb(tmp_path / "bombe.pdf")
    said = re.compile(MEMORY_SAID)
    r = referat("show", str(doc), "--max-memory", str(BOMB_CAP_MB))
    assert said.search(r.stdout), r.stdout
    failed = " · failed · " in r.stdout.splitlines()[0]
    assert failed or " · partial · " in r.stdout.splitlines()[0], r.stdout
    assert r.returncode == (1 if failed else 0), r.stderr
    report = tmp_path / "r.html"
    r = referat("inspect", str(doc), "--out", str(report), "--max-memory", str(BOMB_CAP_MB))
    assert r.returncode in (0, 1), r.stderr  # inspect also draws the page: that may pass the cap where the parse did not
    page = report.read_text(encoding="utf-8")
    assert said.search(page), re.findall(r'class="note">([^<]*)', page)


def test_show_and_inspect_refuse_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    r = referat("show", str(fifo))
    assert r.returncode == 1, r.stderr
    assert "not a regular file: a named pipe (FIFO)" in r.stdout
    r = referat("inspect", str(fifo), "--out", str(tmp_path / "r.html"))
    assert r.returncode == 1, r.stderr
    assert "not a regular file: a named pipe (FIFO)" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_inspect_writes_the_report(tmp_path):
    report = tmp_path / "sub" / "r.html"
    r = referat("inspect", str(RAW / "styregruppe_klynge_syd_2022-05-06.pdf"), "--out", str(report))
    assert r.returncode == 0, r.stderr
    page = report.read_text(encoding="utf-8")
    assert "Lise Søndergaard" in page and "data:image/" in page
    r = referat("inspect", str(RAW / "styregruppe_klynge_syd_2022-05-06.pdf"), "--out", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error:") and "cannot write the report" in r.stderr


@pytest.fixture(scope="module")
def damaged_pdf(tmp_path_factory):
    """The seed PDF with one byte of page 1's compressed content changed: pdfminer logs
    "Data-loss while decompressing corrupted data" each time the page is read."""
    from mutations import change_content_byte

    path = tmp_path_factory.mktemp("damaged") / "skadet.pdf"
    path.write_bytes(change_content_byte((RAW / "styregruppe_klynge_syd_2022-05-06.pdf").read_bytes(), 0, 0.5))
    return path


def test_library_output_stays_off_the_terminal(damaged_pdf, tmp_path):
    """pdfminer's log lines are the document's diagnostics, never terminal output (show, inspect, ingest)."""
    damage = "Data-loss while decompressing corrupted data"
    r = referat("show", str(damaged_pdf))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert damage in r.stdout  # in the diagnostics table
    r = referat("inspect", str(damaged_pdf), "--out", str(tmp_path / "r.html"))  # draws the pages: pdfminer reads them again
    assert r.returncode == 0 and r.stderr == "", r.stderr
    out = tmp_path / "out"
    r = referat("ingest", str(damaged_pdf), "--data", str(out), "-q", "--workers", "1")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    diags = pd.read_parquet(out / "diagnostics")
    assert diags.message.str.contains(damage).any()


def test_verbose_shows_library_output(damaged_pdf, tmp_path):
    line = "pdfminer.pdftypes: WARNING: Data-loss while decompressing corrupted data"
    r = referat("show", str(damaged_pdf), "-v")
    assert r.returncode == 0 and line in r.stderr.splitlines(), r.stderr
    r = referat("inspect", str(damaged_pdf), "--out", str(tmp_path / "r.html"), "--verbose")
    assert r.returncode == 0 and line in r.stderr.splitlines(), r.stderr
    r = referat("ingest", str(damaged_pdf), "--data", str(tmp_path / "out"), "-q", "-v", "--workers", "1")
    assert r.returncode == 0 and line in r.stderr.splitlines(), r.stderr


@pytest.fixture(scope="module")
def old_model(tmp_path_factory):
    """A saved spaCy pipeline whose meta says it was made for spaCy 3.0: spaCy warns (W095) when it loads."""
    import json

    import spacy

    path = tmp_path_factory.mktemp("models") / "gammel"
    nlp = spacy.blank("da")
    nlp.meta.update(name="gammel", version="0.0.1")
    nlp.to_disk(path)
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    meta["spacy_version"] = ">=3.0.0,<3.1.0"
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_spacy_warnings_are_diagnostics(old_model):
    doc = str(RAW / "styregruppe_klynge_syd_2022-05-06.txt")
    r = referat("show", doc, "--model", str(old_model))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "[W095] Model 'da_gammel' (0.0.1) was trained with spaCy v3.0.0" in " ".join(r.stdout.split())
    r = referat("show", doc, "--model", str(old_model), "-v")
    assert r.returncode == 0 and "UserWarning: [W095]" in r.stderr, r.stderr


DASK_PROBE = """
import logging, time

def main():
    from pipeline.guard import DaskPool
    from pipeline.logs import configure

    configure()
    pool = DaskPool(1, None, "blank", 4096, 60)
    try:
        logging.getLogger("distributed.scheduler").warning("a warning of the scheduler")
        pool.client.run(lambda: logging.getLogger("distributed.worker").warning("a warning of a worker"))
        time.sleep(0.5)
    finally:
        pool.close()

if __name__ == "__main__":
    main()
"""


def test_dask_logs_only_with_verbose(tmp_path):
    """The Dask engine's cluster logs through handlers of its own, in the supervisor and in each worker."""
    pytest.importorskip("dask.distributed")
    probe = tmp_path / "probe.py"
    probe.write_text(DASK_PROBE, encoding="utf-8")
    quiet = {k: v for k, v in os.environ.items() if k != "REFERAT_VERBOSE"}
    r = subprocess.run([sys.executable, str(probe)], cwd=ROOT, capture_output=True, text=True, timeout=300, env=quiet)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    r = subprocess.run([sys.executable, str(probe)], cwd=ROOT, capture_output=True, text=True, timeout=300, env={**quiet, "REFERAT_VERBOSE": "1"})
    assert r.returncode == 0, r.stderr
    assert "a warning of the scheduler" in r.stderr and "a warning of a worker" in r.stderr


def test_model_notice_once_per_dataset(tmp_path):
    """The configured trained model is missing: said once, until the dataset holds a document parsed without it."""
    env = {**os.environ, "REFERAT_SPACY_MODEL": "da_core_news_referat_test"}  # installed nowhere
    notice = "notice: spaCy model 'da_core_news_referat_test' is not installed; using blank Danish"
    out = tmp_path / "out"
    first = referat("ingest", str(RAW / "styregruppe_klynge_syd_2022-05-06.txt"), "--data", str(out), "--workers", "1", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count(notice) == 1
    again = referat("ingest", str(RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt"), "--data", str(out), "--workers", "1", env=env)
    assert again.returncode == 0, again.stderr
    assert "notice:" not in again.stderr
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 2 and set(docs.nlp_model) == {"blank-da+referat-rules"}
    # a model asked for by name is told about every time
    asked = referat("ingest", str(RAW / "styregruppe_klynge_syd_2022-05-06.pdf"), "--data", str(out), "--workers", "1", "--model", "da_core_news_lg", env=env)
    assert "notice: spaCy model 'da_core_news_lg' is not installed" in asked.stderr
    # and a new dataset hears it again
    other = referat("ingest", str(RAW / "styregruppe_klynge_syd_2022-05-06.txt"), "--data", str(tmp_path / "other"), "--workers", "1", env=env)
    assert other.stderr.count(notice) == 1


# --- show --format, --table, --pages ---------------------------------------------------------

POLITISK_PDF = RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf"
STYREGRUPPE_TXT = RAW / "styregruppe_klynge_syd_2022-05-06.txt"


def test_show_json_is_every_table(tmp_path):
    import json

    from pipeline.tables import TABLES

    r = referat("show", str(STYREGRUPPE_TXT), "--format", "json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert list(got) == list(TABLES)
    assert len(got["people"]) == 17 and got["amounts"] == []
    assert got["meetings"][0]["meeting_date"] == "2022-05-06" and got["meetings"][0]["meeting_no"] == 2
    assert got["people"][0] == {**got["people"][0], "name": "Lisbeth Kjær Lagoni", "page": 1, "line": 47}
    assert isinstance(got["people"][0]["items"], list)
    one = json.loads(referat("show", str(STYREGRUPPE_TXT), "-f", "json", "--table", "decisions").stdout)
    assert list(one) == ["decisions"] and one["decisions"] == got["decisions"]


def test_show_csv_is_one_table():
    import io

    from pipeline.tables import arrow_schema

    r = referat("show", str(STYREGRUPPE_TXT), "--format", "csv", "--table", "people")
    assert r.returncode == 0, r.stderr
    people = pd.read_csv(io.StringIO(r.stdout))
    assert list(people.columns) == arrow_schema("people").names
    assert len(people) == 17 and people.name.iloc[0] == "Lisbeth Kjær Lagoni"
    empty = referat("show", str(STYREGRUPPE_TXT), "-f", "csv", "--table", "amounts")  # a table without rows: its header
    assert empty.returncode == 0 and empty.stdout.strip() == ",".join(arrow_schema("amounts").names)
    one_error_line(referat("show", str(STYREGRUPPE_TXT), "--format", "csv"), "--format csv prints one table", "--table")


def test_show_one_table_as_text_has_every_column():
    from pipeline.tables import arrow_schema

    r = referat("show", str(STYREGRUPPE_TXT), "--table", "decisions")
    assert r.returncode == 0, r.stderr
    header = next(line for line in r.stdout.splitlines() if "decision_type" in line)
    assert all(c in header for c in arrow_schema("decisions").names)
    assert "8 rows" in r.stdout


def test_show_usage_errors_are_one_line():
    doc = str(STYREGRUPPE_TXT)
    one_error_line(referat("show", doc, "--format", "xml"), "--format must be one of table, json, csv")
    one_error_line(referat("show", doc, "--table", "nope"), "--table must be one of", "people")
    one_error_line(referat("show", doc, "--pages", "3-1"), "--pages: a page range goes up: '3-1'")
    one_error_line(referat("show", doc, "--pages", "x"), "--pages: a page selection is N, N-M")


def test_show_pages_of_a_pdf_reads_only_those_pages(damaged_pdf):
    """Page 1 of the damaged PDF is broken: with --pages 2-3 it is never read, so nothing is said about it."""
    import json

    whole = json.loads(referat("show", str(damaged_pdf), "-f", "json").stdout)
    assert any(d["message"].startswith("page 1: the PDF library reported damage") for d in whole["diagnostics"])
    r = referat("show", str(damaged_pdf), "-f", "json", "--pages", "2-3")
    assert r.returncode == 0, r.stderr
    part = json.loads(r.stdout)
    assert not any("page 1" in d["message"] for d in part["diagnostics"])
    assert "page selection: page(s) 2-3 of 3 read" in [d["message"] for d in part["diagnostics"]]
    assert part["documents"][0]["pages"] == 3  # the document's page count
    assert any(p["page"] == 1 for p in whole["people"]) and not any(p["page"] == 1 for p in part["people"])  # the attendance list


def test_show_pages_keep_the_documents_page_numbers():
    import json

    whole = json.loads(referat("show", str(POLITISK_PDF), "-f", "json").stdout)
    part = json.loads(referat("show", str(POLITISK_PDF), "-f", "json", "--pages", "5").stdout)
    on_5 = [(a["raw"], a["value"], a["label"], a["period"], a["page"]) for a in whole["amounts"] if a["page"] == 5]
    assert len(on_5) == 7
    assert [(a["raw"], a["value"], a["label"], a["period"], a["page"]) for a in part["amounts"]] == on_5
    assert {d["page"] for d in part["decisions"]} == {5}
    one_more = referat("show", str(POLITISK_PDF), "--pages", "9")
    assert one_more.returncode == 1 and "no page to read: the document has 5 page(s)" in one_more.stdout


def test_show_pages_of_a_text_file_are_split_at_form_feeds(tmp_path):
    """Page 2 starts at item 5: its items keep the page and line numbers of the whole file."""
    import json

    lines = STYREGRUPPE_TXT.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("5. Seminar"))
    doc = tmp_path / "to_sider.txt"
    doc.write_text("\n".join(lines[:at]) + "\n\f" + "\n".join(lines[at:]), encoding="utf-8")
    whole = json.loads(referat("show", str(doc), "-f", "json").stdout)
    part = json.loads(referat("show", str(doc), "-f", "json", "--pages", "2").stdout)
    where = lambda items: [(a["item_no"], a["title"], a["page_start"], a["line_start"], a["line_end"]) for a in items]  # noqa: E731
    assert where(part["agenda_items"]) == where([a for a in whole["agenda_items"] if a["page_start"] == 2])
    assert [a["item_no"] for a in part["agenda_items"]] == [5, 6, 7, 8]
    assert part["documents"][0]["pages"] == 2
