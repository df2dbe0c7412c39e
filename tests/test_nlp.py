"""Both NLP paths: the blank-Danish rules path and a trained pipeline.

No official Danish model can be installed here, so a tiny NER pipeline is
trained with spaCy's own training API, saved, and loaded through exactly the
code path that loads ``da_core_news_sm`` (``spacy.load`` of a name or path).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import spacy
from spacy.training import Example

from conftest import RAW, ROOT, parsed
from pipeline.nlp import load_backend
from pipeline.parse import parse_document

TRAIN = [
    ("Xiomara Quist holdt et oplæg om økonomien.", [(0, 13, "PER")]),
    ("Oplægget blev holdt af Xiomara Quist fra Nordvest Lægehus.", [(23, 36, "PER"), (41, 58, "ORG")]),
    ("Nordvest Lægehus deltog i drøftelsen.", [(0, 16, "ORG")]),
    ("Zebulon Fjeldsted spurgte til budgettet.", [(0, 17, "PER")]),
    ("Udvalget drøftede sagen med Zebulon Fjeldsted.", [(28, 45, "PER")]),
    # the model is taught a wrong label for a title: the rules must win there
    ("Sagen blev fremlagt af direktør Karen Holm.", [(23, 31, "ORG"), (32, 42, "PER")]),
    ("Der var ingen bemærkninger.", []),
    ("Budgettet blev godkendt af udvalget.", []),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("da")
    ner = nlp.add_pipe("ner")
    for _, ents in TRAIN:
        for _, _, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    opt = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=opt, drop=0.0)
    path = tmp_path_factory.mktemp("models") / "tiny_da_ner"
    nlp.meta["name"] = "tiny_ner"
    nlp.meta["version"] = "0.0.1"
    nlp.to_disk(path)
    return path


def test_blank_backend_is_recorded_and_noticed():
    b = load_backend("da_core_news_not_installed_xyz")
    assert b.name == "blank-da+referat-rules" and not b.trained
    assert "not installed" in b.notice
    assert "referat_ruler" in b.nlp.pipe_names


def test_rules_path_finds_seed_mentions():
    rows = parsed(str(RAW / "styregruppe_klynge_syd_2022-05-06.txt")).rows["mentions"]
    got = {(m["text"], m["label"], m["person_key"]) for m in rows}
    assert ("Lotte Holt Worup", "PER", "lotte holt worup") in got
    assert ("Lisbeth Kjær Lagoni", "PER", "lisbeth kjær lagoni") in got
    assert ("Mariane Therkelsen", "PER", None) in got  # named in the text, not an attendee
    assert ("Jan Mainz", "PER", "jan mainz") in got
    assert ("Danske Regioner", "ORG", None) in got
    assert ("KL", "ORG", None) in got
    lotte = next(m for m in rows if m["text"] == "Lotte Holt Worup")
    assert lotte["sentence"] == "Lotte Holt Worup gav en kort orientering."
    assert lotte["source"] == "attendees"


def test_trained_model_path(tiny_model, tmp_path):
    doc = tmp_path / "møde.txt"
    doc.write_text(
        "REFERAT\nUdvalget for Økonomi\nMandag den 7. november 2022 kl. 17.00 – 19.00\nDeltagere:\nSøren Aalund, direktør\n"
        "1. Økonomi\nXiomara Quist holdt et oplæg om økonomien.\nSagen blev fremlagt af direktør Karen Holm.\n"
        "Referat:\nUdvalget drøftede sagen med Zebulon Fjeldsted og Søren Aalund.\n2. Eventuelt\nReferat:\nDer var ingen bemærkninger.\n",
        encoding="utf-8",
    )
    p = parse_document(doc, model=str(tiny_model))
    assert p.rows["documents"][0]["nlp_model"] == "da_tiny_ner-0.0.1+referat-rules"
    ments = {(m["text"], m["label"], m["source"]) for m in p.rows["mentions"]}
    # names no lexicon knows come from the model
    assert ("Xiomara Quist", "PER", "da_tiny_ner-0.0.1") in ments
    assert ("Zebulon Fjeldsted", "PER", "da_tiny_ner-0.0.1") in ments
    # rules win on titles: the model's ORG on "direktør" is overwritten
    assert ("direktør", "TITLE", "rules") in ments
    assert not any(t == "direktør" and lab == "ORG" for t, lab, _ in ments)
    # attendees win over both and are linked
    assert ("Søren Aalund", "PER", "attendees") in ments
    # the same pipeline still types decisions
    assert [d["decision_type"] for d in p.rows["decisions"]] == ["discussed", "none"]


@pytest.mark.skipif(importlib.util.find_spec("da_core_news_sm") is None, reason="da_core_news_sm is not installed")
def test_official_small_model_end_to_end():
    p = parse_document(RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf", model="da_core_news_sm")
    assert p.rows["documents"][0]["nlp_model"].startswith("da_core_news_sm-")
    assert len(p.rows["people"]) == 25
    assert [d["decision_type"] for d in p.rows["decisions"]] == [
        "none", "approved", "noted", "discussed", "decided", "discussed", "postponed", "discussed", "none",
    ]


def test_runs_with_networking_disabled(tmp_path):
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network disabled by test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\nsocket.getaddrinfo = refuse\n"
        "from pipeline.parse import parse_document\n"
        f"p = parse_document({str(RAW / 'styregruppe_klynge_syd_2022-05-06.pdf')!r})\n"
        "print(p.status, len(p.rows['people']), p.rows['documents'][0]['nlp_model'])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ok", "17", "blank-da+referat-rules"]
