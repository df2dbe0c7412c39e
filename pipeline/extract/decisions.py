"""Decisions: one row per recommendation point, typed from the minutes.

For each point the minutes sentence that shares most content lemmas with it
is its decision; the type comes from that sentence (rules in
``models/rules/decision_types.json``), else from short minutes as a whole,
else from the point's own verb ("Godkender …" → approved) — the ``evidence``
column says which.  Items with minutes but no recommendation get one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..lexicon import models_dir
from ..records import AgendaItem, Decision

import json

#: words that never count as overlap between a point and a sentence
STOP = {
    "at", "og", "i", "til", "af", "for", "på", "med", "om", "der", "det", "den", "de", "en", "et", "er", "var", "blev",
    "som", "skal", "kan", "vil", "har", "fra", "sig", "efter", "ved", "under", "over", "også", "samt", "eller",
    "politisk", "sundhedsklynge", "syd", "emne", "punkt", "punktet", "være", "blive", "have", "få", "give", "tage",
}
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ•\"(])|\n+")
_WORD = re.compile(r"[\wæøåÆØÅé]+(?:-[\wæøåÆØÅé]+)*")


@dataclass(frozen=True)
class Rules:
    order: tuple[str, ...]
    lemmas: dict[str, frozenset[str]]
    phrases: dict[str, tuple[re.Pattern, ...]]
    #: all phrases of a type in one pattern: a sentence that misses it skips the loop
    any_phrase: dict[str, re.Pattern]
    negators: frozenset[str]
    window: int
    negatable: frozenset[str]


@lru_cache(maxsize=2)
def _rules(root: str) -> Rules:
    data = json.loads((models_dir() / "rules" / "decision_types.json").read_text(encoding="utf-8"))
    types = data["types"]
    return Rules(
        order=tuple(data["order"]),
        lemmas={k: frozenset(v["lemmas"]) for k, v in types.items()},
        phrases={k: tuple(re.compile(p) for p in v["phrases"]) for k, v in types.items()},
        any_phrase={k: re.compile("|".join(f"(?:{p})" for p in v["phrases"])) for k, v in types.items() if v["phrases"]},
        negators=frozenset(data["negators"]),
        window=int(data["negation_window"]),
        negatable=frozenset(data["negatable"]),
    )


#: minutes up to this many characters are kept whole as the decision of an item without points
SHORT_MINUTES = 400


def rules() -> Rules:
    return _rules(str(models_dir()))


def sentences(text: str | None) -> list[str]:
    if not text:
        return []
    return [s.strip() for s in _SENT_SPLIT.split(text) if s and s.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, as ``sentences`` splits them."""
    spans, pos = [], 0
    for m in _SENT_SPLIT.finditer(text):
        if text[pos:m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


Tokens = list[tuple[str, str]]  # (lower-case text, lemma)


def classify(text: str, toks: Tokens) -> tuple[str | None, str | None]:
    """(decision_type, evidence) of one sentence, or (None, None)."""
    typ, evidence, _ = classify_ranked(text, toks)
    return typ, evidence


def classify_ranked(text: str, toks: Tokens) -> tuple[str | None, str | None, int]:
    """As ``classify``, plus the rank of the rule that matched (lower wins; 99: none)."""
    r = rules()
    low = text.casefold()
    hits: dict[str, str] = {}
    for typ in r.order:
        pre = r.any_phrase.get(typ)
        for p in r.phrases.get(typ, ()) if pre is not None and pre.search(low) else ():
            m = p.search(low)  # the first phrase in file order gives the evidence
            if m:
                hits.setdefault(typ, m.group(0))
                break
        lem = r.lemmas.get(typ, frozenset())
        for i, (w, lemma) in enumerate(toks):
            if w in lem or lemma in lem:
                if typ in r.negatable and any(t[0] in r.negators for t in toks[max(0, i - r.window): i]):
                    hits.setdefault("rejected", " ".join(t[0] for t in toks[max(0, i - r.window): i + 1]))
                else:
                    hits.setdefault(typ, w)
                break
    for rank, typ in enumerate(r.order):
        if typ in hits:
            return typ.split(":")[0], hits[typ], rank  # "decided:election" is a decided rule with a rank of its own
    return None, None, 99


def content_lemmas(toks: Tokens) -> set[str]:
    return {lemma for w, lemma in toks if w not in STOP and lemma not in STOP and len(w) > 2 and not w.isdigit()}


#: the verb of a recommendation point, when the minutes say nothing typed
POINT_TYPES = (
    (re.compile(r"\b(?:godkend|tiltræd|vedtag|bevilg|anbefal)", re.I), "approved"),
    (re.compile(r"\btil efterretning\b|\btil orientering\b|\borientering", re.I), "noted"),
    (re.compile(r"\bbeslut|\btræffe[rs]? beslutning|\bvælg", re.I), "decided"),
    (re.compile(r"\bdrøft|\bdebatter|\bdiskuter", re.I), "discussed"),
    (re.compile(r"\budsæt|\budskyd", re.I), "postponed"),
    (re.compile(r"\baftal", re.I), "decided"),
)


def point_type(point: str) -> str | None:
    for rx, typ in POINT_TYPES:
        if rx.search(point):
            return typ
    return None


def decide(item: AgendaItem, tokenize) -> list[Decision]:
    """Decision rows of one item.  ``tokenize(list[str]) -> list[Tokens]``."""
    return [replace(r, sub_item=item.sub_item) for r in _decide(item, tokenize)]


def _decide(item: AgendaItem, tokenize) -> list[Decision]:
    sents = sentences(item.minutes)
    points = list(item.recommendation_points) or ([item.recommendation] if item.recommendation else [])
    if not sents and not points:
        return []
    toks = tokenize(sents + points)
    sent_toks, point_toks = toks[: len(sents)], toks[len(sents):]
    typed_ranked = [classify_ranked(s, t) for s, t in zip(sents, sent_toks)]
    typed = [(t, e) for t, e, _ in typed_ranked]
    short_minutes = len(sents) <= 2
    ranked = sorted(range(len(typed)), key=lambda i: (typed_ranked[i][2], i))
    whole_type = typed[ranked[0]] if ranked and typed[ranked[0]][0] else (None, None)
    whole_sentence = sents[ranked[0]] if whole_type[0] else None
    rows: list[Decision] = []
    if not points:
        typed_sents = [s for s, (t, _) in zip(sents, typed) if t]
        typ, ev = whole_type
        # short minutes are the decision as a whole ("X stiller op som dirigent. Enstemmigt vedtaget.")
        text = item.minutes if item.minutes and len(item.minutes) <= SHORT_MINUTES else (" ".join(typed_sents) or item.minutes)
        rows.append(Decision(item.item_no, 1, None, text, typ or "none", ev and f"minutes: '{ev}'" or "no decision wording in the minutes", item.page_start))
        return rows
    for seq, (point, ptoks) in enumerate(zip(points, point_toks), start=1):
        if not sents:
            rows.append(Decision(item.item_no, seq, point, None, "none", "no minutes", item.page_start))
            continue
        want = content_lemmas(ptoks)
        scores = [len(want & content_lemmas(st)) for st in sent_toks]
        best = max(scores)
        aligned = [i for i, s in enumerate(scores) if s == best and s > 0][:1]
        typ = ev = None
        decision = sents[aligned[0]] if aligned else None
        if aligned:
            typ, e = typed[aligned[0]]
            ev = e and f"minutes: '{e}'"
        if typ is None and whole_type[0] and (short_minutes or whole_type[0] in ("rejected", "postponed")):
            typ, ev = whole_type[0], f"minutes: '{whole_type[1]}'"
            decision = whole_sentence
        if typ is None:
            pt = point_type(point)
            if pt:
                same = next((i for i, (t, _) in enumerate(typed) if t == pt), None)
                if same is not None:
                    typ, ev = pt, f"minutes: '{typed[same][1]}'"
                    decision = decision or sents[same]
                else:
                    typ, ev = pt, "recommendation wording; the minutes do not contradict it"
        if typ is None and whole_type[0]:
            typ, ev = whole_type[0], f"minutes: '{whole_type[1]}'"
            decision = decision or whole_sentence
        rows.append(Decision(item.item_no, seq, point, decision or item.minutes, typ or "none", ev or "no decision wording found", item.page_start))
    # one decision for several points ("Et flertal kunne tiltræde indstillingen"): one row
    if len(rows) > 1 and sents and len({(r.decision, r.decision_type) for r in rows}) == 1:
        first = rows[0]
        return [Decision(item.item_no, 1, "\n".join(points), first.decision, first.decision_type,
                         f"{first.evidence}; one decision for all {len(rows)} points", first.page)]
    return rows
