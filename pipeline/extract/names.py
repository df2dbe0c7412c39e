"""Person names inside running text, told apart from titles, bodies and ordinary words.

A regular expression (the ``{NAME}`` fragment) finds runs of capitalised
words; this module decides which part of such a run is a person's name: it
starts at a known given name (``models/lexicons/given_names.txt``), so
"Formand Torben Schødt" is Torben Schødt and "Regionsrådet" is nobody, and it
stops before a title or an organisation word ("Mads Thisted Skanska Bolig" is
Mads Thisted when "Skanska" is not a name word).  A given name standing alone
("Karen") is a name only where the caller's context says so.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import Lexicon

_SPLIT = re.compile(r"\s*(?:,|\bog\b|&)\s*")


def name_in(text: str, lex: Lexicon, particles: frozenset[str], alone: bool = False) -> str | None:
    """The person's name inside ``text`` (a run of capitalised words), or None.

    The name starts at the first known given name; words after it belong to
    it while they are capitalised name words (or particles such as "van")
    and not a title, organisation or function word ("På", "Til"), nor hold a digit (OCR noise).  A given name alone counts only
    with ``alone``.
    """
    tokens = text.strip(" .,;:").split()
    start = next((i for i, t in enumerate(tokens) if lex.is_given_name(t) and t[:1].isupper()), None)
    if start is None:
        return None
    out = [tokens[start]]
    for t in tokens[start + 1:]:
        core = t.strip(".,;:")
        if core in particles:
            out.append(core)
            continue
        if not core[:1].isupper() or any(c.isdigit() for c in core) or core.casefold() in lex.function_words or lex.title_prefix(core) or lex.is_organisation(core) or core.casefold() in lex.organisation_words:
            break
        out.append(t.rstrip(",;:"))
    while out and out[-1] in particles:
        out.pop()
    if len(out) == 1 and not alone:
        return None
    return " ".join(out).rstrip(".") if not re.fullmatch(r"[A-ZÆØÅ]\.", out[-1]) else " ".join(out)


def names_in(text: str, lex: Lexicon, particles: frozenset[str], alone: bool = False) -> list[str]:
    """Every name in "A, B og C"."""
    out = []
    for part in _SPLIT.split(text):
        name = name_in(part, lex, particles, alone)
        if name:
            out.append(name)
    return out


def names_shaped(text: str, lex: Lexicon, particles: frozenset[str]) -> list[str]:
    """Names in "A, B og C" by their shape alone, for a context that says they are people (a list
    caption such as "Fraværende:"): two to four capitalised words (or particles), none of them a
    title, organisation or function word; the given name need not be a known one ("Evan Lynnerup")."""
    out = []
    for part in _SPLIT.split(text):
        tokens = part.strip(" .;:").split()
        if not 2 <= len(tokens) <= 4 or tokens[0] in particles or tokens[-1] in particles:
            continue
        if all(t in particles or (t[:1].isupper() and t[1:2].islower() and t.casefold() not in lex.function_words
                                  and not lex.title_prefix(t) and t.casefold() not in lex.organisation_words) for t in tokens):
            out.append(" ".join(tokens))
    return out


def name_by_surname(text: str, lex: Lexicon, particles: frozenset[str]) -> str | None:
    """``text`` as a whole is a person's name by its shape and a known surname, although its given
    name is not a known one ("Rosita Møller-Nielsen"): two to four capitalised name words (as
    ``names_shaped``) ending in a surname of the lexicon.  For a context that says someone acted
    (the subject of "fremlagde"), never for capitalised words in general."""
    shaped = names_shaped(text, lex, particles)
    if len(shaped) != 1 or shaped[0] != " ".join(text.strip(" .;:").split()):
        return None
    return shaped[0] if lex.is_surname(shaped[0].split()[-1]) else None


@lru_cache(maxsize=8)
def name_run(particles: frozenset[str], one_line: bool = True, alone: bool = False) -> re.Pattern:
    """A run of capitalised words, the rules' name particles ("van", "af") and initials inside running
    text (``one_line``: words on one line, so a name printed elsewhere is not read across a line break;
    ``alone``: a single capitalised word is a run too)."""
    gap = r"[ \t]+" if one_line else r"\s+"
    particle = "|".join(sorted(map(re.escape, particles), key=len, reverse=True))
    word = r"(?:[A-ZÆØÅ][\wæøåéüöä\-]*|[A-ZÆØÅ]\.)"
    more = f"(?:{gap}(?:(?:{particle}){gap})?{word})"
    return re.compile(rf"(?<![\wæøå])[A-ZÆØÅ][\wæøåéüöä\-]*{more}{'*' if alone else '+'}")


def names_printed(text: str, lex: Lexicon, particles: frozenset[str]) -> list[str]:
    """Every full name (a known given name and at least one more name word) in running text."""
    out = []
    for m in name_run(particles).finditer(text):
        name = name_in(m.group(0), lex, particles)
        if name:
            out.append(name)
    return out
