import datetime as dt

import pytest

from pipeline.dates import find_dates, find_times


@pytest.mark.parametrize(
    "text, date, weekday",
    [
        ("Mandag den 7. november 2022 kl. 17.00 – 19.00", dt.date(2022, 11, 7), 0),
        ("04.12.2012", dt.date(2012, 12, 4), None),
        ("28/2 2022", dt.date(2022, 2, 28), None),
        ("15-maj-2002", dt.date(2002, 5, 15), None),
        ("Onsdag den 1. oktober 2025", dt.date(2025, 10, 1), 2),
        ("mødet 2022-10-01 kl. 16", dt.date(2022, 10, 1), None),
        ("den 7. nov. 2022", dt.date(2022, 11, 7), None),
    ],
)
def test_dates(text, date, weekday):
    hit = find_dates(text)[0]
    assert hit.resolve() == date
    assert hit.weekday == weekday


def test_yearless_date_needs_a_year():
    hit = find_dates("Fredag den 6.maj kl.14.30 til kl.16.30")[0]
    assert (hit.day, hit.month, hit.year, hit.weekday) == (6, 5, None, 4)
    assert hit.resolve() is None
    assert hit.resolve(2022) == dt.date(2022, 5, 6)


@pytest.mark.parametrize(
    "text, times",
    [
        ("Mandag den 7. november 2022 kl. 17.00 – 19.00", ("17:00", "19:00")),
        ("Fredag den 6.maj kl.14.30 til kl.16.30", ("14:30", "16:30")),
        ("6. Virtuel sundhedsundervisning – 18.10 – 18.30", ("18:10", "18:30")),
        ("Mødet startede 13:00", ("13:00", None)),
        ("kl. 9", ("09:00", None)),
        ("04.12.2012", (None, None)),
        ("Bekendtgørelse nr. 1248 af 05/09/2022", (None, None)),
    ],
)
def test_times(text, times):
    assert find_times(text) == times
