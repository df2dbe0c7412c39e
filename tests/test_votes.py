import pytest

from pipeline.extract.votes import find_votes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Imod stemte: Ø.", [("against", "Ø", None)]),
        ("For stemte A, V og C. Imod stemte Ø og F. Undlod: C og M.", [("for", "A, V og C", None), ("against", "Ø og F", None), ("abstain", "C og M", None)]),
        ("Bernt stillede forslaget (kun 1 stemte for, 16 imod). Og forslaget blev derved forkastet.", [("for", None, 1), ("against", None, 16)]),
        ("Solveig Munk kunne ikke tiltræde indstillingen.", [("dissent", "Solveig Munk", None)]),
        ("Jesper Kjeldsen, Steffen Wich og Gert Bjerregaard kunne tiltræde indstillingen.", [("for", "Jesper Kjeldsen, Steffen Wich og Gert Bjerregaard", None)]),
        ("Venstre tog forbehold vedrørende mobilitet.", [("dissent", "Venstre", None)]),
        ("5 medlemmer (A+V+C) anbefaler forslaget. 2 medlemmer (N+Ø) tager forbehold.", [("for", "A+V+C", 5), ("dissent", "N+Ø", 2)]),
        ("Udvalget godkendte indstillingen.", []),
        ("Der blev stemt om forslaget.", []),
    ],
)
def test_votes(text, expected):
    assert [(v.position, v.who, v.count) for v in find_votes(text, 3)] == expected


def test_votes_survive_a_line_wrapped_mid_sentence():
    text = "Forslaget blev sat til afstemning (kun 6 stemte\nfor, 14 imod). Forslaget blev forkastet."
    assert [(v.position, v.count) for v in find_votes(text, 4)] == [("for", 6), ("against", 14)]


def test_vote_list_rows_stay_apart():
    text = "Imod stemte: Ø\nUndlod: C og M\nFor stemte: A, V og F"
    assert [(v.position, v.who) for v in find_votes(text, 2)] == [("against", "Ø"), ("abstain", "C og M"), ("for", "A, V og F")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the body itself as subject decides; it is no vote
        ("Udvalget kunne ikke tiltræde indstillingen.", []),
        ("Bestyrelsen tog forbehold for økonomien.", []),
        # a majority's position is a vote (and the outcome, see test_decisions)
        ("Et flertal i udvalget kunne tiltræde indstillingen.", [("for", "Et flertal i udvalget", None)]),
        # party letters, party names and people are minorities
        ("A, O og V kunne ikke tiltræde indstillingen.", [("dissent", "A, O og V", None)]),
        ("Dansk Folkeparti stemte imod.", [("dissent", "Dansk Folkeparti", None)]),
    ],
)
def test_subjects_of_positions(text, expected):
    assert [(v.position, v.who, v.count) for v in find_votes(text, 3)] == expected


def test_counts_written_as_stemmer():
    text = "Forslaget blev sat til afstemning og vedtaget med 17 stemmer for, 4 imod og 2 blanke."
    assert [(v.position, v.count) for v in find_votes(text, 4)] == [("for", 17), ("against", 4), ("abstain", 2)]
