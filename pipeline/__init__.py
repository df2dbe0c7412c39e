"""referat: Danish meeting minutes (referater) to queryable tables.

The Python API (docs/api.md):

- ``pipeline.parse(path, **options)``: one file parsed in this process, a
  ``Parsed`` with ``.tables`` (pandas DataFrames with the schema's dtypes),
  ``.diagnostics``, ``.status`` and ``.doc_id`` (``pipeline.api.parse``);
- ``pipeline.open_dataset(folder)``: the dataset ``referat ingest`` wrote, as
  DataFrames, SQL and reports.

``import pipeline`` loads neither: pandas, pyarrow, DuckDB and spaCy are
imported on first use.  ``pipeline.parse`` is the parser's module
(``from pipeline.parse import parse_document`` as before), and calling it
parses a file.
"""

__version__ = "0.3.0"

__all__ = ["Parsed", "__version__", "open_dataset", "parse"]


def __getattr__(name: str):
    """``parse``, ``open_dataset`` and ``Parsed``, imported when first asked for."""
    if name == "parse":
        import importlib

        return importlib.import_module(".parse", __name__)  # callable: see pipeline/parse.py
    if name == "open_dataset":
        from .dataset import open_dataset

        return open_dataset
    if name == "Parsed":
        from .parsed import Parsed

        return Parsed
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
