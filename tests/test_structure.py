"""The structure finder: one invented variant per kind of evidence, and documents built from a known item list.

Every example is invented; each stands for a shape seen in real minutes
(``../shared/corpus/SOURCES.tsv`` describes them) without copying any.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean
from pipeline.extract.agenda import read_item
from pipeline.load import text_to_lines
from pipeline.records import Line
from pipeline.rules import rules_for
from pipeline.segment import segment
from pipeline.segment.finder import find_items

RULES = rules_for()


def seg_of(text: str):
    lines, _ = text_to_lines(text)
    return segment(list(clean(lines, None, RULES).lines), RULES)


def items_of(text: str) -> list[tuple[int, str | None, str]]:
    return [(it.no, it.sub, read_item(it, RULES, False, True).title) for it in seg_of(text).items]


def warnings_of(text: str) -> list[str]:
    return [d.message for d in seg_of(text).diagnostics if d.severity == "warning"]


# --- numbering ------------------------------------------------------------------


def test_a_running_number_heads_the_only_item():
    text = "Referat\nEkstraordinært møde i Vejudvalget\n\n212. Budgetopfølgning 2025\nSagsfremstilling\nDer er et merforbrug.\nBeslutning\nGodkendt.\n"
    assert items_of(text) == [(212, None, "Budgetopfølgning 2025")]


def test_running_numbers_that_do_not_start_at_one():
    text = "\n".join(f"{n}. Sag om {t}\nBeslutning\nGodkendt.\n" for n, t in ((57, "vejene"), (58, "skolen"), (59, "budgettet")))
    assert [no for no, _, _ in items_of(text)] == [57, 58, 59]


def test_a_line_of_prose_that_starts_with_punkt_and_a_number_is_no_heading():
    """ "punkt 5 som sin opfattelse anfører: …" (a wrapped sentence) is not written like a heading;
    "Punkt 5: Budget" and "Pkt. 42" (title on the next line) are."""
    from pipeline.segment.headings import find_candidates

    lines, _ = text_to_lines("punkt 5 som sin opfattelse anfører, at tallene var fortrolige\nPunkt 5: Budget\nPkt. 42\nRegnskab 2024\n")
    assert [(lines[c.index].text, c.no) for c in find_candidates(lines, RULES)] == [("Punkt 5: Budget", 5), ("Pkt. 42", 42)]


def test_the_number_printed_after_the_title():
    text = "Referat\nVejudvalget\n\nBudgetopfølgning\nSag nr. 57\nBeslutning\nGodkendt.\n\nNy parkeringsplads\nSag nr. 58\nBeslutning\nUdsat.\n"
    assert items_of(text) == [(57, None, "Budgetopfølgning"), (58, None, "Ny parkeringsplads")]


def test_outline_numbers_are_sub_items_of_their_item():
    text = ("1. Formalia\nIndledning.\n1.1 Valg af dirigent\nJens blev valgt.\n1.2 Godkendelse af dagsorden\nGodkendt.\n"
            "2. Økonomi\nRegnskabet blev gennemgået.\n2.1 Regnskab 2024\nGodkendt.\n3. Eventuelt\nIntet.\n")
    assert items_of(text) == [(1, None, "Formalia"), (1, "1", "Valg af dirigent"), (1, "2", "Godkendelse af dagsorden"),
                              (2, None, "Økonomi"), (2, "1", "Regnskab 2024"), (3, None, "Eventuelt")]


def test_an_inserted_item():
    text = "3. Regnskab\nGodkendt.\n4. Budget\nGodkendt.\n4a) Kontingent\nUændret.\n5. Eventuelt\nIntet.\n"
    assert items_of(text) == [(3, None, "Regnskab"), (4, None, "Budget"), (4, "a", "Kontingent"), (5, None, "Eventuelt")]


def test_a_stray_dot_after_the_number():
    text = "9. Budget\nGodkendt.\n10. .Indkøb af borde\nVedtaget.\n11. Eventuelt\nIntet.\n"
    assert items_of(text)[1] == (10, None, "Indkøb af borde")


@pytest.mark.parametrize(
    "text",
    [
        "Pkt. 42\n\nBeslutninger om dagsordenen\n\nGodkendt.\n\nPkt. 43\n\nMeddelelser\n\nTaget til efterretning.\n",
        "42\nBeslutninger om dagsordenen\n\nBeslutning\nGodkendt.\n\n43\nMeddelelser\n\nBeslutning\nTaget til efterretning.\n",
    ],
)
def test_the_title_on_the_line_below_the_number(text):
    assert items_of(text) == [(42, None, "Beslutninger om dagsordenen"), (43, None, "Meddelelser")]


def test_a_section_caption_lets_the_numbering_start_again():
    text = ("Indholdsfortegnelse:\n\nÅbne punkter\n306 Godkendelse af dagsorden\n307 Budget 2026\n309 Nyt byggeri\n\n"
            "Lukkede punkter\n308 Salg af grund\n")
    assert [no for no, _, _ in items_of(text)] == [306, 307, 309, 308]


# --- numbered lists that are not items -----------------------------------------------


def test_options_in_a_proposal_are_not_items():
    text = ("1. Valg af dirigent\nJens Holm blev valgt.\n\n2. Indkomne forslag\nDer var fire forslag til bestyrelsen:\n"
            "1) Ny legeplads ved søen\nForslaget blev vedtaget.\n2) Flere bænke\nForslaget faldt.\n3) Nye skraldespande\nVedtaget.\n"
            "4) Hundeskove\nFaldt.\n5) Fælles arbejdsdag\nVedtaget.\n\n3. Eventuelt\nIntet.\n")
    assert [no for no, _, _ in items_of(text)] == [1, 2, 3]


def test_decision_points_are_not_items():
    text = ("1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n2. Puljer 2025\nBeslutning\n\n1. Anbefales\n\n2. Anbefales\n\n"
            "3. Anbefales\n\n3. Eventuelt\nBeslutning\nIntet.\n")
    assert items_of(text) == [(1, None, "Godkendelse af dagsorden"), (2, None, "Puljer 2025"), (3, None, "Eventuelt")]


def test_a_number_that_continues_a_sentence_is_not_an_item():
    text = ("15. Anlægsregnskab 2024\nProjektet er godkendt i Byrådet den 29. januar 2025 sag\n16. Udgifterne omfatter "
            "asfaltarbejder på kommunens veje\nog stier.\nBeslutning\nGodkendt.\n\n16. Bustrafik 2026\nBeslutning\nGodkendt.\n")
    assert items_of(text) == [(15, None, "Anlægsregnskab 2024"), (16, None, "Bustrafik 2026")]


def test_points_of_a_list_introduced_by_a_sentence_with_a_colon_are_not_items():
    text = ("1. Beretning\nFormanden gennemgik året. Bestyrelsen har arbejdet med:\n1. Nye vinduer i opgangene\n"
            "2. Udskiftning af låse\n3. Ny vaskeri-aftale\nBeretningen blev godkendt.\n2. Regnskab\nGodkendt.\n3. Eventuelt\nIntet.\n")
    assert [no for no, _, _ in items_of(text)] == [1, 2, 3]


# --- layout ---------------------------------------------------------------------------


def test_bold_headings_win_over_an_indented_plain_list():
    def line(no, text, bold=False, x0=70.0):
        return Line(text=text, page=1, no=no, bbox=(x0, 100 + 14 * no, 500, 110 + 14 * no), size=11.0, bold=bold, cells=(text,))

    texts = [
        ("1. Valg af dirigent", True, 70), ("Anne blev valgt.", False, 70), ("2. Forslag", True, 70),
        ("Der var disse forslag fra medlemmerne fremsendt i god tid", False, 70),
        ("1. Bedre belysning på stierne", False, 90), ("2. Nye bænke ved søen", False, 90), ("3. Ny hjemmeside", False, 90),
        ("4. Flere affaldsspande", False, 90), ("5. Fælles grill", False, 90), ("Alle blev vedtaget.", False, 70),
        ("3. Eventuelt", True, 70), ("Intet.", False, 70),
    ]
    lines = [line(i + 1, t, b, x) for i, (t, b, x) in enumerate(texts)]
    found = find_items(lines, RULES)
    assert [(it.no, it.title) for it in found.items] == [(1, "Valg af dirigent"), (2, "Forslag"), (3, "Eventuelt")]


# --- titles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, title, rest",
    [
        ("1. Valg af dirigent – Jens Holm (Søvej 3) blev valgt", "Valg af dirigent", "Jens Holm (Søvej 3) blev valgt"),
        ("2. Beretning – Formanden berettede om året.", "Beretning", "Formanden berettede om året."),
        ("3. Valg af revisor. Begge revisorer er på valg i år.", "Valg af revisor.", "Begge revisorer er på valg i år."),
    ],
)
def test_what_follows_the_title_on_its_line_is_the_items_text(heading, title, rest):
    s = seg_of(f"{heading}\nMere tekst.\n4. Eventuelt\nIntet.\n")
    assert s.items[0].title == title
    assert s.items[0].body[0].text == rest


# --- the agenda list ----------------------------------------------------------------------

AGENDA = "Referat\nEjerforeningen Havnen\n\nDagsorden:\n1. Valg af dirigent\n2. Beretning\n3. Regnskab 2024\n4. Eventuelt\n\n"


def test_a_table_of_contents_is_not_read_as_items():
    text = AGENDA + "".join(f"{n}. {t}\nBeslutning\nGodkendt.\n\n" for n, t in enumerate(("Valg af dirigent", "Beretning", "Regnskab 2024", "Eventuelt"), 1))
    assert [(no, t) for no, _, t in items_of(text)] == [(1, "Valg af dirigent"), (2, "Beretning"), (3, "Regnskab 2024"), (4, "Eventuelt")]


def test_the_agenda_names_title_less_headings():
    text = AGENDA + "Ad 1)\nJens Holm blev valgt som dirigent.\nAd 2)\nFormanden aflagde beretning.\nAd 3)\nRegnskabet blev godkendt.\nAd 4)\nIntet.\n"
    assert [(no, t) for no, _, t in items_of(text)] == [(1, "Valg af dirigent"), (2, "Beretning"), (3, "Regnskab 2024"), (4, "Eventuelt")]


def test_a_heading_the_agenda_lists_under_another_number():
    text = AGENDA + "1. Valg af dirigent\nJens.\n2. Beretning\nGodkendt.\n3. Regnskab 2024\nGodkendt.\n5. Eventuelt\nIntet.\n"
    assert [no for no, _, _ in items_of(text)] == [1, 2, 3, 4]
    assert any("printed as '5. Eventuelt'" in w and "numbered 4" in w for w in warnings_of(text))


def test_an_item_the_minutes_do_not_head_is_listed_with_a_warning():
    text = AGENDA + "1. Valg af dirigent\nJens.\n2. Beretning\nGodkendt.\n4. Eventuelt\nIntet.\n"
    assert [(no, t) for no, _, t in items_of(text)] == [(1, "Valg af dirigent"), (2, "Beretning"), (3, "Regnskab 2024"), (4, "Eventuelt")]
    assert any("item 3 ('Regnskab 2024') is in the agenda list but has no heading" in w for w in warnings_of(text))


def test_unnumbered_headings_that_repeat_the_agenda():
    text = AGENDA + "Valg af dirigent\nJens blev valgt.\nBeretning\nGodkendt.\nRegnskab 2024\nGodkendt.\nEventuelt\nIntet.\n"
    assert [(no, t) for no, _, t in items_of(text)] == [(1, "Valg af dirigent"), (2, "Beretning"), (3, "Regnskab 2024"), (4, "Eventuelt")]


def test_a_fragment_with_only_the_agenda_list():
    text = "Byrådet\nOnsdag den 5. marts 2025 kl. 18:00\n\nIndholdsfortegnelse:\n\n101 Godkendelse af dagsorden\n102 Budget 2026\n103 Ny skole\n"
    assert [(no, t) for no, _, t in items_of(text)] == [(101, "Godkendelse af dagsorden"), (102, "Budget 2026"), (103, "Ny skole")]


# --- documents built from a known item list -----------------------------------------------

TITLES = ("Godkendelse af dagsorden", "Budget 2026", "Ny legeplads", "Valg af revisor", "Regnskab for 2024", "Trafik på Søvej",
          "Orientering fra formanden", "Kontingent", "Vedligeholdelse af taget", "Eventuelt")
SHAPES = ("{n}. {t}", "{n}) {t}", "Punkt {n}: {t}", "Pkt. {n} {t}", "§ {n} {t}", "Ad {n}) {t}", "{n}\n{t}", "Pkt. {n}\n\n{t}")

_BLOCK = st.sampled_from([
    "prose", "date", "recommendation", "decision", "decision_points", "options", "amount",
])


def _block(kind: str, k: int) -> list[str]:
    if kind == "prose":
        return ["Bestyrelsen gennemgik sagen, og der var enighed om", "at arbejde videre med den."]
    if kind == "date":
        return ["Loven blev vedtaget den 9.", "juni 2022 af Folketinget."]
    if kind == "amount":
        return ["Udgiften er 12.500 kr. i alt."]
    if kind == "recommendation":
        return ["Det indstilles, at udvalget:"] + [f"{i}. Godkender punkt {i}." for i in range(1, k + 1)] + ["Beslutning:", "Godkendt."]
    if kind == "decision":
        return ["Beslutning:", "Godkendt som indstillet."]
    if kind == "decision_points":
        return ["Beslutning", ""] + [f"{i}. Anbefales" for i in range(1, k + 1)]
    return ["Der var følgende forslag:"] + [f"{i}) Forslag nummer {i}" for i in range(1, k + 1)]


@settings(max_examples=300, deadline=None)
@given(
    titles=st.lists(st.sampled_from(TITLES), min_size=1, max_size=7, unique=True),
    start=st.sampled_from([1, 1, 1, 57, 212]),
    shape=st.sampled_from(SHAPES),
    agenda=st.booleans(),
    blocks=st.lists(st.lists(st.tuples(_BLOCK, st.integers(1, 4)), max_size=3), min_size=7, max_size=7),
)
def test_the_items_a_document_is_written_from_come_back(titles, start, shape, agenda, blocks):
    numbers = list(range(start, start + len(titles)))
    out = ["Referat", "Ejerforeningen Havnen", "Mandag den 3. marts 2025 kl. 19.00", ""]
    if agenda:
        out += ["Dagsorden:"] + [f"{n}. {t}" for n, t in zip(numbers, titles)] + [""]
    for k, (n, t) in enumerate(zip(numbers, titles)):
        out += ["", shape.format(n=n, t=t)]
        for kind, size in blocks[k]:
            out += _block(kind, size)
    got = [(no, title) for no, _, title in items_of("\n".join(out) + "\n")]
    assert got == list(zip(numbers, titles))


def test_headings_printed_as_list_entries():
    text = ("Referat\nKommunalbestyrelsen\n\n• 301. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"
            "• 302. Budget 2026\nSagsfremstilling\nDer er to forslag:\n1. Forslag om besparelser\n2. Forslag om skat\nBeslutning\nGodkendt.\n")
    assert items_of(text) == [(301, None, "Godkendelse af dagsorden"), (302, None, "Budget 2026")]


def test_a_heading_printed_twice_in_a_row_is_one_item():
    # web minutes: the heading as a link, then the heading itself
    text = ("Økonomiudvalget – Referat – 1. oktober 2018\n\n1. Godkendelse af dagsorden\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"
            "2. Siden sidst\n2. Siden sidst\nBeslutning\nTaget til efterretning.\n")
    assert items_of(text) == [(1, None, "Godkendelse af dagsorden"), (2, None, "Siden sidst")]


def test_a_restart_after_a_section_caption_that_repeats_an_entry_is_the_first_item():
    """A table of contents ("1. Meddelelser 3" …, then the caption of a closed section) and, on the
    next page, "1. Meddelelser" again: the items begin there; item 1 is not a second list entry."""
    text = ("Referat\nIndholdsfortegnelse\nÅbent referat\n1. Meddelelser ........ 3\n2. Budget 2024 ........ 4\n3. Eventuelt ........ 5\nLukket referat\n\f"
            "1. Meddelelser\nSagsnr.: 2024-1\nUdvalgets beslutning\nTaget til efterretning.\n2. Budget 2024\nGodkendt.\n3. Eventuelt\nIntet.\n")
    items = seg_of(text).items
    assert [(it.no, it.title) for it in items] == [(1, "Meddelelser"), (2, "Budget 2024"), (3, "Eventuelt")]
    assert "Taget til efterretning." in [ln.text for ln in items[0].body]


def test_a_table_of_contents_whose_page_numbers_are_one_space_away():
    """A text rendering of a PDF table of contents ("1. Meddelelser 3"): the items repeat the titles
    without the page numbers, so the list is the agenda, not a second set of items."""
    text = ("Referat\nIndholdsfortegnelse\n1. Meddelelser 3\n2. Budget for skolerne 4\n3. Eventuelt 6\n\f"
            "1. Meddelelser\nTaget til efterretning.\n2. Budget for skolerne\nGodkendt.\n3. Eventuelt\nIntet.\n")
    assert items_of(text) == [(1, None, "Meddelelser"), (2, None, "Budget for skolerne"), (3, None, "Eventuelt")]
    # a list whose entries end in numbers that are no page numbers stays as it is
    text = "Referat\n1. Valg af 2 revisorer\nJens og Bo.\n2. Valg af 3 suppleanter\nAnne, Carl og Dorte.\n"
    assert [title for _, _, title in items_of(text)] == ["Valg af 2 revisorer", "Valg af 3 suppleanter"]


def test_a_recommendation_point_that_repeats_the_title_is_no_heading():
    """After an agenda list, a line repeating an entry's title is a heading unless it starts a point
    of a list ("A) KL's opfølgningsproces … drøftes.")."""
    from pipeline.segment.agenda import find_agenda, unnumbered_candidates
    from pipeline.segment.headings import find_candidates

    text = ("Referat\nDagsorden\n1. Opfølgning på den regionale plan for det nære sundhedsvæsen\n2. Eventuelt\n\nOpfølgning på den regionale plan for det nære sundhedsvæsen\nIndstilling\n"
            "A) Opfølgning på den regionale plan for det nære sundhedsvæsen drøftes.\nBeslutning\nGodkendt.\nEventuelt\nIntet.\n")
    lines, _ = text_to_lines(text)
    lines = list(clean(lines, None, RULES).lines)
    cands = find_candidates(lines, RULES)
    agenda = find_agenda(lines, cands, RULES)
    got = [lines[c.index].text for c in unnumbered_candidates(lines, agenda, [c for c in cands if c.index > agenda.last], RULES)]
    assert got == ["Opfølgning på den regionale plan for det nære sundhedsvæsen", "Eventuelt"]


# --- minutes with no numbered or headed items --------------------------------------


def test_topics_listed_as_bullets_each_with_its_outcome_are_the_items():
    text = ("Referat fra bestyrelsesmødet 3. maj 2023\n\nVi talte om:\n- Sommerfesten\n  Afholdes 24. juni.\n"
            "- Nye nøgler til klubhuset\n  Kassereren bestiller dem.\n  Prisen er ukendt.\n* Hjemmesiden\n  Ingen konklusion\n")
    assert items_of(text) == [(1, None, "Sommerfesten"), (2, None, "Nye nøgler til klubhuset"), (3, None, "Hjemmesiden")]
    assert any("3 entries of the bullet list" in w and "numbered in order" in w for w in warnings_of(text))
    assert [it.body[0].text for it in seg_of(text).items] == ["Afholdes 24. juni.", "Kassereren bestiller dem.", "Ingen konklusion"]


@pytest.mark.parametrize("text", [
    # a list of names, one after another: no topics
    "Referat\nDeltagere:\n- Anne Holm\n- Bo Lund\n- Carl Mikkelsen\nMødet sluttede kl. 20.\n",
    # numbered items win; the bullets inside an item stay its text
    "Referat\n1. Sommerfesten\n- Musik\n  Bo spørger et band.\n- Mad\n  Anne bestiller.\n2. Eventuelt\nIntet.\n",
    # one bullet is no list of topics
    "Referat\n- Sommerfesten\n  Afholdes 24. juni.\n",
])
def test_bullets_are_topics_only_when_nothing_else_is_and_each_has_its_own_text(text):
    items = items_of(text)
    assert all(no != 1 or title != "Musik" for no, _, title in items)
    assert not any("entries of the bullet list" in w for w in warnings_of(text))
    if text.startswith("Referat\n1."):
        assert [no for no, _, _ in items] == [1, 2]
    else:
        assert items == []


def test_headings_by_layout_alone_are_the_items_when_nothing_else_is():
    """Bold headings (a PDF's font, or Markdown '#'/'**' in a text) between lines of plain text:
    the items, numbered in order; the title block, captions and block labels are none."""
    text = ("# Referat af bestyrelsesmøde 3. maj 2023\n\n**Deltagere:**\nAnne Holm, Bo Lund\n\n## Sommerfesten\nVi holder festen 24. juni.\n"
            "**Beslutning**\nGodkendt.\n\n## Nye nøgler\nKassereren bestiller dem.\n")
    assert items_of(text) == [(1, None, "Sommerfesten"), (2, None, "Nye nøgler")]
    assert any("2 headings set in bold" in w for w in warnings_of(text))
    lines = [Line("Referat", 1, 1, bold=True), Line("Bestyrelsen", 1, 2, bold=True), Line("Til stede: Anne Holm", 1, 3, bold=False),
             Line("Beretning", 1, 4, bold=True), Line("Formanden aflagde beretning.", 1, 5, bold=False),
             Line("Regnskab", 1, 6, bold=True), Line("Regnskabet blev godkendt.", 1, 7, bold=False)]
    assert [(it.no, it.title) for it in find_items(lines, RULES).items] == [(1, "Beretning"), (2, "Regnskab")]


@pytest.mark.parametrize("flags", [
    (True, True, True, True, True, True, True),  # all bold: no evidence
    (True, True, False, True, False, False, False),  # one bold heading is no list of topics
    (None, None, None, None, None, None, None),  # no font information
])
def test_no_headings_by_layout_without_the_contrast(flags):
    texts = ["Referat", "Bestyrelsen", "Til stede: Anne Holm", "Beretning", "Formanden aflagde beretning.", "Regnskab", "Regnskabet blev godkendt."]
    lines = [Line(t, 1, k + 1, bold=b) for k, (t, b) in enumerate(zip(texts, flags))]
    assert find_items(lines, RULES).items == []
