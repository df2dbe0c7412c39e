"""Amounts in their context (pipeline/extract/amounts.py): repeats, tables whose unit is
stated away from the numbers, totals lines, and the amounts report.

Every text here is invented; each test names the shape it stands for.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline.extract.amounts import extract_amounts, number_amounts
from pipeline.records import Amount, Line


def lines(text: str, first: int = 1) -> list[Line]:
    """Text lines as the loader gives them for a text file (cells split at two or more spaces)."""
    import re

    return [
        Line(text=t, page=1, no=first + i, cells=tuple(c for c in re.split(r"\s{2,}", t.strip()) if c) if t.strip() else ())
        for i, t in enumerate(text.split("\n"))
    ]


def found(text: str, item_no: int | None = 1) -> list[tuple]:
    """(raw, value, label, period, unit_note) of the amounts extract_amounts finds in the text."""
    amounts, _ = extract_amounts(lines(text), item_no)
    return [(a.raw, a.value, a.label, a.period, a.unit_note) for a in amounts]


def values(text: str, item_no: int | None = 1) -> list[float | None]:
    return [a[1] for a in found(text, item_no)]


# --- repeats ---------------------------------------------------------------------------


def amount(item_no, value, label=None, period=None, currency="DKK") -> Amount:
    return Amount(item_no=item_no, raw="x", value=value, currency=currency, label=label, period=period)


def test_the_same_amount_stated_again_in_an_item_is_a_repeat():
    # "bevilget 18,8 mio. kr. ... af de 18,8 mio. kr. går 2 mio. kr. ... de 18,8 mio. kr."
    got = number_amounts([amount(4, 18.8e6), amount(4, 18.8e6), amount(4, 2e6), amount(4, 18.8e6)])
    assert [(a.seq, a.repeat_of) for a in got] == [(1, None), (2, 1), (3, None), (4, 1)]


def test_seq_and_repeats_are_per_item_and_the_header_counts_as_one():
    got = number_amounts([amount(None, 500.0), amount(1, 500.0), amount(2, 500.0), amount(1, 500.0), amount(None, 500.0)])
    assert [(a.item_no, a.seq, a.repeat_of) for a in got] == [(None, 1, None), (1, 1, None), (2, 1, None), (1, 2, 1), (None, 2, 1)]


def test_equal_values_that_a_label_period_or_currency_tells_apart_are_no_repeats():
    # a budget table: equal values in the 2024 and 2025 columns, and in two rows
    got = number_amounts([
        amount(3, 5000.0, "Vedligehold", "2024"),
        amount(3, 5000.0, "Vedligehold", "2025"),
        amount(3, 5000.0, "Forsikring", "2024"),
        amount(3, 5000.0, currency="EUR"),
    ])
    assert [a.repeat_of for a in got] == [None, None, None, None]


def test_prose_restating_a_table_cell_repeats_it_and_points_to_a_first_statement():
    # cell (Vedligehold), a sentence "5.000 kr." (no label: repeats the cell), a cell of
    # another row (told apart from the first cell, so a first statement itself, even
    # though the sentence before it has no label), and a second sentence
    got = number_amounts([
        amount(3, 5000.0, "Vedligehold"),
        amount(3, 5000.0),
        amount(3, 5000.0, "Forsikring"),
        amount(3, 5000.0),
    ])
    assert [a.repeat_of for a in got] == [None, 1, None, 1]


def test_ranges_and_unreadable_amounts_repeat_nothing():
    got = number_amounts([amount(1, None), amount(1, None)])
    assert [a.repeat_of for a in got] == [None, None]


def test_a_parsed_item_marks_its_repeats():
    text = (
        "Kommunen har bevilget 18,8 mio. kr. til klubhuset. Af de 18,8 mio. kr. går 2 mio. kr.\n"
        "til inventar. Bestyrelsen takkede for de 18,8 mio. kr."
    )
    amounts, _ = extract_amounts(lines(text), 1)
    got = number_amounts(amounts)
    assert [(a.raw, a.seq, a.repeat_of) for a in got] == [
        ("18,8 mio. kr.", 1, None), ("18,8 mio. kr.", 2, 1), ("2 mio. kr.", 3, None), ("18,8 mio. kr.", 4, 1),
    ]


# --- the amounts report ------------------------------------------------------------------

INVENTED_MINUTES = """Referat af bestyrelsesmøde

Dato: 3. marts 2024

1. Nyt klubhus
Kommunen har bevilget 18,8 mio. kr. til klubhuset. Af de 18,8 mio. kr. går 2 mio. kr. til inventar.
Bestyrelsen takkede for de 18,8 mio. kr.

Beslutning: Godkendt.

2. Eventuelt
Intet.
"""


@pytest.mark.slow
def test_amounts_report_sums_each_amount_once(tmp_path):
    from pipeline.query import amounts as amounts_report

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bestyrelse.txt").write_text(INVENTED_MINUTES, encoding="utf-8")
    out = tmp_path / "parsed"
    r = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "in"), "--out", str(out), "-q", "--model", "blank"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    columns, rows = amounts_report(out)
    (row,) = [dict(zip(columns, r)) for r in rows]
    assert row["item_no"] == 1
    assert (row["amounts"], row["distinct_amounts"]) == (4, 2)
    assert row["sum_dkk_distinct"] == pytest.approx(20.8e6)
