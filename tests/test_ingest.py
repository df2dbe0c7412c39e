"""Archive ingestion: incremental, exactly-once, crash-safe, fault-isolated.

Every test runs the real CLI in a subprocess on real files.
"""

from __future__ import annotations

import os
import shutil
import signal
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
    from pipeline import ingest as ingest_mod
    from pipeline.ingest import Options, ingest

    src = corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    ingest([src], out, Options(engine="inline", model="blank"))
    n_people = len(pd.read_parquet(out / "people"))
    # a document written by an older version is parsed again and its rows replaced
    import pyarrow.parquet as pq

    for f in (out / "documents").glob("*.parquet"):
        t = pq.read_table(f).to_pandas()
        t["pipeline_version"] = "0.0.1"
        t.to_parquet(f, index=False)
    s = ingest([src], out, Options(engine="inline", model="blank"))
    assert (s.parsed, s.skipped) == (2, 0)
    docs = pd.read_parquet(out / "documents")
    assert set(docs.pipeline_version) == {ingest_mod.__version__}
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


def _count_committed(out: Path) -> int:
    """Committed documents: rows of the documents table (its files appear atomically)."""
    folder = out / "documents"
    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*.parquet")) if folder.exists() else 0


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The corpus for the kill tests and the dataset of an uninterrupted run."""
    base = tmp_path_factory.mktemp("kill")
    src = corpus(base / "in", KILL_DOCS)
    clean_out = base / "clean"
    assert referat("ingest", str(src), "--out", str(clean_out), "-q", "--workers", "1").returncode == 0
    return src, dataset(clean_out)


KILL_DOCS = 20


@pytest.mark.parametrize("kill_after", [0, 1, 3, 5])
def test_kill_and_resume_is_exactly_once(tmp_path, uninterrupted, kill_after):
    """SIGKILL a real ingest after `kill_after` committed documents, re-run, compare.

    Batches of two documents: a kill lands inside a batch's writes or between
    its documents, never only at a document boundary."""
    src, want = uninterrupted

    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "-q", "--workers", "1", "--batch", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while _count_committed(out) < kill_after and proc.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    if kill_after:
        time.sleep(0.05 * kill_after)  # land inside the next document's writes, not between documents
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _count_committed(out) < KILL_DOCS, "the run finished before it could be killed"
    r = referat("ingest", str(src), "--out", str(out), "--workers", "1")
    assert r.returncode == 0, r.stderr
    got = dataset(out)
    for t in TABLES:
        pd.testing.assert_frame_equal(want[t], got[t], obj=t)
    assert not list(out.glob("*/.*.tmp"))


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to find the worker processes")
def test_workers_exit_when_the_supervisor_is_killed(tmp_path):
    src = corpus(tmp_path / "in", 6)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(tmp_path / "out"), "-q", "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    workers: list[int] = []
    while len(workers) < 2 and proc.poll() is None and time.time() < deadline:
        workers = [c for c in _children(proc.pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes().decode(errors="replace")]
        time.sleep(0.05)
    assert workers, "no worker process seen"
    proc.kill()  # the supervisor only, not its process group
    proc.wait()
    deadline = time.time() + 30
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.2)
    alive = [w for w in workers if _alive(w)]
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "worker processes outlived their supervisor"


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


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
    r = referat("ingest", str(src), "--out", str(out), "--workers", "1", "--timeout", "2")
    assert r.returncode == 1
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["kæmpe.pdf", "status"] == "failed"
    assert docs.loc["kæmpe.pdf", "error"] == "timed out after 2 s"
    assert docs.loc["lille.txt", "status"] == "ok"
    # the 2000-page document parses within the default limits
    r = referat("ingest", str(src / "kæmpe.pdf"), "--out", str(out), "--workers", "1")
    assert r.returncode == 0, r.stderr + str(pd.read_parquet(out / "documents")[["file_name", "status", "error"]].values)
    assert pd.read_parquet(out / "documents").set_index("file_name").loc["kæmpe.pdf", "pages"] == 2000
    # an address-space cap too small for the work fails that document with a clear reason
    out2 = tmp_path / "out2"
    r = referat("ingest", str(src / "lille.txt"), "--out", str(out2), "--workers", "1", "--max-memory", "350")
    assert r.returncode == 1
    err = pd.read_parquet(out2 / "documents").iloc[0].error
    assert "memory" in err.lower(), err


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
