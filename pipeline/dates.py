"""Danish dates and clock times, as they are written in minutes.

A small grammar rather than a general date parser: minutes use a handful of
forms ("Mandag den 7. november 2022", "6.maj", "04.12.2012", "28/2 2022",
"15-maj-2002", "2022-10-01") and a general parser (dateparser) guesses where
we want to refuse: "9. juni" without a year must stay yearless until the
document itself supplies the year.  The words (month and weekday names) are
data, ``models/rules/dates.toml``; the forms they make, and the numeric and
clock forms, are this module's grammar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .rules import rules_for

#: "04.12.2012", "04-06-2020", "4/12 2012", "28/2 2022", "05/09/2022"
NUM_DATE = re.compile(r"\b(?P<d>[0-3]?\d)[./\-](?P<m>[01]?\d)(?:[./\-]|\s+)(?P<y>(?:19|20)\d{2})\b")
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
#: "d. 5/4", "den 5/4": day and month without a year
SHORT_DATE = re.compile(r"\b(?:d\.|den)\s*(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\b(?![/.\-]?\d)", re.I)
#: "kl. 17.00 – 19.00", "kl.14.30 til kl.16.30", "13:00-15:30", "fra kl. 9"
TIME_RANGE = re.compile(
    r"(?:\bkl\.?\s*)?(?P<h1>[0-2]?\d)[.:](?P<m1>[0-5]\d)(?:\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)[.:](?P<m2>[0-5]\d))?",
    re.I,
)
KL_TIME = re.compile(r"\b(?:kl\.?|klokken)\s*(?P<h1>[0-2]?\d)(?:[.:](?P<m1>[0-5]\d))?\b(?:\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(?P<h2>[0-2]?\d)(?:[.:](?P<m2>[0-5]\d))?)?", re.I)


@dataclass(frozen=True)
class _Grammar:
    """The written-date patterns of one profile's ``dates`` rules (models/rules/dates.toml)."""

    text_date: re.Pattern[str]  # "Mandag den 7. november 2022", "den 6.maj", "7. nov. 2022", "15-maj-2002"
    en_date: re.Pattern[str]  # "Onsdag, April 3, 2019": an English month before the day


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in words)


def _build(rules) -> _Grammar:
    months = _alternation(sorted(rules.months, key=len, reverse=True))
    weekdays = _alternation(rules.weekdays)
    return _Grammar(
        text_date=re.compile(
            rf"(?:(?P<wd>{weekdays})\s*(?:d\.|den)?\s*)?(?:\bden\s+)?\b(?P<d>[0-3]?\d)\s*[.\-]?\s*(?P<m>{months})\b\.?(?:[\s\-,]+(?P<y>(?:19|20)\d{{2}})\b)?",
            re.I,
        ),
        en_date=re.compile(rf"(?:(?P<wd>{weekdays}),?\s*)?\b(?P<m>{_alternation(rules.months_en)})\s+(?P<d>[0-3]?\d),?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    )


def _rules(rules):
    """A profile's ``dates`` rules, the generic ones by default."""
    return rules if rules is not None else rules_for().dates


def month_names(rules=None) -> tuple[str, ...]:
    """The full month names, without abbreviations ("jan" is also a given name): per month the longest word."""
    months = _rules(rules).months
    return tuple(max((w for w, n in months.items() if n == no), key=len) for no in sorted(set(months.values())))


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


def find_dates(text: str, rules=None) -> list[DateHit]:
    """Every date written in ``text``, in order (``rules``: a profile's ``dates`` rules)."""
    rules = _rules(rules)
    g = rules.derived("date grammar", _build)
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in ISO_DATE.finditer(text):
        hits.append(DateHit(m.group(0), int(m["d"]), int(m["m"]), int(m["y"]), None, m.start(), m.end()))
        taken.append(m.span())
    for pattern, months in ((g.text_date, rules.months), (g.en_date, rules.months_en)):
        for m in pattern.finditer(text):
            if not free(*m.span()):
                continue
            wd = rules.weekdays.get((m["wd"] or "").casefold())
            hits.append(DateHit(m.group(0).strip(), int(m["d"]), int(months[m["m"].casefold()]), int(m["y"]) if m["y"] else None, wd,
                                m.start(), m.end()))
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


def weekday_name(d: dt.date, rules=None) -> str:
    return next(k for k, v in _rules(rules).weekdays.items() if v == d.weekday())
