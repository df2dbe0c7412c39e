"""Archive ingestion: incremental, exactly-once, crash-safe, fault-isolated.

Every test runs the real CLI in a subprocess (or ``ingest`` in-process, with
its real worker processes) on real files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from badfiles import broken_xref_pdf, image_only_pdf, random_pdf, text_pdf, truncated_pdf
from conftest import RAW, ROOT
from pipeline import __version__
from pipeline.faults import EXHAUST_ENV, POINTS, hook
from pipeline.ingest import Options, ingest
from pipeline.store import read_table, recover

pytestmark = pytest.mark.slow

TABLES = ("documents", "meetings", "people", "agenda_items", "decisions", "amounts", "mentions", "votes", "diagnostics")
VOLATILE = ["parsed_at", "duration_s", "source", "sources"]


def referat(*args, timeout=900, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kw)


def dataset(out: Path) -> dict[str, pd.DataFrame]:
    """Every table, volatile columns dropped, rows in a canonical order."""
    res = {}
    for t in TABLES:
        df = pd.read_parquet(out / t).drop(columns=[c for c in VOLATILE if c in ("parsed_at", "duration_s") or t != "documents" and False], errors="ignore")
        if t == "documents":
            df = df.drop(columns=VOLATILE, errors="ignore")
        df = df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)
        res[t] = df
    return res


def corpus(folder: Path, n: int) -> Path:
    """n distinct documents: the seed texts with a distinct closing line each."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt", RAW / "styregruppe_klynge_syd_2022-05-06.txt"]
    for i in range(n):
        text = seeds[i % 2].read_text(encoding="utf-8") + f"\nKopi nr. {i}\n"
        (folder / f"referat {i:02d} – æøå.txt").write_text(text, encoding="utf-8")
    return folder


def test_incremental_force_and_duplicates(tmp_path):
    src = corpus(tmp_path / "in", 3)
    shutil.copy(src / "referat 00 – æøå.txt", src / "samme bytes andet navn.txt")
    out = tmp_path / "out"
    r = referat("ingest", str(src), "--out", str(out), "--workers", "2")
    assert r.returncode == 0, r.stderr
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 3  # four files, three distinct contents
    same = docs[docs.sources.map(len) == 2]
    assert len(same) == 1 and {Path(s).name for s in same.iloc[0].sources} == {"referat 00 – æøå.txt", "samme bytes andet navn.txt"}
    first = dataset(out)
    r = referat("ingest", str(src), "--out", str(out))
    assert r.returncode == 0
    assert "nothing to do" in r.stdout and "skipped (unchanged) │     4" in r.stdout
    r = referat("ingest", str(src), "--out", str(out), "--force", "--workers", "1")
    assert r.returncode == 0, r.stderr
    again = dataset(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(first[t], again[t], obj=t)


def test_newer_pipeline_version_replaces_rows(tmp_path, monkeypatch):
    src = corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    ingest([src], out, Options(workers=1, model="blank"))
    n_people = len(pd.read_parquet(out / "people"))
    # a document written by an older version is parsed again and its rows replaced
    for f in (out / "documents").glob("*.parquet"):
        t = pq.read_table(f).to_pandas()
        t["pipeline_version"] = "0.0.1"
        t.to_parquet(f, index=False)
    s = ingest([src], out, Options(workers=1, model="blank"))
    assert (s.parsed, s.skipped) == (2, 0)
    docs = pd.read_parquet(out / "documents")
    assert set(docs.pipeline_version) == {__version__}
    assert len(pd.read_parquet(out / "people")) == n_people


def test_compact_keeps_every_row(tmp_path):
    src = corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert referat("ingest", str(src), "--out", str(out), "-q", "--batch", "1").returncode == 0
    assert all(len(list((out / t).glob("*.parquet"))) == 4 for t in TABLES)  # one batch per document
    before = dataset(out)
    r = referat("compact", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert all(len(list((out / t).glob("*.parquet"))) == 1 for t in TABLES)
    after = dataset(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(before[t], after[t], obj=t)
    # re-parsing a compacted document replaces its rows, no duplicates
    assert referat("ingest", str(src / "referat 01 – æøå.txt"), "--out", str(out), "--force", "-q").returncode == 0
    forced = dataset(out)
    for t in TABLES:
        if t != "documents":
            pd.testing.assert_frame_equal(before[t], forced[t], obj=t)


# --- kill and resume, by fault injection -------------------------------------------------
#
# A scenario of four commands reaches every fault point of ingest and store.
# For each point, the command that reaches it runs with REFERAT_CRASH_AT (the
# process exits with code 137 there, as after kill -9), from the state the
# uninterrupted scenario had before that command; then the same command runs
# again and the dataset must equal the uninterrupted one after that command.

BLANK = ("--model", "blank", "--workers", "1")


def scenario(base: Path) -> list[list[str]]:
    """The four commands, on inputs made under ``base``: their order matters, each builds on the one before."""
    first = corpus(base / "in", 3)
    shutil.copy(first / "referat 00 – æøå.txt", first / "samme bytes andet navn.txt")
    later = base / "later"
    later.mkdir()
    shutil.copy(first / "referat 00 – æøå.txt", later / "kopi.txt")
    corpus(base / "extra", 4)
    shutil.copy(base / "extra" / "referat 03 – æøå.txt", later / "ny.txt")
    return [
        ["ingest", str(first), "--batch", "2", "-q", *BLANK],  # two batches, the same bytes under two names
        ["ingest", str(first / "referat 01 – æøå.txt"), "--force", "-q", *BLANK],  # a retraction
        ["compact"],
        ["ingest", str(later), "-q", *BLANK],  # a new name for known bytes, a new document after compaction
    ]


#: fault point -> (the command of the scenario that reaches it, the pass that crashes)
CRASH_CASES = {
    "ingest.listed": (0, 1),
    "ingest.after_retract": (1, 1),
    "ingest.delivered": (0, 2),
    "store.tmp_written": (0, 3),
    "store.after_part": (0, 11),  # the second batch, after its third table
    "store.before_commit": (0, 2),
    "store.after_commit": (0, 1),
    "store.before_manifest": (0, 1),
    "store.retract.after_table": (1, 1),  # after the documents table: the rows are orphans
    "store.compact.after_merge": (2, 3),
    "store.compact.after_delete": (2, 4),
    "store.sources_added": (3, 1),
}


def in_dataset(out: Path) -> dict[str, pd.DataFrame]:
    """Every committed row (sources sorted, timings dropped) and the manifest's counts."""

    res = {}
    for t in TABLES:
        df = read_table(out, t).to_pandas().drop(columns=["parsed_at", "duration_s"], errors="ignore")
        if "sources" in df:
            df["sources"] = df.sources.map(sorted)
        res[t] = df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    res["manifest"] = pd.DataFrame([{"rows": json.dumps(manifest["rows"], sort_keys=True), "documents": json.dumps(sorted(manifest["documents"]))}])
    return res


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The scenario's commands and the dataset after each of them, run without interruption."""
    base = tmp_path_factory.mktemp("crash")
    steps = scenario(base)
    out = base / "clean"
    after = []
    for k, step in enumerate(steps):
        r = referat(*step, "--out", str(out))
        assert r.returncode == 0, r.stderr
        after.append(shutil.copytree(out, base / f"after-{k}"))
    return steps, after


def test_every_fault_point_is_a_crash_case():
    assert set(CRASH_CASES) == {p for p in POINTS if not p.startswith("guard.")}  # guard points: test_guard.py


@pytest.mark.parametrize("fault", sorted(CRASH_CASES))
def test_crash_and_resume_is_exactly_once(tmp_path, uninterrupted, fault):
    steps, after = uninterrupted
    k, n = CRASH_CASES[fault]
    out = tmp_path / "out"
    if k:
        shutil.copytree(after[k - 1], out)
    crashed = referat(*steps[k], "--out", str(out), env={**os.environ, "REFERAT_CRASH_AT": f"{fault}:{n}"})
    assert crashed.returncode == 137, f"{fault}:{n} was not reached by {steps[k]}: {crashed.stderr}"
    again = referat(*steps[k], "--out", str(out))
    assert again.returncode == 0, again.stderr
    want, got = in_dataset(after[k]), in_dataset(out)
    for t in want:
        pd.testing.assert_frame_equal(want[t], got[t], obj=t)
    assert not list(out.rglob(".*.tmp"))


def _committed_documents(out: Path) -> int:
    """Rows of the documents table (its files appear atomically, each one a commit)."""
    folder = out / "documents"
    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*.parquet")) if folder.exists() else 0


def test_ctrl_c_keeps_what_is_committed_and_resumes(tmp_path):
    """SIGINT to the process group when one document is committed and the other hangs in its parse.

    Two workers: one is in the middle of a document, the other waits for
    work; neither may print a traceback."""
    src = corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "--batch", "1", "--model", "blank", "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "REFERAT_HANG_AT": "guard.parse:1:referat 01"})
    try:
        for line in proc.stderr:
            if line.startswith("referat fault: hanging at guard.parse"):
                break
        deadline = time.monotonic() + 120
        while _committed_documents(out) < 1 and time.monotonic() < deadline:  # watch the dataset for the commit
            time.sleep(0.05)
        assert _committed_documents(out) == 1
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr
    assert "interrupted: 1 documents committed, run the same command again to resume" in stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert _committed_documents(out) == 1
    r = referat("ingest", str(src), "--out", str(out), *BLANK)
    assert r.returncode == 0, r.stderr
    clean = tmp_path / "clean"
    assert referat("ingest", str(src), "--out", str(clean), "-q", *BLANK).returncode == 0
    want, got = in_dataset(clean), in_dataset(out)
    for t in want:
        if t != "manifest":
            pd.testing.assert_frame_equal(want[t], got[t], obj=t)


def test_ctrl_c_never_splits_or_repeats_a_batch(tmp_path):
    """Ctrl-C while a batch is written (in-process, at two fault points) takes effect after it."""
    src = corpus(tmp_path / "in", 3)

    def ctrl_c(count: int, subject: str) -> None:
        if count == 1:
            os.kill(os.getpid(), signal.SIGINT)

    for k, fault in enumerate(("store.after_part", "store.after_commit")):
        out = tmp_path / f"out{k}"
        with hook(fault, ctrl_c):
            summary = ingest([src], out, Options(workers=1, model="blank", batch=2))
        assert summary.interrupted and summary.committed == 2
        docs = pd.read_parquet(out / "documents")
        assert len(docs) == 2 and docs.doc_id.is_unique
        assert recover(out) == {"temporary files": 0, "duplicate rows": 0, "orphan rows": 0}


# --- odd files, one content one id ---------------------------------------------------------


def test_files_that_are_not_regular_never_block(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.txt", src / "god.txt")
    os.mkfifo(src / "rør.pdf")
    (src / "brudt.pdf").symlink_to(tmp_path / "findes ikke.pdf")
    (src / "løkke").symlink_to(tmp_path)  # a link to a folder above: a circle if it were followed
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "sokkel.txt"))
    fifo = tmp_path / "x.pdf"  # named as an argument, as in the report that found the hang
    os.mkfifo(fifo)
    args = [str(src), str(fifo)]
    if Path("/proc/self/mem").exists():  # a regular file whose read fails, even for root
        (tmp_path / "mem.pdf").symlink_to("/proc/self/mem")
        args.append(str(tmp_path / "mem.pdf"))
    out = tmp_path / "out"
    try:
        for _ in range(2):  # and a second run writes no second row
            r = referat("ingest", *args, "--out", str(out), "--timeout", "5", timeout=300)
            assert r.returncode == 1, r.stderr
            docs = pd.read_parquet(out / "documents").set_index("file_name")
            assert len(docs) == len(args)
            assert docs.loc["god.txt", "status"] == "ok"
            assert docs.loc["x.pdf", "status"] == "failed"
            assert docs.loc["x.pdf", "error"] == "not a regular file: a named pipe (FIFO)"
            if "mem.pdf" in docs.index:
                assert docs.loc["mem.pdf", "error"] == "cannot read file: input/output error"
            diags = pd.read_parquet(out / "diagnostics")
            assert set(docs[docs.status == "failed"].doc_id) <= set(diags[diags.severity == "error"].doc_id)
            assert f"skipped: {src / 'rør.pdf'}: a named pipe (FIFO), not a regular file" in r.stderr
            assert f"skipped: {src / 'brudt.pdf'}: a broken link (its target does not exist)" in r.stderr
            assert f"skipped: {src / 'sokkel.txt'}: a socket, not a regular file" in r.stderr
            assert f"skipped: {src / 'løkke'}: a link to a folder (not followed)" in r.stderr
    finally:
        sock.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a chmod 000 file; test_files_that_are_not_regular_never_block reads /proc/self/mem instead")
def test_unreadable_file_gets_a_row(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.txt", src / "lukket.txt")
    (src / "lukket.txt").chmod(0)
    out = tmp_path / "out"
    r = referat("ingest", str(src), "--out", str(out), "--workers", "1")
    assert r.returncode == 1
    doc = pd.read_parquet(out / "documents").iloc[0]
    assert (doc.file_name, doc.status, doc.error) == ("lukket.txt", "failed", "cannot read file: permission denied")
    assert r.stderr.count("lukket.txt") == 1


def test_a_file_changed_after_hashing_is_one_document(tmp_path):
    """Between hashing and parsing, b.txt takes the bytes of a.txt and c.txt new bytes."""
    src = corpus(tmp_path / "in", 3)
    a, b, c = sorted(src.iterdir())
    new_c = (RAW / "styregruppe_klynge_syd_2022-05-06.txt").read_bytes() + b"\nNy version\n"

    def change(count: int, subject: str) -> None:
        shutil.copy(a, b)
        c.write_bytes(new_c)

    out = tmp_path / "out"
    with hook("ingest.listed", change):
        summary = ingest([src], out, Options(workers=1, model="blank"))
    docs = pd.read_parquet(out / "documents")
    assert docs.doc_id.is_unique, docs[["doc_id", "file_name"]]
    by_id = docs.set_index("doc_id")
    digest = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, c)}
    assert set(by_id.index) == set(digest.values())  # the ids of the bytes that are there now
    assert sorted(Path(s).name for s in by_id.loc[digest[a], "sources"]) == [a.name, b.name]
    assert (summary.parsed, summary.skipped) == (2, 1)
    people = pd.read_parquet(out / "people")
    one = ingest([a], tmp_path / "ref", Options(workers=1, model="blank"))
    assert one.parsed == 1
    assert len(people[people.doc_id == digest[a]]) == len(pd.read_parquet(tmp_path / "ref" / "people"))
    again = ingest([src], out, Options(workers=1, model="blank"))
    assert (again.parsed, again.skipped) == (0, 3)
    assert len(pd.read_parquet(out / "documents")) == 2


def test_bad_files_fail_alone(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.pdf", src / "god fil æøå.pdf")
    truncated_pdf(src / "truncated.pdf")
    random_pdf(src / "random.pdf")
    (src / "empty.pdf").write_bytes(b"")
    broken_xref_pdf(src / "broken xref.pdf")
    image_only_pdf(src / "scan.pdf")
    text_pdf(src / "encrypted.pdf", encrypt=StandardEncryption("hemmelig", ownerPassword="ejer"))
    out = tmp_path / "out"
    r = referat("ingest", str(src), "--out", str(out), "--workers", "2")
    assert r.returncode == 1
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    status = docs.status.to_dict()
    assert status == {
        "god fil æøå.pdf": "ok",
        "broken xref.pdf": "ok",
        "truncated.pdf": "partial",
        "scan.pdf": "partial",
        "random.pdf": "failed",
        "empty.pdf": "failed",
        "encrypted.pdf": "failed",
    }
    assert docs.loc["random.pdf", "error"] == "not a PDF: the file has a .pdf name but no %PDF header"
    assert docs.loc["empty.pdf", "error"] == "empty file (0 bytes)"
    assert docs.loc["encrypted.pdf", "error"] == "encrypted PDF: a password is needed (use --password)"
    diags = pd.read_parquet(out / "diagnostics")
    scan = diags[diags.doc_id == docs.loc["scan.pdf", "doc_id"]]
    assert "no text layer on page(s) 1 (image only) — OCR needed (run with --ocr)" in set(scan.message)
    trunc = diags[diags.doc_id == docs.loc["truncated.pdf", "doc_id"]]
    assert any(m.startswith("damaged PDF") for m in trunc.message)
    for name in ("random.pdf", "empty.pdf", "encrypted.pdf"):
        assert name in r.stderr
    assert len(pd.read_parquet(out / "people").merge(docs.reset_index()[["doc_id", "file_name"]]).query("file_name == 'god fil æøå.pdf'")) == 17
    # the password opens it
    r = referat("ingest", str(src / "encrypted.pdf"), "--out", str(out), "--password", "hemmelig")
    assert r.returncode == 0, r.stderr
    assert pd.read_parquet(out / "documents").set_index("file_name").loc["encrypted.pdf", "status"] == "ok"


def test_timeout_and_memory_cap_fail_one_document(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text_pdf(src / "kæmpe.pdf", pages=2000)
    shutil.copy(RAW / "styregruppe_klynge_syd_2022-05-06.txt", src / "lille.txt")
    out = tmp_path / "out"
    # the big document's parse hangs (a fault point): the time limit fails it, the batch goes on
    env = {**os.environ, "REFERAT_HANG_AT": "guard.parse:1:kæmpe"}
    r = referat("ingest", str(src), "--out", str(out), "--workers", "1", "--timeout", "2", env=env)
    assert r.returncode == 1
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["kæmpe.pdf", "status"] == "failed"
    assert docs.loc["kæmpe.pdf", "error"] == "timed out after 2 s"
    assert docs.loc["lille.txt", "status"] == "ok"
    assert r.stderr.count("kæmpe.pdf: timed out after 2 s") == 1  # each failure printed once
    # the 2000-page document parses within the default limits
    r = referat("ingest", str(src / "kæmpe.pdf"), "--out", str(out), "--workers", "1")
    assert r.returncode == 0, r.stderr + str(pd.read_parquet(out / "documents")[["file_name", "status", "error"]].values)
    assert pd.read_parquet(out / "documents").set_index("file_name").loc["kæmpe.pdf", "pages"] == 2000
    # a document whose work needs more memory than the cap allows fails with a clear reason
    out2 = tmp_path / "out2"
    shutil.copy(RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt", src / "næste.txt")
    env = {**os.environ, EXHAUST_ENV: "guard.parse:1:lille"}  # its work asks for 16 TiB
    r = referat("ingest", str(src / "lille.txt"), str(src / "næste.txt"), "--out", str(out2), "--workers", "1", env=env)
    assert r.returncode == 1
    docs = pd.read_parquet(out2 / "documents").set_index("file_name")
    assert docs.loc["lille.txt", "error"] == "memory limit exceeded"
    assert docs.loc["næste.txt", "status"] == "ok"  # the batch goes on


def test_usage_errors(tmp_path):
    assert referat("ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "o")).returncode == 2
    assert referat("ingest", str(RAW), "--engine", "spark", "--out", str(tmp_path / "o")).returncode == 2
    assert referat("compact", "--out", str(tmp_path / "nothing-here")).returncode == 2


def test_dask_engine_writes_the_same_dataset(tmp_path):
    pytest.importorskip("dask.distributed")
    src = corpus(tmp_path / "in", 3)
    shutil.copy(RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf", src)
    (src / "fake.pdf").write_text("not a pdf", encoding="utf-8")
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    assert referat("ingest", str(src), "--out", str(local), "-q", "--workers", "2").returncode == 1
    r = referat("ingest", str(src), "--out", str(dask_out), "-q", "--engine", "dask", "--workers", "2")
    assert r.returncode == 1, r.stderr
    a, b = dataset(local), dataset(dask_out)
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)
