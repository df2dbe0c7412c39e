"""Template profiles and their detection.

``PROFILES`` lists every family; ``detect`` scores each on the first lines of
a document.  A document no family claims gets ``GENERIC`` and a diagnostic.
"""

from __future__ import annotations

from ..records import Line
from .base import GENERIC, Profile
from .sundhedsklynge import PROFILE as SUNDHEDSKLYNGE

PROFILES: tuple[Profile, ...] = (SUNDHEDSKLYNGE,)

#: how many lines detection reads
DETECT_LINES = 400
#: a profile needs at least this score to be chosen over the generic rules
MIN_SCORE = 2.0


def detect(lines: list[Line]) -> tuple[Profile, float]:
    texts = [ln.text for ln in lines[:DETECT_LINES]]
    best, best_score = GENERIC, 0.0
    for profile in PROFILES:
        score = 0.0
        for pattern, weight in profile.signals:
            if any(pattern.search(t) for t in texts):
                score += weight
        if score > best_score:
            best, best_score = profile, score
    if best_score < MIN_SCORE:
        return GENERIC, best_score
    return best, best_score


def by_name(name: str) -> Profile:
    for p in (*PROFILES, GENERIC):
        if p.name == name:
            return p
    raise KeyError(name)


__all__ = ["GENERIC", "PROFILES", "Profile", "by_name", "detect"]
