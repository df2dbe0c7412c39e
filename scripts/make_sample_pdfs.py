#!/usr/bin/env python3
"""Re-create PDF renditions of the two sample referater in ``data/raw/``.

The sample minutes were originally Word-made PDFs that have since been lost;
only the text extracted from them survives (``data/raw/*.txt``).  The parser
must give the same rows for the .txt and the .pdf of a meeting, so this script
typesets each seed file *line by line* instead of re-flowing paragraphs:

* every non-empty seed line becomes exactly one line in the PDF, so words that
  are hyphenated across line ends ("sund-" / "hedsklyngens") stay split
  exactly as in the seed;
* a whitespace-only seed line is an empty paragraph and becomes a small
  vertical gap; an empty seed line is an extraction artefact and is skipped;
* a leading space (a page-start artefact) and trailing spaces are dropped;
* "Side N af M" lines are page furniture and are re-created on every page.

Everything else about the layout (which lines are bold headings, where the
pages break, the money table, the header box) is encoded below by matching
the seed text exactly.  If a seed file changes so that a rule no longer
matches, the script raises ``SeedMismatch`` instead of quietly producing a
different PDF; a line that would not fit its page or its margin raises
``LayoutError``.

The output is deterministic (reportlab invariant mode, fixed creation date
and metadata): running the script twice gives byte-identical PDFs.

Usage::

    .venv/bin/python scripts/make_sample_pdfs.py            # writes data/raw/*.pdf
    .venv/bin/python scripts/make_sample_pdfs.py --out-dir /tmp/pdfs
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Union

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parents[1]
RAW_DIR = REPO / "data" / "raw"

PAGE_WIDTH, PAGE_HEIGHT = A4


class SeedMismatch(RuntimeError):
    """The seed text does not look the way the layout rules expect."""


class LayoutError(RuntimeError):
    """Some content does not fit where the layout puts it."""


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------
# reportlab's own WinAnsi codec writes U+2022 BULLET as byte 0x7F.  Viewers
# draw a bullet there, but pdfminer/pdfplumber extract "(cid:127)".  We
# therefore register Helvetica under an encoding named after Python's cp1252
# codec: its glyph vector is identical to WinAnsiEncoding (so the PDF font
# dictionary still says /WinAnsiEncoding), but text is encoded with cp1252,
# which puts the bullet at 0x95 where every extractor expects it.
TEXT_ENCODING = "cp1252"
REGULAR = "Helvetica-cp1252"
BOLD = "Helvetica-Bold-cp1252"


def register_fonts() -> None:
    """Register the two Helvetica variants used for all text (idempotent)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerEncoding(pdfmetrics.Encoding(TEXT_ENCODING, "WinAnsiEncoding"))
    for name, face in ((REGULAR, "Helvetica"), (BOLD, "Helvetica-Bold")):
        pdfmetrics.registerFont(pdfmetrics.Font(name, face, TEXT_ENCODING))


def check_encodable(text: str, source: Path) -> None:
    """Fail unless every character of ``text`` has a real glyph in both fonts.

    reportlab would otherwise silently substitute a Symbol/ZapfDingbats glyph
    or a black box for characters outside the font encoding.
    """
    register_fonts()
    for ch in sorted(set(text) - {"\n"}):
        try:
            code = ch.encode(TEXT_ENCODING)
        except UnicodeEncodeError:
            raise SeedMismatch(f"{source.name}: {ch!r} (U+{ord(ch):04X}) is not in WinAnsi") from None
        for font_name in (REGULAR, BOLD):
            if pdfmetrics.getFont(font_name).widths[code[0]] == 0:
                raise SeedMismatch(f"{source.name}: {ch!r} has no glyph in {font_name}")


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


# --------------------------------------------------------------------------
# Reading the seed
# --------------------------------------------------------------------------
# A seed is read into a list whose items are either a text line (str) or
# GAP (None), an empty paragraph.
GAP = None
SeedLines = list[Union[str, None]]

PAGE_NUMBER_RE = re.compile(r"Side \d+ af \d+")


def read_seed(path: Path) -> SeedLines:
    text = path.read_text(encoding="utf-8")
    check_encodable(text, path)
    lines: SeedLines = []
    for raw in text.split("\n"):
        if raw == "":
            continue  # extraction artefact: (almost) every line is followed by one
        stripped = raw.strip()
        lines.append(stripped if stripped else GAP)
    return lines


def indices_of(lines: SeedLines, text: str) -> list[int]:
    return [i for i, line in enumerate(lines) if line == text]


def index_once(lines: SeedLines, text: str) -> int:
    found = indices_of(lines, text)
    if len(found) != 1:
        raise SeedMismatch(f"expected exactly one line {text!r}, found {len(found)}")
    return found[0]


def run_index_once(lines: SeedLines, run: tuple[str, ...]) -> int:
    """Index of the only place where the lines of ``run`` appear consecutively."""
    found = [i for i in range(len(lines) - len(run) + 1) if tuple(lines[i : i + len(run)]) == run]
    if len(found) != 1:
        raise SeedMismatch(f"expected exactly one occurrence of {run!r}, found {len(found)}")
    return found[0]


def remove_page_numbers(lines: SeedLines, expected: list[str]) -> SeedLines:
    """Drop the seed's "Side N af M" lines (re-drawn as page furniture)."""
    found = [line for line in lines if line and PAGE_NUMBER_RE.fullmatch(line)]
    if found != expected:
        raise SeedMismatch(f"page-number lines {found!r}, expected {expected!r}")
    return [line for line in lines if not (line and PAGE_NUMBER_RE.fullmatch(line))]


# --------------------------------------------------------------------------
# Flowables: what a document body is made of
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    space_before: float = 0.0  # extra space above, not applied at a page top


@dataclass
class Line:
    """One seed line.  A list item has a marker ("•", "1.") drawn at the left
    edge and its text at ``indent``; a continuation line has no marker."""

    text: str
    style: Style
    marker: str | None = None
    indent: float = 0.0

    @property
    def height(self) -> float:
        return self.style.leading

    @property
    def space_before(self) -> float:
        return self.style.space_before


@dataclass
class Gap:
    height: float


@dataclass
class Block:
    """A drawn block (table, box).  ``draw(canvas, x_left, y_top)``."""

    height: float
    draw: Callable[[Canvas, float, float], None]
    space_before: float = 0.0


class PageBreak:
    pass


Flowable = Union[Line, Gap, Block, PageBreak]


@dataclass
class Layout:
    """Page geometry and running page furniture of one document."""

    left: float
    right: float
    body_top: float  # y of the top of the body frame
    body_bottom: float  # y of the bottom of the body frame
    furniture: Callable[[Canvas, int, int], None]

    @property
    def body_width(self) -> float:
        return PAGE_WIDTH - self.left - self.right


@dataclass
class Document:
    seed: Path
    pdf_name: str
    title: str
    author: str
    subject: str
    created: tuple[int, int, int]  # fixed creation date (UTC noon)
    pages: int  # the page count the layout must produce
    layout: Layout
    flow: list[Flowable]


# --------------------------------------------------------------------------
# Turning classified seed lines into flowables
# --------------------------------------------------------------------------
LIST_MARKER_RE = re.compile(r"(•|\d+\.) (.*)")


def assign_roles(lines, roles, headings, groups, labels, doc: str) -> None:
    """Mark heading runs, list headings and block labels, each found by exact text."""
    for run in headings:
        start = run_index_once(lines, run)
        roles[start] = "heading"
        for k in range(1, len(run)):
            roles[start + k] = "heading_cont"
    for text in groups:
        roles[index_once(lines, text)] = "group"
    for text, count in labels.items():
        found = indices_of(lines, text)
        if len(found) != count:
            raise SeedMismatch(f"{doc}: {text!r} occurs {len(found)} times, expected {count}")
        roles.update(dict.fromkeys(found, "label"))


def classify_lists(lines: SeedLines, roles: dict[int, str]) -> None:
    """Give every not yet classified line the role body, bullet, number or cont.

    Lines starting with "• " are bullets and lines starting with "1. " etc.
    (that are not agenda headings) numbered recommendations.  A line that
    directly follows a list line ending in a hyphen or a dash is that item's
    continuation and gets the hanging indent.
    """
    for i, line in enumerate(lines):
        if line is GAP or i in roles:
            continue
        if line.startswith("• "):
            roles[i] = "bullet"
        elif re.match(r"\d+\. ", line):
            roles[i] = "number"
        elif (
            i > 0
            and roles.get(i - 1) in ("bullet", "number", "cont")
            and lines[i - 1].endswith(("-", "–"))
        ):
            roles[i] = "cont"
        else:
            roles[i] = "body"


def build_flow(
    lines: SeedLines,
    roles: dict[int, str],
    styles: dict[str, Style],
    *,
    gap: float,
    hang: float,
    breaks_after: list[str],
    inserts: dict[int, tuple[int, list[Flowable]]],
) -> list[Flowable]:
    """Turn classified seed lines into flowables.

    ``inserts`` maps the index of a seed item to (number of seed items to
    replace, flowables to put there); with 0 the flowables go in before the
    item.  ``breaks_after`` lists lines after which a new page starts (each
    must occur exactly once).
    """
    break_at = {index_once(lines, text) for text in breaks_after}
    flow: list[Flowable] = []
    i = 0
    while i < len(lines):
        if i in inserts:
            replaced, items = inserts[i]
            flow.extend(items)
            if replaced:
                i += replaced
                continue
        line = lines[i]
        if line is GAP:
            flow.append(Gap(gap))
        else:
            role = roles[i]
            if role in ("bullet", "number"):
                marker, rest = LIST_MARKER_RE.fullmatch(line).groups()
                flow.append(Line(rest, styles["body"], marker=marker, indent=hang))
            elif role == "cont":
                flow.append(Line(line, styles["body"], indent=hang))
            else:
                flow.append(Line(line, styles[role]))
        if i in break_at:
            flow.append(PageBreak())
        i += 1
    return flow


# --------------------------------------------------------------------------
# Pagination and drawing
# --------------------------------------------------------------------------
Placed = tuple[Union[Line, Block], float]  # flowable and the y of its top


def paginate(doc: Document) -> list[list[Placed]]:
    """Place the flow on pages.  Pages break only at explicit PageBreaks;
    anything that does not fit raises LayoutError.  Gaps at the top or the
    bottom of a page are dropped, and so is the space above the first item
    of a page."""
    layout = doc.layout
    pages: list[list[Placed]] = [[]]
    y = layout.body_top
    pending_gap = 0.0
    for item in doc.flow:
        if isinstance(item, PageBreak):
            pages.append([])
            y, pending_gap = layout.body_top, 0.0
            continue
        if isinstance(item, Gap):
            if pages[-1]:
                pending_gap += item.height
            continue
        if pages[-1]:
            # an empty paragraph and a style's space above do not add up
            y -= max(pending_gap, item.space_before)
        pending_gap = 0.0
        if y - item.height < layout.body_bottom - 0.01:
            what = item.text if isinstance(item, Line) else type(item).__name__
            raise LayoutError(
                f"{doc.pdf_name}: page {len(pages)} overflows by "
                f"{layout.body_bottom - (y - item.height):.1f} pt at {what!r}"
            )
        pages[-1].append((item, y))
        y -= item.height
    return pages


def baseline(top: float, size: float, leading: float) -> float:
    """Baseline of a line of type ``size`` in a line box of height ``leading``."""
    return top - (leading - size) / 2 - 0.8 * size


def draw_line(canvas: Canvas, layout: Layout, line: Line, top: float, pdf_name: str) -> None:
    style = line.style
    y = baseline(top, style.size, style.leading)
    x = layout.left + line.indent
    right_edge = x + text_width(line.text, style.font, style.size)
    if right_edge > PAGE_WIDTH - layout.right + 0.01:
        raise LayoutError(
            f"{pdf_name}: line runs {right_edge - (PAGE_WIDTH - layout.right):.1f} pt "
            f"into the right margin: {line.text!r}"
        )
    canvas.setFont(style.font, style.size)
    if line.marker:
        canvas.drawString(layout.left, y, line.marker)
    canvas.drawString(x, y, line.text)


@contextlib.contextmanager
def source_date(year: int, month: int, day: int) -> Iterator[None]:
    """Make reportlab stamp the PDF with a fixed creation date.

    reportlab's invariant mode honours SOURCE_DATE_EPOCH (the reproducible-
    builds convention) when it creates the document; the variable is set
    only while the canvas is constructed."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm((year, month, day, 12, 0, 0)))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def describe(doc: Document, pages: list[list[Placed]]) -> str:
    """One line per page: text lines placed, free space, first line."""
    out = [f"{doc.seed.name} -> {doc.pdf_name}: {len(pages)} pages"]
    for number, placed in enumerate(pages, start=1):
        first = placed[0][0].text if isinstance(placed[0][0], Line) else "[table]"
        n_lines = sum(1 for item, _ in placed if isinstance(item, Line))
        last_item, last_top = placed[-1]
        free = last_top - last_item.height - doc.layout.body_bottom
        out.append(f"  page {number}: {n_lines:2d} text lines, {free:5.1f} pt free, starts {first[:45]!r}")
    return "\n".join(out)


def render(doc: Document, out_dir: Path) -> list[list[Placed]]:
    """Write ``doc`` to ``out_dir``; return the pages as placed."""
    pages = paginate(doc)
    if len(pages) != doc.pages:
        raise LayoutError(f"{doc.pdf_name}: {len(pages)} pages, expected {doc.pages}")
    path = out_dir / doc.pdf_name
    rl_config.invariant = 1
    with source_date(*doc.created):
        canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(doc.title)
    canvas.setAuthor(doc.author)
    canvas.setSubject(doc.subject)
    canvas.setCreator("referat scripts/make_sample_pdfs.py")
    canvas.setKeywords("")
    for number, placed in enumerate(pages, start=1):
        doc.layout.furniture(canvas, number, len(pages))
        for item, top in placed:
            if isinstance(item, Line):
                draw_line(canvas, doc.layout, item, top, doc.pdf_name)
            else:
                item.draw(canvas, doc.layout.left, top)
        canvas.showPage()
    canvas.save()
    return pages


# --------------------------------------------------------------------------
# Ruled tables (drawn cell borders, so pdfplumber's find_tables() sees them)
# --------------------------------------------------------------------------
RULE_WIDTH = 0.5
CELL_PAD = 5.0


def draw_grid(canvas: Canvas, x: float, top: float, widths: list[float], heights: list[float]) -> None:
    """Draw the borders of a table whose columns/rows have the given sizes."""
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    canvas.setLineWidth(RULE_WIDTH)
    canvas.setStrokeGray(0)
    for y in ys:
        canvas.line(xs[0], y, xs[-1], y)
    for xv in xs:
        canvas.line(xv, ys[0], xv, ys[-1])


# ==========================================================================
# Politisk Sundhedsklynge Syd, 7 November 2022 (5 pages)
# ==========================================================================
# Page 5 of this meeting must hold the whole tail of the minutes (the money
# table of item 5 to the end, 57 seed lines), because the seed places the
# footer "Side 4 af 5" right before the table.  That only fits on A4 with a
# 10 pt body on 11.5 pt leading (Word's single spacing for a 10 pt Arial
# body), which also suits the seed's line lengths in Helvetica (the longest
# line is 414 pt at 10 pt on a 468 pt measure).
POL_TITLE = ("REFERAT", "Politisk Sundhedsklynge Syd")

# Agenda item headings, each as the run of seed lines it occupies.
POL_HEADINGS = [
    ("1. Velkomst og præsentation – kl. 17.00 – 17.10",),
    ("2. Godkendelse af kommissorium og forretningsorden – kl. 17.10 –", "17.15"),
    ("3. Præsentation af data – kl. 17.15 – 17.20",),
    ("4. Udfordringsbilleder og drøftelse af input til handleplan – kl. 17.20 –", "18.05"),
    ("5. Klyngemidler 2022 og 2023 – kl. 18.05 – 18.10",),
    ("6. Virtuel sundhedsundervisning til borgerne – 18.10 – 18.30",),
    ("7. Drøftelse af nærhospitaler og sundhedsklyngens perspektiver – kl.", "18.30 – 18.55"),
    ("8. Eventuelt – kl. 18.55 – 19.00",),
]
# Headings of the attendance lists on page 1.
POL_GROUPS = ["Mødedeltagere", "Udvalgsformænd med observatørstatus:", "Administrativ deltagelse", "Afbud"]
# Block labels (set in bold) and how often each occurs.
POL_LABELS = {"Referat:": 8, "Bilag:": 4, "Det indstilles, at Politisk Sundhedsklynge Syd:": 6}
# Page 2 starts at item 1, page 3 at item 3's "Referat:" (as the seed's
# page-start marker shows), page 4 at item 4's recommendation, and page 4 ends
# inside item 5 so that the money table opens page 5.
POL_BREAKS_AFTER = [
    "Lisbeth Lagoni (Jan Nybo deltager i hendes sted)",
    "1. Tager orienteringen til efterretning.",
    "ning for det tværsektorielle arbejde i sundhedsklyngen.",
    "udgør de fælles midler:",
]
# The money table follows the end of page 4.  Each seed row is split into its
# three cells by this pattern (an amount, a year, or a year with a remark).
POL_TABLE_AFTER = "udgør de fælles midler:"
POL_TABLE_ROWS = 4
_CELL = r"(\d[\d.]* kr\.|\d{4}(?: \(anslået\))?)"
POL_TABLE_ROW_RE = re.compile(rf"(\D+?) +{_CELL} +{_CELL}")
POL_TABLE_HEADER = ("Sundhedsklynge Syd", "2022", "2023 (anslået)")


def money_table(rows: list[tuple[str, str, str]], width: float, size: float) -> Block:
    """The ruled 3-column table of item 5; amounts right-aligned."""
    widths = [width * 0.44, width * 0.28, width * 0.28]
    row_height = size + 2 * 3.0
    heights = [row_height] * len(rows)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        # light shading behind the header row, then the grid, then the text
        canvas.setFillGray(0.88)
        canvas.rect(x, top - row_height, sum(widths), row_height, stroke=0, fill=1)
        canvas.setFillGray(0)
        draw_grid(canvas, x, top, widths, heights)
        for r, cells in enumerate(rows):
            font = BOLD if r == 0 else REGULAR
            y = baseline(top - r * row_height, size, row_height)
            canvas.setFont(font, size)
            cell_left = x
            for c, (cell, w) in enumerate(zip(cells, widths)):
                tw = text_width(cell, font, size)
                if tw > w - 2 * CELL_PAD:
                    raise LayoutError(f"table cell too narrow for {cell!r}")
                if c == 0:
                    canvas.drawString(cell_left + CELL_PAD, y, cell)
                else:
                    canvas.drawRightString(cell_left + w - CELL_PAD, y, cell)
                cell_left += w

    return Block(height=sum(heights), draw=draw, space_before=2.0)


def politisk_document() -> Document:
    seed = RAW_DIR / "politisk_sundhedsklynge_syd_2022-11-07.txt"
    lines = remove_page_numbers(read_seed(seed), ["Side 4 af 5"])

    size, leading = 10.0, 11.5
    styles = {
        "title": Style(BOLD, 16, 20),
        "subtitle": Style(BOLD, 13, 17, space_before=2),
        "heading": Style(BOLD, size, leading),
        "heading_cont": Style(BOLD, size, leading),  # 2nd line of a heading
        "group": Style(BOLD, size, leading, space_before=8),
        "label": Style(BOLD, size, leading),
        "body": Style(REGULAR, size, leading),
    }

    roles: dict[int, str] = {}
    if tuple(lines[:2]) != POL_TITLE:
        raise SeedMismatch(f"politisk: document does not start with {POL_TITLE!r}")
    roles[0], roles[1] = "title", "subtitle"
    assign_roles(lines, roles, POL_HEADINGS, POL_GROUPS, POL_LABELS, "politisk")

    # The money table: the first four text lines after POL_TABLE_AFTER.
    after = index_once(lines, POL_TABLE_AFTER) + 1
    while lines[after] is GAP:
        after += 1
    table_rows = []
    for k in range(POL_TABLE_ROWS):
        line = lines[after + k]
        match = POL_TABLE_ROW_RE.fullmatch(line or "")
        if not match:
            raise SeedMismatch(f"politisk: table row {k + 1} does not parse: {line!r}")
        table_rows.append(match.groups())
    if table_rows[0] != POL_TABLE_HEADER:
        raise SeedMismatch(f"politisk: table header is {table_rows[0]!r}")
    for k in range(POL_TABLE_ROWS):
        roles[after + k] = "table"  # replaced by the table block below

    classify_lists(lines, roles)
    layout = Layout(
        left=2.5 * cm,
        right=2.0 * cm,
        body_top=PAGE_HEIGHT - 2.0 * cm,
        body_bottom=2.0 * cm,
        furniture=centred_footer,
    )
    block = money_table(table_rows, layout.body_width, size)
    flow = build_flow(
        lines,
        roles,
        styles,
        gap=0.5 * leading,
        hang=0.63 * cm,
        breaks_after=POL_BREAKS_AFTER,
        inserts={after: (POL_TABLE_ROWS, [block])},
    )
    return Document(
        seed=seed,
        pdf_name=seed.with_suffix(".pdf").name,
        title="Referat – Politisk Sundhedsklynge Syd 7. november 2022",
        author="Sundhedsklynge Syd",
        subject="Referat af møde i Politisk Sundhedsklynge Syd",
        created=(2022, 11, 7),
        pages=5,
        layout=layout,
        flow=flow,
    )


def centred_footer(canvas: Canvas, number: int, total: int) -> None:
    """"Side N af M", small and centred at the bottom of every page."""
    canvas.setFont(REGULAR, 8)
    canvas.setFillGray(0)
    canvas.drawCentredString(PAGE_WIDTH / 2, 1.2 * cm, f"Side {number} af {total}")


# ==========================================================================
# Styregruppe Klynge Syd, 6 May 2022 (3 pages)
# ==========================================================================
STY_TITLE = "Referat Klyngestyregruppe Syd"
STY_HEADINGS = [
    ("1. Velkomst og godkendelse af dagsorden ved Søren Aalund",),
    ("2. Orientering om Det Nationale Ledelsesprogram på sundhedsområdet ved Søren Aalund",),
    ("3. Status fra arbejdet i driftsgruppen ved Lotte Holt Worup",),
    ("4. Seneste nyt om de politiske klyngemøder og fremtidens sundhedsklynger ved Søren", "Aalund"),
    ("5. Seminar den 11-12 aug. ved Søren Aalund og Inge Kjær Andersen",),
    ("6. Covid-19 og Danske Regioners arbejde ved Jan Mainz",),
    (
        "7. Fast punkt: Skal patienter eller pårørende inddrages i noget af det aftalte fra dagens",
        "møde? Og hvad skal formen være?",
    ),
    ("8. Evt.",),
]
STY_GROUPS = ["Dagsorden:"]
STY_LABELS = {"Det indstilles:": 6, "Det indstilles": 1, "Bilag: 1": 1}
# Page 2 starts after item 2's introduction, page 3 with item 5.
STY_BREAKS_AFTER = [
    "området yderligere. Derefter vil der være mulighed for spørgsmål og drøftelse.",
    "med henblik på at skabe en fælles holdning.",
]
# The header box.  In the seed its text landed in the middle of item 2; in
# the PDF it is a two-column bordered table at the top of page 1, placed
# right before this line.
STY_BOX_BEFORE = "Dagsorden:"
STY_GUEST_HEADING = "Gæster som deltager"
STY_PARTICIPANT_LINES = 13  # 12 participants, one broken over two lines
STY_GUEST_LINES = 4

# Where the running "Side N af 3" line sits (baseline), below the title.
STY_TITLE_BASELINE = PAGE_HEIGHT - 1.6 * cm - 14
STY_PAGE_LINE_BASELINE = STY_TITLE_BASELINE - 18


@dataclass
class BoxRow:
    label: str
    values: list[tuple[str, str] | None]  # (text, font) or None for a gap


def parse_box(lines: SeedLines) -> tuple[int, int, list[BoxRow]]:
    """Find the header box in the seed; return (start, end, rows).

    The seed reads the box column by column:
        Emne: / <emne> / Deltagere: / <participants> / Gæster som deltager /
        <guests> / Mødedato: / Tid og sted: / <date> / <place>
    """
    start = index_once(lines, "Emne:")
    texts = [(i, line) for i, line in enumerate(lines) if i >= start and line is not GAP]

    def take(expected: str | None = None) -> tuple[int, str]:
        if not texts:
            raise SeedMismatch(f"styregruppe box: text ends, expected {expected or 'a value'!r}")
        i, line = texts.pop(0)
        if expected is not None and line != expected:
            raise SeedMismatch(f"styregruppe box: expected {expected!r}, found {line!r}")
        return i, line

    def take_until(stop: str) -> list[str]:
        taken = []
        while texts and texts[0][1] != stop:
            taken.append(take()[1])
        return taken

    take("Emne:")
    _, emne = take()
    take("Deltagere:")
    participants = take_until(STY_GUEST_HEADING)
    take(STY_GUEST_HEADING)
    guests = take_until("Mødedato:")
    take("Mødedato:")
    take("Tid og sted:")
    _, date = take()
    end, place = take()
    if len(participants) != STY_PARTICIPANT_LINES or len(guests) != STY_GUEST_LINES:
        raise SeedMismatch(
            f"styregruppe box: {len(participants)} participant and {len(guests)} guest lines, "
            f"expected {STY_PARTICIPANT_LINES} and {STY_GUEST_LINES}"
        )
    rows = [
        BoxRow("Emne:", [(emne, REGULAR)]),
        BoxRow(
            "Deltagere:",
            [(text, REGULAR) for text in participants]
            + [None, (STY_GUEST_HEADING, BOLD)]
            + [(text, REGULAR) for text in guests],
        ),
        BoxRow("Mødedato:", [(date, REGULAR)]),
        BoxRow("Tid og sted:", [(place, REGULAR)]),
    ]
    return start, end, rows


def header_box(rows: list[BoxRow], width: float, size: float, leading: float) -> Block:
    """Bordered two-column box across the measure: labels left, values right.

    At 10 pt the value column (373 pt inside the padding) holds the longest
    guest line (362 pt) but not "... - Aalborg Universitetshospital"
    (385 pt), so the seed's line break in that participant is the natural one.
    """
    label_width = 3.2 * cm
    widths = [label_width, width - label_width]
    gap = 0.5 * leading
    pad_v = 3.0

    def row_height(row: BoxRow) -> float:
        return 2 * pad_v + sum(leading if v else gap for v in row.values)

    heights = [row_height(row) for row in rows]
    for row in rows:
        if text_width(row.label, BOLD, size) > widths[0] - 2 * CELL_PAD:
            raise LayoutError(f"box label too wide: {row.label!r}")
        for value in row.values:
            if value and text_width(value[0], value[1], size) > widths[1] - 2 * CELL_PAD:
                raise LayoutError(f"box value too wide: {value[0]!r}")

    def draw(canvas: Canvas, x: float, top: float) -> None:
        draw_grid(canvas, x, top, widths, heights)
        row_top = top
        for row, h in zip(rows, heights):
            y_top = row_top - pad_v
            canvas.setFont(BOLD, size)
            canvas.drawString(x + CELL_PAD, baseline(y_top, size, leading), row.label)
            for value in row.values:
                if value is None:
                    y_top -= gap
                    continue
                text, font = value
                canvas.setFont(font, size)
                canvas.drawString(x + widths[0] + CELL_PAD, baseline(y_top, size, leading), text)
                y_top -= leading
            row_top -= h

    return Block(height=sum(heights), draw=draw)


def styregruppe_furniture(canvas: Canvas, number: int, total: int) -> None:
    """Title on page 1; the running "Side N af M" line at the same place on
    every page."""
    canvas.setFillGray(0)
    if number == 1:
        canvas.setFont(BOLD, 16)
        canvas.drawString(2.5 * cm, STY_TITLE_BASELINE, STY_TITLE)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(2.5 * cm, STY_PAGE_LINE_BASELINE, f"Side {number} af {total}")


def styregruppe_document() -> Document:
    seed = RAW_DIR / "styregruppe_klynge_syd_2022-05-06.txt"
    lines = remove_page_numbers(read_seed(seed), ["Side 1 af 3"])

    # The wider seed lines (up to 471 pt in Helvetica 11 pt) show that this
    # document was set in a larger type on a slightly wider measure.
    size, leading = 11.0, 13.5
    styles = {
        # space above, for item 7, which follows item 6 without an empty
        # paragraph in the seed (it opened a page in the original)
        "heading": Style(BOLD, size, leading, space_before=0.5 * leading),
        "heading_cont": Style(BOLD, size, leading),  # 2nd line of a heading
        "group": Style(BOLD, size, leading, space_before=4),
        "label": Style(BOLD, size, leading),
        "body": Style(REGULAR, size, leading),
    }

    # The title is drawn as page furniture together with the page line.
    if lines[0] != STY_TITLE:
        raise SeedMismatch(f"styregruppe: document does not start with {STY_TITLE!r}")
    lines = lines[1:]

    # Lift the box out of item 2 (the text around it joins up again); it is
    # put back as a table right before "Dagsorden:".
    box_start, box_end, box_rows = parse_box(lines)
    lines = lines[:box_start] + lines[box_end + 1 :]

    roles: dict[int, str] = {}
    assign_roles(lines, roles, STY_HEADINGS, STY_GROUPS, STY_LABELS, "styregruppe")

    classify_lists(lines, roles)

    layout = Layout(
        left=2.5 * cm,
        right=1.8 * cm,
        body_top=STY_PAGE_LINE_BASELINE - 0.7 * cm,
        body_bottom=1.8 * cm,
        furniture=styregruppe_furniture,
    )
    box = header_box(box_rows, layout.body_width, 10.0, 12.0)
    flow = build_flow(
        lines,
        roles,
        styles,
        gap=0.5 * leading,
        hang=0.63 * cm,
        breaks_after=STY_BREAKS_AFTER,
        inserts={index_once(lines, STY_BOX_BEFORE): (0, [box, Gap(0.5 * leading)])},
    )
    return Document(
        seed=seed,
        pdf_name=seed.with_suffix(".pdf").name,
        title="Referat Klyngestyregruppe Syd 6. maj 2022",
        author="Sundhedsklynge Syd",
        subject="Referat af møde 2, 2022 i Styregruppe Klynge Syd",
        created=(2022, 5, 6),
        pages=3,
        layout=layout,
        flow=flow,
    )


# --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=RAW_DIR,
        help="directory for the PDFs (default: data/raw, next to the seeds)",
    )
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    register_fonts()
    for build in (politisk_document, styregruppe_document):
        doc = build()
        print(describe(doc, render(doc, args.out_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
