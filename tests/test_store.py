"""The store's recovery rules, on datasets left in the states a kill can leave.

The crash tests in test_ingest.py stop a real ingest at every fault point;
these tests build the in-between states directly (a batch without its commit
marker, a retraction stopped halfway, a compaction stopped before it deleted
what it merged) and check that ``recover`` restores exactly the committed
rows.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import RAW, ROOT
from pipeline.faults import hook
from pipeline.parse import parse_document
from pipeline.store import COMMIT_TABLE, committed, compact, read_table, recover, retract, write_batch, write_manifest
from pipeline.tables import TABLES

SAMPLES = ROOT / "tests" / "samples"


@pytest.fixture(scope="module")
def parsed():
    """Rows of five real documents: the two seed texts and three template samples."""
    files = [
        RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt",
        RAW / "styregruppe_klynge_syd_2022-05-06.txt",
        SAMPLES / "association" / "association_grundejerforening_2024-03-12.txt",
        SAMPLES / "firstagenda_web" / "firstagenda_web_teknikudvalg_2025-03-05.txt",
        SAMPLES / "markdown" / "markdown_styregruppe_2025-09-01.md",
    ]
    return [parse_document(f, model="blank").rows for f in files]


def rows_of(out) -> dict[str, pd.DataFrame]:
    """Every committed row per table, in a stable order."""
    frames = {}
    for t in TABLES:
        df = read_table(out, t).to_pandas()
        key = [c for c in df.columns if df[c].map(lambda v: isinstance(v, (str, int, float)) or v is None).all()]
        frames[t] = df.sort_values(key).reset_index(drop=True) if len(df) else df
    return frames


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


def raw_count(out, table: str) -> int:
    """Rows in the files of a table, committed or not (what a plain Parquet reader sees)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in (out / table).glob("*.parquet"))


@pytest.fixture
def clean(parsed, tmp_path):
    """The dataset of an uninterrupted run: two batches."""
    out = tmp_path / "clean"
    write_batch(out, parsed[:3])
    write_batch(out, parsed[3:4])
    return out


def test_a_batch_is_one_file_per_table_and_commits_all_its_documents(clean, parsed):
    for t in TABLES:
        assert len(list((clean / t).glob("*.parquet"))) == 2
    assert len(committed(clean)) == 4
    assert raw_count(clean, "people") == sum(len(p["people"]) for p in parsed[:4]) > 0


def test_a_batch_without_its_commit_marker_is_removed(clean, parsed, tmp_path):
    want = rows_of(clean)
    out = shutil.copytree(clean, tmp_path / "killed")
    # a third batch whose data files were written, killed before its documents file
    write_batch(out, [parsed[0]])
    last = sorted((out / COMMIT_TABLE).glob("*.parquet"))[-1]
    last.unlink()
    (out / "people" / ".part-x.parquet.0123.tmp").write_bytes(b"half a file")
    assert raw_count(out, "people") > raw_count(clean, "people")
    got = recover(out)
    assert got["orphan rows"] > 0 and got["temporary files"] == 1
    assert_same(want, rows_of(out))
    for t in TABLES:  # not only filtered on read: the rows are gone from the files
        assert raw_count(out, t) == raw_count(clean, t)


class Stop(Exception):
    """Raised by a fault hook: the operation stops there, as if the process had been killed."""


def stop_at(count: int):
    """A fault hook that stops the operation at its ``count``-th pass."""

    def fn(n: int, subject: str) -> None:
        if n == count:
            raise Stop(subject)

    return fn


def test_a_retraction_stopped_halfway_is_finished_by_recover(clean, parsed, tmp_path):
    out = shutil.copytree(clean, tmp_path / "killed")
    gone = parsed[1]["documents"][0]["doc_id"]
    # retract writes the commit table first: stop right after it
    with hook("store.retract.after_table", stop_at(1)), pytest.raises(Stop, match=COMMIT_TABLE):
        retract(out, {gone})
    assert gone not in committed(out)
    assert gone in set(pq.read_table(out / "people", columns=["doc_id"]).column("doc_id").to_pylist())
    recover(out)
    assert gone not in set(pq.read_table(out / "people", columns=["doc_id"]).column("doc_id").to_pylist())
    # the same as retracting it completely
    ref = shutil.copytree(clean, tmp_path / "ref")
    retract(ref, {gone})
    assert_same(rows_of(ref), rows_of(out))


def test_a_compaction_stopped_before_deleting_is_deduplicated(clean, parsed, tmp_path):
    out = shutil.copytree(clean, tmp_path / "killed")
    want = rows_of(out)
    compact(out)
    assert all([p.name for p in (out / t).glob("*.parquet")] == ["compact-1.parquet"] for t in TABLES)
    assert_same(want, rows_of(out))
    # one more batch, then a second compact killed after writing compact-2 of
    # every table but before deleting compact-1 and the batch file
    write_batch(out, parsed[4:])
    want = rows_of(out)
    for t in TABLES:
        pq.write_table(read_table(out, t), out / t / "compact-2.parquet")  # what compact writes
    assert len(pd.read_parquet(out / "people")) == 2 * len(want["people"])  # every row twice
    assert recover(out)["duplicate rows"] > 0
    assert_same(want, rows_of(out))
    for t in TABLES:
        assert [p.name for p in (out / t).glob("*.parquet")] == ["compact-2.parquet"]


def test_manifest_counts_committed_rows(clean, parsed):
    m = write_manifest(clean)
    for t in TABLES:
        assert m["rows"][t] == sum(len(p.get(t, [])) for p in parsed[:4])
    assert set(m["documents"]) == {p["documents"][0]["doc_id"] for p in parsed[:4]}
