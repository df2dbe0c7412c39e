"""Agenda items: heading (number, title, time slot, presenters) and blocks.

Blocks: description (before any label), recommendation ("Det indstilles …"
with its points), minutes ("Referat:" — or, where the document has no such
label, the text after the recommendation), attachments ("Bilag:" bullets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..profiles import Profile
from ..records import AgendaItem, Line
from ..segment import ItemSegment, _match_any, heading_match

_SLOT = re.compile(
    r"\s*[-–]?\s*(?:kl\.?\s*)?(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)[.:](?P<m2>[0-5]\d)\s*$",
    re.I,
)
_SLOT_ONE = re.compile(r"\s*[-–]?\s*kl\.?\s*(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)\s*$", re.I)
_NAME = r"[A-ZÆØÅ][\wæøåÆØÅé.\-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅé.\-]*){0,3}"
_VED_TAIL = re.compile(rf"\s+(?:ved|v\.?/?)\s+(?P<names>{_NAME}(?:\s*(?:,|og)\s*{_NAME})*)\s*$")
_PRESENTER_LINE = re.compile(rf"^(?:v\.?\s*/|v\.|ved|oplæg ved|oplægsholder:?)\s+(?P<names>{_NAME}(?:\s*(?:,|og)\s*{_NAME})*)\s*\.?$", re.I)
_TOPIC_PRESENTER = re.compile(rf"^[•\-–]?\s*(?P<topic>[^•]+?)\s+v\.?/?\s+(?P<name>{_NAME})\s*(?:\((?P<org>[^)]*)\))?\s*$")
_BULLET = re.compile(r"^[•\-–▪·*]\s*")
_ATTACH_COUNT = re.compile(r"^bilag\s*:?\s*(?P<n>\d+)\s*$", re.I)
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


#: abbreviations that end with a period but not a sentence
_ABBREV_END = re.compile(r"\b(?:ca|bl\.a|jf|evt|kl|nr|pkt|mio|mia|mill|pr|inkl|ekskl|vedr|mht|dvs|f\.eks|m\.v|mv|osv|stk|tlf|ang)\.$", re.I)


def _ends_paragraph(cur: str, nxt: str | None) -> bool:
    if nxt is None:
        return True
    if not re.search(r"[.!?:]$", cur) or _ABBREV_END.search(cur):
        return False
    # "… den 9." + "juni 2022": the sentence goes on when the next line starts in lower case or a digit
    return not (nxt[:1].islower() or nxt[:1].isdigit())


def lines_to_text(lines: list[Line]) -> str | None:
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
        if i in alone or _ends_paragraph(cur, nxt):
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    text = "\n".join(paras).strip()
    return text or None


def split_heading(item: ItemSegment, profile: Profile) -> tuple[str, str | None, str | None, list[str]]:
    text = " ".join(ln.text for ln in item.heading)
    if item.sub is not None:
        from ..segment import SUB_HEADING

        m = SUB_HEADING.match(text)
        title = m["title"] if m else text
    else:
        hm = heading_match(profile, Line(text=text, page=0, no=0))
        title = hm[1] if hm else text
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
    m = _VED_TAIL.search(title)
    if m:
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


def split_blocks(body: list[Line], profile: Profile, labelled_minutes: bool, meeting_date: str | None = None) -> Blocks:
    """Sort an item's lines into blocks.  With ``meeting_date``, a decision
    block dated another day (stacked "Beslutning i … den" blocks of earlier
    meetings) is case history, not this meeting's minutes."""
    b = Blocks()
    state = "description"
    attach_left: int | None = None
    prev_state = "description"
    for idx, ln in enumerate(body):
        t = ln.text
        if idx == 0 and _PRESENTER_LINE.match(t):
            b.presenter_lines.append(ln)
            continue
        if _match_any(profile.closed_markers, t):
            b.closed = True
        if _match_any(profile.recommendation_labels, t):
            state = "recommendation"
            b.recommendation_intro.append(ln)
            continue
        if m := _match_any(profile.minutes_labels, t):
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
        if _match_any(profile.attachment_labels, t):
            prev_state = state if state != "attachments" else prev_state
            state = "attachments"
            cm = _ATTACH_COUNT.match(t)
            attach_left = int(cm["n"]) if cm else None
            rest = re.sub(r"^bilag\s*:?\s*(\d+\s*)?", "", t, flags=re.I).strip()
            if rest:
                b.attachments.append([Line(text=rest, page=ln.page, no=ln.no, bbox=ln.bbox)])
            continue
        if _match_any(profile.history_labels, t):
            state = "history"
            continue
        if state == "history":
            # only another block label ends a case history
            b.history.append(ln)
            continue
        if _match_any(profile.description_labels, t):
            state = "description"
            b.description_labelled = True
            continue
        if state == "recommendation":
            if _match_any(profile.recommendation_point, t):
                b.points.append([ln])
                continue
            if b.points and (t[:1].islower() or not _ENDS_SENTENCE.search(b.points[-1][-1].text) and not t[:1].isupper()):
                b.points[-1].append(ln)
                continue
            if not b.points and len(b.recommendation_intro) < 3 and not _ENDS_SENTENCE.search(b.recommendation_intro[-1].text):
                # "Det indstilles," + a sentence without points
                b.recommendation_intro.append(ln)
                continue
            if profile.minutes_follow_recommendation and not labelled_minutes:
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


def extract_item(item: ItemSegment, profile: Profile, labelled_minutes: bool, is_minutes_doc: bool, meeting_date: str | None = None) -> tuple[AgendaItem, Blocks]:
    title, start, end, presenters = split_heading(item, profile)
    blocks = split_blocks(item.body, profile, labelled_minutes, meeting_date)
    for ln in blocks.presenter_lines:
        m = _PRESENTER_LINE.match(ln.text)
        presenters += split_names(m["names"])
    for ln in blocks.description:
        m = _TOPIC_PRESENTER.match(ln.text)
        if m and _BULLET.match(ln.text):
            presenters.append(m["name"].strip())
    # an unlabelled body in minutes without a "Referat:" label is the minutes
    if is_minutes_doc and not labelled_minutes and not blocks.recommendation_intro and not blocks.minutes and not blocks.description_labelled and profile.minutes_follow_recommendation:
        blocks.minutes, blocks.description = blocks.description, []
    rec_lines = blocks.recommendation_intro + [ln for p in blocks.points for ln in p]
    all_lines = item.heading + item.body
    ai = AgendaItem(
        item_no=item.no,
        sub_item=item.sub,
        label=" ".join(ln.text for ln in item.heading),
        title=title,
        start_time=start,
        end_time=end,
        presenters=list(dict.fromkeys(presenters)),
        description=lines_to_text(blocks.description),
        recommendation=lines_to_text(rec_lines),
        recommendation_points=[lines_to_text(p) or "" for p in blocks.points],
        minutes=lines_to_text(blocks.minutes),
        attachments=[_BULLET.sub("", lines_to_text(a) or "").strip() for a in blocks.attachments],
        case_history=lines_to_text(blocks.history),
        closed=blocks.closed,
        page_start=all_lines[0].page,
        page_end=all_lines[-1].page,
        line_start=all_lines[0].no,
        line_end=all_lines[-1].no,
    )
    return ai, blocks
