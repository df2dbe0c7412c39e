"""Batch ingestion: many files in, the Parquet dataset out.

Each document is parsed on its own (in worker processes when ``workers`` >
1); a failure is recorded for that document and the batch goes on.  A
document whose bytes are already committed with the same pipeline version is
skipped unless ``force``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .parse import Parsed, file_digest, parse_document
from .store import committed, remove_orphans, remove_tmp, write_document

SUFFIXES = {".pdf", ".txt", ".text", ".md"}


class UsageError(Exception):
    pass


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to ingest from files, folders (recursive) and globs; plus missing paths."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if any(ch in str(raw) for ch in "*?[") and not p.exists():
            hits = sorted(Path().glob(str(raw))) if not p.is_absolute() else sorted(Path(p.anchor).glob(str(p.relative_to(p.anchor))))
            if not hits:
                missing.append((p, "no file matches this pattern"))
            files += [h for h in hits if h.is_file()]
        elif p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."))
        elif p.exists():
            files.append(p)
        else:
            missing.append((p, "file not found"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique, missing


@dataclass
class Summary:
    parsed: int = 0
    skipped: int = 0
    ok: int = 0
    partial: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def _work(path: str, model: str | None, password: str | None) -> Parsed:
    parsed = parse_document(path, model=model, password=password)
    parsed.lines, parsed.cleaned, parsed.segments = [], None, None  # do not ship these back
    return parsed


def ingest(
    paths: list[str | Path],
    out: Path,
    *,
    workers: int | None = None,
    force: bool = False,
    model: str | None = None,
    password: str | None = None,
    on_done: Callable[[Path, Parsed | None, str], None] | None = None,
) -> Summary:
    files, missing = expand(paths)
    summary = Summary()
    for p, why in missing:
        summary.failed.append((str(p), why))
        if on_done:
            on_done(p, None, f"failed: {why}")
    out.mkdir(parents=True, exist_ok=True)
    remove_tmp(out)
    remove_orphans(out)
    done = committed(out)
    todo: list[Path] = []
    for f in files:
        try:
            digest = file_digest(f)
        except OSError as exc:
            summary.failed.append((str(f), f"cannot read file: {exc.strerror or exc}"))
            continue
        prev = done.get(digest)
        if prev and prev["pipeline_version"] == __version__ and not force and prev["status"] != "failed":
            summary.skipped += 1
            if on_done:
                on_done(f, None, "skipped (already ingested)")
            continue
        todo.append(f)
    workers = max(1, workers or os.cpu_count() or 1)

    def finish(f: Path, parsed: Parsed) -> None:
        write_document(out, parsed.rows, parsed.doc_id)
        summary.parsed += 1
        status = parsed.status
        if status == "failed":
            summary.failed.append((str(f), parsed.rows["documents"][0]["error"]))
        elif status == "partial":
            summary.partial += 1
        else:
            summary.ok += 1
        for t, rows in parsed.rows.items():
            summary.rows[t] = summary.rows.get(t, 0) + len(rows)
        if on_done:
            on_done(f, parsed, status)

    if workers == 1 or len(todo) <= 1:
        for f in todo:
            finish(f, parse_document(f, model=model, password=password))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = {pool.submit(_work, str(f), model, password): f for f in todo}
            for fut in as_completed(futs):
                f = futs[fut]
                try:
                    parsed = fut.result()
                except Exception as exc:  # the worker died
                    from .parse import _failed
                    import time

                    parsed = _failed(f, file_digest(f), f"worker crashed: {type(exc).__name__}: {exc}", time.perf_counter())
                finish(f, parsed)
    return summary
