"""Danish dates and clock times, as they are written in minutes.

A small grammar rather than a general date parser: minutes use a handful of
forms ("Mandag den 7. november 2022", "6.maj", "04.12.2012", "28/2 2022",
"15-maj-2002", "2022-10-01") and a general parser (dateparser) guesses where
we want to refuse: "9. juni" without a year must stay yearless until the
document itself supplies the year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1, "jan": 1,
    "februar": 2, "feb": 2,
    "marts": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
#: English month names: web publications of Danish minutes in an English locale ("April 3, 2019")
MONTHS_EN = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                                         "october", "november", "december"), start=1)}
#: the full names, without abbreviations ("jan" is also a given name)
MONTH_NAMES = tuple(max((k for k, v in MONTHS.items() if v == n), key=len) for n in range(1, 13))
WEEKDAYS = {"mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6}

_MONTH_RX = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RX = "|".join(WEEKDAYS)

#: "Mandag den 7. november 2022", "den 6.maj", "7. nov. 2022", "15-maj-2002"
TEXT_DATE = re.compile(
    rf"(?:(?P<wd>{_WEEKDAY_RX})\s*(?:d\.|den)?\s*)?(?:\bden\s+)?\b(?P<d>[0-3]?\d)\s*[.\-]?\s*(?P<m>{_MONTH_RX})\b\.?(?:[\s\-,]+(?P<y>(?:19|20)\d{{2}})\b)?",
    re.I,
)
#: "04.12.2012", "04-06-2020", "4/12 2012", "28/2 2022", "05/09/2022"
NUM_DATE = re.compile(r"\b(?P<d>[0-3]?\d)[./\-](?P<m>[01]?\d)(?:[./\-]|\s+)(?P<y>(?:19|20)\d{2})\b")
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
#: "Onsdag, April 3, 2019": an English month before the day
EN_DATE = re.compile(rf"(?:(?P<wd>{_WEEKDAY_RX}),?\s*)?\b(?P<m>{'|'.join(MONTHS_EN)})\s+(?P<d>[0-3]?\d),?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)
#: "d. 5/4", "den 5/4": day and month without a year
SHORT_DATE = re.compile(r"\b(?:d\.|den)\s*(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\b(?![/.\-]?\d)", re.I)
#: "kl. 17.00 – 19.00", "kl.14.30 til kl.16.30", "13:00-15:30", "fra kl. 9"
TIME_RANGE = re.compile(
    r"(?:\bkl\.?\s*)?(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)(?:\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)[.:](?P<m2>[0-5]\d))?",
    re.I,
)
KL_TIME = re.compile(r"\b(?:kl\.?|klokken)\s*(?P<h1>[0-2]?\d)(?:[.:](?P<m1>[0-5]\d))?\b(?:\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)(?:[.:](?P<m2>[0-5]\d))?)?", re.I)


@dataclass(frozen=True, slots=True)
class DateHit:
    raw: str
    day: int
    month: int
    year: int | None
    weekday: int | None  # 0 = Monday, as written
    start: int
    end: int

    def resolve(self, year: int | None = None) -> dt.date | None:
        y = self.year or year
        if y is None:
            return None
        try:
            return dt.date(y, self.month, self.day)
        except ValueError:
            return None


def find_dates(text: str) -> list[DateHit]:
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in ISO_DATE.finditer(text):
        hits.append(DateHit(m.group(0), int(m["d"]), int(m["m"]), int(m["y"]), None, m.start(), m.end()))
        taken.append(m.span())
    for m in TEXT_DATE.finditer(text):
        if not free(*m.span()):
            continue
        wd = WEEKDAYS.get((m["wd"] or "").lower())
        hits.append(DateHit(m.group(0).strip(), int(m["d"]), MONTHS[m["m"].lower()], int(m["y"]) if m["y"] else None, wd, m.start(), m.end()))
        taken.append(m.span())
    for m in EN_DATE.finditer(text):
        if not free(*m.span()):
            continue
        wd = WEEKDAYS.get((m["wd"] or "").lower())
        hits.append(DateHit(m.group(0).strip(), int(m["d"]), MONTHS_EN[m["m"].lower()], int(m["y"]), wd, m.start(), m.end()))
        taken.append(m.span())
    for m in NUM_DATE.finditer(text):
        if not free(*m.span()):
            continue
        d, mo = int(m["d"]), int(m["m"])
        if 1 <= d <= 31 and 1 <= mo <= 12:
            hits.append(DateHit(m.group(0), d, mo, int(m["y"]), None, m.start(), m.end()))
            taken.append(m.span())
    for m in SHORT_DATE.finditer(text):
        if not free(*m.span()):
            continue
        d, mo = int(m["d"]), int(m["m"])
        if 1 <= d <= 31 and 1 <= mo <= 12:
            hits.append(DateHit(m.group(0), d, mo, None, None, m.start(), m.end()))
            taken.append(m.span())
    return sorted(hits, key=lambda h: h.start)


def find_times(text: str) -> tuple[str | None, str | None]:
    """First clock time range in ``text`` as ("HH:MM", "HH:MM" or None).

    A bare "17.10" is only a time when "kl." precedes it, it is part of a
    range ("18.10 – 18.30") or written with a colon; "04.12.2012" never is.
    """
    found: list[tuple[int, str, str | None]] = []
    for m in TIME_RANGE.finditer(text):
        raw = m.group(0)
        if "kl" not in raw.lower() and not m["h2"] and ":" not in raw:
            continue
        if NUM_DATE.match(text, m.start()) or re.match(r"[./]\d", text[m.end():m.end() + 2]):
            continue
        start = _hhmm(m["h1"], m["m1"])
        if start:
            found.append((m.start(), start, _hhmm(m["h2"], m["m2"]) if m["h2"] else None))
            break
    m = KL_TIME.search(text)
    if m and _hhmm(m["h1"], m["m1"]):
        found.append((m.start(), _hhmm(m["h1"], m["m1"]), _hhmm(m["h2"], m["m2"]) if m["h2"] else None))
    if not found:
        return None, None
    # the earliest time in the text; "kl. 13 - 14:30" is one range, not 14:30
    _, start, end = min(found, key=lambda f: (f[0], f[2] is None))
    return start, end


def _hhmm(h: str | None, m: str | None) -> str | None:
    if h is None:
        return None
    hh, mm = int(h), int(m or 0)
    if hh > 24 or mm > 59:
        return None
    return f"{hh:02d}:{mm:02d}"


def weekday_name(d: dt.date) -> str:
    return [k for k, v in WEEKDAYS.items() if v == d.weekday()][0]
