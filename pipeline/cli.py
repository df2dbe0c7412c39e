"""Command line: ``referat ingest``, ``referat show``.

Text from documents is untrusted: everything printed from a document goes
through ``safe`` (control characters removed, rich markup escaped).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .guard import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from .defaults import DEFAULT_BATCH

app = typer.Typer(
    name="referat",
    help="Turn Danish meeting minutes (referater) from PDF or text into Parquet tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
#: piped output is not cut to 80 columns
console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_VERBOSE_HELP = "Show what the PDF, NLP and Dask libraries log (kept off the terminal otherwise; what concerns a document is in its diagnostics either way)."

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(value) -> str:
    """Document text made harmless for a terminal."""
    if value is None:
        return ""
    return escape(_CONTROL.sub("", str(value)))


def _version(value: bool) -> None:
    if value:
        console.print(f"referat {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """referat: Danish minutes to tables."""


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (searched recursively for .pdf/.txt/.md) or glob patterns."),
    out: Path = typer.Option(Path("data/parsed"), "--data", "--out", "-o", help="The dataset folder the Parquet tables are written to."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes (0 = all cores)."),
    force: bool = typer.Option(False, "--force", help="Re-parse documents that are already in the output."),
    model: str = typer.Option(None, "--model", help="spaCy pipeline to use when installed (default da_core_news_sm; a path works; 'blank' for rules only)."),
    password: str = typer.Option(None, "--password", help="Password for encrypted PDFs."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=1, help="Seconds one document may take before it is failed."),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", min=0, help="Address-space cap per worker in MB (0 = none)."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask; default: a local cluster)."),
    ocr: bool = typer.Option(False, "--ocr", help="Read image-only pages with tesseract (apt-get install tesseract-ocr-dan)."),
    batch: int = typer.Option(DEFAULT_BATCH, "--batch", min=1, help="Documents written together (one Parquet file per table); a kill loses at most one batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_VERBOSE_HELP),
) -> None:
    """Parse documents into the Parquet dataset at --data."""
    _library_output(verbose)
    from .ingest import ENGINES, Options, expand, ingest as run
    from .nlp import BLANK_BACKEND, model_notice

    if engine not in ENGINES:
        err.print(f"[red]error:[/red] --engine must be local or dask, not {safe(engine)}")
        raise typer.Exit(2)
    listing = expand(paths)
    if not listing.files:
        _no_documents(paths, listing)
    _check_dataset_folder(out)
    notice = model_notice(model)
    # the configured model's absence is told once per dataset: until a document parsed on the fallback is in it;
    # a model asked for with --model, every time
    if notice and not quiet and (model is not None or not _recorded_backend(out, BLANK_BACKEND)):
        err.print(f"[yellow]notice:[/yellow] {safe(notice)}")
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]} pages · {task.fields[rate]} · {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
        transient=False,
    )
    state = {"pages": 0, "failed": 0}
    started = time.perf_counter()
    opts = Options(workers=workers, force=force, model=model, password=password, timeout=timeout, max_memory_mb=max_memory, engine=engine, scheduler=scheduler, ocr=ocr, batch=batch)
    try:
        with progress:
            task = progress.add_task("ingest", total=len(listing.files), pages=0, failed=0, rate="")

            def on_event(event) -> None:
                """Each failure and skipped entry printed once, as it happens; the bar advanced."""
                if event.kind in ("failed", "missing"):
                    state["failed"] += 1
                    progress.console.print(f"[red]failed:[/red] {safe(event.path)}: {safe(event.reason)}")
                elif event.kind == "ignored":
                    progress.console.print(f"[yellow]skipped:[/yellow] {safe(event.path)}: {safe(event.reason)}")
                if event.kind in ("missing", "ignored"):
                    return
                state["pages"] += event.pages
                rate = f"{state['pages'] / max(time.perf_counter() - started, 1e-6):.1f} pages/s"
                progress.update(task, advance=1, pages=state["pages"], failed=state["failed"], rate=rate)

            summary = run(paths, out, opts, on_event=on_event, listing=listing)
    except RuntimeError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:  # a second Ctrl-C while the first was being handled
        err.print("interrupted: run the same command again to resume")
        raise typer.Exit(130) from None
    if summary.interrupted:
        err.print(f"interrupted: {summary.committed} documents committed, run the same command again to resume")
        raise typer.Exit(130)
    if not quiet:
        _print_summary(summary, out)
    raise typer.Exit(summary.exit_code)


def _library_output(verbose: bool) -> None:
    """Library log records and warnings on the terminal only with -v, here and in every child process."""
    from .logs import set_verbose

    set_verbose(verbose)


def _recorded_backend(out: Path, name: str) -> bool:
    """Whether a document of the dataset at ``out`` was parsed with the NLP backend ``name`` (``documents.nlp_model``)."""
    from .store import COMMIT_TABLE, read_table

    try:
        return name in read_table(out, COMMIT_TABLE, check_commit=False).column("nlp_model").to_pylist()
    except Exception:  # noqa: BLE001 - a dataset that cannot be read: the notice once too many is harmless
        return False


def _no_documents(paths: list[str], listing) -> None:
    """Nothing to ingest: each argument that names nothing on a line, then which folders and
    patterns were searched in vain; exit code 2."""
    from .ingest import SUFFIXES

    for p, why in listing.missing:
        err.print(f"[red]error:[/red] {safe(p)}: {safe(why)}")
    for p, why in listing.ignored:
        err.print(f"[yellow]skipped:[/yellow] {safe(p)}: {safe(why)}")
    missing = {str(p) for p, _ in listing.missing}
    searched = [p for p in paths if str(Path(p)) not in missing]
    if searched:
        *first, last = sorted(SUFFIXES, key=lambda s: (s != ".pdf", s))
        kinds = f"{', '.join(first)} or {last}"
        where = ", ".join(safe(p) for p in searched)
        err.print(f"[red]error:[/red] no document to ingest: no {kinds} file in {where} (folders are searched recursively; names starting with a dot are left out)")
    raise typer.Exit(2)


def _check_dataset_folder(out: Path) -> None:
    """The dataset folder exists (it is created) and can be written to; else one line on stderr and exit code 2."""
    import tempfile  # lazy: only ingest writes

    if out.exists() and not out.is_dir():
        err.print(f"[red]error:[/red] {safe(out)}: is a file; --data names the folder the dataset is written to")
        raise typer.Exit(2)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err.print(f"[red]error:[/red] {safe(out)}: cannot create the dataset folder: {safe(_reason(exc, out))}")
        raise typer.Exit(2) from None
    try:
        fd, probe = tempfile.mkstemp(dir=out, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        err.print(f"[red]error:[/red] {safe(out)}: cannot write to the dataset folder: {safe(_reason(exc))}")
        raise typer.Exit(2) from None


def _reason(exc: OSError, path: Path | None = None) -> str:
    """An OSError as a short lower-case phrase ("permission denied", "read-only file system");
    "x is a file" when a folder on the way to ``path`` is a file."""
    blocker = next((a for a in path.parents if a.exists() and not a.is_dir()), None) if path is not None else None
    return f"{blocker} is a file" if blocker is not None else (exc.strerror or type(exc).__name__).lower()


def _print_summary(summary, out: Path) -> None:
    """The tables printed after an ingest (failures were printed as they happened)."""
    t = Table(title=f"referat {__version__} → {safe(out)} in {summary.seconds:.1f} s", show_header=True)
    t.add_column("documents")
    t.add_column("count", justify="right")
    t.add_row("parsed", str(summary.parsed))
    t.add_row("  ok", str(summary.ok))
    t.add_row("  partial", str(summary.partial))
    t.add_row("  failed", str(len(summary.failed)))
    t.add_row("skipped (unchanged)", str(summary.skipped))
    t.add_row("pages parsed", str(summary.pages))
    console.print(t)
    if summary.recovered:
        console.print("recovered from an interrupted run: " + ", ".join(f"{v} {k}" for k, v in summary.recovered.items()))
    if summary.parsed == 0 and summary.skipped:
        console.print("nothing to do: every document is already in the dataset (use --force to re-parse)")
    if summary.rows:
        rt = Table(title="rows written", show_header=True)
        rt.add_column("table")
        rt.add_column("rows", justify="right")
        for name, n in summary.rows.items():
            rt.add_row(name, str(n))
        console.print(rt)
    if summary.failed:
        console.print(f"{len(summary.failed)} input(s) failed (each named above, and in the documents table when it has a row)")


@app.command()
def compact(
    out: Path = typer.Option(Path("data/parsed"), "--data", "--out", "-o", help="The dataset folder."),
) -> None:
    """Merge each table's per-document files into one file (rows unchanged)."""
    from .query import NotADatasetError, check_dataset
    from .store import compact as run

    try:
        check_dataset(out)
    except NotADatasetError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(2) from None
    result = run(out)
    t = Table(title=f"compacted {safe(out)}")
    t.add_column("table")
    t.add_column("files before", justify="right")
    t.add_column("after", justify="right")
    for name, (a, b) in result.items():
        t.add_row(name, str(a), str(b))
    console.print(t)


def _parse_one(file: Path, op: str, model: str | None, password: str | None, ocr: bool, timeout: float, max_memory: int,
               pages: tuple[int, ...] | None = None):
    """Parse one file for show/inspect in a guarded child (time limit, memory cap): the Outcome.

    A missing file is a usage error; anything else that goes wrong (a FIFO,
    a timeout, the cap) is a failed document, as ``ingest`` records it.
    """
    from .guard import Request, guarded, path_id

    if not file.exists():
        err.print(f"[red]error:[/red] {safe(file)}: file not found")
        raise typer.Exit(2)
    outcome = guarded(Request(op, str(file), password, ocr, pages), model, max_memory, timeout)
    if outcome.error is None:
        return outcome.value
    from .parse import failed_document  # lazy: the parser's module, only for a document that failed here

    failed = failed_document(file, path_id(file), outcome.error, time.perf_counter() - outcome.seconds)
    return failed if op == "parse" else (failed, None)


SHOW_FORMATS = ("table", "json", "csv")


@app.command()
def show(
    file: Path = typer.Argument(..., help="A PDF or text referat."),
    fmt: str = typer.Option("table", "--format", "-f", help="table: what was extracted, as tables on the terminal; "
                            "json: one object, table name -> list of rows (every column); csv: the rows of the table named by --table, one header line."),
    table: str = typer.Option(None, "--table", "-t", help="Only this table (documents, meetings, people, agenda_items, decisions, amounts, mentions, votes, diagnostics), "
                              "with every column; needed for --format csv."),
    pages: str = typer.Option(None, "--pages", "-p", help="Read only these pages: N, N-M or a list (1,3-5); other pages of a PDF are not parsed, "
                              "a text file's pages are separated by form feeds. Page numbers in the output stay those of the document."),
    model: str = typer.Option(None, "--model", help="spaCy pipeline to use when installed."),
    password: str = typer.Option(None, "--password", help="Password for encrypted PDFs."),
    ocr: bool = typer.Option(False, "--ocr", help="Read image-only pages with tesseract."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=1, help="Seconds the document may take before it is failed."),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", min=0, help="Address-space cap of the parsing process in MB (0 = none)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_VERBOSE_HELP),
) -> None:
    """Parse one document and print what was extracted (nothing is written)."""
    _library_output(verbose)
    if fmt not in SHOW_FORMATS:
        _usage(f"--format must be one of {', '.join(SHOW_FORMATS)}, not {fmt}")
    if table is not None:
        from .tables import TABLES  # lazy: pyarrow, only when a table is named

        if table not in TABLES:
            _usage(f"--table must be one of {', '.join(TABLES)}, not {table}")
    elif fmt == "csv":
        _usage("--format csv prints one table: name it with --table (e.g. --table people)")
    selected = None
    if pages is not None:
        from .pages import parse_pages

        try:
            selected = parse_pages(pages)
        except ValueError as exc:
            _usage(f"--pages: {exc}")
    parsed = _parse_one(file, "parse", model, password, ocr, timeout, max_memory, pages=selected)
    if fmt == "table" and table is None:
        render(parsed)
    else:
        sys.stdout.write(_formatted(parsed, fmt, table))
    raise typer.Exit(1 if parsed.status == "failed" else 0)


def _usage(message: str) -> None:
    """A usage error: one line on stderr, exit code 2."""
    err.print(f"[red]error:[/red] {safe(message)}")
    raise typer.Exit(2)


def _formatted(parsed, fmt: str, table: str | None) -> str:
    """The parsed rows as JSON (an object: table -> rows), CSV or a text table of one table (every column)."""
    from .formats import format_rows

    names = [table] if table else list(parsed.rows)
    if fmt == "json":
        import json

        from .formats import _plain

        return json.dumps({name: [_plain(row) for row in parsed.rows[name]] for name in names}, ensure_ascii=False, indent=2) + "\n"
    from .tables import arrow_schema  # the columns, also of a table without rows

    columns = arrow_schema(table).names
    rows = [tuple(row.get(c) for c in columns) for row in parsed.rows[table]]
    return format_rows(columns, rows, fmt, width=console.width)


_QUERY_TIMEOUT_HELP = "Seconds a query may run before it is stopped (default 30)."
_QUERY_MEMORY_HELP = "Memory a query may use, in MB (default 2048)."


@app.command()
def query(
    sql: str = typer.Argument(None, help="SQL over the views documents, meetings, people, agenda_items, decisions, amounts, mentions, diagnostics, votes; '-' reads it from stdin."),
    report: str = typer.Option(None, "--report", "-r", help="A named report instead of SQL: attendance, decisions or amounts (same as `referat report NAME`)."),
    fmt: str = typer.Option("table", "--format", "-f", help="Output format: table, csv or json."),
    out: Path = typer.Option(Path("data/parsed"), "--data", "--out", "-o", help="The dataset folder."),
    timeout: float = typer.Option(None, "--timeout", min=0.1, help=_QUERY_TIMEOUT_HELP),
    max_memory: int = typer.Option(None, "--max-memory", min=64, help=_QUERY_MEMORY_HELP),
    html: Path = typer.Option(None, "--html", help="With --report: write the report as a self-contained HTML page with a chart to this file."),
) -> None:
    """Query the dataset with SQL (DuckDB, read-only) or print a named report."""
    if sql == "-":
        sql = sys.stdin.read()
    if (report is None) == (sql is None or not sql.strip()):
        err.print("[red]error:[/red] give either SQL or --report NAME")
        raise typer.Exit(2)
    if html is not None:
        if report is None:
            err.print("[red]error:[/red] --html writes a named report: give --report NAME")
            raise typer.Exit(2)
        _write_report_html(report, out, html)
        return
    _print_rows(sql, report, fmt, out, timeout, max_memory)


@app.command()
def report(
    name: str = typer.Argument(..., help="attendance (per person: meetings, present, absent, substituted by), decisions (per body and type) or amounts (per body, year and item)."),
    fmt: str = typer.Option("table", "--format", "-f", help="Output format: table, csv or json."),
    out: Path = typer.Option(Path("data/parsed"), "--data", "--out", "-o", help="The dataset folder."),
    timeout: float = typer.Option(None, "--timeout", min=0.1, help=_QUERY_TIMEOUT_HELP),
    max_memory: int = typer.Option(None, "--max-memory", min=64, help=_QUERY_MEMORY_HELP),
    html: Path = typer.Option(None, "--html", help="Write the report as a self-contained HTML page with a chart to this file instead of printing it."),
) -> None:
    """Print a named report over the dataset (or write it as an HTML page with --html)."""
    if html is not None:
        _write_report_html(name, out, html)
        return
    _print_rows(None, name, fmt, out, timeout, max_memory)


def _write_report_html(name: str, data: Path, html: Path) -> None:
    """Write report ``name`` as an HTML page; every problem is one line on stderr and an exit code."""
    # imported here like the other commands' modules: duckdb and pandas load only when used
    from .query import REPORTS, QueryError
    from .report.analyst import render_analyst_report
    from .report.charts import ChartsUnavailable

    if name not in REPORTS:
        err.print(f"[red]error:[/red] the report must be one of {', '.join(REPORTS)}, not {safe(name)}")
        raise typer.Exit(2)
    if html.is_dir():
        err.print(f"[red]error:[/red] {safe(html)}: is a folder; --html takes the file to write")
        raise typer.Exit(2)
    try:
        render_analyst_report(name, data, html)
    except ChartsUnavailable as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(1) from None
    except QueryError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(2) from None
    except OSError as exc:
        err.print(f"[red]error:[/red] {safe(html)}: cannot write the page ({safe(_reason(exc, html))})")
        raise typer.Exit(2) from None
    console.print(f"wrote {safe(html)}")


def _print_rows(sql: str | None, report: str | None, fmt: str, out: Path, timeout: float | None, max_memory: int | None) -> None:
    """Run the SQL or the named report within the limits given (defaults for None) and print the rows."""
    from .query import FORMATS, REPORTS, Limits, QueryError, format_rows, run_query, run_report

    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}, not {safe(fmt)}")
        raise typer.Exit(2)
    if report is not None and report not in REPORTS:
        err.print(f"[red]error:[/red] the report must be one of {', '.join(REPORTS)}, not {safe(report)}")
        raise typer.Exit(2)
    try:
        limits = Limits(**{k: v for k, v in (("timeout", timeout), ("max_memory_mb", max_memory)) if v is not None})
        columns, rows = run_report(out, report, limits) if report else run_query(out, sql, limits)
    except QueryError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(2) from None
    sys.stdout.write(format_rows(columns, rows, fmt, width=console.width))


@app.command("inspect")
def inspect_cmd(
    file: Path = typer.Argument(..., help="A PDF or text referat."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="Where to write the HTML report."),
    model: str = typer.Option(None, "--model", help="spaCy pipeline to use when installed."),
    password: str = typer.Option(None, "--password", help="Password for encrypted PDFs."),
    ocr: bool = typer.Option(False, "--ocr", help="Read image-only pages with tesseract."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=1, help="Seconds the document (parse and drawing) may take before it is failed."),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", min=0, help="Address-space cap of the parsing process in MB (0 = none)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_VERBOSE_HELP),
) -> None:
    """Parse one document and write a self-contained HTML report showing what was read where."""
    _library_output(verbose)
    parsed, page = _parse_one(file, "inspect", model, password, ocr, timeout, max_memory)
    if page is None:  # the child failed: a report of the failure, drawn from its record alone
        from .report.inspect import render_report  # lazy: only inspect needs it

        page = render_report(parsed)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]error:[/red] {safe(out)}: cannot write the report: {safe(_reason(exc, out))}")
        raise typer.Exit(2) from None
    console.print(f"wrote {safe(out)}")
    raise typer.Exit(1 if parsed.status == "failed" else 0)


def render(parsed) -> None:
    rows = parsed.rows
    doc = rows["documents"][0]
    console.rule(f"[bold]{safe(doc['file_name'])}[/bold] · {safe(doc['status'])} · {safe(doc.get('template'))} · {safe(doc.get('nlp_model'))}")
    if doc["error"]:
        console.print(f"[red]error:[/red] {safe(doc['error'])}")
    for m in rows["meetings"]:
        t = Table(title="meeting", show_header=False)
        for k in ("doc_kind", "title", "body", "meeting_no", "meeting_date", "start_time", "end_time", "location", "address", "referent", "approved_by", "inferred"):
            v = m.get(k)
            if v not in (None, [], ""):
                t.add_row(k, safe(v if not isinstance(v, list) else ", ".join(map(str, v))))
        console.print(t)
    if rows["people"]:
        t = Table(title=f"people ({len(rows['people'])})")
        for c in ("name", "title", "organisation", "list_heading", "party", "role", "attendance", "substitute_for", "items", "notes"):
            t.add_column(c, overflow="fold")
        for p in rows["people"]:
            t.add_row(*(safe(", ".join(map(str, p[c])) if isinstance(p[c], list) else p[c]) for c in ("name", "title", "organisation", "list_heading", "party", "role", "attendance", "substitute_for", "items", "notes")))
        console.print(t)
    if rows["agenda_items"]:
        t = Table(title=f"agenda items ({len(rows['agenda_items'])})")
        for c in ("no", "title", "time", "presenters", "rec. points", "attachments"):
            t.add_column(c, overflow="fold")
        for a in rows["agenda_items"]:
            time = f"{a['start_time'] or ''}–{a['end_time'] or ''}" if a["start_time"] else ""
            t.add_row(str(a["item_no"]), safe(a["title"]), time, safe(", ".join(a["presenters"])), str(len(a["recommendation_points"])), str(len(a["attachments"])))
        console.print(t)
    if rows["decisions"]:
        t = Table(title="decisions")
        for c in ("item", "seq", "type", "recommendation", "decision"):
            t.add_column(c, overflow="fold")
        for d in rows["decisions"]:
            t.add_row(str(d["item_no"]), str(d["seq"]), safe(d["decision_type"]), safe(_short(d["recommendation"])), safe(_short(d["decision"])))
        console.print(t)
    if rows["amounts"]:
        t = Table(title="amounts")
        for c in ("item", "raw", "value", "label", "period", "repaired"):
            t.add_column(c, overflow="fold")
        for a in rows["amounts"]:
            t.add_row(str(a["item_no"]), safe(a["raw"]), "" if a["value"] is None else f"{a['value']:,.2f}", safe(a["label"]), safe(a["period"]), "yes: " + safe(a["repair_note"]) if a["repaired"] else "")
        console.print(t)
    if rows["diagnostics"]:
        t = Table(title="diagnostics")
        for c in ("stage", "severity", "page", "message"):
            t.add_column(c, overflow="fold")
        for d in rows["diagnostics"]:
            t.add_row(safe(d["stage"]), safe(d["severity"]), safe(d["page"]), safe(d["message"]))
        console.print(t)


def _short(s, n: int = 90) -> str:
    if not s:
        return ""
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def run() -> None:  # pragma: no cover - console entry for python -m
    app(prog_name="referat")


if __name__ == "__main__":  # pragma: no cover
    run()
