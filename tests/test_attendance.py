"""Each attendee line shape, from the seeds and invented variants."""

import pytest

from pipeline.extract.attendance import join_continuations, parse_groups, parse_person_line, assign_keys
from pipeline.load import text_to_lines
from pipeline.segment import Group

CASES = [
    # name first, seed lines
    ("Mads Duedahl, Regionsrådsformand (medformand) - mødeleder", "Mads Duedahl", "Regionsrådsformand", None, ["medformand", "mødeleder"]),
    ("Mogens Jespersen, Borgmester Mariagerfjord Kommune (medformand)", "Mogens Jespersen", "Borgmester", "Mariagerfjord Kommune", ["medformand"]),
    ("Charlotte Weirsøe, formand PLO-K Vesthimmerland", "Charlotte Weirsøe", "formand", "PLO-K Vesthimmerland", []),
    ("Vibeke Gamst, formand for Psykiatri- og Socialudvalget, Region Nordjylland", "Vibeke Gamst", "formand for Psykiatri- og Socialudvalget", "Region Nordjylland", []),
    ("Lene Schmidt Aalestrup, formand for Kultur-, Fritid- og Sundhedsudvalget, Rebild Kommune", "Lene Schmidt Aalestrup", "formand for Kultur-, Fritid- og Sundhedsudvalget", "Rebild Kommune", []),
    ("Inge Kjær Andersen, specialkonsulent Rebild Kommune (sekretariat)", "Inge Kjær Andersen", "specialkonsulent", "Rebild Kommune", ["sekretariat"]),
    ("Lisbeth Kjær Lagoni, sygeplejefaglig direktør Aalborg Universitetshospital", "Lisbeth Kjær Lagoni", "sygeplejefaglig direktør", "Aalborg Universitetshospital", []),
    ("Mathilde Hougaard Madsen, AC-fuldmægtig Region Nordjylland (sekretariat)", "Mathilde Hougaard Madsen", "AC-fuldmægtig", "Region Nordjylland", ["sekretariat"]),
    # title first, seed lines
    ("Sygeplejefagligdirektør Lisbeth Kjær Lagoni, Aalborg Universitetshospital", "Lisbeth Kjær Lagoni", "Sygeplejefagligdirektør", "Aalborg Universitetshospital", []),
    ("Konst. kontorchef Daniel Kjærgaard Simonsen, Region Nordjylland", "Daniel Kjærgaard Simonsen", "Konst. kontorchef", "Region Nordjylland", []),
    ("Klinikchef Maj Skårhøj, Psykiatrien – punkt 3", "Maj Skårhøj", "Klinikchef", "Psykiatrien", []),
    ("Praksiskonsulent Andreas. K. Toft – Nordkap", "Andreas K. Toft", "Praksiskonsulent", "Nordkap", ["stray period after 'Andreas' removed from name"]),
    ("Lotte Holt Worup, Rebild Kommune – punkt 3", "Lotte Holt Worup", None, "Rebild Kommune", []),
    # invented variants
    ("Kommunaldirektør Hans-Henrik von Holstein, Faxe Kommune", "Hans-Henrik von Holstein", "Kommunaldirektør", "Faxe Kommune", []),
    ("Birgitte Lund, afdelingschef for Social- og Sundhedsforvaltningen, Odense Kommune", "Birgitte Lund", "afdelingschef for Social- og Sundhedsforvaltningen", "Odense Kommune", []),
    ("overlæge Peter Holm, Region Midtjylland", "Peter Holm", "overlæge", "Region Midtjylland", []),
]


@pytest.mark.parametrize("line, name, title, org, notes", CASES)
def test_line_shapes(reading, line, name, title, org, notes):
    parsed = parse_person_line(line, reading)
    assert len(parsed.people) == 1
    p = parsed.people[0]
    assert (p.name, p.title, p.organisation) == (name, title, org)
    assert p.notes == notes


def test_multi_word_title_first(reading):
    p = parse_person_line("Leder af Sund Info Lise Søndergaard, Regional sekretær – afbud", reading)
    assert p.absent
    assert p.people[0].name == "Lise Søndergaard"
    assert p.people[0].title.startswith("Leder af Sund Info")


def test_two_guests_with_item_scope(reading):
    p = parse_person_line("Jens Ravnholt Pedersen og Dorte Mayann Hansen - Region Nordjylland punkt 2", reading)
    assert [(x.name, x.organisation, x.items) for x in p.people] == [
        ("Jens Ravnholt Pedersen", "Region Nordjylland", [2]),
        ("Dorte Mayann Hansen", "Region Nordjylland", [2]),
    ]


def test_name_first_without_comma(reading):
    p = parse_person_line("Lise Holten chefkonsulent, Ældre- og Sundhedsområdet, KL Centerchef – punkt 2", reading).people[0]
    assert p.name == "Lise Holten"
    assert p.items == [2]
    assert "chefkonsulent" in p.title
    assert "KL" in p.organisation


@pytest.mark.parametrize(
    "line, items",
    [
        ("Ole Hansen, Region Nordjylland – punkt 2", [2]),
        ("Ole Hansen, Region Nordjylland, pkt. 2-4", [2, 3, 4]),
        ("Ole Hansen under punkt 4", [4]),
        ("Ole Hansen – punkt 2 og 5", [2, 5]),
    ],
)
def test_item_scope(reading, line, items):
    assert parse_person_line(line, reading).people[0].items == items


@pytest.mark.parametrize(
    "line, sub",
    [
        ("Anne Krøjer Jacobsen (Bente Bach Poulsen deltager i hendes sted)", "Bente Bach Poulsen"),
        ("Lisbeth Lagoni (Jan Nybo deltager i hendes sted)", "Jan Nybo"),
        ("Peter Holm (Karin Lund deltog i stedet)", "Karin Lund"),
        ("Peter Holm (stedfortræder Karin Lund)", "Karin Lund"),
    ],
)
def test_substitution(reading, line, sub):
    assert parse_person_line(line, reading).substitutes == [sub]


@pytest.mark.parametrize("line", ["Jan Nybo – afbud", "Jan Nybo - meldt afbud", "Jan Nybo (afbud)", "Jan Nybo, Region Nordjylland, afbud"])
def test_inline_absence(reading, line):
    p = parse_person_line(line, reading)
    assert p.absent and p.people[0].name == "Jan Nybo"


def _groups(spec: list[tuple[str, str, str]]) -> list[Group]:
    out = []
    for name, att, body in spec:
        lines, _ = text_to_lines(body)
        out.append(Group(name=name, attendance=att, heading=None, lines=tuple(lines)))
    return out


def test_afbud_marks_listed_person_and_adds_substitute(rules, lex):
    groups = _groups(
        [
            ("Administrativ deltagelse", "present", "Lisbeth Kjær Lagoni, sygeplejefaglig direktør Aalborg Universitetshospital\nSøren Aalund, direktør Mariagerfjord Kommune"),
            ("Afbud", "absent", "Lisbeth Lagoni (Jan Nybo deltager i hendes sted)"),
        ]
    )
    people, diags = parse_groups(groups, lex, rules)
    people, _ = assign_keys(people)
    rows = [(p.name, p.list_heading, p.attendance, p.substitute_for) for p in people]
    assert rows == [
        ("Lisbeth Kjær Lagoni", "Administrativ deltagelse", "absent", None),
        ("Søren Aalund", "Administrativ deltagelse", "present", None),
        ("Jan Nybo", "Afbud", "substitute", "Lisbeth Kjær Lagoni"),
    ]
    assert any("matched to 'Lisbeth Kjær Lagoni'" in d.message for d in diags)


def test_afbud_of_unlisted_person_is_kept(rules, lex):
    people, _ = parse_groups(_groups([("Deltagere", "present", "Søren Aalund"), ("Afbud", "absent", "Per Møller")]), lex, rules)
    assert [(p.name, p.attendance, p.list_heading) for p in people] == [("Søren Aalund", "present", "Deltagere"), ("Per Møller", "absent", "Afbud")]


def test_ambiguous_afbud_is_not_merged(lex, rules):
    people, diags = parse_groups(
        _groups([("Deltagere", "present", "Anne Krøjer Jacobsen\nAnne Krøjer Nielsen"), ("Afbud", "absent", "Anne Krøjer")]), lex, rules
    )
    assert [p.attendance for p in people] == ["present", "present", "absent"]
    assert any("fits several attendees" in d.message for d in diags)


def test_line_broken_over_two_lines_is_one_person(reading):
    lines, _ = text_to_lines("Overlæge Jan Nybo, Chef for det Nære Sundhedsvæsen - Aalborg\nUniversitetshospital – afbud\nKonsulent Camilla Donslund, PLO")
    joined = join_continuations(lines, reading)
    assert [ln.text for ln in joined] == [
        "Overlæge Jan Nybo, Chef for det Nære Sundhedsvæsen - Aalborg Universitetshospital – afbud",
        "Konsulent Camilla Donslund, PLO",
    ]
    p = parse_person_line(joined[0].text, reading)
    assert p.absent and p.people[0].organisation == "Aalborg Universitetshospital"


def test_person_keys_join_name_variants_within_meeting(rules, lex):
    people, _ = parse_groups(_groups([("Deltagere", "present", "Lisbeth Kjær Lagoni\nLisbeth Lagoni, direktør")]), lex, rules)
    people, _ = assign_keys(people)
    assert {p.person_key for p in people} == {"lisbeth kjær lagoni"}


@pytest.mark.parametrize(
    "line, names",
    [
        ("Per Møller, Lina Hundebøll Jespersen og Jan Nybo", ["Per Møller", "Lina Hundebøll Jespersen", "Jan Nybo"]),
        ("Anne Krøjer & Søren Aalund", ["Anne Krøjer", "Søren Aalund"]),
    ],
)
def test_list_of_bare_names(reading, line, names):
    assert [p.name for p in parse_person_line(line, reading).people] == names


@pytest.mark.parametrize(
    "line, group, attendance, names",
    [
        ("Fraværende: Per Møller, Lina Jespersen og Jan Nybo", "Fraværende", "absent", ["Per Møller", "Lina Jespersen", "Jan Nybo"]),
        ("Afbud fra Per Møller og Jan Nybo", "Afbud", "absent", ["Per Møller", "Jan Nybo"]),
        ("Afbud: Jan Nybo", "Afbud", "absent", ["Jan Nybo"]),
        ("Til stede: Søren Aalund, Jan Mainz", "Til stede", "present", ["Søren Aalund", "Jan Mainz"]),
    ],
)
def test_inline_list_headings(rules, lex, line, group, attendance, names):
    from pipeline.rules import rules_for
    from pipeline.segment import segment

    lines, _ = text_to_lines(f"REFERAT\nUdvalget\n{line}\n1. Godkendelse af dagsorden\nGodkendt.\n2. Eventuelt\nIntet.\n")
    seg = segment(lines, rules_for())
    assert [(g.name, g.attendance) for g in seg.groups] == [(group, attendance)]
    people, _ = parse_groups(seg.groups, lex, rules)
    assert [(p.name, p.attendance) for p in people] == [(n, attendance) for n in names]


def _two_column_pdf(path):
    """A committee's minutes whose member list is printed in two columns (invented names)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 800

    def put(x, text, bold=False):
        c.setFont("Helvetica-Bold" if bold else "Helvetica", 11)
        c.drawString(x, y, text)

    put(72, "Referat - Teknik- og Miljøudvalget", bold=True)
    y -= 18
    put(72, "Mødedato: 03.02.2025")
    y -= 26
    put(72, "Medlemmer:", bold=True)
    for left, right in (("Karen Vestergaard (A)", "Jens Thygesen (V)"), ("Henrik Dalsgaard (V)", "Mette Skovbo (F)"), ("Rikke Lauritsen (O)", None)):
        y -= 15
        put(72, left)
        if right:
            put(320, right)
    y -= 26
    put(72, "Fraværende:", bold=True)
    y -= 15
    put(72, "Mette Skovbo (F)")
    y -= 30
    put(72, "1. Godkendelse af dagsorden", bold=True)
    y -= 15
    put(72, "Beslutning: Godkendt.")
    c.showPage()
    c.save()
    return path


def test_members_printed_in_two_columns_are_one_row_each(tmp_path):
    from pipeline.parse import parse_document

    parsed = parse_document(_two_column_pdf(tmp_path / "to kolonner.pdf"), model="blank")
    people = {p["name"]: p for p in parsed.rows["people"]}
    assert set(people) == {"Karen Vestergaard", "Jens Thygesen", "Henrik Dalsgaard", "Mette Skovbo", "Rikke Lauritsen"}
    assert people["Mette Skovbo"]["attendance"] == "absent"
    assert all(p["attendance"] == "present" for n, p in people.items() if n != "Mette Skovbo")
    # the right column keeps the page and line of the row it is printed on
    assert people["Jens Thygesen"]["line"] == people["Karen Vestergaard"]["line"]


def test_a_name_and_its_title_in_two_cells_stay_one_person(reading):
    from pipeline.extract.attendance import split_columns
    from pipeline.records import Line

    ln = Line(text="Anna Friis Borgmester, Faxe Kommune", page=1, no=1, cells=("Anna Friis", "Borgmester, Faxe Kommune"))
    assert split_columns([ln], reading) == [ln]
    both = Line(text="Anna Friis (A) Peter Holm (V)", page=1, no=2, cells=("Anna Friis (A)", "Peter Holm (V)"))
    assert [x.text for x in split_columns([both], reading)] == ["Anna Friis (A)", "Peter Holm (V)"]


def test_a_distribution_list_or_a_header_field_ends_an_attendance_list(tmp_path):
    """"Afbud:" with its members, then "Referent: X" and "Fordeling: A, B" (who receives the minutes):
    those are no absences; role-first member lines ("Suppleant Y") still are."""
    from pipeline.parse import parse_document

    doc = tmp_path / "referat.txt"
    doc.write_text(
        "Referat af bestyrelsesmøde\nMødetid: 3. maj 2024 kl. 19.00\nDeltagere: Formand Anne Holm\nKasserer Bo Lund\n"
        "Afbud: Bestyrelsesmedlem Carl Dam\nSuppleant Dorte Vang\nReferent: Anne Holm\nFordeling: Anne Holm, Bo Lund, Erik Friis\n"
        "1. Godkendelse af referat\nGodkendt.\n2. Eventuelt\nIntet.\n", encoding="utf-8")
    people = {p["name"]: p["attendance"] for p in parse_document(doc, model="blank").rows["people"]}
    assert people == {"Anne Holm": "present", "Bo Lund": "present", "Carl Dam": "absent", "Dorte Vang": "absent"}
