"""Normalising people: person keys, name variants, initials.

Within one meeting, "Lisbeth Lagoni" and "Lisbeth Kjær Lagoni" are the same
person when exactly one attendee fits (same first and last name, the shorter
name's words all in the longer one).  Across meetings ``people_index`` links
rows the same way, using the organisation to break ties.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by people_index only, not on every parse
    import pandas as pd



def name_tokens(name: str) -> list[str]:
    return list(_name_tokens(name))


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[str, ...]:
    """(cached: linking compares every name with every other)"""
    name = unicodedata.normalize("NFC", name)
    return tuple(t for t in re.split(r"[\s.]+", name.casefold()) if t)


def person_key(name: str) -> str:
    """Stable key of a written name: case-folded words, periods dropped."""
    return " ".join(name_tokens(name))


def is_variant(short: str, long: str) -> bool:
    """``short`` is ``long`` with middle names dropped (or the same name).

    "Lisbeth Lagoni" ~ "Lisbeth Kjær Lagoni"; "Anne Krøjer" ~ "Anne Krøjer
    Jacobsen" (a trailing surname dropped: first names equal, all words in
    order).  Initials ("Andreas K. Toft") match the full middle name.
    """
    a, b = _name_tokens(short), _name_tokens(long)
    if not a or not b or len(a) > len(b):
        return False
    if a == b:
        return True
    if a[0] != b[0] or len(a) < 2:
        return False
    # every word of the short form appears in order in the long form
    j = 0
    for tok in a:
        while j < len(b) and not (b[j] == tok or (len(tok) == 1 and b[j].startswith(tok))):
            j += 1
        if j == len(b):
            return False
        j += 1
    return True


def unique_variant(name: str, candidates: list[str]) -> tuple[str | None, list[str]]:
    """The one candidate ``name`` is a variant of (either direction), and all that fit."""
    fits = [c for c in candidates if is_variant(name, c) or is_variant(c, name)]
    exact = [c for c in fits if person_key(c) == person_key(name)]
    if exact:
        return exact[0], fits
    return (fits[0] if len(fits) == 1 else None), fits


def initials(name: str) -> str:
    return "".join(t[0] for t in re.split(r"[\s\-]+", name) if t and t[0].isalpha()).upper()


def resolve_initials(code: str, names: list[str]) -> tuple[str | None, list[str]]:
    """The one name whose initials are ``code`` ("IKA" -> "Inge Kjær Andersen")."""
    code = code.strip(" .,").upper()
    fits = sorted({n for n in names if initials(n) == code})
    return (fits[0] if len(fits) == 1 else None), fits


def people_index(people: "pd.DataFrame") -> "pd.DataFrame":
    """Link the same person across documents.

    Input: a ``people`` table.  Output: one row per (doc_id, person_key) with
    ``global_key``: the fullest name variant that unambiguously covers the
    others (and shares the organisation when two candidates fit).  So
    "how often did X send afbud" is a group-by on ``global_key``.
    """
    import pandas as pd

    if people.empty:
        return people.assign(global_key=pd.Series(dtype="string"))
    rows = people[["doc_id", "name", "person_key", "organisation", "attendance"]].copy()
    names = sorted(set(rows["name"]), key=lambda n: (-len(name_tokens(n)), n))
    orgs_by_name: dict[str, set[str]] = defaultdict(set)
    for n, o in zip(rows["name"], rows["organisation"]):
        if isinstance(o, str) and o:
            orgs_by_name[n].add(o.casefold())
    canonical: dict[str, str] = {}
    for n in names:
        longer = [m for m in names if m != n and len(name_tokens(m)) > len(name_tokens(n)) and is_variant(n, m)]
        if len(longer) > 1 and orgs_by_name.get(n):
            longer = [m for m in longer if orgs_by_name.get(m, set()) & orgs_by_name[n]] or longer
        roots = {canonical.get(m, m) for m in longer}
        canonical[n] = roots.pop() if len(roots) == 1 else n
    rows["global_key"] = rows["name"].map(lambda n: person_key(canonical[n]))
    return rows
