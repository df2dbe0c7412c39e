"""Meeting header: kind, title, body, number, date, times, place, sign-off."""

from __future__ import annotations

import re

from ..dates import find_dates, find_times, weekday_name
from ..people import resolve_initials
from ..profiles import Profile
from ..records import Diagnostic, Line, Meeting
from ..segment import Segments, _match_any, header_label

_POSTCODE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ][\wæøå]+")
_STREET = re.compile(r"\b(?:vej|gade|allé|alle|plads|torv|boulevard|stræde|vænge|have|park)\b\s*\d", re.I)
_MEETING_NO = re.compile(r"^(?:møde|mødenr\.?|møde nr\.?)\s*(?P<no>\d{1,3})(?:\s*[,/]\s*(?P<year>(?:19|20)\d{2}))?[,:\s-]*(?P<rest>.*)$", re.I)
_INITIALS = re.compile(r"^[A-ZÆØÅ]{2,4}$")


def _kind(profile: Profile, text: str) -> tuple[str | None, str]:
    for pattern, kind in profile.doc_kinds:
        m = pattern.match(text)
        if m:
            return kind, text[m.end():].strip(" :-–")
    return None, text


_INLINE_LABEL = re.compile(r"^(?P<label>[A-ZÆØÅa-zæøå][\wæøå .]{1,25}?)\s*:\s*(?P<value>\S.*)$")
_FILE_KIND = re.compile(r"(referat|dagsorden|beslutningsprotokol|protokol)", re.I)


def extract_meeting(seg: Segments, profile: Profile, people_names: list[str], file_name: str = "") -> tuple[Meeting, list[Diagnostic]]:
    meeting = Meeting(template=profile.name)
    diags: list[Diagnostic] = []
    header = []
    # "Sted: H2", "Mødested: Mødelokale 1": a label and its value on one line
    from dataclasses import replace as _replace

    for ln in seg.header:
        m = _INLINE_LABEL.match(ln.text)
        name = header_label(profile, m["label"] + ":") if m else None
        if name:
            seg.fields.setdefault(name, []).append(_replace(ln, text=m["value"], cells=(m["value"],)))
        else:
            header.append(ln)
    date_lines: list[Line] = []
    place_lines: list[Line] = []
    for ln in header:
        kind, rest = _kind(profile, ln.text)
        if kind and meeting.doc_kind is None:
            meeting.doc_kind = kind
            meeting.page = ln.page
            if rest:
                meeting.title = ln.text
            continue
        if find_dates(ln.text):
            date_lines.append(ln)
            continue
        if meeting.title is None:
            meeting.title = ln.text
            meeting.page = meeting.page or ln.page
            continue
        place_lines.append(ln)
    if meeting.doc_kind is None:
        m = _FILE_KIND.search(file_name)
        if m:
            meeting.doc_kind = m.group(1).lower()
            meeting.inferred.append("doc_kind")
            diags.append(Diagnostic("extract.header", "info", f"doc_kind '{meeting.doc_kind}' taken from the file name"))
    # header box fields
    if seg.fields.get("body"):
        meeting.body = seg.fields["body"][0].text
    subject = seg.fields.get("subject", [])
    if subject:
        m = _MEETING_NO.match(subject[0].text)
        if m:
            meeting.meeting_no = int(m["no"])
            if m["rest"]:
                meeting.body = m["rest"].strip()
        else:
            meeting.body = subject[0].text
    for name in ("date", "when_where", "time"):
        for ln in seg.fields.get(name, []):
            (date_lines if find_dates(ln.text) or find_times(ln.text)[0] else place_lines).append(ln)
    for ln in seg.fields.get("location", []):
        place_lines.append(ln)
    if meeting.body is None and meeting.title:
        _, rest = _kind(profile, meeting.title)
        meeting.body = rest or meeting.title
    # date and times
    year_hint = None
    if subject:
        ym = re.search(r"\b((?:19|20)\d{2})\b", subject[0].text)
        year_hint = int(ym.group(1)) if ym else None
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
                    diags.append(Diagnostic("extract.header", "info", f"year of '{hit.raw}' taken from '{subject[0].text}'", page=ln.page, line=ln.no))
                if hit.weekday is not None and hit.weekday != d.weekday():
                    diags.append(Diagnostic("extract.header", "warning", f"'{hit.raw}': {d.isoformat()} is a {weekday_name(d)}, not as written", page=ln.page, line=ln.no))
        start, end = find_times(ln.text)
        if start and meeting.start_time is None:
            meeting.start_time, meeting.end_time = start, end
    for ln in place_lines:
        if _POSTCODE.search(ln.text) or _STREET.search(ln.text):
            meeting.address = meeting.address or ln.text
        elif meeting.location is None:
            meeting.location = ln.text
    # sign-off
    for ln in seg.signoff:
        m = _match_any(profile.referent_lines, ln.text)
        if m:
            who = m.group("who").strip(" .")
            meeting.referent, meeting.referent_initials = _resolve_one(who, people_names, ln, diags, meeting, "referent")
            continue
        m = _match_any(profile.approval_lines, ln.text)
        if m and m.group("who"):
            for part in re.split(r"\s*(?:,|\bog\b|&)\s*", m.group("who").strip(" .")):
                if part:
                    name, code = _resolve_one(part, people_names, ln, diags, meeting, "approved_by")
                    meeting.approved_by.append(name)
                    if code:
                        meeting.approved_by_initials.append(code)
    return meeting, diags


def _resolve_one(who: str, names: list[str], ln: Line, diags: list[Diagnostic], meeting: Meeting, field: str) -> tuple[str, str | None]:
    if not _INITIALS.match(who):
        return who, None
    name, fits = resolve_initials(who, names)
    if name:
        if field not in meeting.inferred:
            meeting.inferred.append(field)
        diags.append(Diagnostic("normalise.people", "info", f"initials {who} resolved to {name}", page=ln.page, line=ln.no))
        return name, who
    why = f"several attendees fit: {', '.join(fits)}" if fits else "no attendee has these initials"
    diags.append(Diagnostic("normalise.people", "warning", f"initials {who} not resolved ({why}); kept as written", page=ln.page, line=ln.no))
    return who, who
