"""Inspection report: one self-contained HTML file showing what was read where.

``render_report(parsed)`` takes what ``parse.parse_document`` returns and
draws the extraction over the document itself:

* PDF input: every page as an inline image (a base64 data URI), with coloured
  boxes over the lines that became header fields, attendees (coloured by
  attendance), agenda headings, recommendation and minutes blocks, amounts,
  sign-off lines, dropped page furniture and lines that a diagnostic names;
* text input: a numbered monospace listing of the loaded lines with the same
  colours (dropped lines struck through);
* a side panel with the document's tables (wrapped to the panel, long cells
  folded, the decisions' texts whole);
* above it all, a summary (rows per table, the warnings and errors with links
  to their pages) and a navigation bar that stays on screen (``#page-N``,
  ``#item-N``).  Page images after the first ``EAGER_PAGES`` wait in
  ``data-src`` until the script sees their page come near the screen.

Every box carries ``data-kind``, ``data-page`` and ``data-line`` (and
``data-name`` for people) and a tooltip saying what was extracted.

The file makes no external requests: CSS and the small script (the package
files ``report.css`` and ``report.js``) are inline, and a Content-Security-Policy
allows only data: images and this one script (by its hash; see
``pipeline.report.page``).  Document text is untrusted: it only ever reaches the HTML through
``esc`` (escaped, attributes too) and never goes into script code; the script
reads what it needs from data attributes and writes with ``textContent``.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ..records import BBox, Line
from .page import asset, esc, html_page, write_page

#: default rendering resolution (dots per inch; 72 would be one pixel per PDF point)
RESOLUTION = 96
#: at most this many pages are drawn (the tables always list everything)
MAX_PAGES = 500
#: the first pages carry their image in ``src``; later ones in ``data-src``, which the
#: script moves to ``src`` when the page comes near the screen (a data: URI in ``src``
#: is decoded at once, ``loading="lazy"`` does not defer it)
EAGER_PAGES = 2
#: pages are drawn at most this many pixels wide (large formats get a lower resolution)
MAX_PAGE_PIXELS = 1600
#: at most this many lines are listed for text input
MAX_TEXT_LINES = 20_000
#: a tooltip quotes at most this many characters of one text
TIP_CHARS = 240

# --- box kinds ------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    label: str  # legend text
    colour: str  # "#rrggbb"
    layer: int  # 0: blocks (drawn first, beneath), 1: lines, 2: narrow boxes and markers


#: every kind of box, in legend order; the keys are the ``data-kind`` values
KINDS: dict[str, Kind] = {
    "header": Kind("header field", "#1f77b4", 1),
    "list-heading": Kind("attendance list heading", "#5a6b7b", 1),
    "present": Kind("attendee: present", "#2ca02c", 1),
    "absent": Kind("attendee: absent", "#d62728", 1),
    "substitute": Kind("attendee: substitute", "#ff7f0e", 1),
    "guest": Kind("attendee: guest", "#9467bd", 1),
    "attendee": Kind("attendee: other", "#8c8c00", 1),  # an attendance value this report does not know
    "agenda-heading": Kind("agenda item heading", "#c2188b", 1),
    "recommendation": Kind("recommendation block", "#b8a200", 0),
    "minutes": Kind("minutes block", "#0f9fb0", 0),
    "amount": Kind("amount", "#8c4b1f", 2),
    "signoff": Kind("sign-off", "#3a3f9b", 1),
    "dropped": Kind("dropped (header/footer, appended text)", "#7f7f7f", 1),
    "diagnostic": Kind("diagnostic", "#ff1744", 2),
}
ATTENDANCE = ("present", "absent", "substitute", "guest")
ATTENDEE_KINDS = (*ATTENDANCE, "attendee")
BLOCK_KINDS = ("recommendation", "minutes")
#: when one text line has several whole-line boxes, the first of these highlights the text
_WHOLE_LINE_ORDER = (*ATTENDEE_KINDS, "agenda-heading", "header", "signoff", "list-heading", "dropped")


@dataclass(slots=True)
class Box:
    """One thing to draw: a kind, the line(s) it covers and its tooltip."""

    kind: str
    lines: list[Line]  # one line, or a run of lines (blocks, two-line headings)
    tips: list[str] = field(default_factory=list)
    name: str | None = None  # people: the person's name (data-name)
    item: int | None = None  # agenda item number (data-item)
    #: text to narrow the box to within its line (an amount as printed, one of several names)
    needle: str | None = None
    occurrence: int = 0  # which occurrence of the needle on the line (0 = first)
    anchor: str | None = None  # the element id navigation links point at (``item-N``)
    drawn: bool = False  # set when the box was put on the page

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def tip(self) -> str:
        return "\n".join(dict.fromkeys(t for t in self.tips if t))


def _attrs(**values) -> str:
    """``data_kind="x"`` keyword arguments as escaped HTML attributes (``data-kind="x"``)."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        out.append(f'{key.rstrip("_").replace("_", "-")}="{esc(value)}"')
    return " ".join(out)


def _short(text, n: int = TIP_CHARS) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- formatting helpers for tooltips --------------------------------------------


def _money(value: float | None) -> str:
    """759279.0 -> "759.279", 1234.5 -> "1.234,50" (Danish separators)."""
    if value is None:
        return "(unreadable)"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value:,.2f}".split(".")
    return whole.replace(",", ".") + "," + frac


def _span(start, end) -> str | None:
    if start and end:
        return f"{start}–{end}"
    return start or end or None


def _join(parts, sep: str = " · ") -> str:
    return sep.join(str(p) for p in parts if p not in (None, "", []))


def _meeting_summary(m: dict) -> str:
    if not m:
        return ""
    date = m.get("meeting_date")
    return "meeting: " + _join(
        [
            m.get("doc_kind"),
            m.get("body") or m.get("title"),
            f"no. {m['meeting_no']}" if m.get("meeting_no") else None,
            str(date) if date else None,
            _span(m.get("start_time"), m.get("end_time")),
            m.get("location"),
            m.get("address"),
            ("inferred: " + ", ".join(m["inferred"])) if m.get("inferred") else None,
        ]
    )


# --- collecting boxes -----------------------------------------------------------


def _runs(lines: list[Line]) -> list[list[Line]]:
    """Split lines into runs that can share one rectangle: same page, going down the page."""
    runs: list[list[Line]] = []
    for ln in lines:
        prev = runs[-1][-1] if runs else None
        if (
            prev is not None
            and ln.page == prev.page
            and (ln.bbox is None or prev.bbox is None or ln.bbox[1] >= prev.bbox[1] - 2)
        ):
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


class _Collector:
    """Boxes in the order they are found; per-line kinds merged by (kind, line)."""

    def __init__(self) -> None:
        self.boxes: list[Box] = []
        self._by_key: dict[tuple[str, int], Box] = {}

    def line_box(self, kind: str, ln: Line, tip: str) -> Box:
        key = (kind, ln.no)
        box = self._by_key.get(key)
        if box is None:
            box = self._by_key[key] = Box(kind, [ln])
            self.boxes.append(box)
        box.tips.append(tip)
        return box

    def add(self, box: Box) -> Box:
        self.boxes.append(box)
        return box


def collect_boxes(parsed) -> list[Box]:
    """Every box the report draws: from the parse's trace (structure, items' blocks) and its rows.

    Nothing is extracted again: every box stands on a record's provenance
    (page and line numbers of what was read).
    """
    rows = parsed.rows
    meeting = (rows.get("meetings") or [{}])[0]
    trace = parsed.trace
    by_no: dict[int, Line] = {}
    for ln in (trace.lines if trace is not None else ()):
        by_no.setdefault(ln.no, ln)
    col = _Collector()
    seg = trace.structure if trace is not None else None

    if seg is not None:
        _header_boxes(col, seg, meeting)
        _list_heading_boxes(col, seg, rows.get("people", []))
    _people_boxes(col, rows.get("people", []), by_no)
    if seg is not None:
        _item_boxes(col, trace, rows, by_no)
        _signoff_boxes(col, trace, seg, meeting)
    _amount_boxes(col, rows.get("amounts", []), by_no)
    if trace is not None and trace.cleaned is not None:
        for ln, reason in trace.cleaned.dropped:
            col.line_box("dropped", ln, f"dropped · {reason} · {_short(ln.text)}")
    for ln in seg.appendix if seg is not None else ():
        col.line_box("dropped", ln, f"dropped · after the end of the minutes · {_short(ln.text)}")
    for d in rows.get("diagnostics", []):
        ln = by_no.get(d.get("line")) if d.get("line") is not None else None
        if ln is not None:
            col.line_box("diagnostic", ln, _join([d.get("severity"), d.get("stage"), _short(d.get("message"))]))
    return col.boxes


def _header_boxes(col: _Collector, seg, meeting: dict) -> None:
    summary = _meeting_summary(meeting)
    boxes = []
    for ln in seg.header:
        boxes.append(col.line_box("header", ln, f"header · {_short(ln.text)}"))
    for name, label in seg.field_labels.items():
        boxes.append(col.line_box("header", label, f"header label {_short(label.text)!r} → {name}"))
    for name, lines in seg.fields.items():
        for ln in lines:
            boxes.append(col.line_box("header", ln, f"header · {name} · {_short(ln.text)}"))
    if summary:  # the meeting row, once, at the end of every header tooltip
        for box in {id(b): b for b in boxes}.values():
            box.tips = [t for t in box.tips if t != summary] + [summary]


def _list_heading_boxes(col: _Collector, seg, people: list[dict]) -> None:
    for g in seg.groups:
        if g.heading is None:
            continue
        n = sum(1 for p in people if p.get("list_heading") == g.name)
        col.line_box("list-heading", g.heading, f"attendance list {_short(g.name)!r} → {g.attendance} · {n} people")


def _people_boxes(col: _Collector, people: list[dict], by_no: dict[int, Line]) -> None:
    per_line: dict[int, int] = defaultdict(int)
    for p in people:
        if p.get("line") is not None:
            per_line[p["line"]] += 1
    for p in people:
        ln = by_no.get(p.get("line")) if p.get("line") is not None else None
        if ln is None:
            continue
        att = p.get("attendance")
        kind = att if att in ATTENDANCE else "attendee"
        first = [att, p.get("name")]
        if att == "absent":
            subs = [q["name"] for q in people if q.get("attendance") == "substitute" and q.get("substitute_for") == p.get("name")]
            if subs:
                first.append("substitute " + ", ".join(subs))
        if att == "substitute" and p.get("substitute_for"):
            first.append("for " + p["substitute_for"])
        details = [
            p.get("title"),
            p.get("organisation"),
            f"list: {p['list_heading']}" if p.get("list_heading") else None,
            f"party {p['party']}" if p.get("party") else None,
            f"role: {p['role']}" if p.get("role") else None,
            ("items " + ", ".join(map(str, p["items"]))) if p.get("items") else None,
            f"notes: {p['notes']}" if p.get("notes") else None,
        ]
        tip = _join(first) + "\n" + _join(details) + f"\nread: {_short(p.get('raw'))}"
        # several people on one line: narrow each box to the name where it can be found
        needle = p.get("name") if per_line[ln.no] > 1 else None
        col.add(Box(kind, [ln], [tip], name=p.get("name"), needle=needle))


def _item_boxes(col: _Collector, trace, rows: dict, by_no: dict[int, Line]) -> None:
    """Item headings and their recommendation and minutes blocks, from ``AgendaItem.blocks``."""
    items = rows.get("agenda_items", [])
    decisions: dict[int, list[dict]] = defaultdict(list)
    for d in rows.get("decisions", []):
        decisions[d["item_no"]].append(d)
    for k, ai in enumerate(trace.items):
        row = items[k] if k < len(items) else {}
        no = ai.item_no
        head = _join(
            [
                f"item {no}{ai.sub_item or ''}",
                _short(ai.title, 120),
                _span(ai.start_time, ai.end_time),
                ("presenters: " + ", ".join(ai.presenters)) if ai.presenters else None,
                "closed" if ai.closed else None,
            ]
        )
        where = _join(
            [
                f"lines {ai.line_start}–{ai.line_end}" if ai.line_start is not None else None,
                f"pages {ai.page_start}–{ai.page_end}" if ai.page_start != ai.page_end else None,
                ("decisions: " + ", ".join(d["decision_type"] for d in decisions[no])) if decisions[no] else None,
                ("evidence: " + ", ".join(ai.evidence)) if ai.evidence else None,
            ]
        )
        heading = [by_no[n] for n in ai.heading_lines if n in by_no]
        for run in _runs(heading):
            col.add(Box("agenda-heading", run, [head, where], item=no))
        for block in ai.blocks:
            lines = [by_no[n] for n in block.lines if n in by_no]
            if block.kind == "recommendation" and lines:
                points = row.get("recommendation_points") or []
                tip = [f"item {no} · recommendation · {len(points)} point(s)"] + [_short(p, 160) for p in points[:8]]
                for run in _runs(lines):
                    col.add(Box("recommendation", run, tip, item=no))
            elif block.kind == "minutes" and lines:
                tip = [f"item {no} · minutes"]
                for d in decisions[no]:
                    tip.append(f"decision {d['seq']}: {d['decision_type']} — {_short(d.get('evidence'), 120)}")
                if not decisions[no]:
                    tip.append(_short(row.get("minutes")))
                for run in _runs(lines):
                    col.add(Box("minutes", run, tip, item=no))


def _signoff_boxes(col: _Collector, trace, seg, meeting: dict) -> None:
    rules = trace.rules
    referent = _join([meeting.get("referent"), f"({meeting['referent_initials']})" if meeting.get("referent_initials") else None], " ")
    approved = _join(
        [
            ", ".join(meeting.get("approved_by") or []),
            f"({', '.join(meeting['approved_by_initials'])})" if meeting.get("approved_by_initials") else None,
        ],
        " ",
    )
    for ln in seg.signoff:
        is_referent = rules is not None and any(p.match(ln.text) for p in rules.structure.referent_lines)
        is_approval = rules is not None and any(p.match(ln.text) for p in rules.structure.approval_lines)
        details = []
        if (is_referent or not is_approval) and referent:
            details.append(f"referent {referent}")
        if (is_approval or not is_referent) and approved:
            details.append(f"approved by {approved}")
        col.line_box("signoff", ln, _join([f"sign-off · {_short(ln.text)}", *details]))


def _amount_boxes(col: _Collector, amounts: list[dict], by_no: dict[int, Line]) -> None:
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for a in amounts:
        ln = by_no.get(a.get("line")) if a.get("line") is not None else None
        if ln is None:
            continue
        raw = a.get("raw") or ""
        occurrence = seen[(ln.no, raw)]
        seen[(ln.no, raw)] += 1
        tip = _join(
            [
                f"amount {_money(a.get('value'))} {a.get('currency') or ''}".rstrip(),
                f"printed {_short(raw, 60)!r}",
                a.get("label"),
                a.get("period"),
                f"item {a['item_no']}" if a.get("item_no") is not None else "header",
                f"repaired: {_short(a.get('repair_note'))}" if a.get("repaired") else None,
            ]
        )
        col.add(Box("amount", [ln], [tip], needle=raw or None, occurrence=occurrence))


# --- PDF pages ------------------------------------------------------------------


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _narrow(words: list[dict], line_bbox: BBox, needle: str, occurrence: int) -> BBox | None:
    """The box of the ``occurrence``-th appearance of ``needle`` among the words on a line."""
    x0, top, x1, bottom = line_bbox
    on_line = sorted(
        (w for w in words if top - 2 <= (w["top"] + w["bottom"]) / 2 <= bottom + 2 and w["x1"] >= x0 - 2 and w["x0"] <= x1 + 2),
        key=lambda w: w["x0"],
    )
    # the line's words joined by single spaces, remembering which word each character belongs to
    text, owner = "", []
    for i, w in enumerate(on_line):
        if text:
            text += " "
            owner.append(None)
        text += w["text"]
        owner.extend([i] * len(w["text"]))
    target = " ".join(needle.split())
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(target, start + 1)
        if start < 0:
            return None
    hit = {owner[j] for j in range(start, start + len(target)) if owner[j] is not None}
    return _union([(on_line[i]["x0"], on_line[i]["top"], on_line[i]["x1"], on_line[i]["bottom"]) for i in hit])


#: a page PNG larger than this is also tried as JPEG
_JPEG_TRY_BYTES = 60_000


def _encode_image(img) -> str:
    """A page image as a data URI: a 64-colour PNG (crisp text, small), or a JPEG
    when the page is a photo or scan and the JPEG comes out clearly smaller."""
    rgb = img.convert("RGB")
    png = io.BytesIO()
    rgb.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(png, "PNG", optimize=True)
    if png.tell() > _JPEG_TRY_BYTES:
        jpeg = io.BytesIO()
        rgb.save(jpeg, "JPEG", quality=70, optimize=True)
        if jpeg.tell() < png.tell() * 0.8:
            return "data:image/jpeg;base64," + base64.b64encode(jpeg.getvalue()).decode("ascii")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


#: padding around boxes in PDF points, so outlines do not cut through glyphs
_PAD = {0: 3.0, 1: 1.5, 2: 1.0}


def _box_div(box: Box, bbox: BBox, page_box: BBox) -> str:
    px0, ptop, px1, pbottom = page_box
    w, h = px1 - px0, pbottom - ptop
    pad = _PAD[KINDS[box.kind].layer]
    x0 = max(bbox[0] - pad, px0)
    y0 = max(bbox[1] - pad, ptop)
    x1 = min(bbox[2] + pad, px1)
    y1 = min(bbox[3] + pad, pbottom)
    style = (
        f"left:{(x0 - px0) / w * 100:.3f}%;top:{(y0 - ptop) / h * 100:.3f}%;"
        f"width:{max(x1 - x0, 1) / w * 100:.3f}%;height:{max(y1 - y0, 1) / h * 100:.3f}%"
    )
    badge = '<span class="badge">!</span>' if box.kind == "diagnostic" else ""
    return f'<div class="box k-{box.kind} layer{KINDS[box.kind].layer}" style="{style}" {_box_attrs(box, bbox)}>{badge}</div>'


def _box_attrs(box: Box, bbox: BBox | None = None, line: Line | None = None) -> str:
    ln = line or box.first
    box.drawn = True
    return _attrs(
        id=box.anchor if ln is box.first else None,  # a box drawn on several lines: the first one
        data_kind=box.kind,
        data_page=ln.page,
        data_line=ln.no,
        data_lines=f"{box.first.no}-{box.lines[-1].no}" if len(box.lines) > 1 else None,
        data_name=box.name,
        data_item=box.item,
        data_bbox=",".join(f"{v:.1f}" for v in bbox) if bbox else None,
        title=box.tip,
    )


def render_pdf_pages(
    path: Path, boxes: list[Box], resolution: int, max_pages: int, password: str | None
) -> tuple[str, list[str], list[int]]:
    """Every page (up to ``max_pages``) as an image with its boxes; returns (html, notes, page numbers drawn)."""
    import pdfplumber  # lazy: heavy, and a text document's report never needs it

    notes: list[str] = []
    out: list[str] = []
    on_page: dict[int, list[Box]] = defaultdict(list)
    for box in boxes:
        on_page[box.first.page].append(box)
    with pdfplumber.open(path, password=password or "") as pdf:
        total = len(pdf.pages)
        shown = min(total, max_pages)
        if shown < total:
            notes.append(f"Only the first {shown} of {total} pages are drawn; boxes on later pages are left out (the tables list everything).")
        for index in range(shown):
            page = pdf.pages[index]
            number = index + 1
            page_box = tuple(page.bbox)
            img = page.to_image(resolution=min(resolution, MAX_PAGE_PIXELS * 72 / float(page.width))).original
            uri = _encode_image(img)
            page_boxes = sorted(on_page.get(number, []), key=lambda b: KINDS[b.kind].layer)
            words = page.extract_words() if any(b.needle for b in page_boxes) else []
            divs = []
            for box in page_boxes:
                with_bbox = [ln.bbox for ln in box.lines if ln.bbox is not None and ln.page == number]
                if not with_bbox:
                    continue
                bbox = _union(with_bbox)
                if box.needle and words:
                    bbox = _narrow(words, bbox, box.needle, box.occurrence) or bbox
                divs.append(_box_div(box, bbox, page_box))
            source = "src" if index < EAGER_PAGES else "data-src"
            # the sheet keeps the page's proportions before its image arrives, so that
            # boxes, anchors and scroll positions do not move when it does
            out.append(
                f'<section class="page" id="page-{number}" {_attrs(data_page=number)} style="width:{img.width}px">'
                f'<h2>Page {number} of {total}</h2>'
                f'<div class="sheet" style="aspect-ratio:{img.width}/{img.height}">'
                f'<img class="pimg" {source}="{uri}" width="{img.width}" height="{img.height}" alt="page {number}" decoding="async">'
                + "".join(divs)
                + "</div></section>"
            )
            page.close()  # frees the page's parsed objects: memory stays flat on long documents
    return "".join(out), notes, list(range(1, shown + 1))


# --- text listing ---------------------------------------------------------------


def _find(text: str, needle: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            return -1
    return start


def _chip(box: Box, ln: Line, label: str) -> str:
    return f'<span class="box chip k-{box.kind}" {_box_attrs(box, line=ln)}>{esc(label)}</span>'


def _text_row(ln: Line, line_boxes: list[Box]) -> str:
    bars = [b for b in line_boxes if b.kind in BLOCK_KINDS]
    narrow = [b for b in line_boxes if b.needle]
    whole = sorted(
        (b for b in line_boxes if b.kind in _WHOLE_LINE_ORDER and not b.needle),
        key=lambda b: _WHOLE_LINE_ORDER.index(b.kind),
    )
    chips = [b for b in line_boxes if b.kind == "diagnostic"]
    text = ln.text
    # narrow boxes become <mark>s around their text; the ones not found become chips
    spans: list[tuple[int, int, Box]] = []
    for b in narrow:
        at = _find(text, b.needle, b.occurrence)
        if at < 0 or any(at < e and s < at + len(b.needle) for s, e, _ in spans):
            chips.insert(0, b)
        else:
            spans.append((at, at + len(b.needle), b))
    spans.sort(key=lambda s: s[0])
    inner, pos = [], 0
    for s, e, b in spans:
        inner.append(esc(text[pos:s]))
        inner.append(f'<mark class="box hl k-{b.kind}" {_box_attrs(b, line=ln)}>{esc(text[s:e])}</mark>')
        pos = e
    inner.append(esc(text[pos:]))
    body = "".join(inner)
    if whole:
        b = whole[0]
        struck = " struck" if b.kind == "dropped" else ""
        body = f'<span class="box hl k-{b.kind}{struck}" {_box_attrs(b, line=ln)}>{body}</span>'
        chips = whole[1:] + chips
    bar_html = "".join(f'<span class="box bar k-{b.kind}" {_box_attrs(b, line=ln)}></span>' for b in bars)
    chip_html = "".join(_chip(b, ln, "!" if b.kind == "diagnostic" else KINDS[b.kind].label.split(": ")[-1]) for b in chips)
    gap = " gap" if ln.gap_before else ""
    return (
        f'<div class="tl{gap}" {_attrs(data_line=ln.no, data_page=ln.page)}>'
        f'<span class="no">{ln.no}</span><span class="bars">{bar_html}</span>'
        f'<span class="txt">{body}</span>{chip_html}</div>'
    )


def render_text_listing(
    lines: list[Line], boxes: list[Box], max_pages: int, max_lines: int = MAX_TEXT_LINES
) -> tuple[str, list[str], list[int]]:
    """The loaded lines as a numbered listing with the boxes as highlights; returns (html, notes, pages listed)."""
    notes: list[str] = []
    by_line: dict[int, list[Box]] = defaultdict(list)
    for box in boxes:
        for ln in box.lines:
            by_line[ln.no].append(box)
    shown = [ln for ln in lines if ln.page <= max_pages][:max_lines]
    if len(shown) < len(lines):
        notes.append(f"Only the first {len(shown)} of {len(lines)} lines are listed (the tables list everything).")
    out: list[str] = []
    pages: list[int] = []
    page = None
    for ln in shown:
        if ln.page != page:
            if page is not None:
                out.append("</div></section>")
            page = ln.page
            pages.append(page)
            out.append(f'<section class="tpage" id="page-{page}" {_attrs(data_page=page)}><h2>Page {page}</h2><div class="listing">')
        out.append(_text_row(ln, by_line.get(ln.no, [])))
    if page is not None:
        out.append("</div></section>")
    return "".join(out), notes, pages


# --- tables ---------------------------------------------------------------------

#: tables in the side panel, in this order; documents and mentions start folded
PANEL_TABLES = ("documents", "meetings", "people", "agenda_items", "decisions", "votes", "amounts", "diagnostics", "mentions")
#: a table with more rows starts folded: the browser lays it out when it is opened
OPEN_ROWS = 300
#: a cell longer than this (characters) is clamped to a few lines with a "more" button
LONG_CELL = 160
#: columns always shown whole: what was decided is the point of the report
FULL_TEXT = {("decisions", "recommendation"), ("decisions", "decision"), ("decisions", "evidence")}
#: a column whose longest value (or name part) is at most this many characters gets
#: a fixed width; longer (text) columns share the rest of the table
SHORT_COLUMN = 12
#: the least width of a text column (em) before the table scrolls sideways
TEXT_COLUMN_EM = 9.0


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _money(value) if value.is_integer() or abs(value) >= 1000 else f"{value:g}"
    return str(value)


def _row_link(table: str, row: dict) -> dict:
    """Data attributes that tie a table row to the boxes of its line or item."""
    if table in ("people", "amounts", "diagnostics") and row.get("line") is not None:
        return {"data_line": row["line"]}
    if table == "agenda_items" and row.get("line_start") is not None:
        return {"data_line": row["line_start"], "data_item": row.get("item_no")}
    if table in ("decisions", "mentions", "votes") and row.get("item_no") is not None:
        return {"data_item": row["item_no"]}
    return {}


def _columns(table: str, data: list[dict]) -> tuple[list[str], list[str]]:
    """The columns to show (in row order) and the ones left out because no row has a value."""
    columns: list[str] = []
    for r in data:
        columns += [c for c in r if c not in columns and (c != "doc_id" or table == "documents")]
    empty = [c for c in columns if all(_cell(r.get(c)) == "" for r in data)]
    return [c for c in columns if c not in empty], empty


def _colgroup(columns: list[str], data: list[dict]) -> tuple[str, float]:
    """Column widths for a fixed table layout, and the table's least width (em).

    Short columns (codes, numbers, dates) are as wide as their longest value or
    name part; text columns share what is left.  Below the least width the table
    scrolls sideways instead of squeezing columns into a few letters.
    """
    cols, least = [], 0.0
    for c in columns:
        name = max(len(part) for part in c.split("_"))
        longest = max([name] + [len(_cell(r.get(c))) for r in data])
        if longest <= SHORT_COLUMN:
            # a character ≈ 0.62 em, a bold heading character ≈ 0.7 em; plus padding
            width = round(max(longest * 0.62, name * 0.7, 1.5) + 1.0, 1)
            cols.append(f'<col style="width:{width}em">')
            least += width
        else:
            cols.append("<col>")
            least += TEXT_COLUMN_EM
    return f"<colgroup>{''.join(cols)}</colgroup>", round(least, 1)


def _td(table: str, column: str, value) -> str:
    """One table cell; long text is clamped to a few lines that a button unfolds."""
    text = _cell(value)
    if len(text) > LONG_CELL and (table, column) not in FULL_TEXT:
        return f'<td class="long" data-col="{esc(column)}"><div class="clamp">{esc(text)}</div><button type="button" class="more">more</button></td>'
    return f'<td data-col="{esc(column)}">{esc(text)}</td>'


def render_tables(rows: dict[str, list[dict]]) -> str:
    """The side panel: one foldable table per table of the document, cells wrapped."""
    out = []
    for table in PANEL_TABLES:
        data = rows.get(table) or []
        columns, empty = _columns(table, data)
        # column names may break after an underscore: narrow columns stay narrow
        head = "".join(f"<th>{esc(c).replace('_', '_<wbr>')}</th>" for c in columns)
        body = []
        for r in data:
            cells = "".join(_td(table, c, r.get(c)) for c in columns)
            body.append(f"<tr {_attrs(**_row_link(table, r))}>{cells}</tr>")
        is_open = " open" if table not in ("documents", "mentions") and len(data) <= OPEN_ROWS else ""
        colgroup, least = _colgroup(columns, data)
        content = (
            f'<table {_attrs(data_table=table)} style="width:max(100%,{least}em)">{colgroup}'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            if data
            else '<p class="empty">no rows</p>'
        )
        if data and empty:
            content += f'<p class="empty">no values: {esc(", ".join(empty))}</p>'
        out.append(f'<details class="tbl" id="t-{table}"{is_open}><summary>{esc(table)} ({len(data)})</summary><div class="scroll">{content}</div></details>')
    return "".join(out)


# --- summary and navigation -------------------------------------------------------

#: the summary lists at most this many warnings and errors (the diagnostics table has all)
MAX_LISTED_DIAGNOSTICS = 100


def render_summary(rows: dict[str, list[dict]], pages: set[int]) -> str:
    """Counts per table (linked to the side tables) and the warnings and errors of
    ``diagnostics``, each linked to its page when that page is drawn (``pages``)."""
    counts = []
    for table, data in rows.items():
        label = f"{esc(table)} {len(data or [])}"
        counts.append(f'<a href="#t-{esc(table)}">{label}</a>' if table in PANEL_TABLES else f"<span>{label}</span>")
    diagnostics = rows.get("diagnostics") or []
    serious = [d for d in diagnostics if d.get("severity") in ("error", "warning")]
    serious.sort(key=lambda d: (d.get("severity") != "error", d.get("page") or 0, d.get("line") or 0))
    by_severity = {sev: sum(1 for d in diagnostics if d.get("severity") == sev) for sev in ("error", "warning", "info")}
    tally = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in by_severity.items())
    listed = []
    for d in serious[:MAX_LISTED_DIAGNOSTICS]:
        page = d.get("page")
        if page in pages:
            where = f'<a href="#page-{int(page)}" {_attrs(data_line=d.get("line"))}>page {int(page)}</a>'
        else:
            where = f"<span>page {int(page)} (not drawn)</span>" if page else "<span>no page</span>"
        listed.append(
            f'<li class="sev-{esc(d.get("severity"))}">{where} <b>{esc(d.get("severity"))}</b> '
            f'<span class="stage">{esc(d.get("stage"))}</span> {esc(d.get("message"))}</li>'
        )
    if len(serious) > len(listed):
        listed.append(f'<li class="more-diag">… and {len(serious) - len(listed)} more in the <a href="#t-diagnostics">diagnostics table</a></li>')
    issues = f'<ul class="issues">{"".join(listed)}</ul>' if listed else ""
    return f'<div class="summary"><div class="counts">{" · ".join(counts)}</div><div class="tally">diagnostics: {esc(tally)}</div>{issues}</div>'


def render_navigation(pages: list[int], items: list[tuple[int, str]]) -> str:
    """A bar that stays on top: links to every drawn page and to each item's heading."""
    page_links = "".join(f'<a href="#page-{n}">{n}</a>' for n in pages)
    item_links = "".join(f'<a href="#item-{no}" {_attrs(title=f"{no}. {title}" if title else f"item {no}")}>{no}</a>' for no, title in items)
    rows = [f'<div class="navrow"><span class="navlabel">pages</span>{page_links}</div>']
    if items:
        rows.append(f'<div class="navrow"><span class="navlabel">items</span>{item_links}</div>')
    button = '<button type="button" id="widen" aria-pressed="false">wider tables</button>'
    return f'<nav class="jump">{button}{"".join(rows)}</nav>'


def _set_item_anchors(boxes: list[Box]) -> None:
    """The first heading box of each agenda item is the target of that item's link."""
    seen: set[int] = set()
    for box in boxes:
        if box.kind == "agenda-heading" and box.item is not None and box.item not in seen:
            seen.add(box.item)
            box.anchor = f"item-{box.item}"


def _drawn_items(boxes: list[Box], items: list[dict]) -> list[tuple[int, str]]:
    """(number, title) of the items whose heading was drawn, in document order."""
    titles: dict[int, str] = {}
    for row in items:
        titles.setdefault(row.get("item_no"), _short(row.get("title"), 120))
    return [(b.item, titles.get(b.item, "")) for b in boxes if b.anchor and b.drawn]


# --- page assembly --------------------------------------------------------------


def _css() -> str:
    rules = []
    for key, kind in KINDS.items():
        r, g, b = (int(kind.colour[i : i + 2], 16) for i in (1, 3, 5))
        fill = 0.07 if kind.layer == 0 else 0.16
        rules.append(
            f".k-{key}{{--c:{kind.colour};--f:rgba({r},{g},{b},{fill});--s:rgba({r},{g},{b},0.35)}}"
            f"body.hide-{key} .box.k-{key}:not(.hl){{visibility:hidden}}"
            f"body.hide-{key} .hl.k-{key}{{background:transparent;box-shadow:none}}"
        )
    return asset("report.css") + "".join(rules)


def _legend(boxes: list[Box]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for b in boxes:
        counts[b.kind] += 1
    items = []
    for key, kind in KINDS.items():
        if key == "attendee" and not counts[key]:
            continue  # only shown when an unknown attendance value occurs
        zero = ' class="zero"' if not counts[key] else ""
        items.append(
            f'<label{zero}><input type="checkbox" checked data-toggle="{key}">'
            f'<span class="sw k-{key}"></span>{esc(kind.label)} ({counts[key]})</label>'
        )
    return f'<div class="legend">{"".join(items)}</div>'


def render_report(
    parsed,
    out_path: Path | str | None = None,
    *,
    resolution: int = RESOLUTION,
    max_pages: int = MAX_PAGES,
    password: str | None = None,
) -> str:
    """The inspection report for one parsed document as an HTML string.

    Written to ``out_path`` (UTF-8) when given.  PDFs are drawn at
    ``resolution`` dpi, at most ``max_pages`` pages; ``password`` opens an
    encrypted PDF again for drawing.
    """
    doc = parsed.rows["documents"][0]
    boxes = collect_boxes(parsed)
    _set_item_anchors(boxes)
    notes: list[str] = []
    body = ""
    pages: list[int] = []
    source = Path(doc["source"])
    if doc.get("file_type") == "pdf" and doc.get("status") != "failed":
        try:
            body, notes, pages = render_pdf_pages(source, boxes, resolution, max_pages, password)
        except Exception as exc:  # the file moved, or cannot be drawn: fall back to the listing
            notes.append(f"The PDF pages could not be drawn ({type(exc).__name__}: {_short(exc, 160)}); the loaded lines are listed instead.")
            body = ""
    if not body:
        for box in boxes:
            box.drawn = False  # a drawing that failed half-way may have drawn some
        listing, more, pages = render_text_listing(list(parsed.trace.lines) if parsed.trace is not None else [], boxes, max_pages)
        body = listing or '<p class="empty">No text was loaded from this document.</p>'
        notes += more
    meta = _join(
        [
            doc.get("file_type"),
            f"{doc['pages']} page(s)" if doc.get("pages") else None,
            f"status {doc.get('status')}",
            f"template {doc.get('template')}" if doc.get("template") else None,
            doc.get("extractor"),
            doc.get("nlp_model"),
            f"referat {doc.get('pipeline_version')}",
        ]
    )
    error = f'<p class="note">error: {esc(doc["error"])}</p>' if doc.get("error") else ""
    note_html = "".join(f'<p class="note">{esc(n)}</p>' for n in notes)
    body = (
        f'<header class="top"><h1>{esc(doc.get("file_name"))}</h1>'
        f'<div class="meta">{esc(meta)} · {esc(source)}</div>{error}{note_html}'
        f"{render_summary(parsed.rows, set(pages))}{_legend(boxes)}</header>"
        f"{render_navigation(pages, _drawn_items(boxes, parsed.rows.get('agenda_items') or []))}"
        f'<div class="wrap"><main {_attrs(data_file_type=doc.get("file_type"))}>{body}</main>'
        f"<aside>{render_tables(parsed.rows)}</aside></div>"
        '<div id="tip" hidden></div><pre id="layout" hidden></pre>'
    )
    # nothing may be fetched; only the report's own script (by hash) may run
    page = html_page(f"referat inspect · {doc.get('file_name')}", _css(), body, asset("report.js"))
    if out_path is not None:
        write_page(page, out_path)
    return page
