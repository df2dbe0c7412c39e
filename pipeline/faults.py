"""Named fault points: places where a test makes a process crash or hang, deterministically.

Code calls ``point(NAME)`` (or ``point(NAME, subject)``) where a kill would
leave interesting state behind.  Nothing happens unless a test asks for it:

- ``REFERAT_CRASH_AT=NAME[:N[:TEXT]]``: the N-th time (default 1) this process
  passes NAME (with a subject containing TEXT, when given), it exits at once
  with code 137, as after ``kill -9``: no cleanup, no flush, no ``finally``.
- ``REFERAT_HANG_AT=NAME[:N[:TEXT]]``: there it prints
  ``referat fault: hanging at NAME (pid P)`` on stderr and blocks until it is
  killed (a document that never finishes, at a known moment).
- ``REFERAT_EXHAUST_AT=NAME[:N[:TEXT]]``: there it asks for a 16 TiB buffer, more memory
  than any cap (or machine) allows, so the work fails as a document that needs too much
  memory would (``MemoryError``), whatever the parser itself needs to start.
- ``hook(NAME, fn)``: in the test's own process, ``fn(count, subject)`` runs
  at each pass (e.g. to change a file between two steps, or to raise).

The environment is read at every pass, so a child process inherits the
settings of its parent and counts its own passes.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: every fault point, and what has happened when it is reached
POINTS: dict[str, str] = {
    "store.tmp_written": "a Parquet file is written under its temporary name, not yet renamed into place",
    "store.after_part": "one data table's file of a batch is in place (counted per table file)",
    "store.before_commit": "every data table's file of a batch is in place, its documents file (the commit marker) not yet",
    "store.after_commit": "a batch's documents file is in place",
    "store.retract.after_table": "a retraction has removed its documents from one table (the documents table first)",
    "store.sources_added": "a documents file was rewritten with more source paths",
    "store.compact.after_merge": "compact wrote a table's merged file, the files it merged still exist",
    "store.compact.after_delete": "compact deleted the files it merged for one table",
    "store.before_manifest": "the new manifest is written under a temporary name, not yet renamed into place",
    "ingest.listed": "ingest has hashed every input file; nothing is retracted or parsed yet",
    "ingest.after_retract": "ingest retracted the documents it will parse again",
    "ingest.delivered": "a parsed document was handed to the writer (counted per document)",
    "guard.parse": "a guarded child begins to parse a document (its clock runs)",
    "guard.parsed": "a guarded child has parsed a document and not yet checked that the file is unchanged",
}

CRASH_ENV = "REFERAT_CRASH_AT"
HANG_ENV = "REFERAT_HANG_AT"
EXHAUST_ENV = "REFERAT_EXHAUST_AT"
CRASH_EXIT_CODE = 137

_counts: Counter[tuple[str, str, str]] = Counter()
_hooks: dict[str, list[Callable[[int, str], None]]] = {}
_lock = threading.Lock()


def parse_spec(spec: str) -> tuple[str, int, str]:
    """``NAME[:N[:TEXT]]`` -> (name, n, text); a name that is no fault point is an error."""
    name, _, rest = spec.partition(":")
    count, _, text = rest.partition(":")
    if name not in POINTS:
        raise ValueError(f"unknown fault point {name!r} (known: {', '.join(POINTS)})")
    return name, int(count or 1), text


def _due(env: str, name: str, subject: str) -> bool:
    """Whether the fault set in ``env`` fires at this pass of ``name``."""
    spec = os.environ.get(env)
    if not spec:
        return False
    want, n, text = parse_spec(spec)
    if want != name or text not in subject:
        return False
    with _lock:
        _counts[(env, name, text)] += 1
        return _counts[(env, name, text)] == n


def point(name: str, subject: str = "") -> None:
    """Pass the fault point ``name`` (``subject``: e.g. the file being worked on)."""
    if name not in POINTS:
        raise ValueError(f"unknown fault point {name!r}")
    for fn in list(_hooks.get(name, ())):
        with _lock:
            _counts[("hook", name, "")] += 1
            count = _counts[("hook", name, "")]
        fn(count, subject)
    if _due(CRASH_ENV, name, subject):
        os._exit(CRASH_EXIT_CODE)
    if _due(HANG_ENV, name, subject):
        print(f"referat fault: hanging at {name} (pid {os.getpid()})", file=sys.stderr, flush=True)
        threading.Event().wait()
    if _due(EXHAUST_ENV, name, subject):
        bytearray(1 << 44)


@contextmanager
def hook(name: str, fn: Callable[[int, str], None]) -> Iterator[None]:
    """Run ``fn(count, subject)`` at every pass of ``name`` in this process while the block runs."""
    if name not in POINTS:
        raise ValueError(f"unknown fault point {name!r}")
    with _lock:
        _counts.pop(("hook", name, ""), None)
    _hooks.setdefault(name, []).append(fn)
    try:
        yield
    finally:
        _hooks[name].remove(fn)
