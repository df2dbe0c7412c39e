"""Warnings and log records of the PDF libraries, captured while a file loads.

pdfminer reports damage it worked around ("Data-loss while decompressing
corrupted data", an unknown token in a content stream, a font it could not
read) through ``logging``; other libraries use ``warnings``.  Unhandled, these
go to stderr, where nobody connects them to a document.  ``Captured`` takes
them for the duration of a load, notes the page being read when each came,
and turns them into short, deduplicated, capped messages for ``diagnostics``.
Nothing is printed, unless ``-v/--verbose`` asks for the libraries' output
(``pipeline.logs``): then each record and warning is also shown.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from dataclasses import dataclass, field

from ..logs import verbose

#: loggers whose records are captured (and kept from stderr) while a file loads
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "pypdfium2", "pikepdf", "PIL")
#: distinct messages reported per file; the rest are counted
MAX_MESSAGES = 20
#: distinct messages held while a file loads (a flood of distinct texts is only counted)
MAX_HELD = 1000
#: characters kept of one message
MAX_MESSAGE_CHARS = 200


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """One line of at most ``limit`` characters (whitespace runs collapsed, an ellipsis where cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Message:
    """One captured warning or log record: where it came from and what it said."""

    source: str  # the logger's name, or the warning's category
    level: str  # "warning" or "error"
    text: str
    page: int | None  # the page being read, None while the file was opened
    logged: bool = True  # a log record of a PDF library (not a Python warning, which may come late, from anywhere)


@dataclass
class Captured:
    """A context manager that captures library warnings and log records (see the module docstring).

    ``page`` is set by the loader to the page it is reading; each message
    records it.  Records are deduplicated by their source, their message
    template and the page, so a flood of one kind costs one entry.  Python's
    warning filters are process-wide: loads run one at a time in a worker
    process or the command's own process.
    """

    secret: str | None = None  # a text never to repeat (the file's path)
    page: int | None = None
    _first: dict = field(default_factory=dict)  # key -> first Message
    counts: Counter = field(default_factory=Counter)  # key -> how many came
    overflow: int = 0  # distinct messages beyond MAX_HELD, not held
    _by_page: dict = field(default_factory=dict)  # page -> its log records' Messages
    _saved: list = field(default_factory=list)
    _show: bool = False  # also print what is captured (-v)
    _showwarning: object = None  # how warnings were shown before

    def __enter__(self) -> "Captured":
        handler = _Handler(self)
        self._show = verbose()  # -v: captured and shown as well (pipeline.logs)
        for name in LIBRARY_LOGGERS:
            log = logging.getLogger(name)
            self._saved.append((log, log.level, log.propagate))
            log.addHandler(handler)
            log.propagate = self._show
            if log.getEffectiveLevel() < logging.WARNING:
                log.setLevel(logging.WARNING)  # debug records of every token are not built at all
        self._handler = handler
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)  # files the garbage collector closes: not the document's doing
        self._showwarning = warnings.showwarning
        warnings.showwarning = self._on_warning
        return self

    def __exit__(self, *exc) -> None:
        self._warnings.__exit__(*exc)
        for log, level, propagate in self._saved:
            log.removeHandler(self._handler)
            log.setLevel(level)
            log.propagate = propagate
        self._saved.clear()

    def add(self, source: str, level: str, template: str, text, logged: bool = True) -> None:
        """Count one record; its text (a string, or a callable making it) is kept the first time only."""
        key = (source, template, self.page)
        if key not in self._first:
            if len(self._first) >= MAX_HELD:
                self.overflow += 1
                return
            raw = text() if callable(text) else text
            if self.secret:
                raw = str(raw).replace(self.secret, "<file>")
            message = Message(source, level, shorten(raw), self.page, logged)
            self._first[key] = message
            if logged and self.page is not None:
                self._by_page.setdefault(self.page, []).append(message)
        self.counts[key] += 1

    def on_page(self, page: int) -> list[Message]:
        """The distinct log records of the PDF libraries captured while ``page`` was read."""
        return list(self._by_page.get(page, []))

    def messages(self) -> list[tuple[Message, int]]:
        """Distinct messages with how often each came, at most ``MAX_MESSAGES``, in the order they came."""
        return [(m, self.counts[k]) for k, m in list(self._first.items())[:MAX_MESSAGES]]

    @property
    def dropped(self) -> int:
        """Distinct messages not in ``messages()``."""
        return max(0, len(self._first) - MAX_MESSAGES) + self.overflow

    def unplaced(self) -> tuple[list[tuple[Message, int]], int]:
        """Messages not tied to a page's reading (those of opening the file, Python warnings):
        at most ``MAX_MESSAGES`` with their counts, and how many more there were."""
        found = [(m, self.counts[k]) for k, m in self._first.items() if m.page is None or not m.logged]
        return found[:MAX_MESSAGES], max(0, len(found) - MAX_MESSAGES) + self.overflow

    def _on_warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        self.add(category.__name__, "warning", str(message), str(message), logged=False)
        if self._show:
            self._showwarning(message, category, filename, lineno, file, line)


class _Handler(logging.Handler):
    def __init__(self, sink: Captured):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        level = "error" if record.levelno >= logging.ERROR else "warning"
        self.sink.add(record.name, level, str(record.msg), lambda: _format(record))


def _format(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose arguments do not format
        return str(record.msg)
