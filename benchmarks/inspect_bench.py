#!/usr/bin/env python3
"""Inspection report benchmark: what a long document's report costs to write and to open.

Prints figures; it is not a test and asserts nothing except that the runs it
starts succeed.

    .venv/bin/python benchmarks/inspect_bench.py [--pages 300] [--runs 3] [--workdir DIR]

It generates a ``--pages`` page PDF (``benchmarks/corpus.py``, the politisk
family), parses it, writes the ``referat inspect`` report and opens it in
headless Chromium at 1400x1000, once as written (page images after the first
two wait in ``data-src``) and once with every image in ``src`` (how the report
was before: every page decoded when the file opens).  For each it prints the
browser's own timings from the report's layout record (DOMContentLoaded, load
event, first contentful paint, in ms from navigation start), how many page
images had their data in src (to be decoded) after the load event, and the
wall time of a Chromium run that takes a screenshot of the first screen (the
time until a reader sees the page, browser start included) and of one that
dumps the DOM.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (the benchmark corpus generator beside this file)

from pipeline.parse import parse_document  # noqa: E402
from pipeline.report.inspect import EAGER_PAGES, render_report  # noqa: E402


def chromium_binary() -> str:
    """The Chromium to drive; exits with a message when there is none."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    sys.exit("inspect_bench: Chromium not found (apt-get install -y chromium)")


def _chromium(browser: str, profile: Path, *args: str) -> tuple[float, str]:
    """Run headless Chromium at 1400x1000; its wall time and output."""
    cmd = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=1400,1000", *args,
    ]  # fmt: skip
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True)
    return time.perf_counter() - t0, run.stdout


def open_in_chromium(browser: str, html_file: Path, profile: Path) -> dict:
    """Open the report headless: the wall time to a screenshot of the first screen, and from a
    DOM dump the layout record's timings (when the report writes them) and the page images in src."""
    shot, _ = _chromium(browser, profile, f"--screenshot={profile / 'shot.png'}", html_file.resolve().as_uri())
    wall, dom = _chromium(browser, profile, "--dump-dom", html_file.resolve().as_uri())
    timing = {}
    if '<pre id="layout" hidden="">' in dom:
        record = json.loads(unescape(dom.split('<pre id="layout" hidden="">', 1)[1].split("</pre>", 1)[0]))
        timing = record.get("timing", {})
    images = len(re.findall(r'<img class="pimg" src="data:', dom))
    return {"screenshot": shot, "wall": wall, "images": images, **timing}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3, help="browser runs per variant (the median is printed)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--also", type=Path, nargs="*", default=[], help="more report files to open the same way (e.g. written by an older version)")
    args = ap.parse_args()
    browser = chromium_binary()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="referat-inspect-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    pdf = Path(corpus.build([corpus.big_spec(args.pages)], work / "pdf")[0]["path"])
    t0 = time.perf_counter()
    parsed = parse_document(pdf, model="blank")
    t1 = time.perf_counter()
    lazy_html = render_report(parsed, work / "lazy.html", max_pages=args.pages)
    t2 = time.perf_counter()
    eager_html = lazy_html.replace('<img class="pimg" data-src="data:', '<img class="pimg" src="data:')
    (work / "eager.html").write_text(eager_html, encoding="utf-8")

    pages = lazy_html.count('<section class="page"')
    boxes = lazy_html.count('class="box')
    print(f"inspect benchmark: {args.pages}-page PDF, {pages} pages drawn ({work})")
    print(
        f"  parse {t1 - t0:.1f} s · render_report {t2 - t1:.1f} s ({(t2 - t1) / max(pages, 1) * 1000:.0f} ms/page) · "
        f"HTML {len(lazy_html.encode()) / 1e6:.1f} MB · {boxes} boxes · "
        f"{len(re.findall(r'<[a-z]', lazy_html))} elements"
    )
    print(f"  Chromium {browser}, 1400x1000, headless, median of {args.runs} run(s); ms from navigation start")
    variants = [("lazy (as written)", work / "lazy.html"), ("eager (all src)", work / "eager.html")]
    variants += [(f.name, f) for f in args.also]
    for name, html_file in variants:
        runs = [open_in_chromium(browser, html_file, work / f"profile-{i}") for i in range(args.runs)]

        def median(key: str) -> str:
            values = [r[key] for r in runs if key in r]
            return f"{statistics.median(values):.0f}" if values else "n/a"

        print(
            f"  {name:18} DOMContentLoaded {median('domContentLoaded'):>5} · load {median('load'):>5} · "
            f"first-contentful-paint {median('first-contentful-paint'):>5} · "
            f"images in src after load {int(statistics.median(r['images'] for r in runs))}/{pages} · "
            f"{html_file.stat().st_size / 1e6:.1f} MB · "
            f"screenshot {statistics.median(r['screenshot'] for r in runs):.2f} s · dump {statistics.median(r['wall'] for r in runs):.2f} s"
        )
    print(f"  (EAGER_PAGES = {EAGER_PAGES}: pages with their image in src from the start; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
