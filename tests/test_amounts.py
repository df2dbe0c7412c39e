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


# --- tables whose unit is stated away from the numbers -------------------------------------


def test_caption_in_thousands_with_code_and_total_rows():
    # a text rendering of an HTML table: caption with the unit, header, a row number
    # before the label, a text column ("U"), and a total row with an empty first cell
    text = (
        "Tabel 3 - Anlægsprojekter under udvalget (1.000 kr.)\n"
        "\n"
        "Nr. | Projekt | U/I | Bevilling | Forbrug | Afvigelse\n"
        "\n"
        "112 | Ny legeplads | U | 1.500 | 1.350 | -150\n"
        "\n"
        "| I alt | | 1.500 | 1.350 | -150\n"
        "\n"
        "Projektet afsluttes med et mindreforbrug."
    )
    got = found(text)
    note = "unit '1.000 kr.' from the table caption 'Tabel 3 - Anlægsprojekter under udvalget (1.000 kr.)'"
    assert got == [
        ("1.500", 1_500_000.0, "Ny legeplads", "Bevilling", note),
        ("1.350", 1_350_000.0, "Ny legeplads", "Forbrug", note),
        ("-150", -150_000.0, "Ny legeplads", "Afvigelse", note),
        ("1.500", 1_500_000.0, "I alt", "Bevilling", note),
        ("1.350", 1_350_000.0, "I alt", "Forbrug", note),
        ("-150", -150_000.0, "I alt", "Afvigelse", note),
    ]


def test_unit_in_a_column_header_applies_to_that_column():
    text = (
        "Udgifter til sommerfest 2024 | Beløb i kr.\n"
        "Musik | 12.000\n"
        "Mad og drikke | 25.500\n"
        "Total | 37.500"
    )
    amounts, diags = extract_amounts(lines(text), 4)
    note = "unit 'kr.' from the column header 'Beløb i kr.'"
    assert [(a.raw, a.value, a.label, a.period, a.unit_note, a.context) for a in amounts] == [
        ("12.000", 12000.0, "Musik", None, note, "Udgifter til sommerfest 2024"),
        ("25.500", 25500.0, "Mad og drikke", None, note, "Udgifter til sommerfest 2024"),
        ("37.500", 37500.0, "Total", None, note, "Udgifter til sommerfest 2024"),
    ]
    assert any("'Total'" in d.message and "equals the sum of its column" in d.message for d in diags)


def test_year_columns_under_a_caption_in_thousands_with_cells_from_wide_gaps():
    # a PDF or plain-text table: cells are separated by wide gaps, not by "|"
    text = (
        "Budget for foreningen (t.kr.)\n"
        "                 2024      2025\n"
        "Løn              1.200     1.250\n"
        "Husleje            300       310\n"
        "I alt            1.500     1.560"
    )
    assert [(a[0], a[1], a[2], a[3]) for a in found(text)] == [
        ("1.200", 1_200_000.0, "Løn", "2024"), ("1.250", 1_250_000.0, "Løn", "2025"),
        ("300", 300_000.0, "Husleje", "2024"), ("310", 310_000.0, "Husleje", "2025"),
        ("1.500", 1_500_000.0, "I alt", "2024"), ("1.560", 1_560_000.0, "I alt", "2025"),
    ]


def test_columns_of_counts_codes_and_shares_are_no_money():
    text = (
        "Beløb i kr. | Antal | Nr. | Pris | Andel\n"
        "Medlemmer | 120 | 7 | 300 | 45\n"
        "Gæster | 30 | 8 | 150 | 12 %"
    )
    assert [(a[0], a[1], a[2]) for a in found(text)] == [("300", 300.0, "Medlemmer"), ("150", 150.0, "Gæster")]


def test_cells_with_their_own_currency_keep_it_and_say_nothing_of_the_caption():
    text = "Beløb i kr.\nKontingent | 250 kr.\nGebyr | 25"
    got = found(text)
    assert [(a[0], a[1], a[4] is None) for a in got] == [("250 kr.", 250.0, True), ("25", 25.0, False)]


def test_a_table_flattened_column_by_column_pairs_labels_and_numbers():
    # an HTML table rendered column after column: the unit, every label, every number
    text = "Fordelingen er således:\n\nMio. kr.\n\nSkole A\n\nSkole B\n\nI alt\n\n2,50\n\n1,25\n\n3,75\n\nFordelingen kan ændres."
    note = "unit 'Mio. kr.' from the table caption 'Mio. kr.'"
    assert found(text) == [
        ("2,50", 2_500_000.0, "Skole A", None, note),
        ("1,25", 1_250_000.0, "Skole B", None, note),
        ("3,75", 3_750_000.0, "I alt", None, note),
    ]


def test_a_flattened_table_whose_labels_and_numbers_do_not_pair_up_is_not_read():
    text = "Mio. kr.\n\nSkole A\n\nSkole B\n\nI alt\n\n2,50\n\n1,25"
    assert found(text) == []


def test_kr_alone_under_a_number_is_that_numbers_currency_not_a_caption():
    text = "Puljen har et restbudget på 57.000\nkr.\nSkole A | 5\nSkole B | 7"
    assert [(a[0], a[1]) for a in found(text)] == [("57.000\nkr.", 57000.0)]


@pytest.mark.parametrize(
    "text",
    [
        # a meeting calendar: times and dates are no money, and nothing states a unit
        "Udvalget | 12. januar | 16.30\nUdvalget | 9. februar | 16.30",
        # numbers in a table without a stated unit stay out
        "Nr. | Navn | Stemmer\n1 | Liste A | 120\n2 | Liste B | 80",
        "Hold | Deltagere\nBørn | 1.200\nVoksne | 800",
    ],
)
def test_tables_without_a_stated_unit_give_no_amounts(text):
    assert found(text) == []


# --- total lines printed without a unit ------------------------------------------------------


def test_a_total_line_under_amounts_in_kroner_is_read_in_kroner():
    text = "Leje af hal  900,00 kr.\nForplejning  580,41 kr.\nIalt: 1480,41"
    amounts, diags = extract_amounts(lines(text), 2)
    last = amounts[-1]
    assert (last.raw, last.value, last.currency, last.label) == ("1480,41", 1480.41, "DKK", "Ialt")
    assert last.unit_note == "total row printed without a unit, under rows of amounts in DKK"
    assert any("'Ialt' equals the sum of the rows above" in d.message for d in diags)


def test_a_total_line_that_does_not_add_up_is_kept_with_a_warning():
    text = "Tilskud fra kommunen  1.370.000 kr.\nEgenbetaling  1.520.000 kr.\n-----\nI alt 2.980.000"
    amounts, diags = extract_amounts(lines(text), 2)
    assert [a.value for a in amounts] == [1_370_000.0, 1_520_000.0, 2_980_000.0]
    assert any(d.severity == "warning" and "'I alt' is 2.980.000,00 but the rows above sum to 2.890.000,00" in d.message for d in diags)


@pytest.mark.parametrize(
    "text",
    [
        "I alt 44",  # no rows of amounts above it
        "Leje af hal  900 kr.\nI alt 900",  # one row is no table
        "Deltagere i alt: 44\nHeraf medlemmer 40",  # no amounts at all
        "Leje af hal  900 kr.\nForplejning  580 kr.\nI alt deltog 44 personer",  # not a number alone
        "Leje af hal  900 kr.\nForplejning  580 kr.\nDeltagere 44",  # no total label
    ],
)
def test_lines_that_only_look_like_totals_give_no_amount(text):
    assert [a for a in found(text) if a[4] is not None] == []  # no amount without its own unit
