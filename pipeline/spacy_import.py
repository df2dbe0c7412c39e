"""Import spaCy without its command-line interface.

spaCy's package ``__init__`` re-exports ``spacy.info`` by importing
``spacy.cli.info``, which imports the whole of spaCy's command line: typer,
weasel, httpx, requests, jinja2 …  That is about 0.15 s of every parsing
process's start-up (a third of importing spaCy, measured with
``python -X importtime``), and the parser never calls it.

``import_spacy()`` imports spaCy with a stand-in for ``spacy.cli.info``
that is removed again as soon as spaCy is imported:

- ``spacy.info`` still works: the stand-in's ``info`` imports spaCy's own
  ``spacy.cli.info`` when it is first called and hands the call on;
- ``import spacy.cli`` afterwards imports the real command line, unchanged;
- if spaCy was imported already, or a spaCy version stops importing its
  command line from ``__init__``, nothing is replaced and spaCy is imported
  as usual.

Every module of the package that imports spaCy imports this module first.
``REFERAT_SPACY_FULL_IMPORT=1`` turns the stand-in off.
"""

from __future__ import annotations

import os
import sys
import threading
import types

_STAND_IN = "spacy.cli.info"
_lock = threading.Lock()


def info(*args, **kwargs):
    """``spacy.info``: imports spaCy's ``spacy.cli.info`` on the first call and calls its ``info``."""
    from spacy.cli.info import info as real

    return real(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """The ``spacy`` module, imported (once per process) without ``spacy.cli``."""
    with _lock:
        if "spacy" in sys.modules or os.environ.get("REFERAT_SPACY_FULL_IMPORT") == "1":
            import spacy

            return spacy
        stand_in = types.ModuleType(_STAND_IN, "referat's stand-in while spaCy is imported (pipeline.spacy_import)")
        stand_in.info = info
        sys.modules[_STAND_IN] = stand_in
        try:
            import spacy
        finally:
            if sys.modules.get(_STAND_IN) is stand_in:
                del sys.modules[_STAND_IN]
        return spacy


spacy = import_spacy()
