"""Item headings and blocks: each form gets its own case."""

import pytest

from pipeline.clean import clean
from pipeline.extract.agenda import read_item
from pipeline.load import text_to_lines
from pipeline.rules import GENERIC, detect, profile_by_name, rules_for
from pipeline.segment import segment

RULES = rules_for()


def seg_of(text: str, rules=RULES):
    lines, _ = text_to_lines(text)
    return segment(list(clean(lines, None, rules).lines), rules)


def extract_item(item, rules, labelled, is_minutes, meeting_date=None):
    return read_item(item, rules, labelled, is_minutes, meeting_date)


@pytest.mark.parametrize(
    "doc, numbers, titles",
    [
        ("1. Godkendelse af dagsorden\nGodkendt.\n2. Eventuelt\nIntet.", [1, 2], ["Godkendelse af dagsorden", "Eventuelt"]),
        ("Punkt 1: Godkendelse af dagsorden\nGodkendt.\nPunkt 2: Eventuelt\nIntet.", [1, 2], ["Godkendelse af dagsorden", "Eventuelt"]),
        ("Pkt. 1 Godkendelse af dagsorden\nGodkendt.\nPkt. 2 Eventuelt\nIntet.", [1, 2], ["Godkendelse af dagsorden", "Eventuelt"]),
        ("1) Valg af dirigent\nJens blev valgt.\n2) Beretning\nGodkendt.", [1, 2], ["Valg af dirigent", "Beretning"]),
        ("Ad 1: Valg af dirigent\nJens blev valgt.\nAd 2: Beretning\nGodkendt.", [1, 2], ["Valg af dirigent", "Beretning"]),
        # running item numbers stay as printed
        ("301. Godkendelse af dagsorden\nGodkendt.\n302. Budget 2020\nVedtaget.", [301, 302], ["Godkendelse af dagsorden", "Budget 2020"]),
    ],
)
def test_heading_forms(doc, numbers, titles):
    s = seg_of(doc)
    assert [it.no for it in s.items] == numbers
    got = [extract_item(it, RULES, False, True).title for it in s.items]
    assert got == titles


def test_numbered_recommendation_points_are_not_items():
    s = seg_of(
        "1. Budget\nDet indstilles, at udvalget:\n1. Godkender budgettet.\n2. Tager orienteringen til efterretning.\nReferat:\nGodkendt.\n"
        "2. Eventuelt\nIntet."
    )
    assert [it.no for it in s.items] == [1, 2]
    ai = extract_item(s.items[0], RULES, True, True)
    assert ai.recommendation_points == ("1. Godkender budgettet.", "2. Tager orienteringen til efterretning.")
    assert ai.minutes == "Godkendt."


def test_dates_and_numbered_lists_in_text_are_not_items():
    s = seg_of(
        "1. Lovgrundlag\nLoven blev vedtaget den 9.\njuni 2022 af Folketinget.\nDer er tre trin:\n1. at planlægge\n"
        "2. Eventuelt\nIntet."
    )
    assert [it.no for it in s.items] == [1, 2]


def test_heading_broken_over_lines_with_time_slot():
    s = seg_of("2. Godkendelse af kommissorium og forretningsorden – kl. 17.10 –\n17.15\nTekst.\n3. Næste – kl. 17.15 – 17.20\nTekst.")
    ai = extract_item(s.items[0], RULES, False, True)
    assert (ai.title, ai.start_time, ai.end_time) == ("Godkendelse af kommissorium og forretningsorden", "17:10", "17:15")


def test_presenter_split_from_heading_across_lines():
    s = seg_of("4. Seneste nyt om klyngerne ved Søren\nAalund\nHerunder møder.\n5. Seminar ved Søren Aalund og Inge Kjær Andersen\nTekst.")
    a, b = (extract_item(it, RULES, False, True) for it in s.items)
    assert (a.title, a.presenters) == ("Seneste nyt om klyngerne", ("Søren Aalund",))
    assert (b.title, b.presenters) == ("Seminar", ("Søren Aalund", "Inge Kjær Andersen"))


@pytest.mark.parametrize(
    "label, block",
    [
        ("Det indstilles, at udvalget godkender budgettet.", "recommendation"),
        ("Indstilling:", "recommendation"),
        ("Administrationen indstiller, at", "recommendation"),
        ("Referat:", "minutes"),
        ("Beslutning:", "minutes"),
        ("Beslutninger", "minutes"),
        ("Afgørelse:", "minutes"),
        ("Sagsfremstilling", "description"),
        ("Resume", "description"),
        ("Baggrund:", "description"),
    ],
)
def test_block_labels(label, block):
    s = seg_of(f"1. Sagen\nIndledning.\n{label}\nAt budgettet godkendes\nGodkendt som indstillet.\n2. Eventuelt\nIntet.")
    ai = extract_item(s.items[0], RULES, block == "minutes", True)
    if block == "recommendation":
        assert ai.recommendation and ai.recommendation.startswith(label.split()[0])
    elif block == "minutes":
        assert ai.minutes and "Godkendt som indstillet." in ai.minutes
    else:
        assert ai.description and "At budgettet godkendes" in ai.description


@pytest.mark.parametrize("label", ["Fremstilling", "Sagsprocedure", "Sagsgang og sagstype", "Beslutningen træffes af"])
def test_the_parts_that_open_a_case_printed_after_the_decision_are_not_its_text(label):
    """Web minutes print the decision first, then the case ("Beslutning / Godkendt. / Fremstilling /
    Sagsprocedure / Økonomiudvalget."): the decision block ends at the first of those labels."""
    s = seg_of(f"1. Sagen\nBeslutning\n\nAfbud: Ole Dam\n\n{label}\n\nØkonomiudvalget.\nResume\nEn kort sag.\n2. Eventuelt\nIntet.")
    ai = extract_item(s.items[0], RULES, True, True)
    assert ai.minutes == "Afbud: Ole Dam"
    assert "Økonomiudvalget." in ai.description


def test_attachments_with_count_and_bullets():
    s = seg_of("1. Sagen\nBilag: 1\nHenvendelse til alle klynger\nDet indstilles\nAt der træffes beslutning\n2. Andet\nBilag:\n• Kommissorium\n• Forretningsorden for\nudvalget\n3. Eventuelt\nIntet.")
    a, b, _ = (extract_item(it, RULES, False, True) for it in s.items)
    assert a.attachments == ("Henvendelse til alle klynger",)
    assert b.attachments == ("Kommissorium", "Forretningsorden for udvalget")


def test_closed_item_flagged():
    s = seg_of("1. Personalesag\nLukket punkt.\n2. Eventuelt\nIntet.")
    assert extract_item(s.items[0], RULES, False, True).closed


def test_header_box_inside_an_item_goes_to_the_header():
    s = seg_of(
        "Referat Styregruppe\nDagsorden:\n1. Velkomst\nGodkendt.\n2. Orientering om programmet\nDer vil være tale om 20 deltagere ud fra denne\n"
        "Emne:\nMøde 2, 2022 Styregruppe Klynge Syd\nDeltagere:\nDirektør Søren Aalund, Mariagerfjord Kommune\nMødedato:\n"
        "Tid og sted:\nFredag den 6.maj kl.14.30 til kl.16.30\nOnline – link er i mødeindkaldelsen\nfordeling og med en ligelig fordeling.\n3. Eventuelt\nIntet."
    )
    assert s.box_moved
    assert [ln.text for ln in s.fields["subject"]] == ["Møde 2, 2022 Styregruppe Klynge Syd"]
    assert [ln.text for ln in s.fields["when_where"]] == ["Fredag den 6.maj kl.14.30 til kl.16.30", "Online – link er i mødeindkaldelsen"]
    assert [(g.name, [ln.text for ln in g.lines]) for g in s.groups] == [("Deltagere", ["Direktør Søren Aalund, Mariagerfjord Kommune"])]
    body = " ".join(ln.text for ln in s.items[1].body)
    assert body == "Der vil være tale om 20 deltagere ud fra denne fordeling og med en ligelig fordeling."


def test_profile_detection():
    from conftest import RAW

    lines, _ = text_to_lines((RAW / "styregruppe_klynge_syd_2022-05-06.txt").read_text(encoding="utf-8"))
    assert detect([ln.text for ln in lines])[0] is profile_by_name("sundhedsklynge")
    lines, _ = text_to_lines("Generalforsamling\n1) Valg af dirigent\n2) Beretning\n")
    assert detect([ln.text for ln in lines])[0] is GENERIC


@pytest.mark.parametrize(
    "a, b, subs",
    [("4a. Budget for skoler", "4b. Budget for ældre", ["a", "b"]), ("4.1 Budget for skoler", "4.2 Budget for ældre", ["1", "2"])],
)
def test_sub_items(a, b, subs):
    s = seg_of(f"3. Orientering\nTaget til efterretning.\n4. Budget 2026\nIndledning.\n{a}\nGodkendt.\n{b}\nUdsat.\n5. Eventuelt\nIntet.")
    got = [(it.no, it.sub, extract_item(it, RULES, False, True).title) for it in s.items]
    assert got == [(3, None, "Orientering"), (4, None, "Budget 2026"), (4, subs[0], "Budget for skoler"), (4, subs[1], "Budget for ældre"), (5, None, "Eventuelt")]


REPORT_PAGE = (
    "Formandens beretning 2024\n"
    "Året har budt på mange arbejdsdage, og vi har fået lagt nye fliser på stien ved søen.\n"
    "Bestyrelsen har holdt seks møder og har haft en god dialog med kommunen om vejene.\n"
    "Tak til alle der har hjulpet til i årets løb, både med gode ideer og med arbejde.\n"
)


def _last_minutes(s) -> str:
    return "\n".join(ln.text for ln in s.items[-1].body)


def test_pages_after_the_end_of_the_minutes_are_not_the_last_item():
    s = seg_of(
        "1. Valg af dirigent\nJens Holm blev valgt.\n2. Eventuelt\nIntet.\n"
        "Dirigenten takkede for god ro og orden og hævede generalforsamlingen.\nDirigent Jens Holm\n\f" + REPORT_PAGE
    )
    assert "Formandens beretning" not in _last_minutes(s) and "hævede generalforsamlingen" in _last_minutes(s)
    assert [ln.text for ln in s.appendix][:1] == ["Formandens beretning 2024"] and s.appendix[0].page == 2


@pytest.mark.parametrize(
    "after",
    [
        "Referent: Jens Holm\nGodkendt af formanden\n",  # a signature page is sign-off, not another document
        "3. Lukket punkt: Personalesag\n" + REPORT_PAGE,  # items go on after the closing line
    ],
)
def test_a_closing_line_alone_cuts_nothing(after):
    s = seg_of("1. Valg af dirigent\nJens Holm blev valgt.\n2. Eventuelt\nIntet.\nMødet hævet kl. 21.10.\n\f" + after)
    assert not s.appendix


def test_text_after_the_closing_line_on_the_same_page_stays():
    s = seg_of("1. Budget\nVedtaget.\n2. Eventuelt\nIntet.\nMødet blev hævet kl. 21.10.\n" + REPORT_PAGE)
    assert not s.appendix and "Formandens beretning" in _last_minutes(s)


def test_stacked_decision_blocks_of_earlier_meetings_are_case_history():
    s = seg_of(
        "1. Budget 2015\nSagsfremstilling\nForslag til budget.\n"
        "Beslutning i Økonomiudvalget den 12-08-2014\nAnbefales.\n"
        "Beslutning i Byrådet den 27-08-2014\nGodkendt.\n"
    )
    item = extract_item(s.items[0], RULES, True, True, "2014-08-27")
    assert item.minutes == "Godkendt."
    assert item.case_history == "Beslutning i Økonomiudvalget den 12-08-2014 Anbefales."
    # without the meeting's date nothing can be told apart: both blocks are minutes
    item = extract_item(s.items[0], RULES, True, True, None)
    assert item.minutes == "Anbefales.\nGodkendt." and item.case_history is None




def test_labels_on_an_appended_page_make_no_header_box():
    # a signature page appended after the end of the minutes names a "Dirigent" (a header label);
    # the appendix is cut first, so it never joins the labels of the header into one box
    s = seg_of(
        "Referat\nMødested:\nFælleshuset\nMødedato:\n18. april 2024\n"
        "1. Valg af dirigent\nJens Holm blev valgt.\n2. Eventuelt\nIntet.\n"
        "Dirigenten takkede for god ro og orden og hævede generalforsamlingen.\n\f"
        "Underskrifterne på dette dokument er indhentet digitalt og er juridisk bindende for foreningen.\n"
        "Jens Holm\nDirigent\n" + REPORT_PAGE
    )
    assert [it.no for it in s.items] == [1, 2]
    assert "chair" not in s.fields and s.appendix[0].page == 2
