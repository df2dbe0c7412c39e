"""Synthetic benchmark corpus: referater in the style of the two samples.

The two sample PDFs in ``data/raw/`` are made by ``scripts/make_sample_pdfs.py``
from their seed text.  This module reuses that script's typesetting (fonts,
styles, flowables, ``render``, the ruled money table and the header box; the
script is loaded by path with ``importlib``, nothing in it is changed) and
feeds it *generated* content: names, titles and organisations drawn from the
project's lexicons in ``models/lexicons/``, dates, times, amounts, agenda item
titles, texts, and the number of items, all from a seeded ``random.Random``.

Two families, like the samples:

* ``politisk``: "REFERAT" title, meeting line, attendance lists (Mødedeltagere,
  observers, Administrativ deltagelse, Afbud), items "N. Title – kl. HH.MM –
  HH.MM" with "v./ presenter", description, "Det indstilles, at …:" with
  numbered points, "Referat:", sometimes a ruled money table and "Bilag:"
  bullets; centred "Side N af M" footer.
* ``styregruppe``: title and running "Side N af M" line as page furniture, a
  ruled header box (Emne / Deltagere / Gæster / Mødedato / Tid og sted),
  "Dagsorden:", items "N. Title ved Name", "Det indstilles:" + "At …" lines,
  minutes without a label, sign-off "Således opfattet XY" / "Godkendt af …".

Pages break automatically (the sample script only breaks where told); a
document gets a target page count of 1–10 and items are added until the next
one would not fit.  Output is deterministic for a given seed (reportlab
invariant mode, fixed creation date per document).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "make_sample_pdfs.py"
LEXICONS = REPO / "models" / "lexicons"
#: bump when the generated content changes (a cached corpus is rebuilt)
GENERATOR_VERSION = 3


def _load_script():
    name = "referat_make_sample_pdfs"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look the module up while the class is built
    spec.loader.exec_module(mod)
    return mod


msp = _load_script()
cm = msp.cm
REGULAR, BOLD = msp.REGULAR, msp.BOLD
PAGE_WIDTH, PAGE_HEIGHT = msp.PAGE_WIDTH, msp.PAGE_HEIGHT


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
def _encodable(text: str) -> bool:
    msp.register_fonts()
    try:
        codes = text.encode(msp.TEXT_ENCODING)
    except UnicodeEncodeError:
        return False
    widths = msp.pdfmetrics.getFont(REGULAR).widths
    return all(widths[c] for c in codes)


def _lexicon(name: str, limit: int | None = None) -> list[str]:
    out = []
    for raw in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        s = raw.strip()
        if s and not s.startswith("#") and _encodable(s):
            out.append(s)
    return out[:limit] if limit else out


GIVEN = [g for g in _lexicon("given_names.txt") if g[:1].isupper() and "-" not in g]
SURNAMES = [s for s in _lexicon("surnames.txt") if s[:1].isupper()]
TITLES = [t for t in _lexicon("titles.txt") if len(t) <= 28 and not t[:1].isdigit() and "-" not in t]
ORGS = [o for o in _lexicon("organisations.txt") if len(o) <= 34]
KOMMUNER = [o for o in ORGS if o.endswith(" Kommune")]
REGIONER = ["Region Nordjylland", "Region Midtjylland", "Region Syddanmark", "Region Sjælland", "Region Hovedstaden"]
KLYNGER = ["Syd", "Nord", "Vest", "Øst", "Midt", "Aalborg", "Vendsyssel", "Himmerland", "Thy-Mors", "Fyn", "Lillebælt", "Sjælland"]
ROOMS = ["Mødelokale K, Regionshuset", "Mødelokale 2, Rådhuset", "Byrådssalen, Rådhuset", "Lokale 1.14, Sundhedshuset", "Kantinen, Hospitalet"]
STREETS = ["Niels Bohrs Vej 30, 9220 Aalborg Øst", "Torvet 1, 9500 Hobro", "Hobrovej 88, 9530 Støvring", "Vestergade 5, 9600 Aars", "Skottenborg 26, 8800 Viborg"]
WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
TOPICS = [
    "rekruttering og fastholdelse", "digitale løsninger", "mental sundhed", "lighed i sundhed",
    "den ældre medicinske patient", "nærhospitaler", "akutområdet", "genoptræning", "forebyggelse",
    "sundhedsaftalen", "datadeling på tværs af sektorer", "telemedicin", "ernæring", "børn og unges trivsel",
    "psykiatrien", "kronisk sygdom", "vaccination", "hjemmesygeplejen", "praksissektoren", "demens",
    "udskrivelsesforløb", "patientinddragelse", "virtuel sundhedsundervisning", "sundhedsdata",
]
DOCUMENTS = ["kommissorium", "forretningsorden", "handleplan", "årsplan", "budget", "projektbeskrivelse", "mødeplan", "samarbejdsaftale"]
TITLE_FORMS = [
    "Godkendelse af {doc} for {topic}", "Orientering om {topic}", "Status på arbejdet med {topic}",
    "Drøftelse af {topic}", "Klyngemidler {year} og {year1}", "Budget {year} for {topic}", "Handleplan for {topic}",
    "Evaluering af indsatsen for {topic}", "Fast punkt: Inddragelse af patienter og pårørende", "Præsentation af data om {topic}",
    "Seminar om {topic}", "Nyt fra arbejdsgruppen for {topic}",
]
DESCRIPTION = [
    "{org} har fremsendt et oplæg om {topic}, som danner grundlag for drøftelsen på mødet.",
    "Der er afsat {amount} i {year} til arbejdet med {topic}, og midlerne kan overføres til {year1}.",
    "Arbejdsgruppen har siden sidste møde afdækket mulighederne for at styrke {topic} på tværs af sektorerne.",
    "{name} vil på mødet give en kort præsentation af status og de næste skridt i arbejdet.",
    "Projektet forventes at kunne nedbringe ventetiden, øge borgernes livskvalitet og frigøre tid i hjemmeplejen.",
    "Sagen blev senest behandlet på mødet den {date}, hvor der blev efterspurgt et mere konkret oplæg.",
    "Det foreslås, at der nedsættes en arbejdsgruppe med repræsentanter fra {org} og {org2}.",
    "Udgifterne til projektet udgør i alt {amount}, heraf finansieres {amount2} af {org}.",
    "Sundhedsdatastyrelsen har udarbejdet nøgletal på tværs af kommune, almen praksis og hospital for {topic}.",
    "Der er fortsat store udfordringer med {topic}, og flere borgere oplever lange forløb mellem sektorerne.",
    "Administrationen anbefaler, at der bruges klyngemidler på at få opstartet og implementeret indsatsen.",
    "Lov om ændring af sundhedsloven blev vedtaget af Folketinget den {date} og træder i kraft {date2}.",
]
MINUTES = [
    "{body} godkendte {doc} med de bemærkninger, der kom frem på mødet.",
    "{body} tog orienteringen til efterretning.",
    "{body} drøftede {topic}, og der var enighed om at arbejde videre med de foreslåede temaer.",
    "{body} besluttede, at midlerne fra {year} overføres til {year1}.",
    "Punktet blev udsat til næste møde, da {name} var forhindret i at deltage.",
    "{name} gav en kort orientering, og oplægget udsendes sammen med referatet.",
    "Der var enighed om, at {org} og {org2} sammen udarbejder et oplæg til næste møde.",
    "Det blev aftalt, at sekretariatet indhenter yderligere oplysninger om økonomien på {amount}.",
    "Styregruppen bemærker, at arbejdet med {topic} skal ses i sammenhæng med sundhedsaftalen.",
    "Der var ingen bemærkninger til punktet.",
]
POL_POINTS = [
    "Godkender {doc}.", "Tager orienteringen til efterretning.", "Drøfter {topic} og giver input til det videre arbejde.",
    "Beslutter, at midlerne fra {year} overføres til {year1}.", "Bevilger {amount} til arbejdet med {topic}.",
    "Aftaler den videre proces.",
]
STY_POINTS = [
    "At orienteringen tages til efterretning", "At punktet drøftes", "At {doc} godkendes",
    "At der træffes beslutning om {topic}", "At emnet drøftes på baggrund af oplæg",
]
ATTACHMENTS = ["Oplæg om {topic}", "Notat fra {org}", "Udkast til {doc}", "Referat fra arbejdsgruppen", "Datapakke fra Sundhedsdatastyrelsen"]


def dk_amount(value: int) -> str:
    """1499126 -> '1.499.126 kr.'"""
    return f"{value:,}".replace(",", ".") + " kr."


def dk_date(d: dt.date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


class Content:
    """Random content for one document (names, topics, sentences)."""

    def __init__(self, rng: random.Random, year: int, body: str):
        self.rng = rng
        self.year = year
        self.body = body
        self.people: list[tuple[str, str, str]] = []  # (name, title, organisation)

    def person(self) -> tuple[str, str, str]:
        r = self.rng
        given = r.choice(GIVEN)
        middle = f" {r.choice(SURNAMES)}" if r.random() < 0.35 else ""
        name = f"{given}{middle} {r.choice(SURNAMES)}"
        return name, r.choice(TITLES), r.choice(KOMMUNER + REGIONER + ORGS[:40])

    def amount(self) -> str:
        r = self.rng
        if r.random() < 0.25:
            return f"{r.randint(2, 90)} mio. kr."
        return dk_amount(r.randint(10_000, 9_999_999))

    def date(self) -> str:
        return dk_date(dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364)))

    def _fill(self, template: str) -> str:
        r = self.rng
        names = [p[0] for p in self.people] or [self.person()[0]]
        orgs = r.sample(KOMMUNER + REGIONER, 2)
        return template.format(
            org=orgs[0], org2=orgs[1], topic=r.choice(TOPICS), doc=r.choice(DOCUMENTS), year=self.year,
            year1=self.year + 1, amount=self.amount(), amount2=self.amount(), name=r.choice(names),
            date=self.date(), date2=self.date(), body=self.body,
        )

    def paragraph(self, pool: list[str], lo: int, hi: int) -> str:
        return " ".join(self.fill(self.rng.choice(pool)) for _ in range(self.rng.randint(lo, hi)))

    def fill(self, template: str) -> str:
        return self._fill(template).replace("kr..", "kr.")


#: words at least this long are hyphenated at a line end, as Word does
HYPHENATE_MIN = 12


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking; a long word that does not fit is split with "-"
    when at least 5 letters fit ("sund-" / "hedsklyngens" in the samples)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if cur and msp.text_width(trial, font, size) > width:
            if len(word) >= HYPHENATE_MIN and word.isalpha():
                cut = 0
                for k in range(5, len(word) - 4):
                    if msp.text_width(f"{cur} {word[:k]}-", font, size) > width:
                        break
                    cut = k
                if cut:
                    lines.append(f"{cur} {word[:cut]}-")
                    cur = word[cut:]
                    continue
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


# --------------------------------------------------------------------------
# Pagination: insert page breaks where the next flowable would not fit
# --------------------------------------------------------------------------
class Pager:
    """Mirror of ``paginate`` in the sample script that breaks pages itself."""

    def __init__(self, layout):
        self.layout = layout
        self.flow: list = []
        self.pages = 1
        self.y = layout.body_top
        self.pending = 0.0
        self.empty = True

    def state(self):
        return (len(self.flow), self.pages, self.y, self.pending, self.empty)

    def restore(self, st) -> None:
        n, self.pages, self.y, self.pending, self.empty = st
        del self.flow[n:]

    def add(self, item) -> None:
        L = self.layout
        if isinstance(item, msp.Gap):
            if not self.empty:
                self.pending += item.height
            self.flow.append(item)
            return
        y = self.y - (max(self.pending, item.space_before) if not self.empty else 0.0)
        if y - item.height < L.body_bottom - 0.01:
            if self.empty:
                raise msp.LayoutError("a flowable is taller than a page")
            self.flow.append(msp.PageBreak())
            self.pages += 1
            y = L.body_top
        self.pending = 0.0
        self.flow.append(item)
        self.y = y - item.height
        self.empty = False

    def extend(self, items) -> None:
        for it in items:
            self.add(it)


# --------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------
@dataclass
class Spec:
    family: str
    pdf_name: str
    target_pages: int
    seed: int
    exact: bool = False  # fill with short items until exactly target_pages


def _styles_pol():
    S = msp.Style
    size, leading = 10.0, 11.5
    return size, leading, {
        "title": S(BOLD, 16, 20),
        "subtitle": S(BOLD, 13, 17, space_before=2),
        "heading": S(BOLD, size, leading),
        "group": S(BOLD, size, leading, space_before=8),
        "label": S(BOLD, size, leading),
        "body": S(REGULAR, size, leading),
    }


def _styles_sty():
    S = msp.Style
    size, leading = 11.0, 13.5
    return size, leading, {
        "heading": S(BOLD, size, leading, space_before=0.5 * leading),
        "group": S(BOLD, size, leading, space_before=4),
        "label": S(BOLD, size, leading),
        "body": S(REGULAR, size, leading),
    }


def _para(text: str, style, width: float, indent: float = 0.0, marker: str | None = None) -> list:
    out = []
    for k, ln in enumerate(wrap(text, style.font, style.size, width - indent)):
        out.append(msp.Line(ln, style, marker=marker if k == 0 else None, indent=indent))
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def politisk(spec: Spec, out_dir: Path) -> tuple[Path, int]:
    rng = random.Random(spec.seed)
    year = rng.randint(2021, 2025)
    klynge = rng.choice(KLYNGER)
    body = f"Politisk Sundhedsklynge {klynge}"
    c = Content(rng, year, body)
    size, leading, st = _styles_pol()
    layout = msp.Layout(left=2.5 * cm, right=2.0 * cm, body_top=PAGE_HEIGHT - 2.0 * cm, body_bottom=2.0 * cm,
                        furniture=msp.centred_footer)
    W = layout.body_width
    hang = 0.63 * cm
    gap = msp.Gap(0.5 * leading)
    p = Pager(layout)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    start = rng.choice([8 * 60, 9 * 60, 13 * 60, 15 * 60, 16 * 60, 17 * 60])
    small = spec.target_pages <= 2
    p.extend([msp.Line("REFERAT", st["title"]), msp.Line(body, st["subtitle"])])
    p.add(msp.Line(f"{WEEKDAYS[date.weekday()]} den {dk_date(date)} kl. {_clock(start)} – {_clock(start + 120)}", st["body"]))
    p.add(msp.Line(rng.choice(ROOMS), st["body"]))
    p.add(msp.Line(rng.choice(STREETS), st["body"]))
    groups = [("Mødedeltagere", rng.randint(3, 5) if small else rng.randint(5, 10)),
              ("Udvalgsformænd med observatørstatus:", 0 if small else rng.randint(0, 6)),
              ("Administrativ deltagelse", rng.randint(1, 3) if small else rng.randint(3, 9))]
    present = []
    for heading, n in groups:
        if not n:
            continue
        p.add(msp.Line(heading, st["group"]))
        for _ in range(n):
            name, title, org = c.person()
            present.append(name)
            c.people.append((name, title, org))
            p.extend(_para(f"{name}, {title} {org}", st["body"], W))
            if heading == "Mødedeltagere" and rng.random() < 0.5:
                p.add(gap)
        p.add(gap)
    if present and rng.random() < 0.85:
        p.add(msp.Line("Afbud", st["group"]))
        for name in rng.sample(present, min(len(present), rng.randint(1, 4))):
            sub = f" ({c.person()[0]} deltager i hendes sted)" if rng.random() < 0.3 else ""
            p.add(msp.Line(f"{name}{sub}", st["body"]))

    t = start

    def item(no: int, short: bool = False) -> list:
        nonlocal t
        out: list = [gap]
        dur = rng.choice([5, 10, 15, 20, 25, 30])
        title = "Eventuelt" if short else c.fill(rng.choice(TITLE_FORMS))
        head = f"{no}. {title} – kl. {_clock(t)} – {_clock(t + dur)}"
        t = min(t + dur, 23 * 60)
        out += _para(head, st["heading"], W)
        if short:
            out += [msp.Line("Referat:", st["label"])] + _para(c.fill(rng.choice(MINUTES)), st["body"], W)
            return out
        if rng.random() < 0.6:
            out.append(msp.Line(f"v./ {rng.choice(present or [c.person()[0]])}", st["body"]))
        out += [gap] + _para(c.paragraph(DESCRIPTION, 2, 7), st["body"], W)
        money = rng.random() < 0.2
        if money:
            hdr = (f"Sundhedsklynge {klynge}"[:30], str(year), f"{year + 1} (anslået)")
            rows = [hdr]
            for org in rng.sample(KOMMUNER, rng.randint(1, 3)) + [rng.choice(REGIONER), "Total"]:
                a = rng.randint(100_000, 2_000_000)
                rows.append((org, dk_amount(a), dk_amount(a if rng.random() < 0.7 else rng.randint(100_000, 2_000_000))))
            out.append(msp.Line(f"For {body} udgør de fælles midler:", st["body"]))
            out.append(msp.money_table(rows, W, size))
        out += [gap, msp.Line(f"Det indstilles, at {body}:", st["label"])]
        for k in range(1, rng.randint(1, 3) + 1):
            out += _para(c.fill(rng.choice(POL_POINTS)), st["body"], W, indent=hang, marker=f"{k}.")
        out += [gap, msp.Line("Referat:", st["label"])] + _para(c.paragraph(MINUTES, 1, 5), st["body"], W)
        if rng.random() < 0.4:
            out += [gap, msp.Line("Bilag:", st["label"])]
            for _ in range(rng.randint(1, 3)):
                out += _para(c.fill(rng.choice(ATTACHMENTS)), st["body"], W, indent=hang, marker="•")
        return out

    _fill_items(p, item, spec)
    doc = msp.Document(seed=Path(spec.pdf_name), pdf_name=spec.pdf_name, title=f"Referat – {body} {dk_date(date)}",
                       author=f"Sundhedsklynge {klynge}", subject=f"Referat af møde i {body}",
                       created=(date.year, date.month, date.day), pages=p.pages, layout=layout, flow=p.flow)
    msp.render(doc, out_dir)
    return out_dir / spec.pdf_name, p.pages


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())[:3]


def styregruppe(spec: Spec, out_dir: Path) -> tuple[Path, int]:
    rng = random.Random(spec.seed)
    year = rng.randint(2021, 2025)
    klynge = rng.choice(KLYNGER)
    title_text = f"Referat Klyngestyregruppe {klynge}"
    c = Content(rng, year, "Styregruppen")
    size, leading, st = _styles_sty()
    page_line = msp.STY_PAGE_LINE_BASELINE

    def furniture(canvas, number: int, total: int) -> None:
        canvas.setFillGray(0)
        if number == 1:
            canvas.setFont(BOLD, 16)
            canvas.drawString(2.5 * cm, msp.STY_TITLE_BASELINE, title_text)
        canvas.setFont(REGULAR, 9)
        canvas.drawString(2.5 * cm, page_line, f"Side {number} af {total}")

    layout = msp.Layout(left=2.5 * cm, right=1.8 * cm, body_top=page_line - 0.7 * cm, body_bottom=1.8 * cm, furniture=furniture)
    W = layout.body_width
    hang = 0.63 * cm
    gap = msp.Gap(0.5 * leading)
    value_width = W - 3.2 * cm - 2 * msp.CELL_PAD
    small = spec.target_pages <= 1

    def fits(text: str, font=REGULAR) -> bool:
        return msp.text_width(text, font, 10.0) <= value_width

    participants = []
    for _ in range(rng.randint(3, 5) if small else rng.randint(6, 13)):
        name, title, org = c.person()
        c.people.append((name, title, org))
        line = f"{title.capitalize()} {name}, {org}"
        if rng.random() < 0.15:
            line += " – afbud"
        participants.append(line if fits(line) else f"{title.capitalize()} {name}" if fits(f"{title.capitalize()} {name}") else name)
    guests = []
    for _ in range(rng.randint(0, 1) if small else rng.randint(0, 4)):
        name, _, org = c.person()
        line = f"{name}, {org} – punkt {rng.randint(2, 6)}"
        guests.append(line if fits(line) else name)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    start = rng.choice([9 * 60, 10 * 60, 13 * 60, 14 * 60 + 30])
    values = [(x, REGULAR) for x in participants]
    if guests:
        values += [None, ("Gæster som deltager", BOLD)] + [(x, REGULAR) for x in guests]
    rows = [
        msp.BoxRow("Emne:", [(f"Møde {rng.randint(1, 8)}, {year} Styregruppe Klynge {klynge}", REGULAR)]),
        msp.BoxRow("Deltagere:", values),
        msp.BoxRow("Mødedato:", [(f"{WEEKDAYS[date.weekday()]} den {date.day}.{MONTHS[date.month - 1]} kl.{_clock(start)} til kl.{_clock(start + 120)}", REGULAR)]),
        msp.BoxRow("Tid og sted:", [(rng.choice(["Online – link er i mødeindkaldelsen", *ROOMS]), REGULAR)]),
    ]
    p = Pager(layout)
    p.add(msp.header_box(rows, W, 10.0, 12.0))
    p.add(gap)
    p.add(msp.Line("Dagsorden:", st["group"]))
    names = [x[0] for x in c.people]

    def item(no: int, short: bool = False) -> list:
        out: list = [gap]
        if short:
            return out + _para(f"{no}. Evt.", st["heading"], W) + _para(c.fill(rng.choice(MINUTES)), st["body"], W)
        head = f"{no}. {c.fill(rng.choice(TITLE_FORMS))} ved {rng.choice(names)}"
        out += _para(head, st["heading"], W)
        if rng.random() < 0.6:
            out += _para(c.paragraph(DESCRIPTION, 1, 6), st["body"], W)
        if rng.random() < 0.3:
            out += [gap, msp.Line("Bilag: 1", st["label"]), msp.Line(c.fill(rng.choice(ATTACHMENTS)), st["body"])]
        out += [gap, msp.Line("Det indstilles:", st["label"])]
        for _ in range(rng.randint(1, 2)):
            out += _para(c.fill(rng.choice(STY_POINTS)), st["body"], W)
        out += [gap] + _para(c.paragraph(MINUTES, 1, 5), st["body"], W)
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 3)):
                out += _para(c.fill(rng.choice(MINUTES)), st["body"], W, indent=hang, marker="•")
        return out

    _fill_items(p, item, spec)
    signoff = [gap, gap, msp.Line(f"Således opfattet {_initials(rng.choice(names))}", st["body"]),
               msp.Line(f"Godkendt af {_initials(names[0])} og {_initials(names[-1])}", st["body"])]
    s = p.state()
    p.extend(signoff)
    if p.pages > spec.target_pages and s[1] <= spec.target_pages:
        p.restore(s)
    doc = msp.Document(seed=Path(spec.pdf_name), pdf_name=spec.pdf_name, title=f"{title_text} {dk_date(date)}",
                       author=f"Sundhedsklynge {klynge}", subject=f"Referat af møde i Styregruppe Klynge {klynge}",
                       created=(date.year, date.month, date.day), pages=p.pages, layout=layout, flow=p.flow)
    msp.render(doc, out_dir)
    return out_dir / spec.pdf_name, p.pages


def _fill_items(p: Pager, item, spec: Spec) -> None:
    """Add items until the next one would overflow the target page count."""
    no = 1
    while True:
        s = p.state()
        p.extend(item(no))
        if p.pages > spec.target_pages:
            if no > 1:
                p.restore(s)
            else:
                no += 1
            break
        no += 1
        if no > 990:
            break
    # short items ("Eventuelt"/"Evt.") close the document; for an exact page
    # count they also fill the last page
    while no <= 999:
        s = p.state()
        p.extend(item(no, short=True))
        if p.pages > spec.target_pages:
            p.restore(s)
            break
        no += 1
        if not spec.exact:
            break
        if p.pages == spec.target_pages and p.y - p.layout.body_bottom < 80:
            break


FAMILIES = {"politisk": politisk, "styregruppe": styregruppe}


def build(specs: list[Spec], out_dir: Path) -> list[dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for spec in specs:
        path, pages = FAMILIES[spec.family](spec, out_dir)
        manifest.append({"path": str(path), "pages": pages, "family": spec.family, "target_pages": spec.target_pages,
                         "bytes": path.stat().st_size})
    return manifest


def corpus_specs(n_docs: int, seed: int = 20240601, max_pages: int = 10) -> list[Spec]:
    """``n_docs`` documents, the families alternating, 1..max_pages pages each."""
    rng = random.Random(seed)
    specs = []
    for i in range(n_docs):
        fam = "politisk" if i % 2 == 0 else "styregruppe"
        specs.append(Spec(fam, f"{i:04d}_{fam}.pdf", target_pages=rng.randint(1, max_pages), seed=rng.randrange(2**31)))
    return specs


def big_spec(pages: int, seed: int = 7) -> Spec:
    return Spec("politisk", f"big_{pages}p.pdf", target_pages=pages, seed=seed, exact=True)
