"""Tests for pipeline.money: finding, parsing, repairing and formatting Danish money amounts."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.money import (
    Money,
    corroborate,
    declared_unit,
    find_money,
    format_danish,
    parse_money,
    parse_number,
    read_cell,
    repair_number,
    unit_scale,
)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def amounts(text: str) -> list[tuple[str, float | None, str]]:
    return [(m.raw, m.value, m.currency) for m in find_money(text)]


# --- find_money: single amounts (text, [(raw, value, currency), ...]) ------------------

FOUND = [
    # seed phrases
    ("Der er afsat 80 mio. kr. i 2022", [("80 mio. kr.", 80e6, "DKK")]),
    ("Regeringen har afsat 4 mia. kr. til", [("4 mia. kr.", 4e9, "DKK")]),
    ("kr. 2.652", [("kr. 2.652", 2652.0, "DKK")]),
    ("Prisen er ca 750,- pr. stk", [("750,-", 750.0, "DKK")]),
    ("DUT på 6,6 mio. kr..", [("6,6 mio. kr..", 6.6e6, "DKK")]),
    ("21.841,59 kr.", [("21.841,59 kr.", 21841.59, "DKK")]),
    ("2,59 mio. kr.", [("2,59 mio. kr.", 2590000.0, "DKK")]),
    ("I alt 2.890.000 kr.", [("2.890.000 kr.", 2890000.0, "DKK")]),
    # separators
    ("1.499.126,50 kr.", [("1.499.126,50 kr.", 1499126.5, "DKK")]),
    ("1 499 126 kr.", [("1 499 126 kr.", 1499126.0, "DKK")]),
    ("1\u00a0499\u00a0126 kr.", [("1\u00a0499\u00a0126 kr.", 1499126.0, "DKK")]),
    ("1\u2009499\u2009126 kr.", [("1\u2009499\u2009126 kr.", 1499126.0, "DKK")]),
    ("1\u202f499\u202f126 kr.", [("1\u202f499\u202f126 kr.", 1499126.0, "DKK")]),
    ("Udgiften er 1499126 kr.", [("1499126 kr.", 1499126.0, "DKK")]),
    # currency words after the number
    ("Det koster 500 kr", [("500 kr", 500.0, "DKK")]),
    ("Det koster 500kr.", [("500kr.", 500.0, "DKK")]),
    ("Det koster 500 kroner", [("500 kroner", 500.0, "DKK")]),
    ("Det koster 1 krone", [("1 krone", 1.0, "DKK")]),
    ("Hvor blev de 500 kronerne af?", [("500 kronerne", 500.0, "DKK")]),
    ("Det koster 500 DKK", [("500 DKK", 500.0, "DKK")]),
    ("Det koster 500 dkr.", [("500 dkr.", 500.0, "DKK")]),
    ("Det koster 500 KR.", [("500 KR.", 500.0, "DKK")]),
    # scale words
    ("Der er afsat 3 mio.kr.", [("3 mio.kr.", 3e6, "DKK")]),
    ("Der er afsat 5 mill. kr.", [("5 mill. kr.", 5e6, "DKK")]),
    ("Der er afsat 3 millioner kroner", [("3 millioner kroner", 3e6, "DKK")]),
    ("Der er afsat 2 milliarder kroner", [("2 milliarder kroner", 2e9, "DKK")]),
    ("Der er afsat 1,2 mrd. kr.", [("1,2 mrd. kr.", 1.2e9, "DKK")]),
    ("Der er afsat 80 mio kr", [("80 mio kr", 80e6, "DKK")]),
    ("Der er afsat ½ mio. kr.", [("½ mio. kr.", 500000.0, "DKK")]),
    ("Der er afsat 1½ mio. kr.", [("1½ mio. kr.", 1.5e6, "DKK")]),
    ("Der er afsat 500 tusind kroner", [("500 tusind kroner", 500000.0, "DKK")]),
    ("Budget: 500 t.kr.", [("500 t.kr.", 500000.0, "DKK")]),
    ("Budget: 500 tkr.", [("500 tkr.", 500000.0, "DKK")]),
    # currency before the number
    ("Kontingent: kr. 250 pr. medlem", [("kr. 250", 250.0, "DKK")]),
    ("Kr. 2.652 blev betalt", [("Kr. 2.652", 2652.0, "DKK")]),
    ("Beløbet er kr 2.652", [("kr 2.652", 2652.0, "DKK")]),
    ("Beløbet er DKK 1.500", [("DKK 1.500", 1500.0, "DKK")]),
    ("Beløbet er DKK 2,5 mio.", [("DKK 2,5 mio.", 2.5e6, "DKK")]),
    ("Beløbet er kr. 2 mio.", [("kr. 2 mio.", 2e6, "DKK")]),
    ("Beløbet er kr. 250,-", [("kr. 250,-", 250.0, "DKK")]),
    ("Faktura af 2022 kr. 2.652", [("kr. 2.652", 2652.0, "DKK")]),
    # currency first, and glued to the number (shapes of minutes of associations)
    ("Tilskuddet er DKK 30.000 i alt", [("DKK 30.000", 30000.0, "DKK")]),
    ("Depositum kr. 1.000,- betales", [("kr. 1.000,-", 1000.0, "DKK")]),
    ("Prisen er 20.000kr", [("20.000kr", 20000.0, "DKK")]),
    ("Kontingentet er 200kr om måneden", [("200kr", 200.0, "DKK")]),
    # ",-" and ".-" mark whole kroner
    ("Billetten koster 250,-", [("250,-", 250.0, "DKK")]),
    ("Billetten koster 250,- kr.", [("250,- kr.", 250.0, "DKK")]),
    ("Billetten koster 5.000.-", [("5.000.-", 5000.0, "DKK")]),
    # negative
    ("Resultat: -50.000 kr.", [("-50.000 kr.", -50000.0, "DKK")]),
    ("Resultat: –50.000 kr.", [("–50.000 kr.", -50000.0, "DKK")]),
    ("Resultat: ÷ 50.000 kr.", [("÷ 50.000 kr.", -50000.0, "DKK")]),
    ("Resultat: ÷50.000 kr.", [("÷50.000 kr.", -50000.0, "DKK")]),
    ("Saldo 2022 -50.000 kr.", [("-50.000 kr.", -50000.0, "DKK")]),
    ("Resultat: kr. -50.000", [("kr. -50.000", -50000.0, "DKK")]),
    # euro
    ("Prisen er € 1.500", [("€ 1.500", 1500.0, "EUR")]),
    ("Prisen er €1.500", [("€1.500", 1500.0, "EUR")]),
    ("Prisen er 1.500 EUR", [("1.500 EUR", 1500.0, "EUR")]),
    ("Prisen er 1.500 euro", [("1.500 euro", 1500.0, "EUR")]),
    ("Prisen er EUR 1.500", [("EUR 1.500", 1500.0, "EUR")]),
    ("Prisen er 2 mio. euro", [("2 mio. euro", 2e6, "EUR")]),
    # line breaks between the parts
    ("Der er afsat 80 mio.\nkr. til formålet", [("80 mio.\nkr.", 80e6, "DKK")]),
    ("Beløb kr.\n2.652", [("kr.\n2.652", 2652.0, "DKK")]),
    ("Der er afsat 80\nmio. kr.", [("80\nmio. kr.", 80e6, "DKK")]),
    # written numbers
    ("Der er afsat tre millioner kroner", [("tre millioner kroner", 3e6, "DKK")]),
    ("Der er afsat en halv million kroner", [("en halv million kroner", 5e5, "DKK")]),
    ("Der er afsat to milliarder kroner", [("to milliarder kroner", 2e9, "DKK")]),
    ("Der er afsat hundrede tusind kroner", [("hundrede tusind kroner", 1e5, "DKK")]),
    ("Der er afsat femten tusinde kroner", [("femten tusinde kroner", 15000.0, "DKK")]),
    ("Det koster femogtyve kroner", [("femogtyve kroner", 25.0, "DKK")]),
    ("Det koster fem kr.", [("fem kr.", 5.0, "DKK")]),
    ("Der er afsat halvanden million kroner", [("halvanden million kroner", 1.5e6, "DKK")]),
    ("Der er afsat to og en halv million kroner", [("to og en halv million kroner", 2.5e6, "DKK")]),
    ("Der er afsat Tre Millioner kroner", [("Tre Millioner kroner", 3e6, "DKK")]),
    (
        "Det koster to hundrede og femogtyve tusind kroner",
        [("to hundrede og femogtyve tusind kroner", 225000.0, "DKK")],
    ),
    ("Der er afsat tre mio. kr.", [("tre mio. kr.", 3e6, "DKK")]),
    ("Det koster femten hundrede kroner", [("femten hundrede kroner", 1500.0, "DKK")]),
    # several amounts, and numbers that are not part of the amount
    (
        "Region Nordjylland  759.279 kr. 7.59.279 kr.",
        [("759.279 kr.", 759279.0, "DKK"), ("7.59.279 kr.", 759279.0, "DKK")],
    ),
    ("Der blev brugt 500 kr. og 1.200 kr.", [("500 kr.", 500.0, "DKK"), ("1.200 kr.", 1200.0, "DKK")]),
    ("Der kom 44 personer, og det kostede 500 kr.", [("500 kr.", 500.0, "DKK")]),
    ("I 2022 1 500 kr. pr. deltager", [("1 500 kr.", 1500.0, "DKK")]),
    ("Budget 1.500 2.000 kr.", [("2.000 kr.", 2000.0, "DKK")]),
    ("kr. 2.652 2.700 kr.", [("kr. 2.652", 2652.0, "DKK"), ("2.700 kr.", 2700.0, "DKK")]),
    ("Perioden 2022-2023 500 kr.", [("500 kr.", 500.0, "DKK")]),
    ("Den 11-12 aug. blev der brugt 500 kr.", [("500 kr.", 500.0, "DKK")]),
    ("Faktura af 2022 € 500", [("€ 500", 500.0, "EUR")]),
    ("Tabel|500 kr.|", [("500 kr.", 500.0, "DKK")]),  # "|" as a table rule, not a 1
    # a full stop ending the sentence is read as the abbreviation's (second) dot
    ("Det koster 500 kr..", [("500 kr..", 500.0, "DKK")]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_find_money(text, expected):
    found = find_money(text)
    assert [(m.raw, m.value, m.currency) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.raw


NOT_MONEY = [
    "05/09/2022",
    "9. juni 2022",
    "6.maj",
    "11-12 aug.",
    "Bekendtgørelse nr. 1248 af 05/09/2022",
    "Mødet startede kl. 17.10",
    "Stigningen var 20 procent",
    "Stigningen var 5 %",
    "Der kom ca. 200 personer",
    "Der kom 44 personer",
    "Der er 25 nærhospitaler",
    "Punkt 3 på dagsordenen",
    "Ring på tlf. 12 34 56 78",
    "EMN-2025-12345",
    "Sagsnr.: 27.00.00-A00-1-22",
    "2022",
    "Budgettet for 2022 blev vedtaget",
    "Der er afsat 1½ mio.",
    "Der er afsat 80 mio. til formålet",
    "Der er stillet krav til 200 kredse",
    "PLO-K havde 44 repræsentanter",
    "Det koster mange millioner kroner",
    "Beløb i 1.000 kr.",
    "Budget 2023 (1.000 kr.)",
    "Beløb i kr.",
    "Beløb i kr. 2022",
    "",
    # units that are no money, counts, rates, codes (shapes the corpus notes list as traps)
    "Containeren vejer 2.500kg",
    "Turen er 15km lang",
    "Hegnet må højst være 1,80 m",
    "Lejligheden har fordelingstal 412 ud af 8.017",
    "Der ventes mellem 3.000 og 6.000 gæster",
    "Ordningen gælder unge over 25 år",
    "Skatten er 24,59 pct. og grundskylden 5,5 promille",
    "Serveren har IP 10.0.12.7",
    "Bevillingen står på finansloven § 19.11.22.30",
    "Elever i 4.-6. klasse",
    # look-alike letters never start a number, and "|" counts as 1 only between digits
    "Modellen S100 kr.",
    "Beløb 1.|00 kr.",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_not_money(text):
    assert find_money(text) == []


# Numbers beside a currency marker or a whole-kroner mark that are no money
# (models/rules/money.toml: not_money, not_money_after).  Invented sentences, one
# per shape: (text, the amounts that are there).
NOT_MONEY_BESIDE_MONEY = [
    # ordinal ranges and enumerations: ".-" followed by a number is no ",-" kroner mark
    ("Tilbuddet gælder elever i 0.-5. årgang", []),
    ("Eleverne i 1.-3. klasse får 500 kr. hver", [("500 kr.", 500.0)]),
    ("Ad 1.-3. Godkendt", []),
    ("Punkterne 2.-4. udsættes", []),
    ("Lejren 3.-5. juli koster 900 kr.", [("900 kr.", 900.0)]),
    ("Klasserne 7. - 9. deltager", []),
    # a number given by its label belongs to the label, not to the amount after it
    ("Under punkt 3 500 kr. til kaffe", [("500 kr.", 500.0)]),
    ("Jf. bilag 2 1.500 kr. pr. deltager", [("1.500 kr.", 1500.0)]),
    ("Sag 2019-1234, j.nr. 12.03.04 kr. 45.000", [("kr. 45.000", 45000.0)]),
    ("Sagsnr. 27.15.00 kr. 3.000 bevilget", [("kr. 3.000", 3000.0)]),
    # phone, CVR and postcode numbers
    ("Kasserer tlf. 23 45 67 89 250 kr. i gebyr", [("250 kr.", 250.0)]),
    ("Leverandør CVR-nr. 12 34 56 78 kr. 9.000", [("kr. 9.000", 9000.0)]),
    ("Postnr. 8000 kr. 50 i porto", [("kr. 50", 50.0)]),
    ("Betales til Vestergade 3, 8000 Aarhus C: 500 kr.", [("500 kr.", 500.0)]),
    # a date after a currency marker is no (malformed) amount
    ("Kontingent indbetalt kr. 12.03.2019", []),
    # counts beside a money word: fordelingstal, antal
    ("Andel: fordelingstal 412 kr. 18.500 i alt", [("kr. 18.500", 18500.0)]),
    ("Udgiften er 155,92 kr. pr. fordelingstal", [("155,92 kr.", 155.92)]),
    ("Prisen pr. fordelingstal 155,92 kr.", [("155,92 kr.", 155.92)]),
    ("Antal 12 kr. 600 i alt", [("kr. 600", 600.0)]),
    # rates and shares after a currency-first number
    ("Rabatten er kr. 10 % af prisen", []),
    ("Grundskylden er kr. 24,59 promille", []),
    ("Stigningen er kr. 3 pct. om året", []),
    # whole-kroner marks that stay money
    ("Entré 25.- pr. person", [("25.-", 25.0)]),
    ("Prisen er 5.000.- i alt", [("5.000.-", 5000.0)]),
]


@pytest.mark.parametrize(("text", "expected"), NOT_MONEY_BESIDE_MONEY, ids=[t for t, _ in NOT_MONEY_BESIDE_MONEY])
def test_not_money_beside_money(text, expected):
    assert [(m.raw, m.value) for m in find_money(text)] == expected


def test_not_money_shapes_are_data():
    # the same text read with a profile that empties models/rules/money.toml's lists
    from pipeline.rules import Profile, build

    bare = build(Profile("bare", "no not-money shapes", override={"money": {"not_money": [], "not_money_after": []}})).money
    assert [m.raw for m in find_money("elever i 1.-3. klasse", bare)] == ["1.-"]
    assert [m.raw for m in find_money("Rabatten er kr. 10 % af prisen", bare)] == ["kr. 10"]
    assert find_money("elever i 1.-3. klasse") == find_money("Rabatten er kr. 10 % af prisen") == []


def test_money_is_a_frozen_slotted_record():
    [m] = find_money("500 kr.")
    assert not hasattr(m, "__dict__")
    with pytest.raises(AttributeError):
        m.value = 1.0  # type: ignore[misc]


# --- ranges ---------------------------------------------------------------------------

RANGES = [
    ("Der skal bruges 2-3 mio. kr.", "2-3 mio. kr.", 2e6, 3e6),
    ("Der skal bruges 2 – 3 mio. kr.", "2 – 3 mio. kr.", 2e6, 3e6),
    ("Prisen er 1.000-2.000 kr.", "1.000-2.000 kr.", 1000.0, 2000.0),
    ("Prisen er kr. 1.000-2.000", "kr. 1.000-2.000", 1000.0, 2000.0),
    ("Prisen er 250-300,-", "250-300,-", 250.0, 300.0),
]


@pytest.mark.parametrize(("text", "raw", "low", "high"), RANGES)
def test_range(text, raw, low, high):
    [m] = find_money(text)
    assert (m.raw, m.low, m.high) == (raw, low, high)
    # value stays empty so that summing values never silently includes a guess
    assert m.value is None
    assert m.problem.startswith("range:")


def test_reversed_range_is_flagged():
    [m] = find_money("Prisen er 3-2 mio. kr.")
    assert m.value is None and "reversed" in m.problem


# --- repair inside find_money ---------------------------------------------------------

REPAIRED = [
    ("Region Nordjylland 7.59.279 kr.", 759279.0, "misplaced-separator"),
    ("I alt 1.4999.126 kr.", 14999126.0, "irregular-grouping"),
    ("I alt 1..499.126 kr.", 1499126.0, "doubled-separator"),
    ("I alt 1.499..126 kr.", 1499126.0, "doubled-separator"),
    ("I alt 1.499.1 26 kr.", 1499126.0, "stray-space"),
    ("I alt 1.2O0 kr.", 1200.0, "ocr-confusion"),
    ("I alt 10.O00 kr.", 10000.0, "ocr-confusion"),
    ("I alt 1.l00 kr.", 1100.0, "ocr-confusion"),
    ("I alt kr. 1.1|0", 1110.0, "ocr-confusion"),
    ("I alt 2.5S0 kr.", 2550.0, "ocr-confusion"),
]


@pytest.mark.parametrize(("text", "value", "rule"), REPAIRED)
def test_repaired_in_text(text, value, rule):
    [m] = find_money(text)
    assert m.value == value
    assert m.repaired
    assert m.repair_note.startswith(f"{rule}:")
    assert m.problem is None


def test_repair_note_example():
    _, m = find_money("Region Nordjylland  759.279 kr. 7.59.279 kr.")
    assert m.repair_note == (
        "misplaced-separator: '7.59.279' read as 759279 (digit groups 7|59|279; separators ignored)"
    )


FLAGGED = [
    ("Prisen er 12.34 kr.", "ambiguous"),
    ("Prisen er 12.5 kr.", "ambiguous"),
    ("Prisen er 1,499.126 kr.", "ambiguous"),
    ("Prisen er 1,499,126 kr.", "ambiguous"),
    ("Prisen er 1.4991.26 kr.", "malformed"),
    ("Prisen er 1.49.9126 kr.", "malformed"),
    ("Prisen er 0.500 kr.", "malformed"),
    # space-separated groups that may be several numbers side by side
    ("Løn 12 500 13 000 kr.", "ambiguous"),
    ("Løn 7 59279 kr.", "ambiguous"),
]


@pytest.mark.parametrize(("text", "problem"), FLAGGED)
def test_flagged_in_text(text, problem):
    [m] = find_money(text)
    assert m.value is None
    assert not m.repaired
    assert m.problem.startswith(problem)


# --- parse_number / repair_number -------------------------------------------------------

PARSED = [
    ("1.499.126,50", 1499126.5),
    ("1.499.126", 1499126.0),
    ("1 499 126", 1499126.0),
    ("1\u00a0499\u00a0126", 1499126.0),
    ("1499126", 1499126.0),
    ("0", 0.0),
    ("0,50", 0.5),
    ("12,5", 12.5),
    ("250,-", 250.0),
    ("-50.000", -50000.0),
    ("÷ 50.000", -50000.0),
    ("½", 0.5),
    ("1½", 1.5),
    (" 2.652 ", 2652.0),
]


@pytest.mark.parametrize(("token", "value"), PARSED)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize(
    "token",
    ["7.59.279", "12.34", "1.4999.126", "1,499.126", "1,2,3", "", "abc", "1.2O0", "0.500", "1 49 126",
     "1..499", "2 kr."],  # fmt: skip
)
def test_parse_number_rejects_malformed(token):
    assert parse_number(token) is None


REPAIR_CASES = [
    ("7.59.279", 759279.0, "misplaced-separator"),
    ("12.34.567", 1234567.0, "misplaced-separator"),
    ("14.99.126,50", 1499126.5, "misplaced-separator"),
    ("14 99 126", 1499126.0, "misplaced-separator"),
    ("1.4999.126", 14999126.0, "irregular-grouping"),
    ("1234.567", 1234567.0, "irregular-grouping"),
    ("1..499.126", 1499126.0, "doubled-separator"),
    ("1.499..126", 1499126.0, "doubled-separator"),
    ("1.499,,50", 1499.5, "doubled-separator"),
    ("7 59279", 759279.0, "stray-space"),
    ("1.499.1 26", 1499126.0, "stray-space"),
    ("1.2O0", 1200.0, "ocr-confusion"),
    ("1O.000", 10000.0, "ocr-confusion"),
    ("-7.59.279", -759279.0, "misplaced-separator"),
]


@pytest.mark.parametrize(("token", "value", "rule"), REPAIR_CASES)
def test_repair_number(token, value, rule):
    got, note = repair_number(token)
    assert got == value
    assert note.startswith(f"{rule}:")


def test_repair_number_chains_rules():
    value, note = repair_number("7.5O.279")
    assert value == 750279.0
    assert note == (
        "ocr-confusion: '7.5O.279' -> '7.50.279' ('O'->'0' at position 4); "
        "misplaced-separator: '7.50.279' read as 750279 (digit groups 7|50|279; separators ignored)"
    )


def test_repair_number_leaves_good_numbers_alone():
    assert repair_number("1.499.126") == (1499126.0, None)


REFUSED = [
    ("12.34", "ambiguous"),  # English decimal point or typo?
    ("12.5", "ambiguous"),
    ("1,499.126", "ambiguous"),  # English order
    ("1,499,126", "ambiguous"),  # more than one ","
    ("1.4991.26", "malformed"),  # last group not 3 digits
    ("1.49.9126", "malformed"),
    ("0.500", "malformed"),
    ("1.499 126", "malformed"),  # "." mixed with spaces, and no stray-space reading
    ("1.2.3,4.5", "ambiguous"),
    ("abc", "not a number"),
    ("1.|00", "not a number"),  # "|" only counts as 1 between two digits
    ("Sl00", "not a number"),  # look-alikes must touch a real digit
    ("", "not a number"),
    ("12 kr.", "not a number"),
]


@pytest.mark.parametrize(("token", "reason"), REFUSED)
def test_repair_number_refuses(token, reason):
    value, why = repair_number(token)
    assert value is None
    assert why.startswith(reason)


# --- parse_money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2,59 mio. kr.", 2590000.0), ("kr. 2.652", 2652.0), ("  750,-  ", 750.0), ("500 kr.,", 500.0),
     ("€ 1.500", 1500.0), ("tre millioner kroner", 3e6)],
)  # fmt: skip
def test_parse_money(raw, value):
    m = parse_money(raw)
    assert m is not None and m.value == value
    assert raw[m.start : m.end] == m.raw


@pytest.mark.parametrize("raw", ["2.652", "200 personer", "500 kr. og 200 kr.", "i alt 500 kr.", ""])
def test_parse_money_not_one_amount(raw):
    assert parse_money(raw) is None


# --- unit_scale / format_danish ------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("t.kr.", 1000.0),
        ("tkr.", 1000.0),
        ("Budget 2023 (t. kr.)", 1000.0),
        ("1.000 kr.", 1000.0),
        ("(1.000 kr.)", 1000.0),
        ("Beløb i 1.000 kr.", 1000.0),
        ("mio. kr.", 1e6),
        ("Beløb (mio.kr.)", 1e6),
        ("mill. kr.", 1e6),
        ("1.000.000 kr.", 1e6),
        ("mia. kr.", 1e9),
        ("kr.", None),
        ("Antal", None),
        ("Kredse", None),
    ],
)
def test_unit_scale(header, scale):
    assert unit_scale(header) == scale


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1499126, 0, "1.499.126"), (12.5, 2, "12,50"), (0, 0, "0"), (999, 0, "999"), (1000, 0, "1.000"),
     (-1234, 0, "-1.234"), (1234.5, 1, "1.234,5"), (1499126.5, 2, "1.499.126,50"), (-0.001, 2, "0,00")],
)  # fmt: skip
def test_format_danish(value, decimals, text):
    assert format_danish(value, decimals) == text


def test_format_danish_rejects_nan():
    with pytest.raises(ValueError):
        format_danish(float("nan"))


# --- corroborate --------------------------------------------------------------------------


def repaired_money() -> Money:
    [m] = find_money("Region Nordjylland 7.59.279 kr.")
    assert m.repaired
    return m


def test_corroborate_agreeing_evidence_keeps_repair():
    m = corroborate(
        repaired_money(), {"same row, column 2022": 759279.0, "column total minus other rows": 759280.0}
    )
    assert m.value == 759279.0 and m.repaired
    assert "equals same row, column 2022" in m.repair_note
    assert "column total minus other rows = 759.280 (differs by 1)" in m.repair_note


def test_corroborate_near_evidence_keeps_repair():
    m = corroborate(repaired_money(), {"column total minus other rows": 760000.0})
    assert m.value == 759279.0 and m.repaired
    assert "differs by 721" in m.repair_note


def test_corroborate_disagreeing_evidence_undoes_repair():
    m = corroborate(repaired_money(), {"same row, column 2022": 7592.79, "column total": 7592790.0})
    assert m.value is None and not m.repaired and m.repair_note is None
    assert m.problem.startswith("repair undone")
    assert "misplaced-separator" in m.problem


def test_corroborate_leaves_unrepaired_money_alone():
    [m] = find_money("759.279 kr.")
    assert corroborate(m, {"other": 1.0}) is m
    assert corroborate(repaired_money(), {}) == repaired_money()


# --- properties -------------------------------------------------------------------------------


def group_digits(n: int, sep: str) -> str:
    """Independent Danish grouping for the tests: 1499126 -> "1.499.126" (sep=".")."""
    digits = str(n)
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


SENTENCE_STARTS = [
    "",
    "Der er afsat",
    "Udvalget bevilgede",
    "Regionsrådet godkendte et tilskud på",
    "I alt",
    "Budgettet udgør",
    "Det blev oplyst, at prisen er ca.",
    "Mødet (punkt 4) drøftede",
]  # none ends in "i" or "(", which would make "1.000 kr." a unit declaration
SENTENCE_ENDS = ["", ".", " til projektet.", " i 2022.", " pr. år", " (jf. bilag 3)", ", som blev godkendt."]
THOUSANDS_SEPARATORS = [".", " ", "\u00a0"]


@st.composite
def embedded_amounts(draw):
    """(sentence, amount text, expected value) for a well-formed amount in a sentence."""
    sep = draw(st.sampled_from(THOUSANDS_SEPARATORS))
    kind = draw(st.sampled_from(["plain", "mio. kr.", "mia. kr."]))
    if kind == "plain":
        whole = draw(st.integers(0, 10**12))
        cents = draw(st.none() | st.integers(0, 99))
        number = group_digits(whole, sep) + ("" if cents is None else f",{cents:02d}")
        expected = whole if cents is None else (whole * 100 + cents) / 100
        negative = draw(st.booleans())
        if negative:
            number, expected = f"-{number}", -expected
        unit = draw(st.sampled_from(["kr.", "kr", "kroner", "DKK", "kr. before"]))
        amount = f"kr. {number}" if unit == "kr. before" else f"{number} {unit}"
    else:
        whole = draw(st.integers(0, 9999))
        places = draw(st.sampled_from([0, 1, 2]))
        frac = draw(st.integers(0, 10**places - 1))
        number = group_digits(whole, sep) + (f",{frac:0{places}d}" if places else "")
        scale = 10**6 if kind == "mio. kr." else 10**9
        expected = (whole * 10**places + frac) * scale // 10**places  # exact: scale >= 10**6
        amount = f"{number} {kind}"
    start = draw(st.sampled_from(SENTENCE_STARTS))
    end = draw(st.sampled_from(SENTENCE_ENDS))
    sentence = f"{start} {amount}{end}" if start else f"{amount}{end}"
    return sentence, amount, expected


def same_amount(raw: str, amount: str) -> bool:
    """raw is the amount, except that a full stop ending the sentence right after
    "kr" or "kr." joins it: it is read as the abbreviation's dot, and "kr.." is
    accepted as a typo for "kr." ("DUT på 6,6 mio. kr..")."""
    return raw == amount or (amount.endswith(("kr", "kr.")) and raw == f"{amount}.")


@PROPERTY_SETTINGS
@given(embedded_amounts())
def test_property_well_formed_amount_found_once(case):
    sentence, amount, expected = case
    found = find_money(sentence)
    assert len(found) == 1, found
    [m] = found
    assert same_amount(m.raw, amount)
    assert sentence[m.start : m.end] == m.raw
    assert m.value == expected
    assert m.currency == "DKK"
    assert not m.repaired and m.problem is None


@PROPERTY_SETTINGS
@given(st.integers(-(10**12), 10**12), st.integers(0, 99))
def test_property_format_danish_round_trips(whole, cents):
    assert parse_number(format_danish(whole)) == whole
    value = (abs(whole) * 100 + cents) / 100 * (-1 if whole < 0 else 1)
    assert parse_number(format_danish(value, 2)) == value


@PROPERTY_SETTINGS
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_property_format_danish_round_trips_floats(value):
    assert parse_number(format_danish(value, 2)) == float(f"{value:.2f}")


@st.composite
def corrupted_amounts(draw):
    """(original text, corrupted text, original value) for a number >= 10000 with one fault."""
    whole = draw(st.integers(10_000, 10**12))
    cents = draw(st.none() | st.integers(0, 99))
    original = group_digits(whole, ".") + ("" if cents is None else f",{cents:02d}")
    expected = whole if cents is None else (whole * 100 + cents) / 100
    fault = draw(st.sampled_from(["move left", "move right", "double", "O for 0"]))
    if fault == "O for 0":
        zeros = [i for i, ch in enumerate(original) if ch == "0"]
        assume(zeros)
        i = draw(st.sampled_from(zeros))
        return original, original[:i] + "O" + original[i + 1 :], expected
    separators = [i for i, ch in enumerate(original) if ch in ".,"]
    i = draw(st.sampled_from(separators))
    if fault == "double":
        return original, original[:i] + original[i] + original[i:], expected
    rest = original[:i] + original[i + 1 :]
    j = i - 1 if fault == "move left" else i + 1
    # the moved separator must still stand between two digits ("1.234" cannot move left)
    assume(0 < j < len(rest) and rest[j - 1].isdigit() and rest[j].isdigit())
    return original, rest[:j] + original[i] + rest[j:], expected


@PROPERTY_SETTINGS
@given(corrupted_amounts(), st.sampled_from(SENTENCE_STARTS[1:]), st.sampled_from(SENTENCE_ENDS))
def test_property_corruption_is_repaired_or_flagged(case, start, end):
    original, corrupted, expected = case
    # A corruption that yields another well-formed number could not be detected by
    # anyone: it would simply be a different amount.  For numbers >= 10000 written
    # with "." thousands separators this cannot happen - moving a separator one
    # place leaves a 2- or 4-digit group (or a 2- or 4-digit last group before
    # ","), a doubled separator and a letter are never well-formed - and this
    # assertion checks that claim instead of skipping such cases.
    assert parse_number(corrupted) is None
    sentence = f"{start} {corrupted} kr.{end}"
    found = find_money(sentence)
    assert len(found) == 1, found
    [m] = found
    assert same_amount(m.raw, f"{corrupted} kr.")
    if m.value is not None:
        # never a different value passed off as a clean reading
        assert m.value == expected, (original, corrupted, m)
        assert m.repaired and m.repair_note
    else:
        assert m.problem and not m.repaired


@PROPERTY_SETTINGS
@given(st.text(alphabet=list("0123456789 .,-–÷½kKrRoneEUDmiaolS€|tpx\n\u00a0"), max_size=40))
def test_property_find_money_is_well_behaved(text):
    found = find_money(text)
    previous_end = 0
    for m in found:
        assert previous_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.raw
        assert m.currency in ("DKK", "EUR")
        if m.value is None:
            assert m.problem  # every missing value is explained
        previous_end = m.end


@pytest.mark.parametrize(
    "text, low, high, shared",
    [
        ("6-8.000 kr.", 6_000, 8_000, True),  # said "seks til otte tusind"
        ("15-20.000 kr.", 15_000, 20_000, True),
        ("500-8.000 kr.", 500, 8_000, False),  # the lower bound has its own magnitude
        ("1.000-2.000 kr.", 1_000, 2_000, False),
        ("2-3 mio. kr.", 2_000_000, 3_000_000, False),
    ],
)
def test_range_bounds_share_the_upper_bounds_thousands(text, low, high, shared):
    (m,) = find_money(text)
    assert m.value is None and (m.low, m.high) == (low, high)
    assert m.problem.startswith("range:") and ("upper bound's thousands" in m.problem) == shared


# --- declared_unit / read_cell: table cells printed without a unit -----------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("kr.", ("DKK", 1.0)), ("1.000 kr.", ("DKK", 1000.0)), ("t.kr.", ("DKK", 1000.0)),
     ("Mio. kr.", ("DKK", 1e6)), ("mia. kr.", ("DKK", 1e9)), ("EUR", ("EUR", 1.0))],
)
def test_declared_unit(unit, expected):
    assert declared_unit(unit) == expected


@pytest.mark.parametrize(
    ("cell", "scale", "value", "repaired"),
    [("4.245", 1000, 4_245_000.0, False), ("11,32", 1e6, 11_320_000.0, False), ("-612", 1000, -612_000.0, False),
     ("0", 1, 0.0, False), (" 250,- ", 1, 250.0, False), ("7.59.279", 1, 759_279.0, True)],
)
def test_read_cell(cell, scale, value, repaired):
    m = read_cell(cell, "DKK", scale)
    assert (m.value, m.repaired, m.raw) == (value, repaired, cell.strip())


@pytest.mark.parametrize("cell", ["45 %", "U", "ca. 500", "Skole A", "", "2,5 mio. kr."])
def test_read_cell_is_none_for_what_is_not_a_bare_number(cell):
    assert read_cell(cell) is None


def test_read_cell_keeps_an_unreadable_number_with_its_problem():
    m = read_cell("16.30")
    assert m.value is None and m.problem.startswith("ambiguous")
