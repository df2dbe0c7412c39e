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

import bisect
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
_DATEISH = re.compile(r"^(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|den)\b|\d{1,2}[./-]\s*\d{1,2}|\bkl\.?\s*\d", re.I)
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
    sub: str | None = None  # "a" for item 4a, "1" for item 4.1


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
    lifted: list[Group] = field(default_factory=list)  # lists found among the items
    appendix: list[Line] = field(default_factory=list)  # pages after the end of the minutes


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
        or _match_any(profile.history_labels, text)
    )


# --- 1. header box ------------------------------------------------------------


def _field_values(lines: list[Line], start: int, profile: Profile, stop) -> int:
    """Index after the value lines of a date/time/place label at ``start``."""
    i = start
    while i < len(lines) and i - start < FIELD_MAX_LINES:
        t = lines[i].text
        # a lower-case start is prose interrupted by the box, unless it is a date ("onsdag den 1. oktober")
        if stop(t) or (t[:1].islower() and not _DATEISH.search(t)) or len(t) > FIELD_MAX_CHARS:
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
        if i < last_label:
            i += 1  # a stray line inside the box stays in the stream
            continue
        break
    if not taken:
        return lines
    # the box was inside an item when an item heading precedes it
    seg.box_moved = any(_match_any(profile.item_heading, lines[j].text) for j in range(0, min(taken)))
    return [ln for j, ln in enumerate(lines) if j not in taken]


# --- 1b. the end of the minutes ------------------------------------------------

#: lines of at least this many words count as prose (not a signature block)
_PROSE_WORDS = 6


def cut_appendix(lines: list[Line], profile: Profile, seg: Segments) -> list[Line]:
    """Keep out pages that follow the end of the minutes ("Formandsberetning 2021" appended).

    The minutes end at their last closing line ("… hævede generalforsamlingen",
    "Mødet hævet kl. 18.40"); what follows on the same page is sign-off.  From
    the next page on, text with no item heading and at least three lines of
    prose is another document in the same file: it goes to ``seg.appendix``
    instead of running on as the last item's minutes.
    """
    last = max((j for j, ln in enumerate(lines) if _match_any(profile.closing_lines, ln.text)), default=None)
    if last is None:
        return lines
    start = next((k for k in range(last + 1, len(lines)) if lines[k].page > lines[last].page), None)
    if start is None:
        return lines
    tail = lines[start:]
    if any(_match_any(profile.item_heading, ln.text) for ln in tail):
        return lines
    if sum(len(ln.text.split()) >= _PROSE_WORDS for ln in tail) < 3:
        return lines
    seg.appendix = tail
    return lines[:start]


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


# --- 2b. attendance lists inside the minutes --------------------------------------

#: a list heading that scopes the list to the item it stands in
ITEM_SCOPED = re.compile(r"behandlingen af (?:dette |dagsordens)?punkt(?:et)?|under (?:dette )?punkt(?:et)?|\bpunktets behandling", re.I)
_ITEM_PREFIX = re.compile(r"^(?:§\s*\d{1,3}\.?|\d{1,3}[.)]|punkt\s+\d{1,3}\s*[.:]?)\s+", re.I)
#: "Følgende deltog ikke i behandlingen af punktet:" and similar in-item headings
IN_ITEM_ABSENT = re.compile(r"^(?:følgende\s+)?(?:deltog|deltager)\s+ikke\s+i\s+(?:behandlingen|sagens\s+behandling).{0,40}:$", re.I)


def list_heading(profile: Profile, ln: Line) -> tuple[str, str, bool] | None:
    """(group name, attendance, heading is also an item heading) for a list heading line."""
    text = ln.text.strip()
    att = group_heading(profile, text)
    if att:
        return text.rstrip(": "), att, False
    if IN_ITEM_ABSENT.match(text):
        return text.rstrip(": "), "absent", False
    m = _ITEM_PREFIX.match(text)
    if m:
        rest = text[m.end():]
        att = group_heading(profile, rest)
        if att:
            return rest.rstrip(": "), att, True
    return None


def lift_lists(lines: list[Line], profile: Profile, seg: Segments, is_member) -> list[Line]:
    """Take attendance lists that stand among the items out of the stream.

    From the first line that looks like an item heading on, a list heading
    ("Deltagerne var:", "Fraværende med afbud:", "§1 Til stede:") followed by
    lines that ``is_member`` accepts becomes a Group; its member lines leave
    the stream, so a numbered list of members is never read as items.
    """
    first = next((i for i, ln in enumerate(lines) if heading_match(profile, ln)), None)
    if first is None or is_member is None:
        return lines
    out = lines[:first]
    i = first
    while i < len(lines):
        ln = lines[i]
        head = list_heading(profile, ln)
        if head:
            name, att, keep_heading = head
            j = i + 1
            members = []
            while j < len(lines) and is_member(lines[j].text) and not list_heading(profile, lines[j]):
                members.append(lines[j])
                j += 1
            if members:
                seg.groups.append(Group(name=name, attendance=att, heading=ln, lines=members))
                seg.lifted.append(seg.groups[-1])
                if keep_heading:
                    out.append(ln)
                i = j
                continue
        out.append(ln)
        i += 1
    return out


# --- 3. item headings ---------------------------------------------------------


def heading_match(profile: Profile, ln: Line) -> tuple[int, str] | None:
    m = _match_any(profile.item_heading, ln.text)
    if not m:
        return None
    title = m.group("title").strip()
    if not title or len(title) < 2:
        return None
    no = m.group("no")
    return (1 if no in ("i", "l") else int(no)), title


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


class _Chains:
    """Numbered heading chains, all of them in one pass over the lines.

    A chain starts at a numbered line and takes, after each heading with
    number n, the next line numbered n+1 — unless that line is a
    recommendation point: right after a recommendation label ("Det indstilles,
    at:") a line continuing the label's own numbering (1., 2., …) is a point,
    not an item (unless bold).  Whether a line is point-like depends only on
    the lines since the last block label before it, so it is computed once
    per line; the chain from every numbered line then follows from the chain
    of the heading it takes next (linear in the lines, not quadratic: a
    300-page document has hundreds of "1." lines, each a possible start).
    """

    def __init__(self, lines: list[Line], profile: Profile):
        self.number: dict[int, int] = {}
        self.by_number: dict[int, list[int]] = {}
        self.label_at: list[int] = []  # index of the last block label before each line (-1: none)
        self.point_like_no: list[int | None] = []  # the number a point at this line would have
        last_label, label_is_rec, last_point = -1, False, 0
        for i, ln in enumerate(lines):
            self.label_at.append(last_label if label_is_rec else -1)
            self.point_like_no.append(last_point + 1 if label_is_rec and not ln.bold else None)
            hm = heading_match(profile, ln)
            if hm:
                self.number[i] = hm[0]
                self.by_number.setdefault(hm[0], []).append(i)
            t = ln.text
            if _match_any(profile.recommendation_labels, t):
                last_label, label_is_rec, last_point = i, True, 0
            elif _match_any(profile.minutes_labels, t) or _match_any(profile.attachment_labels, t):
                last_label, label_is_rec = i, False
            elif label_is_rec:
                pm = _POINT_NO.match(t)
                if pm:
                    last_point = int(pm.group(1))
        self.numbered = sorted(self.number)
        self._next: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._length: dict[tuple[int, int], int] = {}

    def _point_like(self, after: int, x: int) -> bool:
        # a label after the last taken heading puts x in a recommendation
        return self.label_at[x] > after and self.point_like_no[x] == self.number[x]

    def _first(self, no: int, after: int) -> int | None:
        cands = self.by_number.get(no, [])
        k = bisect.bisect_right(cands, after)
        return next((x for x in cands[k:] if not self._point_like(after, x)), None)

    def next_heading(self, state: tuple[int, int]) -> tuple[int, int] | None:
        """The heading a chain takes after heading ``state`` = (line, number it is taken as).

        Normally the next line numbered n+1.  When no n+1 follows at all but
        an n+2 does, the chain goes on at n+2 (an item whose heading was not
        printed as one, or an OCR misreading): if exactly one other numbered
        heading stands between, it is taken as n+1 (its printed number was
        misread, "3 ." for 5); otherwise item n+1 is missing.
        """
        if state not in self._next:
            j, n = state
            x = self._first(n + 1, j)
            if x is not None:
                nxt: tuple[int, int] | None = (x, n + 1)
            else:
                y = self._first(n + 2, j)
                nxt = None
                if y is not None:
                    k0, k1 = bisect.bisect_right(self.numbered, j), bisect.bisect_left(self.numbered, y)
                    between = [b for b in self.numbered[k0:k1] if not self._point_like(j, b)]
                    nxt = (between[0], n + 1) if len(between) == 1 else (y, n + 2)
            self._next[state] = nxt
        return self._next[state]

    def length(self, start: int) -> int:
        """How many headings the chain from ``start`` takes (remembered for every heading on the way)."""
        path = []
        x: tuple[int, int] | None = (start, self.number[start])
        while x is not None and x not in self._length:
            path.append(x)
            x = self.next_heading(x)
        n = self._length[x] if x is not None else 0
        for y in reversed(path):
            n += 1
            self._length[y] = n
        return self._length[(start, self.number[start])]

    def chain(self, start: int) -> dict[int, int]:
        """line index -> item number, from the heading at ``start`` on."""
        out: dict[int, int] = {}
        x: tuple[int, int] | None = (start, self.number[start])
        while x is not None:
            out[x[0]] = x[1]
            x = self.next_heading(x)
        return out


_POINT_NO = re.compile(r"^(\d{1,2})[.)]\s")


def find_items(lines: list[Line], profile: Profile) -> tuple[list[Line], list[ItemSegment]]:
    """Item headings: the longest numbered chain; on a tie the later one.

    A table of contents (1 … N with page numbers) followed by the items
    themselves (1 … N again) gives two chains of equal length: the later
    one, the items, wins and the contents stay in the front matter.
    """
    chains = _Chains(lines, profile)
    cands = sorted(chains.number.items())
    later = set()
    starts = []
    for k in range(len(cands) - 1, -1, -1):  # "n+1 appears later" for every candidate, in one backward pass
        i, n = cands[k]
        if n + 1 in later or len(cands) == 1:
            starts.append(k)
        later.add(n)
    starts.reverse()
    if not starts:
        return lines, []
    first_no = cands[starts[0]][1]
    best: dict[int, int] = {}
    for k in starts:
        i, n = cands[k]
        if n != first_no and k != starts[0]:
            continue
        size = chains.length(i)
        # a later chain wins a tie only when it starts after the whole earlier one
        if not best or size > len(best) or (size == len(best) and i > max(best)):
            best = chains.chain(i)
    heading_at = best
    starts_idx = sorted(heading_at)
    front = lines[: starts_idx[0]]
    items: list[ItemSegment] = []
    for k, s_ in enumerate(starts_idx):
        end = starts_idx[k + 1] if k + 1 < len(starts_idx) else len(lines)
        head = [lines[s_]]
        text = lines[s_].text
        j = s_ + 1
        while j < end and len(head) < 4 and _continues_heading(lines[s_], text, lines[j], profile):
            head.append(lines[j])
            text += " " + lines[j].text
            j += 1
        items.append(ItemSegment(no=heading_at[s_], heading=head, body=lines[j:end]))
    return front, items


#: "4a. Title", "4 b) Title", "4.1 Title": a sub-item of item 4
SUB_HEADING = re.compile(r"^(?P<no>\d{1,3})\s?(?:(?P<letter>[a-h])[.)]?|\.(?P<num>\d{1,2})\.?)\s+(?P<title>[A-ZÆØÅ\"'].*)$")


def split_sub_items(items: list[ItemSegment]) -> list[ItemSegment]:
    """Sub-items "4a", "4b" or "4.1", "4.2" become segments of their own.

    Only a run that starts at a/1 under the item of the same number and
    counts up is taken; the parent keeps what precedes the first one.
    """
    out: list[ItemSegment] = []
    for it in items:
        marks: list[tuple[int, str]] = []
        want_letter, want_num = "a", 1
        for j, ln in enumerate(it.body):
            m = SUB_HEADING.match(ln.text)
            if not m or int(m["no"]) != it.no:
                continue
            if m["letter"] and m["letter"] == want_letter:
                marks.append((j, m["letter"]))
                want_letter = chr(ord(want_letter) + 1)
            elif m["num"] and int(m["num"]) == want_num:
                marks.append((j, m["num"]))
                want_num += 1
        if not marks:
            out.append(it)
            continue
        out.append(ItemSegment(no=it.no, heading=it.heading, body=it.body[: marks[0][0]], sub=it.sub))
        for k, (j, sub) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else len(it.body)
            out.append(ItemSegment(no=it.no, heading=[it.body[j]], body=it.body[j + 1:end], sub=sub))
    return out


_NUMBER_LINE = re.compile(r"(\d{1,3})(?: ?\.)?")


def merge_number_lines(lines: list[Line], profile: Profile) -> list[Line]:
    """"2" on a line of its own and the title on the next (web pages, FirstAgenda)
    become one heading line "2. Title" — when at least two such pairs count up;
    "4." with its dot (a Word list number set apart, or OCR) needs no partner."""
    number: dict[int, str] = {}  # line index -> the number standing alone on it, for lines followed by a title
    for i in range(len(lines) - 1):
        m = _NUMBER_LINE.fullmatch(lines[i].text)
        nxt = lines[i + 1]
        if m and nxt.text[:1].isupper() and not is_block_label(profile, nxt.text) and not heading_match(profile, nxt) and len(nxt.text) <= 200 and nxt.page == lines[i].page:
            number[i] = m.group(1)
    nums = [int(n) for n in number.values()]
    if not any(b == a + 1 for a, b in zip(nums, nums[1:])):
        number = {i: n for i, n in number.items() if lines[i].text.endswith(".")}
    if not number:
        return lines
    from dataclasses import replace

    out: list[Line] = []
    skip = set()
    for i, ln in enumerate(lines):
        if i in skip:
            continue
        if i in number:
            text = f"{number[i]}. {lines[i + 1].text}"
            out.append(replace(ln, text=text, cells=(text,), bold=lines[i + 1].bold))
            skip.add(i + 1)
        else:
            out.append(ln)
    return out


# --- 4. front matter ----------------------------------------------------------


#: a list heading with its members on the same line: "Fraværende: A, B og C", "Afbud fra A og B"
_INLINE_GROUP = re.compile(r"^(?P<head>[A-ZÆØÅa-zæøå][\wæøå /]{1,40}?)(?:\s*:\s*|\s+fra\s+)(?P<rest>[A-ZÆØÅ].*)$")


def _continuation(text: str) -> bool:
    """A list line broken over two lines: one word, or a lower-case start."""
    core = re.sub(r"\s*[-–]\s*(?:meldt\s+)?afbud\.?$|\s*[-–]?\s*(?:punkt|pkt\.?)\s*\d.*$", "", text, flags=re.I).strip()
    return len(core.split()) <= 1 or core[:1].islower()


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


def split_front(front: list[Line], profile: Profile, seg: Segments, is_member=None) -> None:
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
        if current is not None and ln.text.endswith(":") and len(ln.text) <= 60:
            current = None  # another caption ("Faciliteret af:") ends the list
        if current is not None and is_member is not None and current.lines and not is_member(ln.text) and not _continuation(ln.text):
            current = None  # "Møde referat": the list has ended
        if current is not None:
            current.lines.append(ln)
        else:
            seg.header.append(ln)


def segment(lines: list[Line], profile: Profile, is_member=None) -> Segments:
    """Split cleaned lines into header, lists, items and sign-off.

    ``is_member(text) -> bool`` says whether a line is an attendee line; with
    it, attendance lists that stand among the items are lifted out too.
    """
    seg = Segments()
    rest = lift_box(lines, profile, seg)
    rest = cut_appendix(rest, profile, seg)
    rest = lift_signoff(rest, profile, seg)
    rest = merge_number_lines(rest, profile)
    rest = lift_lists(rest, profile, seg, is_member)
    front, items = find_items(rest, profile)
    seg.items = split_sub_items(items)
    split_front(front, profile, seg, is_member)
    # box groups and front-matter groups together, in the document's line order
    seg.groups.sort(key=lambda g: g.heading.no if g.heading else 0)
    return seg
