"""Stage 8, store: the Parquet dataset under the output folder.

Layout: ``<out>/<table>/part-<stamp>.parquet`` — one file per table for each
*batch* of documents the ingest writes (several documents, a few seconds of
work) — plus ``<out>/<table>/compact-<n>.parquet`` made by ``compact``.  Any
file may hold rows of many documents; the ``doc_id`` column says whose they
are.  Rules that make the dataset crash-safe and exactly-once:

- every file is written under a hidden temporary name and renamed into place
  (``os.replace`` is atomic), so a reader never sees half a file;
- a batch's ``documents`` file is written last: it is the commit marker of
  its documents.  Rows of a document without a ``documents`` row are
  orphans, removed when a run starts;
- a document is *retracted* (before it is parsed again) in the opposite
  order: its ``documents`` row first, then its other rows (files that hold
  them are rewritten without them);
- ``compact`` writes the merged file before it deletes the files it merged;
  the newest compact file wins over leftover copies;
- so after a kill at any moment the next run cleans up, and the dataset
  equals that of an uninterrupted run.  A kill loses at most the batch that
  was being written; its documents are parsed again.

``_manifest.json`` (ignored by Parquet readers, like the hidden temporaries)
is rewritten atomically at the end of a run: the committed documents, their
versions and row counts.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .faults import point
from .tables import TABLES, arrow_schema, to_arrow, validate

COMMIT_TABLE = "documents"
MANIFEST = "_manifest.json"
_COMPACT = re.compile(r"^compact-(\d+)\.parquet$")
DATA_TABLES = tuple(t for t in TABLES if t != COMMIT_TABLE)


def _write_atomic(table: pa.Table, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    point("store.tmp_written", str(dest))
    os.replace(tmp, dest)


def _files(out: Path, table: str) -> list[Path]:
    folder = out / table
    return sorted(p for p in folder.glob("*.parquet")) if folder.exists() else []


def _compact_no(p: Path) -> int | None:
    m = _COMPACT.match(p.name)
    return int(m.group(1)) if m else None


def _doc_ids(p: Path) -> pa.Array:
    """The doc_id column of one file (only that column is read)."""
    return pq.read_table(p, columns=["doc_id"]).column("doc_id").combine_chunks()


def write_batch(out: Path, batch: list[dict[str, list[dict]]]) -> None:
    """Write the rows of several parsed documents, one file per table, the commit marker last."""
    if not batch:
        return
    name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
    for table in DATA_TABLES:  # empty ones too: every table folder is readable as a dataset
        _write_atomic(to_arrow(table, [r for doc in batch for r in doc.get(table, [])]), out / table / name)
        point("store.after_part", table)
    point("store.before_commit")
    _write_atomic(to_arrow(COMMIT_TABLE, [r for doc in batch for r in doc[COMMIT_TABLE]]), out / COMMIT_TABLE / name)
    point("store.after_commit")


def _read(path: Path, table: str) -> pa.Table:
    t = pq.read_table(path)
    schema = arrow_schema(table)
    # columns added by a newer version of the schema are filled with nulls
    for f in schema:
        if f.name not in t.schema.names:
            t = t.append_column(f.name, pa.nulls(len(t), f.type))
    return t.select(schema.names).cast(schema)


def committed(out: Path) -> dict[str, dict]:
    """doc_id -> its documents row, for every committed document."""
    return {r["doc_id"]: r for r in read_table(out, COMMIT_TABLE, check_commit=False).to_pylist()}


def read_table(out: Path, table: str, check_commit: bool = True) -> pa.Table:
    """All rows of ``table`` (of committed documents only, unless ``check_commit`` is off)."""
    parts = [_read(p, table) for p in _files(out, table)]
    if not parts:
        return arrow_schema(table).empty_table()
    t = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    if check_commit and table != COMMIT_TABLE:
        ids = pa.array(sorted(committed(out)), type=pa.string())
        t = t.filter(pc.is_in(t.column("doc_id"), value_set=ids))
    validate(table, t)
    return t


def _count_in(col: pa.Array, value_set: pa.Array) -> int:
    return pc.sum(pc.is_in(col, value_set=value_set)).as_py() or 0


def _remove_rows(p: Path, table: str, value_set: pa.Array) -> int:
    """Rewrite one file without the rows of the documents in ``value_set`` (deleted if none is left); rows removed."""
    t = _read(p, table)
    kept = t.filter(pc.invert(pc.is_in(t.column("doc_id"), value_set=value_set)))
    removed = t.num_rows - kept.num_rows
    if removed and kept.num_rows:
        _write_atomic(kept, p)
    elif removed:
        p.unlink()
    return removed


def _drop_rows(out: Path, table: str, doc_ids: set[str]) -> int:
    """Rewrite the files of ``table`` that hold rows of ``doc_ids`` without them; rows removed."""
    if not doc_ids:
        return 0
    value_set = pa.array(sorted(doc_ids), type=pa.string())
    return sum(_remove_rows(p, table, value_set) for p in _files(out, table) if _count_in(_doc_ids(p), value_set))


def retract(out: Path, doc_ids: set[str]) -> None:
    """Take documents out of the dataset: commit marker first, then their rows."""
    for table in (COMMIT_TABLE, *DATA_TABLES):
        _drop_rows(out, table, doc_ids)
        point("store.retract.after_table", table)


def remove_tmp(out: Path) -> int:
    """Delete temporary files left by a killed run (of table files and of the manifest)."""
    n = 0
    for p in [*out.glob("*/.*.tmp"), *out.glob(f".{MANIFEST}.*.tmp")]:
        p.unlink(missing_ok=True)
        n += 1
    return n


def remove_orphans(out: Path) -> int:
    """Delete rows of documents that never committed (a run killed mid-batch); rows removed.

    A batch file of a data table whose batch has no ``documents`` file is an
    orphan as a whole (this also catches a batch of a document that was
    committed before, should one ever be written twice); then any row whose
    document has no ``documents`` row goes.
    """
    markers = {p.name for p in _files(out, COMMIT_TABLE)}
    n = 0
    for table in DATA_TABLES:
        for p in _files(out, table):
            if _compact_no(p) is None and p.name not in markers:
                n += pq.ParquetFile(p).metadata.num_rows
                p.unlink()
    ids = pa.array(sorted(committed(out)), type=pa.string())
    for table in DATA_TABLES:
        for p in _files(out, table):
            col = _doc_ids(p)
            if _count_in(col, ids) < len(col):
                n += _remove_rows(p, table, pc.unique(col.filter(pc.invert(pc.is_in(col, value_set=ids)))))
    return n


def remove_compacted_duplicates(out: Path) -> int:
    """Delete rows that the newest compacted file of their table also holds.

    Only a ``compact`` killed between writing the merged file and deleting
    the files it merged leaves such copies; both are identical.  Rows removed.
    """
    n = 0
    for table in TABLES:
        files = _files(out, table)
        compacts = sorted((no, p) for p in files if (no := _compact_no(p)) is not None)
        if not compacts:
            continue
        newest = compacts[-1][1]
        held = _doc_ids(newest)
        for p in files:
            if p != newest and _count_in(_doc_ids(p), held):
                n += _remove_rows(p, table, held)
    return n


def recover(out: Path) -> dict[str, int]:
    """Bring a dataset left by a killed run back to a consistent state."""
    out.mkdir(parents=True, exist_ok=True)
    return {
        "temporary files": remove_tmp(out),
        "duplicate rows": remove_compacted_duplicates(out),
        "orphan rows": remove_orphans(out),
    }


def compact(out: Path) -> dict[str, tuple[int, int]]:
    """Merge each table's files into one ``compact-N.parquet``; rows unchanged.

    Per table: the merged file is written (atomically) first, then the files
    it replaces are deleted, the documents table last.  A kill in between
    leaves identical copies in an older file and the merged file, which
    ``recover`` (run at the start of every ingest and compact) removes.
    """
    recover(out)
    result: dict[str, tuple[int, int]] = {}
    for table in (*DATA_TABLES, COMMIT_TABLE):
        files = _files(out, table)
        if len(files) <= 1:
            result[table] = (len(files), len(files))
            continue
        merged = read_table(out, table, check_commit=(table != COMMIT_TABLE))
        n = 1 + max((no for p in files if (no := _compact_no(p)) is not None), default=0)
        dest = out / table / f"compact-{n}.parquet"
        _write_atomic(merged, dest)
        point("store.compact.after_merge", table)
        for p in files:
            p.unlink(missing_ok=True)
        point("store.compact.after_delete", table)
        result[table] = (len(files), 1)
    write_manifest(out)
    return result


def _row_counts(out: Path, ids: set[str]) -> dict[str, int]:
    """Committed rows per table."""
    counts: dict[str, int] = {}
    value_set = pa.array(sorted(ids), type=pa.string())
    for table in TABLES:
        counts[table] = sum(_count_in(_doc_ids(p), value_set) for p in _files(out, table))
    return counts


def write_manifest(out: Path) -> dict:
    docs = committed(out)
    manifest = {
        "documents": {
            d: {"file_name": r["file_name"], "sources": r["sources"], "status": r["status"], "pipeline_version": r["pipeline_version"]}
            for d, r in sorted(docs.items())
        },
        "rows": _row_counts(out, set(docs)),
    }
    tmp = out / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    point("store.before_manifest")
    os.replace(tmp, out / MANIFEST)
    return manifest


def add_sources(out: Path, doc_id: str, paths: list[str]) -> bool:
    """Record more file paths for an already committed document (same bytes, other name)."""
    for p in _files(out, COMMIT_TABLE):
        if doc_id not in _doc_ids(p).to_pylist():
            continue
        rows = _read(p, COMMIT_TABLE).to_pylist()
        for r in rows:
            if r["doc_id"] != doc_id:
                continue
            known = list(r["sources"] or [])
            new = [s for s in paths if s not in known]
            if not new:
                return False
            r["sources"] = known + new
            _write_atomic(to_arrow(COMMIT_TABLE, rows), p)
            point("store.sources_added")
            return True
    return False
