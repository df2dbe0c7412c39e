"""The project's own spaCy components, assembled from the data in ``models/``.

``referat_ruler`` is spaCy's entity ruler filled with patterns built from the
lexicons: TITLE (public-sector titles), ORG (kommuner, regioner, PLO, KL,
hospitals …) and PER (a known given name followed by capitalised words).  It
runs after a trained NER (when there is one) and overwrites its entities, so
rules win on titles and known organisations while the model adds names the
lexicons do not know.
"""

from __future__ import annotations

from .lexicon import lexicon, read_list, models_dir

RULER_NAME = "referat_ruler"


def build_patterns() -> list[dict]:
    lex = lexicon()
    patterns: list[dict] = []
    for title in lex.titles:
        patterns.append({"label": "TITLE", "pattern": [{"LOWER": w} for w in title.split()], "id": "title"})
    for org in lex.organisations:
        patterns.append({"label": "ORG", "pattern": [{"LOWER": w.casefold()} for w in org.split()], "id": "org"})
    names = sorted(lex.given_names)
    patterns.append(
        {
            "label": "PER",
            "pattern": [
                {"LOWER": {"IN": names}, "IS_TITLE": True},
                {"IS_TITLE": True, "OP": "+", "LOWER": {"NOT_IN": sorted(lex.organisation_words | lex.title_words)}},
            ],
            "id": "given-name",
        }
    )
    for extra in ("places.txt",):
        path = models_dir() / "lexicons" / extra
        if path.exists():
            for place in read_list(path):
                patterns.append({"label": "LOC", "pattern": [{"LOWER": w.casefold()} for w in place.split()], "id": "place"})
    return patterns


def add_rule_components(nlp) -> None:
    if RULER_NAME in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, config={"overwrite_ents": True, "validate": False}, last=True)
    ruler.add_patterns(build_patterns())
