"""The rule registry: conventions of the language and of document shapes are data
(models/rules/*.toml, declared in pipeline.rules.SCHEMA) that a profile can override or extend."""

from __future__ import annotations

import pytest

from pipeline.clean import clean
from pipeline.extract.agenda import read_item
from pipeline.extract.amounts import extract_amounts
from pipeline.extract.header import read_meeting
from pipeline.load import text_to_lines
from pipeline.rules import Profile, RulesError, build, rules_for
from pipeline.segment import segment

def with_profile(**override) -> object:
    """The generic rules with ``override`` ({file: {key: value}}) applied, as a profile would."""
    return build(Profile("test", "a test profile", override=override))


def items_of(text: str, rules):
    lines, _ = text_to_lines(text)
    seg = segment(list(clean(lines, None, rules).lines), rules)
    return [read_item(it, rules, False, True) for it in seg.items]


def test_a_pattern_without_a_group_the_code_reads_is_refused():
    with pytest.raises(RulesError, match=r"time_slot.*lacks the group\(s\) h2, m2"):
        with_profile(items={"time_slot": [r"kl\. (?P<h1>\d+)\.(?P<m1>\d\d)$"]})


def test_time_slot_shape_is_data():
    doc = "1. Velkomst – kl. 17.10 – 17.15\nGodkendt.\n2. Eventuelt\nIntet."
    [first, _] = items_of(doc, rules_for())
    assert (first.title, first.start_time, first.end_time) == ("Velkomst", "17:10", "17:15")
    [first, _] = items_of(doc, with_profile(items={"time_slot": [], "time_start": []}))
    assert (first.title, first.start_time, first.end_time) == ("Velkomst – kl. 17.10 – 17.15", None, None)


def test_bullet_shape_is_data():
    doc = "1. Budget\nSagen forelægges.\nBilag:\n□ Budgetoversigt\n□ Notat om anlæg\n2. Eventuelt\nIntet."
    assert items_of(doc, rules_for())[0].attachments == ()
    squares = build(Profile("test", "square bullets", extend={"items": {"bullet": ["^□\\s*"]}}))
    assert items_of(doc, squares)[0].attachments == ("Budgetoversigt", "Notat om anlæg")


def test_date_after_a_minutes_label_is_data():
    doc = ("Referat\nØkonomiudvalget\nMødedato: 05.11.2024\n1. Budget\nSagen forelægges.\n"
           "Økonomiudvalgets beslutning den 05.11.2024 Punkt 1:\nGodkendt.\n2. Eventuelt\nIntet.")
    assert items_of(doc, rules_for())[0].minutes == "Godkendt."
    kept = items_of(doc, with_profile(labels={"minutes_label_date": []}))[0]
    assert kept.minutes == "05.11.2024 Punkt 1 Godkendt."


def test_weekday_before_a_date_is_data():
    doc = "Styregruppe Syd tirsdag, den 8. november 2022\n1. Godkendelse af dagsorden\nGodkendt.\n2. Eventuelt\nIntet.\n"
    lines, _ = text_to_lines(doc)

    def body(rules):
        seg = segment(list(clean(lines, None, rules).lines), rules)
        return read_meeting(seg, rules, "x.txt")[0].body

    assert body(rules_for()) == "Styregruppe Syd"
    assert body(with_profile(header={"weekday_lead": []})) == "Styregruppe Syd tirsdag"


def test_period_of_an_amount_in_text_is_data():
    lines, _ = text_to_lines("Der afsættes 500.000 kr. i 2024 til projektet.")
    [amount], _ = extract_amounts(lines, 1, rules_for().money)
    assert amount.period == "2024"
    [amount], _ = extract_amounts(lines, 1, with_profile(money={"year_after": r"^\s*i\s+løbet\s+af\s+(?P<year>\d{4})"}).money)
    assert amount.period is None


def test_currency_markers_and_scale_words_are_data():
    from pipeline.money import find_money

    text = "Prisen er 500 SEK, ca. 2 lakh kr."
    assert find_money(text) == []
    rules = build(Profile("test", "Swedish kronor, lakh", extend={"money": {
        "currency_after": [{"pattern": "sek(?![^\\W\\d_])", "tag": "SEK"}],
        "scale_words": [{"pattern": "lakh", "tag": "100000"}],
    }})).money
    assert [(m.raw, m.value, m.currency) for m in find_money(text, rules)] == [("500 SEK", 500.0, "SEK"), ("2 lakh kr.", 200000.0, "DKK")]


def test_a_currency_tag_of_the_wrong_shape_is_refused_when_the_rules_load():
    with pytest.raises(RulesError, match="currency_after.*tag 'kroner'"):
        build(Profile("test", "bad tag", extend={"money": {"currency_after": [{"pattern": "kroner", "tag": "kroner"}]}}))


def test_furniture_cells_are_data():
    from pipeline.clean import clean

    lines, _ = text_to_lines("1. Valg af revisor.          X\nRevisor blev genvalgt.      - K\n")
    assert [ln.text for ln in clean(lines, None, rules_for()).lines] == ["1. Valg af revisor. X", "Revisor blev genvalgt. - K"]
    stamp = build(Profile("test", "a margin stamp", extend={"clean": {"furniture_cells": [r"[\w:\-]{1,2}(?: [\w:\-]{1,2})?"]}}))
    cleaned = clean(lines, None, stamp)
    assert [ln.text for ln in cleaned.lines] == ["1. Valg af revisor.", "Revisor blev genvalgt."]
    assert "dropped 2 cell(s) of page furniture" in cleaned.diagnostics[0].message


def test_lines_that_are_never_the_title_are_data():
    doc = "Ejendomsnummer 615-233\nREFERAT\nE/F Kastanjegården – ordinær generalforsamling\nMødedato: 18. april 2024\n" + \
          "1. Valg af dirigent\nValgt.\n2. Eventuelt\nIntet.\n"
    lines, _ = text_to_lines(doc)

    def title(rules):
        seg = segment(list(clean(lines, None, rules).lines), rules)
        return read_meeting(seg, rules, "x.txt")[0].title

    assert title(rules_for()) == "Ejendomsnummer 615-233"
    assert title(with_profile(header={"not_title": [r"^ejendomsnummer\b"]})) == "E/F Kastanjegården – ordinær generalforsamling"


def test_docs_rules_is_generated_from_the_schema():
    from conftest import ROOT
    from pipeline import rules

    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == rules.markdown(), "docs/rules.md is stale: run `make docs`"
    for stem, keys in rules.SCHEMA.items():
        assert f"## `models/rules/{stem}.toml`" in doc
        for key, spec in keys.items():
            assert f"| `{key}` |" in doc and len(spec.doc) >= 20, f"{stem}.{key}"


def test_month_and_weekday_names_are_data():
    from pipeline.dates import find_dates

    text = "Generalforsamling torsdag den 5. mrt. 2021"
    assert find_dates(text) == []
    abbreviated = build(Profile("test", "'mrt.' for March", extend={"dates": {"months": {"mrt": 3}}})).dates
    [hit] = find_dates(text, abbreviated)
    assert (hit.day, hit.month, hit.year, hit.weekday) == (5, 3, 2021, 3)


def test_written_numerals_are_data():
    from pipeline.money import find_money

    text = "Der bevilges fjortens tusinde kroner"  # a misspelled teen
    assert [(m.raw, m.value) for m in find_money(text)] == [("tusinde kroner", 1000.0)]
    rules = build(Profile("test", "a misspelling", extend={"money": {"numeral_teens": {"fjortens": 14}}})).money
    assert [(m.raw, m.value) for m in find_money(text, rules)] == [("fjortens tusinde kroner", 14000.0)]
