"""Output formats of rows: a text table, CSV or JSON (``referat query``, ``report`` and ``show``).

A module of its own, without DuckDB or pyarrow, so that ``referat show``
prints JSON or CSV without loading the query engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import re
from collections.abc import Sequence

FORMATS = ("table", "csv", "json")

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
