"""Analyst reports as HTML pages (`referat report NAME --html FILE`, pipeline/report/analyst.py).

The dataset is made once per module by the real ``ingest`` on data/raw.  The
charts are checked against the named reports' own SQL tables (another code
path: ``pipeline.query``) and against DuckDB queries written here, and in
headless Chromium: the page renders, its cells are painted where the browser
put them, it sends no request, and document text stays text.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import subprocess
import sys
import threading
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from pipeline.query import REPORTS, connect
from pipeline.report.analyst import render_analyst_report
from pipeline.report.charts import ATTENDANCE_COLOURS, DECISION_COLOURS
from test_inspect import HOSTILE, Elements, chromium, needs_chromium, report

pytest.importorskip("matplotlib", reason="the HTML reports need matplotlib (pip install 'referat[charts]')")

NAMES = tuple(REPORTS)


def ingest(src: Path, out: Path) -> Path:
    r = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), "-q", "--model", "blank", "--batch", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def dataset(seed_dataset) -> Path:
    return seed_dataset


@pytest.fixture(scope="module")
def pages(dataset, tmp_path_factory) -> dict[str, Path]:
    """Each report written by the command line, as a user would."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name in NAMES:
        out[name] = folder / f"{name}.html"
        r = cli("report", name, "--data", str(dataset), "--html", str(out[name]))
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == f"wrote {out[name]}"
    return out


def cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "pipeline", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


# --- the SVG, read as data ------------------------------------------------------------

_FILL = re.compile(r"fill:\s*(#[0-9a-f]{6})")


def groups(text: str, prefix: str) -> dict[str, str]:
    """``<g id="PREFIX…">…</g>`` of the chart: id -> inner markup (no nested groups in these)."""
    return dict(re.findall(rf'<g id="({prefix}[^"]*)">(.*?)</g>', text, re.S))


def fill(markup: str) -> str:
    return _FILL.search(markup).group(1)


def label_text(markup: str) -> str:
    return unescape(re.search(r"<text[^>]*>(.*?)</text>", markup, re.S).group(1))


def path_box(markup: str) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 of the path in a group (SVG user units)."""
    d = re.search(r'<path d="([^"]+)"', markup).group(1)
    xs, ys = zip(*((float(x), float(y)) for x, y in re.findall(r"[ML] (-?[\d.]+) (-?[\d.]+)", d)))
    return min(xs), min(ys), max(xs), max(ys)


def cells(text: str) -> dict[tuple[int, int], str]:
    """The attendance matrix: (row, column) -> attendance value, from the cells' colours."""
    by_colour = {c: name for name, c in ATTENDANCE_COLOURS.items()}
    out = {}
    for gid, markup in groups(text, "cell-").items():
        _, r, c = gid.split("-")
        out[(int(r), int(c))] = by_colour[fill(markup)]
    return out


# --- content -------------------------------------------------------------------------


def test_attendance_matrix_agrees_with_the_attendance_report(dataset, pages):
    text = pages["attendance"].read_text(encoding="utf-8")
    rows = {int(g.split("-")[1]): label_text(m) for g, m in groups(text, "row-").items()}
    cols = {int(g.split("-")[1]): label_text(m) for g, m in groups(text, "col-").items()}
    columns, report_rows = REPORTS["attendance"](dataset)
    report = {r[0]: dict(zip(columns, r)) for r in report_rows}
    # one row per person of the report, one column per document
    assert sorted(rows.values()) == sorted(report)
    assert len(cols) == 4
    grid = cells(text)
    for r, person in rows.items():
        listed = Counter(att for (row, _), att in grid.items() if row == r)
        expected = {k: report[person][k] for k in ("present", "absent", "substitute", "guest") if report[person][k]}
        assert dict(listed) == expected, person
        assert sum(listed.values()) == report[person]["meetings"], person
    assert len(grid) == sum(r["meetings"] for r in report.values())


def test_attendance_matrix_on_the_seed_texts(pages):
    """Read off the seed texts: Jan Nybo sent afbud to the styregruppe meeting and stood in
    for Lisbeth Kjær Lagoni in the politisk meeting, where she was absent; Bente Bach Poulsen
    stood in for Anne Krøjer Jacobsen there; Dorte Mayann Hansen was a guest of the styregruppe."""
    text = pages["attendance"].read_text(encoding="utf-8")
    rows = {label_text(m): int(g.split("-")[1]) for g, m in groups(text, "row-").items()}
    cols = {int(g.split("-")[1]): label_text(m) for g, m in groups(text, "col-").items()}
    grid = cells(text)

    def line(person: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for (r, c), att in grid.items():
            if r == rows[person]:
                out.setdefault(cols[c].split(" (")[0], set()).add(att)
        return out

    sty, pol = "2022-05-06 Styregruppe Klynge Syd", "2022-11-07 Politisk Sundhedsklynge Syd"
    assert sorted(cols.values()) == sorted(f"{m} ({t})" for m in (sty, pol) for t in ("pdf", "text"))
    assert line("Jan Nybo") == {sty: {"absent"}, pol: {"substitute"}}
    assert line("Lisbeth Kjær Lagoni") == {sty: {"present"}, pol: {"absent"}}
    assert line("Bente Bach Poulsen") == {pol: {"substitute"}}
    assert line("Anne Krøjer Jacobsen") == {sty: {"present"}, pol: {"absent"}}
    assert line("Dorte Mayann Hansen") == {sty: {"guest"}}


def test_decision_bars_stack_the_counts_per_body_date_and_type(dataset, pages):
    text = pages["decisions"].read_text(encoding="utf-8")
    con = connect(dataset)
    try:
        expected = con.sql(
            "select m.body, m.meeting_date, d.decision_type, count(*) from decisions d "
            "left join meetings m using (doc_id) group by all"
        ).fetchall()
    finally:
        con.close()
    bars = groups(text, "bar-")
    assert len(bars) == len(expected) == 10
    # each segment's height is its count times one scale, in its decision type's colour
    per_unit = set()
    by_type = Counter()
    for gid, markup in bars.items():
        _, b, d, kind = gid.split("-", 3)
        assert fill(markup) == DECISION_COLOURS[kind]
        x0, y0, x1, y1 = path_box(markup)
        by_type[kind] += 1
        n = next(n for body, date, k, n in expected if k == kind and (body, date) == _body_date(text, int(b), int(d)))
        per_unit.add(round((y1 - y0) / n, 3))
    assert len(per_unit) == 1
    assert by_type == Counter(k for _, _, k, _ in expected)


def _body_date(text: str, b: int, d: int) -> tuple[str, dt.date]:
    """The body and date of bar ``d`` in panel ``b``: the panel's title and its ``d``-th date label."""
    panel = re.findall(r'<g id="axes_\d+">(.*?)(?=<g id="axes_\d+">|<g id="legend)', text, re.S)[b]
    texts = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", panel)]
    dates = [t for t in texts if re.fullmatch(r"\d{4}-\d\d-\d\d", t)]
    (title,) = [t for t in texts if t not in dates and t != "decisions" and not re.fullmatch(r"[\d−-]+", t)]
    return title, dt.date.fromisoformat(dates[d])


def test_amount_bars_are_the_dkk_sums_per_meeting(dataset, pages):
    text = pages["amounts"].read_text(encoding="utf-8")
    con = connect(dataset)
    try:
        sums = con.sql("select doc_id, sum(value) filter (where currency = 'DKK') from amounts group by doc_id").fetchall()
    finally:
        con.close()
    bars = groups(text, "amount-")
    assert len(bars) == len(sums) == 2  # the politisk meeting, as PDF and as text
    widths = [path_box(m)[2] - path_box(m)[0] for m in bars.values()]
    assert widths[0] == pytest.approx(widths[1])
    total = sums[0][1]
    assert f"{total:,.0f}".replace(",", ".") + " kr. (8 amounts)" in text


def test_page_is_self_contained_and_scriptless(pages):
    for name, path in pages.items():
        text = path.read_text(encoding="utf-8")
        doc = Elements(text)
        csp = next(a["content"] for tag, a in doc.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in csp and "script-src 'none'" in csp
        assert "<script" not in text and "<?xml" not in text and "<!DOCTYPE svg" not in text
        assert [tag for tag, _ in doc.tags].count("svg") == 1, name
        for tag, attrs in doc.tags:
            assert tag not in ("link", "iframe", "object", "embed", "base", "image", "img", "foreignobject"), (name, tag)
            for key, value in attrs.items():
                value = (value or "").strip().lower()
                assert not key.startswith("on"), (name, tag, key)
                if key in ("src", "href", "xlink:href", "action"):
                    assert value.startswith("#"), (name, tag, key, value)
        assert not re.search(r"url\((?!#)", text), name  # only references inside the page
        assert "@import" not in text and "google" not in text


def test_missing_matplotlib_is_one_clear_error(dataset, tmp_path):
    out = tmp_path / "a.html"
    code = "import sys; sys.modules['matplotlib'] = None\nfrom pipeline.cli import app\napp()"
    r = cli("report", "attendance", "--data", str(dataset), "--html", str(out), code=code)
    assert r.returncode == 1
    assert r.stderr.strip() == (
        "error: the HTML reports draw their charts with matplotlib, which is not installed: pip install 'referat[charts]'"
    )
    assert not out.exists()


def test_html_usage_errors(dataset, tmp_path):
    r = cli("query", "select 1", "--data", str(dataset), "--html", str(tmp_path / "x.html"))
    assert (r.returncode, r.stderr.strip()) == (2, "error: --html writes a named report: give --report NAME")
    r = cli("report", "attendance", "--data", str(dataset), "--html", str(tmp_path))
    assert (r.returncode, r.stderr.strip()) == (2, f"error: {tmp_path}: is a folder; --html takes the file to write")
    r = cli("report", "attendance", "--data", str(tmp_path), "--html", str(tmp_path / "x.html"))
    assert r.returncode == 2 and "not a referat dataset" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_query_report_html_is_the_same_page(dataset, pages, tmp_path):
    out = tmp_path / "d.html"
    r = cli("query", "--report", "decisions", "--data", str(dataset), "--html", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == pages["decisions"].read_text(encoding="utf-8")


# --- hostile document text -----------------------------------------------------------

HOSTILE_BODY = "Politisk Sundhedsklynge Syd <script>alert(1)</script> $x^2$ & Co"


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory) -> dict[str, Path]:
    """A dataset of one document whose body name carries markup and mathtext."""
    src = tmp_path_factory.mktemp("hostile-src")
    (src / "hostile.txt").write_text(HOSTILE.replace("Politisk Sundhedsklynge Syd <script>alert(1)</script>", HOSTILE_BODY), encoding="utf-8")
    data = ingest(src, tmp_path_factory.mktemp("hostile") / "parsed")
    folder = tmp_path_factory.mktemp("hostile-pages")
    out = {}
    for name in NAMES:
        out[name] = folder / f"{name}.html"
        render_analyst_report(name, data, out[name])
    return out


def test_hostile_body_is_escaped_text(hostile_pages):
    escaped = "Politisk Sundhedsklynge Syd &lt;script&gt;alert(1)&lt;/script&gt; $x^2$ &amp; Co"
    for name, path in hostile_pages.items():
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text, name
        assert "&lt;script&gt;alert(1)" in text, name
    # the decisions panel title is the whole body, the dollars kept (no mathtext)
    decisions = hostile_pages["decisions"].read_text(encoding="utf-8")
    assert re.search(rf"<text[^>]*>{re.escape(escaped)}</text>", decisions)
    assert f"<td>{escaped}</td>" in decisions  # and in the table


# --- in a browser ----------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that answers nothing and writes down every request it is sent."""

    seen: list[str] = []

    def _record(self) -> None:
        self.seen.append(self.requestline)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _record

    def log_message(self, *args) -> None:
        pass


#: hosts headless Chromium asks on its own (component updates, clock, sign-in), whatever
#: page it shows; they reach only the recorder.  A page's own requests go anywhere else.
BROWSER_OWN = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")


def _host(requestline: str) -> str:
    """The host a proxied request is for: ``CONNECT host:443`` or ``GET http://host/...``."""
    method, target = requestline.split(" ")[:2]
    return (target.rsplit(":", 1)[0] if method == "CONNECT" else urlsplit(target).hostname or "").lower()


def _browser_own(requestline: str) -> bool:
    host = _host(requestline)
    return any(host == d or host.endswith("." + d) for d in BROWSER_OWN)


def page_requests(tmp_path: Path, html_file: Path) -> list[str]:
    """The requests the page made when Chromium opened it, through a recording proxy on loopback."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        run = chromium(tmp_path, f"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>", "--dump-dom", html_file.resolve().as_uri())
        assert run.returncode == 0, run.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    return [r for r in _Recorder.seen if not _browser_own(r)]


@pytest.mark.browser
@needs_chromium
def test_no_request_leaves_the_pages(pages, tmp_path):
    # the recorder sees a page's requests: a page that asks for outside files is caught
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><link rel="stylesheet" href="https://example.com/x.css"><img src="http://example.com/y.png">')
    assert sorted(page_requests(tmp_path, control)) == ["CONNECT example.com:443 HTTP/1.1", "GET http://example.com/y.png HTTP/1.1"]
    for name, path in pages.items():
        assert page_requests(tmp_path, path) == [], name
    inspect_page = tmp_path / "inspect.html"
    inspect_page.write_text(report("politisk_sundhedsklynge_syd_2022-11-07.pdf"), encoding="utf-8")
    assert page_requests(tmp_path, inspect_page) == []


#: a test-only probe: where the browser put each chart datum (document coordinates)
_PROBE = """<pre id="probe"></pre><script>
window.addEventListener("load", function () {
  var out = {};
  document.querySelectorAll("svg g[id]").forEach(function (g) {
    if (!/^(cell|bar|amount)-/.test(g.id)) { return; }
    var r = g.getBoundingClientRect();
    out[g.id] = {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height};
  });
  document.getElementById("probe").textContent = JSON.stringify(out);
});
</script>"""


def probed(tmp_path: Path, page: Path, window: str) -> tuple[dict[str, dict], Elements]:
    """The chart's rectangles as laid out by Chromium (the page with its policy removed and a
    probe added), and the DOM it rendered."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text).replace("</body>", _PROBE + "</body>")
    probe_file = tmp_path / f"probe-{page.name}"
    probe_file.write_text(text, encoding="utf-8")
    run = chromium(tmp_path, window, "--dump-dom", probe_file.resolve().as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(unescape(run.stdout.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0])), Elements(run.stdout)


def screenshot(tmp_path: Path, page: Path, window: str):
    from PIL import Image

    png = tmp_path / f"{page.stem}.png"
    run = chromium(tmp_path, f"--screenshot={png}", window, page.resolve().as_uri())
    assert png.exists(), run.stderr[-2000:]
    with Image.open(png) as im:
        return im.convert("RGB")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _close(a, b, tolerance: int = 30) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b)) <= tolerance


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("name", NAMES)
def test_chart_is_painted_where_the_browser_put_it(name, dataset, pages, tmp_path):
    """Every cell or bar of the chart is on screen, and the screenshot has its colour
    at its centre; the page's own text and table render beside it."""
    window = "--window-size=1400,1400"
    page = pages[name]
    text = page.read_text(encoding="utf-8")
    rects, dom = probed(tmp_path, page, window)
    colours = {gid: fill(markup) for prefix in ("cell-", "bar-", "amount-") for gid, markup in groups(text, prefix).items()}
    assert set(rects) == set(colours) and rects
    shot = screenshot(tmp_path, page, window)
    for gid, r in rects.items():
        assert r["w"] > 4 and r["h"] > 4, (gid, r)
        cx, cy = r["x"] + r["w"] / 2, r["y"] + r["h"] / 2
        assert cy < shot.height, (gid, r)  # the chart fits the first screen
        assert _close(shot.getpixel((int(cx), int(cy))), _rgb(colours[gid])), (gid, r, shot.getpixel((int(cx), int(cy))))
    # the page is not only the chart: the browser rendered the table with the report's rows
    assert [tag for tag, _ in dom.tags].count("tr") == len(REPORTS[name](dataset)[1]) + 1


@pytest.mark.browser
@needs_chromium
def test_hostile_body_stays_text_in_the_browser(hostile_pages, tmp_path):
    for name, path in hostile_pages.items():
        dom = Elements(chromium(tmp_path, "--dump-dom", path.resolve().as_uri()).stdout)
        tags = [tag for tag, _ in dom.tags]
        assert "script" not in tags, name
        assert not [(tag, k) for tag, a in dom.tags for k in a if k.startswith("on")], name
        # shown as text: whole in the decisions title and the tables, cut short in matrix labels
        assert "<script>alert(1)" in "".join(dom.text), name
