"""The query sandbox (pipeline/query.py): no file access, locked settings, time and memory limits.

DuckDB keeps its temp directory (``.tmp`` under the working directory) on
its allow-list even with external access off, so every escape is tried from
a working directory that holds a ``.tmp`` folder, and from one whose ``.tmp``
is a symlink to a folder with a secret in it.  The queries run in the query
process, which inherits the working directory.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

import duckdb
import pytest

from conftest import RAW, ROOT, SEED_STEMS
import pipeline.query as query
from pipeline.query import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Limits,
    QueryError,
    QueryMemoryError,
    QueryTimeout,
    connect,
    run_query,
    run_report,
)

slow = pytest.mark.slow

SECRET = "the secret in the folder .tmp points to"
#: counts to about 10^13: hours of work
ENDLESS = "select count(*) from range(10000000000000)"
#: a billion-element list: gigabytes of data DuckDB itself holds
DATA_BOMB = "select list(range) from range(1000000000)"
#: 5 000 UNION ALL branches: about 800 MB spent planning, before anything runs
PLANNING_BOMB = " union all ".join(f"select {i} as x" for i in range(5000))
#: a query process that stops itself at once: it never answers
STOPPED_PROCESS = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSTOP)"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """A dataset ingested from one sample text (a real run of `referat ingest`)."""
    out = tmp_path_factory.mktemp("sandbox") / "parsed"
    r = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(RAW / f"{SEED_STEMS[0]}.txt"), "--out", str(out), "-q", "--model", "blank", "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(params=["folder", "symlink"])
def hostile_cwd(request, tmp_path, monkeypatch):
    """The working directory holds ``.tmp``: a folder with a file in it, or a symlink to a secret folder.

    Returns the folder ``.tmp`` leads to; its contents are checked afterwards.
    """
    work = tmp_path / "work"
    work.mkdir()
    if request.param == "folder":
        target = work / ".tmp"
        target.mkdir()
    else:
        target = tmp_path / "secret"
        target.mkdir()
        (work / ".tmp").symlink_to(target, target_is_directory=True)
    (target / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    monkeypatch.chdir(work)
    before = sorted(p.name for p in target.iterdir())
    yield target
    assert sorted(p.name for p in target.iterdir()) == before, "a query wrote into the .tmp folder"


ESCAPES = {
    "copy to": "copy (select 42 as x) to '.tmp/out.csv'",
    "copy to parquet": "copy (select * from people) to '.tmp/people.parquet' (format parquet)",
    "read_text": "select content from read_text('.tmp/secret.txt')",
    "read_blob": "select content from read_blob('.tmp/secret.txt')",
    "read_csv": "select * from read_csv('.tmp/secret.txt', header = false)",
    "attach": "attach '.tmp/e.db' as e",
    "attach and write": "attach '.tmp/e.db' as e; create table e.t as select 1 as x",
    "glob": "select * from glob('.tmp/*')",
    "export": "export database '.tmp/exported'",
    "install": "install httpfs",
    "install from .tmp": "set extension_directory = '.tmp/ext'; install httpfs from '.tmp/repo'",
    "load": "load httpfs",
    "load from .tmp": "load '.tmp/secret.txt'",
}


def refused(con, sql: str) -> str:
    """The error DuckDB gives for ``sql`` on ``con`` (the test fails if it runs)."""
    with pytest.raises(duckdb.Error) as exc:
        rel = con.sql(sql)
        if rel is not None:
            rel.fetchall()
    return str(exc.value)


@pytest.fixture
def sandboxed(dataset):
    """A sandboxed connection to the dataset (the one every query process opens)."""
    con = connect(dataset)
    yield con
    con.close()


@slow
@pytest.mark.parametrize("sql", ESCAPES.values(), ids=ESCAPES.keys())
def test_no_file_escape_through_dot_tmp(sandboxed, hostile_cwd, sql):
    assert SECRET not in refused(sandboxed, sql)


@slow
def test_no_file_escape_from_the_query_process(dataset, hostile_cwd):
    # the query process starts in the caller's working directory
    for name in ("copy to", "read_text", "attach and write", "glob"):
        with pytest.raises(QueryError, match="disabled by configuration") as exc:
            run_query(dataset, ESCAPES[name])
        assert SECRET not in str(exc.value)


#: a setting a query might try to put back, with a value that would loosen the sandbox
SETTINGS_BACK = {
    "enable_external_access": "set enable_external_access = true",
    "temp_directory": "set temp_directory = '.tmp'",
    "allowed_directories": "set allowed_directories = ['.tmp']",
    "memory_limit": "set memory_limit = '100GB'",
    "memory_limit (pragma)": "pragma memory_limit = '100GB'",
    "memory_limit (reset)": "reset memory_limit",
    "threads": "set threads = 64",
    "extension_directory": "set extension_directory = '.tmp/ext'",
    "lock_configuration": "set lock_configuration = false",
    "autoload_known_extensions": "set autoload_known_extensions = true",
    "python_enable_replacements": "set python_enable_replacements = true",
    "enable_logging": "call enable_logging(storage = 'file', storage_path = '.tmp/log')",
    "profiling_output": "set profiling_output = '.tmp/profile.json'",
}


@slow
@pytest.mark.parametrize("sql", SETTINGS_BACK.values(), ids=SETTINGS_BACK.keys())
def test_no_setting_can_be_set_back(sandboxed, hostile_cwd, sql):
    refused(sandboxed, sql)
    assert sandboxed.sql("select current_setting('lock_configuration')").fetchall() == [(True,)]


@slow
def test_settings_are_the_limits(dataset):
    columns, rows = run_query(
        dataset,
        "select current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory'),"
        " current_setting('enable_external_access'), current_setting('lock_configuration')",
        Limits(max_memory_mb=300, threads=1),
    )
    assert rows == [("300.0 MiB", 1, "", False, True)]


# --- time and memory ---------------------------------------------------------


@slow
def test_a_long_query_is_stopped_at_the_time_limit(dataset):
    with pytest.raises(QueryTimeout) as exc:
        run_query(dataset, ENDLESS, Limits(timeout=1))
    assert str(exc.value) == "query stopped after 1 s (time limit 1 s)"


@slow
def test_a_long_second_statement_is_stopped_too(dataset):
    # an interrupt that lands before the second statement starts must not be lost
    with pytest.raises(QueryTimeout):
        run_query(dataset, f"select 1; {ENDLESS}", Limits(timeout=1))


@slow
def test_a_data_bomb_stops_with_the_memory_error(dataset):
    with pytest.raises(QueryMemoryError) as exc:
        run_query(dataset, DATA_BOMB, Limits(max_memory_mb=256))
    assert str(exc.value) == "query needs more than 256 MB of memory (limit 256 MB)"


@slow
def test_a_planning_bomb_stops_with_the_memory_error(dataset):
    # DuckDB's memory_limit does not count planning memory: the process cap does
    with pytest.raises(QueryMemoryError, match="limit 256 MB"):
        run_query(dataset, PLANNING_BOMB, Limits(max_memory_mb=256))


@slow
def test_a_query_process_that_does_not_answer_is_killed(dataset, monkeypatch):
    # a process that stops itself never answers: the parent's deadline ends it
    monkeypatch.setattr(query, "QUERY_PROCESS", STOPPED_PROCESS)
    monkeypatch.setattr(query, "CHILD_GRACE", 0.5)
    with pytest.raises(QueryTimeout, match=r"query stopped after 1 s \(time limit 1 s\)"):
        run_query(dataset, "select 1", Limits(timeout=1))


@slow
def test_a_query_process_that_dies_is_one_clear_error(dataset, monkeypatch):
    monkeypatch.setattr(query, "QUERY_PROCESS", [sys.executable, "-c", "import os; os._exit(3)"])
    with pytest.raises(QueryError, match=r"^the query process ended without an answer \(exit code 3\)$"):
        run_query(dataset, "select 1")


@slow
def test_reports_run_in_the_bounded_query_process(dataset, monkeypatch):
    columns, rows = run_report(dataset, "attendance", Limits(timeout=5, max_memory_mb=256))
    assert columns[0] == "person" and rows
    monkeypatch.setattr(query, "QUERY_PROCESS", STOPPED_PROCESS)
    monkeypatch.setattr(query, "CHILD_GRACE", 0.5)
    with pytest.raises(QueryTimeout, match="time limit 1 s"):
        run_report(dataset, "attendance", Limits(timeout=1))


def test_limit_errors_survive_pickling():
    # e.g. raised in a worker process of the caller's own
    for exc in (QueryTimeout(1.5), QueryMemoryError(256)):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and str(back) == str(exc)


def test_limits_must_be_positive():
    assert Limits() == Limits(DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY_MB)
    for bad in ({"timeout": 0}, {"timeout": float("nan")}, {"max_memory_mb": 0}, {"max_memory_mb": 1.5}, {"threads": 0}):
        with pytest.raises(ValueError):
            Limits(**bad)


# --- the command line --------------------------------------------------------


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@slow
def test_cli_time_limit(dataset):
    r = cli("query", ENDLESS, "--data", str(dataset), "--timeout", "1")
    assert r.returncode == 2
    assert r.stderr.strip() == "error: query stopped after 1 s (time limit 1 s)"


@slow
def test_cli_memory_limit(dataset):
    r = cli("report", "attendance", "--data", str(dataset), "--max-memory", "256", "--timeout", "20", "--format", "csv")
    assert r.returncode == 0 and r.stdout.startswith("person,party,meetings,"), r.stderr
    r = cli("query", DATA_BOMB, "--data", str(dataset), "--max-memory", "256")
    assert r.returncode == 2
    assert r.stderr.strip() == "error: query needs more than 256 MB of memory (limit 256 MB)"


def test_cli_help_gives_the_defaults():
    for command in ("query", "report"):
        r = cli(command, "--help")
        text = " ".join(r.stdout.split())
        assert f"(default {DEFAULT_TIMEOUT:g})" in text and f"(default {DEFAULT_MAX_MEMORY_MB})" in text


@slow
def test_a_query_process_that_dies_for_lack_of_memory_is_the_memory_error(dataset, monkeypatch):
    # under the cap a thread may fail to get memory before Python can say so: the C library's words end the process
    dies = "import sys, os; sys.stderr.write('libgomp: cannot allocate memory for thread-local data: ABORT\\n'); os._exit(127)"
    monkeypatch.setattr(query, "QUERY_PROCESS", [sys.executable, "-c", dies])
    with pytest.raises(QueryMemoryError, match="limit 256 MB"):
        run_query(dataset, "select 1", Limits(max_memory_mb=256))
