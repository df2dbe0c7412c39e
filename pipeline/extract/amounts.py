"""Money amounts with their context: item, table row label, column period.

Tables come in two forms that must give the same rows: a ruled PDF table
(cells from pdfplumber) and its text rendering ("Region Nordjylland
759.279 kr. 7.59.279 kr.").  Both are read the same way: a header line
naming periods ("2022", "2023 (anslået)") followed by rows of a label and
one amount per period.  A malformed number is repaired only by the rules in
``pipeline.money`` and then checked against the table (same row, column
total); a total row that does not add up gives a diagnostic, never a fix.

Tables whose numbers are printed without a unit are read only where the
unit is stated (``models/rules/money.toml``: ``unit_declarations``): in a
caption above the table ("Tabel 1 - Anlæg (1.000 kr.)", "Mio. kr.") or in a
column header ("Beløb i kr.").  Their amounts say where the unit came from
(``Amount.unit_note``).  A column headed by a word of ``non_money_columns``
("Nr.", "Antal", "%") and a number before a row's label (a row number or
code) are never money.  A table flattened column by column (its unit, then
every label, then every number) is read when the labels and numbers pair up
one to one.  A total row ("I alt", "Ialt:") printed without a unit under
rows of amounts in kroner is read in kroner too.

Repeats: :func:`number_amounts` numbers an item's amounts and marks an
amount that states an earlier one again (``repeat_of``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..money import Money, corroborate, declared_unit, find_money, format_danish, money_rules, parse_money, read_cell
from ..records import Amount, Diagnostic, Line

_PERIOD = re.compile(r"(?P<p>(?:19|20)\d{2}(?:\s*/\s*\d{2,4})?(?:\s*\([^)]{1,30}\))?|budget\s+\d{4}|i alt|total)", re.I)
_YEAR_AFTER = re.compile(r"^\s*(?:i|for|pr\.?)\s+((?:19|20)\d{2})\b")


@dataclass(slots=True)
class TableRow:
    """One row of a money table: its label and its amounts.

    ``columns`` gives the column of each amount (default: the amounts fill
    the columns from the first).
    """

    line: Line
    label: str | None
    amounts: list[Money]
    columns: list[int] = field(default_factory=list)

    def cells(self) -> dict[int, Money]:
        """The row's amounts by column."""
        return dict(zip(self.columns or range(len(self.amounts)), self.amounts))


@dataclass(slots=True)
class Table:
    """A money table: header line, caption, a name per column, rows.

    ``unit`` is set when the table's numbers are printed without a unit and
    the table states it away from them (a caption or a column header).
    """

    header: Line
    caption: str | None
    periods: list[str | None]
    rows: list[TableRow] = field(default_factory=list)
    unit: "Declaration | None" = None

    def column_name(self, c: int) -> str:
        """The name of column ``c`` for a message: its header, or "column N"."""
        name = self.periods[c] if c < len(self.periods) else None
        return name or f"column {c + 1}"


@dataclass(frozen=True, slots=True)
class Declaration:
    """A unit stated away from the numbers it applies to.

    ``where`` is "table caption" (the whole table) or "column header" (the
    column ``column`` only, or the whole table when the unit heads the label
    column); ``text`` is that caption or header cell as printed and ``unit``
    the unit in it.
    """

    where: str
    text: str
    unit: str
    currency: str
    scale: float
    column: int | None = None

    @property
    def note(self) -> str:
        """What ``Amount.unit_note`` says of an amount read in this unit."""
        return f"unit {self.unit!r} from the {self.where} {self.text!r}"


def header_periods(line: Line) -> tuple[str | None, list[str]] | None:
    """("Sundhedsklynge Syd", ["2022", "2023 (anslået)"]) for a table header line, else None."""
    if not _PERIOD.search(line.text):
        return None  # (cheap first: most lines name no period)
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
    """A table row of a label and amounts that print their own currency ("Region Nord  759.279 kr."), or None."""
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
    """Tables of a header naming periods ("2022  2023 (anslået)") over rows of amounts with their currency."""
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


def is_total(label: str | None, rules=None) -> bool:
    """Whether a row label names a total ("I alt", "Ialt:", "Total", "Udgifter i alt")."""
    rules = rules if rules is not None else money_rules()
    return bool(label) and any(p.match(label.strip()) for p in rules.total_labels)


def cells_of(line: Line) -> list[str]:
    """The cells of a table line: split at "|" (text renderings of tables, Markdown), else
    the loader's cells (a wide gap in a PDF, two or more spaces in text), else the line."""
    text = line.text.strip()
    if "|" in text:
        if text.startswith("|") and text.endswith("|") and len(text) > 1:
            text = text[1:-1]  # Markdown's "| a | b |"; "| I alt | 22.417" keeps its empty first cell
        return [c.strip() for c in text.split("|")]
    return [c.strip() for c in line.cells] if len(line.cells) > 1 else [text]


def _unit_in(text: str, rules) -> str | None:
    """The unit a caption or header cell states ("Beløb i kr." -> "kr."), or None."""
    for p in rules.unit_declarations:
        m = p.search(text.strip())
        if m:
            return m.group("unit")
    return None


def declaration(line: Line, rules=None, previous: Line | None = None) -> Declaration | None:
    """The unit this line states for the table under (or on) it, or None.

    A line of several cells states it in a header cell ("Budget 2024 |
    Beløb i kr."); a line of one cell is a caption ("Tabel 2 (1.000 kr.)",
    "Mio. kr.").  "kr." alone under a line ending in a number is that
    number's currency, broken onto the next line, not a caption.
    """
    rules = rules if rules is not None else money_rules()
    cells = cells_of(line)
    if len(cells) > 1:
        for k, cell in enumerate(cells):
            unit = _unit_in(cell, rules)
            if unit:
                currency, scale = declared_unit(unit)
                return Declaration("column header", cell, unit, currency, scale, column=k or None)
        return None
    unit = _unit_in(line.text, rules)
    if unit is None or find_money(line.text, rules):
        return None
    if unit.strip() == line.text.strip() and previous is not None and re.search(r"\d\s*$", previous.text):
        return None  # "… et restbudget på 57.000" / "kr.": the number's currency on the next line
    currency, scale = declared_unit(unit)
    return Declaration("table caption", line.text.strip(), unit, currency, scale)


def _header_index(k: int, n_cells: int, header: list[str] | None) -> int | None:
    """The header cell above cell ``k`` of a row of ``n_cells`` cells (right-aligned when
    the counts differ: numbers stand in the right-hand columns), or None."""
    if header is None:
        return None
    h = k if len(header) == n_cells else k - (n_cells - len(header))
    return h if 0 <= h < len(header) else None


def _non_money_column(name: str | None, rules) -> bool:
    """Whether a column header names numbers that are no money ("Nr.", "Antal", "%")."""
    if not name:
        return False
    key = re.sub(r"\s+", " ", name.strip().rstrip(".:").strip()).casefold()
    return key in rules.non_money_columns or "%" in key


def _unit_row(line: Line, cells: list[str], header: list[str] | None, unit: Declaration, rules) -> TableRow | None:
    """A data row of a table with a declared unit, or None when the line holds no amount.

    The label is the first cell that is not a number; numbers before it are row
    numbers or codes.  A cell with its own currency keeps it; a bare number is
    read in the declared unit.
    """
    label_at = next((k for k, c in enumerate(cells) if c and read_cell(c) is None and parse_money(c, rules) is None), None)
    amounts, columns = [], []
    for k, cell in enumerate(cells):
        if label_at is not None and k <= label_at or not cell:
            continue
        h = _header_index(k, len(cells), header)
        if unit.where == "column header" and unit.column is not None and h != unit.column:
            continue  # the unit heads another column
        if _non_money_column(header[h] if h is not None else None, rules) or "%" in cell:
            continue
        m = parse_money(cell, rules) or read_cell(cell, unit.currency, unit.scale)
        if m is not None:
            amounts.append(m)
            columns.append(h if h is not None else k)
    if not amounts:
        return None
    label = cells[label_at].strip(" :") if label_at is not None else None
    return TableRow(line=line, label=label, amounts=amounts, columns=columns)


def _column_names(header: list[str] | None, n: int, rules) -> list[str | None]:
    """A name per column for a table of ``n`` columns: the header cells (a cell that only
    states the unit names nothing)."""
    names: list[str | None] = [None] * max(n, len(header or ()))
    for h, cell in enumerate(header or ()):
        if cell and not _unit_in(cell, rules):
            names[h] = cell
    return names


def _unit_table(lines: list[Line], i: int, unit: Declaration, rules) -> tuple[Table | None, int]:
    """The table under the declaration on line ``i`` and the index after it (or None, i + 1)."""
    header = cells_of(lines[i]) if unit.where == "column header" else None
    rows: list[TableRow] = []
    j, blanks = i + 1, 0
    while j < len(lines) and blanks < 2:
        ln = lines[j]
        if not ln.text.strip():
            blanks += 1
            j += 1
            continue
        cells = cells_of(ln)
        if len(cells) < 2:
            break
        if all(re.fullmatch(r"[:\-–= ]*", c) for c in cells):
            pass  # a Markdown rule under the header: "| --- | ---: |"
        elif header is None and not rows and all(read_cell(c) is None or _PERIOD.fullmatch(c) for c in cells):
            header = cells  # column names (or years) under the caption
        else:
            row = _unit_row(ln, cells, header, unit, rules)
            if row is None:
                break
            rows.append(row)
        blanks = 0
        j += 1
    if not rows:
        return _column_major(lines, i, unit, rules)
    n = max(max(r.columns) for r in rows) + 1
    caption = unit.text if unit.where == "table caption" else (header[0] if header and not _unit_in(header[0], rules) else None)
    return Table(header=lines[i], caption=caption, periods=_column_names(header, n, rules), rows=rows, unit=unit), j


def _is_label_line(text: str) -> bool:
    """Whether a line could be one row label of a table flattened column by column."""
    t = text.strip()
    return 0 < len(t) <= 60 and read_cell(t) is None and not re.search(r"[.!?:;,]$", t) and not find_money(t)


def _column_major(lines: list[Line], i: int, unit: Declaration, rules) -> tuple[Table | None, int]:
    """A two-column table flattened column by column under a caption stating its unit:
    every label on a line of its own, then every number ("Mio. kr." / "Hospital A" /
    "Hospital B" / "I alt" / "1,80" / "2,20" / "4,00").  Read only when the labels and
    the numbers pair up one to one."""
    if unit.where != "table caption":
        return None, i + 1
    body = [(k, lines[k]) for k in range(i + 1, min(len(lines), i + 400)) if lines[k].text.strip()]
    labels = []
    while body and _is_label_line(body[0][1].text) and len(cells_of(body[0][1])) == 1:
        labels.append(body.pop(0))
    numbers = []
    while body and len(numbers) < len(labels) and (m := read_cell(body[0][1].text, unit.currency, unit.scale)) is not None:
        numbers.append((body.pop(0), m))
    if len(labels) < 2 or len(numbers) != len(labels) or (body and read_cell(body[0][1].text) is not None):
        return None, i + 1
    rows = [TableRow(line=ln, label=lab.text.strip(), amounts=[m]) for (_, lab), ((_, ln), m) in zip(labels, numbers)]
    end = numbers[-1][0][0] + 1
    return Table(header=lines[i], caption=unit.text, periods=[None], rows=rows, unit=unit), end


def find_unit_tables(lines: list[Line], rules=None) -> list[Table]:
    """Tables whose numbers are printed without a unit that a caption or header states."""
    rules = rules if rules is not None else money_rules()
    tables: list[Table] = []
    i, previous = 0, None
    while i < len(lines):
        unit = declaration(lines[i], rules, previous)
        if unit is not None:
            table, end = _unit_table(lines, i, unit, rules)
            if table is not None:
                tables.append(table)
                i, previous = end, None
                continue
        if lines[i].text.strip():
            previous = lines[i]
        i += 1
    return tables


def _check_table(t: Table, item_no: int | None) -> tuple[dict[int, dict[int, Money]], list[Diagnostic]]:
    """Corroborate repaired cells and compare total rows with column sums."""
    diags: list[Diagnostic] = []
    cells: dict[int, dict[int, Money]] = {r: row.cells() for r, row in enumerate(t.rows)}
    total_rows = [r for r, row in enumerate(t.rows) if is_total(row.label)]
    body_rows = [r for r in cells if r not in total_rows]
    for r, row in enumerate(t.rows):
        for c, m in list(cells[r].items()):
            if not m.repaired:
                continue
            evidence: dict[str, float] = {}
            for c2, m2 in cells[r].items():
                if c2 != c and m2.value is not None and not m2.repaired:
                    evidence[f"same row, column {t.column_name(c2)}"] = m2.value
            for tr in total_rows:
                if tr != r and c in cells[tr] and cells[tr][c].value is not None:
                    others = [cells[b][c].value for b in body_rows if b != r and c in cells[b] and cells[b][c].value is not None]
                    if len(others) == len(body_rows) - 1:
                        evidence[f"column total minus the other rows ({t.column_name(c)})"] = cells[tr][c].value - sum(others)
            cells[r][c] = corroborate(m, evidence)
    for tr in total_rows:
        for c, total in cells[tr].items():
            parts = [cells[b][c] for b in body_rows if c in cells[b]]
            if total.value is None or not parts or any(p.value is None for p in parts):
                continue
            s = sum(p.value for p in parts)
            period = t.column_name(c)
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


def _to_amount(m: Money, item_no: int | None, line: Line, label=None, period=None, context=None, unit_note=None) -> Amount:
    """The record of one amount found on ``line``."""
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
        unit_note=unit_note,
    )


def _unreadable(m: Money, item_no: int | None, line: Line) -> Diagnostic:
    """The warning for an amount whose number could not be read."""
    return Diagnostic("extract.amounts", "warning", f"item {item_no}: '{m.raw}' not read as a number: {m.problem}", page=line.page, line=line.no)


def _total_line(line: Line, rules) -> tuple[str, Money] | None:
    """(label, number) of a total line printed without a unit ("Ialt: 1480,41", "I alt  2.890.000")."""
    cells = cells_of(line)
    if len(cells) >= 2:
        label, number = " ".join(cells[:-1]), cells[-1]
    else:
        m = re.fullmatch(r"(?P<label>.*?[^\d\s.,:-])[\s:]+(?P<number>[-–−]?\d[\d.,\s]*(?:[,.][-–])?)", line.text.strip())
        if m is None:
            return None
        label, number = m.group("label"), m.group("number")
    label = label.strip(" :")
    money = read_cell(number)
    if money is None or not is_total(label, rules):
        return None
    return label, money


def find_total_lines(lines: list[Line], skip: set[int], rules=None) -> list[tuple[Line, str, Money, list[TableRow]]]:
    """Total lines printed without a unit right under two or more rows of amounts in one
    currency, each with the rows it totals: (line, label, amount in that currency, rows)."""
    rules = rules if rules is not None else money_rules()
    found = []
    run: list[TableRow] = []
    for ln in lines:
        if ln.no in skip:
            run = []
            continue
        if not ln.text.strip() or re.fullmatch(r"[\s_=–-]+", ln.text):
            continue  # a blank line or a rule under the rows
        row = row_of(ln)
        if row is not None:
            run.append(row)
            continue
        currencies = {m.currency for r in run for m in r.amounts}
        total = _total_line(ln, rules) if len(run) >= 2 and len(currencies) == 1 else None
        if total is not None:
            label, m = total
            found.append((ln, label, Money(m.raw, m.value, currencies.pop(), m.start, m.end, m.repaired, m.repair_note, m.problem), run))
        run = []
    return found


def _check_total_line(label: str, total: Money, rows: list[TableRow], item_no: int | None, line: Line) -> Diagnostic | None:
    """Whether a total line equals the sum of the rows above it (each row's last amount)."""
    parts = [r.amounts[-1].value for r in rows]
    if total.value is None or any(v is None for v in parts):
        return None
    s = sum(parts)
    if abs(s - total.value) <= 0.005:
        return Diagnostic("extract.amounts", "info", f"item {item_no}: '{label}' equals the sum of the rows above", page=line.page, line=line.no)
    return Diagnostic(
        "extract.amounts", "warning",
        f"item {item_no}: '{label}' is {format_danish(total.value, 2)} but the rows above sum to {format_danish(s, 2)}; value kept as printed",
        page=line.page, line=line.no,
    )


def extract_amounts(lines: list[Line], item_no: int | None, rules=None) -> tuple[list[Amount], list[Diagnostic]]:
    """All money amounts in the lines of one item (or of the header).

    ``rules`` is a profile's ``money`` rules (default: the generic ones).
    """
    rules = rules if rules is not None else money_rules()
    out: list[Amount] = []
    diags: list[Diagnostic] = []
    in_table: set[int] = set()
    tables = find_tables(lines)
    taken = {row.line.no for t in tables for row in t.rows}
    tables += [t for t in find_unit_tables(lines, rules) if not taken & {row.line.no for row in t.rows}]
    for t in tables:
        cells, d = _check_table(t, item_no)
        diags += d
        for r, row in enumerate(t.rows):
            in_table.add(row.line.no)
            for c, m in sorted(cells[r].items()):
                if t.unit is not None:
                    period = t.periods[c] if c < len(t.periods) else None
                    note = None if parse_money(m.raw, rules) else t.unit.note
                else:
                    period = t.periods[c] if len(row.amounts) == len(t.periods) else None
                    note = None
                out.append(_to_amount(m, item_no, row.line, label=row.label, period=period, context=t.caption, unit_note=note))
                if m.value is None:
                    diags.append(_unreadable(m, item_no, row.line))
    for ln, label, m, rows in find_total_lines(lines, in_table, rules):
        in_table.add(ln.no)
        note = f"total row printed without a unit, under rows of amounts in {m.currency}"
        out.append(_to_amount(m, item_no, ln, label=label, context=label, unit_note=note))
        d = _check_total_line(label, m, rows, item_no, ln)
        diags += [d] if d else []
        if m.value is None:
            diags.append(_unreadable(m, item_no, ln))
    # free text: join lines so an amount broken over a line end is found once
    text, starts = "", []
    rows = [ln for ln in lines if ln.no not in in_table]
    for ln in rows:
        starts.append(len(text))
        text += ln.text + "\n"
    for m in find_money(text, rules):
        k = max(i for i, s in enumerate(starts) if s <= m.start)
        ln = rows[k]
        period = None
        ym = _YEAR_AFTER.match(text[m.end:m.end + 12])
        if ym:
            period = ym.group(1)
        sentence = _sentence_around(text, m.start, m.end)
        out.append(_to_amount(m, item_no, ln, period=period, context=sentence))
        if m.value is None:
            diags.append(_unreadable(m, item_no, ln))
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
