"""Batch ingestion: many files in, the Parquet dataset out.

- Every document is parsed in a worker process with a time limit and a
  memory cap; a timeout, a crash or an exception fails that document only.
- The parent process is the only writer (``store``): finished documents are
  written in batches (``batch`` documents or ``batch_seconds`` of work,
  whichever comes first), commit marker last; a run killed at any moment is
  repaired by the next (``store.recover``) and yields the same dataset as an
  uninterrupted run.
- Incremental: a document whose bytes are committed with the same pipeline
  version is skipped (its new file names are added to ``sources``);
  ``force`` or a newer version re-parses and replaces it.
- ``engine="dask"`` runs the same per-document function on a Dask cluster.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .parse import Parsed, failed_document, file_digest, parse_document
from .store import MANIFEST, add_sources, committed, recover, retract, write_batch, write_manifest

SUFFIXES = {".pdf", ".txt", ".text", ".md"}
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY_MB = 4096
#: documents per written batch, and the longest a finished document waits to be written
DEFAULT_BATCH = 32
BATCH_SECONDS = 10.0
#: how often the supervisor looks at its workers (seconds)
POLL = 0.2


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to ingest from files, folders (recursive) and globs; plus what matched nothing."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if any(ch in str(raw) for ch in "*?[") and not p.exists():
            anchor = Path(p.anchor) if p.is_absolute() else Path()
            pattern = str(p.relative_to(p.anchor)) if p.is_absolute() else str(raw)
            hits = sorted(h for h in anchor.glob(pattern) if h.is_file())
            if not hits:
                missing.append((p, "no file matches this pattern"))
            files += hits
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
class Options:
    workers: int = 0  # 0 = all cores
    force: bool = False
    model: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    engine: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None = a local cluster
    ocr: bool = False  # read image-only pages with tesseract
    batch: int = DEFAULT_BATCH  # documents per written batch
    batch_seconds: float = BATCH_SECONDS  # a batch is written when a document finishes this long after its first


@dataclass
class Summary:
    parsed: int = 0
    skipped: int = 0
    ok: int = 0
    partial: int = 0
    pages: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    recovered: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


OnDone = Callable[[Path, "Parsed | None", str], None]


# --- the worker side --------------------------------------------------------------


def _limit_memory(max_mb: int) -> None:
    if max_mb and max_mb > 0:
        import resource

        cap = max_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def parse_for_transfer(path: str, model: str | None, password: str | None, ocr: bool = False) -> Parsed:
    """The per-document function every engine runs: parse, drop what is not written."""
    try:
        parsed = parse_document(path, model=model, password=password, ocr=ocr)
    except MemoryError:
        parsed = failed_document(Path(path), _digest_or_name(path), "memory limit exceeded", time.perf_counter())
    return parsed.for_transfer()


def _digest_or_name(path: str) -> str:
    try:
        return file_digest(Path(path))
    except OSError:
        import hashlib

        return hashlib.sha256(path.encode()).hexdigest()


#: a worker that has not started its task this long after getting it is failed
STARTUP_TIMEOUT = 300.0


def serve_one(path: str, model: str | None, password: str | None, ocr: bool) -> Parsed:
    """A worker's answer for one task: the parse, or a failed record for anything it raised."""
    try:
        return parse_for_transfer(path, model, password, ocr)
    except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
        return failed_document(Path(path), _digest_or_name(path), f"worker error: {type(exc).__name__}: {exc}", time.perf_counter())


def died_message(exit_code: int | None, max_memory_mb: int, what: str = "worker process died") -> str:
    hint = f"; the --max-memory cap of {max_memory_mb} MB may be too small" if max_memory_mb else ""
    return f"{what} (exit code {exit_code}{hint})"


def _worker(inbox, outbox, model, password, max_mb, ocr=False, parent: int | None = None) -> None:  # pragma: no cover - runs in a child
    """Serve parse tasks until told to stop.

    The NLP backend is loaded before the first task (and outside its time
    limit); ("start", tid) tells the supervisor when a task's clock starts.
    """
    _limit_memory(max_mb)
    broken = None
    try:
        from .nlp import load_backend

        load_backend(model)
    except MemoryError:
        broken = "memory limit exceeded while the worker started (raise --max-memory)"
    except Exception as exc:  # noqa: BLE001
        broken = f"worker could not start: {type(exc).__name__}: {exc}"
    parent = parent or os.getppid()
    while True:
        try:
            task = inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # the supervisor is gone (killed): do not linger
                os._exit(0)  # not a normal exit, which would wait to flush results nobody reads
            continue
        if task is None:
            return
        tid, path = task
        outbox.put(("start", tid, None))
        if broken:
            result = failed_document(Path(path), _digest_or_name(path), broken, time.perf_counter())
        else:
            result = serve_one(path, model, password, ocr)
        outbox.put(("done", tid, result))


class _Slot:
    def __init__(self, ctx, outbox, opts: Options):
        self.ctx, self.outbox, self.opts = ctx, outbox, opts
        self.inbox = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(self.inbox, outbox, opts.model, opts.password, opts.max_memory_mb, opts.ocr, os.getpid()), daemon=True)
        self.proc.start()
        self.task: tuple[int, Path] | None = None
        self.given = 0.0
        self.started: float | None = None  # when the worker began the task

    def give(self, tid: int, path: Path) -> None:
        self.task = (tid, path)
        self.given = time.perf_counter()
        self.started = None
        self.inbox.put((tid, str(path)))

    def overdue(self, now: float, timeout: float) -> str | None:
        if self.started is not None and now - self.started > timeout:
            return f"timed out after {timeout:g} s"
        if self.started is None and now - self.given > STARTUP_TIMEOUT:
            return f"worker did not start within {STARTUP_TIMEOUT:g} s"
        if not self.proc.is_alive():
            return died_message(self.proc.exitcode, self.opts.max_memory_mb)
        return None

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)


def run_local(paths: list[Path], opts: Options, deliver: Callable[[Path, Parsed], None]) -> None:
    """Parse ``paths`` on a supervised pool of worker processes."""
    ctx = mp.get_context("spawn")
    outbox = ctx.Queue()
    n = max(1, min(opts.workers or os.cpu_count() or 1, len(paths)))
    slots = [_Slot(ctx, outbox, opts) for _ in range(n)]
    pending = list(enumerate(paths))[::-1]
    by_tid = dict(enumerate(paths))
    done: set[int] = set()
    try:
        while len(done) < len(paths):
            for slot in slots:
                if slot.task is None and pending:
                    slot.give(*pending.pop())
            try:
                kind, tid, parsed = outbox.get(timeout=POLL)
            except queue.Empty:
                kind = None
            if kind == "start":
                for slot in slots:
                    if slot.task and slot.task[0] == tid:
                        slot.started = time.perf_counter()
            elif kind == "done" and tid not in done:
                done.add(tid)
                for slot in slots:
                    if slot.task and slot.task[0] == tid:
                        slot.task = None
                deliver(by_tid[tid], parsed)
            now = time.perf_counter()
            for i, slot in enumerate(slots):
                if slot.task is None or slot.task[0] in done:
                    continue
                why = slot.overdue(now, opts.timeout)
                if why:
                    tid, path = slot.task
                    slot.stop()
                    done.add(tid)
                    deliver(path, failed_document(path, _digest_or_name(str(path)), why, slot.started or slot.given))
                    slots[i] = _Slot(ctx, outbox, opts)
    finally:
        for slot in slots:
            try:
                slot.inbox.put(None)
            except Exception:
                pass
        for slot in slots:
            slot.proc.join(timeout=2)
            slot.stop()


def run_dask(paths: list[Path], opts: Options, deliver: Callable[[Path, Parsed], None]) -> None:
    """The same per-document function on a Dask cluster (``opts.scheduler`` or a local one).

    Each task runs in a guard child of its Dask worker (``guard.parse_guarded``),
    so the time limit and the memory cap hold there as they do locally.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("the dask engine needs 'dask[distributed]': pip install 'referat[dask]'") from None
    from .guard import parse_guarded

    cluster = None
    if opts.scheduler:
        client = Client(opts.scheduler)
    else:
        cluster = LocalCluster(n_workers=opts.workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {
            client.submit(parse_guarded, str(p), opts.model, opts.password, opts.ocr, opts.timeout, opts.max_memory_mb, pure=False): p for p in paths
        }
        for fut in as_completed(futures):
            path = futures[fut]
            try:
                parsed = fut.result()
            except Exception as exc:  # a worker lost, a pickling error …
                parsed = failed_document(path, _digest_or_name(str(path)), f"dask task failed: {type(exc).__name__}: {exc}", time.perf_counter())
            deliver(path, parsed)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- the orchestration ---------------------------------------------------------------


def ingest(paths: list[str | Path], out: Path, opts: Options | None = None, on_done: OnDone | None = None) -> Summary:
    opts = opts or Options()
    started = time.perf_counter()
    summary = Summary()
    files, missing = expand(paths)
    for p, why in missing:
        summary.failed.append((str(p), why))
        if on_done:
            on_done(p, None, f"failed: {why}")
    summary.recovered = {k: v for k, v in recover(out).items() if v}
    done = committed(out)
    # the same bytes under several names are one document
    by_digest: dict[str, list[Path]] = {}
    for f in files:
        try:
            by_digest.setdefault(file_digest(f), []).append(f)
        except OSError as exc:
            summary.failed.append((str(f), f"cannot read file: {exc.strerror or exc}"))
            if on_done:
                on_done(f, None, f"failed: cannot read file: {exc.strerror or exc}")
    todo: list[Path] = []
    sources: dict[str, list[str]] = {}
    retracting: set[str] = set()
    sources_added = False
    for digest, names in by_digest.items():
        prev = done.get(digest)
        if prev and prev["pipeline_version"] == __version__ and not opts.force and prev["status"] != "failed":
            new_names = [str(n) for n in names if str(n) not in (prev["sources"] or [])]
            if new_names:  # only then is a documents file rewritten
                sources_added |= add_sources(out, digest, new_names)
            summary.skipped += len(names)
            for n in names:
                if on_done:
                    on_done(n, None, "skipped (already ingested)")
            continue
        if prev:
            retracting.add(digest)
        known = list(prev["sources"] or []) if prev else []
        sources[digest] = known + [str(n) for n in names if str(n) not in known]
        todo.append(names[0])
    retract(out, retracting)

    pending: list[dict[str, list[dict]]] = []
    pending_since = [0.0]

    def flush() -> None:
        write_batch(out, pending)
        pending.clear()

    def deliver(path: Path, parsed: Parsed) -> None:
        doc = parsed.rows["documents"][0]
        doc["sources"] = sources.get(parsed.doc_id, doc["sources"])
        if not pending:
            pending_since[0] = time.perf_counter()
        pending.append(parsed.rows)
        if len(pending) >= max(opts.batch, 1) or time.perf_counter() - pending_since[0] >= opts.batch_seconds:
            flush()
        summary.parsed += 1
        summary.pages += doc.get("pages") or 0
        if parsed.status == "failed":
            summary.failed.append((str(path), doc["error"]))
        elif parsed.status == "partial":
            summary.partial += 1
        else:
            summary.ok += 1
        for t, rows in parsed.rows.items():
            summary.rows[t] = summary.rows.get(t, 0) + len(rows)
        if on_done:
            on_done(path, parsed, parsed.status)

    try:
        if todo and opts.engine == "dask":
            run_dask(todo, opts, deliver)
        elif todo and opts.engine == "inline":  # no isolation: for debugging and profiling only
            for f in todo:
                deliver(f, parse_for_transfer(str(f), opts.model, opts.password, opts.ocr))
        elif todo:
            run_local(todo, opts, deliver)
    finally:
        flush()  # documents finished before an interruption (Ctrl-C, an engine error) are kept
    if summary.parsed or retracting or sources_added or not (out / MANIFEST).exists():
        write_manifest(out)  # a run that changed nothing leaves the manifest as it is
    summary.seconds = time.perf_counter() - started
    return summary
