#!/usr/bin/env python3
"""Mutation campaign: hundreds of damaged sample PDFs and texts through ``referat ingest``.

Prints counts; asserts nothing.  The variants come from tests/mutations.py
(deterministic for a seed); the undamaged samples are ingested first and are
the oracle.  For every variant exactly one ``documents`` row must exist, and
a variant whose tables differ from its undamaged document's must not be
``ok``.  Figures of a run are kept in docs/reliability.md.

    .venv/bin/python benchmarks/mutation_campaign.py [--count 620] [--seed N] [--chunk 100]
        [--workers 2] [--timeout 20] [--max-memory 1500] [--workdir DIR]

Each chunk of variants is one ``referat ingest`` process under an outer
wall-clock limit; a run that outlives it is a hang (its process group is
killed), a run that exits with a code other than 0 or 1 or prints a Python
traceback is a crash.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_PY = REPO / ".venv" / "bin" / "python"
PY = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
sys.path.insert(0, str(REPO / "tests"))

import mutations  # noqa: E402  (tests/mutations.py: the generator and the oracle)

SOURCES = sorted((REPO / "data" / "raw").glob("*.*"))
CATEGORIES = ("ok-equal", "ok-changed", "partial", "failed", "missing", "duplicated")


def run_ingest(inputs: Path, out: Path, args, limit: float) -> dict:
    """One ``referat ingest`` process over ``inputs``; wall time, exit code, crash/hang verdicts."""
    cmd = [PY, "-m", "pipeline", "ingest", str(inputs), "--out", str(out), "--workers", str(args.workers),
           "--timeout", str(args.timeout), "--max-memory", str(args.max_memory), "--model", "blank", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    hang = False
    try:
        stdout, stderr = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        hang = True
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    text = (stdout + stderr).decode("utf-8", "replace")
    return {"wall": time.perf_counter() - t0, "rc": proc.returncode, "hang": hang,
            "crash": not hang and (proc.returncode not in (0, 1) or "Traceback (most recent call last)" in text),
            "output": text[-2000:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=620)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--chunk", type=int, default=100, help="variants per ingest run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--max-memory", type=int, default=1500)
    ap.add_argument("--kinds", help="comma-separated damage kinds (default: all)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="referat-mutations-"))
    shutil.rmtree(work / "out", ignore_errors=True)
    shutil.rmtree(work / "inputs", ignore_errors=True)
    started = time.perf_counter()

    t0 = time.perf_counter()
    variants = mutations.variants(SOURCES, args.count, seed=args.seed, kinds=args.kinds.split(",") if args.kinds else None)
    print(f"{len(variants)} variants of {len(SOURCES)} samples (seed {args.seed}) made in {time.perf_counter() - t0:.0f} s; "
          f"workdir {work}")
    print(f"referat ingest --workers {args.workers} --timeout {args.timeout:g} --max-memory {args.max_memory} --model blank")
    refs = work / "inputs" / "reference"
    refs.mkdir(parents=True)
    for src in SOURCES:
        shutil.copyfile(src, refs / src.name)
    runs = [run_ingest(refs, work / "out", args, limit=600)]
    chunks = [variants[i:i + args.chunk] for i in range(0, len(variants), args.chunk)]
    for n, chunk in enumerate(chunks):
        folder = work / "inputs" / f"chunk{n:02d}"
        folder.mkdir()
        for v in chunk:
            (folder / v.name).write_bytes(v.data)
        limit = args.timeout * (len(chunk) / args.workers + 2) + 120
        run = run_ingest(folder, work / "out", args, limit)
        runs.append(run)
        print(f"  chunk {n + 1}/{len(chunks)}: {len(chunk)} files, {run['wall']:.0f} s, exit code {run['rc']}"
              + (" HANG" if run["hang"] else "") + (" CRASH" if run["crash"] else ""), flush=True)

    by_doc = mutations.dataset_by_doc(work / "out")
    originals = {src: src.read_bytes() for src in SOURCES}
    ref_status = {src.name: by_doc.get(mutations.digest(d), {}).get("documents", [{}])[0].get("status") for src, d in originals.items()}
    per_kind: dict[str, Counter] = defaultdict(Counter)
    notes: dict[str, list[str]] = defaultdict(list)
    durations = []
    for v in variants:
        category, detail = mutations.classify(by_doc, v.data, originals[v.source])
        per_kind[v.kind][category] += 1
        docs = by_doc.get(mutations.digest(v.data), {}).get("documents", [])
        if docs and docs[0].get("duration_s") is not None:
            durations.append(docs[0]["duration_s"])
        if category in ("ok-changed", "missing", "duplicated"):
            notes[category].append(f"{v.name}: {detail}")
        if category == "failed" and ("internal error" in detail or "worker error" in detail):
            notes["internal errors"].append(f"{v.name}: {detail[:200]}")
        if category == "failed" and "timed out" in detail:
            notes["timed out (failed, within the limit)"].append(v.name)
    total = Counter()
    for c in per_kind.values():
        total.update(c)
    crashes = sum(r["crash"] for r in runs)
    hangs = sum(r["hang"] for r in runs)

    print(f"\nreferences: {ref_status}")
    print(f"\n{'kind':16}" + "".join(f"{c:>12}" for c in CATEGORIES))
    for kind in sorted(per_kind):
        print(f"{kind:16}" + "".join(f"{per_kind[kind][c]:>12}" for c in CATEGORIES))
    print(f"{'total':16}" + "".join(f"{total[c]:>12}" for c in CATEGORIES))
    print(f"\nvariants {len(variants)}; ok-equal {total['ok-equal']}, ok-changed {total['ok-changed']}, partial {total['partial']}, "
          f"failed {total['failed']}; crashes {crashes}, hangs {hangs}; inputs without exactly one documents row "
          f"{total['missing'] + total['duplicated']}")
    if durations:
        durations.sort()
        print(f"parse time per variant: median {durations[len(durations) // 2]:.2f} s, max {durations[-1]:.1f} s")
    for title, lines in notes.items():
        print(f"\n{title} ({len(lines)}):")
        for ln in lines[:40]:
            print(f"  {ln}")
    for r in runs:
        if r["crash"] or r["hang"]:
            print(f"\nrun output (exit code {r['rc']}):\n{r['output']}")
    print(f"\ncampaign took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
