"""The Python API: ``pipeline.parse`` for one file, ``pipeline.open_dataset`` for a dataset.

Both are exported by the package, which imports nothing heavy itself:
pandas, pyarrow, spaCy and the PDF libraries load on the first call.

>>> import pipeline
>>> doc = pipeline.parse("data/raw/styregruppe_klynge_syd_2022-05-06.txt")
>>> doc.status
'ok'
>>> sorted((name, len(frame)) for name, frame in doc.tables.items() if len(frame))
[('agenda_items', 8), ('decisions', 8), ('diagnostics', 8), ('documents', 1), ('meetings', 1), ('mentions', 21), ('people', 17)]
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported: `import pipeline` stays a few milliseconds
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable
    from pathlib import Path

    from .parsed import Parsed


def parse(
    path: str | Path,
    *,
    model: str | None = None,
    password: str | None = None,
    profile: str | None = None,
    ocr: bool = False,
    pages: str | int | Iterable[int] | None = None,
) -> Parsed:
    """Parse one referat (PDF, text or Markdown) in this process and return its tables.

    Nothing is written.  A document that cannot be read does not raise: its
    ``status`` is ``failed``, ``documents.error`` says why and
    ``diagnostics`` has the error, as ``referat ingest`` records it.

    Options: ``model``, the spaCy pipeline (default ``da_core_news_sm`` when
    installed, else ``REFERAT_SPACY_MODEL``; ``"blank"`` for the rules only);
    ``password`` for an encrypted PDF; ``profile``, a template profile by
    name instead of the one detected; ``ocr=True`` reads image-only pages
    with tesseract; ``pages`` (``"2-3,5"``, ``4`` or page numbers) reads only
    those pages, and every page number in the tables stays the page's number
    in the document (a text file's pages are separated by form feeds).

    The result's ``tables`` are pandas DataFrames, one per table of the
    schema (docs/schema.md), every column with its declared type as a pandas
    Arrow dtype (as ``open_dataset`` gives them):

    >>> import pipeline
    >>> doc = pipeline.parse("data/raw/styregruppe_klynge_syd_2022-05-06.txt")
    >>> doc.tables["meetings"][["body", "meeting_no", "meeting_date", "start_time"]]
                         body  meeting_no meeting_date start_time
    0  Styregruppe Klynge Syd           2   2022-05-06      14:30
    >>> people = doc.tables["people"]
    >>> people[["name", "attendance", "page", "line"]].head(3)
                        name attendance  page  line
    0    Lisbeth Kjær Lagoni    present     1    47
    1  Eva Sejersdal Knudsen    present     1    49
    2       Charlotte Larsen    present     1    51
    >>> people.dtypes[["attendance", "items", "page"]]
    attendance               string[pyarrow]
    items         list<item: int32>[pyarrow]
    page                     int32[pyarrow]
    dtype: object

    ``diagnostics`` says what was repaired, inferred or could not be read:

    >>> for d in doc.diagnostics.itertuples():
    ...     if d.stage.startswith("extract"):
    ...         print(d.severity, d.page, d.message)
    info 1 body Styregruppe Klynge Syd: the subject of the header box
    info 1 meeting_date 2022-05-06: day and month from 'Fredag den 6.maj', year from the subject 'Møde 2, 2022 Styregruppe Klynge Syd' (the weekday agrees)

    A file that cannot be read is a failed document, not an exception:

    >>> bad = pipeline.parse("README.md.pdf")
    >>> bad.status, bad.tables["documents"].loc[0, "error"]
    ('failed', 'cannot read file: No such file or directory')
    """
    from .pages import parse_pages
    from .parse import parse_document  # lazy: the parser's libraries load on the first parse

    selected = None if pages is None else parse_pages(pages)
    return parse_document(path, model=model, password=password, profile_name=profile, ocr=ocr, pages=selected)
