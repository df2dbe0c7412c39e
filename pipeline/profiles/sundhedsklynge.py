"""Word-made minutes of the Danish sundhedsklynger (the two seed referater).

Numbered bold headings with a time slot ("2. Godkendelse … – kl. 17.10 – 17.15")
or a presenter ("3. Status … ved Lotte Holt Worup"); "Det indstilles" followed
by numbered points or "At …" lines; minutes after "Referat:" or, in the
styregruppe variant, directly after the recommendation; "Bilag:" bullets;
sign-off "Således opfattet IKA / Godkendt af SA og LKL"; the header may be a
two-column box (Emne / Deltagere / Mødedato / Tid og sted) that text
extraction can drop into the middle of an item.
"""

import re

from .base import GENERIC

PROFILE = GENERIC.evolve(
    name="sundhedsklynge",
    description=__doc__.strip().splitlines()[0],
    signals=(
        (re.compile(r"sundhedsklynge", re.I), 2.0),
        (re.compile(r"klyngestyregruppe|styregruppe klynge", re.I), 2.0),
        (re.compile(r"^det indstilles", re.I), 1.0),
        (re.compile(r"^således opfattet", re.I), 1.0),
        (re.compile(r"– kl\. \d{1,2}\.\d{2} –", re.I), 1.0),
    ),
)
