"""People beyond the attendance list: parties and functions on list lines, functionaries and
people acting at the meeting, given names resolved to full names, and what is not attendance.

Every case is an invented variant of a shape seen in real minutes; none names a real person.
"""

import pytest

from pipeline.extract.agenda import split_heading
from pipeline.extract.attendance import parse_groups, parse_person_line
from pipeline.extract.names import name_in, names_printed, names_shaped
from pipeline.extract.statements import statements
from pipeline.link import resolve_first_names, split_bracketed_organisation
from pipeline.load import text_to_lines
from pipeline.parse import parse_document
from pipeline.records import Person
from pipeline.segment import Group, ItemSegment


@pytest.mark.parametrize(
    "line, name, party, title",
    [
        ("• Hanne Kolding, Socialdemokratiet", "Hanne Kolding", "Socialdemokratiet", None),
        ("Hanne Kolding (A)", "Hanne Kolding", "A", None),
        ("Hanne Kolding, V", "Hanne Kolding", "V", None),
        ("Torben Ravn (UP1), formand", "Torben Ravn", "UP1", "formand"),
        ("Torben Ravn, Radikale Venstre", "Torben Ravn", "Radikale Venstre", None),
    ],
)
def test_party_beside_a_listed_name(reading, line, name, party, title):
    p = parse_person_line(line, reading).people[0]
    assert (p.name, p.party, p.title, p.organisation) == (name, party, title, None)


def test_party_and_afbud_on_one_line(reading):
    parsed = parse_person_line("Hanne Kolding, Enhedslisten – afbud", reading)
    assert parsed.absent
    assert (parsed.people[0].name, parsed.people[0].party) == ("Hanne Kolding", "Enhedslisten")


@pytest.mark.parametrize(
    "body, rows",
    [
        # "Y, suppleant for X" under the members
        ("Ole Dam (A)\nIda Berg (A), suppleant for Ole Dam", [("Ole Dam", "absent", None), ("Ida Berg", "substitute", "Ole Dam")]),
        # "X – Y stedfortræder"
        ("Ole Dam (A) – Ida Berg stedfortræder", [("Ole Dam", "absent", None), ("Ida Berg", "substitute", "Ole Dam")]),
    ],
)
def test_substitute_shapes_on_list_lines(lex, rules, body, rows):
    lines, _ = text_to_lines(body)
    people, _ = parse_groups([Group(name="Medlemmer", attendance="present", heading=None, lines=tuple(lines))], lex, rules)
    assert [(p.name, p.attendance, p.substitute_for) for p in people] == rows


@pytest.mark.parametrize(
    "text, expected",
    [
        # functionaries of the meeting, in several word orders
        ("Leif Dahl blev valgt som dirigent.", [("Leif Dahl", "present", "dirigent")]),
        ("Som dirigent valgtes Søren Dam.", [("Søren Dam", "present", "dirigent")]),
        ("Referent: Mette Lund", [("Mette Lund", "present", "referent")]),
        ("Bestyrelsen foreslog Åse Krogh som ordstyrer, og hun blev valgt.", [("Åse Krogh", "present", "ordstyrer")]),
        ("Bestyrelsen foreslog Åse Krogh fra Boligadministration A/S som dirigent og Ib Holm fra samme firma som referent.",
         [("Åse Krogh", "present", "dirigent"), ("Ib Holm", "present", "referent")]),
        # people acting at the meeting, past and present tense, subject first or after the verb
        ("Heidi Vang fremlagde regnskabet.", [("Heidi Vang", "present", "speaker")]),
        ("Peter forklarer at reglen er ny.", [("Peter", "present", "speaker")]),
        ("Regnskabet blev gennemgået af Heidi Vang.", [("Heidi Vang", "present", "speaker")]),
        ("Under gennemgangen bemærkede Heidi Vang, at udgifterne steg.", [("Heidi Vang", "present", "speaker")]),
        ("Formanden (Leif Dahl) bød velkommen.", [("Leif Dahl", "present", "speaker")]),
        # a given name the lexicon lacks: the shape of a full name ending in a known surname
        ("Ilvy Borre-Jensen, F12 fremlagde regnskabet.", [("Ilvy Borre-Jensen", "present", "speaker")]),
        ("Regnskabet blev gennemgået af Ilvy Sørensen.", [("Ilvy Sørensen", "present", "speaker")]),
        # … and no surname, or no person's shape: nobody
        ("Ilvy Borrebæk fremlagde regnskabet.", []),
        ("Grønne Områder fremlagde planen.", []),
        # not attendance: thanked, elected to an office, named as an object
        ("Formanden takkede Leif Dahl for indsatsen.", []),
        ("Jens Holm valgtes til bestyrelsen.", []),
        ("Udvalget besluttede at invitere Mette Lund til næste møde.", []),
    ],
)
def test_functionaries_and_actors_in_minutes(lex, rules, text, expected):
    got = [(s.name, s.attendance, s.role) for s in statements(text, 3, lex, rules, actors=True)]
    assert got == expected


def test_actors_are_read_in_minutes_only(lex, rules):
    assert statements("Heidi Vang fremlagde regnskabet.", 3, lex, rules, actors=False) == []


def test_elected_under_an_item_that_elects_a_functionary(lex, rules):
    got = statements("Jens Holm valgtes.", 1, lex, rules, title="Valg af dirigent", actors=True)
    assert [(s.name, s.role) for s in got] == [("Jens Holm", "dirigent")]


def test_a_list_caption_in_a_sentence_names_people_without_a_known_given_name(lex, rules):
    assert not lex.is_given_name("Vigand")  # the point of the case: the given name is unknown
    got = statements("Fraværende: Vigand Brink (V) - Marianne Holt (V) mødte som stedfortræder.", 2, lex, rules, actors=True)
    assert [(s.name, s.attendance, s.substitute_for, s.party) for s in got] == [
        ("Vigand Brink", "absent", None, "V"),
        ("Marianne Holt", "substitute", "Vigand Brink", "V"),
    ]
    # without the caption an unknown given name is nobody
    assert statements("Vigand Brink mødte ikke op.", 2, lex, rules) == []


def test_names_by_shape_refuse_titles_bodies_and_function_words(lex, rules):
    particles = rules.attendance.name_particles
    assert names_shaped("Vigand Brink, Tormod af Rosen og Teknisk Forvaltning", lex, particles) == ["Vigand Brink", "Tormod af Rosen"]
    assert names_shaped("Til Bestyrelsen", lex, particles) == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("Casper På generalforsamlingen blev det besluttet", []),  # a capitalised function word ends the name
        ("Martin Til bestyrelsen", []),
        ("Til stede var Mette Lund Hansen og Ole Dam", ["Mette Lund Hansen", "Ole Dam"]),
    ],
)
def test_names_printed_stop_at_function_words(lex, rules, text, names):
    assert names_printed(text, lex, rules.attendance.name_particles) == names


def test_names_printed_do_not_run_over_a_line_break(lex, rules):
    # "Martin" / "Stefan" / "Til bestyrelsen …" on lines of their own are no name "Martin Stefan"
    assert names_printed("Martin\nStefan\nTil bestyrelsen blev valgt:", lex, rules.attendance.name_particles) == []


def test_a_given_name_alone_takes_the_one_full_name_printed():
    people = (Person(name="Daniel", attendance="present", role="speaker"), Person(name="Ida Berg", attendance="present"))
    rows, diags = resolve_first_names(people, ["Daniel Brokjær", "Ida Berg"])
    assert [(p.name, p.role) for p in rows] == [("Daniel Brokjær", "speaker"), ("Ida Berg", None)]
    assert "full name printed elsewhere" in rows[0].notes[-1]


def test_a_given_name_alone_merges_into_the_listed_person():
    people = (Person(name="Ida Berg", attendance="present"), Person(name="Ida", attendance="present", role="referent"))
    rows, _ = resolve_first_names(people, [])
    assert [(p.name, p.role) for p in rows] == [("Ida Berg", "referent")]


@pytest.mark.parametrize(
    "names, why",
    [
        (["Daniel Brokjær", "Daniel Holm"], "several full names fit"),
        ([], "prints no full name"),
    ],
)
def test_a_given_name_alone_stays_when_unsure(names, why):
    rows, diags = resolve_first_names((Person(name="Daniel", attendance="present"),), names)
    assert [p.name for p in rows] == ["Daniel"]
    assert why in diags[0].message


def test_a_given_name_alone_is_not_merged_across_attendance():
    # "Brian har meldt afbud" beside "Brian Frænde deltager som hendes suppleant": two people
    people = (Person(name="Brian Fønss", attendance="substitute", substitute_for="Kirsten"), Person(name="Brian", attendance="absent"))
    rows, diags = resolve_first_names(people, ["Brian Fønss"])
    assert [(p.name, p.attendance) for p in rows] == [("Brian Fønss", "substitute"), ("Brian", "absent")]
    assert "kept as written" in diags[0].message


def test_a_listed_name_running_into_its_organisation_is_cut_where_the_document_prints_it_in_brackets():
    people = (Person(name="Ida Berg Nordbyg Entreprise", attendance="absent"), Person(name="Anne Marie Holm Jensen", attendance="present"))
    rows, diags = split_bracketed_organisation(people, ("Fordeling: Ole Dam, Ida Berg (Nordbyg), Anne Marie Holm Jensen",))
    assert [(p.name, p.organisation) for p in rows] == [("Ida Berg", "Nordbyg Entreprise"), ("Anne Marie Holm Jensen", None)]
    assert "Ida Berg (Nordbyg)" in rows[0].notes[-1]
    assert len(diags) == 1


def test_a_place_after_ved_in_a_title_is_no_presenter(lex, rules):
    def is_person(n):
        return name_in(n, lex, rules.attendance.name_particles) is not None

    def heading(title):
        return split_heading(ItemSegment(no=7, heading=(), body=(), title=title), rules, is_person)

    assert heading("Skiltning og ordensreglement ved Stevnsby Fort") == ("Skiltning og ordensreglement ved Stevnsby Fort", None, None, [])
    assert heading("Orientering om regnskabet ved Heidi Vang") == ("Orientering om regnskabet", None, None, ["Heidi Vang"])


def test_paragraphs_keep_statements_apart_and_point_at_their_line(tmp_path):
    # web minutes: one paragraph per line, blank lines between; the first ends without a period
    doc = tmp_path / "lokaludvalg.txt"
    doc.write_text(
        "Referat\nLokaludvalget\nMødedato: 4. marts 2021\n\n"
        "1. Godkendelse af dagsorden\n\nGodkendt.\n\n"
        "2. Meddelelser\n\nBeslutning:\n\n"
        "Agnete er fraværende - Hjørdis er indkaldt som hendes suppleant, men kan ikke deltage\n\n"
        "Villads er fraværende - Bent Thorup deltager som hans suppleant\n",
        encoding="utf-8",
    )
    parsed = parse_document(doc, model="blank")
    people = {p["name"]: p for p in parsed.rows["people"]}
    assert {n: (p["attendance"], p["substitute_for"]) for n, p in people.items()} == {
        "Agnete": ("absent", None),
        "Hjørdis": ("absent", None),
        "Villads": ("absent", None),
        "Bent Thorup": ("substitute", "Villads"),
    }
    lines = doc.read_text(encoding="utf-8").splitlines()
    assert lines[people["Villads"]["line"] - 1].startswith("Villads er fraværende")
    assert lines[people["Agnete"]["line"] - 1].startswith("Agnete er fraværende")


def test_a_presenter_in_the_heading_attended_but_a_talk_the_case_text_announces_is_no_attendance(tmp_path):
    doc = tmp_path / "udvalg.txt"
    doc.write_text(
        "Referat\nSocialudvalget\nMødedato: 4. marts 2021\n\n"
        "1. Regnskab 2020 v/ Kim Holst\n\nRegnskabet blev godkendt.\n\n"
        "2. Udfordringer i sektoren\n\nDer gives oplæg fra to perspektiver:\n"
        "• Almen praksis v. Vibeke Thorsø (PLO)\n• Kommunerne v. Ulrik Vang (KL)\n\n"
        "Beslutning:\nUdvalget drøftede oplæggene.\n",
        encoding="utf-8",
    )
    rows = parse_document(doc, model="blank").rows
    assert [(p["name"], p["role"]) for p in rows["people"]] == [("Kim Holst", "speaker")]
    assert [it["presenters"] for it in rows["agenda_items"]] == [["Kim Holst"], ["Vibeke Thorsø", "Ulrik Vang"]]


def test_a_bulleted_list_of_names_with_parties_is_one_person_per_bullet(tmp_path):
    doc = tmp_path / "bestyrelse.txt"
    doc.write_text(
        "Referat af bestyrelsesmøde\nGrundejerforeningen Egebakken\nMødedato: 12. april 2024\n\n"
        "Deltagere:\n• Hanne Kolding, Socialdemokratiet\n• Torben Ravn, Venstre\n• Lise Dam, SF\n- Ole Brink (A)\n- Mette Vang (V)\n\n"
        "Afbud:\nKaren, Daniel\n\n1. Godkendelse af dagsorden\nGodkendt.\n\n"
        "2. Regnskab\nKassereren fremlagde regnskabet for Daniel Holmgaard og Karen Juhl.\n",
        encoding="utf-8",
    )
    rows = parse_document(doc, model="blank").rows["people"]
    assert [(p["name"], p["party"], p["attendance"]) for p in rows] == [
        ("Hanne Kolding", "Socialdemokratiet", "present"),
        ("Torben Ravn", "Venstre", "present"),
        ("Lise Dam", "SF", "present"),
        ("Ole Brink", "A", "present"),
        ("Mette Vang", "V", "present"),
        # a list of given names takes the full names the document prints
        ("Karen Juhl", None, "absent"),
        ("Daniel Holmgaard", None, "absent"),
    ]


def test_a_list_entry_does_not_run_on_over_a_blank_line(tmp_path):
    doc = tmp_path / "kb.txt"
    doc.write_text("Referat\nKommunalbestyrelsen\nMødedato: 22. januar 2020\n\n"
                   "301. Godkendelse af dagsorden\n\nBeslutning\n\nIkke til stede: Sune Vindahl Krag (C)\n\nGodkendt.\n",
                   encoding="utf-8")
    rows = parse_document(doc, model="blank").rows["people"]
    assert [(p["name"], p["party"], p["attendance"]) for p in rows] == [("Sune Vindahl Krag", "C", "absent")]


def test_a_word_with_digits_ends_a_name(lex, rules):
    # OCR noise: "Miche11 Crorlberg" is not part of "Thomas Nielsen"
    assert names_printed("Thomas Nielsen Miche11 Crorlberg orienterede", lex, rules.attendance.name_particles) == ["Thomas Nielsen"]


def test_the_last_entry_of_a_list_written_as_a_sentence(tmp_path):
    doc = tmp_path / "gf.txt"
    doc.write_text("Referat af ordinær generalforsamling\nBogklubben Bindestreg\n4. december 2017\n"
                   "§1 Til stede:\n(a) Vigand Brink;\n(b) Åse Lind; og\n(c) Tormod af Rosen.\n§2 Valg af dirigent.\nÅse Lind stiller op som dirigent.\n",
                   encoding="utf-8")
    rows = parse_document(doc, model="blank").rows["people"]
    assert [(p["name"], p["attendance"]) for p in rows][:3] == [("Vigand Brink", "present"), ("Åse Lind", "present"), ("Tormod af Rosen", "present")]
