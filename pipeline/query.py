"""SQL over the dataset: DuckDB views of the committed rows, named reports, output formats.

``connect`` opens an in-memory DuckDB database with one view per table
(``documents``, ``meetings``, ``people``, ...).  The views hold committed
rows only: rows of a document whose ``documents`` row (the commit marker,
see ``pipeline.store``) is missing are left out, hidden temporary files are
never read, and a table whose folder is missing or empty is an empty view
with the declared columns.

The dataset files are scanned through pyarrow datasets, not by DuckDB's own
file readers, so DuckDB's access to the file system can be switched off
entirely (``enable_external_access = false``): a query can read the views but
cannot read, write or attach any file — ``COPY ... TO``, ``ATTACH`` and
``read_csv`` all fail with a permission error.

Named reports (``REPORTS``) return ``(columns, rows)`` like ``run_query``;
``format_rows`` renders either as a text table, CSV or JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pyarrow.dataset as pads

from .people import people_index, person_key
from .store import COMMIT_TABLE
from .tables import TABLES, arrow_schema

FORMATS = ("table", "csv", "json")

Result = tuple[list[str], list[tuple]]


class QueryError(Exception):
    """A query or report could not run (bad SQL, unreadable files, no dataset)."""


class NotADatasetError(QueryError):
    """The folder given is not a referat dataset."""


# --- connection --------------------------------------------------------------


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


def connect(data: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table of the dataset at ``data``.

    The connection cannot touch the file system: the views are the only way
    to the data, and nothing a query does can change the dataset.
    """
    data = Path(data)
    if not (data / COMMIT_TABLE).is_dir():
        raise NotADatasetError(f"{data}: not a referat dataset (no {COMMIT_TABLE} folder in it)")
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        # the commit table first: the other views filter on it
        for table in (COMMIT_TABLE, *(t for t in TABLES if t != COMMIT_TABLE)):
            rel = con.from_arrow(_table_dataset(data, table))
            if table != COMMIT_TABLE:
                rel = rel.filter(f"doc_id in (select doc_id from {COMMIT_TABLE})")
            rel.create_view(table)
        # only the views (Arrow scans, which do not go through DuckDB's file
        # system) reach the files; queries cannot read, write or attach files,
        # and this cannot be switched back on while the database is open
        con.execute("set enable_external_access = false")
        # no implicit scans of Python variables by name either
        con.execute("set python_enable_replacements = false")
    except Exception:
        con.close()
        raise
    return con


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> Result:
    """Run ``sql``; the last statement's result as column names and row tuples.

    Results go through Arrow: DuckDB's own conversion of timestamps with time
    zone needs pytz, Arrow's does not.
    """
    rel = con.sql(sql)
    if rel is None:  # a statement without a result (SET, CREATE VIEW, ...)
        return [], []
    result = rel.to_arrow_table()
    values = [col.to_pylist() for col in result.columns]
    return list(result.column_names), list(zip(*values))


def run_query(data: Path, sql: str) -> Result:
    """Run the user's own ``sql`` against the views of the dataset at ``data``."""
    con = connect(data)
    try:
        return _fetch(con, sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from exc
    finally:
        con.close()


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
       count(distinct p.doc_id)                               as meetings,
       count(*) filter (where p.attendance = 'present')       as present,
       count(*) filter (where p.attendance = 'absent')        as absent,
       count(*) filter (where p.attendance = 'substitute')    as substitute,
       count(*) filter (where p.attendance = 'guest')         as guest,
       any_value(s.substituted_by)                            as substituted_by
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
select m.body,
       year(m.meeting_date)                                   as year,
       a.item_no,
       count(*)                                               as amounts,
       sum(a.value) filter (where a.currency = 'DKK')         as sum_dkk,
       count(*) filter (where a.repaired)                     as repaired,
       count(*) filter (where a.value is null)                as unreadable
from amounts a
left join meetings m using (doc_id)
group by m.body, year(m.meeting_date), a.item_no
order by m.body nulls last, year nulls last, a.item_no nulls first
"""


def _linked_people(con: duckdb.DuckDBPyConnection):
    """The people view with the cross-document keys of ``people_index`` joined on."""
    people = con.sql("select doc_id, name, person_key, organisation, attendance, substitute_for from people").df()
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


def _report(data: Path, sql: str, prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> Result:
    con = connect(data)
    try:
        if prepare is not None:
            prepare(con)
        return _fetch(con, sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from exc
    finally:
        con.close()


def attendance(data: Path) -> Result:
    """Per person across meetings: meetings, present/absent/substitute/guest, substituted by.

    Name variants of one person in different documents ("Anne Krøjer",
    "Anne Krøjer Jacobsen") are one person (``pipeline.people.people_index``).
    ``meetings`` counts documents.
    """
    return _report(data, ATTENDANCE_SQL, lambda con: con.register("linked_people", _linked_people(con)))


def decisions(data: Path) -> Result:
    """Decisions per body and decision type, with the number of meetings (documents) per body."""
    return _report(data, DECISIONS_SQL)


def amounts(data: Path) -> Result:
    """Money amounts per body, meeting year and item: count, DKK sum, repaired, unreadable."""
    return _report(data, AMOUNTS_SQL)


REPORTS: dict[str, Callable[[Path], Result]] = {
    "attendance": attendance,
    "decisions": decisions,
    "amounts": amounts,
}


# --- output formats ----------------------------------------------------------

#: control characters and bidi overrides: document text must not steer the terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(value) -> object:
    """A value as JSON can hold it: dates and decimals as strings, lists as lists."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # e.g. an interval
        return _plain(value._asdict())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def _text(value) -> str:
    """A value as one table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_plain(value), ensure_ascii=False)
    plain = _plain(value)
    return "" if plain is None else str(plain)


def _unique(columns: Sequence[str]) -> list[str]:
    """Column names made unique (``a``, ``a_2``) so that no JSON key is lost."""
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        seen[c] = seen.get(c, 0) + 1
        out.append(c if seen[c] == 1 else f"{c}_{seen[c]}")
    return out


def _to_csv(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_text(v) for v in row] for row in rows)
    return buf.getvalue()


def _to_json(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    keys = _unique(columns)
    objects = [{k: _plain(v) for k, v in zip(keys, row)} for row in rows]
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


def _cell(value) -> str:
    """A table cell: lists as comma-separated items, control characters removed."""
    if isinstance(value, float) and math.isfinite(value):
        text = f"{value:,.15g}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(_text(v) for v in value)
    else:
        text = _text(value)
    return _CONTROL.sub("", text.replace("\t", " "))


def _is_number(value) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _to_table(columns: Sequence[str], rows: Sequence[Sequence], width: int | None) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text cells are never read as rich markup: "[red]" in a document stays "[red]"
    table = Table(caption=f"{len(rows)} row{'' if len(rows) == 1 else 's'}", caption_justify="left")
    for i, name in enumerate(columns):
        values = [row[i] for row in rows if row[i] is not None]
        numeric = bool(values) and all(_is_number(v) for v in values)
        table.add_column(Text(_CONTROL.sub("", name)), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row))
    buf = io.StringIO()
    Console(file=buf, width=width or 100_000, color_system=None, highlight=False, emoji=False).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def format_rows(columns: Sequence[str], rows: Sequence[Sequence], fmt: str = "table", width: int | None = None) -> str:
    """Render a result as ``table`` (text, ``width`` columns at most), ``csv`` or ``json``.

    CSV: one header line, values quoted where needed, lists and structs as
    JSON text, nulls empty.  JSON: a list of objects, one per row; dates,
    times and decimals as strings, lists as lists, non-ASCII kept as is.
    """
    if fmt == "csv":
        return _to_csv(columns, rows)
    if fmt == "json":
        return _to_json(columns, rows)
    if fmt == "table":
        return _to_table(columns, rows, width)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
