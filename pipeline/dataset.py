"""The dataset from Python: its tables as pandas DataFrames, SQL and named reports.

``open_dataset(folder)`` opens the folder ``referat ingest`` wrote.  Every
answer holds committed rows only, as the views of ``pipeline.query`` do.
DataFrames carry the declared column types (``pipeline.tables.SCHEMA``) as
pandas Arrow dtypes: ``int32`` stays ``int32`` with nulls, dates stay dates,
lists stay lists.

>>> from pipeline.dataset import open_dataset
>>> ds = open_dataset(data)  # the folder `referat ingest data/raw` wrote
>>> meetings = ds.tables["meetings"]
>>> print(meetings[["body", "meeting_date"]].drop_duplicates().sort_values("meeting_date").to_string(index=False))
                       body meeting_date
     Styregruppe Klynge Syd   2022-05-06
Politisk Sundhedsklynge Syd   2022-11-07
>>> meetings.dtypes["meeting_date"]
date32[day][pyarrow]
>>> ds.query('''
...     select m.body, count(*) as afbud
...     from people p join meetings m using (doc_id) join documents d using (doc_id)
...     where p.attendance = 'absent' and d.file_type = 'pdf'
...     group by m.body order by m.body''')
                          body  afbud
0  Politisk Sundhedsklynge Syd      4
1       Styregruppe Klynge Syd      2
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .query import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_THREADS,
    DEFAULT_TIMEOUT,
    Limits,
    check_dataset,
    committed_table,
    connect,
    run_arrow,
)
from .tables import TABLES, arrow_schema


def dtypes(table: str) -> dict[str, pd.ArrowDtype]:
    """The pandas dtype of every column of ``table``, as declared in the schema.

    >>> dtypes("meetings")["meeting_date"]
    date32[day][pyarrow]
    >>> dtypes("people")["page"]
    int32[pyarrow]
    """
    return {f.name: pd.ArrowDtype(f.type) for f in arrow_schema(table)}


def frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame whose columns keep their Arrow types (nulls stay nulls)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


class Tables(Mapping[str, pd.DataFrame]):
    """Every table of a dataset by name; each is read from the files when it is looked up.

    >>> ds = open_dataset(data)
    >>> list(ds.tables) == list(TABLES)
    True
    >>> len(ds.tables["documents"])
    4
    """

    def __init__(self, dataset: Dataset):
        self._dataset = dataset

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._dataset.table(name)

    def __contains__(self, name: object) -> bool:
        return name in TABLES  # without reading the table

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def __repr__(self) -> str:
        return f"<tables of {self._dataset.path}: {', '.join(TABLES)}>"


class Dataset:
    """The referat dataset at ``path``: committed rows as DataFrames, SQL and reports within ``limits``."""

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits

    def __repr__(self) -> str:
        return f"open_dataset({str(self.path)!r})"

    def table(self, name: str) -> pd.DataFrame:
        """The committed rows of table ``name``, every column with its declared dtype.

        >>> people = open_dataset(data).table("people")
        >>> people.dtypes["attendance"], people.dtypes["page"]
        (string[pyarrow], int32[pyarrow])
        >>> people.attendance.value_counts().sort_index()
        attendance
        absent        12
        guest         10
        present       58
        substitute     4
        Name: count, dtype: int64[pyarrow]
        """
        return frame(committed_table(self.path, name))

    @property
    def tables(self) -> Tables:
        """All tables by name (``documents``, ``meetings``, ``people``, ...), read on access."""
        return Tables(self)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A sandboxed in-memory DuckDB connection with one view per table.

        No file access, settings locked, DuckDB's memory limit and threads
        from the limits.  There is no time limit on a connection you hold:
        stop a long query with ``con.interrupt()`` from another thread, or
        use ``query``.  Close it when done (or use it in a ``with`` block).

        >>> with open_dataset(data).connect() as con:
        ...     con.sql("select count(*) from agenda_items").fetchall()
        [(32,)]
        """
        return connect(self.path, self.limits)

    def query(self, sql: str) -> pd.DataFrame:
        """The result of ``sql`` over the views, run in a query process bounded by the limits.

        Raises ``pipeline.query.QueryError`` (``QueryTimeout`` and
        ``QueryMemoryError`` for the limits).

        >>> ds = open_dataset(data, timeout=1)
        >>> ds.query("select count(*) from range(10000000000000)")
        Traceback (most recent call last):
        ...
        pipeline.query.QueryTimeout: query stopped after 1 s (time limit 1 s)
        """
        return frame(run_arrow(self.path, sql=sql, limits=self.limits))

    def report(self, name: str) -> pd.DataFrame:
        """The named report (``attendance``, ``decisions`` or ``amounts``), as ``referat report`` prints it.

        >>> open_dataset(data).report("decisions").head(3)
                                  body  meetings decision_type  decisions
        0  Politisk Sundhedsklynge Syd         2     discussed          6
        1  Politisk Sundhedsklynge Syd         2       decided          4
        2  Politisk Sundhedsklynge Syd         2          none          4
        """
        return frame(run_arrow(self.path, report=name, limits=self.limits))


def open_dataset(
    path: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    threads: int = DEFAULT_THREADS,
) -> Dataset:
    """The referat dataset in the folder ``path``; ``NotADatasetError`` if it is not one.

    ``timeout`` (seconds), ``max_memory_mb`` and ``threads`` bound each
    ``query`` and ``report``, as ``referat query --timeout --max-memory`` do.

    >>> open_dataset(data)  # doctest: +ELLIPSIS
    open_dataset('...parsed')
    """
    return Dataset(check_dataset(Path(path)), Limits(timeout=timeout, max_memory_mb=max_memory_mb, threads=threads))
