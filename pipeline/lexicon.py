"""The project's word lists in ``models/lexicons`` (see ``models/README.md``).

Loaded once per process.  Where the ``models`` folder is found, in order:
the ``REFERAT_MODELS`` environment variable (tests use it to prove that the
files, not code, drive the behaviour); ``pipeline/models`` inside an
installed wheel, found through ``importlib.resources``; the top-level
``models/`` folder of a source checkout (also what an editable install reads).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path


class ModelsNotFound(FileNotFoundError):
    """Neither an installed ``pipeline/models`` nor a checkout's ``models/`` exists."""


@lru_cache(maxsize=1)
def _installed_models() -> Path:
    packaged = resources.files("pipeline") / "models"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "models"
    if checkout.is_dir():
        return checkout
    raise ModelsNotFound(f"the models folder is missing: looked for {packaged} (installed wheel) and {checkout} (source checkout)")


def models_dir() -> Path:
    """The folder holding ``lexicons/``, ``rules/`` and ``nlp.cfg``."""
    env = os.environ.get("REFERAT_MODELS")
    return Path(env) if env else _installed_models()


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
    function_words: frozenset[str] = frozenset()  # casefolded: never part of a name

    def is_given_name(self, token: str) -> bool:
        t = token.strip(".,;:()").casefold()
        if not t:
            return False
        if t in self.given_names:
            return True
        # double names "Anne-Marie" when both parts are names
        parts = t.split("-")
        return len(parts) > 1 and all(p in self.given_names for p in parts)

    def is_surname(self, token: str) -> bool:
        """A known surname, or a double surname ("Møller-Nielsen") with a known part."""
        t = token.strip(".,;:()").casefold()
        return bool(t) and (t in self.surnames or any(p in self.surnames for p in t.split("-") if p))

    @cached_property
    def _titles_by_head(self) -> dict[str, tuple[str, ...]]:
        """Titles by their first word, longest first (what ``title_prefix`` looks up)."""
        out: dict[str, list[str]] = {}
        for title in self.titles:
            out.setdefault(title.split()[0], []).append(title)
        return {k: tuple(v) for k, v in out.items()}

    def title_prefix(self, text: str) -> str | None:
        """The longest title at the start of ``text`` (as written), or None."""
        folded = text.casefold()
        head = folded.split(maxsplit=1)[0] if folded.strip() else ""
        # a title's first word is the text's first word, or a part of it that ends before a
        # character that is no letter or digit ("formand," "ac-fuldmægtig")
        heads = {head} | {head[:i] for i, c in enumerate(head) if not c.isalnum()}
        candidates = sorted((t for h in heads for t in self._titles_by_head.get(h, ())), key=len, reverse=True)
        for title in candidates:
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
        function_words=frozenset(w.casefold() for w in read_list(base / "function_words.txt")),
    )


def lexicon() -> Lexicon:
    return _load(str(models_dir()))
