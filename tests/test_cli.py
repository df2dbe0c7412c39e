"""The CLI as a user meets it: real processes, real files, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import RAW, ROOT

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
    assert r.returncode == 2
    assert "nope.pdf" in r.stderr and "file not found" in r.stderr


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
    doc = RAW / "styregruppe_klynge_syd_2022-05-06.pdf"
    r = referat("show", str(doc), "--max-memory", "350")
    assert r.returncode == 1, r.stderr
    assert "memory limit exceeded" in r.stdout
    report = tmp_path / "r.html"
    r = referat("inspect", str(doc), "--out", str(report), "--max-memory", "350")
    assert r.returncode == 1, r.stderr
    assert "memory limit exceeded" in report.read_text(encoding="utf-8")


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
