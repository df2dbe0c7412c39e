"""The ``referat`` command (and ``python -m pipeline``).

``referat show`` and ``referat inspect`` parse their document in a guarded
child process, which spends most of a second importing spaCy and building
the NLP backend.  It is started here, before the CLI's own modules are
imported, so that both start-ups run at the same time (``guard.prestart``).
"""

from __future__ import annotations

import sys


def main() -> None:
    from .guard import prestart

    prestart(sys.argv[1:])
    from .cli import run

    run()
