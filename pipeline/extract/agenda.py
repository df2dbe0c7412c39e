"""Agenda items: heading (number, title, time slot, presenters) and blocks.

Blocks: description (before any label), recommendation ("Det indstilles …"
with its points), minutes ("Referat:" — or, where the document has no such
label, the text after the recommendation), attachments ("Bilag:" bullets).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import AgendaItem, Block, Line
from ..rules import Rules, first_match
from ..segment import ItemSegment

_SLOT = re.compile(
    r"\s*[-–]?\s*(?:kl\.?\s*)?(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)[.:](?P<m2>[0-5]\d)\s*$",
    re.I,
)
_SLOT_ONE = re.compile(r"\s*[-–]?\s*kl\.?\s*(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)\s*$", re.I)
_BULLET = re.compile(r"^[•\-–▪·*]\s*")
_ENDS_SENTENCE = re.compile(r"[.!?]$")


@dataclass(slots=True)
class Blocks:
    description: list[Line] = field(default_factory=list)
    recommendation_intro: list[Line] = field(default_factory=list)
    points: list[list[Line]] = field(default_factory=list)
    minutes: list[Line] = field(default_factory=list)
    attachments: list[list[Line]] = field(default_factory=list)
    presenter_lines: list[Line] = field(default_factory=list)
    history: list[Line] = field(default_factory=list)
    closed: bool = False
    description_labelled: bool = False


@lru_cache(maxsize=8)
def _abbreviation_end(abbreviations: tuple[str, ...]) -> re.Pattern:
    """A line ending in one of ``abbreviations`` and its period ("ca.", "jf.")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in abbreviations) + r")\.$", re.I)


def _ends_paragraph(cur: str, nxt: str | None, abbreviations: tuple[str, ...] = ()) -> bool:
    if nxt is None:
        return True
    if not re.search(r"[.!?:]$", cur) or (abbreviations and _abbreviation_end(abbreviations).search(cur)):
        return False
    # "… den 9." + "juni 2022": the sentence goes on when the next line starts in lower case or a digit
    return not (nxt[:1].islower() or nxt[:1].isdigit())


def lines_to_text(lines: list[Line], abbreviations: tuple[str, ...] = ()) -> str | None:
    """Reflow lines into paragraphs.

    A bullet starts a paragraph, and so does a capitalised line after a
    bullet (unless the bullet ends in a dash or comma); a sentence end
    followed by a capitalised line ends one; a table header line stands alone.
    """
    from .amounts import header_periods

    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    alone = {i for i, ln in enumerate(ln for ln in lines if ln.text.strip()) if header_periods(ln)}
    paras: list[str] = []
    cur = ""
    for i, t in enumerate(texts):
        bullet_then_capital = _BULLET.match(cur) and t[:1].isupper() and not re.search(r"[-–,/]$", cur)
        if _BULLET.match(t) or not cur or bullet_then_capital or i in alone:
            if cur:
                paras.append(cur)
            cur = t
        else:
            cur += " " + t
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        if i in alone or _ends_paragraph(cur, nxt, abbreviations):
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    text = "\n".join(paras).strip()
    return text or None


def split_heading(item: ItemSegment, rules: Rules, is_person: Callable[[str], bool] | None = None) -> tuple[str, str | None, str | None, list[str]]:
    """(title, start time, end time, presenters) from the title the segment stage found.

    A title ending "… ved <capitalised words>" names presenters only where
    ``is_person`` accepts every name ("ved Mosede Fort" is a place: the title
    keeps it).
    """
    title = item.title
    start = end = None
    m = _SLOT.search(title)
    if m:
        start, end = f"{int(m['h1']):02d}:{m['m1']}", f"{int(m['h2']):02d}:{m['m2']}"
        title = title[: m.start()]
    else:
        m = _SLOT_ONE.search(title)
        if m:
            start = f"{int(m['h1']):02d}:{m['m1']}"
            title = title[: m.start()]
    presenters: list[str] = []
    m = next((m for p in rules.items.presenter_tail if (m := p.search(title))), None)
    if m and (is_person is None or all(is_person(n) for n in split_names(m["names"]))):
        presenters = split_names(m["names"])
        title = title[: m.start()]
    return title.strip(" –-"), start, end, presenters


def split_names(text: str) -> list[str]:
    return [n.strip(" .") for n in re.split(r"\s*(?:,|\bog\b)\s*", text) if n.strip(" .")]


#: "… beslutning den 05.11.2024 Punkt 2": the date and item number after a decision label
_LABEL_DATE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\s+\d{4})(?:\s*,?\s*(?:kl\.\s*)?\d{1,2}[.:]\d{2})?(?:\s*,?\s*punkt\s+\d{1,3})?\s*:?", re.I)


def _label_date(text: str) -> str | None:
    """ISO date written in a decision label ("Beslutning i Økonomiudvalget den 12-08-2014")."""
    from ..dates import find_dates

    for hit in find_dates(text):
        d = hit.resolve()
        if d is not None:
            return d.isoformat()
    return None


def split_blocks(body: list[Line], rules: Rules, labelled_minutes: bool, meeting_date: str | None = None) -> Blocks:
    """Sort an item's lines into blocks.  With ``meeting_date``, a decision
    block dated another day (stacked "Beslutning i … den" blocks of earlier
    meetings) is case history, not this meeting's minutes."""
    b = Blocks()
    state = "description"
    attach_left: int | None = None
    prev_state = "description"
    for idx, ln in enumerate(body):
        t = ln.text
        if idx == 0 and first_match(rules.items.presenter_line, t):
            b.presenter_lines.append(ln)
            continue
        if first_match(rules.structure.closed_markers, t):
            b.closed = True
        if first_match(rules.labels.recommendation, t):
            state = "recommendation"
            b.recommendation_intro.append(ln)
            continue
        if m := first_match(rules.labels.minutes, t):
            rest = t[m.end():].strip(" :")
            dated = _label_date(t[: m.end()] + " " + rest[:40]) if re.search(r"\bden$", m.group(0).strip(), re.I) else None
            if dated and meeting_date and dated != meeting_date:
                state = "history"
                b.history.append(ln)
                continue
            state = "minutes"
            if dated:
                rest = _LABEL_DATE.sub("", rest, count=1).strip(" :")
            if rest:
                b.minutes.append(Line(text=rest, page=ln.page, no=ln.no, bbox=ln.bbox))
            continue
        if first_match(rules.labels.attachments, t):
            prev_state = state if state != "attachments" else prev_state
            state = "attachments"
            cm = first_match(rules.items.attachment_count, t)
            attach_left = int(cm["n"]) if cm else None
            rest = re.sub(r"^bilag\s*:?\s*(\d+\s*)?", "", t, flags=re.I).strip()
            if rest:
                b.attachments.append([Line(text=rest, page=ln.page, no=ln.no, bbox=ln.bbox)])
            continue
        if first_match(rules.labels.history, t):
            state = "history"
            continue
        if state == "history":
            # only another block label ends a case history
            b.history.append(ln)
            continue
        if first_match(rules.labels.description, t):
            state = "description"
            b.description_labelled = True
            continue
        if state == "recommendation":
            if first_match(rules.labels.recommendation_point, t):
                b.points.append([ln])
                continue
            if b.points and (t[:1].islower() or not _ENDS_SENTENCE.search(b.points[-1][-1].text) and not t[:1].isupper()):
                b.points[-1].append(ln)
                continue
            if not b.points and len(b.recommendation_intro) < 3 and not _ENDS_SENTENCE.search(b.recommendation_intro[-1].text):
                # "Det indstilles," + a sentence without points
                b.recommendation_intro.append(ln)
                continue
            if rules.labels.minutes_follow_recommendation and not labelled_minutes:
                state = "minutes"
            else:
                state = "description"
        if state == "attachments":
            is_bullet = bool(_BULLET.match(t))
            if is_bullet:
                b.attachments.append([ln])
                continue
            if b.attachments and (t[:1].islower() or re.search(r"[-–,]$", b.attachments[-1][-1].text)):
                b.attachments[-1].append(ln)
                continue
            if attach_left and len(b.attachments) < attach_left:
                b.attachments.append([ln])
                continue
            state = prev_state
        if state == "minutes":
            b.minutes.append(ln)
        else:
            b.description.append(ln)
    return b


def _block_records(b: Blocks) -> tuple[Block, ...]:
    parts = [
        ("presenters", b.presenter_lines),
        ("description", b.description),
        ("recommendation", b.recommendation_intro + [ln for p in b.points for ln in p]),
        ("minutes", b.minutes),
        ("attachments", [ln for a in b.attachments for ln in a]),
        ("history", b.history),
    ]
    return tuple(Block(kind, tuple(dict.fromkeys(ln.no for ln in lines))) for kind, lines in parts if lines)


def read_item(item: ItemSegment, rules: Rules, labelled_minutes: bool, is_minutes_doc: bool, meeting_date: str | None = None,
              is_person: Callable[[str], bool] | None = None) -> AgendaItem:
    """One agenda item: heading parts and text blocks, with the blocks' lines as provenance."""
    title, start, end, presenters = split_heading(item, rules, is_person)
    blocks = split_blocks(list(item.body), rules, labelled_minutes, meeting_date)
    for ln in blocks.presenter_lines:
        m = first_match(rules.items.presenter_line, ln.text)
        presenters += split_names(m["names"])
    for ln in blocks.description:
        m = first_match(rules.items.topic_presenter, ln.text)
        if m and _BULLET.match(ln.text):
            presenters.append(m["name"].strip())
    # an unlabelled body in minutes without a "Referat:" label is the minutes; so is the body of a
    # closed item, whose minutes publish only the decision ("Lukket: …" / "Byrådet godkendte …")
    closed = blocks.closed or bool(first_match(rules.structure.closed_markers, item.title))
    unlabelled = not blocks.recommendation_intro and not blocks.minutes and not blocks.description_labelled
    if is_minutes_doc and unlabelled and (closed or not labelled_minutes and rules.labels.minutes_follow_recommendation):
        blocks.minutes, blocks.description = blocks.description, []
    rec_lines = blocks.recommendation_intro + [ln for p in blocks.points for ln in p]
    all_lines = item.heading + item.body
    ab = rules.items.abbreviations

    def text(lines):
        return lines_to_text(lines, ab)

    return AgendaItem(
        item_no=item.no,
        sub_item=item.sub,
        label=" ".join(ln.text for ln in item.heading),
        title=title,
        start_time=start,
        end_time=end,
        presenters=tuple(dict.fromkeys(presenters)),
        description=text(blocks.description),
        recommendation=text(rec_lines),
        recommendation_points=tuple(text(p) or "" for p in blocks.points),
        minutes=text(blocks.minutes),
        attachments=tuple(_BULLET.sub("", text(a) or "").strip() for a in blocks.attachments),
        case_history=text(blocks.history),
        closed=closed,
        page_start=all_lines[0].page,
        page_end=all_lines[-1].page,
        line_start=min(ln.no for ln in all_lines),
        line_end=max(ln.no for ln in all_lines),
        heading_lines=tuple(dict.fromkeys(ln.no for ln in item.heading)),
        blocks=_block_records(blocks),
        evidence=item.evidence,
    )
