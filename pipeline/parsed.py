"""``Parsed``: the result of parsing one document, its rows and the same as DataFrames.

A module of its own, without the parser's imports: ``referat show`` receives a
``Parsed`` from its guarded child, and unpickling it must not load the parser
(spaCy, pdfplumber, pyarrow) in the process that only prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .parse import Trace


def _no_rows() -> dict[str, list[dict]]:
    from .tables import TABLES

    return {t: [] for t in TABLES}


@dataclass(frozen=True)
class Parsed:
    """The tables of one document and what was read.

    ``rows``: table name -> list of column dicts (what ``ingest`` writes);
    ``tables``: the same as pandas DataFrames with the schema's dtypes;
    ``trace``: what was read, for ``show`` and ``inspect`` (not sent between processes).
    """

    doc_id: str
    rows: Mapping[str, list[dict]] = field(default_factory=_no_rows)
    trace: Trace | None = None

    @property
    def status(self) -> str:
        """ok, partial or failed (see ``documents.status``)."""
        return self.rows["documents"][0]["status"]

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the schema (``documents``, ``meetings``, ``people``, …) as a pandas DataFrame.

        Built on first access (pandas is imported then); each column has its
        declared type as a pandas Arrow dtype, as ``pipeline.open_dataset``
        gives them: ``int32`` stays ``int32`` with nulls, dates stay dates,
        lists stay lists.  A table without rows is an empty frame with every column.
        """
        from .dataset import frame
        from .tables import to_arrow

        return {name: frame(to_arrow(name, rows)) for name, rows in self.rows.items()}

    @property
    def diagnostics(self) -> pd.DataFrame:
        """The ``diagnostics`` table: what was repaired, inferred or could not be read."""
        return self.tables["diagnostics"]

    def for_transfer(self) -> Parsed:
        """The rows only: what a worker sends to the writer."""
        return Parsed(self.doc_id, self.rows)
