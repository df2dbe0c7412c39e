"""The one supervisor: guarded children with a time limit and a memory cap.

Lateness and deaths are made with fault points (``REFERAT_HANG_AT``,
``REFERAT_CRASH_AT``) at a known moment of a known document, never with
timers or documents that are merely slow.
"""

from __future__ import annotations

import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys

import pandas as pd
import pytest

from conftest import BOMB_CAP_MB, MEMORY_SAID, RAW, ROOT, flate_bomb
from pipeline.faults import CRASH_ENV, EXHAUST_ENV, HANG_ENV, hook
from pipeline.guard import Guard, Request, parse_unchanged
from pipeline.parse import parse_document
from test_ingest import referat

SMALL = RAW / "styregruppe_klynge_syd_2022-05-06.txt"
OTHER = RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt"


@pytest.fixture
def guard():
    g = Guard("blank", 4096, timeout=60)
    yield g
    g.stop()


def parse(guard: Guard, path) -> object:
    return guard.call(Request("parse", str(path)))


def test_guard_parses_and_keeps_its_child(guard):
    first = parse(guard, SMALL)
    assert first.error is None and first.value.status == "ok"
    assert len(first.value.rows["people"]) > 5
    pid = guard.proc.pid
    second = parse(guard, OTHER)
    assert second.value.status == "ok"
    assert guard.proc.pid == pid  # one child serves many documents
    digest = guard.call(Request("digest", str(SMALL)))
    assert digest.value == hashlib.sha256(SMALL.read_bytes()).hexdigest() == first.value.doc_id


def test_guard_times_out_kills_and_recovers(guard, monkeypatch):
    monkeypatch.setenv(HANG_ENV, "guard.parse:2")  # each child hangs in its second document
    guard.timeout = 2
    assert parse(guard, SMALL).value.status == "ok"
    pid = guard.proc.pid
    late = parse(guard, OTHER)
    assert late.error == "timed out after 2 s"
    assert late.value is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the late child was killed (and reaped)
    assert parse(guard, SMALL).value.status == "ok"  # and a new one serves the next


def test_guard_child_death_fails_that_document(guard, monkeypatch):
    monkeypatch.setenv(CRASH_ENV, "guard.parse:2")  # each child dies in its second document
    assert parse(guard, SMALL).value.status == "ok"
    dead = parse(guard, OTHER)
    assert dead.error.startswith("worker process died (exit code 137; the --max-memory cap of 4096 MB may be too small")
    assert parse(guard, SMALL).value.status == "ok"


def test_work_beyond_the_memory_cap_is_reported(monkeypatch):
    """A document whose work needs more memory than allowed (a fault point asks for 16 TiB)."""
    monkeypatch.setenv(EXHAUST_ENV, "guard.parse:1:styregruppe")
    g = Guard("blank", 4096)
    try:
        res = parse(g, SMALL)
        assert (res.value, res.error) == (None, "memory limit exceeded")
        assert parse(g, OTHER).value.status == "ok"  # the same child serves the next document
    finally:
        g.stop()


def test_a_flate_bomb_stops_at_the_cap(tmp_path):
    """A page whose content inflates to 1 GB, under a cap the child starts in: the page (or the
    document) fails and says the limit was the reason."""
    g = Guard("blank", BOMB_CAP_MB)
    try:
        res = parse(g, flate_bomb(tmp_path / "bombe.pdf"))
    finally:
        g.stop()
    said = res.error or " ".join(d["message"] for d in res.value.rows["diagnostics"])
    assert re.search(MEMORY_SAID, said), said
    assert res.value is None or res.value.status == "partial"


def test_a_cap_too_small_to_start_in_is_reported():
    g = Guard("blank", 200)  # importing spaCy and building the backend needs more
    try:
        res = parse(g, SMALL)
    finally:
        g.stop()
    assert res.value is None
    assert re.search(r"^memory limit exceeded while the worker started \(raise --max-memory\)$"
                     r"|^worker could not start: .* \(under the --max-memory cap of 200 MB, which may be too small\)$", res.error), res.error


def test_only_regular_files_are_read(guard, tmp_path):
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    for op in ("digest", "parse"):
        got = guard.call(Request(op, str(fifo)))
        assert got.error == "not a regular file: a named pipe (FIFO)"
    assert guard.call(Request("parse", str(tmp_path))).error == "not a regular file: a folder"
    assert guard.call(Request("digest", str(tmp_path / "gone.txt"))).error == "file not found"


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_a_read_that_fails_is_a_clear_error(guard, tmp_path):
    """/proc/self/mem is a regular file whose first byte cannot be read, even by root."""
    link = tmp_path / "mem.pdf"
    link.symlink_to("/proc/self/mem")
    for op in ("digest", "parse"):
        assert guard.call(Request(op, str(link))).error == "cannot read file: input/output error"


def test_a_parse_is_of_the_bytes_it_is_named_by(tmp_path):
    """The file changes after the parse read it: parsed again, the id is that of the bytes parsed."""
    doc = tmp_path / "skiftende.txt"
    shutil.copy(SMALL, doc)
    swapped = []

    def swap(count: int, subject: str) -> None:
        if count == 1:
            shutil.copy(OTHER, doc)
            swapped.append(subject)

    with hook("guard.parsed", swap):
        got = parse_unchanged(str(doc), "blank", None, False)
    assert swapped == [str(doc)]
    assert got.doc_id == hashlib.sha256(OTHER.read_bytes()).hexdigest()
    want = parse_document(OTHER, model="blank")
    assert [p["name"] for p in got.rows["people"]] == [p["name"] for p in want.rows["people"]]


def test_dask_engine_enforces_the_limits(tmp_path):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(OTHER, src / "kæmpe.txt")
    shutil.copy(SMALL, src / "lille.txt")
    out = tmp_path / "out"
    env = {**os.environ, HANG_ENV: "guard.parse:1:kæmpe"}
    r = referat("ingest", str(src), "--out", str(out), "-q", "--engine", "dask", "--workers", "1", "--timeout", "2", env=env)
    assert r.returncode == 1, r.stderr
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["kæmpe.txt", "status"] == "failed"
    assert docs.loc["kæmpe.txt", "error"] == "timed out after 2 s"
    assert docs.loc["lille.txt", "status"] == "ok"
    assert "kæmpe.txt" in r.stdout + r.stderr
    # and the memory cap
    out2 = tmp_path / "out2"
    env = {**os.environ, EXHAUST_ENV: "guard.parse:1:lille"}
    r = referat("ingest", str(src), "--out", str(out2), "-q", "--engine", "dask", "--workers", "1", env=env)
    assert r.returncode == 1, r.stderr
    docs = pd.read_parquet(out2 / "documents").set_index("file_name")
    assert docs.loc["lille.txt", "error"] == "memory limit exceeded"
    assert docs.loc["kæmpe.txt", "status"] == "ok"


def _hanging_child(stream) -> int:
    """The pid a fault point announces when a child hangs (read from the supervisor's stderr)."""
    for line in stream:
        if line.startswith("referat fault: hanging at guard.parse"):
            return int(line.rsplit("pid ", 1)[1].rstrip(")\n"))
    raise AssertionError("no child reached the fault point")


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waits for the child's exit with a pidfd (Linux)")
def test_children_exit_when_the_supervisor_is_killed_mid_document(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SMALL, src / "a.txt")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(tmp_path / "out"), "-q", "--workers", "1"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, HANG_ENV: "guard.parse"})
    try:
        child = _hanging_child(proc.stderr)
        exited = os.pidfd_open(child)
        proc.kill()  # the supervisor only, not its process group
        proc.wait()
        # the child is in the middle of its document; it must end with its supervisor
        gone = select.select([exited], [], [], 60)[0]
        os.close(exited)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert gone, "the child outlived its supervisor"
