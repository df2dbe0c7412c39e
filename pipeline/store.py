"""Stage 8, store: the Parquet dataset under the output folder.

Layout: ``<out>/<table>/<doc_id>.parquet`` — one file per document and table
— plus ``<out>/<table>/compact-<n>.parquet`` files made by ``compact`` that
hold many documents.  Rules that make the dataset crash-safe and exactly-once:

- every file is written under a hidden temporary name and renamed into place
  (``os.replace`` is atomic), so a reader never sees half a file;
- a document's ``documents`` row is written last: it is the commit marker.
  Rows of a document without one are orphans, removed when a run starts;
- a document is *retracted* (before it is parsed again) in the opposite
  order: its ``documents`` row first, then its other rows;
- so a document's rows are never in two files at once: after a kill at any
  moment, the next run cleans up and the dataset equals that of an
  uninterrupted run.

``_manifest.json`` (ignored by Parquet readers, like the hidden temporaries)
is rewritten atomically at the end of a run: the committed documents, their
versions and row counts.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .tables import TABLES, arrow_schema, to_arrow, validate

COMMIT_TABLE = "documents"
MANIFEST = "_manifest.json"
_COMPACT = re.compile(r"^compact-\d+\.parquet$")


def _write_atomic(table: pa.Table, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)


def _files(out: Path, table: str) -> list[Path]:
    folder = out / table
    return sorted(p for p in folder.glob("*.parquet")) if folder.exists() else []


def _is_compact(p: Path) -> bool:
    return bool(_COMPACT.match(p.name))


def write_document(out: Path, rows: dict[str, list[dict]], doc_id: str) -> None:
    """Write one document's rows to every table, the commit marker last."""
    for table in TABLES:
        if table == COMMIT_TABLE:
            continue
        _write_atomic(to_arrow(table, rows.get(table, [])), out / table / f"{doc_id}.parquet")
    _write_atomic(to_arrow(COMMIT_TABLE, rows[COMMIT_TABLE]), out / COMMIT_TABLE / f"{doc_id}.parquet")


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


def _drop_from_compacted(out: Path, table: str, doc_ids: set[str]) -> int:
    """Rewrite compacted files of ``table`` without ``doc_ids``; returns rows removed."""
    removed = 0
    value_set = pa.array(sorted(doc_ids), type=pa.string())
    for p in _files(out, table):
        if not _is_compact(p):
            continue
        t = _read(p, table)
        keep = pc.invert(pc.is_in(t.column("doc_id"), value_set=value_set))
        kept = t.filter(keep)
        if kept.num_rows != t.num_rows:
            removed += t.num_rows - kept.num_rows
            if kept.num_rows:
                _write_atomic(kept, p)
            else:
                p.unlink()
    return removed


def retract(out: Path, doc_ids: set[str]) -> None:
    """Take documents out of the dataset: commit marker first, then their rows."""
    if not doc_ids:
        return
    for table in (COMMIT_TABLE, *[t for t in TABLES if t != COMMIT_TABLE]):
        for d in doc_ids:
            (out / table / f"{d}.parquet").unlink(missing_ok=True)
        _drop_from_compacted(out, table, doc_ids)


def remove_tmp(out: Path) -> int:
    """Delete temporary files left by a killed run."""
    n = 0
    for p in out.glob("*/.*.tmp"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def remove_orphans(out: Path) -> int:
    """Delete rows of documents that never committed (a run killed mid-document)."""
    ids = set(committed(out))
    n = 0
    for table in TABLES:
        if table == COMMIT_TABLE:
            continue
        orphans: set[str] = set()
        for p in _files(out, table):
            if _is_compact(p):
                orphans |= set(_read(p, table).column("doc_id").to_pylist()) - ids
            elif p.stem not in ids:
                p.unlink(missing_ok=True)
                n += 1
        if orphans:
            n += _drop_from_compacted(out, table, orphans)
    return n


def remove_compacted_duplicates(out: Path) -> int:
    """Delete per-document files whose rows a compacted file already holds.

    Only a ``compact`` killed between writing the merged file and deleting
    the files it merged leaves such pairs; both copies are identical.
    """
    n = 0
    for table in TABLES:
        files = _files(out, table)
        in_compact: set[str] = set()
        for p in files:
            if _is_compact(p):
                in_compact |= set(_read(p, table).column("doc_id").to_pylist())
        for p in files:
            if not _is_compact(p) and p.stem in in_compact:
                p.unlink(missing_ok=True)
                n += 1
    return n


def recover(out: Path) -> dict[str, int]:
    """Bring a dataset left by a killed run back to a consistent state."""
    out.mkdir(parents=True, exist_ok=True)
    return {
        "temporary files": remove_tmp(out),
        "duplicate files": remove_compacted_duplicates(out),
        "orphan files/rows": remove_orphans(out),
    }


def compact(out: Path) -> dict[str, tuple[int, int]]:
    """Merge each table's files into one ``compact-N.parquet``; rows unchanged.

    Per table: the merged file is written (atomically) first, then the files
    it replaces are deleted, the documents table last.  A kill in between
    leaves identical copies in a per-document file and the merged file, which
    ``recover`` (run at the start of every ingest and compact) removes.
    """
    recover(out)
    result: dict[str, tuple[int, int]] = {}
    for table in (*[t for t in TABLES if t != COMMIT_TABLE], COMMIT_TABLE):
        files = _files(out, table)
        if len(files) <= 1:
            result[table] = (len(files), len(files))
            continue
        merged = read_table(out, table, check_commit=(table != COMMIT_TABLE))
        n = 1 + max((int(p.stem.split("-")[1]) for p in files if _is_compact(p)), default=0)
        dest = out / table / f"compact-{n}.parquet"
        _write_atomic(merged, dest)
        for p in files:
            p.unlink(missing_ok=True)
        result[table] = (len(files), 1)
    write_manifest(out)
    return result


def _row_counts(out: Path, ids: set[str]) -> dict[str, int]:
    """Committed rows per table, from Parquet metadata where a file is one document's."""
    counts: dict[str, int] = {}
    value_set = pa.array(sorted(ids), type=pa.string())
    for table in TABLES:
        n = 0
        for p in _files(out, table):
            if _is_compact(p):
                col = pq.read_table(p, columns=["doc_id"]).column("doc_id")
                n += pc.sum(pc.is_in(col, value_set=value_set)).as_py() or 0
            elif p.stem in ids:
                n += pq.ParquetFile(p).metadata.num_rows
        counts[table] = n
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
    os.replace(tmp, out / MANIFEST)
    return manifest


def add_sources(out: Path, doc_id: str, paths: list[str]) -> bool:
    """Record more file paths for an already committed document (same bytes, other name)."""
    for p in _files(out, COMMIT_TABLE):
        if not (_is_compact(p) or p.stem == doc_id):
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
            return True
    return False
