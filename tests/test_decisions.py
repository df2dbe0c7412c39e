"""decision_type from Danish phrasings, through the real lemmatizer and rules in models/."""

import pytest

from pipeline.clean import sentences
from pipeline.extract.decisions import classify, decide
from pipeline.nlp import load_backend
from pipeline.parse import tokenizer
from pipeline.records import AgendaItem


@pytest.fixture(scope="module")
def tokenize():
    return tokenizer(load_backend("blank"))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Indstillingen blev godkendt.", "approved"),
        ("Udvalget godkendte kommissoriet.", "approved"),
        ("Forslaget blev tiltrådt.", "approved"),
        ("Budgettet blev vedtaget.", "approved"),
        ("Enstemmigt vedtaget.", "approved"),
        ("Økonomiudvalget anbefaler indstillingen.", "approved"),
        ("Formandskabet får mandat til at arbejde videre", "approved"),
        ("Taget til efterretning.", "noted"),
        ("Udvalget tog orienteringen til efterretning.", "noted"),
        ("Sagen blev taget til orientering.", "noted"),
        ("Punktet blev drøftet.", "discussed"),
        ("Udvalget drøftede sagen.", "discussed"),
        ("Emnet blev debatteret.", "discussed"),
        ("Udvalget besluttede at sende sagen i høring.", "decided"),
        ("Der var enighed om at sende to ledere.", "decided"),
        ("Enighed blandt de fremmødte.", "decided"),
        ("Der var enighed i bestyrelsen.", "decided"),
        ("Der var uenighed i bestyrelsen.", None),
        ("Der var ikke enighed om forslaget.", None),  # a negated phrase voids the decision, as a negated word does
        ("Ingen konklusion.", "discussed"),
        ("Det blev aftalt, at sekretariatet skriver til KL.", "decided"),
        ("Jens Hansen blev valgt som dirigent.", "decided"),
        ("Sagen blev udsat.", "postponed"),
        ("Punktet genoptages på næste møde.", "postponed"),
        ("Det blev aftalt, at sagen tages op på næste møde.", "postponed"),
        ("Forslaget blev afvist.", "rejected"),
        ("Indstillingen blev ikke godkendt.", "rejected"),
        ("Forslaget blev forkastet.", "rejected"),
        ("Venstre kunne ikke tiltræde indstillingen.", "rejected"),
        ("Udvalget ville ikke godkende budgettet.", "rejected"),
        ("Der var ingen bemærkninger.", "none"),
        ("Intet til referat", "none"),
        ("Der blev budt velkommen.", None),
    ],
)
def test_classify(tokenize, sentence, expected):
    typ, evidence = classify(sentence, tokenize([sentence])[0])
    assert typ == expected
    assert (evidence is None) == (expected is None)


def test_one_row_per_point_aligned_to_its_sentence(tokenize):
    item = AgendaItem(
        item_no=6,
        label="6. Projekt",
        title="Projekt",
        recommendation_points=("1. Drøfter projektidéen og træffer beslutning om projektet.", "2. Aftaler den videre proces.",),
        minutes="Udvalget drøftede projektidéen. Det blev aftalt, at sekretariatet på næstkommende møde kommer med en ny beskrivelse.",
    )
    rows = decide(item, tokenize)
    # "Det blev aftalt, at …" decides the process the point asks for; that the secretariat reports
    # back at the next meeting does not postpone it (only a case taken up again is postponed)
    assert [(r.seq, r.decision_type) for r in rows] == [(1, "discussed"), (2, "decided")]
    assert rows[0].decision == "Udvalget drøftede projektidéen."
    assert rows[1].decision.startswith("Det blev aftalt")


def test_short_minutes_decide_over_the_recommendation(tokenize):
    item = AgendaItem(item_no=3, label="3. X", title="X", recommendation_points=("At budgettet godkendes",), minutes="Udsat.")
    (row,) = decide(item, tokenize)
    assert row.decision_type == "postponed" and row.decision == "Udsat."


def test_recommendation_wording_used_when_minutes_are_silent(tokenize):
    item = AgendaItem(item_no=4, label="4. X", title="X", recommendation_points=("At emnet drøftes",), minutes="Sekretariatet gennemgik status for arbejdet.")
    (row,) = decide(item, tokenize)
    assert row.decision_type == "discussed"
    assert row.evidence.startswith("recommendation wording")


def test_agenda_without_minutes_has_no_decision(tokenize):
    item = AgendaItem(item_no=1, label="1. X", title="X", recommendation_points=("At budgettet godkendes",), minutes=None)
    (row,) = decide(item, tokenize)
    assert (row.decision, row.decision_type) == (None, "none")


def test_sentences_keep_abbreviations():
    assert sentences("Mødet sluttede kl. 17.00. Næste møde er den 9. juni.") == ["Mødet sluttede kl. 17.00.", "Næste møde er den 9. juni."]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Mathias Grymer stiller op som dirigent. Enstemmigt vedtaget.", "decided"),
        ("Alexander Scheurer op som stemmetæller.", "decided"),
        ("Afstemning blandt de fremmødte, stort flertal for kontingent med snerydning.", "decided"),
        ("Udvalget blev orienteret om arkitekturugen i uge 41.", "noted"),
        ("Bernt stillede forslaget (kun 1 stemte for, 16 imod). Og forslaget blev derved forkastet.", "rejected"),
    ],
)
def test_votes_and_elections(tokenize, sentence, expected):
    assert classify(sentence, tokenize([sentence])[0])[0] == expected


def test_one_decision_for_all_points_is_one_row(tokenize):
    item = AgendaItem(
        item_no=2, label="2. Plan", title="Plan",
        recommendation_points=("At 1) Byrådet godkender bemærkningerne.", "At 2) Byrådet godkender udviklingsplanen.",),
        minutes="Et flertal i udvalget kunne tiltræde indstillingen.",
    )
    (row,) = decide(item, tokenize)
    assert (row.seq, row.decision_type) == (1, "approved")
    assert row.recommendation.count("At ") == 2 and "one decision for all 2 points" in row.evidence


def test_majority_outranks_single_dissent(tokenize):
    text = "Et flertal i udvalget kunne tiltræde indstillingen. Ole Vinther kunne ikke tiltræde indstillingen."
    item = AgendaItem(item_no=2, label="2. X", title="X", recommendation_points=("At der gives en bevilling.",), minutes=text)
    (row,) = decide(item, tokenize)
    assert row.decision_type == "approved" and row.decision.startswith("Et flertal")


def test_rule_rank_not_type_rank_orders_the_minutes(tokenize):
    # an election rule (type decided) outranks a plain approval in the same minutes
    item = AgendaItem(item_no=3, label="3. Valg af dirigent", title="Valg af dirigent", minutes="Mathias Grymer stiller op som dirigent. Enstemmigt vedtaget.")
    (row,) = decide(item, tokenize)
    assert row.decision_type == "decided"


def _item(minutes, points=(), title="Sag", no=5):
    return AgendaItem(item_no=no, label=f"{no}. {title}", title=title, recommendation_points=tuple(points), minutes=minutes)


@pytest.mark.parametrize(
    "minutes, points, expected",
    [
        # a minority's dissent beside the body's approval: the outcome is the approval
        ("Indstillingen blev godkendt. V kunne ikke tiltræde indstillingen.", (), "approved"),
        ("A, O og V kunne ikke tiltræde indstillingen. Et flertal godkendte indstillingen.", (), "approved"),
        # the body itself rejects
        ("Udvalget kunne ikke tiltræde indstillingen.", (), "rejected"),
        ("Indstillingen blev ikke godkendt.", ("At der bevilges 2 mio. kr.",), "rejected"),
        # "ikke besluttet" is no decision, not a rejection
        ("Tilbuddet blev drøftet, men det blev ikke besluttet at gå videre.", (), "discussed"),
    ],
)
def test_the_type_is_the_outcome_for_the_meeting(tokenize, minutes, points, expected):
    assert [r.decision_type for r in decide(_item(minutes, points), tokenize)] == [expected]


def test_only_a_minority_position_infers_the_majority_approval_and_says_so(tokenize):
    (row,) = decide(_item("Solveig Dam (Ø) kunne ikke tiltræde indstillingen.", ("At planen godkendes.",)), tokenize)
    assert row.decision_type == "approved"
    (row,) = decide(_item("Ø kunne ikke tiltræde indstillingen."), tokenize)
    assert row.decision_type == "approved" and row.evidence.startswith("inferred: the minutes state only a minority's position")


@pytest.mark.parametrize(
    "minutes, to",
    [
        ("Fremsendes til Teknisk Udvalg til behandling.", "Teknisk Udvalg"),
        ("Sagen oversendes til Økonomiudvalget.", "Økonomiudvalget"),
        ("Byrådet sendte sagen til realitetsbehandling i Klima-, Natur- og Miljøudvalget.", "Klima-, Natur- og Miljøudvalget"),
        ("Henvises til Kultur- og Fritidsudvalget.", "Kultur- og Fritidsudvalget"),
        ("Sagen sendes tilbage til forvaltningen med henblik på en ny vurdering.", "forvaltningen"),
    ],
)
def test_a_case_sent_on_is_referred_with_the_receiving_body(tokenize, minutes, to):
    (row,) = decide(_item(minutes, ("At sagen behandles.",)), tokenize)
    assert (row.decision_type, row.referred_to) == ("referred", to)


def test_sending_out_for_consultation_is_no_referral(tokenize):
    (row,) = decide(_item("Udvalget besluttede at sende forslaget i høring."), tokenize)
    assert (row.decision_type, row.referred_to) == ("decided", None)


def test_what_another_authority_approved_is_no_outcome(tokenize):
    (row,) = decide(_item("Legepladsen er blevet godkendt af kommunen. Formanden orienterede om tidsplanen."), tokenize)
    assert row.decision_type == "noted"


@pytest.mark.parametrize("title", ["Meddelelser", "Orientering fra formanden", "Gensidig orientering"])
def test_an_information_item_without_decision_wording_is_noted_by_its_title(tokenize, title):
    (row,) = decide(_item("• Vejfesten holdes i juni\n• Ny hjemmeside er på vej", title=title), tokenize)
    assert row.decision_type == "noted" and row.evidence.startswith("inferred from the item title")
    (other,) = decide(_item("• Vejfesten holdes i juni", title="Vejfest"), tokenize)
    assert other.decision_type == "none"


@pytest.mark.parametrize(
    "minutes",
    [
        "Formand Ib Holm modtager genvalg.",
        "På valg er Ib Holm og Åse Lind. Begge modtog genvalg.",
        "Bestyrelsen foreslog Åse Lind som dirigent. Enstemmigt vedtaget.",
        "Ib Holm er dirigent og referent.",
        "Bestyrelsen konstituerede sig med Ib Holm som formand.",
        "Dirigenten konstaterede, at generalforsamlingen var lovligt indvarslet.",
    ],
)
def test_association_elections_and_formalities_are_decisions(tokenize, minutes):
    (row,) = decide(_item(minutes, title="Valg"), tokenize)
    assert row.decision_type == "decided"


def test_a_statement_and_its_list_rows_are_one_decision_text(tokenize):
    minutes = "Godkendt med bemærkning om:\n• at administrationen udarbejder retningslinjer\n• at sagen evalueres i 2026\nNæste punkt blev ikke behandlet."
    rows = decide(_item(minutes, ("At puljen fordeles som foreslået.", "At administrationen udarbejder retningslinjer.")), tokenize)
    assert rows[0].decision.startswith("Godkendt med bemærkning om: • at administrationen") and rows[0].decision_type == "approved"


def test_outline_letters_do_not_end_sentences():
    assert sentences("1. Godkendt med følgende bemærkninger a. Puljen fordeles b. Resten overføres. Udvalget ønsker en evaluering.") == [
        "1. Godkendt med følgende bemærkninger a. Puljen fordeles b. Resten overføres.", "Udvalget ønsker en evaluering."]


def test_long_minutes_keep_the_deciding_sentences_whole(tokenize):
    filler = " ".join(f"Kassereren gennemgik post nummer {i} i regnskabet for året og svarede på spørgsmål fra salen." for i in range(8))
    (row,) = decide(_item(f"{filler} Generalforsamlingen godkendte regnskabet. {filler}"), tokenize)
    assert row.decision == "Generalforsamlingen godkendte regnskabet." and row.decision_type == "approved"
    (untyped,) = decide(_item(filler), tokenize)
    assert untyped.decision_type == "none" and untyped.decision.endswith("salen.") and len(untyped.decision) <= 400


def test_decisions_and_votes_point_at_the_line_their_text_starts_on(tmp_path):
    from pipeline.parse import parse_document

    doc = tmp_path / "udvalg.txt"
    doc.write_text(
        "Referat\nTeknisk Udvalg\nMødedato: 4. marts 2025\n\n"
        "1. Godkendelse af dagsorden\nBeslutning:\nGodkendt.\n\n"
        "2. Ny cykelsti\nDet indstilles, at projektet godkendes.\nBeslutning:\nUdvalget drøftede sagen længe og\n"
        "med mange indlæg. Indstillingen blev godkendt.\nV kunne ikke tiltræde indstillingen.\n",
        encoding="utf-8",
    )
    rows = parse_document(doc, model="blank").rows
    lines = doc.read_text(encoding="utf-8").splitlines()
    assert [lines[d["line"] - 1] for d in rows["decisions"]] == ["Godkendt.", "Udvalget drøftede sagen længe og"]
    assert [lines[v["line"] - 1] for v in rows["votes"]] == ["V kunne ikke tiltræde indstillingen."]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # what may or must happen later is no decision
        ("Den nye bestyrelse skal godkende tilbuddet i foråret.", None),
        ("Der kan vælges mellem to leverandører.", None),
        # an obligation or a right: a rule of procedure, not what the meeting did
        ("Formanden er forpligtet til at afvise spørgsmål om enkeltsager.", None),
        ("Udvalget er berettiget til at godkende mindre ændringer.", None),
        # "kunne tiltræde" is how a decision is written
        ("Udvalget kunne tiltræde indstillingen.", "approved"),
    ],
)
def test_modal_verbs_before_a_decision_word(tokenize, sentence, expected):
    assert classify(sentence, tokenize([sentence])[0])[0] == expected
