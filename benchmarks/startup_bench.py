#!/usr/bin/env python3
"""Start-up benchmark: how long the CLI and the package take before they do any work.

Prints figures; it is not a test.  Each command runs in a fresh process,
``--repeat`` times (default 5), and the median and the fastest wall time are
printed:

- ``referat --help``;
- ``referat show`` of a one-page text (data/raw/styregruppe_klynge_syd_2022-05-06.txt),
  which parses in a guarded child process: the child's start-up counts;
- ``import pipeline``;
- the same text parsed in one process (``parse_document``): imports, the NLP
  backend and the parse, without the CLI and without the child;
- ``referat show`` once more with an empty cache folder (``REFERAT_CACHE_DIR``):
  the first run on a machine, which builds the on-disk lemma index.

    .venv/bin/python benchmarks/startup_bench.py [--repeat N] [--file PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXT = REPO / "data" / "raw" / "styregruppe_klynge_syd_2022-05-06.txt"


def referat() -> list[str]:
    """The console script next to this interpreter, else ``python -m pipeline``."""
    script = Path(sys.executable).with_name("referat")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


def wall(cmd: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    r = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--file", type=Path, default=TEXT, help="the document `referat show` parses")
    args = ap.parse_args()
    doc = str(args.file)
    runs = {
        "referat --help": referat() + ["--help"],
        f"referat show {args.file.name}": referat() + ["show", doc],
        "python -c 'import pipeline'": [sys.executable, "-c", "import pipeline"],
        "parse_document in one process": [sys.executable, "-c", f"from pipeline.parse import parse_document; parse_document({doc!r})"],
    }
    for cmd in runs.values():  # warm the file cache and build what is built once per machine
        wall(cmd)
    print(f"{'command':<52} {'median s':>9} {'fastest s':>9}   ({args.repeat} runs each, load average {os.getloadavg()[0]:.2f})")
    for name, cmd in runs.items():
        times = [wall(cmd) for _ in range(args.repeat)]
        print(f"{name:<52} {statistics.median(times):>9.2f} {min(times):>9.2f}")
    with tempfile.TemporaryDirectory() as cache:
        seconds = wall(runs[f"referat show {args.file.name}"], env={**os.environ, "REFERAT_CACHE_DIR": cache})
    print(f"{'show, first run (empty REFERAT_CACHE_DIR)':<52} {seconds:>9.2f}")


if __name__ == "__main__":
    main()
