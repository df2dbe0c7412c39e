"""Meeting header: kind, title, body, number, date, times, place, sign-off as written.

Reads the segment stage's ``Structure`` and returns a new ``Meeting``; names
written as initials in the sign-off are resolved later, by ``link``, against
the meeting's people.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import MONTH_NAMES, WEEKDAYS, find_dates, find_times, weekday_name
from ..records import Diagnostic, Line, Meeting
from ..rules import Rules, first_match, first_tag
from ..segment import Structure

_POSTCODE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ][\wæøå]+")
_STREET = re.compile(r"\b(?:vej|gade|allé|alle|plads|torv|boulevard|stræde|vænge|have|park)\b\s*\d", re.I)
_MEETING_NO = re.compile(r"^(?:møde|mødenr\.?|møde nr\.?)\s*(?P<no>\d{1,3})(?:\s*[,/]\s*(?P<year>(?:19|20)\d{2}))?[,:\s-]*(?P<rest>.*)$", re.I)
_INITIALS = re.compile(r"^[A-ZÆØÅ]{2,4}$")
#: a kind line's rest that names the kind of meeting, not the body: "ordinær generalforsamling"
_MEETING_TYPE = re.compile(r"(?:(?:ordinær|ordinært|ekstraordinær|ekstraordinært|årlig|årligt|konstituerende)\s+)?(?:generalforsamling|møde|bestyrelsesmøde|afdelingsmøde|repræsentantskabsmøde|udvalgsmøde|styregruppemøde)", re.I)
_MEETING_NO_LINE = re.compile(r"^(?:møde\s*)?nr\.?\s*(?P<no>\d{1,3})$", re.I)
_PLACE_WORDS = re.compile(r"\b(?:lokale|mødelokale|mødecenter|rådhus|rådhuset|regionshuset|værelse|sal|salen|kantine|kantinen|skole|skolen|hus|huset|online|virtuel|virtuelt|teams|videomøde|bibliotek|centret|center)\b", re.I)


def _looks_like_place(text: str) -> bool:
    if len(text) > 70 or re.search(r"[!?:]$", text) or len(text.split()) > 9:
        return False
    return bool(_PLACE_WORDS.search(text) or re.match(r"^(?:i|på)\s+[A-ZÆØÅ]", text) or re.search(r",\s*[A-ZÆØÅ][\wæøå]+\s+\d", text))


def _kind(rules: Rules, text: str) -> tuple[str | None, str]:
    hit = first_tag(rules.structure.doc_kinds, text)
    if hit:
        kind, m = hit
        return kind, text[m.end():].strip(" :-–")
    return None, text


_FILE_KIND = re.compile(r"(referat|dagsorden|beslutningsprotokol|protokol)", re.I)


_WEEKDAY_TAIL = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\s*(?:den)?\s*$", re.I)
#: "Grundejerforeningen POMOSA Februar": a full month name ending a line
_MONTH_TAIL = re.compile(rf"\s+(?:{'|'.join(MONTH_NAMES)})$", re.I)


class _Draft:
    """The meeting's fields while they are read (frozen into a Meeting at the end)."""

    def __init__(self, template: str):
        self.doc_kind = self.title = self.body = self.meeting_date = self.start_time = self.end_time = None
        self.location = self.address = self.referent = None
        self.meeting_no = self.page = None
        self.approved_by: list[str] = []
        self.inferred: list[str] = []
        self.sources: dict[str, list[int]] = {}
        self.template = template

    def freeze(self) -> Meeting:
        return Meeting(doc_kind=self.doc_kind, title=self.title, body=self.body, meeting_no=self.meeting_no, meeting_date=self.meeting_date,
                       start_time=self.start_time, end_time=self.end_time, location=self.location, address=self.address,
                       referent=self.referent, approved_by=tuple(self.approved_by), template=self.template,
                       inferred=tuple(self.inferred), page=self.page,
                       sources=tuple((k, tuple(v)) for k, v in self.sources.items()))


def read_meeting(seg: Structure, rules: Rules, file_name: str = "") -> tuple[Meeting, list[Diagnostic]]:
    """The meeting as its header, box fields, sign-off and decision labels state it."""
    meeting = _Draft(rules.profile.name)
    diags: list[Diagnostic] = []
    header = list(seg.header)
    # the header lines: the kind line, the first date line, what follows them
    kind_line: Line | None = None
    kind_rest = kind_tail = ""  # the kind line after the kind word: without / with its date
    first_date: Line | None = None
    plain: list[Line] = []  # lines that are neither the kind line nor a date line
    after_date: Line | None = None
    for ln in header:
        kind, rest = _kind(rules, ln.text)
        if kind and meeting.doc_kind is None:
            meeting.doc_kind, kind_line, kind_rest, kind_tail = kind, ln, rest, rest
            meeting.page = ln.page
            hits = find_dates(rest)
            if hits and first_date is None:  # "Referat af generalforsamling mandag den 26. februar kl. 20.00"
                first_date = ln
                kind_rest = _WEEKDAY_TAIL.sub("", rest[: hits[0].start]).strip(" :,-–")
            continue
        if find_dates(ln.text):
            if first_date is None:
                first_date = ln
            continue
        plain.append(ln)
    if first_date is not None:
        after_date = next((ln for ln in plain if ln.no > first_date.no), None)
    if meeting.doc_kind is None:
        m = _FILE_KIND.search(file_name)
        if m:
            meeting.doc_kind = m.group(1).lower()
            meeting.inferred.append("doc_kind")
            diags.append(Diagnostic("extract.header", "info", f"doc_kind '{meeting.doc_kind}' taken from the file name"))
    # title: the kind line with a rest, else the first plain line, else the date line's lead
    date_lead, date_tail = ("", "")
    if first_date is not None:
        hit = find_dates(first_date.text)[0]
        date_lead = _WEEKDAY_TAIL.sub("", first_date.text[: hit.start]).strip(" :,-–")
        date_tail = first_date.text[hit.end:]
    if kind_line is not None and kind_tail:
        meeting.title = kind_line.text
    elif plain and (first_date is None or plain[0].no < first_date.no):
        meeting.title = plain[0].text
    elif date_lead:
        meeting.title = date_lead
    # body: a labelled field, the box subject, the kind line's rest, the first plain line
    subject = seg.fields.get("subject", [])
    if seg.fields.get("body"):
        meeting.body = re.sub(r"\s*\([^)]*\)\s*", " ", seg.fields["body"][0].text).strip()
    elif subject:
        m = _MEETING_NO.match(subject[0].text)
        if m:
            meeting.meeting_no = int(m["no"])
            meeting.body = m["rest"].strip() or None
        else:
            meeting.body = subject[0].text
    if meeting.body is None:
        rest = re.sub(r"^(?:af|fra|for)\s+", "", kind_rest, flags=re.I)
        if rest and not _MEETING_TYPE.fullmatch(rest):
            meeting.body = rest
        else:
            candidates = [ln.text for ln in plain if not _MEETING_NO_LINE.match(ln.text) and len(ln.text) <= 80 and not re.search(r"[.!?]$", ln.text)]
            if candidates and (first_date is None or next(ln for ln in plain if ln.text == candidates[0]).no < first_date.no):
                meeting.body = candidates[0]
            elif date_lead:
                meeting.body = date_lead
    for ln in plain:
        m = _MEETING_NO_LINE.match(ln.text)
        if m and meeting.meeting_no is None:
            meeting.meeting_no = int(m["no"])
    # date and times: labelled fields first, then the first date line of the header
    date_lines = [ln for name in ("date", "when_where", "time") for ln in seg.fields.get(name, []) if find_dates(ln.text) or find_times(ln.text)[0]]
    if first_date is not None:
        date_lines.append(first_date)
    year_hint, year_from = None, None
    if subject:
        ym = re.search(r"\b((?:19|20)\d{2})\b", subject[0].text)
        year_hint, year_from = (int(ym.group(1)), subject[0].text) if ym else (None, None)
    if year_hint is None:
        # a year on a header line of its own ("Februar" / "2023" set apart from "Mandag den 26. februar")
        alone = next((ln for ln in plain if re.fullmatch(r"(?:19|20)\d{2}", ln.text.strip())), None)
        year_hint, year_from = (int(alone.text), alone.text) if alone else (None, None)
        if alone and meeting.body:  # the month set apart with it ends the line above: "Grundejerforeningen POMOSA Februar"
            meeting.body = _MONTH_TAIL.sub("", meeting.body) or meeting.body
    for ln in date_lines:
        hits = find_dates(ln.text)
        if hits and meeting.meeting_date is None:
            hit = hits[0]
            d = hit.resolve(year_hint)
            if d is None and hit.year is None:
                diags.append(Diagnostic("extract.header", "warning", f"meeting date '{hit.raw}' has no year and the document gives none", page=ln.page, line=ln.no))
            elif d is not None:
                meeting.meeting_date = d.isoformat()
                if hit.year is None:
                    meeting.inferred.append("meeting_date")
                    diags.append(Diagnostic("extract.header", "info", f"year of '{hit.raw}' taken from '{year_from}'", page=ln.page, line=ln.no))
                if hit.weekday is not None and hit.weekday != d.weekday():
                    diags.append(Diagnostic("extract.header", "warning", f"'{hit.raw}': {d.isoformat()} is a {weekday_name(d)}, not as written", page=ln.page, line=ln.no))
        start, end = find_times(ln.text)
        if start and meeting.start_time is None:
            if end is None:
                # "25-09-2012 15:30:00 - 25-09-2012 16:00:00": the second clock time after a dash
                m = re.search(r"[-–]\s*(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\s+)?(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})", ln.text[ln.text.find(start.split(":")[0]) + 2:])
                if m:
                    end = f"{int(m.group(1)):02d}:{m.group(2)}"
            meeting.start_time, meeting.end_time = start, end
    # "Mødet hævet: kl. 17:45"
    for ln in seg.fields.get("end", []):
        end, _ = find_times(ln.text if re.search(r"\bkl\b", ln.text) else "kl. " + ln.text)
        if end and meeting.end_time is None:
            meeting.end_time = end
    # place: labelled fields, the date line's tail ("… på Næsbyhovedskoven"), the line after the date
    labelled = [ln.text for name in ("location", "when_where", "date") for ln in seg.fields.get(name, []) if not (find_dates(ln.text) or find_times(ln.text)[0])]
    tail = re.search(r"(?:^|[\s,])(?:på|i)\s+([A-ZÆØÅ][^.]*?)\.?\s*$", date_tail)
    nearby = after_date.text if after_date is not None else None
    for ln in plain:
        if _POSTCODE.search(ln.text) or _STREET.search(ln.text):
            meeting.address = meeting.address or ln.text
    if labelled:
        meeting.location = labelled[0]
    elif tail:
        meeting.location = tail.group(1).strip()
    elif nearby and nearby != meeting.address and _looks_like_place(nearby):
        meeting.location = re.sub(r"^(?:i|på)\s+", "", nearby).rstrip(".")
    # sign-off, as written (initials are resolved by link)
    for ln in seg.signoff:
        m = first_match(rules.structure.referent_lines, ln.text)
        if m:
            meeting.referent = m.group("who").strip(" .")
            meeting.sources["referent"] = [ln.no]
            continue
        m = first_match(rules.structure.approval_lines, ln.text)
        if m and m.group("who"):
            meeting.approved_by += [part for part in re.split(r"\s*(?:,|\bog\b|&)\s*", m.group("who").strip(" .")) if part]
            meeting.sources.setdefault("approved_by", []).append(ln.no)
    diags += _complete_from_items(meeting, [ln for it in seg.items for ln in it.body])
    return meeting.freeze(), diags


def is_initials(text: str) -> bool:
    """"IKA", "SA": a name written as capital initials."""
    return bool(_INITIALS.match(text))


_BODY_DECISION = re.compile(r"^(?P<body>[A-ZÆØÅ][\wæøåÆØÅ,\- ]{2,80}?)s\s+beslutning\s+(?:i\s+mødet\s+)?den\s+(?P<rest>.+)$")
_SESSION_TIMES = re.compile(
    r"mødet\s+(?:startede|begyndte|blev\s+åbnet)\s+kl\.?\s*(?P<a>\d{1,2}[.:]\d{2}).{0,60}?(?:sluttede|blev\s+hævet|hævedes|afsluttedes)\s+kl\.?\s*(?P<b>\d{1,2}[.:]\d{2})",
    re.I,
)


def _complete_from_items(meeting: _Draft, item_lines: list[Line]) -> list[Diagnostic]:
    """Fill meeting facts that only the items state (single-item web pages).

    "Økonomiudvalgets beslutning i mødet den 31. marts 2020" gives the body
    and the date, "Mødet startede kl. 15.30 og sluttede kl. 16.45." the times.
    Each is marked inferred.
    """
    diags: list[Diagnostic] = []
    for ln in item_lines:
        m = _BODY_DECISION.match(ln.text)
        if m:
            hits = find_dates(m["rest"])
            if meeting.body is None:
                meeting.body = m["body"].strip()
                meeting.inferred.append("body")
                diags.append(Diagnostic("extract.header", "info", f"body '{meeting.body}' read from '{ln.text}'", page=ln.page, line=ln.no))
            if meeting.meeting_date is None and hits and hits[0].resolve():
                meeting.meeting_date = hits[0].resolve().isoformat()
                meeting.inferred.append("meeting_date")
                diags.append(Diagnostic("extract.header", "info", f"meeting date read from '{ln.text}'", page=ln.page, line=ln.no))
        t = _SESSION_TIMES.search(ln.text)
        if t and meeting.start_time is None:
            meeting.start_time = find_times("kl. " + t["a"])[0]
            meeting.end_time = find_times("kl. " + t["b"])[0]
    return diags
