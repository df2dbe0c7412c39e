"""The guard child: the time limit and memory cap the Dask engine relies on."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pandas as pd
import pytest

from badfiles import text_pdf
from conftest import RAW
from pipeline.guard import Guard
from test_ingest import referat

SMALL = RAW / "styregruppe_klynge_syd_2022-05-06.txt"


@pytest.fixture
def guard():
    g = Guard("blank", 4096)
    yield g
    g.stop()


def test_guard_parses_and_keeps_its_child(guard):
    first = guard.parse(str(SMALL), None, False, 60)
    assert first.status == "ok"
    assert len(first.rows["people"]) > 5
    pid = guard.proc.pid
    second = guard.parse(str(RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt"), None, False, 60)
    assert second.status == "ok"
    assert guard.proc.pid == pid  # one child serves many documents
    assert first.trace is None  # only what is written crosses the pipe


def test_guard_times_out_kills_and_recovers(guard, tmp_path):
    big = text_pdf(tmp_path / "kæmpe.pdf", pages=2000)
    guard.parse(str(SMALL), None, False, 60)  # the child is up; the clock covers the parse only
    pid = guard.proc.pid
    t0 = time.monotonic()
    res = guard.parse(str(big), None, False, 2)
    assert time.monotonic() - t0 < 6
    assert res.status == "failed"
    assert res.rows["documents"][0]["error"] == "timed out after 2 s"
    assert res.rows["documents"][0]["file_name"] == "kæmpe.pdf"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the late child was killed
    assert guard.parse(str(SMALL), None, False, 60).status == "ok"  # and a new one serves the next


def test_guard_child_death_fails_that_document(guard, tmp_path):
    big = text_pdf(tmp_path / "lang.pdf", pages=2000)
    guard.parse(str(SMALL), None, False, 60)
    victim = guard.proc.pid
    threading.Timer(1.0, os.kill, (victim, signal.SIGKILL)).start()
    res = guard.parse(str(big), None, False, 120)
    assert res.status == "failed"
    assert res.rows["documents"][0]["error"].startswith("worker process died (exit code -9")
    assert guard.parse(str(SMALL), None, False, 60).status == "ok"


@pytest.mark.parametrize("cap_mb", [350, 600])  # fails in Python (350) or, some runs, crashes in native code (600)
def test_guard_memory_cap_is_reported(cap_mb):
    g = Guard("blank", cap_mb)
    try:
        res = g.parse(str(SMALL), None, False, 60)
    finally:
        g.stop()
    assert res.status == "failed"
    assert "memory" in res.rows["documents"][0]["error"].lower()


def test_dask_engine_enforces_the_time_limit(tmp_path):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in"
    src.mkdir()
    text_pdf(src / "kæmpe.pdf", pages=2000)
    shutil.copy(SMALL, src / "lille.txt")
    out = tmp_path / "out"
    r = referat("ingest", str(src), "--out", str(out), "-q", "--engine", "dask", "--workers", "1", "--timeout", "2")
    assert r.returncode == 1, r.stderr
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["kæmpe.pdf", "status"] == "failed"
    assert docs.loc["kæmpe.pdf", "error"] == "timed out after 2 s"
    assert docs.loc["lille.txt", "status"] == "ok"
    assert "kæmpe.pdf" in r.stdout + r.stderr
    # and the memory cap
    out2 = tmp_path / "out2"
    r = referat("ingest", str(src / "lille.txt"), "--out", str(out2), "-q", "--engine", "dask", "--workers", "1", "--max-memory", "350")
    assert r.returncode == 1, r.stderr
    err = pd.read_parquet(out2 / "documents").iloc[0].error
    assert "memory" in err.lower(), err
