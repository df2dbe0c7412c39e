"""Batch ingestion: many files in, the Parquet dataset out.

- Every file is read in a guarded child process (``guard``) with a time limit
  and a memory cap, first to hash it (its ``doc_id``), then to parse it; a
  timeout, a crash, an exception or a file that is no regular file fails
  that document only, with a ``documents`` row that says why.  The
  supervisor itself never reads a document, so no input can make it wait.
- The parent process is the only writer (``store``): finished documents are
  written in batches (``batch`` documents or ``batch_seconds`` of work,
  whichever comes first), commit marker last; a run killed at any moment is
  repaired by the next (``store.recover``) and yields the same dataset as an
  uninterrupted run.  Ctrl-C stops the run after writing what is finished.
- One content, one id: a ``doc_id`` is written at most once.  A file whose
  bytes changed between its hashing and its parse is written under the id
  of the bytes that were parsed, or only named as a source of that content
  when the dataset already holds it.
- Incremental: a document whose bytes are committed with the same pipeline
  version is skipped (its new file names are added to ``sources``);
  ``force`` or a newer version re-parses and replaces it.
- ``engine="dask"`` answers the same requests on a Dask cluster.
"""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .defaults import DEFAULT_BATCH
from .faults import point
from .guard import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Outcome, Request, file_kind, open_pool, path_id
from .parse import Parsed, failed_document
from .store import MANIFEST, add_sources, committed, recover, retract, write_batch, write_manifest

SUFFIXES = {".pdf", ".txt", ".text", ".md"}
#: the longest a finished document waits to be written (DEFAULT_BATCH: documents per written batch)
BATCH_SECONDS = 10.0
ENGINES = ("local", "dask")
FOLDER = "a folder"


# --- what to read -------------------------------------------------------------------


@dataclass
class Listing:
    """The files named by the arguments, and what was left out and why."""

    files: list[Path] = field(default_factory=list)
    missing: list[tuple[Path, str]] = field(default_factory=list)  # arguments that name nothing
    ignored: list[tuple[Path, str]] = field(default_factory=list)  # folder entries that are no regular file


def skip_reason(path: Path) -> str | None:
    """Why a folder entry or glob hit is no document to read (None: a regular file); never blocks."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken link (its target does not exist)" if path.is_symlink() else "vanished while the folder was read"
    except OSError as exc:
        return f"cannot be looked at: {(exc.strerror or type(exc).__name__).lower()}"
    if stat.S_ISREG(mode):
        return None
    return FOLDER if stat.S_ISDIR(mode) else f"{file_kind(mode)}, not a regular file"


def walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Documents under ``folder`` (recursive, by suffix, hidden names left out), and entries skipped with why.

    Links to files are followed, links to folders are not (as before: a link
    may lead anywhere, or in a circle) and are named; an entry with a
    document suffix that is no regular file (a FIFO, a socket, a device, a
    broken link) and a folder that cannot be read are reported too.
    """
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((here, f"folder cannot be read: {(exc.strerror or type(exc).__name__).lower()}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if entry.is_symlink() and os.path.isdir(path):
                skipped.append((path, "a link to a folder (not followed)"))
                continue
            if path.suffix.lower() not in SUFFIXES or entry.name.startswith("."):
                continue
            why = skip_reason(path)
            if why:
                skipped.append((path, why))
            else:
                files.append(path)
    return sorted(files), sorted(skipped)


def _glob(raw: str) -> list[Path]:
    """Paths matching a glob pattern (relative or absolute)."""
    p = Path(raw)
    if p.is_absolute():
        return sorted(Path(p.anchor).glob(str(p.relative_to(p.anchor))))
    return sorted(Path().glob(raw))


def expand(paths: Iterable[str | Path]) -> Listing:
    """Files to ingest from files, folders (recursive) and globs; plus what matched nothing and what was skipped.

    A file named as an argument is always listed (if it is no regular file,
    reading it fails with a documents row that says so); folder walks and
    glob patterns list regular files only and report what they skip.
    """
    listing = Listing()
    for raw in paths:
        p = Path(raw)
        if any(ch in str(raw) for ch in "*?[") and not p.exists():
            hits = _glob(str(raw))
            if not hits:
                listing.missing.append((p, "no file matches this pattern"))
            for hit in hits:
                why = skip_reason(hit)
                if why is None:
                    listing.files.append(hit)
                elif why != FOLDER:  # a pattern may match folders: not worth a word
                    listing.ignored.append((hit, why))
        elif p.is_dir():
            found, skipped = walk(p)
            listing.files += found
            listing.ignored += skipped
        elif p.exists():
            listing.files.append(p)
        elif p.is_symlink():
            listing.missing.append((p, "a broken link (its target does not exist)"))
        else:
            listing.missing.append((p, "file not found"))
    seen: set[Path] = set()
    unique = []
    for f in listing.files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    listing.files = unique
    return listing


# --- options and results --------------------------------------------------------------


@dataclass
class Options:
    """How to ingest: parallelism, limits, engine, parse options."""

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


@dataclass(frozen=True)
class Event:
    """What happened to one input, reported while the run goes on.

    ``kind``: ``parsed`` (``status`` ok or partial), ``failed`` (a documents
    row says why, ``reason``), ``skipped`` (its bytes are already in the
    dataset), ``same`` (the same bytes as another input of this run),
    ``missing`` (an argument that names no file; no row), ``ignored`` (a
    folder entry that is no regular file; no row).
    """

    path: Path
    kind: str
    reason: str | None = None
    status: str | None = None
    pages: int = 0


@dataclass
class Summary:
    """What a run did: counts, failures (path, why), skipped folder entries, rows written."""

    parsed: int = 0
    skipped: int = 0
    ok: int = 0
    partial: int = 0
    pages: int = 0
    committed: int = 0  # documents written by this run
    interrupted: bool = False  # stopped by Ctrl-C; what was committed stays
    failed: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    recovered: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


OnEvent = Callable[[Event], None]


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """Ctrl-C during the block takes effect when it ends (a batch is written whole)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)


# --- the run -----------------------------------------------------------------------------


class _Run:
    """One ingest run's state: what is committed, what is pending, what was written."""

    def __init__(self, out: Path, opts: Options, on_event: OnEvent | None):
        self.out, self.opts, self.on_event = out, opts, on_event
        self.summary = Summary()
        self.done: dict[str, dict] = {}  # committed documents rows when the run started
        self.retracted: set[str] = set()
        self.written: set[str] = set()  # doc_ids written (or pending) in this run
        self.sources: dict[str, list[str]] = {}
        self.pending: list[dict[str, list[dict]]] = []
        self.pending_docs: dict[str, dict] = {}
        self.pending_since = 0.0
        self.changed = False  # whether the manifest must be rewritten

    def tell(self, event: Event) -> None:
        if self.on_event:
            self.on_event(event)

    def current(self, row: dict) -> bool:
        """Whether a committed documents row stands as it is (same version, not failed, no --force)."""
        return row["pipeline_version"] == __version__ and row["status"] != "failed" and not self.opts.force

    def kept(self, doc_id: str) -> bool:
        return doc_id in self.done and doc_id not in self.retracted and self.current(self.done[doc_id])

    def retract(self, doc_ids: set[str]) -> None:
        doc_ids = {d for d in doc_ids if d in self.done and d not in self.retracted}
        if doc_ids:
            retract(self.out, doc_ids)
            self.retracted |= doc_ids
            self.changed = True

    def add_source(self, doc_id: str, path: Path) -> None:
        """Name ``path`` as one more source of a document already written or pending."""
        if doc_id in self.pending_docs:
            row = self.pending_docs[doc_id]
            if str(path) not in row["sources"]:
                row["sources"] = [*row["sources"], str(path)]
            return
        known = self.done.get(doc_id, {}).get("sources") or []
        if str(path) not in known:
            self.changed |= add_sources(self.out, doc_id, [str(path)])

    def flush(self) -> None:
        """Write the pending documents as one batch (Ctrl-C waits until it is written)."""
        if not self.pending:
            return
        batch = list(self.pending)
        with sigint_deferred():
            write_batch(self.out, batch)
            self.pending.clear()
            self.pending_docs.clear()
            self.summary.committed += len(batch)
            self.changed = True

    def deliver(self, path: Path, parsed: Parsed) -> None:
        """Queue one document's rows for writing; a doc_id the dataset already holds is never written twice."""
        point("ingest.delivered", str(path))
        doc_id = parsed.doc_id
        if doc_id in self.written or self.kept(doc_id):  # the file changed to bytes that are already there
            self.add_source(doc_id, path)
            self.summary.skipped += 1
            self.tell(Event(path, "skipped", "its bytes changed to those of a document already in the dataset"))
            return
        self.retract({doc_id})  # an outdated or failed row of the same bytes
        self.written.add(doc_id)
        doc = parsed.rows["documents"][0]
        doc["sources"] = list(dict.fromkeys([*self.sources.get(doc_id, []), str(path)]))
        if not self.pending:
            self.pending_since = time.perf_counter()
        self.pending.append(parsed.rows)
        self.pending_docs[doc_id] = doc
        self.count(path, parsed)
        if len(self.pending) >= max(self.opts.batch, 1) or time.perf_counter() - self.pending_since >= self.opts.batch_seconds:
            self.flush()

    def count(self, path: Path, parsed: Parsed) -> None:
        """Add a delivered document to the summary and tell the caller."""
        s = self.summary
        doc = parsed.rows["documents"][0]
        s.parsed += 1
        s.pages += doc.get("pages") or 0
        for t, rows in parsed.rows.items():
            s.rows[t] = s.rows.get(t, 0) + len(rows)
        if parsed.status == "failed":
            s.failed.append((str(path), doc["error"]))
            self.tell(Event(path, "failed", doc["error"]))
            return
        if parsed.status == "partial":
            s.partial += 1
        else:
            s.ok += 1
        self.tell(Event(path, "parsed", status=parsed.status, pages=doc.get("pages") or 0))

    def fail(self, path: Path, doc_id: str, outcome: Outcome) -> None:
        """Deliver the failed record of a request that got no answer."""
        self.deliver(path, failed_document(path, doc_id, outcome.error, time.perf_counter() - outcome.seconds))

    def plan(self, digests: dict[Path, str]) -> tuple[list[tuple[Path, str]], set[str]]:
        """(file, digest) to parse, and the committed doc_ids they replace; what is current is skipped."""
        by_digest: dict[str, list[Path]] = {}
        for f, digest in digests.items():
            by_digest.setdefault(digest, []).append(f)
        todo: list[tuple[Path, str]] = []
        stale: set[str] = set()
        for digest, names in by_digest.items():
            prev = self.done.get(digest)
            if prev and self.current(prev):
                new_names = [str(n) for n in names if str(n) not in (prev["sources"] or [])]
                if new_names:  # only then is a documents file rewritten
                    self.changed |= add_sources(self.out, digest, new_names)
                self.summary.skipped += len(names)
                for n in names:
                    self.tell(Event(n, "skipped", "already ingested"))
                continue
            if prev:
                stale.add(digest)
            known = list(prev["sources"] or []) if prev else []
            self.sources[digest] = known + [str(n) for n in names if str(n) not in known]
            todo.append((names[0], digest))
            for n in names[1:]:
                self.tell(Event(n, "same", f"the same bytes as {names[0]}"))
        return todo, stale

    def run(self, files: list[Path]) -> None:
        """Hash every file, then parse what is new, in guarded children."""
        opts = self.opts
        size = max(1, min(opts.workers or os.cpu_count() or 1, len(files)))
        with open_pool(opts.engine, size, opts.model, opts.max_memory_mb, opts.timeout, opts.scheduler) as pool:
            digests: dict[Path, str] = {}
            unreadable: list[tuple[Path, Outcome]] = []

            def hashed(outcome: Outcome) -> None:
                path = Path(outcome.request.path)
                if outcome.error:
                    unreadable.append((path, outcome))
                else:
                    digests[path] = outcome.value

            pool.run([Request("digest", str(f)) for f in files], hashed)
            point("ingest.listed")
            todo, stale = self.plan({f: digests[f] for f in files if f in digests})
            self.retract(stale | {path_id(p) for p, _ in unreadable})
            point("ingest.after_retract")
            for path, outcome in unreadable:
                self.fail(path, path_id(path), outcome)
            expected = {str(f): digest for f, digest in todo}

            def parsed(outcome: Outcome) -> None:
                path = Path(outcome.request.path)
                if outcome.error:
                    self.fail(path, expected[outcome.request.path], outcome)
                else:
                    self.deliver(path, outcome.value)

            pool.run([Request("parse", str(f), opts.password, opts.ocr) for f, _ in todo], parsed)


def ingest(paths: Iterable[str | Path], out: Path, opts: Options | None = None, on_event: OnEvent | None = None, listing: Listing | None = None) -> Summary:
    """Parse the files named by ``paths`` into the dataset at ``out``; a Summary of what happened.

    ``listing``: the result of ``expand(paths)`` when the caller has it.
    Ctrl-C (KeyboardInterrupt) ends the run after writing the finished
    documents: the Summary says ``interrupted``.
    """
    opts = opts or Options()
    if opts.engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {opts.engine!r}")
    started = time.perf_counter()
    run = _Run(out, opts, on_event)
    summary = run.summary
    listing = listing or expand(paths)
    for p, why in listing.missing:
        summary.failed.append((str(p), why))
        run.tell(Event(p, "missing", why))
    for p, why in listing.ignored:
        summary.ignored.append((str(p), why))
        run.tell(Event(p, "ignored", why))
    summary.recovered = {k: v for k, v in recover(out).items() if v}
    run.done = committed(out)
    try:
        if listing.files:
            run.run(listing.files)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        run.flush()  # documents finished before an interruption (Ctrl-C, an engine error) are kept
    if run.changed or not (out / MANIFEST).exists():
        write_manifest(out)  # a run that changed nothing leaves the manifest as it is
    summary.seconds = time.perf_counter() - started
    return summary
