"""The inspection report (`pipeline.report.inspect`): structure on the samples,
summary and navigation, escaping of hostile document text, and layout,
navigation, lazy page images and the side tables in a real (headless) browser."""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import RAW, ROOT, parsed
from pipeline.report.inspect import ATTENDEE_KINDS, EAGER_PAGES, KINDS, render_report
from pipeline.report.page import asset

POLITISK = "politisk_sundhedsklynge_syd_2022-11-07"
STYREGRUPPE = "styregruppe_klynge_syd_2022-05-06"
PDF_PAGES = {POLITISK: 5, STYREGRUPPE: 3}
SAMPLES = [f"{stem}.{ext}" for stem in (POLITISK, STYREGRUPPE) for ext in ("pdf", "txt")]

#: kinds each sample must show (politisk has no sign-off and no guests, styregruppe no amounts)
EXPECTED_KINDS = {
    POLITISK: {"header", "list-heading", "present", "absent", "substitute", "agenda-heading", "recommendation", "minutes", "amount", "dropped", "diagnostic"},
    STYREGRUPPE: {"header", "list-heading", "present", "absent", "guest", "agenda-heading", "recommendation", "minutes", "signoff", "dropped", "diagnostic"},
}

HOSTILE = """REFERAT
Politisk Sundhedsklynge Syd <script>alert(1)</script>
Mandag den 7. november 2022 kl. 17.00 – 19.00
Mødelokale K, Regionshuset " onmouseover="x

Mødedeltagere
Mads <script>alert(1)</script> Duedahl, Regionsrådsformand
Gitte " onmouseover="x Bundgaard, Regionsrådsmedlem
Jesper Greth, Borgmester Rebild Kommune

Afbud
Jesper Greth

1. Velkomst <script>alert(1)</script> – kl. 17.00 – 17.10
Det indstilles, at Politisk Sundhedsklynge Syd:
1. Godkender " onmouseover="x dagsorden.

Referat:
Dagsordenen blev godkendt. Der er afsat 1.000 kr. <script>alert(1)</script>

2. Eventuelt – kl. 17.10 – 17.20
Referat:
Intet.
"""


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <pre id="layout">."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.layout = ""
        self.text: list[str] = []
        self._in_layout = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self._in_layout = tag == "pre" and a.get("id") == "layout"

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_layout = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_layout:
            self.layout += data

    def boxes(self) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if "box" in (a.get("class") or "").split()]


@lru_cache(maxsize=None)
def report(name: str) -> str:
    return render_report(parsed(str(RAW / name)))


def test_one_page_image_per_pdf_page():
    for stem, pages in PDF_PAGES.items():
        doc = Elements(report(f"{stem}.pdf"))
        images = [a for tag, a in doc.tags if tag == "img"]
        assert len(images) == pages
        # the first pages come with their image, the others wait in data-src for the script
        sources = [a.get("src") or a.get("data-src") for a in images]
        assert [("src" in a) for a in images] == [n < EAGER_PAGES for n in range(pages)]
        assert all(src.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")) for src in sources)
        assert [a["alt"] for a in images] == [f"page {n}" for n in range(1, pages + 1)]


def test_the_script_is_the_package_file_and_the_policy_names_its_hash():
    doc = Elements(report(f"{STYREGRUPPE}.pdf"))
    text = report(f"{STYREGRUPPE}.pdf")
    script = text.split("<script>", 1)[1].split("</script>", 1)[0]
    assert script == asset("report.js").strip()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = next(a["content"] for tag, a in doc.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert f"script-src 'sha256-{digest}';" in csp
    assert asset("report.css").split("*/", 1)[1].strip()[:40] in text


def _ids(doc: Elements) -> list[str]:
    return [a["id"] for _, a in doc.tags if a.get("id")]


def test_summary_counts_every_table_and_lists_warnings_with_their_page():
    rows = parsed(str(RAW / f"{POLITISK}.pdf")).rows
    doc = Elements(report(f"{POLITISK}.pdf"))
    counts = [a["href"] for tag, a in doc.tags if tag == "a" and a.get("href", "").startswith("#t-")]
    assert counts[: len(rows)] == [f"#t-{t}" for t in rows]  # every table, in order
    text = report(f"{POLITISK}.pdf")
    summary = text.split('<div class="summary">', 1)[1].split('<div class="legend">', 1)[0]
    for table, data in rows.items():
        assert f'<a href="#t-{table}">{table} {len(data)}</a>' in summary
    warnings = [d for d in rows["diagnostics"] if d["severity"] == "warning"]
    assert len(warnings) == 2 and {d["page"] for d in warnings} == {5}
    items = summary.split('<ul class="issues">', 1)[1].split("</ul>", 1)[0].split("<li ")[1:]
    assert len(items) == len(warnings)  # warnings and errors only; infos are counted
    for li, d in zip(items, warnings):
        assert f'<a href="#page-5" data-line="{d["line"]}">page 5</a>' in li
        assert d["message"].replace("'", "&#x27;") in li
    infos = sum(1 for d in rows["diagnostics"] if d["severity"] == "info")
    assert f"diagnostics: 0 errors, 2 warnings, {infos} info{'s' if infos != 1 else ''}" in summary
    assert _ids(doc).count("page-5") == 1 and _ids(doc).count("t-diagnostics") == 1


@pytest.mark.parametrize("name", SAMPLES)
def test_navigation_links_every_page_and_item_heading(name):
    doc = Elements(report(name))
    p = parsed(str(RAW / name))
    nav = report(name).split('<nav class="jump">', 1)[1].split("</nav>", 1)[0]
    hrefs = re.findall(r'href="#([^"]+)"', nav)
    pages = sorted({ln.page for ln in p.trace.lines})
    assert [h for h in hrefs if h.startswith("page-")] == [f"page-{n}" for n in pages]
    items = list(dict.fromkeys(r["item_no"] for r in p.rows["agenda_items"]))
    assert [h for h in hrefs if h.startswith("item-")] == [f"item-{n}" for n in items]
    ids = _ids(doc)
    for h in hrefs:
        assert ids.count(h) == 1, h  # each link has exactly one target
    # an item's target is the box of its heading
    for no in items:
        box = next(a for _, a in doc.tags if a.get("id") == f"item-{no}")
        assert box["data-kind"] == "agenda-heading" and box["data-item"] == str(no)


def test_long_tables_start_folded(monkeypatch):
    import pipeline.report.inspect as inspect_report

    rows = parsed(str(RAW / f"{POLITISK}.pdf")).rows
    monkeypatch.setattr(inspect_report, "OPEN_ROWS", 8)
    doc = Elements(render_report(parsed(str(RAW / f"{POLITISK}.pdf"))))
    folded = {a["id"][2:]: "open" in a for tag, a in doc.tags if tag == "details" and a.get("id", "").startswith("t-")}
    assert {t: len(rows[t]) for t in ("meetings", "agenda_items", "decisions", "people")} == {"meetings": 1, "agenda_items": 8, "decisions": 9, "people": 25}
    assert folded["meetings"] and folded["agenda_items"]  # up to 8 rows: open
    assert not folded["decisions"] and not folded["people"]  # more: folded until opened


def test_decisions_are_shown_whole_and_other_long_cells_fold():
    text = report(f"{POLITISK}.pdf")
    decisions = text.split('<table data-table="decisions"', 1)[1].split("</table>", 1)[0]
    assert 'class="long"' not in decisions
    for d in parsed(str(RAW / f"{POLITISK}.pdf")).rows["decisions"]:
        if d["decision"]:
            assert f'<td data-col="decision">{html.escape(d["decision"])}</td>' in decisions
    items = text.split('<table data-table="agenda_items"', 1)[1].split("</table>", 1)[0]
    folded = re.findall(r'<td class="long" data-col="([^"]+)"><div class="clamp">', items)
    assert "minutes" in folded
    assert items.count('<button type="button" class="more">more</button>') == len(folded)


@pytest.mark.parametrize("name", SAMPLES)
def test_boxes_of_every_kind(name):
    boxes = Elements(report(name)).boxes()
    kinds = {b["data-kind"] for b in boxes}
    assert EXPECTED_KINDS[name.rsplit(".", 1)[0]] <= kinds
    assert kinds <= set(KINDS)
    lines = {ln.no for ln in parsed(str(RAW / name)).trace.lines}
    for b in boxes:
        assert int(b["data-page"]) >= 1
        assert int(b["data-line"]) in lines
        assert b["title"], b  # every box says what was extracted


@pytest.mark.parametrize("name", SAMPLES)
def test_one_attendee_box_per_people_row(name):
    rows = [p for p in parsed(str(RAW / name)).rows["people"] if p["line"] is not None]
    boxes = [b for b in Elements(report(name)).boxes() if b["data-kind"] in ATTENDEE_KINDS]
    assert len(boxes) == len(rows)
    assert sorted((b["data-name"], b["data-kind"], int(b["data-line"])) for b in boxes) == sorted(
        (p["name"], p["attendance"], p["line"]) for p in rows
    )


@pytest.mark.parametrize("ext", ["pdf", "txt"])
def test_substitute_and_absent_tooltips(ext):
    boxes = {b["data-name"]: b for b in Elements(report(f"{POLITISK}.{ext}")).boxes() if b.get("data-name")}
    assert boxes["Jan Nybo"]["data-kind"] == "substitute"
    assert boxes["Jan Nybo"]["title"].startswith("substitute · Jan Nybo · for Lisbeth Kjær Lagoni")
    assert boxes["Lisbeth Kjær Lagoni"]["data-kind"] == "absent"
    assert boxes["Lisbeth Kjær Lagoni"]["title"].startswith("absent · Lisbeth Kjær Lagoni · substitute Jan Nybo")


def test_item_and_amount_tooltips():
    boxes = Elements(report(f"{POLITISK}.pdf")).boxes()
    heading = next(b for b in boxes if b["data-kind"] == "agenda-heading" and b["data-item"] == "5")
    assert heading["title"].startswith("item 5 · Klyngemidler 2022 og 2023 · 18:05–18:10")
    repaired = next(b for b in boxes if b["data-kind"] == "amount" and "repaired" in b["title"])
    assert repaired["title"].startswith("amount 759.279 DKK · printed '7.59.279 kr.'")
    assert "misplaced-separator" in repaired["title"]
    # the two "739.846 kr." of one table row get a box each, one per column
    same = [b for b in boxes if b["data-kind"] == "amount" and "printed '739.846 kr.'" in b["title"]]
    assert len(same) == 2 and same[0]["data-bbox"] != same[1]["data-bbox"]


@pytest.mark.parametrize("name", SAMPLES)
def test_self_contained(name):
    text = report(name)
    doc = Elements(text)
    for tag, attrs in doc.tags:
        for key in ("src", "href", "srcset", "action", "data", "poster"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "file:")), (tag, key, value[:80])
        assert tag not in ("link", "iframe", "object", "embed", "base")
        if tag == "script":
            assert "src" not in attrs
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", text, re.I)
    assert "@import" not in text and "url(" not in text
    csp = next(a["content"] for tag, a in doc.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp


def test_pages_are_capped():
    text = render_report(parsed(str(RAW / f"{POLITISK}.pdf")), max_pages=2, resolution=40)
    doc = Elements(text)
    assert len([1 for tag, _ in doc.tags if tag == "img"]) == 2
    assert {b["data-page"] for b in doc.boxes()} <= {"1", "2"}
    assert "Only the first 2 of 5 pages are drawn" in text


def test_writes_out_path(tmp_path):
    out = tmp_path / "sub" / "report.html"
    text = render_report(parsed(str(RAW / f"{STYREGRUPPE}.txt")), out)
    assert out.read_text(encoding="utf-8") == text


def test_failed_document_still_reports(tmp_path):
    from pipeline.parse import parse_document

    bad = tmp_path / "broken.pdf"
    bad.write_text("this is not a PDF <b>bold</b>")
    text = render_report(parse_document(bad, model="blank"))
    assert "broken.pdf" in text and "error:" in text
    assert "<b>bold</b>" not in text


def test_appended_document_is_shown_as_dropped(tmp_path):
    from pipeline.parse import parse_document

    src = tmp_path / "med bilag.txt"
    src.write_text(
        "Referat af generalforsamling\n1. Valg af dirigent\nJens Holm blev valgt.\n2. Eventuelt\nIntet.\n"
        "Dirigenten hævede generalforsamlingen.\n\fFormandens beretning 2024\n"
        + "Bestyrelsen har holdt seks møder og haft en god dialog med kommunen om vejene i år.\n" * 3,
        encoding="utf-8",
    )
    text = render_report(parse_document(src, model="blank"))
    assert "dropped · after the end of the minutes · Formandens beretning 2024" in text


def hostile_report(tmp_path: Path) -> str:
    from pipeline.parse import parse_document

    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    return render_report(parse_document(src, model="blank"), tmp_path / "hostile.html")


def hostile_summary_report(tmp_path: Path) -> str:
    """The hostile document with a warning whose stage and message carry markup."""
    from pipeline.parse import parse_document

    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    p = parse_document(src, model="blank")
    p = dataclasses.replace(p, rows=copy.deepcopy(p.rows))
    p.rows["diagnostics"].append(
        {"doc_id": "x", "stage": 'extract.<script>alert(2)</script>', "severity": "warning",
         "message": 'item 1: <img src=x onerror=alert(3)> " onmouseover="y', "page": 1, "line": 2}
    )
    return render_report(p, tmp_path / "hostile-summary.html")


def test_hostile_text_in_summary_and_navigation_is_escaped(tmp_path):
    text = hostile_summary_report(tmp_path)
    summary = text.split('<div class="summary">', 1)[1].split('<div class="legend">', 1)[0]
    assert "extract.&lt;script&gt;alert(2)&lt;/script&gt;" in summary
    assert "item 1: &lt;img src=x onerror=alert(3)&gt; &quot; onmouseover=&quot;y" in summary
    nav = text.split('<nav class="jump">', 1)[1].split("</nav>", 1)[0]
    assert 'title="1. Velkomst &lt;script&gt;alert(1)&lt;/script&gt;' in nav
    assert "<img" not in text.split('<main', 1)[0] and text.count("<script") == 1
    doc = Elements(text)
    assert not [(tag, k) for tag, a in doc.tags for k in a if k.startswith("on")]
    assert any(a.get("title", "").startswith("1. Velkomst <script>alert(1)</script>") for tag, a in doc.tags if tag == "a")


def test_hostile_text_is_escaped(tmp_path):
    text = hostile_report(tmp_path)
    assert "<script>alert" not in text.lower()
    assert '" onmouseover="x' not in text
    assert text.count("<script") == 1  # the report's own script
    # the text is shown, escaped, in the listing, in tooltips (attributes) and in the tables
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&quot; onmouseover=&quot;x" in text
    doc = Elements(text)
    assert not [(tag, k) for tag, a in doc.tags for k in a if k.startswith("on")]
    assert any("<script>alert(1)</script>" in (a.get("title") or "") for a in doc.boxes())
    assert "".join(doc.text).count("<script>alert(1)</script>") >= 3


# --- in a browser -----------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not found (/usr/bin/chromium or chromium on PATH); `apt-get install -y chromium` to run the browser tests"
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with nothing but its command line: no network, a throwaway profile."""
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--virtual-time-budget=5000",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def dumped_dom(tmp_path: Path, html_file: Path, fragment: str = "", *args: str) -> Elements:
    run = chromium(tmp_path, *args, "--dump-dom", html_file.resolve().as_uri() + fragment)
    assert run.returncode == 0, run.stderr[-2000:]
    return Elements(run.stdout)


#: the window the browser tests lay the report out in (a laptop screen)
WINDOW = "--window-size=1400,1000"


@lru_cache(maxsize=None)
def laid_out(name: str, fragment: str = "") -> tuple[dict, Elements]:
    """The layout record and the DOM after the browser opened ``name``'s report at ``fragment``."""
    tmp = Path(tempfile.mkdtemp(prefix="referat-inspect-"))
    html_file = tmp / "report.html"
    html_file.write_text(report(name), encoding="utf-8")
    dom = dumped_dom(tmp, html_file, fragment, WINDOW)
    shutil.rmtree(tmp, ignore_errors=True)
    assert dom.layout, "the report's script did not run (no layout record)"
    return json.loads(dom.layout), dom


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, dict]:
    """The report's own layout record (box and page image rectangles) after the browser ran it."""
    out = {}
    for stem in (STYREGRUPPE, POLITISK):
        tmp = tmp_path_factory.mktemp(stem)
        html_file = tmp / "report.html"
        html_file.write_text(report(f"{stem}.pdf"), encoding="utf-8")
        dom = dumped_dom(tmp, html_file)
        assert dom.layout, "the report's script did not run (no layout record)"
        out[stem] = json.loads(dom.layout)
    return out


def _inside(box: dict, page: dict, slack: float = 1.0) -> bool:
    return (
        box["x"] >= page["x"] - slack
        and box["y"] >= page["y"] - slack
        and box["x"] + box["w"] <= page["x"] + page["w"] + slack
        and box["y"] + box["h"] <= page["y"] + page["h"] + slack
    )


@pytest.mark.browser
@needs_chromium
def test_boxes_lie_on_their_page_images(layouts):
    for stem, layout in layouts.items():
        assert sorted(layout["pages"], key=int) == [str(n) for n in range(1, PDF_PAGES[stem] + 1)]
        for page in layout["pages"].values():
            assert page["w"] > 500 and page["h"] > 700  # the image was laid out at its size
        assert layout["boxes"]
        for box in layout["boxes"]:
            assert box["w"] > 0 and box["h"] > 0, box
            assert _inside(box, layout["pages"][str(box["page"])]), box


@pytest.mark.browser
@needs_chromium
def test_styregruppe_layout(layouts):
    layout = layouts[STYREGRUPPE]
    page1 = layout["pages"]["1"]
    boxes = layout["boxes"]
    heading = next(b for b in boxes if b["kind"] == "agenda-heading" and b["item"] == 1)
    assert heading["page"] == 1 and _inside(heading, page1)
    header = [b for b in boxes if b["kind"] == "header" and b["page"] == 1]
    assert header and min(b["y"] for b in header) < page1["y"] + 0.1 * page1["h"]  # the title is at the top
    assert heading["y"] >= max(b["y"] + b["h"] for b in header) - 1
    lisbeth = next(b for b in boxes if b["name"] == "Lisbeth Kjær Lagoni")
    assert lisbeth["kind"] == "present" and lisbeth["page"] == 1 and _inside(lisbeth, page1)
    assert lisbeth["y"] + lisbeth["h"] <= page1["y"] + page1["h"] / 3


@pytest.mark.browser
@needs_chromium
def test_politisk_footer_layout(layouts):
    layout = layouts[POLITISK]
    page4 = layout["pages"]["4"]
    footer = [b for b in layout["boxes"] if b["kind"] == "dropped" and b["page"] == 4]
    assert len(footer) == 1
    assert _inside(footer[0], page4)
    assert footer[0]["y"] >= page4["y"] + 0.9 * page4["h"]


@pytest.mark.browser
@needs_chromium
def test_screenshot(tmp_path):
    html_file = tmp_path / "report.html"
    html_file.write_text(report(f"{STYREGRUPPE}.pdf"), encoding="utf-8")
    png = tmp_path / "report.png"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", html_file.resolve().as_uri())
    assert png.exists(), run.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1400, 2000)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 24)
    # the green outlines of the present attendees were painted
    green = sum(n for n, (r, g, b) in colours if abs(r - 0x2C) < 40 and abs(g - 0xA0) < 40 and abs(b - 0x2C) < 40)
    assert green > 500


def assert_inert(dom: Elements) -> None:
    """The browser's DOM holds the report's one script and no event-handler attribute."""
    assert [tag for tag, _ in dom.tags].count("script") == 1
    assert not [(tag, k) for tag, a in dom.tags for k in a if k.startswith("on")]


@pytest.mark.browser
@needs_chromium
def test_hostile_text_stays_text_in_the_browser(tmp_path):
    hostile_report(tmp_path)
    dom = dumped_dom(tmp_path, tmp_path / "hostile.html")
    assert_inert(dom)
    assert "<script>alert(1)</script>" in "".join(dom.text)  # shown as text
    assert dom.layout  # the report's own script ran (the CSP hash matches)


def _visible_below_nav(layout: dict, target: dict) -> bool:
    """The target's top edge is on screen, not under the sticky navigation bar."""
    top = layout["scroll"]["y"] + layout["nav"]["h"]
    return top - 1 <= target["y"] <= layout["scroll"]["y"] + layout["viewport"]["h"] - 20


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("fragment", ["#item-5", "#item-8", "#page-4"])
def test_navigation_lands_on_its_target(fragment):
    layout, _ = laid_out(f"{POLITISK}.pdf", fragment)
    assert layout["scroll"]["y"] > 1000  # the browser did move down the document
    link = next(a for a in layout["links"] if a["href"] == fragment)
    assert link["target"] is not None
    assert _visible_below_nav(layout, link["target"]), (layout["scroll"], layout["nav"], link)
    # the navigation bar stayed on top of the screen
    assert abs(layout["nav"]["y"] - layout["scroll"]["y"]) < 1
    if fragment.startswith("#item-"):
        heading = next(b for b in layout["boxes"] if b["kind"] == "agenda-heading" and b["item"] == int(fragment[6:]))
        assert _visible_below_nav(layout, heading)


@pytest.mark.browser
@needs_chromium
def test_every_link_at_the_top_has_a_target():
    layout, _ = laid_out(f"{POLITISK}.pdf")
    hrefs = [a["href"] for a in layout["links"]]
    assert {f"#page-{n}" for n in range(1, 6)} | {f"#item-{n}" for n in range(1, 9)} | {"#t-decisions"} <= set(hrefs)
    assert [a for a in layout["links"] if a["target"] is None] == []


@pytest.mark.browser
@needs_chromium
def test_page_images_load_when_their_page_comes_near():
    def loaded(dom: Elements) -> dict[int, bool]:
        return {int(a["alt"].split()[1]): bool(a.get("src")) for tag, a in dom.tags if tag == "img"}

    _, top = laid_out(f"{POLITISK}.pdf")
    assert loaded(top)[1] and loaded(top)[2]
    assert not loaded(top)[5]  # far below the screen: not decoded yet
    _, bottom = laid_out(f"{POLITISK}.pdf", "#page-5")
    # the page a link lands on, and its neighbour, are shown at once (not left to the observer's timing)
    assert loaded(bottom)[5] and loaded(bottom)[4] and loaded(bottom)[1]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("stem", [POLITISK, STYREGRUPPE])
def test_side_tables_fit_and_show_whole_decisions(stem):
    layout, _ = laid_out(f"{stem}.pdf")
    decisions = layout["tables"]["decisions"]
    assert decisions["width"] <= decisions["room"] + 1  # no sideways scrolling
    texts = [d["decision"] for d in parsed(str(RAW / f"{stem}.pdf")).rows["decisions"]]
    assert [c["text"] for c in decisions["cells"]] == [t or "" for t in texts]
    for cell in decisions["cells"]:
        assert cell["right"] <= decisions["room"] + 1 and not cell["clipped"], cell
    assert layout["aside"]["w"] > 500


@pytest.mark.browser
@needs_chromium
def test_screenshot_shows_boxes_where_the_layout_puts_them(tmp_path):
    """Pixels of the screenshot at the places the layout record names: attendee box
    outlines in their colours, the navigation bar, a warning in the summary."""
    from PIL import Image

    layout, _ = laid_out(f"{POLITISK}.pdf")
    html_file = tmp_path / "report.html"
    html_file.write_text(report(f"{POLITISK}.pdf"), encoding="utf-8")
    png = tmp_path / "report.png"
    run = chromium(tmp_path, f"--screenshot={png}", WINDOW, html_file.resolve().as_uri())
    assert png.exists(), run.stderr[-2000:]
    with Image.open(png) as im:
        shot = im.convert("RGB")
    assert shot.size == (1400, 1000)

    def near(colour: str, x: float, y: float, reach: int = 2) -> bool:
        want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        for dx in range(-reach, reach + 1):
            px = shot.getpixel((int(x) + dx, int(y)))
            if sum(abs(a - b) for a, b in zip(px, want)) < 90:
                return True
        return False

    on_screen = [b for b in layout["boxes"] if b["kind"] in ("present", "absent", "substitute") and b["y"] + b["h"] < 990]
    assert len(on_screen) >= 15
    for b in on_screen:  # the left outline, half-way down the box
        assert near(KINDS[b["kind"]].colour, b["x"], b["y"] + b["h"] / 2), b
    # and nothing of that colour where no box is: the gap left of the page's text
    present = [b for b in on_screen if b["kind"] == "present"]
    assert not near(KINDS["present"].colour, present[0]["x"] - 12, present[0]["y"] + present[0]["h"] / 2, 0)
    nav = layout["nav"]
    assert shot.getpixel((700, int(nav["y"] + 2))) == (0xF7, 0xF8, 0xFA)


@pytest.mark.browser
@needs_chromium
def test_hostile_summary_stays_text_in_the_browser(tmp_path):
    hostile_summary_report(tmp_path)
    dom = dumped_dom(tmp_path, tmp_path / "hostile-summary.html")
    assert_inert(dom)
    assert [tag for tag, _ in dom.tags].count("img") == 0  # the text document has no page images
    shown = "".join(dom.text)
    assert "item 1: <img src=x onerror=alert(3)>" in shown and "extract.<script>alert(2)</script>" in shown
    assert json.loads(dom.layout)["links"]  # the report's own script ran (the CSP hash matches)


def test_report_files_are_read_from_the_installed_package(tmp_path):
    """The package alone (as a wheel installs it, models/ inside) writes a styled, scripted
    report from another folder: report.css and report.js come with the package."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "pipeline", site / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", site / "pipeline" / "models")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = shutil.copy(RAW / f"{STYREGRUPPE}.txt", elsewhere / "m.txt")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from pipeline.parse import parse_document\n"
        "from pipeline.report.inspect import render_report\n"
        "import pipeline.report.page as page\n"
        "print(page.__file__)\n"
        "render_report(parse_document(sys.argv[2], model='blank'), 'r.html')\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(site), str(sample)], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert Path(r.stdout.strip()).resolve().is_relative_to(site.resolve())
    text = (elsewhere / "r.html").read_text(encoding="utf-8")
    assert asset("report.js").strip() in text and asset("report.css").strip()[:200] in text
