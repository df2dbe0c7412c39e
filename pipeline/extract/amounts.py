"""Money amounts with their context: item, table row label, column period.

Tables come in two forms that must give the same rows: a ruled PDF table
(cells from pdfplumber) and its text rendering ("Region Nordjylland
759.279 kr. 7.59.279 kr.").  Both are read the same way: a header line
naming periods ("2022", "2023 (anslået)") followed by rows of a label and
one amount per period.  A malformed number is repaired only by the rules in
``pipeline.money`` and then checked against the table (same row, column
total); a total row that does not add up gives a diagnostic, never a fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..money import Money, corroborate, find_money, format_danish
from ..records import Amount, Diagnostic, Line

_PERIOD = re.compile(r"(?P<p>(?:19|20)\d{2}(?:\s*/\s*\d{2,4})?(?:\s*\([^)]{1,30}\))?|budget\s+\d{4}|i alt|total)", re.I)
_TOTAL = re.compile(r"^(?:total|i alt|sum|samlet|samlede?\s+\w+|heraf i alt)\b", re.I)
_YEAR_AFTER = re.compile(r"^\s*(?:i|for|pr\.?)\s+((?:19|20)\d{2})\b")


@dataclass(slots=True)
class TableRow:
    line: Line
    label: str
    amounts: list[Money]


@dataclass(slots=True)
class Table:
    header: Line
    caption: str | None
    periods: list[str]
    rows: list[TableRow] = field(default_factory=list)


def header_periods(line: Line) -> tuple[str | None, list[str]] | None:
    """("Sundhedsklynge Syd", ["2022", "2023 (anslået)"]) for a table header line."""
    if find_money(line.text):
        return None
    if len(line.cells) >= 3:
        periods = [c for c in line.cells[1:] if _PERIOD.fullmatch(c.strip())]
        if len(periods) == len(line.cells) - 1:
            return line.cells[0], periods
    found = list(_PERIOD.finditer(line.text))
    if len(found) < 2:
        return None
    tail = line.text[found[0].start():]
    if _PERIOD.sub("", tail).strip():
        return None
    return line.text[: found[0].start()].strip() or None, [m["p"].strip() for m in found]


def row_of(line: Line) -> TableRow | None:
    money = find_money(line.text)
    if not money:
        return None
    label = line.text[: money[0].start].strip(" :")
    if not label or len(label) > 60 or re.search(r"[.!?]$", label):
        return None
    # everything after the label must be amounts
    rest = line.text[money[0].start:]
    for m in money:
        rest = rest.replace(m.raw, " ", 1)
    if rest.strip(" |"):
        return None
    return TableRow(line=line, label=label, amounts=money)


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        hp = header_periods(lines[i])
        if hp:
            t = Table(header=lines[i], caption=hp[0], periods=hp[1])
            j = i + 1
            while j < len(lines) and (r := row_of(lines[j])) and len(r.amounts) <= len(t.periods):
                t.rows.append(r)
                j += 1
            if t.rows:
                tables.append(t)
                i = j
                continue
        i += 1
    return tables


def _check_table(t: Table, item_no: int | None) -> tuple[dict[int, dict[int, Money]], list[Diagnostic]]:
    """Corroborate repaired cells and compare total rows with column sums."""
    diags: list[Diagnostic] = []
    cells: dict[int, dict[int, Money]] = {r: {c: m for c, m in enumerate(row.amounts)} for r, row in enumerate(t.rows)}
    total_rows = [r for r, row in enumerate(t.rows) if _TOTAL.match(row.label)]
    body_rows = [r for r in cells if r not in total_rows]
    for r, row in enumerate(t.rows):
        for c, m in list(cells[r].items()):
            if not m.repaired:
                continue
            evidence: dict[str, float] = {}
            for c2, m2 in cells[r].items():
                if c2 != c and m2.value is not None and not m2.repaired:
                    evidence[f"same row, column {t.periods[c2]}"] = m2.value
            for tr in total_rows:
                if tr != r and c in cells[tr] and cells[tr][c].value is not None:
                    others = [cells[b][c].value for b in body_rows if b != r and c in cells[b] and cells[b][c].value is not None]
                    if len(others) == len(body_rows) - 1:
                        evidence[f"column total minus the other rows ({t.periods[c]})"] = cells[tr][c].value - sum(others)
            cells[r][c] = corroborate(m, evidence)
    for tr in total_rows:
        for c, total in cells[tr].items():
            parts = [cells[b][c] for b in body_rows if c in cells[b]]
            if total.value is None or not parts or any(p.value is None for p in parts):
                continue
            s = sum(p.value for p in parts)
            period = t.periods[c] if c < len(t.periods) else f"column {c + 1}"
            if abs(s - total.value) > 0.005:
                diff = total.value - s
                diags.append(
                    Diagnostic(
                        "extract.amounts",
                        "warning",
                        f"item {item_no}: '{t.rows[tr].label}' for {period} is {format_danish(total.value)} kr. but the rows above sum to "
                        f"{format_danish(s)} kr. (difference {format_danish(diff)} kr.); values kept as printed",
                        page=t.rows[tr].line.page,
                        line=t.rows[tr].line.no,
                    )
                )
            else:
                diags.append(Diagnostic("extract.amounts", "info", f"item {item_no}: '{t.rows[tr].label}' for {period} equals the sum of its column", page=t.rows[tr].line.page, line=t.rows[tr].line.no))
    return cells, diags


def _to_amount(m: Money, item_no: int | None, line: Line, label=None, period=None, context=None) -> Amount:
    return Amount(
        item_no=item_no,
        raw=m.raw,
        value=m.value,
        currency=m.currency,
        label=label,
        period=period,
        repaired=m.repaired,
        repair_note=m.repair_note,
        page=line.page,
        line=line.no,
        context=context,
    )


def extract_amounts(lines: list[Line], item_no: int | None) -> tuple[list[Amount], list[Diagnostic]]:
    """All money amounts in the lines of one item (or of the header)."""
    out: list[Amount] = []
    diags: list[Diagnostic] = []
    in_table: set[int] = set()
    for t in find_tables(lines):
        cells, d = _check_table(t, item_no)
        diags += d
        for r, row in enumerate(t.rows):
            in_table.add(row.line.no)
            for c, m in sorted(cells[r].items()):
                period = t.periods[c] if len(row.amounts) == len(t.periods) else None
                out.append(_to_amount(m, item_no, row.line, label=row.label, period=period, context=t.caption))
                if m.value is None:
                    diags.append(Diagnostic("extract.amounts", "warning", f"item {item_no}: '{m.raw}' not read as a number: {m.problem}", page=row.line.page, line=row.line.no))
    # free text: join lines so an amount broken over a line end is found once
    text, starts = "", []
    rows = [ln for ln in lines if ln.no not in in_table]
    for ln in rows:
        starts.append(len(text))
        text += ln.text + "\n"
    for m in find_money(text):
        k = max(i for i, s in enumerate(starts) if s <= m.start)
        ln = rows[k]
        period = None
        ym = _YEAR_AFTER.match(text[m.end:m.end + 12])
        if ym:
            period = ym.group(1)
        sentence = _sentence_around(text, m.start, m.end)
        out.append(_to_amount(m, item_no, ln, period=period, context=sentence))
        if m.value is None:
            diags.append(Diagnostic("extract.amounts", "warning", f"item {item_no}: '{m.raw}' not read as a number: {m.problem}", page=ln.page, line=ln.no))
    out.sort(key=lambda a: (a.line or 0))
    return out, diags


def _sentence_around(text: str, start: int, end: int) -> str:
    # the sentence starts after a sentence end, a blank line, or a line break before a capital
    starts = [m.end() - 1 for m in re.finditer(r"[.!?:]\s|\n\n|\n(?=[A-ZÆØÅ•])", text[:start])]
    a = starts[-1] if starts else -1
    b_candidates = [i for i in (text.find(". ", end), text.find(".\n", end)) if i != -1]
    b = min(b_candidates) + 1 if b_candidates else len(text)
    return re.sub(r"\s+", " ", text[a + 1 if a >= 0 else 0: b]).strip()


def _differ(a: str | None, b: str | None) -> bool:
    """Whether two labels (or periods) are both given and not the same."""
    return a is not None and b is not None and a != b


def _repeats(earlier: Amount, later: Amount) -> bool:
    """Whether ``later`` states the same amount as ``earlier`` again.

    The same value in the same currency, unless a table row label or a period
    tells them apart (a budget's 2022 and 2023 columns may hold equal values;
    they are two facts, not one fact printed twice).  Ranges and unreadable
    amounts (no value) repeat nothing.
    """
    return (
        earlier.value is not None
        and earlier.value == later.value
        and earlier.currency == later.currency
        and not _differ(earlier.label, later.label)
        and not _differ(earlier.period, later.period)
    )


def number_amounts(amounts) -> tuple[Amount, ...]:
    """Number the amounts of each item (``seq`` from 1, in document order) and mark repeats.

    ``repeat_of`` is the ``seq`` of the first amount of the same item that the
    amount repeats (see ``_repeats``); it always names an amount that is no
    repeat itself.  The header's amounts (``item_no`` None) are numbered as
    one more item.  The amounts are returned in the order given.
    """
    seqs: dict[int | None, int] = {}
    firsts: dict[int | None, list[Amount]] = {}
    out = []
    for a in amounts:
        seq = seqs[a.item_no] = seqs.get(a.item_no, 0) + 1
        first = next((f for f in firsts.setdefault(a.item_no, []) if _repeats(f, a)), None)
        numbered = replace(a, seq=seq, repeat_of=first.seq if first else None)
        if first is None:
            firsts[a.item_no].append(numbered)
        out.append(numbered)
    return tuple(out)
