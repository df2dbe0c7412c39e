"""The lookup lemmas of the blank backend, read word by word from an index on disk.

spaCy's lookup lemmatizer loads all of spacy-lookups-data's Danish table
(553 000 entries) into memory before the first word: 1.3 s and about 250 MB
in every process, for the few hundred words of a page.  Here the table is
turned, once per machine, into a SQLite file in the cache folder (only the
entries whose lemma differs from the word: a missing word is its own lemma,
as in spaCy's lookup), and each process looks up the words it meets.  The
lemmas are exactly spaCy's: ``LemmaTable.get`` answers as spaCy's ``Table``
does, and the backend hands the table to spaCy's own ``Lemmatizer``.

The cache folder is ``REFERAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/referat``,
else ``~/.cache/referat``.  The index is written to a temporary name and
renamed, so processes that build it at the same time never see half a file.
When the folder cannot be written, ``lemma_table`` returns None and the
backend falls back to spaCy's in-memory table.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

#: bumped when the index's layout changes
FORMAT = 1


def cache_dir() -> Path:
    """Where files built once per machine are kept."""
    env = os.environ.get("REFERAT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "referat"


def _source(lang: str) -> tuple[Path, Path, str]:
    """The lemma_lookup file of spacy-lookups-data for ``lang`` as named (for spaCy's reader),
    the file that exists (``.json`` or ``.json.gz``), and the package version."""
    import spacy_lookups_data  # small: a table of file names

    named = Path(str(getattr(spacy_lookups_data, lang)["lemma_lookup"]))
    stored = named if named.exists() else named.with_name(named.name + ".gz")
    return named, stored, spacy_lookups_data.__version__


def index_path(lang: str = "da") -> Path:
    """The index file for ``lang``: named by the source's version and size, so a new table gets a new file."""
    _, stored, version = _source(lang)
    return cache_dir() / f"lemma_lookup-{lang}-{version}-{stored.stat().st_size}-v{FORMAT}.sqlite"


def build_index(lang: str, target: Path) -> None:
    """Write the index of ``lang``'s lookup table to ``target`` (atomically)."""
    from .spacy_import import spacy  # noqa: F401 - first: spaCy without its command line
    from spacy.util import load_language_data

    named, _, _ = _source(lang)
    table = load_language_data(named)  # spaCy's reader: .json or .json.gz
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("pragma journal_mode = off")
            con.execute("pragma synchronous = off")
            con.execute("create table lemma (form text primary key, lemma text not null) without rowid")
            con.executemany("insert into lemma values (?, ?)", sorted((k, v) for k, v in table.items() if k != v))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class LemmaTable:
    """A lookup table answered from the index: ``get(word, default)`` as spaCy's ``Table.get``.

    Words already looked up are kept in memory; the connection is read-only
    and shared by the threads of one process.
    """

    def __init__(self, path: Path):
        self.path = path
        self._con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._seen: dict[str, str | None] = {}
        self.get("og")  # a file that is no index fails here, not on the first document

    def get(self, word: str, default=None):
        try:
            lemma = self._seen[word]
        except KeyError:
            with self._lock:
                row = self._con.execute("select lemma from lemma where form = ?", (word,)).fetchone()
            lemma = self._seen[word] = row[0] if row else None
        return default if lemma is None else lemma

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __repr__(self) -> str:
        return f"LemmaTable({str(self.path)!r})"


def lemma_table(lang: str = "da") -> LemmaTable | None:
    """The lookup table of ``lang`` from its index, built first if needed; None when that cannot be done."""
    try:
        path = index_path(lang)
    except (ImportError, AttributeError, KeyError, OSError):  # no spacy-lookups-data table for lang
        return None
    for attempt in range(2):
        try:
            if attempt or not path.exists():
                build_index(lang, path)
            return LemmaTable(path)
        except (OSError, sqlite3.Error):
            if not path.exists():
                return None  # the cache folder cannot be written
            # else a damaged index (a disk that filled up while it was written elsewhere): built once more
    return None
