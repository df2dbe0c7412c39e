"""The meeting's fields chosen by evidence, one invented variant per shape."""

from __future__ import annotations

import pytest

from pipeline.clean import clean
from pipeline.extract.header import read_meeting
from pipeline.load import text_to_lines
from pipeline.rules import rules_for
from pipeline.segment import segment

RULES = rules_for()
ITEMS = "\n1. Godkendelse af dagsorden\nGodkendt.\n2. Eventuelt\nIntet.\n"


def meeting_of(text: str, file_name: str = "referat.txt", created: str | None = None):
    lines, _ = text_to_lines(text)
    seg = segment(list(clean(lines, None, RULES).lines), RULES)
    return read_meeting(seg, RULES, file_name, created)


@pytest.mark.parametrize(
    "head, date",
    [
        # the next meeting's date and the publication date are not the meeting's
        ("Referat\nBeboerudvalget\nPubliceret 02-12-2025\nOnsdag den 26-11-2025 kl. 18:00", "2025-11-26"),
        ("Referat\nBeboerudvalget\nTirsdag den 4. marts 2025 kl. 19.00\nNæste møde: 1. april 2025", "2025-03-04"),
        # a letter's dateline (where and when the minutes were written) is not the meeting's date
        ("Esbjerg, 20. juni 2024\nREFERAT\nAndelsboligforeningen Skovly\nMødedato: 11. juni 2024, kl. 19:00", "2024-06-11"),
        # compact and foreign forms
        ("Referat\nStyregruppen\nDato: 13.06.2020", "2020-06-13"),
        ("Referat\nStyregruppen\nDato: Tuesday, March 4, 2025 - 16:00", "2025-03-04"),
    ],
)
def test_meeting_date_among_other_dates(head, date):
    m, _ = meeting_of(head + ITEMS)
    assert m.meeting_date == date


@pytest.mark.parametrize(
    "text, date",
    [
        # no date in the header: the first item approves the agenda of the meeting on a date
        ("Referat\nKommunalbestyrelsen\n1. Godkendelse af dagsorden til mødet den 12. marts 2024\nGodkendt.\n2. Eventuelt\nIntet.\n", "2024-03-12"),
        ("Referat\n1. Dagsorden - godkendelse\nResume\nGodkendelse af åben dagsorden for BU d. 12.03.2024.\nGodkendt.\n2. Eventuelt\nIntet.\n", "2024-03-12"),
        # the header's date wins over it
        ("Referat\nBestyrelsen\nDato: 5. marts 2024\n1. Godkendelse af dagsorden til mødet den 12. marts 2024\nGodkendt.\n2. Eventuelt\nIntet.\n", "2024-03-05"),
        # the agenda of the next meeting, or a date in a later item, is no evidence
        ("Referat\nBestyrelsen\n1. Godkendelse af dagsorden\nDagsordenen til næste møde den 3. april 2024 blev godkendt.\n2. Eventuelt\nIntet.\n", None),
        ("Referat\nBestyrelsen\n1. Valg af dirigent\nGodkendt.\n2. Godkendelse af dagsorden for mødet den 3. april 2024\nGodkendt.\n", None),
    ],
)
def test_the_first_item_approving_the_agenda_of_a_dated_meeting(text, date):
    m, diags = meeting_of(text)
    assert m.meeting_date == date
    if date == "2024-03-12":
        assert any("approves the agenda" in d.message for d in diags)


def test_a_yearless_date_takes_the_year_the_title_states_when_the_weekday_agrees():
    m, diags = meeting_of("Referat af generalforsamling Haveforeningen Lyngen 2024\nTirsdag den 5. marts kl. 19.30" + ITEMS)
    assert m.meeting_date == "2024-03-05" and "meeting_date" in m.inferred
    assert any("year from the title" in d.message and "weekday agrees" in d.message for d in diags)


def test_a_yearless_date_takes_the_year_of_the_file_name():
    m, diags = meeting_of("GENERALFORSAMLING I HAVEFORENINGEN LYNGEN\nTIRSDAG 5. MARTS KLOKKEN 19.30" + ITEMS, "lyngen_gf_2024-03-05.pdf")
    assert (m.meeting_date, m.start_time) == ("2024-03-05", "19:30")
    assert any("year from the file name" in d.message for d in diags)


@pytest.mark.parametrize("when, created, date", [
    # the file was made after the meeting: the latest year at or before its own date
    ("Tirsdag den 25. februar kl. 19.30", "2025-03-21", "2025-02-25"),
    ("Mandag den 16. december kl. 19.30", "2025-01-10", "2024-12-16"),
    # a weekday that does not fit that year leaves the date out
    ("Mandag den 16. december kl. 19.30", "2025-12-20", None),
    # a file made long after that day (more than created_window_days) gives no year
    ("Tirsdag den 25. februar kl. 19.30", "2025-11-21", None),
    # no file date: no year
    ("Tirsdag den 25. februar kl. 19.30", None, None),
])
def test_a_yearless_date_takes_the_year_of_the_files_own_date(when, created, date):
    m, diags = meeting_of("GENERALFORSAMLING I HAVEFORENINGEN LYNGEN\n" + when + ITEMS, "referat.pdf", created)
    assert m.meeting_date == date
    if date:
        assert "meeting_date" in m.inferred and any(f"the file's own date {created}" in d.message for d in diags)


def test_a_weekday_that_fits_no_stated_year_leaves_the_date_out():
    m, diags = meeting_of("Referat\nHaveforeningen Lyngen 2024\nMandag den 5. marts kl. 19.30" + ITEMS)  # 5 March 2024 is a Tuesday
    assert m.meeting_date is None
    assert any(d.severity == "warning" and "do not fit its weekday" in d.message for d in diags)


@pytest.mark.parametrize(
    "head, start, end",
    [
        ("Referat\nStyregruppen\nDato: 3. februar 2025\nTid: 17:30-19:00", "17:30", "19:00"),
        ("Referat\nStyregruppen\nMandag den 3. februar 2025 kl. 19.", "19:00", None),
        # the time on a short line of its own under the date line
        ("Referat af bestyrelsesmøde d. 3. februar 2025, Vinterbadeklubben\nKl. 18.00 – 20.30", "18:00", "20:30"),
        # … but not a line further down, nor a longer line
        ("Referat af bestyrelsesmøde d. 3. februar 2025\nVinterbadeklubben\nKl. 18.00 – 20.30", None, None),
    ],
)
def test_times(head, start, end):
    m, _ = meeting_of(head + ITEMS)
    assert (m.start_time, m.end_time) == (start, end)


def test_end_time_from_the_closing_sentence():
    m, _ = meeting_of("Referat\nEjerforeningen Havnen\nOnsdag den 2. april 2025 kl. 19.00" + ITEMS
                      + "Dirigenten takkede for god ro og orden og afsluttede generalforsamlingen kl. 21.15.\n")
    assert m.end_time == "21:15"


@pytest.mark.parametrize(
    "head, body",
    [
        # the title runs on to the next line after a preposition
        ("REFERAT AF ORDINÆR GENERALFORSAMLING I\nEJERFORENINGEN HAVNEN III\nTorsdag den 3. april 2025", "EJERFORENINGEN HAVNEN III"),
        ("Revideret referat af ordinær generalforsamling\ni A/B Solgården\nTorsdag den 3. april 2025", "A/B Solgården"),
        # the kind of meeting and the kind word around the name are not the body
        ("REFERAT\nA/B Solgården – ordinær generalforsamling\nTorsdag den 3. april 2025", "A/B Solgården"),
        ("Teknisk Udvalg - Referat\nTorsdag den 3. april 2025", "Teknisk Udvalg"),
        ("Referat af generalforsamling Haveforeningen Lyngen 2025\nTorsdag den 3. april 2025", "Haveforeningen Lyngen"),
        # only the kind of meeting: the assembly itself met
        ("Generalforsamling: 3. april 2025 i klubhuset.", "Generalforsamling"),
        # an identifier line is not the body
        ("Ejendomsnummer 451-902\nREFERAT\nA/B Solgården – ordinær generalforsamling\nTorsdag den 3. april 2025", "A/B Solgården"),
    ],
)
def test_body_from_the_title(head, body):
    m, _ = meeting_of(head + ITEMS)
    assert m.body == body


def test_web_navigation_is_never_the_body_and_a_decision_label_names_it():
    text = ("Du er her\n\nReferat\n\nDato: Onsdag, April 2, 2025 - 17:00\n"
            "Pkt. 12\n\nGodkendelse af dagsorden\n\nBørne- og Skoleudvalget, 02-04-2025, pkt. 12\n\nGodkendt.\n"
            "Pkt. 13\n\nMeddelelser\n\nBørne- og Skoleudvalget, 02-04-2025, pkt. 13\n\nTaget til efterretning.\n")
    m, _ = meeting_of(text)
    assert m.body == "Børne- og Skoleudvalget"
    assert m.meeting_date == "2025-04-02" and m.start_time == "17:00"


def test_a_recommendation_addressed_to_a_body_names_it_when_nothing_else_does():
    text = "3. Valg af dirigent\nIndstilling\nFormanden indstiller til Vesterbro Lokaludvalg\n1. at der vælges en dirigent\nBeslutning\nGodkendt.\n"
    m, _ = meeting_of(text)
    assert m.body == "Vesterbro Lokaludvalg" and "body" in m.inferred


@pytest.mark.parametrize(
    "head, place",
    [
        ("REFERAT\nEjerforeningen Havnen\nTorsdag den 3. april 2025 kl. 19.00. Generalforsamlingen afholdtes på Café Bølgen, Kajgade 4, 8000 Aarhus C.",
         "Café Bølgen, Kajgade 4, 8000 Aarhus C"),
        ("Referat af ordinær generalforsamling\ni A/B Solgården\nAfholdt torsdag den 3. april 2025 kl. 18.00 i fælleshuset", "fælleshuset"),
        ("Generalforsamling Kajakklubben.\nOnsdag den 2. april 2025 kl. 19. Klubhuset.", "Klubhuset"),
        ("Referat\nStyregruppen\nDato: 3. februar 2025\nSted: Mødelokale 4", "Mødelokale 4"),
    ],
)
def test_place(head, place):
    m, _ = meeting_of(head + ITEMS)
    assert m.location == place


def test_a_letter_layout_takes_the_title_after_the_kind_word():
    """The sender's letterhead, a dateline, then "REFERAT" and the title: the letterhead is not the title."""
    head = ("Ejendomsadministration A/S\nStrandvejen 12\n8000 Aarhus C\nwww.eksempel.dk\nAarhus, 17. april 2024\n"
            "REFERAT\nE/F Havnehuset – ordinær generalforsamling\nMødedato: 5. april 2024, kl. 17:00")
    m, _ = meeting_of(head + ITEMS)
    assert (m.title, m.body, m.meeting_date) == ("E/F Havnehuset – ordinær generalforsamling", "E/F Havnehuset", "2024-04-05")


@pytest.mark.parametrize(
    "head, address",
    [
        ("Referat\nAndelsboligforeningen Skovly\nSkovvej 12, 8000 Aarhus C\nDato: 3. april 2025", "Skovvej 12, 8000 Aarhus C"),
        ("REFERAT\nEJERFORENINGEN HAVNEN\nKAJGADE 4, 2300 KØBENHAVN S\nDato: 3. april 2025", "KAJGADE 4, 2300 KØBENHAVN S"),
        # a year before a lower-case word is no postcode and town
        ("Referat\nGrundejerforeningen Lyngen\nRegnskab for 2022 og budget for 2023\nDato: 3. april 2025", None),
        # a page flattened into one long line that happens to hold a postcode is no address line
        ("Referat\nØkonomiudvalget\nDato: 3. april 2025\nIndhold: 1. Budgetstatus 2. Udbud af rengøring 3. Salg af grunden Skovvej 1, "
         "7800 Skive 4. Ansøgning om tilskud 5. Eventuelt", None),
    ],
)
def test_address(head, address):
    m, _ = meeting_of(head + ITEMS)
    assert m.address == address


@pytest.mark.parametrize(
    "head, body",
    [
        # a web page's chrome above the title: a cookie banner, a subscription link
        ('Vi bruger cookies til statistik på hjemmesiden\nSe vores "cookiepolitik".\nBeboerrådet - Referat\nDato: 3. maj 2021', "Beboerrådet"),
        ("Abonnér\nReferat\ntil\nmødet i Udvalg for Natur og Miljø\nden 3. maj 2021 kl. 09:00", "Udvalg for Natur og Miljø"),
        # a block label is a part of an item, never the body
        ("Resume\nDato: 3. maj 2021", None),
        # what is left of a title that names only the kind of meeting is no body
        ("Referat af bestyrelsesmødet den 3/5-2021", None),
        # the body named after the date, set off by a comma …
        ("Referat af bestyrelsesmøde d. 16. august 2024, Vinterbadeklubben Isbjørnen", "Vinterbadeklubben Isbjørnen"),
        # … but a place after the date is no body
        ("Referat af bestyrelsesmøde d. 16. august 2024, på Rådhuset", None),
        ("Referat af bestyrelsesmøde d. 16. august 2024, Mødelokale 3", None),
    ],
)
def test_page_chrome_labels_left_overs_and_places_are_never_the_body(head, body):
    m, _ = meeting_of(head + ITEMS)
    assert m.body == body
