"""The meeting: kind, title, body, number, date, times, place and sign-off, chosen by evidence.

Every field has candidates — a labelled value ("Mødedato:", "Udvalg:"), the
title line, the first date line of the header, a decision label in the items
("Økonomiudvalgets beslutning den 4. marts 2020"), a sentence ("… afholdtes
på Cafe Krunch") — each with a score for its evidence and against it (a date
on a line that says "Publiceret" or "næste møde", a letter's dateline, web
navigation or a kind word as the body).  The best candidate wins; a value
that no label states gets a diagnostic naming its evidence, and an inferred
one ("the year from the file name") is listed in ``Meeting.inferred``.

Reads the segment stage's ``Structure`` and returns a new ``Meeting``; names
written as initials in the sign-off are resolved later, by ``link``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..dates import DateHit, find_dates, find_times, month_names, weekday_name
from ..records import Diagnostic, Line, Meeting
from ..rules import Rules, first_match, first_search, first_tag
from ..segment import Structure

#: a name written as capital initials ("IKA"); a letter shape, read by link too (which has no rules at hand)
_INITIALS = re.compile(r"^[A-ZÆØÅ]{2,4}$")
#: a date in a file name ("…_2022-11-07.pdf", "20221107"), and a year standing alone
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_]?([01]\d)[-_]?([0-3]\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])")


def is_initials(text: str) -> bool:
    """"IKA", "SA": a name written as capital initials."""
    return bool(_INITIALS.match(text))


@dataclass(frozen=True)
class Found:
    """A candidate value of one field, with the score of its evidence and where it stands."""

    value: object
    score: float
    why: str
    line: Line | None = None


@dataclass
class _Read:
    """The meeting's fields while they are read (frozen into a Meeting at the end)."""

    template: str
    values: dict[str, object] = field(default_factory=dict)
    inferred: list[str] = field(default_factory=list)
    sources: dict[str, list[int]] = field(default_factory=dict)
    approved_by: list[str] = field(default_factory=list)

    def set(self, name: str, found: Found | None, inferred: bool = False) -> None:
        if found is None or found.value in (None, ""):
            return
        self.values[name] = found.value
        if found.line is not None:
            self.sources[name] = [found.line.no]
        if inferred and name not in self.inferred:
            self.inferred.append(name)

    def freeze(self) -> Meeting:
        v = self.values
        return Meeting(doc_kind=v.get("doc_kind"), title=v.get("title"), body=v.get("body"), meeting_no=v.get("meeting_no"),
                       meeting_date=v.get("meeting_date"), start_time=v.get("start_time"), end_time=v.get("end_time"),
                       location=v.get("location"), address=v.get("address"), referent=v.get("referent"),
                       approved_by=tuple(self.approved_by), template=self.template, inferred=tuple(self.inferred),
                       page=v.get("page"), sources=tuple((k, tuple(x)) for k, x in self.sources.items()))


def _best(cands: list[Found]) -> Found | None:
    good = [c for c in cands if c.score > 0]
    return max(good, key=lambda c: c.score) if good else None


def _diag(name: str, found: Found, level: str = "info") -> Diagnostic:
    ln = found.line
    return Diagnostic("extract.header", level, f"{name} {found.value!s}: {found.why}", page=ln.page if ln else None, line=ln.no if ln else None)


# --- the kind and the title ----------------------------------------------------------


def _without_weekday(text: str, rules: Rules) -> str:
    """The text before a date without the weekday that leads into it ("Mandag den")."""
    m = first_search(rules.header.weekday_lead, text)
    return text[: m.start()] + text[m.end():] if m else text


def _kind(rules: Rules, text: str) -> tuple[str | None, str]:
    hit = first_tag(rules.structure.doc_kinds, text)
    if hit:
        kind, m = hit
        return kind, text[m.end():].strip(" :-–")
    return None, text


def _title_block(lines: list[Line], start: int, rules: Rules) -> tuple[str, list[Line]]:
    """The title at ``lines[start]`` with the lines it runs on to ("… generalforsamling i" / "E/F Strandpark II")."""
    used = [lines[start]]
    text = lines[start].text
    k = start + 1
    while k < len(lines) and len(used) < 3:
        nxt = lines[k].text
        if find_dates(nxt, rules.dates) or _kind(rules, nxt)[0] or first_match(rules.header.not_body, nxt) or first_match(rules.header.page_chrome, nxt):
            break
        caps = text.isupper() and nxt.isupper() and len(nxt) <= 60
        if not (first_search(rules.header.title_open_end, text) or first_match(rules.header.title_goes_on, nxt) or caps):
            break
        text += " " + nxt
        used.append(lines[k])
        k += 1
    return text, used


def _clean_body(text: str, rules: Rules) -> str:
    """A title's text reduced to the body: no kind word, meeting type, date, year or preposition around it.

    A title that names only the kind of meeting ("Generalforsamling: 15. februar")
    names the body that met: the assembly itself.
    """
    t = text.strip()
    kind, rest = _kind(rules, t)
    if kind:
        t = rest
    hits = find_dates(t, rules.dates)
    if hits:
        t = _without_weekday(t[: hits[0].start], rules)
    for p in rules.header.title_not_body:  # "… – referat", "af …"
        t = p.sub("", t)
    joiner = "|".join(sorted(rules.header.type_prepositions))
    for p in rules.header.meeting_types:  # "ordinær generalforsamling i X", "X – ordinær generalforsamling"
        t = re.sub(rf"^(?:{p.pattern})(?:\s+(?:{joiner}))?\s+", "", t, flags=re.I)
        t = re.sub(rf"\s*[-–—]\s*(?:{p.pattern})\s*$", "", t, flags=re.I)
        t = re.sub(rf"^(?:{p.pattern})\s*$", "", t, flags=re.I)
    t = re.sub(r"\s+(?:19|20)\d{2}$", "", t)  # "Grundejerforeningen POMOSA 2025": the meeting's year
    t = re.sub(rf"\s+(?:{'|'.join(month_names(rules.dates))})$", "", t, flags=re.I)  # "… Kildevang Februar" / "2023": the date set apart
    t = t.strip(" .,:;-–")
    if not t:  # only the kind of meeting: the assembly met
        lead = text.strip()
        hits = find_dates(lead, rules.dates)
        lead = _without_weekday(lead[: hits[0].start] if hits else lead, rules).strip(" .,:;-–")
        if any(p.fullmatch(lead) for p in rules.header.meeting_types):
            return lead
    return t


def _valid_body(text: str, rules: Rules) -> bool:
    t = text.strip()
    if not t or len(t) > 100 or first_match(rules.header.not_body, t) or first_match(rules.header.page_chrome, t) \
            or first_match(rules.header.dateline, t):
        return False
    labels = rules.labels
    if any(first_match(ps, t) for ps in (labels.description, labels.minutes, labels.recommendation, labels.history, labels.attachments)):
        return False  # a block label ("Resume", "Beslutning") names a part of an item, never the body
    words = t.split()
    # a body is a name: it has a capital ("til", "den" are left-overs of a title, not a body)
    return not (t.endswith(".") and len(words) >= 6) and any(ch.isupper() for ch in t)


# --- candidates ----------------------------------------------------------------------


def _body_candidates(seg: Structure, rules: Rules, title: str | None, title_lines: list[Line], plain: list[Line],
                     first_date: Line | None) -> list[Found]:
    out: list[Found] = []
    if seg.fields.get("body"):
        ln = seg.fields["body"][0]
        out.append(Found(re.sub(r"\s*\([^)]*\)\s*", " ", ln.text).strip(), 5.0, f"labelled '{seg.field_labels.get('body').text if seg.field_labels.get('body') else ''}'", ln))
    for ln in seg.fields.get("subject", [])[:1]:
        m = first_match(rules.header.meeting_no, ln.text)
        text = m.group("rest").strip() if m else ln.text
        out.append(Found(text, 4.0, "the subject of the header box", ln))
    if title:
        out.append(Found(_clean_body(title, rules), 3.0, f"the title {title[:60]!r}", title_lines[0] if title_lines else None))
    before = [ln for ln in plain if first_date is None or ln.no < first_date.no]
    # the first line of the header that can name a body (a web page's chrome, a cookie banner, may stand above it)
    valid = [(k, ln) for k, ln in enumerate(before[:4]) if _valid_body(_clean_body(ln.text, rules), rules)]
    if valid:
        k, ln = valid[0]
        where = "the first line of the header" if k == 0 else f"line {k + 1} of the header (the lines above name no body)"
        out.append(Found(_clean_body(ln.text, rules), 2.0 - 0.3 * k, f"{where} {ln.text[:60]!r}", ln))
    if first_date is not None:
        hit = find_dates(first_date.text, rules.dates)[0]
        lead = _without_weekday(first_date.text[: hit.start], rules).strip(" :,-–")
        if lead and not first_match(rules.header.dateline, first_date.text):
            out.append(Found(_clean_body(lead, rules), 1.0, f"the words before the date {lead[:60]!r}", first_date))
    # the body named after the date, set off by a comma or a dash: "Referat af bestyrelsesmøde d. 16. august 2012, Det Kolde Gys"
    for ln in list(title_lines) + [ln for ln in seg.header[:5] if ln not in title_lines]:
        hits = find_dates(ln.text, rules.dates)
        if not hits or first_match(rules.header.dateline, ln.text):
            continue
        m = re.match(r"\s*[,–-]\s*(?P<after>[A-ZÆØÅ][^\d]*?)\s*\.?$", ln.text[hits[0].end:])
        if m and len(m["after"].split()) <= 6 and not first_match(rules.header.place_preposition, m["after"]) \
                and not any(w.casefold() in rules.header.place_words for w in m["after"].split()):
            out.append(Found(_clean_body(m["after"], rules), 1.5, f"the words after the date {ln.text[:60]!r}", ln))
            break
    named: dict[str, list[Line]] = {}
    for it in seg.items:
        for ln in it.body:
            for p in rules.header.body_in_items:
                m = p.search(ln.text)
                if m:
                    named.setdefault(m.group("body").strip(), []).append(ln)
    for body, lines in named.items():
        out.append(Found(body, 1.2 + 0.2 * min(len(lines) - 1, 3), f"named in the items ({len(lines)}×), e.g. {lines[0].text[:60]!r}", lines[0]))
    return [f for f in out if _valid_body(str(f.value), rules)]


def _date_candidates(seg: Structure, rules: Rules, header: list[Line], kind_line: Line | None) -> list[tuple[Found, DateHit]]:
    out: list[tuple[Found, DateHit]] = []

    def against(ln: Line, prev: Line | None) -> float:
        penalty = 0.0
        # the line itself, or a caption above it ("Publiceret:" / "30-11-2016")
        above = prev.text if prev is not None and not find_dates(prev.text, rules.dates) and len(prev.text.split()) <= 4 else ""
        for t in (ln.text, above):
            if any(p.search(t) for p in rules.header.not_meeting_date):
                penalty -= 6.0
        if first_match(rules.header.dateline, ln.text):
            penalty -= 4.0
        return penalty

    for name in ("date", "when_where", "time"):
        for ln in seg.fields.get(name, []):
            for hit in find_dates(ln.text, rules.dates)[:1]:
                out.append((Found(None, 5.0 + against(ln, None), f"labelled '{seg.field_labels[name].text}'" if name in seg.field_labels else "a labelled field", ln), hit))
    first = True
    for k, ln in enumerate(header):
        hits = find_dates(ln.text, rules.dates)
        if not hits:
            continue
        base = 3.5 if ln is kind_line else (3.0 if first else 2.0)
        first = False
        out.append((Found(None, base + against(ln, header[k - 1] if k else None), "the first date of the header" if base >= 3 else "a date of the header", ln), hits[0]))
    seen: dict[tuple, int] = {}
    for it in seg.items:
        for ln in it.body:
            for p in rules.header.body_in_items:
                m = p.search(ln.text)
                if m and m.group("rest"):
                    for hit in find_dates(m.group("rest"), rules.dates)[:1]:
                        key = (hit.day, hit.month, hit.year)
                        seen[key] = seen.get(key, 0) + 1
                        if seen[key] == 1:
                            out.append((Found(None, 2.0, f"a decision label in the items {ln.text[:60]!r}", ln), hit))
    if seg.items:  # the first item approves the agenda of the meeting on a date
        first_item = seg.items[0]
        for ln in list(first_item.heading) + list(first_item.body[:3]):
            m = first_match(rules.header.agenda_approval, ln.text)
            hits = find_dates(m.group("rest"), rules.dates)[:1] if m else []
            if hits:
                out.append((Found(None, 1.5 + against(ln, None), f"the first item approves the agenda of the meeting on it: {ln.text[:60]!r}", ln), hits[0]))
                break
    return out


def _year_evidence(seg: Structure, title: str | None, plain: list[Line], file_name: str) -> list[tuple[int, str]]:
    """Years the document states apart from the date: (year, where)."""
    out: list[tuple[int, str]] = []
    for ln in seg.fields.get("subject", []):
        m = _YEAR.search(ln.text)
        if m:
            out.append((int(m.group(1)), f"the subject {ln.text[:40]!r}"))
    if title:
        m = _YEAR.search(title)
        if m:
            out.append((int(m.group(1)), f"the title {title[:40]!r}"))
    alone = next((ln for ln in plain if re.fullmatch(r"(?:19|20)\d{2}", ln.text.strip())), None)
    if alone is not None:
        out.append((int(alone.text), f"the header line {alone.text!r}"))
    m = _FILE_DATE.search(file_name) or _YEAR.search(file_name)
    if m:
        out.append((int(m.group(1)), f"the file name {file_name!r}"))
    return out


def _resolve(hit: DateHit, found: Found, years: list[tuple[int, str]], diags: list[Diagnostic], rules: Rules) -> tuple[dt.date | None, bool]:
    """(date, inferred): a yearless date gets the first stated year its weekday agrees with."""
    ln = found.line
    where = {"page": ln.page if ln else None, "line": ln.no if ln else None}
    if hit.year is not None:
        d = hit.resolve()
        if d is not None and hit.weekday is not None and hit.weekday != d.weekday():
            diags.append(Diagnostic("extract.header", "warning", f"'{hit.raw}': {d.isoformat()} is a {weekday_name(d, rules.dates)}, not as written", **where))
        return d, False
    fitting = [(y, why) for y, why in years if hit.resolve(y) is not None and (hit.weekday is None or hit.resolve(y).weekday() == hit.weekday)]
    if not fitting:
        if years and hit.weekday is not None:
            tried = ", ".join(str(y) for y, _ in years)
            diags.append(Diagnostic("extract.header", "warning", f"meeting date '{hit.raw}' has no year; the years the document states ({tried}) "
                                    f"do not fit its weekday", **where))
        else:
            diags.append(Diagnostic("extract.header", "warning", f"meeting date '{hit.raw}' has no year and the document gives none", **where))
        return None, False
    year, why = fitting[0]
    d = hit.resolve(year)
    weekday = " (the weekday agrees)" if hit.weekday is not None else ""
    diags.append(Diagnostic("extract.header", "info", f"meeting_date {d.isoformat()}: day and month from '{hit.raw}', year from {why}{weekday}", **where))
    return d, True


def _times(date_lines: list[Line], seg: Structure, rules: Rules, header: list[Line] = ()) -> tuple[str | None, str | None, Line | None]:
    """(start, end, line) from the lines that give the meeting's date, or the labelled time fields, or
    a short line of its own right under the date line ("Kl. 18.00 – 20.30")."""
    lines = date_lines + list(seg.fields.get("time", [])) + list(seg.fields.get("when_where", []))
    for d in date_lines:
        k = next((k for k, ln in enumerate(header) if ln is d), None)
        if k is not None and k + 1 < len(header) and len(header[k + 1].text.split()) <= 6:
            lines.append(header[k + 1])
    for ln in lines:
        start, end = find_times(ln.text)
        if not start:
            continue
        if end is None:  # "25-09-2012 15:30:00 - 25-09-2012 16:00:00": the second clock time after a dash
            m = first_search(rules.header.second_time, ln.text[ln.text.find(start.split(":")[0]) + 2:])
            if m:
                end = f"{int(m['h']):02d}:{m['m']}"
        return start, end, ln
    return None, None, None


def _end_time(seg: Structure, rules: Rules) -> Found | None:
    for ln in seg.fields.get("end", []):
        end, _ = find_times(ln.text if re.search(r"\bkl\b", ln.text) else "kl. " + ln.text)
        if end:
            return Found(end, 5.0, "labelled", ln)
    lines = [ln for it in seg.items for ln in it.body] + list(seg.signoff)
    for k in range(len(lines) - 1, -1, -1):
        ln = lines[k]
        if first_match(rules.structure.closing_lines, ln.text):
            text = ln.text + (" " + lines[k + 1].text if k + 1 < len(lines) else "")
            end, _ = find_times(text)
            if end:
                return Found(end, 3.0, f"the closing line {ln.text[:60]!r}", ln)
    return None


def _place(seg: Structure, rules: Rules, header: list[Line], date_lines: list[Line], address: str | None) -> Found | None:
    cands: list[Found] = []
    for name in ("location", "when_where", "date"):
        for ln in seg.fields.get(name, []):
            if not (find_dates(ln.text, rules.dates) or find_times(ln.text)[0]):
                cands.append(Found(ln.text.strip().rstrip("."), 5.0, "labelled", ln))
    text = " ".join(ln.text for ln in header)
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", text):
        for p in rules.header.place_phrase:
            m = p.search(sentence)
            if m:
                ln = next((x for x in header if m.group("place")[:12] in x.text), header[0] if header else None)
                cands.append(Found(m.group("place").strip(" ,."), 4.0, f"the sentence {sentence[:60]!r}", ln))
    for ln in date_lines:
        hits = find_dates(ln.text, rules.dates)
        tail = ln.text[hits[0].end:] if hits else ln.text
        t = first_search(rules.header.place_after_date, tail)
        if t and (t.group("place")[:1].isupper() or any(w.casefold() in rules.header.place_words for w in t.group("place").split())) and len(t.group("place").split()) <= 8:
            cands.append(Found(t.group("place").strip(), 3.0, "after the date", ln))
        after = re.split(r"(?<=\.)\s+", tail.strip())
        last = after[-1].strip(" .") if len(after) > 1 else ""
        if last and len(last.split()) <= 4 and (last[:1].isupper()) and not find_times(last)[0]:
            cands.append(Found(last, 2.5, "the sentence after the date", ln))
        k = next((i for i, x in enumerate(header) if x is ln), None)
        if k is not None and k + 1 < len(header):
            nxt = header[k + 1].text
            if nxt != address and _looks_like_place(nxt, rules):
                lead = first_match(rules.header.place_preposition, nxt)
                cands.append(Found((nxt[lead.end():] if lead else nxt).strip(" .!*#|"), 2.0, "the line after the date", header[k + 1]))
    return _best(cands)


def _looks_like_place(text: str, rules: Rules) -> bool:
    if len(text) > 70 or re.search(r"[!?:]$", text) or len(text.split()) > 9:
        return False
    words = {w.casefold().strip(",.") for w in text.split()}
    return bool(words & rules.header.place_words or first_search(rules.header.place_line, text))


# --- the meeting ---------------------------------------------------------------------


def _created_year(hit: DateHit, created: str | None, rules: Rules) -> list[tuple[int, str]]:
    """The year a yearless date has if the file was made soon after the meeting: the latest year in
    which the day and month come on or before the file's own date (a PDF's CreationDate), and only
    when that is at most ``settings.created_window_days`` before it (a file made a year later, or a
    date that is not the meeting's, gives no year)."""
    if not created or hit.year is not None:
        return []
    c = dt.date.fromisoformat(created)
    year = c.year if (hit.month, hit.day) <= (c.month, c.day) else c.year - 1
    d = hit.resolve(year)
    if d is None or (c - d).days > rules.settings.created_window_days:
        return []
    return [(year, f"the file's own date {created} (the latest year at or before it)")]


def read_meeting(seg: Structure, rules: Rules, file_name: str = "", created: str | None = None) -> tuple[Meeting, list[Diagnostic]]:
    """The meeting as its header, box fields, items and sign-off state it, each field chosen by evidence."""
    out = _Read(rules.profile.name)
    diags: list[Diagnostic] = []
    header = list(seg.header)
    kind_line, kind_rest, first_date = None, "", None
    plain: list[Line] = []
    for ln in header:
        kind, rest = _kind(rules, ln.text)
        if kind and "doc_kind" not in out.values:
            out.values.update(doc_kind=kind, page=ln.page)
            kind_line, kind_rest = ln, rest
            if find_dates(rest, rules.dates) and first_date is None:
                first_date = ln
            continue
        if find_dates(ln.text, rules.dates):
            if first_date is None and not first_match(rules.header.dateline, ln.text) and not any(x.search(ln.text) for x in rules.header.not_meeting_date):
                first_date = ln
            continue
        if not first_match(rules.header.page_chrome, ln.text):
            plain.append(ln)
    if "doc_kind" not in out.values:
        m = rules.header.file_kind.search(file_name)
        if m:
            out.set("doc_kind", Found(m["kind"].lower(), 1.0, "the file name"), inferred=True)
            diags.append(Diagnostic("extract.header", "info", f"doc_kind '{m['kind'].lower()}' taken from the file name"))
    # the title: the kind line with its rest ("Referat af generalforsamling i X"); else the first plain
    # line before the date; else the line after a kind word standing alone ("REFERAT" / "G/F X – …");
    # else the words before the date
    # (never a line of ``header.not_title``, such as an administrator's "Ejendomsnummer 108-785" above the title)
    title, title_lines = None, []
    after_kind = header.index(kind_line) + 1 if kind_line is not None else None
    titled = [ln for ln in plain if not first_match(rules.header.not_title, ln.text)]
    titled_after_kind = after_kind is not None and after_kind < len(header) and header[after_kind] in titled
    # a letter's layout (the sender's letterhead, a dateline "Aalborg, 17. april 2018", then "REFERAT"
    # and the title): what stands above the dateline is the sender, not the title
    letter = kind_line is not None and any(first_match(rules.header.dateline, ln.text) for ln in header[:header.index(kind_line)])
    if kind_line is not None and kind_rest:
        title, title_lines = _title_block(header, header.index(kind_line), rules)
    elif letter and titled_after_kind:
        title, title_lines = _title_block(header, after_kind, rules)
    elif titled and (first_date is None or titled[0].no < first_date.no) and (kind_line is None or titled[0].no < kind_line.no):
        title, title_lines = _title_block(header, header.index(titled[0]), rules)
    elif titled_after_kind:
        title, title_lines = _title_block(header, after_kind, rules)
    elif titled and (first_date is None or titled[0].no < first_date.no):
        title, title_lines = _title_block(header, header.index(titled[0]), rules)
    if title is not None:
        out.values["title"] = title
    elif first_date is not None:
        lead = _without_weekday(first_date.text[: find_dates(first_date.text, rules.dates)[0].start], rules).strip(" :,-–")
        if lead:
            out.values["title"] = lead
    used_title = {ln.no for ln in title_lines}
    plain_rest = [ln for ln in plain if ln.no not in used_title]
    # body
    body = _best(_body_candidates(seg, rules, title, title_lines, plain_rest, first_date))
    if body is not None:
        out.set("body", body, inferred=body.why.startswith("named in the items"))
        if not body.why.startswith("labelled"):
            diags.append(_diag("body", body))
    # meeting number
    for ln in seg.fields.get("subject", [])[:1]:
        m = first_match(rules.header.meeting_no, ln.text)
        if m:
            out.values["meeting_no"] = int(m.group("no"))
    for ln in plain:
        m = first_match(rules.header.meeting_no_line, ln.text)
        if m and "meeting_no" not in out.values:
            out.values["meeting_no"] = int(m.group("no"))
    # date: the best candidate; a yearless one takes a year the document states
    cands = _date_candidates(seg, rules, header, kind_line)
    file_date = _FILE_DATE.search(file_name)
    if file_date:
        fd = tuple(int(x) for x in file_date.groups())
        cands = [(Found(f.value, f.score + (1.0 if (h.year or fd[0], h.month, h.day) == fd else 0.0), f.why, f.line), h) for f, h in cands]
    good = [(f, h) for f, h in cands if f.score > 0]
    date_found = None
    if good:
        date_found, hit = max(good, key=lambda fh: fh[0].score)
        d, inferred = _resolve(hit, date_found, _year_evidence(seg, title, plain, file_name) + _created_year(hit, created, rules), diags, rules)
        if d is not None:
            out.set("meeting_date", Found(d.isoformat(), date_found.score, date_found.why, date_found.line), inferred=inferred)
            if not inferred and not date_found.why.startswith("labelled") and date_found.score < 3.0:
                diags.append(_diag("meeting_date", Found(d.isoformat(), date_found.score, date_found.why, date_found.line)))
    # times and place: from every line that gives the meeting's date, the chosen one first
    date_lines = []
    if date_found is not None:
        chosen = out.values.get("meeting_date")
        agree = sorted((fh for fh in cands if chosen and fh[1].resolve(int(chosen[:4])) and fh[1].resolve(int(chosen[:4])).isoformat() == chosen),
                       key=lambda fh: -fh[0].score)
        date_lines = [date_found.line] + [f.line for f, _ in agree if f.line is not None and f.line is not date_found.line]
    start, end, tline = _times(date_lines, seg, rules, header)
    if start:
        out.values["start_time"] = start
        out.sources["start_time"] = [tline.no]
    if end:
        out.values["end_time"] = end
    if "end_time" not in out.values:
        found = _end_time(seg, rules)
        if found is not None:
            out.set("end_time", found)
            if found.score < 5:
                diags.append(_diag("end_time", found))
    for ln in (ln for it in seg.items for ln in it.body):
        m = next((m for p in rules.header.session_times if (m := p.search(ln.text))), None)
        if m and "start_time" not in out.values:
            out.values["start_time"] = find_times("kl. " + m.group("a"))[0]
            out.values["end_time"] = find_times("kl. " + m.group("b"))[0]
            out.inferred += ["start_time", "end_time"]
    # place and address
    address = next((ln.text for ln in plain if len(ln.text) <= rules.settings.field_max_chars and any(p.search(ln.text) for p in rules.header.address)), None)
    if address:
        out.values["address"] = address
    place = _place(seg, rules, header, date_lines, address)
    if place is not None:
        out.set("location", place)
    # sign-off, as written (initials are resolved by link)
    for ln in seg.signoff:
        m = first_match(rules.structure.referent_lines, ln.text)
        if m:
            out.values["referent"] = m.group("who").strip(" .")
            out.sources["referent"] = [ln.no]
            continue
        m = first_match(rules.structure.approval_lines, ln.text)
        if m and m.group("who"):
            out.approved_by += [part for part in rules.header.signoff_separator.split(m.group("who").strip(" .")) if part]
            out.sources.setdefault("approved_by", []).append(ln.no)
    return out.freeze(), diags
