"""Item headings and blocks: each form gets its own case."""

import pytest

from pipeline.clean import clean
from pipeline.extract.agenda import extract_item
from pipeline.load import text_to_lines
from pipeline.profiles import GENERIC, by_name, detect
from pipeline.segment import segment


def seg_of(text: str, profile=GENERIC):
    lines, _ = text_to_lines(text)
    return segment(clean(lines).lines, profile)


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
    got = [extract_item(it, GENERIC, False, True)[0].title for it in s.items]
    assert got == titles


def test_numbered_recommendation_points_are_not_items():
    s = seg_of(
        "1. Budget\nDet indstilles, at udvalget:\n1. Godkender budgettet.\n2. Tager orienteringen til efterretning.\nReferat:\nGodkendt.\n"
        "2. Eventuelt\nIntet."
    )
    assert [it.no for it in s.items] == [1, 2]
    ai = extract_item(s.items[0], GENERIC, True, True)[0]
    assert ai.recommendation_points == ["1. Godkender budgettet.", "2. Tager orienteringen til efterretning."]
    assert ai.minutes == "Godkendt."


def test_dates_and_numbered_lists_in_text_are_not_items():
    s = seg_of(
        "1. Lovgrundlag\nLoven blev vedtaget den 9.\njuni 2022 af Folketinget.\nDer er tre trin:\n1. at planlægge\n"
        "2. Eventuelt\nIntet."
    )
    assert [it.no for it in s.items] == [1, 2]


def test_heading_broken_over_lines_with_time_slot():
    s = seg_of("2. Godkendelse af kommissorium og forretningsorden – kl. 17.10 –\n17.15\nTekst.\n3. Næste – kl. 17.15 – 17.20\nTekst.")
    ai = extract_item(s.items[0], GENERIC, False, True)[0]
    assert (ai.title, ai.start_time, ai.end_time) == ("Godkendelse af kommissorium og forretningsorden", "17:10", "17:15")


def test_presenter_split_from_heading_across_lines():
    s = seg_of("4. Seneste nyt om klyngerne ved Søren\nAalund\nHerunder møder.\n5. Seminar ved Søren Aalund og Inge Kjær Andersen\nTekst.")
    a, b = (extract_item(it, GENERIC, False, True)[0] for it in s.items)
    assert (a.title, a.presenters) == ("Seneste nyt om klyngerne", ["Søren Aalund"])
    assert (b.title, b.presenters) == ("Seminar", ["Søren Aalund", "Inge Kjær Andersen"])


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
    ai = extract_item(s.items[0], GENERIC, block == "minutes", True)[0]
    if block == "recommendation":
        assert ai.recommendation and ai.recommendation.startswith(label.split()[0])
    elif block == "minutes":
        assert ai.minutes and "Godkendt som indstillet." in ai.minutes
    else:
        assert ai.description and "At budgettet godkendes" in ai.description


def test_attachments_with_count_and_bullets():
    s = seg_of("1. Sagen\nBilag: 1\nHenvendelse til alle klynger\nDet indstilles\nAt der træffes beslutning\n2. Andet\nBilag:\n• Kommissorium\n• Forretningsorden for\nudvalget\n3. Eventuelt\nIntet.")
    a, b, _ = (extract_item(it, GENERIC, False, True)[0] for it in s.items)
    assert a.attachments == ["Henvendelse til alle klynger"]
    assert b.attachments == ["Kommissorium", "Forretningsorden for udvalget"]


def test_closed_item_flagged():
    s = seg_of("1. Personalesag\nLukket punkt.\n2. Eventuelt\nIntet.")
    assert extract_item(s.items[0], GENERIC, False, True)[0].closed


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
    assert detect(lines)[0] is by_name("sundhedsklynge")
    lines, _ = text_to_lines("Generalforsamling\n1) Valg af dirigent\n2) Beretning\n")
    assert detect(lines)[0] is GENERIC


@pytest.mark.parametrize(
    "a, b, subs",
    [("4a. Budget for skoler", "4b. Budget for ældre", ["a", "b"]), ("4.1 Budget for skoler", "4.2 Budget for ældre", ["1", "2"])],
)
def test_sub_items(a, b, subs):
    s = seg_of(f"3. Orientering\nTaget til efterretning.\n4. Budget 2026\nIndledning.\n{a}\nGodkendt.\n{b}\nUdsat.\n5. Eventuelt\nIntet.")
    got = [(it.no, it.sub, extract_item(it, GENERIC, False, True)[0].title) for it in s.items]
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
    item, _ = extract_item(s.items[0], GENERIC, True, True, "2014-08-27")
    assert item.minutes == "Godkendt."
    assert item.case_history == "Beslutning i Økonomiudvalget den 12-08-2014 Anbefales."
    # without the meeting's date nothing can be told apart: both blocks are minutes
    item, _ = extract_item(s.items[0], GENERIC, True, True, None)
    assert item.minutes == "Anbefales.\nGodkendt." and item.case_history is None


# --- the chain finder against a plain re-statement of its rule -----------------

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import Line
from pipeline.segment import _match_any, find_items, heading_match


def _oracle_items(lines, profile) -> list[tuple[int, int]]:
    """The rule of find_items, restated the slow way: walk a chain from every start.

    After heading (j, n) the chain takes the next line numbered n+1 that is
    not a recommendation point; if there is none but a line numbered n+2
    follows, it takes the only other numbered line in between as n+1, or
    else that n+2 line.
    """
    numbers = {i: hm[0] for i, ln in enumerate(lines) if (hm := heading_match(profile, ln))}

    def points_after(j):
        """Lines after j that would be recommendation points (scanning from j on)."""
        out, in_rec, last_point = set(), False, 0
        for i in range(j + 1, len(lines)):
            ln = lines[i]
            if i in numbers and in_rec and numbers[i] == last_point + 1 and not ln.bold:
                out.add(i)
            if _match_any(profile.recommendation_labels, ln.text):
                in_rec, last_point = True, 0
            elif _match_any(profile.minutes_labels, ln.text) or _match_any(profile.attachment_labels, ln.text):
                in_rec = False
            elif in_rec and ln.text[:1].isdigit() and ln.text.split(".")[0].isdigit():
                last_point = int(ln.text.split(".")[0])
        return out

    def step(j, n):
        pts = points_after(j)
        later = [i for i in sorted(numbers) if i > j and i not in pts]
        for i in later:
            if numbers[i] == n + 1:
                return i, n + 1
        for y in later:
            if numbers[y] == n + 2:
                between = [i for i in later if i < y]
                return (between[0], n + 1) if len(between) == 1 else (y, n + 2)
        return None

    def chain(start):
        taken, state = [], (start, numbers[start])
        while state:
            taken.append(state)
            state = step(*state)
        return taken

    cands = sorted(numbers.items())
    nums = [n for _, n in cands]
    starts = [k for k, (i, n) in enumerate(cands) if n + 1 in nums[k + 1:] or len(cands) == 1]
    best: list[int] = []
    for k in starts:
        i, n = cands[k]
        if n != cands[starts[0]][1] and k != starts[0]:
            continue
        c = chain(i)
        if len(c) > len(best) or (best and len(c) == len(best) and i > best[-1][0]):
            best = c
    return best


_BLOCK = st.tuples(
    st.integers(1, 5),  # the heading's number
    st.booleans(),  # heading bold
    st.booleans(),  # a recommendation label follows
    st.integers(0, 3),  # numbered points after it
    st.booleans(),  # points bold
    st.sampled_from(["Referat:", "Bilag:", "Sagen drøftes.", None]),
)


def _lines(blocks) -> list[Line]:
    texts: list[tuple[str, bool]] = []
    for no, bold, rec, points, points_bold, after in blocks:
        texts.append((f"{no}. Punkt nummer {no}", bold))
        if rec:
            texts.append(("Det indstilles, at udvalget:", False))
        texts += [(f"{k}. Godkender punkt {k}.", points_bold) for k in range(1, points + 1)]
        if after:
            texts.append((after, False))
    return [Line(text=t, page=1, no=i + 1, bold=b) for i, (t, b) in enumerate(texts)]


@settings(max_examples=400, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=12))
def test_chain_finder_follows_its_rule(blocks):
    lines = _lines(blocks)
    _, items = find_items(lines, GENERIC)
    assert [(it.heading[0].no - 1, it.no) for it in items] == _oracle_items(lines, GENERIC)
