"""A parse under a time limit and a memory cap, in a child process that outlives one document.

The local engine supervises its own worker processes.  A Dask worker cannot
be supervised that way (it is often a daemonic process, which may not start
``multiprocessing`` children, and killing it would lose the worker), so each
Dask worker thread keeps one :class:`Guard`: a plain subprocess
(``python -m pipeline.guard``) with an address-space cap that loads the NLP
backend once and then parses one document per request.  The caller waits at
most ``timeout`` seconds for each answer; a child that is late is killed, a
child that dies (the cap, a crash) is noticed, and in both cases that
document is failed with the reason and the next request starts a new child.

Messages are pickled and length-prefixed on the child's stdin and on a
duplicate of its original stdout; anything a library prints goes to stderr
and cannot corrupt the stream.  Only the parent's own objects are unpickled:
the child is this package's code, not a document.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from .ingest import STARTUP_TIMEOUT, _digest_or_name, died_message, serve_one
from .parse import failed_document

_HEADER = struct.Struct("!Q")


class ChildGone(Exception):
    """The child exited or closed its end before answering."""


class Late(Exception):
    """No answer before the deadline."""


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
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise ChildGone()
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None):
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


class Guard:
    """One long-lived parse child; ``parse`` never takes much longer than its timeout."""

    def __init__(self, model: str | None, max_memory_mb: int):
        self.model, self.max_memory_mb = model, max_memory_mb
        self.proc: subprocess.Popen | None = None
        self.startup_error: str | None = None

    def _start(self) -> None:
        cmd = [sys.executable, "-m", "pipeline.guard", self.model or "", str(self.max_memory_mb or 0)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        try:
            status = _receive(self.proc.stdout.fileno(), time.monotonic() + STARTUP_TIMEOUT)
        except Late:
            self.stop()
            raise ChildGone(f"worker did not start within {STARTUP_TIMEOUT:g} s") from None
        except (ChildGone, EOFError, pickle.UnpicklingError):
            code = self.proc.wait()
            self.stop()
            raise ChildGone(died_message(code, self.max_memory_mb, "worker process died while starting")) from None
        self.startup_error = None if status == "ready" else str(status)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
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

    def parse(self, path: str, password: str | None, ocr: bool, timeout: float):
        """Parse in the child; a Parsed record, failed with the reason if the child was late or died."""
        started = time.perf_counter()

        def failed(why: str):
            return failed_document(Path(path), _digest_or_name(path), why, started)

        if not self.alive():
            self.stop()
            try:
                self._start()
            except ChildGone as exc:
                return failed(str(exc))
        if self.startup_error:
            return failed(self.startup_error)
        started = time.perf_counter()
        try:
            _send(self.proc.stdin, (path, password, ocr))
            return _receive(self.proc.stdout.fileno(), time.monotonic() + timeout)
        except Late:
            self.stop()
            return failed(f"timed out after {timeout:g} s")
        except (ChildGone, BrokenPipeError, EOFError, pickle.UnpicklingError):
            code = self.proc.wait() if self.proc else None
            self.stop()
            return failed(died_message(code, self.max_memory_mb))


_local = threading.local()


def parse_guarded(path: str, model: str | None, password: str | None, ocr: bool, timeout: float, max_memory_mb: int):
    """The Dask engine's task: this thread's guard child parses ``path``."""
    guard: Guard | None = getattr(_local, "guard", None)
    if guard is None or (guard.model, guard.max_memory_mb) != (model, max_memory_mb):
        if guard is not None:
            guard.stop()
        guard = _local.guard = Guard(model, max_memory_mb)
    return guard.parse(path, password, ocr, timeout)


def _out_of_memory(exc: BaseException | None) -> bool:
    """The address-space cap shows up as MemoryError, ENOMEM, or a library that cannot be mapped,
    also behind another exception (an import that ran out of memory raises SystemError)."""
    import errno

    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
            return True
        if isinstance(exc, ImportError) and "failed to map segment" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _child(model: str | None, max_mb: int) -> None:  # pragma: no cover - runs in the child
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the answer stream
    inp = sys.stdin.buffer
    import spacy  # noqa: F401 - code is imported before the cap, which is meant for the work

    from .ingest import _limit_memory
    from .nlp import load_backend

    status = "ready"
    try:
        _limit_memory(max_mb)
        load_backend(model)
    except Exception as exc:  # noqa: BLE001
        status = f"worker could not start: {type(exc).__name__}: {exc}"
        if _out_of_memory(exc):
            status = "memory limit exceeded while the worker started (raise --max-memory)"
    _send(out, status)
    fd = inp.fileno()
    while True:
        try:
            path, password, ocr = _receive(fd, None)
        except (ChildGone, EOFError):
            return  # the parent closed the pipe or is gone
        _send(out, serve_one(path, model, password, ocr))


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    _child(sys.argv[1] or None, int(sys.argv[2]))
