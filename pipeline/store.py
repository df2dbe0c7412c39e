"""Stage 8, store: the Parquet dataset under the output folder.

Layout: ``<out>/<table>/<doc_id>.parquet`` — one file per document and
table, so re-parsing a document replaces exactly its rows and nothing else.
Each file is written to a temporary name and renamed into place; the
``documents`` file of a document is written last and is its commit marker:
a document without it is not in the dataset (readers go through
``read_table``, which drops such orphans, and the next run rewrites it).
``compact`` merges the per-document files of a table into one file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .tables import TABLES, arrow_schema, to_arrow, validate

COMMIT_TABLE = "documents"


def _write_atomic(table: pa.Table, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)


def write_document(out: Path, rows: dict[str, list[dict]], doc_id: str) -> None:
    """Write one document's rows to every table, the commit marker last."""
    for table in TABLES:
        if table == COMMIT_TABLE:
            continue
        dest = out / table / f"{doc_id}.parquet"
        _write_atomic(to_arrow(table, rows.get(table, [])), dest)
    _write_atomic(to_arrow(COMMIT_TABLE, rows[COMMIT_TABLE]), out / COMMIT_TABLE / f"{doc_id}.parquet")


def committed(out: Path) -> dict[str, dict]:
    """doc_id -> its documents row, for every committed document."""
    folder = out / COMMIT_TABLE
    if not folder.exists():
        return {}
    t = read_table(out, COMMIT_TABLE)
    return {r["doc_id"]: r for r in t.to_pylist()}


def read_table(out: Path, table: str) -> pa.Table:
    """All rows of ``table`` for committed documents."""
    folder = out / table
    files = sorted(p for p in folder.glob("*.parquet")) if folder.exists() else []
    parts = [pq.read_table(p) for p in files]
    if not parts:
        return arrow_schema(table).empty_table()
    t = pa.concat_tables(parts, promote_options="default") if len(parts) > 1 else parts[0]
    t = t.select(arrow_schema(table).names).cast(arrow_schema(table))
    if table != COMMIT_TABLE:
        ids = set(read_table(out, COMMIT_TABLE).column("doc_id").to_pylist())
        mask = pa.array([d in ids for d in t.column("doc_id").to_pylist()])
        t = t.filter(mask)
    validate(table, t)
    return t


def remove_tmp(out: Path) -> int:
    """Delete temporary files left by a killed run."""
    n = 0
    for p in out.glob("*/.*.tmp"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def remove_orphans(out: Path) -> int:
    """Delete per-document files of documents that never committed."""
    ids = {p.stem for p in (out / COMMIT_TABLE).glob("*.parquet")} if (out / COMMIT_TABLE).exists() else set()
    n = 0
    for table in TABLES:
        if table == COMMIT_TABLE or not (out / table).exists():
            continue
        for p in (out / table).glob("*.parquet"):
            if p.stem not in ids:
                p.unlink(missing_ok=True)
                n += 1
    return n
