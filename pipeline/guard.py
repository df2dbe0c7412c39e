"""The one supervisor: every document is read in a guarded child process.

A *guarded child* (:class:`Guard`) is a plain subprocess
(``python -c "from pipeline.guard import serve; serve()"``) that answers
:class:`Request` s one at a time: the digest of a file, the parse of a
document, an inspection report.  The supervisor gives each request a time
limit (``timeout`` seconds from the moment the child starts on it) and the
child an address-space cap (``max_memory_mb``); a child that is late is
killed, a child that dies (the cap, a crash) is noticed, and in both cases the
request's :class:`Outcome` says why, and the next request starts a new child.

Who uses it, all the same way:

- ``referat ingest`` (local engine): a :class:`Pool` of N children, watched
  with ``select`` (no polling interval);
- the Dask engine: each Dask worker thread keeps one child
  (:func:`run_guarded`); a Dask worker cannot be supervised like a local
  process (it may be daemonic, and killing it would lose the worker);
- ``referat show`` and ``referat inspect``: one child for one document
  (:func:`guarded`).

Only regular files are read: a FIFO, socket, device or folder is refused
before it is opened, and files are opened without blocking, so no input can
make a child (or the supervisor, which never reads a document) wait forever.
The bytes parsed are the bytes hashed: a parse is checked against the file's
digest afterwards and done again if the file changed meanwhile.

Children do not outlive their supervisor: on Linux the kernel kills a child
whose parent dies (``PR_SET_PDEATHSIG``), also in the middle of a document;
elsewhere a watchdog thread ends the child when the supervisor's end of a
lifeline pipe closes.  Children ignore Ctrl-C (SIGINT): stopping is the
supervisor's job.

Messages are pickled and length-prefixed on the child's stdin and on a
duplicate of its original stdout; anything a library prints goes to stderr
and cannot corrupt the stream.  Only the supervisor's own objects and this
package's answers are unpickled: the child is this package's code, not a
document.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import logging
import os
import pickle
import select
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .faults import point

DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY_MB = 4096
#: a child that has not started on its request this long after getting it is failed
#: (covers starting Python and loading the NLP backend, which the document's clock does not)
STARTUP_TIMEOUT = 300.0
#: how often a parse is tried when the file keeps changing under it
PARSE_ATTEMPTS = 3
OPS = ("digest", "parse", "inspect")

_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 20
_PR_SET_PDEATHSIG = 1
_CHILD_ENTRY = "from pipeline.guard import serve; serve()"


@dataclass(frozen=True)
class Request:
    """One piece of work for a guarded child.

    ``op``: ``digest`` (sha256 of the file, the document id), ``parse`` (a
    ``Parsed`` with only its rows) or ``inspect`` (a ``Parsed`` and the HTML
    report, a string).
    """

    op: str
    path: str
    password: str | None = None
    ocr: bool = False
    pages: tuple[int, ...] | None = None  # parse only these pages (``show --pages``)

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"unknown request {self.op!r}")


@dataclass(frozen=True)
class Outcome:
    """What became of a request: the child's answer (``value``) or why there is none (``error``)."""

    request: Request
    value: object = None
    error: str | None = None
    seconds: float = 0.0  # from the moment the child started on it (or was given it)


class Failed(Exception):
    """A request that cannot be answered; the message says why in plain words."""


class ChildGone(Exception):
    """The child exited or closed its end before answering."""


class Late(Exception):
    """No answer before the deadline."""


def path_id(path: str | Path) -> str:
    """The id of a document whose bytes could not be read: the sha256 of its path."""
    return hashlib.sha256(str(path).encode()).hexdigest()


def died_message(exit_code: int | None, max_memory_mb: int, what: str = "worker process died") -> str:
    """Why a request failed when its child died, with a hint at the memory cap."""
    hint = f"; the --max-memory cap of {max_memory_mb} MB may be too small" if max_memory_mb else ""
    return f"{what} (exit code {exit_code}{hint})"


# --- reading files: regular files only, never blocking -------------------------------

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in plain words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_error(exc: OSError) -> str:
    """An OSError from opening or reading a document as one short phrase."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    why = exc.strerror or type(exc).__name__
    return f"cannot read file: {why[:1].lower()}{why[1:]}"


def open_regular(path: str | Path) -> int:
    """A descriptor of ``path`` opened for reading, if it is a regular file; never blocks.

    A FIFO, socket, device or folder raises :class:`Failed` without being
    opened (opening a device can have effects; opening a FIFO waits for a
    writer); the type is checked again on the open descriptor, in case the
    name was replaced in between.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise Failed(f"not a regular file: {file_kind(mode)}")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Failed(read_error(exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Failed(f"not a regular file: {file_kind(mode)}")
    return fd


def digest_regular(path: str | Path) -> str:
    """The sha256 of a regular file's bytes (the document id); :class:`Failed` if it cannot be read."""
    fd = open_regular(path)
    h = hashlib.sha256()
    try:
        while chunk := os.read(fd, _CHUNK):
            h.update(chunk)
    except OSError as exc:
        raise Failed(read_error(exc)) from None
    finally:
        os.close(fd)
    return h.hexdigest()


# --- the child's side --------------------------------------------------------------


def parse_unchanged(path: str, model: str | None, password: str | None, ocr: bool, pages: tuple[int, ...] | None = None):
    """Parse ``path``; the result's ``doc_id`` is the digest of the very bytes that were parsed.

    The file is checked after the parse: if its digest is no longer the one
    the parse started from, the file changed while it was read and it is
    parsed again (up to ``PARSE_ATTEMPTS`` times, then :class:`Failed`).
    """
    from .parse import parse_document  # lazy: pdfplumber and spaCy, which a hashing-only child never loads

    for _ in range(PARSE_ATTEMPTS):
        os.close(open_regular(path))  # refuse a FIFO or device before the parser opens it
        point("guard.parse", path)
        parsed = parse_document(path, model=model, password=password, ocr=ocr, pages=pages)
        point("guard.parsed", path)
        if digest_regular(path) == parsed.doc_id:
            return parsed
    raise Failed(f"the file changed while it was read ({PARSE_ATTEMPTS} attempts)")


def rows_only(parsed):
    """A ``Parsed`` with only what is written (its rows): what crosses the pipe."""
    return parsed.for_transfer()


def answer(request: Request, model: str | None):
    """What a guarded child returns for ``request``; :class:`Failed` when the file cannot be read."""
    if request.op == "digest":
        return digest_regular(request.path)
    parsed = parse_unchanged(request.path, model, request.password, request.ocr, request.pages)
    if request.op == "parse":
        return rows_only(parsed)
    from .report.inspect import render_report  # lazy: only inspect needs it

    return rows_only(parsed), render_report(parsed, password=request.password)


def limit_memory(max_mb: int) -> None:
    """Cap this process's address space at ``max_mb`` MB (0: no cap)."""
    if max_mb and max_mb > 0:
        import resource  # lazy: POSIX only, and only children are capped

        cap = max_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def out_of_memory(exc: BaseException | None) -> bool:
    """The address-space cap shows up as MemoryError, ENOMEM, or a library that cannot be mapped,
    also behind another exception (an import that ran out of memory raises SystemError)."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
            return True
        if isinstance(exc, ImportError) and "failed to map segment" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class _Child:
    """A guarded child's state: the parser is loaded on the first request that needs it."""

    def __init__(self, model: str | None, max_mb: int):
        self.model, self.max_mb = model, max_mb
        self.loaded = False
        self.broken: str | None = None

    def load(self) -> None:
        """Import the parser, then cap the address space and build the NLP backend under the cap."""
        if self.loaded:
            return
        self.loaded = True
        # the cyclic collector would walk the objects of every import again and again
        # (about 60 ms of the start-up); load_backend freezes them once they are built
        gc.disable()
        capped = False
        try:
            from .spacy_import import spacy  # noqa: F401 - code is imported before the cap, which is meant for the work

            from . import parse  # noqa: F401 - likewise
            from .nlp import load_backend

            limit_memory(self.max_mb)
            capped = bool(self.max_mb and self.max_mb > 0)
            load_backend(self.model)
        except Exception as exc:  # noqa: BLE001 - every request of this child says why
            self.broken = f"worker could not start: {type(exc).__name__}: {exc}"
            if out_of_memory(exc):
                self.broken = "memory limit exceeded while the worker started (raise --max-memory)"
            elif capped:  # an extension that cannot allocate under the cap may raise anything (SystemError …)
                self.broken += f" (under the --max-memory cap of {self.max_mb} MB, which may be too small)"
        finally:
            gc.enable()

    def reply(self, request: Request) -> tuple:
        """The message that answers ``request``: ("done", value) or ("error", why)."""
        try:
            if self.broken:
                raise Failed(self.broken)
            return ("done", answer(request, self.model))
        except Failed as exc:
            return ("error", str(exc))
        except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
            if out_of_memory(exc):
                return ("error", "memory limit exceeded")
            from .load.messages import technical_detail  # lazy: the guard imports nothing heavy at module level

            return ("error", f"worker error (an error in referat): {technical_detail(exc, request.path)}")


def _die_with(parent: int, lifeline: int) -> None:
    """End this process when its supervisor ends, even in the middle of a document."""
    if sys.platform.startswith("linux"):
        import ctypes  # lazy: only children on Linux need it

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the supervisor died before the line above
        os._exit(0)

    def watch() -> None:
        while True:
            try:
                if not os.read(lifeline, 1):
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os._exit(0)  # not a normal exit, which would wait for the main thread's document

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def serve() -> None:  # pragma: no cover - runs in the child
    """A guarded child's main loop: ``argv`` = model, memory cap (MB), supervisor pid, lifeline fd,
    and "preload" when the parser is to be loaded before the first request comes."""
    model, max_mb, parent, lifeline = sys.argv[1] or None, int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    _die_with(parent, lifeline)
    from .logs import configure

    configure()  # library log records and warnings off stderr unless the supervisor was run with -v
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the answer stream
    child = _Child(model, max_mb)
    if sys.argv[5:6] == ["preload"]:
        child.load()
    while True:
        try:
            request = _receive(0, None)
        except (ChildGone, EOFError):
            return  # the supervisor closed the pipe or is gone
        if request.op != "digest":
            child.load()
        _send(out, ("start",))
        message = child.reply(request)
        try:
            _send(out, message)
        except (MemoryError, pickle.PicklingError) as exc:
            _send(out, ("error", "memory limit exceeded" if isinstance(exc, MemoryError) else f"worker error: {exc}"))


# --- the pipe ----------------------------------------------------------------------


def _send(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEADER.pack(len(data)) + data)
    fh.flush()


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Late()
        chunk = os.read(fd, min(n, _CHUNK))
        if not chunk:
            raise ChildGone()
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None):
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


# --- the supervisor's side -----------------------------------------------------------


class Guard:
    """One guarded child that serves many requests; replaced when it is late or dies.

    ``send`` gives it a request; the supervisor waits until ``fileno()`` is
    readable or ``deadline()`` has passed, then calls ``read`` (an Outcome,
    or None after the child's start message) or ``late``.  ``call`` does all
    of that for one request.
    """

    def __init__(self, model: str | None, max_memory_mb: int, timeout: float = DEFAULT_TIMEOUT, preload: bool = False):
        self.model, self.max_memory_mb, self.timeout = model, max_memory_mb, timeout
        self.preload = preload  # the child loads the parser as it starts, not when the first document comes
        self.verbose: bool | None = None  # whether the running child shows library output (-v), set when it starts
        self.proc: subprocess.Popen | None = None
        self.lifeline: int | None = None
        self.request: Request | None = None
        self.given = 0.0
        self.started: float | None = None

    def start(self) -> None:
        """Start a new child (the old one, if any, is stopped)."""
        from .logs import verbose

        self.stop()
        self.verbose = verbose()  # the child inherits REFERAT_VERBOSE
        readable, self.lifeline = os.pipe()
        env = dict(os.environ)
        home = str(Path(__file__).resolve().parent.parent)  # where this package is importable from
        env["PYTHONPATH"] = os.pathsep.join(p for p in (home, env.get("PYTHONPATH")) if p)
        cmd = [sys.executable, "-c", _CHILD_ENTRY, self.model or "", str(self.max_memory_mb or 0), str(os.getpid()), str(readable)]
        if self.preload:
            cmd.append("preload")
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, pass_fds=(readable,), env=env)
        finally:
            os.close(readable)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """Kill the child (if any) and release its pipes."""
        if self.lifeline is not None:
            os.close(self.lifeline)
            self.lifeline = None
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for fh in (self.proc.stdin, self.proc.stdout):
            try:
                fh.close()
            except OSError:
                pass
        self.proc = None

    def fileno(self) -> int:
        return self.proc.stdout.fileno()

    def send(self, request: Request) -> None:
        """Give the child ``request`` (a new child if there is none)."""
        if not self.alive():
            self.start()
        self.request, self.given, self.started = request, time.monotonic(), None
        try:
            _send(self.proc.stdin, request)
        except (BrokenPipeError, OSError):
            pass  # the child is gone: ``read`` sees the end of its stream and says so

    def deadline(self) -> float:
        """When the current request is late: ``timeout`` after the child started on it."""
        if self.started is None:
            return self.given + STARTUP_TIMEOUT
        return self.started + self.timeout

    def _outcome(self, value=None, error: str | None = None) -> Outcome:
        request, self.request = self.request, None
        return Outcome(request, value, error, round(time.monotonic() - (self.started or self.given), 4))

    def read(self) -> Outcome | None:
        """Read the child's next message: the Outcome, or None after a start message."""
        try:
            message = _receive(self.fileno(), self.deadline())
        except Late:
            return self.late()
        except (ChildGone, EOFError, pickle.UnpicklingError):
            return self.died()
        if message[0] == "start":
            self.started = time.monotonic()
            return None
        kind, payload = message
        return self._outcome(value=payload) if kind == "done" else self._outcome(error=payload)

    def late(self) -> Outcome:
        """The request's deadline passed: kill the child; the Outcome says why."""
        started = self.started is not None
        self.stop()
        if started:
            return self._outcome(error=f"timed out after {self.timeout:g} s")
        return self._outcome(error=f"worker did not start within {STARTUP_TIMEOUT:g} s")

    def died(self) -> Outcome:
        """The child ended without answering: the Outcome says how."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # it closed its stream but lingers
            code = None
        started = self.started is not None
        self.stop()
        what = "worker process died" if started else "worker process died while starting"
        return self._outcome(error=died_message(code, self.max_memory_mb, what))

    def call(self, request: Request) -> Outcome:
        """Answer one request, waiting at most for its deadline."""
        self.send(request)
        while True:
            left = self.deadline() - time.monotonic()
            if left <= 0 or not select.select([self], [], [], left)[0]:
                return self.late()
            outcome = self.read()
            if outcome is not None:
                return outcome


class Pool:
    """N guarded children answering many requests (the local engine)."""

    def __init__(self, size: int, model: str | None, max_memory_mb: int, timeout: float):
        self.guards = [Guard(model, max_memory_mb, timeout) for _ in range(max(1, size))]

    def run(self, requests: Iterable[Request], on_outcome: Callable[[Outcome], None]) -> None:
        """Answer every request; ``on_outcome`` gets each Outcome as it comes (in the calling thread)."""
        waiting = deque(requests)
        busy: list[Guard] = []
        while waiting or busy:
            for guard in self.guards:
                if guard.request is None and waiting:
                    guard.send(waiting.popleft())
                    busy.append(guard)
            left = min(g.deadline() for g in busy) - time.monotonic()
            readable = select.select(busy, [], [], max(left, 0))[0]
            for guard in readable:
                outcome = guard.read()
                if outcome is not None:
                    busy.remove(guard)
                    on_outcome(outcome)
            now = time.monotonic()
            for guard in [g for g in busy if g.deadline() <= now]:
                busy.remove(guard)
                on_outcome(guard.late())

    def close(self) -> None:
        """Stop every child (a request still running is abandoned)."""
        for guard in self.guards:
            guard.stop()
            guard.request = None


_local = threading.local()


def run_guarded(request: Request, model: str | None, max_memory_mb: int, timeout: float) -> Outcome:
    """The Dask engine's task: this worker thread's guarded child answers ``request``."""
    guard: Guard | None = getattr(_local, "guard", None)
    if guard is None or (guard.model, guard.max_memory_mb) != (model, max_memory_mb):
        if guard is not None:
            guard.stop()
        guard = _local.guard = Guard(model, max_memory_mb, timeout)
    guard.timeout = timeout
    return guard.call(request)


class DaskPool:
    """Requests answered on a Dask cluster (``scheduler``, or a local one of ``workers`` processes)."""

    def __init__(self, workers: int, scheduler: str | None, model: str | None, max_memory_mb: int, timeout: float):
        try:
            from dask.distributed import Client, LocalCluster  # lazy: an optional dependency
        except ImportError:
            raise RuntimeError("the dask engine needs 'dask[distributed]': pip install 'referat[dask]'") from None
        self.model, self.max_memory_mb, self.timeout = model, max_memory_mb, timeout
        from .logs import verbose

        # Dask logs to stderr through handlers of its own: only with -v, and then from warnings up
        quiet = not verbose()
        level = logging.CRITICAL + 1 if quiet else logging.WARNING
        if quiet:
            logging.getLogger("distributed").setLevel(level)
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=level)
            self.client = Client(self.cluster)

    def run(self, requests: Iterable[Request], on_outcome: Callable[[Outcome], None]) -> None:
        """Answer every request on the cluster; ``on_outcome`` gets each Outcome as it comes."""
        from dask.distributed import as_completed  # lazy: an optional dependency

        futures = {
            self.client.submit(run_guarded, r, self.model, self.max_memory_mb, self.timeout, pure=False): r for r in requests
        }
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # a worker lost, a pickling error …
                outcome = Outcome(futures[future], error=f"dask task failed: {type(exc).__name__}: {exc}")
            on_outcome(outcome)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@contextmanager
def open_pool(engine: str, workers: int, model: str | None, max_memory_mb: int, timeout: float, scheduler: str | None = None) -> Iterator[Pool | DaskPool]:
    """A pool of guarded children for ``engine`` (local or dask), stopped when the block ends."""
    if engine == "dask":
        pool: Pool | DaskPool = DaskPool(workers, scheduler, model, max_memory_mb, timeout)
    elif engine == "local":
        pool = Pool(workers, model, max_memory_mb, timeout)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    try:
        yield pool
    finally:
        pool.close()


#: commands whose one document is parsed by ``guarded``
PRESTART_COMMANDS = ("show", "inspect")
_prestarted: Guard | None = None


def prestart(argv: list[str]) -> None:
    """For ``referat show`` and ``inspect``: start their guarded child now, with the default model,
    memory cap and verbosity, so that it loads the parser while the CLI itself is imported and reads
    its options.

    ``guarded`` takes this child when the options turn out to be the defaults, and stops it otherwise.
    """
    global _prestarted
    if _prestarted is not None or not argv or argv[0] not in PRESTART_COMMANDS or "--help" in argv:
        return
    guard = Guard(None, DEFAULT_MAX_MEMORY_MB, preload=True)
    guard.start()
    _prestarted = guard
    import atexit  # lazy: only when a child was started here

    atexit.register(guard.stop)  # a usage error ends the CLI before it asks the child anything


def _take_prestarted(model: str | None, max_memory_mb: int, timeout: float) -> Guard:
    """The prestarted child if it was started for ``model`` and ``max_memory_mb``, else a new guard."""
    global _prestarted
    guard, _prestarted = _prestarted, None
    from .logs import verbose

    wanted = (model, max_memory_mb, verbose())
    if guard is not None and guard.alive() and (guard.model, guard.max_memory_mb, guard.verbose) == wanted:
        guard.timeout = timeout
        return guard
    if guard is not None:
        guard.stop()
    return Guard(model, max_memory_mb, timeout, preload=True)


def guarded(request: Request, model: str | None = None, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Answer one request in a guarded child of its own (``referat show`` and ``inspect``)."""
    guard = _take_prestarted(model, max_memory_mb, timeout)
    try:
        return guard.call(request)
    finally:
        guard.stop()
