"""Mentions: people, organisations, titles and places named in item texts.

The spaCy pipeline (trained NER when installed, always the project's entity
ruler) runs over every free-text block of the document in one ``nlp.pipe``
batch.  The meeting's own attendees are matched on top (a PhraseMatcher built
per document from their names and short forms) and win over every other span,
so "Lisbeth Kjær Lagoni tilbyder …" is a PER mention with her person_key.
"""

from __future__ import annotations

from ..spacy_import import spacy  # noqa: F401 - first: spaCy without its command line
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from ..people import name_tokens, unique_variant
from ..records import AgendaItem, Mention, Person
from ..clean import sentence_spans

FIELDS = ("description", "recommendation", "minutes")
#: labels from a trained model that are kept (MISC is too vague to be useful)
KEEP_LABELS = {"PER", "ORG", "LOC", "TITLE", "GPE"}


def _attendee_matcher(nlp, people: list[Person]) -> tuple[PhraseMatcher, dict[str, str]]:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    keys: dict[str, str] = {}
    forms: set[str] = set()
    for p in people:
        toks = p.name.split()
        variants = {p.name}
        if len(toks) > 2:
            variants.add(f"{toks[0]} {toks[-1]}")
        for v in variants:
            forms.add(v)
            keys.setdefault(v.casefold(), p.person_key or " ".join(name_tokens(p.name)))
    if forms:
        matcher.add("ATTENDEE", list(nlp.tokenizer.pipe(sorted(forms))))
    return matcher, keys


def extract_mentions(backend, items: list[AgendaItem], people: list[Person]) -> list[Mention]:
    nlp = backend.nlp
    jobs = [(getattr(it, f), (it.item_no, f)) for it in items for f in FIELDS if getattr(it, f)]
    if not jobs:
        return []
    matcher, keys = _attendee_matcher(nlp, people)
    names = [p.name for p in people]
    disable = [n for n in nlp.pipe_names if n in ("parser", "senter", "textcat")]
    out: list[Mention] = []
    source = "rules" if not backend.trained else backend.name.split("+")[0]
    with nlp.select_pipes(disable=disable):
        for doc, (item_no, field) in nlp.pipe(jobs, as_tuples=True, batch_size=32):
            attendee_spans = [Span(doc, s, e, label="PER") for _, s, e in matcher(doc)]
            attendee_spans = filter_spans(attendee_spans)
            taken = {i for sp in attendee_spans for i in range(sp.start, sp.end)}
            spans = list(attendee_spans)
            for ent in doc.ents:
                if ent.label_ not in KEEP_LABELS or any(i in taken for i in range(ent.start, ent.end)):
                    continue
                if ent.label_ in ("ORG", "PER", "LOC") and not ent.text[:1].isupper():
                    continue  # "en fra psykiatrien": a common noun, not the organisation
                spans.append(ent)
            spans.sort(key=lambda s: s.start_char)
            sents = sentence_spans(doc.text)
            for sp in spans:
                label = "LOC" if sp.label_ == "GPE" else sp.label_
                pkey = None
                if label == "PER":
                    pkey = keys.get(sp.text.casefold())
                    if pkey is None:
                        match, _ = unique_variant(sp.text, names)
                        if match:
                            pkey = next(p.person_key for p in people if p.name == match)
                origin = "attendees" if sp in attendee_spans else ("rules" if sp.ent_id_ or not backend.trained else source)
                out.append(
                    Mention(
                        item_no=item_no,
                        text=sp.text,
                        label=label,
                        person_key=pkey,
                        start=sp.start_char,
                        end=sp.end_char,
                        sentence=next((doc.text[a:b].strip() for a, b in sents if a <= sp.start_char < b), ""),
                        source=origin,
                        field=field,
                    )
                )
    return out
