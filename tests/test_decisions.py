"""decision_type from Danish phrasings, through the real lemmatizer and rules in models/."""

import pytest

from pipeline.extract.decisions import classify, decide, sentences
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
    assert [(r.seq, r.decision_type) for r in rows] == [(1, "discussed"), (2, "postponed")]
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
