"""Charts for the analyst reports, drawn with matplotlib as inline SVG.

SVG needs no script and no file beside the page, so a report page keeps its
Content-Security-Policy at ``script-src 'none'``.  Text stays text in the SVG
(``svg.fonttype: none``): names are searchable and escaped by matplotlib's
XML writer; mathtext is off for every label taken from the data, so a ``$`` in
a name is a dollar sign.

Each drawn datum carries an id (matplotlib's ``gid``) that tests and readers
can find: ``cell-R-C`` (attendance matrix), ``bar-B-D-T`` (decisions),
``amount-I`` (amounts); axis labels of the matrix are ``row-R`` and ``col-C``.

matplotlib is an optional dependency (``pip install 'referat[charts]'``); it
is imported when a chart is drawn, and ``ChartsUnavailable`` says how to get it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from .page import plain

#: attendance colours: the same as the inspection report's attendee boxes
ATTENDANCE_COLOURS = {
    "present": "#2ca02c",
    "absent": "#d62728",
    "substitute": "#ff7f0e",
    "guest": "#9467bd",
    "other": "#8c8c00",
}
#: decision types in stacking order, with their colours
DECISION_COLOURS = {
    "approved": "#2ca02c",
    "decided": "#1f77b4",
    "noted": "#17becf",
    "discussed": "#bcbd22",
    "referred": "#9467bd",
    "postponed": "#ff7f0e",
    "rejected": "#d62728",
    "none": "#c7c7c7",
}
OTHER_DECISION = "#7f7f7f"
#: body colours of the amounts chart, in turn
BODY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
#: labels from the data are cut to this many characters
LABEL_CHARS = 48
#: the side of one attendance matrix cell, in inches
CELL = 0.24

_RC = {
    "svg.fonttype": "none",  # text as <text>, not glyph outlines
    "svg.hashsalt": "referat",  # ids do not change from run to run
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.usetex": False,
}


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _matplotlib():
    """matplotlib, imported on first use: it is heavy and only the HTML reports need it."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartsUnavailable("the HTML reports draw their charts with matplotlib, which is not installed: pip install 'referat[charts]'") from None
    return matplotlib, Figure


def require() -> None:
    """Raise ``ChartsUnavailable`` (with how to install it) unless matplotlib can be imported."""
    _matplotlib()


def label(text: str | None, n: int = LABEL_CHARS) -> str:
    """A data value as a chart label: one line, no control characters, at most ``n`` characters."""
    text = " ".join(plain(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def dkk(value: float) -> str:
    """1234567.5 -> '1.234.568' (whole kroner, Danish thousands separator)."""
    return f"{value:,.0f}".replace(",", ".")


def to_svg(fig) -> str:
    """A matplotlib figure as an ``<svg>`` element to put inline in HTML (no XML prolog, no metadata)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buf.getvalue()
    return text[text.index("<svg") :].strip()


# --- attendance matrix ------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    """People (rows) by meetings (columns); each cell an attendance value."""

    people: Sequence[str]
    meetings: Sequence[str]
    cells: Sequence[tuple[int, int, str]]  # (row, column, attendance)


def attendance_svg(m: Matrix) -> str:
    """The attendance matrix: one coloured square per person and meeting they are listed in."""
    matplotlib, Figure = _matplotlib()
    from matplotlib.patches import Patch, Rectangle  # matplotlib is imported lazily (see _matplotlib)

    rows, cols = len(m.people), len(m.meetings)
    # square cells of CELL inches; room (inches) for the names, the legend and the meetings
    # around them ("tight" saving trims what is not used and keeps what sticks out)
    grid_w, grid_h = CELL * max(cols, 1), CELL * max(rows, 1)
    left, right, top, bottom = 2.8, 2.0, 2.6, 0.2
    width, height = left + grid_w + right, top + grid_h + bottom
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        ax = fig.add_axes((left / width, bottom / height, grid_w / width, grid_h / height))
        for r, c, status in m.cells:
            colour = ATTENDANCE_COLOURS.get(status, ATTENDANCE_COLOURS["other"])
            ax.add_patch(Rectangle((c + 0.06, r + 0.06), 0.88, 0.88, facecolor=colour, edgecolor="none", gid=f"cell-{r}-{c}"))
        ax.set_xlim(0, max(cols, 1))
        ax.set_ylim(max(rows, 1), 0)  # first person at the top
        ax.xaxis.tick_top()  # meetings above the matrix
        ax.set_xticks([c + 0.5 for c in range(cols)], labels=[label(x, 60) for x in m.meetings], rotation=50, ha="left", rotation_mode="anchor", parse_math=False)
        ax.set_yticks([r + 0.5 for r in range(rows)], labels=[label(p) for p in m.people], parse_math=False)
        for r, tick in enumerate(ax.yaxis.get_major_ticks()):
            tick.label1.set_gid(f"row-{r}")
        for c, tick in enumerate(ax.xaxis.get_major_ticks()):
            tick.label2.set_gid(f"col-{c}")  # the top label is a tick's second one
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        shown = {status if status in ATTENDANCE_COLOURS else "other" for _, _, status in m.cells}
        handles = [Patch(facecolor=colour, label=s) for s, colour in ATTENDANCE_COLOURS.items() if s in shown]
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="attendance")
        return to_svg(fig)


# --- decisions per type per body over time ---------------------------------------------


@dataclass(frozen=True)
class BodySeries:
    """One body's decisions: per meeting date, the count of each decision type."""

    body: str
    dates: Sequence[str]
    counts: dict[str, Sequence[int]] = field(default_factory=dict)  # decision type -> one count per date


def decisions_svg(series: Sequence[BodySeries]) -> str:
    """One panel per body: stacked bars of decisions by type for each meeting date."""
    matplotlib, Figure = _matplotlib()
    from matplotlib.patches import Patch  # matplotlib is imported lazily (see _matplotlib)

    widest = max((len(s.dates) for s in series), default=1)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(min(3.5 + 0.55 * widest, 30), 0.6 + 2.3 * max(len(series), 1)), layout="constrained")
        axes = fig.subplots(max(len(series), 1), 1, squeeze=False, sharey=True)[:, 0]  # one scale: bodies compare
        types_used: list[str] = []
        for b, (ax, s) in enumerate(zip(axes, series)):
            bottom = [0] * len(s.dates)
            for t in (*DECISION_COLOURS, *sorted(set(s.counts) - set(DECISION_COLOURS))):
                values = s.counts.get(t)
                if not values or not any(values):
                    continue
                if t not in types_used:
                    types_used.append(t)
                bars = ax.bar(range(len(s.dates)), values, bottom=bottom, color=DECISION_COLOURS.get(t, OTHER_DECISION), width=0.7)
                for d, (bar, v) in enumerate(zip(bars, values)):
                    bar.set_gid(f"bar-{b}-{d}-{t}")
                    bar.set_visible(v > 0)
                bottom = [x + y for x, y in zip(bottom, values)]
            ax.set_title(label(s.body, 80), loc="left", fontsize=10, parse_math=False)
            ax.set_xticks(range(len(s.dates)), labels=[label(d, 20) for d in s.dates], parse_math=False)
            ax.set_xlim(-0.6, max(len(s.dates), 1) - 0.4)
            ax.set_ylabel("decisions")
            ax.yaxis.get_major_locator().set_params(integer=True)
        handles = [Patch(facecolor=DECISION_COLOURS.get(t, OTHER_DECISION), label=t) for t in types_used]
        if handles:
            fig.legend(handles=handles, loc="outside right upper", frameon=False, title="decision type")
        return to_svg(fig)


# --- amounts per meeting ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingAmount:
    """The DKK amounts of one meeting (document)."""

    meeting: str  # label: date, body, file
    body: str
    dkk: float  # sum of the DKK amounts
    amounts: int  # how many amounts (any currency, readable or not)


def amounts_svg(meetings: Sequence[MeetingAmount]) -> str:
    """One horizontal bar per meeting: the sum of its DKK amounts, coloured by body."""
    matplotlib, Figure = _matplotlib()
    from matplotlib.patches import Patch  # matplotlib is imported lazily (see _matplotlib)
    from matplotlib.ticker import FuncFormatter

    bodies = list(dict.fromkeys(m.body for m in meetings))
    colour = {b: BODY_COLOURS[i % len(BODY_COLOURS)] for i, b in enumerate(bodies)}
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(9, 1.2 + 0.32 * max(len(meetings), 1)))
        ax = fig.add_subplot()
        bars = ax.barh(range(len(meetings)), [m.dkk for m in meetings], color=[colour[m.body] for m in meetings], height=0.7)
        top = max((m.dkk for m in meetings), default=0)
        for i, (bar, m) in enumerate(zip(bars, meetings)):
            bar.set_gid(f"amount-{i}")
            ax.text(m.dkk + top * 0.01, i, f"{dkk(m.dkk)} kr. ({m.amounts} amount{'s' if m.amounts != 1 else ''})", va="center", fontsize=8, parse_math=False)
        ax.set_yticks(range(len(meetings)), labels=[label(m.meeting, 60) for m in meetings], parse_math=False)
        ax.set_ylim(len(meetings) - 0.5, -0.5)
        ax.set_xlim(0, top * 1.3 or 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: dkk(v)))
        ax.set_xlabel("sum of DKK amounts (kr.)")
        if len(bodies) > 1:
            # legend texts cannot switch mathtext off: a "$" in a body name is escaped instead
            handles = [Patch(facecolor=colour[b], label=label(b, 40).replace("$", r"\$")) for b in bodies]
            ax.legend(handles=handles, loc="lower right", frameon=False)
        return to_svg(fig)
