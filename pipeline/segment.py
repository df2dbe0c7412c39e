"""Stage 3, segment: cleaned lines become header, attendance lists, items, sign-off.

The rules come from the document's profile; this module knows no template.

Order of work:
1. a header *box* (two or more header labels close together: "Emne:",
   "Mødedato:", "Tid og sted:" …) is lifted out wherever text extraction put
   it, together with the attendance lists inside it;
2. sign-off lines ("Således opfattet IKA", "Godkendt af …") are lifted out;
3. agenda item headings are found with their number sequence, so numbered
   recommendation points ("1. Godkender …") and dates ("9. juni") are not
   taken for items;
4. what precedes the first item is the front matter: header lines and
   attendance lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .profiles import Profile
from .records import Line

#: a box's labels must lie within this many lines of each other
BOX_WINDOW = 60
#: value lines of a date/time/place label
FIELD_MAX_LINES = 2
FIELD_MAX_CHARS = 90
_TIME_ONLY = re.compile(r"^(?:kl\.?\s*)?\d{1,2}[.:]\d{2}(?:\s*[-–]\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2})?\s*$", re.I)
_TRAILING_VED_NAME = re.compile(r"\bved(?:\s+[A-ZÆØÅ][\wæøåÆØÅ.\-]*)+$")
_PRESENTER_START = re.compile(r"^(?:v\.?\s*/|v\.\s|ved\s|oplæg ved\s)", re.I)
_NAME_TAIL = re.compile(r"^(?:[A-ZÆØÅ][\wæøåÆØÅ.\-]*)(?:\s+(?:og\s+)?[A-ZÆØÅ][\wæøåÆØÅ.\-]*){0,2}$")


@dataclass(slots=True)
class Group:
    name: str | None  # heading as written, without trailing colon
    attendance: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class ItemSegment:
    no: int
    heading: list[Line]
    body: list[Line]


@dataclass(slots=True)
class Segments:
    header: list[Line] = field(default_factory=list)
    fields: dict[str, list[Line]] = field(default_factory=dict)
    field_labels: dict[str, Line] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    items: list[ItemSegment] = field(default_factory=list)
    signoff: list[Line] = field(default_factory=list)
    agenda_caption: Line | None = None
    box_moved: bool = False  # the header box stood inside an item


def _match_any(patterns, text: str) -> re.Match | None:
    for p in patterns:
        m = p.match(text)
        if m:
            return m
    return None


def header_label(profile: Profile, text: str) -> str | None:
    for pattern, name in profile.header_labels:
        if pattern.match(text):
            return name
    return None


def group_heading(profile: Profile, text: str) -> str | None:
    if len(text) > 60:
        return None
    for pattern, attendance in profile.attendance_groups:
        if pattern.match(text):
            return attendance
    return None


def is_block_label(profile: Profile, text: str) -> bool:
    return bool(
        _match_any(profile.recommendation_labels, text)
        or _match_any(profile.minutes_labels, text)
        or _match_any(profile.description_labels, text)
        or _match_any(profile.attachment_labels, text)
        or _match_any(profile.other_labels, text)
    )


# --- 1. header box ------------------------------------------------------------


def _field_values(lines: list[Line], start: int, profile: Profile, stop) -> int:
    """Index after the value lines of a date/time/place label at ``start``."""
    i = start
    while i < len(lines) and i - start < FIELD_MAX_LINES:
        t = lines[i].text
        if stop(t) or t[:1].islower() or len(t) > FIELD_MAX_CHARS:
            break
        i += 1
    return i


def lift_box(lines: list[Line], profile: Profile, seg: Segments) -> list[Line]:
    """Take a header box (>= 2 header labels close together) out of the stream."""
    label_idx = [i for i, ln in enumerate(lines) if header_label(profile, ln.text)]
    if len(label_idx) < 2:
        return lines
    # the densest cluster: first label whose next label is within the window
    start = None
    for a, b in zip(label_idx, label_idx[1:]):
        if b - a <= BOX_WINDOW:
            start = a
            break
    if start is None:
        return lines
    cluster = [i for i in label_idx if start <= i <= start + BOX_WINDOW * 2]

    def stop(t: str) -> bool:
        return bool(header_label(profile, t) or group_heading(profile, t) or _match_any(profile.agenda_caption, t)
                    or _match_any(profile.item_heading, t))

    i = start
    last_label = cluster[-1]
    taken: set[int] = set()
    current_group: Group | None = None
    while i < len(lines):
        ln = lines[i]
        name = header_label(profile, ln.text)
        att = group_heading(profile, ln.text)
        if name:
            taken.add(i)
            seg.field_labels[name] = ln
            current_group = None
            end = _field_values(lines, i + 1, profile, stop)
            if name == "subject":
                end = min(end, i + 2)
            seg.fields.setdefault(name, []).extend(lines[i + 1:end])
            taken.update(range(i + 1, end))
            i = end
            if i > last_label and not (i < len(lines) and stop(lines[i].text) and (header_label(profile, lines[i].text) or group_heading(profile, lines[i].text))):
                break
            continue
        if att:
            taken.add(i)
            current_group = Group(name=ln.text.rstrip(": "), attendance=att, heading=ln)
            seg.groups.append(current_group)
            i += 1
            continue
        if current_group is not None and i < last_label:
            current_group.lines.append(ln)
            taken.add(i)
            i += 1
            continue
        break
    if not taken:
        return lines
    # the box was inside an item when an item heading precedes it
    seg.box_moved = any(_match_any(profile.item_heading, lines[j].text) for j in range(0, min(taken)))
    return [ln for j, ln in enumerate(lines) if j not in taken]


# --- 2. sign-off --------------------------------------------------------------


def lift_signoff(lines: list[Line], profile: Profile, seg: Segments) -> list[Line]:
    """Take "Således opfattet …" / "Godkendt af …" lines from the last part."""
    tail_start = max(0, len(lines) - 40)
    keep = []
    for j, ln in enumerate(lines):
        if j >= tail_start and (_match_any(profile.referent_lines, ln.text) or _match_any(profile.approval_lines, ln.text)):
            seg.signoff.append(ln)
        else:
            keep.append(ln)
    return keep


# --- 3. item headings ---------------------------------------------------------


def heading_match(profile: Profile, ln: Line) -> tuple[int, str] | None:
    m = _match_any(profile.item_heading, ln.text)
    if not m:
        return None
    title = m.group("title").strip()
    if not title or len(title) < 2:
        return None
    return int(m.group("no")), title


def _continues_heading(head: Line, text_so_far: str, nxt: Line, profile: Profile) -> bool:
    t = nxt.text
    if is_block_label(profile, t) or group_heading(profile, t) or heading_match(profile, nxt) or _PRESENTER_START.match(t):
        return False
    if head.bold is not None and nxt.bold is not None and head.bold != nxt.bold:
        return False
    if _TIME_ONLY.match(t):
        return True
    if re.search(r"(?:[-–]|\bkl\.?)$", text_so_far):
        return True
    if t[:1].islower() and not re.search(r"[.!?:]$", text_so_far):
        return True
    if _TRAILING_VED_NAME.search(text_so_far) and _NAME_TAIL.match(t) and len(t) < 40:
        return True
    return False


def find_items(lines: list[Line], profile: Profile) -> tuple[list[Line], list[ItemSegment]]:
    cands = [(i, hm[0]) for i, ln in enumerate(lines) if (hm := heading_match(profile, ln))]
    first = None
    numbers = [n for _, n in cands]
    for k, (i, n) in enumerate(cands):
        if n + 1 in numbers[k + 1:] or len(cands) == 1:
            first = k
            break
    if first is None:
        return lines, []
    heading_at: dict[int, int] = {}
    expected = cands[first][1]
    in_rec = False
    last_point = 0
    i = cands[first][0]
    while i < len(lines):
        ln = lines[i]
        hm = heading_match(profile, ln)
        if hm and hm[0] == expected:
            point_like = in_rec and hm[0] == last_point + 1 and not ln.bold
            if not point_like:
                heading_at[i] = hm[0]
                expected += 1
                in_rec, last_point = False, 0
                i += 1
                continue
        t = ln.text
        if _match_any(profile.recommendation_labels, t):
            in_rec, last_point = True, 0
        elif _match_any(profile.minutes_labels, t) or _match_any(profile.attachment_labels, t):
            in_rec = False
        elif in_rec:
            pm = re.match(r"^(\d{1,2})[.)]\s", t)
            if pm:
                last_point = int(pm.group(1))
        i += 1
    starts = sorted(heading_at)
    front = lines[: starts[0]]
    items: list[ItemSegment] = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        head = [lines[s]]
        text = lines[s].text
        j = s + 1
        while j < end and len(head) < 4 and _continues_heading(lines[s], text, lines[j], profile):
            head.append(lines[j])
            text += " " + lines[j].text
            j += 1
        items.append(ItemSegment(no=heading_at[s], heading=head, body=lines[j:end]))
    return front, items


# --- 4. front matter ----------------------------------------------------------


#: a list heading with its members on the same line: "Fraværende: A, B og C", "Afbud fra A og B"
_INLINE_GROUP = re.compile(r"^(?P<head>[A-ZÆØÅa-zæøå][\wæøå /]{1,40}?)(?:\s*:\s*|\s+fra\s+)(?P<rest>[A-ZÆØÅ].*)$")


def inline_group(profile: Profile, ln: Line) -> Group | None:
    m = _INLINE_GROUP.match(ln.text)
    if not m:
        return None
    head = m.group("head").strip()
    att = group_heading(profile, head) or group_heading(profile, head + ":")
    if not att:
        return None
    from dataclasses import replace

    rest = m.group("rest").strip()
    return Group(name=head, attendance=att, heading=ln, lines=[replace(ln, text=rest, cells=(rest,))])


def split_front(front: list[Line], profile: Profile, seg: Segments) -> None:
    current: Group | None = None
    for ln in front:
        if _match_any(profile.agenda_caption, ln.text):
            seg.agenda_caption = ln
            current = None
            continue
        inline = inline_group(profile, ln)
        if inline:
            seg.groups.append(inline)
            current = inline
            continue
        att = group_heading(profile, ln.text)
        if att:
            current = Group(name=ln.text.rstrip(": ").strip(), attendance=att, heading=ln)
            seg.groups.append(current)
            continue
        if current is not None:
            current.lines.append(ln)
        else:
            seg.header.append(ln)


def segment(lines: list[Line], profile: Profile) -> Segments:
    seg = Segments()
    rest = lift_box(lines, profile, seg)
    rest = lift_signoff(rest, profile, seg)
    front, items = find_items(rest, profile)
    seg.items = items
    split_front(front, profile, seg)
    # box groups and front-matter groups together, in the document's line order
    seg.groups.sort(key=lambda g: g.heading.no if g.heading else 0)
    return seg
