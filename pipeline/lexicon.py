"""The project's word lists in ``models/lexicons`` (see ``models/README.md``).

Loaded once per process.  ``MODELS_DIR`` can be overridden with the
``REFERAT_MODELS`` environment variable (tests use this to prove the files,
not code, drive the behaviour).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = Path(os.environ.get("REFERAT_MODELS", PACKAGE_ROOT / "models"))


def models_dir() -> Path:
    return Path(os.environ.get("REFERAT_MODELS", MODELS_DIR))


def read_list(path: Path) -> list[str]:
    """Entries of a one-per-line list; ``#`` lines and blanks are skipped."""
    if not path.exists():
        raise FileNotFoundError(f"lexicon missing: {path} (is the models/ folder installed?)")
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        s = raw.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return out


def read_json(name: str):
    return json.loads((models_dir() / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Lexicon:
    given_names: frozenset[str]  # casefolded
    surnames: frozenset[str]  # casefolded
    titles: tuple[str, ...]  # casefolded, longest first
    title_words: frozenset[str]  # casefolded single-word titles and title heads
    organisations: tuple[str, ...]  # as written, longest first
    organisation_folded: frozenset[str]
    organisation_words: frozenset[str]  # casefolded

    def is_given_name(self, token: str) -> bool:
        t = token.strip(".,;:()").casefold()
        if not t:
            return False
        if t in self.given_names:
            return True
        # double names "Anne-Marie" when both parts are names
        parts = t.split("-")
        return len(parts) > 1 and all(p in self.given_names for p in parts)

    def title_prefix(self, text: str) -> str | None:
        """The longest title at the start of ``text`` (as written), or None."""
        folded = text.casefold()
        for title in self.titles:
            if folded.startswith(title) and (len(folded) == len(title) or not folded[len(title)].isalnum()):
                return text[: len(title)]
        return None

    def org_prefix(self, text: str) -> str | None:
        folded = text.casefold()
        for org in self.organisations:
            f = org.casefold()
            if folded.startswith(f) and (len(folded) == len(f) or not folded[len(f)].isalnum()):
                return text[: len(org)]
        return None

    def is_organisation(self, text: str) -> bool:
        """A known organisation, or a phrase headed or ended by an organisation word."""
        t = text.strip().strip(".,")
        if not t:
            return False
        if t.casefold() in self.organisation_folded:
            return True
        words = t.split()
        first, last = words[0].casefold(), words[-1].casefold()
        return (first in self.organisation_words and t[0].isupper()) or (last in self.organisation_words and t[0].isupper())


@lru_cache(maxsize=4)
def _load(root: str) -> Lexicon:
    base = Path(root) / "lexicons"
    titles = [t.casefold() for t in read_list(base / "titles.txt")]
    orgs = read_list(base / "organisations.txt")
    return Lexicon(
        given_names=frozenset(n.casefold() for n in read_list(base / "given_names.txt")),
        surnames=frozenset(n.casefold() for n in read_list(base / "surnames.txt")),
        titles=tuple(sorted(set(titles), key=len, reverse=True)),
        title_words=frozenset(t for t in titles if " " not in t),
        organisations=tuple(sorted(set(orgs), key=len, reverse=True)),
        organisation_folded=frozenset(o.casefold() for o in orgs),
        organisation_words=frozenset(w.casefold() for w in read_list(base / "organisation_words.txt")),
    )


def lexicon() -> Lexicon:
    return _load(str(models_dir()))
