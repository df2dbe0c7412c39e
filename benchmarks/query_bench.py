#!/usr/bin/env python3
"""Query sandbox benchmark: what a query costs, and how far hostile queries get.

Prints figures; it is not a test.  Ingests the samples in data/raw into a
temporary folder, then measures:

- the time of a small query through ``run_query`` (a query process each time)
  and on a connection held in-process (``connect``), median of several runs;
- for each hostile query, with the default limits (or the ones given): the
  error it ends with, the wall time, and the peak RSS of the query process.

Each hostile query runs in a fresh wrapper process, so that
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` there is the peak of that one query
process.

    .venv/bin/python benchmarks/query_bench.py [--timeout S] [--max-memory MB] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HOSTILE = {
    "range(1e13) (time)": "select count(*) from range(10000000000000)",
    "list of 1e9 (data memory)": "select list(range) from range(1000000000)",
    "20 000 x UNION ALL (planning memory)": " union all ".join(f"select {i} as x" for i in range(20_000)),
    "22 nested CTEs, not materialized (planning memory)": "with a0 as (select 1 as x), "
    + ", ".join(f"a{i} as not materialized (select * from a{i - 1} union all select * from a{i - 1})" for i in range(1, 22))
    + " select count(*) from a21",
}

#: runs in a wrapper process: one run_query, then the peak RSS of its query process
WRAPPER = """
import json, resource, sys, time
from pathlib import Path
from pipeline.query import Limits, QueryError, run_query
request = json.loads(sys.stdin.read())
started = time.perf_counter()
try:
    run_query(Path(request["data"]), request["sql"], Limits(timeout=request["timeout"], max_memory_mb=request["max_memory_mb"]))
    outcome = "finished"
except QueryError as exc:
    outcome = f"{type(exc).__name__}: {exc}"
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def ingest_samples(out: Path) -> None:
    """The samples in data/raw ingested into ``out``."""
    subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(REPO / "data" / "raw"), "--out", str(out), "-q", "--model", "blank"],
        cwd=REPO, check=True, capture_output=True,
    )


def small_query_seconds(data: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of a small query through the query process, and on a held connection."""
    from pipeline.query import connect, run_query

    sql = "select m.body, count(*) from agenda_items a join meetings m using (doc_id) group by all"
    process = []
    for _ in range(repeat):
        t = time.perf_counter()
        run_query(data, sql)
        process.append(time.perf_counter() - t)
    con = connect(data)
    held = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.sql(sql).fetchall()
        held.append(time.perf_counter() - t)
    con.close()
    return statistics.median(process), statistics.median(held)


def hostile_run(data: Path, sql: str, timeout: float, max_memory_mb: int) -> dict:
    """Outcome, wall seconds and peak RSS (MB) of one hostile query in its own wrapper."""
    request = json.dumps({"data": str(data), "sql": sql, "timeout": timeout, "max_memory_mb": max_memory_mb})
    r = subprocess.run([sys.executable, "-c", WRAPPER], input=request, capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(r.stdout)


def main() -> None:
    from pipeline.query import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--max-memory", type=int, default=DEFAULT_MAX_MEMORY_MB)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "parsed"
        ingest_samples(data)
        process, held = small_query_seconds(data, args.repeat)
        print(f"small query: {process:.2f} s through a query process, {held * 1000:.1f} ms on a held connection (median of {args.repeat})")
        print(f"hostile queries (timeout {args.timeout:g} s, max memory {args.max_memory} MB):")
        for name, sql in HOSTILE.items():
            r = hostile_run(data, sql, args.timeout, args.max_memory)
            print(f"  {name:<52} {r['seconds']:6.1f} s  peak {r['peak_rss_mb']:6.0f} MB  {r['outcome']}")


if __name__ == "__main__":
    main()
