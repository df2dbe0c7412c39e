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
