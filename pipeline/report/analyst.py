"""Analyst reports as HTML: a chart where a picture says more than a table, and the table.

``render_analyst_report(name, data)`` writes one self-contained page for a
named report of ``pipeline.query`` (``attendance``, ``decisions``,
``amounts``):

* attendance: a matrix of people by meetings, each cell coloured by how the
  person was listed (present, absent, substitute, guest);
* decisions: per body, stacked bars of decisions by type for each meeting date;
* amounts: per meeting, a bar of the sum of its DKK amounts;

followed by the report's own table (the rows ``referat report NAME`` prints).

The data comes through ``pipeline.query.connect`` (its read-only views) and
``pipeline.people.people_index`` (one person across name variants).  Charts
are inline SVG (``pipeline.report.charts``); the page has no script at all and
its Content-Security-Policy says so (``script-src 'none'``), fetches nothing,
and shows document text (names, bodies) only escaped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..people import people_index, person_key
from ..query import REPORTS, connect
from . import charts
from .charts import BodySeries, MeetingAmount, Matrix
from .page import asset, esc, html_page, write_page

#: the matrix shows at most this many people (those listed in most meetings) ...
MAX_PEOPLE = 150
#: ... and this many meetings (the latest)
MAX_MEETINGS = 60
#: the decisions chart shows at most this many bodies (most decisions first) ...
MAX_BODIES = 12
#: ... and this many meeting dates per body (the latest)
MAX_DATES = 40
#: the amounts chart shows at most this many meetings (the latest)
MAX_AMOUNT_MEETINGS = 80
#: when one person is listed more than once in a meeting, the cell shows the first of these
ATTENDANCE_ORDER = ("present", "substitute", "guest", "absent")

TITLES = {
    "attendance": "Attendance: people by meetings",
    "decisions": "Decisions per type, body and meeting date",
    "amounts": "DKK amounts per meeting",
}


# --- meetings ------------------------------------------------------------------------


def meeting_labels(con) -> dict[str, tuple[tuple, str]]:
    """Every committed document: ``doc_id -> (sort key, label)``.

    The label is the meeting date and body (``undated`` / the file name when
    missing); documents with the same label (a meeting as PDF and as text)
    get their file type, then their file name, added.
    """
    docs = con.sql(
        """
        select d.doc_id, any_value(d.file_name) as file_name, any_value(d.file_type) as file_type,
               any_value(m.body) as body, min(m.meeting_date) as meeting_date
        from documents d left join meetings m using (doc_id)
        group by d.doc_id
        """
    ).fetchall()
    base: dict[str, str] = {}
    info = {}
    for doc_id, file_name, file_type, body, date in docs:
        base[doc_id] = f"{date.isoformat() if date else 'undated'} {body or file_name}"
        info[doc_id] = (file_name or "", file_type or "", body or "", date)
    taken = defaultdict(list)
    for doc_id, text in base.items():
        taken[text].append(doc_id)
    out = {}
    for doc_id, text in base.items():
        file_name, file_type, body, date = info[doc_id]
        if len(taken[text]) > 1:
            same_type = [d for d in taken[text] if info[d][1] == file_type]
            text += f" ({file_type})" if len(same_type) == 1 else f" ({file_name})"
        out[doc_id] = ((date is None, date or dt.date.min, body, file_name), text)
    return out


# --- the three charts' data -------------------------------------------------------------


def _display_names(linked) -> dict[str, str]:
    """``global_key -> name``: a written name whose key is the global key (as the attendance report shows it)."""
    names: dict[str, list[str]] = defaultdict(list)
    for name, key in zip(linked["name"], linked["global_key"]):
        if person_key(name) == key:
            names[key].append(name)
    return {key: sorted(found)[0] for key, found in names.items()}


def _rank(attendance: str) -> int:
    """The place of an attendance value in ``ATTENDANCE_ORDER`` (unknown values last)."""
    return ATTENDANCE_ORDER.index(attendance) if attendance in ATTENDANCE_ORDER else len(ATTENDANCE_ORDER)


def attendance_matrix(con) -> tuple[Matrix, list[str]]:
    """People (one per ``people_index`` global key) by meetings, with notes on what was left out."""
    people = con.sql("select doc_id, name, person_key, organisation, attendance from people").df()
    if people.empty:
        return Matrix([], [], []), ["The dataset lists no people."]
    linked = people_index(people)
    names = _display_names(linked)
    status: dict[tuple[str, str], str] = {}
    for doc_id, key, att in zip(linked["doc_id"], linked["global_key"], linked["attendance"]):
        att = att if att in ATTENDANCE_ORDER else "other"
        old = status.get((key, doc_id))
        if old is None or _rank(att) < _rank(old):
            status[(key, doc_id)] = att
    labels = meeting_labels(con)
    notes = []
    meetings = sorted({doc for _, doc in status}, key=lambda d: labels[d][0])
    if len(meetings) > MAX_MEETINGS:
        notes.append(f"The latest {MAX_MEETINGS} of {len(meetings)} meetings are shown.")
        meetings = meetings[-MAX_MEETINGS:]
    shown = set(meetings)
    count: dict[str, int] = defaultdict(int)
    for key, doc in status:
        if doc in shown:
            count[key] += 1
    keys = sorted(count, key=lambda k: (-count[k], names.get(k, k)))
    if len(keys) > MAX_PEOPLE:
        notes.append(f"The {MAX_PEOPLE} of {len(keys)} people listed in most of these meetings are shown.")
        keys = keys[:MAX_PEOPLE]
    keys.sort(key=lambda k: (names.get(k, k).casefold(), k))
    row = {k: i for i, k in enumerate(keys)}
    col = {d: j for j, d in enumerate(meetings)}
    cells = sorted((row[k], col[d], att) for (k, d), att in status.items() if k in row and d in col)
    return Matrix([names.get(k, k) for k in keys], [labels[d][1] for d in meetings], cells), notes


def decision_series(con) -> tuple[list[BodySeries], list[str]]:
    """Per body (most decisions first), decisions by type for each meeting date."""
    rows = con.sql(
        """
        select m.body, m.meeting_date, d.decision_type, count(*) as n
        from decisions d left join meetings m using (doc_id)
        group by all
        """
    ).fetchall()
    if not rows:
        return [], ["The dataset has no decisions."]
    per_body: dict[str, dict[tuple, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for body, date, kind, n in rows:
        per_body[body or "(no body)"][(date is None, date or dt.date.min)][kind] = n
    totals = {b: sum(sum(k.values()) for k in dates.values()) for b, dates in per_body.items()}
    bodies = sorted(per_body, key=lambda b: (-totals[b], b))
    notes = []
    if len(bodies) > MAX_BODIES:
        notes.append(f"The {MAX_BODIES} of {len(bodies)} bodies with most decisions are shown.")
        bodies = bodies[:MAX_BODIES]
    series = []
    for body in bodies:
        dates = sorted(per_body[body])
        if len(dates) > MAX_DATES:
            notes.append(f"{body}: the latest {MAX_DATES} of {len(dates)} meeting dates are shown.")
            dates = dates[-MAX_DATES:]
        kinds = sorted({k for d in dates for k in per_body[body][d]})
        counts = {k: [per_body[body][d].get(k, 0) for d in dates] for k in kinds}
        series.append(BodySeries(body, [("undated" if none else day.isoformat()) for none, day in dates], counts))
    return series, notes


def meeting_amounts(con) -> tuple[list[MeetingAmount], list[str]]:
    """Per meeting (document) with amounts, in date order: the DKK sum and the number of amounts."""
    rows = con.sql(
        """
        select a.doc_id, count(*) as n, coalesce(sum(a.value) filter (where a.currency = 'DKK'), 0) as dkk
        from amounts a
        group by a.doc_id
        """
    ).fetchall()
    if not rows:
        return [], ["The dataset has no amounts."]
    labels = meeting_labels(con)
    bodies = dict(con.sql("select doc_id, any_value(body) from meetings group by doc_id").fetchall())
    rows.sort(key=lambda r: labels[r[0]][0])
    notes = []
    if len(rows) > MAX_AMOUNT_MEETINGS:
        notes.append(f"The latest {MAX_AMOUNT_MEETINGS} of {len(rows)} meetings with amounts are shown.")
        rows = rows[-MAX_AMOUNT_MEETINGS:]
    return [MeetingAmount(labels[d][1], bodies.get(d) or "(no body)", float(dkk), int(n)) for d, n, dkk in rows], notes


def _attendance_chart(con) -> tuple[str, list[str]]:
    matrix, notes = attendance_matrix(con)
    return (charts.attendance_svg(matrix) if matrix.cells else ""), notes


def _decisions_chart(con) -> tuple[str, list[str]]:
    series, notes = decision_series(con)
    return (charts.decisions_svg(series) if series else ""), notes


def _amounts_chart(con) -> tuple[str, list[str]]:
    meetings, notes = meeting_amounts(con)
    return (charts.amounts_svg(meetings) if meetings else ""), notes


CHARTS: dict[str, Callable] = {"attendance": _attendance_chart, "decisions": _decisions_chart, "amounts": _amounts_chart}


# --- the page --------------------------------------------------------------------------


def _cell(value) -> tuple[str, bool]:
    """A table value as text, and whether it is a number (right-aligned)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, (float, decimal.Decimal)):
        v = float(value)
        if not math.isfinite(v):
            return "", True
        whole, frac = f"{v:,.2f}".split(".")
        return whole.replace(",", ".") + ("" if frac == "00" else "," + frac), True
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat(), False
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v)[0] for v in value), False
    return str(value), False


def render_table(columns: list[str], rows: list[tuple]) -> str:
    """The report's rows as an HTML table, every value escaped."""
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for value in row:
            text, number = _cell(value)
            cells.append(f'<td class="num">{esc(text)}</td>' if number else f"<td>{esc(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="report"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render_analyst_report(name: str, data: Path | str, out_path: Path | str | None = None) -> str:
    """The HTML page of report ``name`` over the dataset at ``data``; written to ``out_path`` when given.

    Raises ``KeyError`` for an unknown name, ``pipeline.query.QueryError`` when
    the dataset cannot be read and ``charts.ChartsUnavailable`` without matplotlib.
    """
    if name not in REPORTS:
        raise KeyError(f"unknown report {name!r}: use one of {', '.join(REPORTS)}")
    charts.require()
    data = Path(data)
    columns, rows = REPORTS[name](data)
    con = connect(data)
    try:
        svg, notes = CHARTS[name](con)
        documents = con.sql("select count(*) from documents").fetchall()[0][0]
    finally:
        con.close()
    chart = f'<figure class="chart" id="chart">{svg}</figure>' if svg else ""
    note_html = "".join(f'<p class="note">{esc(n)}</p>' for n in notes)
    body = (
        f'<header><h1>{esc(TITLES[name])}</h1>'
        f'<p class="meta">referat report {esc(name)} · dataset {esc(data)} · {documents} document{"s" if documents != 1 else ""} · referat {esc(__version__)}</p></header>'
        f"<main><section><h2>Chart</h2>{note_html}{chart}</section>"
        f'<section><h2>Table ({len(rows)} row{"s" if len(rows) != 1 else ""})</h2>{render_table(columns, rows)}</section></main>'
    )
    page = html_page(f"referat report · {name}", asset("analyst.css"), body, script=None)
    if out_path is not None:
        write_page(page, out_path)
    return page
