"""Defaults that the CLI shows in its help, importable without the modules that use them
(``pipeline.ingest`` imports the parser and pyarrow, which ``referat --help`` must not load)."""

#: documents written together by ``ingest`` (one Parquet file per table per batch)
DEFAULT_BATCH = 32
