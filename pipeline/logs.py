"""Where the log records and warnings of other libraries go in referat's own processes.

pdfminer, pdfplumber, spaCy, Dask … report through ``logging`` and
``warnings``; unhandled, Python prints them on stderr, between the progress
bar and the results, where nobody can tell which document they concern.  The
CLI and its guarded children therefore keep them off the terminal, unless
``-v/--verbose`` asks for them (``REFERAT_VERBOSE=1``, inherited by every
child process).  What concerns a document is kept in its ``diagnostics``
either way: the PDF libraries' records while it loads
(``pipeline.load.capture``), spaCy's warnings about the NLP backend it ran
on (``pipeline.nlp``).

The Python API (``pipeline.parse``) leaves logging and warnings as the
calling program set them up.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

VERBOSE_ENV = "REFERAT_VERBOSE"
#: how a record is shown with -v
FORMAT = "%(name)s: %(levelname)s: %(message)s"

_configured: bool | None = None


def verbose() -> bool:
    """Whether library output is to be shown (``-v``, or ``REFERAT_VERBOSE=1`` from the parent process)."""
    return os.environ.get(VERBOSE_ENV) == "1"


def set_verbose(on: bool) -> None:
    """Set the verbosity of this process and of every child process it starts from now on; configure it."""
    if on:
        os.environ[VERBOSE_ENV] = "1"
    else:
        os.environ.pop(VERBOSE_ENV, None)
    configure()


def configure() -> None:
    """Route this process's library log records and warnings as ``verbose()`` says (idempotent).

    Quiet: records reach a handler that drops them (so Python's last-resort
    handler, which prints warnings on stderr, never runs) and warnings are
    ignored.  Verbose: records of level WARNING and above, and every
    warning, are printed on stderr.
    """
    global _configured
    on = verbose()
    if _configured == on:
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_referat", False):
            root.removeHandler(handler)
    handler: logging.Handler
    if on:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.setLevel(logging.WARNING)
        if root.level > logging.WARNING or root.level == logging.NOTSET:
            root.setLevel(logging.WARNING)
        warnings.simplefilter("default")
    else:
        handler = logging.NullHandler()
        warnings.simplefilter("ignore")
    handler._referat = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _configured = on
