"""Attendance stated in sentences inside items (invented sentences in the
shapes real minutes use)."""

import pytest

from pipeline.extract.statements import statements


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Liv Gro Jensen var forhindret i at deltage i udvalgets behandling af sagen.", [("Liv Gro Jensen", "absent", None, (4,))]),
        ("Karen Holm og Ole Berg kunne tiltræde indstillingen.", [("Karen Holm", "present", None, ()), ("Ole Berg", "present", None, ())]),
        ("Peter Holm tog forbehold.", [("Peter Holm", "present", None, ())]),
        ("Søren Aalund havde meldt afbud.", [("Søren Aalund", "absent", None, ())]),
        ("Kirsten er fraværende - Brian Frænde deltager som hendes suppleant", [("Kirsten", "absent", None, ()), ("Brian Frænde", "substitute", "Kirsten", ())]),
        ("Asbjørn er fraværende - suppleanten Jonny er indkaldt. Jonny mødte ikke op.", [("Asbjørn", "absent", None, ()), ("Jonny", "absent", None, ())]),
        ("Silas har meddelt at han holder pause. Hans suppleant, Zita, deltager i stedet.", [("Silas", "absent", None, ()), ("Zita", "substitute", "Silas", ())]),
        ("Jan forlod mødet kl. 19.53.", [("Jan", "present", None, ())]),
        ("Thomas Bak deltog ikke i sagens behandling.", [("Thomas Bak", "absent", None, (4,))]),
        # running item numbers, and the council's wording
        ("Gunnar Holt medvirkede ikke ved behandlingen af pkt. 357, idet han var inhabil.", [("Gunnar Holt", "absent", None, (357,))]),
        # someone from outside taking part in the meeting or an item of it: a guest
        ("Under behandlingen af punktet deltager direktør Anne Holm.", [("Anne Holm", "guest", None, ())]),
        ("Under behandlingen af sagen deltog konsulent Anne Holm.", [("Anne Holm", "guest", None, ())]),
        ("Til sagen deltager konsulent Bo Lund fra Teknik og Miljø under behandlingen af sagen.", [("Bo Lund", "guest", None, ())]),
        ("Udvalget får besøg af Roskilde Roklub ved Eva Dahl.", [("Eva Dahl", "guest", None, ())]),
        ("Skoleleder Eva Dahl vil præsentere skolens nye plan.", [("Eva Dahl", "guest", None, ())]),
        # … but a plan to invite someone, or a visit made elsewhere, is no attendance
        ("Udvalget ønsker at invitere Eva Dahl til et senere møde.", []),
        ("Formanden besøgte Roskilde Roklub, hvor Eva Dahl viste rundt.", []),
        # not attendance: no known given name, or no statement
        ("Regionsrådet var forhindret i at deltage.", []),
        ("Udvalget drøftede sagen og tog den til efterretning.", []),
    ],
)
def test_statements(rules, lex, text, expected):
    got = [(s.name, s.attendance, s.substitute_for, s.items) for s in statements(text, 4, lex, rules)]
    assert got == expected


def test_case_text_after_a_sentence_about_another_meeting_gives_only_the_guests_announced_for_this_one(rules, lex):
    text = ("Planen forelægges ved Kommunalbestyrelsens møde i december. Anne Holm forlod mødet. "
            "Under behandlingen af sagen deltog direktør Bo Lund. Under behandlingen af sagen deltager konsulent Eva Dahl.")
    got = [(s.name, s.attendance) for s in statements(text, 4, lex, rules, case_text=True)]
    assert got == [("Eva Dahl", "guest")]
