"""The Danish NLP backend: one spaCy ``Language`` per process.

If the configured trained pipeline (``da_core_news_sm`` by default) is
installed, it is loaded; otherwise ``spacy.blank("da")`` with the lookup
lemmatizer from spacy-lookups-data.  Nothing is downloaded: a missing model
gives a one-line notice and the rules path.  ``backend_name()`` is what
``documents.nlp_model`` records.
"""

from __future__ import annotations

import atexit
import gc
import importlib.util
import logging
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_MODEL = os.environ.get("REFERAT_SPACY_MODEL", "da_core_news_sm")
RULES_TAG = "referat-rules"
#: ``documents.nlp_model`` of the fallback backend (no trained model installed)
BLANK_BACKEND = f"blank-da+{RULES_TAG}"
_lock = threading.Lock()
_cache: dict[str, "Backend"] = {}


@dataclass(frozen=True)
class Backend:
    nlp: object  # spacy.Language
    name: str  # e.g. "da_core_news_sm-3.8.0+referat-rules" or "blank-da+referat-rules"
    trained: bool
    notice: str | None = None
    #: what spaCy warned about while the pipeline was built (a model made for another spaCy version …);
    #: recorded in the diagnostics of every document parsed with it
    warnings: tuple[str, ...] = ()


def _installed(model: str) -> bool:
    if os.sep in model or model.startswith("."):
        return Path(model).exists()
    return importlib.util.find_spec(model) is not None


def model_notice(model: str | None = None) -> str | None:
    """The one-line notice for a configured model that is not installed (cheap: loads nothing)."""
    model = model or DEFAULT_MODEL
    if model and model != "blank" and not _installed(model):
        return f"spaCy model '{model}' is not installed; using blank Danish + lookup lemmatizer (see README: Danish models)"
    return None


def load_backend(model: str | None = None) -> Backend:
    """Build (once per process) the pipeline for ``model`` or the blank fallback."""
    model = model or DEFAULT_MODEL
    with _lock:
        if model in _cache:
            return _cache[model]
        from .spacy_import import spacy

        notice = model_notice(model)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if model and model != "blank" and notice is None:
                nlp = spacy.load(model, exclude=["parser"])  # sentences come from our own splitter
                meta = nlp.meta
                name = f"{meta.get('lang', 'da')}_{meta.get('name', Path(model).name)}-{meta.get('version', '0')}+{RULES_TAG}"
                trained = True
            else:
                from .nlp_rules import blank_settings

                nlp = _blank(blank_settings().get("lemmatizer_mode", "lookup"))
                name = BLANK_BACKEND
                trained = False
            from . import nlp_rules

            nlp_rules.add_rule_components(nlp)
        from .logs import verbose

        said = []
        for w in caught:
            said.append(" ".join(str(w.message).split()))
            if verbose():  # -v: shown as well as recorded
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        backend = Backend(nlp=nlp, name=name, trained=trained, notice=notice, warnings=tuple(dict.fromkeys(said)))
        _cache[model] = backend
        # the pipeline (half a million lookup entries) and the lexicons live as long
        # as the process: keep them out of the cyclic garbage collector, which
        # otherwise walks them on every full collection while PDFs are parsed
        # (measured: PDF loading 15 % slower with the backend loaded, not slower once frozen).
        # No gc.collect() first: it took 60 ms of a guarded child's start-up to find the
        # few thousand objects that the imports left unreachable (they stay, frozen)
        gc.freeze()
        atexit.register(gc.unfreeze)  # let the collector see them again at exit (native extensions check for leaks)
        return backend


def _blank(mode: str):
    """``spacy.blank("da")`` with spaCy's lemmatizer; in lookup mode its table is read word by word
    from the on-disk index (``pipeline.lemmas``) instead of being loaded whole."""
    from .spacy_import import spacy

    nlp = spacy.blank("da")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": mode})
    table = None
    if mode == "lookup":
        from .lemmas import lemma_table

        table = lemma_table("da")
    if table is None:  # another mode, or no cache folder to write the index to
        nlp.initialize()
        return nlp
    from spacy.lookups import Lookups

    lookups = Lookups()
    lookups.set_table("lemma_lookup", table)
    lemmatizer.initialize(lookups=lookups)  # not nlp.initialize(), which would load the whole table
    return nlp


def lemma_docs(backend: Backend, texts: list[str], batch_size: int = 64):
    """Run the pipeline over ``texts`` in one batch (components not needed for lemmas off)."""
    nlp = backend.nlp
    disable = [n for n in nlp.pipe_names if n not in ("lemmatizer", "tok2vec", "tagger", "morphologizer", "attribute_ruler")]
    with nlp.select_pipes(disable=disable):
        return list(nlp.pipe(texts, batch_size=batch_size))
