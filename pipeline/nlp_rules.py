"""The project's own spaCy components, assembled from the data in ``models/``.

``referat_ruler`` is a registered factory: spaCy's entity ruler filled with
patterns built from the lexicons — TITLE (public-sector titles), ORG
(kommuner, regioner, PLO, KL, hospitals …) and PER (a known given name
followed by capitalised words).  Its settings live in ``models/nlp.cfg``.  It
runs after a trained NER (when there is one) and overwrites its entities, so
rules win on titles and known organisations while the model adds names the
lexicons do not know.
"""

from __future__ import annotations

from .spacy_import import spacy  # noqa: F401 - first: spaCy without its command line
from spacy.language import Language
from spacy.pipeline import EntityRuler

from .lexicon import lexicon, models_dir, read_list

RULER_NAME = "referat_ruler"


def build_patterns(titles: str = "titles.txt", organisations: str = "organisations.txt", given_names: str = "given_names.txt") -> list[dict]:
    base = models_dir() / "lexicons"
    lex = lexicon()
    patterns: list[dict] = []
    # titles and organisations are phrase patterns (matched on LOWER by spaCy's
    # PhraseMatcher, tokenized like the text): ten times faster than one token
    # pattern per entry, and "konst. direktør" splits the same way in both
    for title in sorted({t.casefold() for t in read_list(base / titles)}, key=len, reverse=True):
        patterns.append({"label": "TITLE", "pattern": title, "id": "title"})
    for org in sorted({o.casefold() for o in read_list(base / organisations)}):
        patterns.append({"label": "ORG", "pattern": org, "id": "org"})
    names = sorted({n.casefold() for n in read_list(base / given_names)})
    stop = sorted(lex.organisation_words | lex.title_words)
    patterns.append(
        {
            "label": "PER",
            "pattern": [
                {"LOWER": {"IN": names}, "IS_TITLE": True},
                {"IS_TITLE": True, "OP": "+", "LOWER": {"NOT_IN": stop}},
            ],
            "id": "given-name",
        }
    )
    return patterns


@Language.factory(
    RULER_NAME,
    default_config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER", "titles": "titles.txt", "organisations": "organisations.txt", "given_names": "given_names.txt"},
)
def make_referat_ruler(nlp: Language, name: str, overwrite_ents: bool, phrase_matcher_attr: str, titles: str, organisations: str, given_names: str) -> EntityRuler:
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents, phrase_matcher_attr=phrase_matcher_attr, validate=False)
    ruler.add_patterns(build_patterns(titles, organisations, given_names))
    return ruler


def _config():
    from spacy.util import load_config

    return load_config(models_dir() / "nlp.cfg", interpolate=False)


def component_configs() -> dict[str, dict]:
    """The ``[components.*]`` sections of models/nlp.cfg."""
    return {name: dict(section) for name, section in _config().get("components", {}).items()}


def blank_settings() -> dict:
    """The ``[blank]`` section: how the fallback pipeline is built."""
    return dict(_config().get("blank", {}))


def add_rule_components(nlp: Language) -> None:
    for name, conf in component_configs().items():
        if name in nlp.pipe_names:
            continue
        factory = conf.pop("factory", name)
        nlp.add_pipe(factory, name=name, config=conf, last=True)
