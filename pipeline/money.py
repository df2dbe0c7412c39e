"""Danish money amounts: find, parse, repair and format them.

Standard library only.  Values are computed with ``decimal.Decimal`` and
converted to ``float`` only at the end, so "2,59 mio. kr." is exactly
2590000.0.  How a number is read is code here; the shapes that are *not*
money although they stand beside a currency marker are data
(``models/rules/money.toml``, key ``not_money`` and ``not_money_after``, read
through :mod:`pipeline.rules`), see "Not money" below.

Grammar (what :func:`find_money` accepts)
-----------------------------------------
* Numbers: "." groups thousands and "," marks decimals ("1.499.126,50").  A
  single space, no-break space (U+00A0), figure space (U+2007) or thin space
  (U+2009, U+202F) also groups thousands, but only in groups of exactly three
  digits ("1 499 126").  "½" is a half ("½ mio. kr.", "1½ mio. kr.").
* A currency marker must stand next to the number, otherwise it is not money:
  after it ("kr.", "kr", "dkr.", "kroner", "krone", "kronerne", "DKK", "EUR",
  "euro", "€", "t.kr."/"tkr." = thousands of kroner, or ",-"/".-" as in
  "750,-"), optionally with a scale word between ("mio.", "mill.", "mia.",
  "mrd.", "million(er)", "milliard(er)", "tusind(e)"); or before it ("kr. 2.652",
  "DKK 1.500", "€ 1.500", "kr. 2 mio.").  Whitespace, newlines included, may
  separate the number, the scale and the currency ("80 mio.\\nkr.").  A scale
  word alone ("1½ mio.", "80 mio. til") is not money.
* "kr" is a word of its own: it never matches inside "krav", "kredse" etc.
  "kronerne" ("de 500 kronerne") is accepted: it follows a number, so it can
  only be money.  Abbreviations take up to two dots, so that the typo "mio.
  kr.." parses; a full stop ending the sentence right after "kr." therefore
  becomes part of ``raw`` ("... 500 kr.." -> raw "500 kr..").
* Negative: "-50.000 kr.", "–50.000 kr." (the dash touching the digits) and
  "÷ 50.000 kr.".  A dash *between* two numbers is a range: "1.000-2.000 kr.",
  "2 – 3 mio. kr." (no spaces, or spaces on both sides of the dash).
* Written numbers before a currency word: "tre millioner kroner", "en halv
  million kroner", "to hundrede og femogtyve tusind kroner".
* Not money: dates, times, law and case numbers, percentages, counts, years -
  anything without an adjacent currency marker.  Two further exceptions: "i
  1.000 kr." / "(1.000 kr.)" is a unit declaration (see :func:`unit_scale`),
  not an amount; and in "2022 kr. 2.652" a year-like number (1900-2099) before
  "kr." gives the "kr." to the number after it.

Not money
---------
A candidate amount whose number starts inside a ``not_money`` span is dropped
and the search goes on after the span: ordinal ranges and enumerations ("0.-5.
årgang", "1.-3. Anbefales": the ".-" is no whole-kroner mark when a number
follows), numbers given by their label ("Punkt 3 500 kr." is 500 kr., "tlf. 12
34 56 78 kr. 50" is 50 kr.) and counts ("fordelingstal 3917 kr.").  A
currency-first amount followed by a ``not_money_after`` word is a rate, not an
amount ("kr. 24,59 pct.").

Space-separated digit groups
----------------------------
A space also separates words and, in text flattened from tables, adjacent
numbers.  So a run like "2022 1 500 kr." is read as the year 2022 followed by
1 500 kr. only when the leading part is clearly a number of its own (four or
more digits, or a well-formed "."-grouped number); a run such as
"12 500 13 000 kr." or "7 59279 kr." is reported with ``value=None`` and an
"ambiguous: ..." problem rather than guessed.

Ranges
------
A range ("2-3 mio. kr.") gets ``low`` and ``high`` and ``value=None`` with
``problem`` starting "range:".  An analyst summing ``value`` therefore never
silently adds a guess (neither bound is "the" amount); the bounds are there
for whoever wants a minimum or maximum.  For a single amount ``low`` and
``high`` are None.  A bound that cannot be read is None too, with its reason
added to ``problem``; ``repaired`` is True when a bound was repaired.

Repair (malformed numbers)
--------------------------
:func:`parse_number` accepts only well-formed numbers.  :func:`repair_number`
then applies these rules, in this order, and names the rules it used in its
note:

``ocr-confusion``
    "O"/"o" -> 0, "l"/"I" -> 1, "S" -> 5 inside a number: right after a digit
    and not followed by a letter ("1.2O0" -> 1200, "10.00O" -> 10000), or
    between a separator and a digit ("10.O00" -> 10000); "|" -> 1 only between
    two digits.  A look-alike never starts a number ("S100 kr." is not read).
``doubled-separator``
    a repeated separator is collapsed ("1..499.126", "1.499,,50").
``misplaced-separator``
    separators all "." (or all spaces), the last group has exactly 3 digits and
    another group has 1 or 2: the digits are concatenated ("7.59.279" ->
    759279).  Keeping every digit is the only reading that does not invent or
    drop one.
``irregular-grouping``
    as above, but a group has 4 or more digits ("1.4999.126" -> 14999126): a
    separator was probably dropped rather than moved; all digits are kept.
``stray-space``
    a space inside a number whose digits, joined, parse ("1.499.1 26" ->
    1499126, "7 59279" -> 759279 as a single token).

It refuses (value None, with the reason) when the reading is ambiguous: a
single "." followed by 1-2 digits ("12.34 kr.": an English decimal point or a
typo?), "," before "." ("1,499.126"), more than one ",", a last group that is
not 3 digits ("1.4991.26"), a leading zero group ("0.500"), "." mixed with
spaces.  :func:`find_money` applies the same rules to each amount and records
``repaired``/``repair_note`` or ``problem``; :func:`corroborate` checks a
repair against independent numbers (e.g. a table's other columns) and undoes
it when nothing agrees.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

__all__ = [
    "Money",
    "corroborate",
    "declared_unit",
    "find_money",
    "format_danish",
    "money_rules",
    "parse_money",
    "parse_number",
    "read_cell",
    "repair_number",
    "unit_scale",
]


@dataclass(frozen=True, slots=True)
class Money:
    """One money amount found in text.

    ``raw`` is exactly ``text[start:end]`` of the searched text.  ``value`` is
    in units of ``currency`` ("DKK" or "EUR") with any scale applied ("80 mio.
    kr." -> 80000000.0).  It is None when the number is malformed and could not
    be repaired, or when the amount is a range; ``problem`` then says why.
    ``repaired`` is True when ``value`` comes from a repair rule, which
    ``repair_note`` names and explains.  ``low``/``high`` are set for ranges
    only ("2-3 mio. kr." -> 2000000.0 and 3000000.0, ``value`` None).
    """

    raw: str
    value: float | None
    currency: str
    start: int
    end: int
    repaired: bool = False
    repair_note: str | None = None
    problem: str | None = None
    low: float | None = None
    high: float | None = None


# --- building blocks ------------------------------------------------------------

#: characters that group thousands besides "." (space, no-break, figure, thin spaces)
_SPACE_CHARS = "\x20\u00a0\u2007\u2009\u202f"
#: exactly one of them (a regex character class)
_SP = r"[\x20\u00a0\u2007\u2009\u202f]"
#: a letter (any script), used for word boundaries that ignore digits
_LETTER = r"[^\W\d_]"
#: characters that OCR and careless typing put in place of digits
_OCR_MAP = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5"}
_OCR = r"[OolI|S]"
_OCR_LETTER = r"[OolIS]"

#: one digit, or an OCR look-alike inside a number: a letter right after a digit
#: (and not followed by a letter: "1O.000", "10.00O") or between a separator and a
#: digit ("10.O00"), or "|" between two digits (elsewhere it is a table rule)
_DIGIT = rf"""(?:[0-9]
    | (?<=[0-9]){_OCR_LETTER}(?!{_LETTER})
    | (?<=[0-9][.,]){_OCR_LETTER}(?=[0-9])
    | (?<=[0-9])\|(?=[0-9]))"""
#: digit groups joined by "." or "," (doubled separators kept, for repair), e.g. "7.59.279"
_CHUNK = rf"(?:{_DIGIT}+(?:(?:\.\.?|,,?){_DIGIT}+)*½?|½)"
#: chunks joined by single spaces ("1 499 126", but also "2022 1 500"); atomic, so
#: a run is never cut short by backtracking - _read_run decides what it means
_RUN = rf"(?>{_CHUNK}(?:{_SP}{_CHUNK})*)"
#: a minus touching the digits, or "÷" (optionally followed by one space)
_SIGN = r"(?:[-–−](?=[0-9])|÷\s?(?=[0-9]))"
#: the dash of a range: no spaces around it, or spaces on both sides
#: ("2 -3" is a number followed by a negative one, not a range)
_RANGE_DASH = r"(?:[-–−]|\s+[-–−]\s+)"
#: where a number may start: not inside a word, a number ("1.2", "1.|00"), a date
#: ("05/09/2022") or a code ("EMN-2025")
_NUMBER_START = r"(?<![\w/½])(?<![0-9][.,])(?<![0-9.,]\|)(?<!\w[-–−])"


def _abbr(word: str) -> str:
    """An abbreviation that ends in up to two dots ("kr..") or at a word end ("kr")."""
    return rf"{word}(?:\.\.?|(?!{_LETTER}))"


_KR = _abbr("d?kr")  # kr., kr, dkr.
_TKR = _abbr(r"t\.?\s?kr")  # t.kr., tkr., t. kr.: thousands of kroner

#: scale words between a number and its currency; see _scale_factor
_SCALE = rf"""(?i:
      milliard(?:er)?(?!{_LETTER}) | million(?:er)?(?!{_LETTER})
    | {_abbr("mia")} | {_abbr("mrd")} | {_abbr("mio")} | {_abbr("mill")}
    | tusinde?(?!{_LETTER})
)"""

#: a currency marker after the number
_SUFFIX_CURRENCY = rf"""(?:
      (?i:{_TKR})                                      # t.kr., tkr.: thousands of kroner
    | (?i:{_KR})                                       # kr., kr, dkr.
    | (?i:kroner(?:ne)?|krone|dkk|euro|eur)(?!{_LETTER})
    | €
)"""

#: a currency marker before the number ("kr. 2.652", "€ 1.500")
_PREFIX_CURRENCY = rf"""(?:
      (?<!{_LETTER})(?i:{_KR} | (?:dkk|euro|eur)(?!{_LETTER}))
    | €
)"""

# Danish numerals for written amounts ("tre millioner kroner")
_UNIT_WORDS = {
    "en": 1, "én": 1, "et": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9,
}  # fmt: skip
_TEEN_WORDS = {
    "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
    "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19,
}  # fmt: skip
_TENS_WORDS = {
    "tyve": 20, "tredive": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50, "tres": 60,
    "halvfjerds": 70, "firs": 80, "halvfems": 90,
}  # fmt: skip
_HALF_WORDS = {"halv": Decimal("0.5"), "halvt": Decimal("0.5"),
               "halvanden": Decimal("1.5"), "halvandet": Decimal("1.5")}  # fmt: skip
_MULTIPLIER_WORDS = {
    "hundrede": 100, "tusind": 1000, "tusinde": 1000, "million": 10**6, "millioner": 10**6,
    "milliard": 10**9, "milliarder": 10**9,
}  # fmt: skip
#: plural scale words need a number before them ("mange millioner kroner" is no amount)
_PLURAL_SCALES = {"millioner", "milliarder"}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation, longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


#: "femogtyve": unit + "og" + tens
_COMPOUND = re.compile(rf"({_alternatives(_UNIT_WORDS)})og({_alternatives(_TENS_WORDS)})")
#: one numeral word
_NUMWORD = rf"""(?i:
    (?:{_alternatives(_UNIT_WORDS)})og(?:{_alternatives(_TENS_WORDS)})
  | {_alternatives([*_UNIT_WORDS, *_TEEN_WORDS, *_TENS_WORDS, *_HALF_WORDS, *_MULTIPLIER_WORDS])}
)(?!{_LETTER})"""

#: every money amount; three alternatives, each with its own group names
_AMOUNT = re.compile(
    rf"""
    # currency first: "kr. 2.652", "€ 1.500", "DKK 2,5 mio."
        (?P<p_cur>{_PREFIX_CURRENCY}) \s*
        (?P<p_sign>{_SIGN})?
        (?P<p_low>{_RUN})
        (?:{_RANGE_DASH}(?P<p_high>{_RUN}))?
        (?P<p_dash>[,.][-–])?
        (?![\w½/])
        (?:\s*(?P<p_scale>{_SCALE}))?
    |
    # number first: "80 mio. kr.", "1.000-2.000 kr.", "750,-", "÷ 50.000 kr."
        {_NUMBER_START}
        (?P<s_sign>{_SIGN})?
        (?P<s_low>{_RUN})
        (?:{_RANGE_DASH}(?P<s_high>{_RUN}))?
        (?:
            (?P<s_dash>[,.][-–])(?:\s*(?P<s_cur2>{_SUFFIX_CURRENCY}))?
          | \s*(?:(?P<s_scale>{_SCALE})\s*)?(?P<s_cur>{_SUFFIX_CURRENCY})
        )
    |
    # written: "tre millioner kroner", "en halv million kroner"
        (?<!{_LETTER})
        (?P<w_num>{_NUMWORD}(?:\s+(?:og\s+)?{_NUMWORD})*)
        \s+(?:(?P<w_scale>{_SCALE})\s*)?
        (?P<w_cur>{_SUFFIX_CURRENCY})
    """,
    re.VERBOSE,
)

#: a well-formed Danish number (parse_number)
_NUMBER = re.compile(
    rf"""
    (?P<sign>[-–−]|÷\s*)?
    (?:
        (?P<int>
            [1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+          # 1.499.126
          | [1-9][0-9]{{0,2}}(?:{_SP}[0-9]{{3}})+       # 1 499 126
          | [0-9]+                                    # 1499126
        )
        (?: ,(?P<frac>[0-9]+) | [,.][-–] )?           # ,50 or ,- (whole kroner)
      | (?P<whole>[0-9]*)½                            # ½, 1½
    )
    """,
    re.VERBOSE,
)

#: a leading sign of a token handed to repair_number
_LEADING_SIGN = re.compile(r"[-–−]|÷\s*")
#: what repair_number is willing to look at: digits, look-alikes, separators, ",-"
_REPAIRABLE = re.compile(rf"(?=.*[0-9])(?:[0-9]|{_OCR}|[.,]|{_SP})+(?:[,.][-–])?")
#: ",-" / ".-" after a number: whole kroner
_WHOLE_KRONER = re.compile(r"[,.][-–]$")
#: the same separator repeated
_DOUBLED_SEPARATOR = re.compile(rf"\.{{2,}}|,{{2,}}|{_SP}{{2,}}")
#: the non-space pieces of a run
_CHUNK_TEXT = re.compile(rf"[^{_SPACE_CHARS}]+")
#: a year (as a bare number before "kr." that is followed by another number)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
#: the start of a number after a currency marker
_NUMBER_AHEAD = re.compile(r"\s*(?:[-–−÷]\s?)?[0-9]")
#: "i" or "(" right before "1.000 kr.": a unit declaration ("Beløb i 1.000 kr.")
_UNIT_HEADER_BEFORE = re.compile(rf"(?:(?<!{_LETTER})[iI]\s+|\(\s*)$")
#: the same before a currency-first match ("Beløb i kr. 2022", "i 1.000 kr. 2.500")
_PREFIX_HEADER_BEFORE = re.compile(
    rf"(?:(?<!{_LETTER})[iI]\s+(?:1\.000(?:\.000)?\s+)?|\(\s*1\.000(?:\.000)?\s+)$"
)
#: thousands of kroner as a currency word
_THOUSAND_KR = re.compile(r"t\.?\s?kr\.{0,2}", re.I)

_KRONER_WORD = rf"(?i:kr|kroner|dkk)(?!{_LETTER})"
#: column-header units, most specific first (unit_scale)
_UNIT_SCALES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(rf"(?<![0-9.,])1\.000\.000\s*{_KRONER_WORD}"), 1e6),
    (re.compile(rf"(?<![0-9.,])1[.\x20\u00a0]?000(?![.,]?[0-9])\s*{_KRONER_WORD}"), 1e3),
    (re.compile(rf"(?<!{_LETTER})(?i:t\.?\s?kr)(?!{_LETTER})"), 1e3),
    (re.compile(rf"(?<!{_LETTER})(?i:mio|mill|millioner|million)\.{{0,2}}\s*{_KRONER_WORD}"), 1e6),
    (re.compile(rf"(?<!{_LETTER})(?i:mia|mrd|milliarder|milliard)\.{{0,2}}\s*{_KRONER_WORD}"), 1e9),
)


# --- numbers ---------------------------------------------------------------------


def _parse_decimal(token: str) -> Decimal | None:
    """A well-formed Danish number as a Decimal, else None."""
    m = _NUMBER.fullmatch(token.strip())
    if m is None:
        return None
    if m.group("int") is not None:
        digits = re.sub(r"[^0-9]", "", m.group("int"))
        frac = m.group("frac")
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    else:
        value = Decimal(m.group("whole") or 0) + Decimal("0.5")
    return -value if m.group("sign") else value


def parse_number(token: str) -> float | None:
    """Parse a Danish-formatted number without a unit; None if malformed.

    "1.499.126,50" -> 1499126.5; "1 499 126" -> 1499126.0; "250,-" -> 250.0;
    "-50.000" and "÷ 50.000" -> -50000.0; "1½" -> 1.5.  Thousands groups after
    the first must have exactly 3 digits, so "7.59.279" and "12.34" give None
    (see :func:`repair_number`).
    """
    value = _parse_decimal(token)
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class _Regrouped:
    """Outcome of the grouping rules: a value with its rule, or a refusal."""

    value: Decimal | None
    rule: str | None = None
    detail: str | None = None
    problem: str | None = None


def _plain(value: Decimal) -> str:
    """A value as plain digits with a decimal comma, for notes: 759279, 1499126,50."""
    return format(value, "f").replace(".", ",")


def _is_digit(ch: str) -> bool:
    """Whether ch is one ASCII digit (never true for "" at a token's edge)."""
    return len(ch) == 1 and ch in "0123456789"


def _fix_ocr(body: str) -> tuple[str, list[str]]:
    """Replace look-alikes where _DIGIT accepts them ("1O.000", "10.O00", "1|00")."""
    chars = list(body)
    subs = []
    for i, ch in enumerate(body):
        if ch not in _OCR_MAP:
            continue
        before = body[i - 1] if i else ""
        after = body[i + 1] if i + 1 < len(body) else ""
        if ch == "|":
            confused = _is_digit(before) and _is_digit(after)
        elif _is_digit(before):
            confused = not after.isalpha()
        else:
            confused = before in ".," and i >= 2 and _is_digit(body[i - 2]) and _is_digit(after)
        if confused:
            chars[i] = _OCR_MAP[ch]
            subs.append(f"'{ch}'->'{_OCR_MAP[ch]}' at position {i + 1}")
    return "".join(chars), subs


def _regroup_groups(body: str, groups: list[str], sep: str, frac: str) -> _Regrouped:
    """misplaced-separator / irregular-grouping on groups split at one kind of separator."""
    if any(g == "" for g in groups):
        return _Regrouped(None, problem=f"malformed: {body!r} has a separator at its start or end")
    last = groups[-1]
    if sep == "." and len(groups) == 2 and len(last) <= 2 and not frac:
        return _Regrouped(
            None,
            problem=(
                f"ambiguous: {body!r} has a single '.' followed by {len(last)} digit(s); "
                f"it may be a decimal point ({groups[0]},{last}) or a misplaced thousands separator"
            ),
        )
    if len(last) != 3:
        return _Regrouped(
            None,
            problem=(
                f"malformed: the last digit group of {body!r} is '{last}' ({len(last)} digits, "
                "not 3), so it cannot be told where the separator belongs"
            ),
        )
    if groups[0].startswith("0"):
        return _Regrouped(None, problem=f"malformed: the first digit group of {body!r} starts with 0")
    digits = "".join(groups)
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    shown = "|".join(groups)
    long_groups = [g for g in groups if len(g) > 3]
    if long_groups:
        detail = (
            f"digit groups {shown}; group '{long_groups[0]}' has {len(long_groups[0])} digits, "
            "so a separator was probably dropped; all digits kept"
        )
        return _Regrouped(value, "irregular-grouping", detail)
    return _Regrouped(value, "misplaced-separator", f"digit groups {shown}; separators ignored")


def _regroup(body: str) -> _Regrouped:
    """Grouping rules for a body without sign, look-alikes or doubled separators."""
    if body.count(",") > 1:
        problem = f"ambiguous: {body!r} has more than one ',' (English thousands separators?)"
        return _Regrouped(None, problem=problem)
    int_part, comma, frac = body.partition(",")
    if frac in ("-", "–"):
        frac = ""
    elif comma and not frac.isdigit():
        if "." in frac:
            problem = f"ambiguous: {body!r} has ',' before '.' (English number format?)"
            return _Regrouped(None, problem=problem)
        return _Regrouped(None, problem=f"malformed: {body!r} has no digits after ','")
    if not int_part:
        return _Regrouped(None, problem=f"malformed: {body!r} has no digits before ','")
    has_space = any(ch in _SPACE_CHARS for ch in int_part)
    squeezed = re.sub(_SP, "", int_part) + (f",{frac}" if frac else "")
    stray = _Regrouped(_parse_decimal(squeezed), "stray-space", "space inside the number removed")
    if has_space and "." in int_part:
        if stray.value is not None:
            return stray
        return _Regrouped(None, problem=f"malformed: {body!r} mixes '.' and spaces as separators")
    if has_space:
        result = _regroup_groups(body, re.split(_SP, int_part), " ", frac)
        return result if result.value is not None or stray.value is None else stray
    if "." in int_part:
        return _regroup_groups(body, int_part.split("."), ".", frac)
    return _Regrouped(None, problem=f"malformed: {body!r} is not a number")


def _repair(token: str) -> tuple[Decimal | None, str | None, str | None]:
    """(value, note, problem): the value with a note when repaired, or the problem."""
    text = token.strip()
    value = _parse_decimal(text)
    if value is not None:
        return value, None, None
    sign = _LEADING_SIGN.match(text)
    body = text[sign.end() :] if sign else text
    if not _REPAIRABLE.fullmatch(body):
        return None, None, f"not a number: {token!r}"
    body = _WHOLE_KRONER.sub("", body)  # "250,-" marks kroner; it is no separator

    steps: list[tuple[str, str, str, str]] = []  # (rule, before, after, detail)
    fixed, subs = _fix_ocr(body)
    if subs:
        steps.append(("ocr-confusion", body, fixed, ", ".join(subs)))
        body = fixed
    if any(ch in _OCR_MAP for ch in body):
        return None, None, f"not a number: {token!r} has letters that are not digit look-alikes here"
    collapsed = _DOUBLED_SEPARATOR.sub(lambda m: m.group()[0], body)
    if collapsed != body:
        steps.append(("doubled-separator", body, collapsed, "repeated separator collapsed"))
        body = collapsed
    value = _parse_decimal(body)
    if value is None:
        regrouped = _regroup(body)
        if regrouped.value is None:
            after = f" (after {', '.join(step[0] for step in steps)})" if steps else ""
            return None, None, f"{regrouped.problem}{after}"
        steps.append((regrouped.rule, body, "", regrouped.detail))
        value = regrouped.value
    notes = [f"{rule}: '{before}' -> '{after}' ({detail})" for rule, before, after, detail in steps[:-1]]
    rule, before, _, detail = steps[-1]
    notes.append(f"{rule}: '{before}' read as {_plain(value)} ({detail})")
    return (-value if sign else value), "; ".join(notes), None


def repair_number(token: str) -> tuple[float | None, str | None]:
    """Read a possibly malformed Danish number: ``(value, note)`` or ``(None, reason)``.

    The token is taken to be one number (a table cell, say), so spaces inside
    it are joined where that gives a number.  A well-formed number returns
    ``(value, None)``.  A repaired one returns the value and a note naming the
    rules applied (see the module docstring), e.g. ``(759279.0,
    "misplaced-separator: '7.59.279' read as 759279 (digit groups 7|59|279;
    separators ignored)")``.  An ambiguous or hopeless one returns ``(None,
    reason)``.
    """
    value, note, problem = _repair(token)
    if value is None:
        return None, problem
    return float(value), note


def format_danish(value: float, decimals: int = 0) -> str:
    """Format the Danish way: 1499126 -> "1.499.126"; 12.5 with decimals=2 -> "12,50"."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}")
    english = f"{abs(value):,.{decimals}f}"  # "1,499,126.50"
    whole, _, frac = english.partition(".")
    text = whole.replace(",", ".") + (f",{frac}" if decimals else "")
    negative = value < 0 and any(ch in "123456789" for ch in text)
    return f"-{text}" if negative else text


def unit_scale(header_text: str) -> float | None:
    """The unit a column header declares: 1000 for "t.kr.", "tkr.", "1.000 kr." or
    "(1.000 kr.)"; 1e6 for "mio. kr." (also "mill. kr.", "millioner kroner",
    "1.000.000 kr."); 1e9 for "mia. kr."/"mrd. kr."; None otherwise (plain "kr."
    included - no scale is stated)."""
    for pattern, scale in _UNIT_SCALES:
        if pattern.search(header_text):
            return scale
    return None


def declared_unit(unit_text: str) -> tuple[str, float]:
    """(currency, scale) of a unit a table states for its bare numbers: "kr." -> ("DKK", 1),
    "1.000 kr." and "t.kr." -> ("DKK", 1000), "Mio. kr." -> ("DKK", 1e6), "EUR" -> ("EUR", 1)."""
    currency = "EUR" if re.search(rf"(?i:eur)|€", unit_text) else "DKK"
    return currency, unit_scale(unit_text) or 1.0


#: a table cell that is one number and nothing else: sign, digits (and look-alikes
#: inside them), separators, a ",-" whole-kroner mark
_BARE_CELL = re.compile(rf"(?:[-–−]|÷\s?)?[0-9](?:[0-9]|{_OCR}|[.,]|{_SP})*(?:[,.][-–])?")


def read_cell(cell: str, currency: str = "DKK", scale: float = 1.0) -> Money | None:
    """A table cell printed without a unit ("4.245"), read in the unit its table states.

    ``scale`` multiplies the number (1000 under "(1.000 kr.)").  A malformed
    number is repaired by the rules of :func:`repair_number` (``repaired``,
    ``repair_note``) or kept with ``value`` None and a ``problem``.  None when
    the cell is not one bare number (words, "12 %", "ca. 500").
    """
    text = cell.strip()
    if not _BARE_CELL.fullmatch(text):
        return None
    value, note, problem = _repair(text)
    start = cell.index(text)
    if value is None:
        return Money(text, None, currency, start, start + len(text), problem=problem)
    scaled = float(value * Decimal(repr(float(scale))))
    return Money(text, scaled, currency, start, start + len(text), note is not None, note)


# --- finding amounts ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """A number read from (part of) a run, with absolute offsets of that part."""

    value: Decimal | None
    start: int
    end: int
    note: str | None = None
    problem: str | None = None


def _standalone(chunk: str) -> bool:
    """Whether a chunk is clearly a number of its own, not a leading thousands group."""
    return _parse_decimal(chunk) is not None and (
        "." in chunk or "," in chunk or sum(ch.isdigit() for ch in chunk) >= 4
    )


def _read_run(text: str, start: int, end: int, anchor: Literal["first", "last"]) -> _Reading:
    """Read the number in ``text[start:end]``, a run of chunks joined by single spaces.

    ``anchor`` is the end that touches the currency marker: when the run holds
    several numbers side by side, the one at that end is the amount.
    """
    run = text[start:end]
    spans = [(start + m.start(), start + m.end()) for m in _CHUNK_TEXT.finditer(run)]
    if len(spans) == 1:
        value, note, problem = _repair(run)
        return _Reading(value, start, end, note, problem)

    fixed, subs = _fix_ocr(run)
    chunks = [fixed[a - start : b - start] for a, b in spans]
    value = _parse_decimal(fixed)
    if value is not None:
        note = f"ocr-confusion: '{run}' read as {_plain(value)} ({', '.join(subs)})" if subs else None
        return _Reading(value, start, end, note)
    # a space inside a "."-grouped number: "1.499.1 26"
    if any("." in c or "," in c for c in chunks) and not all(_parse_decimal(c) is not None for c in chunks):
        value = _parse_decimal("".join(chunks))
        if value is not None:
            note = f"stray-space: '{run}' read as {_plain(value)} (space inside the number removed)"
            return _Reading(value, start, end, note)
    # several numbers side by side: the one at the anchor is the amount, provided
    # everything else is clearly a number of its own
    n = len(chunks)

    def parses(lo: int, hi: int) -> bool:
        return _parse_decimal(fixed[spans[lo][0] - start : spans[hi - 1][1] - start]) is not None

    if anchor == "last":
        k = next((k for k in range(1, n - 1) if parses(k, n)), n - 1)
        rest, (lo, hi) = chunks[:k], (k, n)
    else:
        k = next((k for k in range(n - 1, 1, -1) if parses(0, k)), 1)
        rest, (lo, hi) = chunks[k:], (0, k)
    if all(_standalone(c) for c in rest):
        return _read_run(text, spans[lo][0], spans[hi - 1][1], anchor)
    problem = (
        f"ambiguous: '{run}' has digit groups {'|'.join(chunks)} separated by spaces; "
        "it may be one number with irregular grouping or several numbers side by side"
    )
    return _Reading(None, start, end, None, problem)


def _scale_factor(word: str | None) -> Decimal:
    """The multiplier of a scale word ("mio." -> 10**6); 1 when there is none."""
    if word is None:
        return Decimal(1)
    w = word.lower()
    if w.startswith(("milliard", "mia", "mrd")):
        return Decimal(10**9)
    if w.startswith(("mio", "mill")):
        return Decimal(10**6)
    return Decimal(1000)  # tusind(e)


def _currency(word: str | None) -> tuple[str, Decimal]:
    """(ISO code, factor) for a currency marker; None stands for ",-" (kroner)."""
    if word is None:
        return "DKK", Decimal(1)
    w = word.lower()
    if w == "€" or w.startswith("eur"):
        return "EUR", Decimal(1)
    if _THOUSAND_KR.fullmatch(w):
        return "DKK", Decimal(1000)
    return "DKK", Decimal(1)


def _amount(
    text: str,
    start: int,
    end: int,
    low: _Reading,
    high: _Reading | None,
    negative: bool,
    factor: Decimal,
    currency: str,
) -> Money:
    """Assemble a Money from its readings."""
    raw = text[start:end]
    readings = [r for r in (low, high) if r is not None]
    notes = [r.note for r in readings if r.note]
    problems = [r.problem for r in readings if r.problem]
    note = "; ".join(notes) or None

    def scaled(r: _Reading, sign: bool) -> Decimal | None:
        if r.value is None:
            return None
        return (-r.value if sign else r.value) * factor

    shared = ""
    if high is not None and low.value is not None and high.value is not None:
        # "6-8.000 kr." is 6.000 to 8.000: the lower bound shares the upper bound's thousands
        lo_raw, hi_raw = text[low.start:low.end], text[high.start:high.end]
        hm = re.fullmatch(r"(\d{1,3})((?:\.\d{3})+)", hi_raw)
        if lo_raw.isdigit() and hm and len(lo_raw) == len(hm.group(1)) and int(lo_raw) < int(hm.group(1)):
            low = _Reading(low.value * Decimal(10) ** (3 * hm.group(2).count(".")), low.start, low.end, low.note, low.problem)
            shared = " (the lower bound read with the upper bound's thousands)"
    lo = scaled(low, negative)
    if high is None:
        value = None if lo is None else float(lo)
        return Money(raw, value, currency, start, end, value is not None and note is not None,
                     note, "; ".join(problems) or None)  # fmt: skip
    hi = scaled(high, False)
    shown = " to ".join(format_danish(float(v), 0 if v == v.to_integral() else 2) if v is not None else "?"
                        for v in (lo, hi))  # fmt: skip
    problems.append(f"range: '{raw}' spans {shown}{shared}; value left empty so that sums are not silently wrong")
    if lo is not None and hi is not None and lo > hi:
        problems.append("range bounds are reversed")
    return Money(
        raw, None, currency, start, end, note is not None, note, "; ".join(problems),
        None if lo is None else float(lo), None if hi is None else float(hi),
    )  # fmt: skip


def _from_prefix(text: str, m: re.Match[str]) -> Money | None:
    """A currency-first match: "kr. 2.652"."""
    if _PREFIX_HEADER_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None  # "Beløb i kr. 2022": a unit declaration, not an amount
    currency, unit = _currency(m.group("p_cur"))
    scale = _scale_factor(m.group("p_scale"))
    low = _read_run(text, *m.span("p_low"), anchor="first")
    high = None
    end = m.end()
    if low.end != m.end("p_low"):
        # "kr. 2.652 2.700": a separate number follows; the amount ends before it,
        # so a range dash or scale word after the run is not part of it
        end, scale = low.end, Decimal(1)
    elif m.group("p_high") is not None:
        high = _read_run(text, *m.span("p_high"), anchor="first")
        if high.end != m.end("p_high"):
            end, scale = high.end, Decimal(1)
    return _amount(text, m.start(), end, low, high, m.group("p_sign") is not None, unit * scale, currency)


def _from_suffix(text: str, m: re.Match[str]) -> Money | None:
    """A number-first match: "80 mio. kr.", "750,-"."""
    currency, factor = _currency(m.group("s_cur") or m.group("s_cur2"))
    factor *= _scale_factor(m.group("s_scale"))
    if m.group("s_high") is not None:
        high = _read_run(text, *m.span("s_high"), anchor="last")
        if high.start != m.start("s_high"):
            # "2022-2023 500 kr.": the dash joined numbers that are not the amount
            return _amount(text, high.start, m.end(), high, None, False, factor, currency)
    else:
        high = None
    low = _read_run(text, *m.span("s_low"), anchor="last")
    signed = m.group("s_sign") is not None and low.start == m.start("s_low")
    start = m.start() if signed else low.start
    plain = high is None and not signed and m.group("s_scale") is None and m.group("s_dash") is None
    if plain and factor == 1:
        number = text[low.start : low.end]
        if number in ("1.000", "1.000.000") and _UNIT_HEADER_BEFORE.search(text, max(0, start - 10), start):
            return None  # "Beløb i 1.000 kr.": a unit declaration (see unit_scale)
        cur = m.group("s_cur").lower().rstrip(".")
        prefix_capable = cur in ("kr", "dkr", "dkk", "eur", "euro", "€")
        if prefix_capable and _YEAR.fullmatch(number) and _NUMBER_AHEAD.match(text, m.end()):
            return None  # "2022 kr. 2.652": the "kr." belongs to the number after it
    return _amount(text, start, m.end(), low, high, signed, factor, currency)


def _parse_numeral(phrase: str) -> Decimal | None:
    """A written Danish number ("to hundrede og femogtyve tusind"); None if not one."""
    words = phrase.lower().split()
    tokens: list[str | Decimal] = []
    i = 0
    while i < len(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if words[i] in ("en", "én", "et", "ét") and following in ("halv", "halvt"):
            tokens.append(Decimal("0.5"))  # "en halv million"
            i += 2
        else:
            tokens.append(words[i])
            i += 1
    if not tokens or tokens[0] in _PLURAL_SCALES:
        return None
    total = thousands = current = Decimal(0)
    previous = None  # kind of the previous token
    last_big = None  # 10**6 or 10**9: big scales must come in falling order
    for token in tokens:
        if token == "og":
            previous = "og"
            continue
        small = _small_numeral(token)
        if small is not None:
            if previous == "small":
                return None  # "tyve fem"
            current += small
            previous = "small"
        elif token == "hundrede":
            if current >= 100:
                return None  # "to hundrede hundrede"; "femten hundrede" (1500) is fine
            current = (current or 1) * 100
            previous = "hundred"
        elif token in ("tusind", "tusinde"):
            thousands += (current or 1) * 1000
            current = Decimal(0)
            previous = "scale"
        else:
            big = _MULTIPLIER_WORDS[token]
            if last_big is not None and big >= last_big:
                return None
            total += ((thousands + current) or 1) * big
            thousands = current = Decimal(0)
            last_big, previous = big, "scale"
    if previous == "og":
        return None
    return total + thousands + current


def _small_numeral(token: str | Decimal) -> Decimal | None:
    """Value of a numeral below 100 (or a half), else None."""
    if isinstance(token, Decimal):
        return token
    for table in (_UNIT_WORDS, _TEEN_WORDS, _TENS_WORDS, _HALF_WORDS):
        if token in table:
            return Decimal(table[token])
    compound = _COMPOUND.fullmatch(token)
    if compound:
        return Decimal(_UNIT_WORDS[compound.group(1)] + _TENS_WORDS[compound.group(2)])
    return None


def _from_words(text: str, m: re.Match[str]) -> Money | None:
    """A written amount: "tre millioner kroner"."""
    number = _parse_numeral(m.group("w_num"))
    if number is None:
        return None
    currency, factor = _currency(m.group("w_cur"))
    value = number * factor * _scale_factor(m.group("w_scale"))
    return Money(m.group(), float(value), currency, m.start(), m.end())


def money_rules():
    """The generic profile's ``money`` rules (``models/rules/money.toml``), compiled and cached."""
    from .rules import rules_for  # imported here: pipeline.rules reads models/ when first used

    return rules_for().money


def _not_money_spans(text: str, rules) -> list[tuple[int, int]]:
    """(start, end) of every ``not_money`` span in the text, in order."""
    return sorted(m.span() for p in rules.not_money for m in p.finditer(text) if m.end() > m.start())


def _span_end_at(spans: list[tuple[int, int]], offset: int) -> int | None:
    """The end of the last not-money span holding ``offset``, or None."""
    ends = [b for a, b in spans if a <= offset < b]
    return max(ends) if ends else None


def _number_start(m: re.Match[str], money: Money) -> int:
    """Where the number of a found amount starts (after a leading currency marker)."""
    if m.group("p_cur") is not None:
        return m.start("p_sign") if m.group("p_sign") is not None else m.start("p_low")
    return money.start


def find_money(text: str, rules=None) -> list[Money]:
    """Every money amount in free text, in order and non-overlapping.

    See the module docstring for the grammar.  Malformed numbers are repaired
    where a rule allows it (``repaired=True``, ``repair_note``) and otherwise
    kept with ``value=None`` and a ``problem``, so a caller can report them.
    ``rules`` is a profile's ``money`` rules (default: :func:`money_rules`).
    """
    rules = rules if rules is not None else money_rules()
    spans: list[tuple[int, int]] | None = None  # read once a candidate amount is found (most lines have none)
    found: list[Money] = []
    pos = 0
    while (m := _AMOUNT.search(text, pos)) is not None:
        if m.group("p_cur") is not None:
            money = _from_prefix(text, m)
            if money is not None and any(p.match(text, money.end) for p in rules.not_money_after):
                money = None  # "kr. 24,59 pct.": a rate
        elif m.group("s_low") is not None:
            money = _from_suffix(text, m)
        else:
            money = _from_words(text, m)
        if money is None:
            pos = m.start() + 1
            continue
        if spans is None:
            spans = _not_money_spans(text, rules)
        skip_to = _span_end_at(spans, _number_start(m, money))
        if skip_to is not None:
            pos = max(skip_to, m.start() + 1)
            continue
        found.append(money)
        pos = money.end
    return found


def parse_money(raw: str, rules=None) -> Money | None:
    """Parse a string that should be exactly one amount ("2,59 mio. kr.").

    Returns None when it is not money (e.g. a bare number without a currency
    marker) or holds more than the amount; surrounding whitespace and trailing
    punctuation are allowed.  Offsets are relative to ``raw``.
    """
    found = find_money(raw, rules)
    if len(found) != 1:
        return None
    money = found[0]
    if raw[: money.start].strip() or raw[money.end :].strip(" \t\r\n.,;:!?)"):
        return None
    return money


# --- corroboration ----------------------------------------------------------------------


def _show(x: float) -> str:
    """A number for a corroboration note: "759.280", "7.592,79"."""
    return format_danish(x, 0 if float(x).is_integer() else 2)


def corroborate(m: Money, evidence: dict[str, float]) -> Money:
    """Check a repaired amount against independent numbers and keep or undo the repair.

    ``evidence`` maps a description to a number that the amount should equal,
    e.g. ``{"same row, column 2022": 759279.0, "column total minus other rows":
    759280.0}``.  The returned copy's ``repair_note`` gains "corroboration:
    equals same row, column 2022; column total minus other rows = 759.280
    (differs by 1)".  When no evidence equals the repaired value and every
    piece differs from it by more than 1%, the repair is undone: ``value`` None,
    ``repaired`` False, ``repair_note`` None and ``problem`` explaining.
    Unrepaired money (and empty evidence) is returned unchanged.
    """
    if not m.repaired or m.value is None or not evidence:
        return m
    parts = []
    supported = False  # some evidence equals the value or is within 1%
    for description, number in evidence.items():
        diff = abs(m.value - number)
        if diff < 0.005:
            parts.append(f"equals {description}")
            supported = True
        else:
            parts.append(f"{description} = {_show(number)} (differs by {_show(diff)})")
            supported = supported or diff <= 0.01 * max(abs(number), abs(m.value))
    summary = "; ".join(parts)
    if not supported:
        problem = f"repair undone, no evidence agrees within 1%: {summary}; was {m.repair_note}"
        return replace(m, value=None, repaired=False, repair_note=None, problem=problem)
    return replace(m, repair_note=f"{m.repair_note}; corroboration: {summary}")
