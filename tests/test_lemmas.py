"""The blank backend's lookup lemmas, read word by word from the on-disk index (pipeline/lemmas.py).

The index must answer exactly as spaCy's own in-memory table does, be built
in an empty cache folder, be rebuilt when damaged, and be done without when
the cache folder cannot be written.
"""

from __future__ import annotations

import spacy
from spacy.lookups import load_lookups

from conftest import SAMPLES
from pipeline.lemmas import LemmaTable, index_path, lemma_table
from pipeline.nlp import _blank


def sample_words() -> list[str]:
    """Every word of the samples' text files, case-folded as the decision reader passes them."""
    tokenizer = spacy.blank("da").tokenizer
    words = set()
    for path in SAMPLES:
        if path.suffix != ".pdf":
            words.update(t.text for t in tokenizer(path.read_text(encoding="utf-8").casefold()))
    return sorted(words)


def test_index_answers_as_spacys_table(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERAT_CACHE_DIR", str(tmp_path / "cache"))
    table = lemma_table("da")
    assert isinstance(table, LemmaTable)
    assert table.path == index_path("da") and table.path.parent == tmp_path / "cache"
    spacys = load_lookups("da", ["lemma_lookup"]).get_table("lemma_lookup")
    words = sample_words()
    assert len(words) > 1000
    assert [table.get(w, w) for w in words] == [spacys.get(w, w) for w in words]
    assert table.get("indstillingerne", "x") == "indstilling" and table.get("qqxyzzy", "qqxyzzy") == "qqxyzzy"


def test_blank_backend_reads_the_index(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERAT_CACHE_DIR", str(tmp_path))
    nlp = _blank("lookup")
    assert isinstance(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"), LemmaTable)
    doc = nlp("udvalget godkendte indstillingerne og drøftede sagerne")
    assert [t.lemma_ for t in doc] == ["udvalg", "godkende", "indstilling", "og", "drøfte", "sag"]


def test_damaged_index_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERAT_CACHE_DIR", str(tmp_path))
    path = index_path("da")
    path.write_bytes(b"not an index: the disk filled up")
    table = lemma_table("da")
    assert table is not None and table.get("sagerne") == "sag"


def test_unwritable_cache_folder_falls_back_to_spacys_table(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("REFERAT_CACHE_DIR", str(blocker / "cache"))  # fails for root too
    assert lemma_table("da") is None
    nlp = _blank("lookup")
    assert not isinstance(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"), LemmaTable)
    assert [t.lemma_ for t in nlp("indstillingerne blev godkendt")] == ["indstilling", "blive", "godkende"]
