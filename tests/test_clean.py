import pytest

from pipeline.clean import clean, join_hyphenation, normalise_text, is_footer
from pipeline.rules import rules_for

RULES = rules_for()
JOINERS = RULES.clean.suspended_joiners
from pipeline.load import text_to_lines


def joined(text: str) -> list[str]:
    lines, _ = text_to_lines(text)
    out, _ = join_hyphenation(lines, JOINERS)
    return [ln.text for ln in out]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the seed's own breaks
        ("for sundheds-\nklyngens politiske niveau.", ["for sundhedsklyngens", "politiske niveau."]),
        ("Data-pak-\nkerne er baseret", ["Data-pakkerne", "er baseret"]),
        ("lig-\nhed i sundhed", ["lighed", "i sundhed"]),
        ("pro-\njektet.", ["projektet."]),
        # suspended compounds keep hyphen and line break
        ("Ældre-\nog Sundhedsområdet", ["Ældre-", "og Sundhedsområdet"]),
        ("hjemme-\neller sygeplejen", ["hjemme-", "eller sygeplejen"]),
        # one-letter prefix, acronyms, capitals and digits keep the hyphen
        ("flere p-\nhuse ved hospitalet", ["flere p-huse", "ved hospitalet"]),
        ("formand PLO-\nNordjylland", ["formand PLO-Nordjylland"]),
        ("AC-\nfuldmægtig Region", ["AC-fuldmægtig", "Region"]),
        ("covid-\n19-tiden", ["covid-19-tiden"]),
        # an en dash at the end is punctuation, not hyphenation
        ("august 2022 –\nSundhedsministeriet", ["august 2022 –", "Sundhedsministeriet"]),
        # a bullet on the next line is not joined
        ("punkter -\n• næste", ["punkter -", "• næste"]),
    ],
)
def test_hyphenation(text, expected):
    assert joined(text) == expected


def test_hyphen_join_keeps_line_numbers():
    lines, _ = text_to_lines("første sund-\nhedsklynge og mere")
    out, n = join_hyphenation(lines, JOINERS)
    assert n == 1
    assert [(ln.no, ln.text) for ln in out] == [(1, "første sundhedsklynge"), (2, "og mere")]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ﬁnansiering og ﬂere", "finansiering og flere"),
        ("1\u00a0499\u00a0126 kr.", "1 499 126 kr."),
        ("”hvem skal betale”", '"hvem skal betale"'),
        ("soft\u00adhyphen", "softhyphen"),
        ("kasserer Olek\ufffesandr Shturmov", "kasserer Oleksandr Shturmov"),  # PDFium's soft-hyphen mark
        ("  mange   mellemrum ", "mange mellemrum"),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


@pytest.mark.parametrize("text", ["Side 4 af 5", "side 12 af 40", "Side 3", "2/4", "- 3 -", "Page 2 of 9"])
def test_footers_dropped(text):
    assert is_footer(text, RULES)


@pytest.mark.parametrize("text", ["Side om side med kommunen", "4/5 af deltagerne", "2. Godkendelse", "Side 4 af 5 i bilaget er rettet"])
def test_not_footers(text):
    assert not is_footer(text, RULES)


def test_footer_in_mid_item_is_removed_and_text_joins():
    lines, _ = text_to_lines("udgør de fælles midler:\n\nSide 4 af 5\n\nSundhedsklynge Syd 2022\n")
    c = clean(lines, None, RULES)
    assert [ln.text for ln in c.lines] == ["udgør de fælles midler:", "Sundhedsklynge Syd 2022"]
    assert [(ln.text, why) for ln, why in c.dropped] == [("Side 4 af 5", "page number")]


def test_web_navigation_lines_go_wherever_they_stand():
    lines, _ = text_to_lines("Udvalget blev orienteret.\n\n• Hent som PDF\n\n• Kopier link\nTil toppen\nDel af budgettet til toppen af listen.\n")
    c = clean(lines, None, RULES)
    assert [ln.text for ln in c.lines] == ["Udvalget blev orienteret.", "Del af budgettet til toppen af listen."]
    assert [why for _, why in c.dropped] == ["web page navigation"] * 3
    assert any("3 line(s) of web page navigation" in d.message for d in c.diagnostics)


def test_a_caption_glued_to_the_first_entry_is_split():
    lines, _ = text_to_lines("Byrådet - Referat\nDagsorden1. Godkendelse af dagsorden\nGodkendt.\nDagsordenen1 blev godkendt.\n")
    c = clean(lines, None, RULES)
    assert [(ln.no, ln.text) for ln in c.lines] == [
        (1, "Byrådet - Referat"), (2, "Dagsorden"), (2, "1. Godkendelse af dagsorden"), (3, "Godkendt."), (4, "Dagsordenen1 blev godkendt."),
    ]


def test_markdown_headings_and_lines_wholly_in_bold_are_bold():
    lines, _ = text_to_lines("## Budget\n**Regnskab**\n**Tid**: kl. 19\nAlmindelig tekst\n")
    c = clean(lines, None, RULES)
    assert [(ln.text, ln.bold) for ln in c.lines] == [("Budget", True), ("Regnskab", True), ("Tid: kl. 19", None), ("Almindelig tekst", None)]


def test_running_header_dropped_by_repetition():
    from pipeline.records import Line

    lines = []
    for page in (1, 2, 3):
        lines.append(Line(f"Sundheds- og Forebyggelsesudvalget Side {page}", page, page * 10, bbox=(50, 20, 300, 30)))
        lines.append(Line(f"Tekst på side {page}", page, page * 10 + 1, bbox=(50, 300, 300, 310)))
        lines.append(Line("Rådhuset · Hold-an Vej 7 · www.kommune.dk", page, page * 10 + 2, bbox=(50, 800, 300, 810)))
    c = clean(lines, [(595, 842)] * 3, RULES)
    # the header stays where it is the document's title block (page 1); the footer goes everywhere
    assert [ln.text for ln in c.lines] == ["Sundheds- og Forebyggelsesudvalget Side 1", "Tekst på side 1", "Tekst på side 2", "Tekst på side 3"]
    assert len(c.dropped) == 5 and all(why == "running header/footer" for _, why in c.dropped)


def test_a_title_block_below_the_top_edge_repeated_at_the_same_place_is_a_running_header():
    """A template that prints its title block at 10-16 % of the page height on every page: the lines
    recur at the same place, so they go (but on page 1); a body line that recurs elsewhere stays."""
    from pipeline.records import Line

    lines = []
    for page in (1, 2, 3):
        n = page * 10
        lines.append(Line("Børne- og Skoleudvalget", page, n, bbox=(400, 86, 570, 94)))
        lines.append(Line("Dato: 04.12.2012", page, n + 1, bbox=(497, 127, 568, 135)))
        lines.append(Line("Børne- og Skoleudvalget", page, n + 2, bbox=(85, 200 + 60 * page, 280, 210 + 60 * page)))  # a decision label
        lines.append(Line(f"Tekst på side {page}", page, n + 3, bbox=(85, 400, 300, 410)))
    c = clean(lines, [(595, 842)] * 3, RULES)
    assert [(ln.page, ln.text) for ln in c.lines] == [
        (1, "Børne- og Skoleudvalget"), (1, "Dato: 04.12.2012"), (1, "Børne- og Skoleudvalget"), (1, "Tekst på side 1"),
        (2, "Børne- og Skoleudvalget"), (2, "Tekst på side 2"), (3, "Børne- og Skoleudvalget"), (3, "Tekst på side 3"),
    ]
    assert {ln.no for ln, _ in c.dropped} == {20, 21, 30, 31}


def test_running_header_of_text_pages_dropped_by_repetition():
    pages = ["Udvalget\nReferat\nDato: 05.11.2024\nSide {n}\n\n{body}\n".format(n=n, body=body)
             for n, body in ((1, "1. Godkendelse af dagsorden\nGodkendt."), (2, "Referat fortsat på side to."), (3, "Og på side tre."))]
    lines, _ = text_to_lines("\f".join(pages))
    c = clean(lines, None, RULES)
    assert [ln.text for ln in c.lines] == [
        "Udvalget", "Referat", "Dato: 05.11.2024", "1. Godkendelse af dagsorden", "Godkendt.", "Referat fortsat på side to.", "Og på side tre."
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("blev sat til afstemning (kun 6 stemte\nfor, 14 imod).", "blev sat til afstemning (kun 6 stemte for, 14 imod)."),
        ("Jens Hansen havde meldt afbud,\nog Eva Holm deltog i stedet.", "Jens Hansen havde meldt afbud, og Eva Holm deltog i stedet."),
        ("Godkendt.\nUdvalget bemærkede", "Godkendt.\nUdvalget bemærkede"),  # a sentence ended
        ("Fraværende:\nJens Hansen", "Fraværende:\nJens Hansen"),  # a label
        ("Imod stemte: Ø\nUndlod: C og M", "Imod stemte: Ø\nUndlod: C og M"),  # list rows
        ("Sag 12\nGodkendt", "Sag 12\nGodkendt"),
    ],
)
def test_join_wrapped(text, expected):
    from pipeline.clean import join_wrapped

    assert join_wrapped(text) == expected
