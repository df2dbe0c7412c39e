"""SQL over the dataset: DuckDB views of the committed rows, named reports, output formats.

``connect`` opens an in-memory DuckDB database with one view per table
(``documents``, ``meetings``, ``people``, ...).  The views hold committed
rows only: rows of a document whose ``documents`` row (the commit marker,
see ``pipeline.store``) is missing are left out, hidden temporary files are
never read, and a table whose folder is missing or empty is an empty view
with the declared columns.

The sandbox.  The dataset files are scanned through pyarrow datasets, not by
DuckDB's own file readers, so DuckDB's access to the file system is switched
off entirely: a query can read the views but cannot read, write, list or
attach any file, nor install or load an extension.  DuckDB would still allow
its temp directory (``.tmp`` under the working directory by default, and
wherever a ``.tmp`` symlink there points); spilling to disk is therefore
disabled (``temp_directory = ''``), and the configuration is locked, so no
``SET`` can undo a setting.  ``memory_limit`` and ``threads`` come from
``Limits``.

Bounds.  DuckDB's ``memory_limit`` covers the memory of running operators
but not of planning a query: a few hundred bytes of nested CTEs or a long
``UNION ALL`` chain take gigabytes before anything runs, and an interrupt is
not honoured while a query is planned.  So ``run_query`` and the reports run
each query in a child process (``python -c ... query_process_main``) whose
address space is capped at what it needed to start plus ``max_memory_mb``;
a timer interrupts the query after ``timeout`` seconds, and the parent kills
the child if it has not answered ``CHILD_GRACE`` seconds after that.  Either
way the caller gets one clear error: ``QueryTimeout`` or ``QueryMemoryError``.

Named reports (``REPORTS``) return ``(columns, rows)`` like ``run_query``;
``format_rows`` (from ``pipeline.formats``) renders either as a text table, CSV or JSON.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from .formats import FORMATS, format_rows  # noqa: F401 - the output formats, re-exported
from .people import people_index, person_key
from .store import COMMIT_TABLE
from .tables import TABLES, arrow_schema


Result = tuple[list[str], list[tuple]]

#: seconds a query may run
DEFAULT_TIMEOUT = 30.0
#: memory a query may use, in MB (MiB)
DEFAULT_MAX_MEMORY_MB = 2048
#: DuckDB worker threads per query
DEFAULT_THREADS = min(4, os.cpu_count() or 1)
#: seconds the query process gets beyond the time limit (start-up, handing back
#: the result) before it is killed
CHILD_GRACE = 10.0
#: address space the query process may map beyond its start-up size and the
#: memory limit (thread stacks, allocator bookkeeping)
CAP_HEADROOM_MB = 256
#: after the time limit, the connection is interrupted again this often
INTERRUPT_EVERY = 0.05
#: the query process's environment: glibc and Arrow allocators that reserve
#: little address space up front, so that the cap is close to real memory
CHILD_ENV = {"MALLOC_ARENA_MAX": "2", "ARROW_DEFAULT_MEMORY_POOL": "system"}


class QueryError(Exception):
    """A query or report could not run (bad SQL, unreadable files, no dataset)."""


class NotADatasetError(QueryError):
    """The folder given is not a referat dataset."""


class QueryTimeout(QueryError):
    """A query ran into its time limit."""

    def __init__(self, timeout: float):
        super().__init__(f"query stopped after {timeout:g} s (time limit {timeout:g} s)")
        self.timeout = timeout

    def __reduce__(self):
        return type(self), (self.timeout,)


class QueryMemoryError(QueryError):
    """A query needed more memory than its limit."""

    def __init__(self, max_memory_mb: int):
        super().__init__(f"query needs more than {max_memory_mb} MB of memory (limit {max_memory_mb} MB)")
        self.max_memory_mb = max_memory_mb

    def __reduce__(self):
        return type(self), (self.max_memory_mb,)


@dataclass(frozen=True)
class Limits:
    """Bounds on one query: wall-clock ``timeout`` (seconds), ``max_memory_mb``, DuckDB ``threads``."""

    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    threads: int = DEFAULT_THREADS

    def __post_init__(self) -> None:
        if not (isinstance(self.timeout, (int, float)) and math.isfinite(self.timeout) and self.timeout > 0):
            raise ValueError(f"timeout must be a positive number of seconds, not {self.timeout!r}")
        for name in ("max_memory_mb", "threads"):
            value = getattr(self, name)
            if not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")


# --- the views ---------------------------------------------------------------


def _table_files(folder: Path) -> list[str]:
    """The table's Parquet files; hidden (temporary) files are not part of the dataset."""
    if not folder.is_dir():
        return []
    return sorted(str(p) for p in folder.glob("*.parquet") if not p.name.startswith("."))


def _table_dataset(data: Path, table: str) -> pads.Dataset:
    """All files of ``table`` read with the declared schema.

    Columns a file lacks (written by an older version) read as nulls, so
    every view has exactly the declared columns, even when there are no files.
    """
    return pads.dataset(_table_files(data / table), schema=arrow_schema(table), format="parquet")


def check_dataset(data: Path) -> Path:
    """``data`` as a Path, or ``NotADatasetError`` when it is not a referat dataset."""
    data = Path(data)
    if not (data / COMMIT_TABLE).is_dir():
        if data.exists() and not data.is_dir():
            why = "a file, not a folder"
        elif not data.exists():
            why = "no such folder"
        else:
            why = f"no {COMMIT_TABLE} folder in it"
        raise NotADatasetError(f"{data}: not a referat dataset ({why})")
    return data


def committed_table(data: Path, table: str) -> pa.Table:
    """The rows of ``table`` the view shows, as Arrow with the declared schema.

    Rows of documents without a commit marker are left out, as in the views.
    """
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r} (tables: {', '.join(TABLES)})")
    data = check_dataset(data)
    rows = _table_dataset(data, table)
    if table == COMMIT_TABLE:
        return rows.to_table()
    ids = _table_dataset(data, COMMIT_TABLE).to_table(columns=["doc_id"]).column("doc_id")
    return rows.to_table(filter=pc.field("doc_id").isin(ids.combine_chunks()))


def connect(data: Path, limits: Limits | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table of the dataset at ``data``.

    The connection cannot touch the file system: the views are the only way
    to the data, nothing a query does can change the dataset, and no ``SET``
    can change a setting.  ``limits.max_memory_mb`` and ``limits.threads``
    are DuckDB's ``memory_limit`` and ``threads``; the time limit is the
    caller's (``run_query`` and the reports apply it, and bound planning
    memory too, in a child process).
    """
    limits = limits or Limits()
    data = check_dataset(data)
    con = duckdb.connect(
        ":memory:",
        config={
            # no spilling: DuckDB lets queries read and write its temp directory
            "temp_directory": "",
            "memory_limit": f"{limits.max_memory_mb}MiB",
            "threads": limits.threads,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "allow_persistent_secrets": False,
            # no implicit scans of Python variables by name
            "python_enable_replacements": False,
        },
    )
    try:
        con.execute("set TimeZone = 'UTC'")
        # the commit table first: the other views filter on it
        for table in (COMMIT_TABLE, *(t for t in TABLES if t != COMMIT_TABLE)):
            rel = con.from_arrow(_table_dataset(data, table))
            if table != COMMIT_TABLE:
                rel = rel.filter(f"doc_id in (select doc_id from {COMMIT_TABLE})")
            rel.create_view(table)
        # only the views (Arrow scans, which do not go through DuckDB's file
        # system) reach the files; this cannot be switched back on while the
        # database is open, and no other setting can be changed either
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except Exception:
        con.close()
        raise
    return con


# --- running a query on a connection -----------------------------------------


@contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, timeout: float) -> Iterator[threading.Event]:
    """Interrupt ``con`` once ``timeout`` seconds have passed; the event says whether it did.

    The interrupt is repeated every ``INTERRUPT_EVERY`` seconds until the
    block ends: one that lands between two statements would be lost.
    """
    fired, done = threading.Event(), threading.Event()

    def watch() -> None:
        if done.wait(timeout):
            return
        fired.set()
        while not done.is_set():
            con.interrupt()
            done.wait(INTERRUPT_EVERY)

    watcher = threading.Thread(target=watch, name="referat-query-time-limit", daemon=True)
    watcher.start()
    try:
        yield fired
    finally:
        done.set()
        watcher.join()


def fetch_arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """Run ``sql``; the last statement's result as an Arrow table (no columns for SET, CREATE, ...).

    Results go through Arrow: DuckDB's own conversion of timestamps with time
    zone needs pytz, Arrow's does not.
    """
    rel = con.sql(sql)
    if rel is None:  # a statement without a result
        return pa.table({})
    return rel.to_arrow_table()


def _run_on(con: duckdb.DuckDBPyConnection, sql: str | None, report: str | None, limits: Limits) -> pa.Table:
    """``sql`` or the named ``report`` on ``con`` under the time limit; errors as ``QueryError``."""
    with time_limit(con, limits.timeout) as fired:
        try:
            return report_on(con, report) if report else fetch_arrow(con, sql or "")
        except (duckdb.OutOfMemoryException, MemoryError):
            raise QueryMemoryError(limits.max_memory_mb) from None
        except Exception as exc:
            if fired.is_set():
                raise QueryTimeout(limits.timeout) from None
            if isinstance(exc, duckdb.Error):
                raise QueryError(str(exc)) from None
            raise


def rows_of(table: pa.Table) -> Result:
    """An Arrow table as column names and row tuples."""
    values = [col.to_pylist() for col in table.columns]
    return list(table.column_names), list(zip(*values))


# --- the query process -------------------------------------------------------


def _cap_address_space(max_memory_mb: int) -> None:
    """Cap this process's address space at its present size plus ``max_memory_mb`` (and headroom).

    Only where the size can be read (Linux); elsewhere DuckDB's own memory
    limit and the time limit are the bounds.
    """
    try:
        import resource  # Unix only: imported where it is used

        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    cap = size + (max_memory_mb + CAP_HEADROOM_MB) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _answer(request: dict) -> tuple[dict, bytes]:
    """The query process's answer to ``request``: a status and the result as Arrow IPC bytes."""
    limits = Limits(**request["limits"])
    try:
        con = connect(Path(request["data"]), limits)
        _cap_address_space(limits.max_memory_mb)
        table = _run_on(con, request.get("sql"), request.get("report"), limits)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        return {"ok": True}, sink.getvalue().to_pybytes()
    except QueryTimeout:
        return {"error": "timeout"}, b""
    except (QueryMemoryError, MemoryError):
        return {"error": "memory"}, b""
    except Exception as exc:  # noqa: BLE001 - every failure is one answer
        message = str(exc) if isinstance(exc, QueryError) else f"{type(exc).__name__}: {exc}"
        return {"error": "query", "message": message}, b""


def query_process_main() -> None:  # pragma: no cover - runs in the query process
    """The query process: one JSON request on stdin, one answer on stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the answer
    status, body = _answer(json.loads(sys.stdin.buffer.read()))
    out.write(json.dumps(status).encode() + b"\n" + body)
    out.flush()


#: the package folder's parent: the query process imports this same package
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
#: the command that starts a query process
QUERY_PROCESS = [
    sys.executable,
    "-c",
    f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); from pipeline.query import query_process_main; query_process_main()",
]


#: what a process that ran out of address space under its cap says as it dies (the C library, a
#: C++ allocation, Python): a thread that cannot get its thread-local memory ends it at once
_MEMORY_DEATH = re.compile(r"cannot allocate memory|out of memory|bad_alloc|MemoryError", re.I)


def _died(proc: subprocess.CompletedProcess) -> str:
    """Why the query process gave no answer, in one line."""
    last = next((line for line in reversed(proc.stderr.decode("utf-8", "replace").splitlines()) if line.strip()), "")
    why = f": {last.strip()[:200]}" if last else ""
    return f"the query process ended without an answer (exit code {proc.returncode}){why}"


def run_arrow(data: Path, sql: str | None = None, report: str | None = None, limits: Limits | None = None) -> pa.Table:
    """``sql`` (or the named ``report``) over the dataset at ``data``, in a bounded query process.

    Raises ``QueryTimeout``, ``QueryMemoryError``, ``NotADatasetError`` or
    ``QueryError`` (bad SQL, a refused file access, anything else).
    """
    limits = limits or Limits()
    data = check_dataset(data)
    if report is not None and report not in REPORTS:
        raise QueryError(f"unknown report {report!r}: use one of {', '.join(REPORTS)}")
    request = {"data": str(data.resolve()), "sql": sql, "report": report, "limits": asdict(limits)}
    try:
        proc = subprocess.run(
            list(QUERY_PROCESS),
            input=json.dumps(request).encode(), capture_output=True, timeout=limits.timeout + CHILD_GRACE,
            env={**os.environ, **CHILD_ENV},
        )
    except subprocess.TimeoutExpired:
        raise QueryTimeout(limits.timeout) from None
    head, _, body = proc.stdout.partition(b"\n")
    try:
        status = json.loads(head)
    except ValueError:
        if _MEMORY_DEATH.search(proc.stderr.decode("utf-8", "replace")):
            raise QueryMemoryError(limits.max_memory_mb) from None  # died under the cap before it could answer
        raise QueryError(_died(proc)) from None
    if status.get("ok"):
        return pa.ipc.open_stream(body).read_all()
    if status["error"] == "timeout":
        raise QueryTimeout(limits.timeout)
    if status["error"] == "memory":
        raise QueryMemoryError(limits.max_memory_mb)
    raise QueryError(status.get("message") or "the query failed")


def run_query(data: Path, sql: str, limits: Limits | None = None) -> Result:
    """Run the user's own ``sql`` against the views of the dataset at ``data``, within ``limits``."""
    return rows_of(run_arrow(data, sql=sql, limits=limits))


# --- reports -----------------------------------------------------------------

#: ``linked_people`` is the people view with ``global_key`` (one key per
#: person across documents), ``person`` (that person's name as written) and
#: ``substitute_for_key`` (the ``global_key`` of the person a substitute
#: stands in for); ``attendance`` builds it with ``people_index``.
ATTENDANCE_SQL = """
with substitutions as (
    select substitute_for_key as global_key,
           string_agg(distinct person, ', ' order by person) as substituted_by
    from linked_people
    where attendance = 'substitute' and substitute_for_key is not null
    group by substitute_for_key
)
select p.person,
       string_agg(distinct p.party, ', ' order by p.party)    as party,
       count(distinct p.doc_id)                               as meetings,
       count(*) filter (where p.attendance = 'present')       as present,
       count(*) filter (where p.attendance = 'absent')        as absent,
       count(*) filter (where p.attendance = 'substitute')    as substitute,
       count(*) filter (where p.attendance = 'guest')         as guest,
       any_value(s.substituted_by)                            as substituted_by,
       string_agg(distinct p.role, ', ' order by p.role)      as roles
from linked_people p
left join substitutions s using (global_key)
group by p.global_key, p.person
order by p.person, p.global_key
"""

DECISIONS_SQL = """
with meetings_per_body as (
    select body, count(distinct doc_id) as meetings
    from meetings
    group by body
)
select m.body,
       b.meetings,
       d.decision_type,
       count(*) as decisions
from decisions d
left join meetings m using (doc_id)
left join meetings_per_body b on b.body is not distinct from m.body
group by m.body, b.meetings, d.decision_type
order by m.body nulls last, decisions desc, d.decision_type
"""

AMOUNTS_SQL = """
-- each amount counted once: a repeat (amounts.repeat_of set: the same value stated
-- again in the item) is counted in `amounts` but left out of `distinct` and the sum
select m.body,
       year(m.meeting_date)                                                   as year,
       a.item_no,
       count(*)                                                               as amounts,
       count(*) filter (where a.repeat_of is null)                            as distinct_amounts,
       sum(a.value) filter (where a.currency = 'DKK' and a.repeat_of is null) as sum_dkk_distinct,
       count(*) filter (where a.repaired)                                     as repaired,
       count(*) filter (where a.unit_note is not null)                        as unit_inferred,
       count(*) filter (where a.value is null)                                as unreadable
from amounts a
left join meetings m using (doc_id)
group by m.body, year(m.meeting_date), a.item_no
order by m.body nulls last, year nulls last, a.item_no nulls first
"""


def _linked_people(con: duckdb.DuckDBPyConnection):
    """The people view with the cross-document keys of ``people_index`` joined on."""
    people = con.sql("select doc_id, name, person_key, organisation, party, role, attendance, substitute_for from people").df()
    index = people_index(people)
    # people_index keeps the rows (and the index) of its input: join on it
    linked = people.join(index[["global_key"]])
    # the name to show for a person: a written name whose key is the global key
    names = linked[["name", "global_key"]].drop_duplicates()
    names = names[names["name"].map(person_key) == names["global_key"]]
    display = names.sort_values("name").groupby("global_key")["name"].first()
    linked["person"] = linked["global_key"].map(display).fillna(linked["global_key"])
    # a substitute's substitute_for is a full name as written; link it the same way
    key_of_name = {person_key(n): g for n, g in zip(linked["name"], linked["global_key"])}

    def substitute_for_key(name) -> str | None:
        if not isinstance(name, str) or not name.strip():
            return None
        return key_of_name.get(person_key(name), person_key(name))

    linked["substitute_for_key"] = linked["substitute_for"].map(substitute_for_key)
    return linked

#: the SQL of each named report; ``attendance`` also needs ``linked_people``
REPORT_SQL = {"attendance": ATTENDANCE_SQL, "decisions": DECISIONS_SQL, "amounts": AMOUNTS_SQL}


def report_on(con: duckdb.DuckDBPyConnection, name: str) -> pa.Table:
    """The named report on a connection made by ``connect``, as an Arrow table."""
    if name not in REPORT_SQL:
        raise QueryError(f"unknown report {name!r}: use one of {', '.join(REPORT_SQL)}")
    if name == "attendance":
        con.register("linked_people", _linked_people(con))
    return fetch_arrow(con, REPORT_SQL[name])


def run_report(data: Path, name: str, limits: Limits | None = None) -> Result:
    """The named report over the dataset at ``data``, within ``limits``, as ``(columns, rows)``."""
    return rows_of(run_arrow(data, report=name, limits=limits))


def attendance(data: Path, limits: Limits | None = None) -> Result:
    """Per person across meetings: party, meetings, present/absent/substitute/guest, substituted by, roles.

    Name variants of one person in different documents ("Anne Krøjer",
    "Anne Krøjer Jacobsen") are one person (``pipeline.people.people_index``).
    ``meetings`` counts documents.
    """
    return run_report(data, "attendance", limits)


def decisions(data: Path, limits: Limits | None = None) -> Result:
    """Decisions per body and decision type, with the number of meetings (documents) per body."""
    return run_report(data, "decisions", limits)


def amounts(data: Path, limits: Limits | None = None) -> Result:
    """Money amounts per body, meeting year and item: count, distinct count, DKK sum of the
    distinct amounts (a repeat, ``amounts.repeat_of``, counts once), repaired, unit inferred
    from a table header, unreadable."""
    return run_report(data, "amounts", limits)


REPORTS: dict[str, Callable[..., Result]] = {
    "attendance": attendance,
    "decisions": decisions,
    "amounts": amounts,
}
