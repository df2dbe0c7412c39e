"""Decisions: one row per recommendation point, typed from the minutes.

For each point the minutes sentence that shares most content lemmas with it
is its decision; the type comes from that sentence (rules in
``models/rules/decisions.toml``), else from short minutes as a whole, else
from the point's own verb ("Godkender …" → approved) — the ``evidence``
column says which.  Items with minutes but no recommendation get one row.

The type is the outcome for the meeting as a whole.  A sentence whose
subject is a minority ("V kunne ikke tiltræde", "Ole Holm tog forbehold")
states a position, which the votes table records; it never types the item.
Where the minutes hold only such positions, the majority's approval is
inferred and the evidence says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..clean import sentences
from ..lexicon import Lexicon, lexicon
from ..records import AgendaItem, Decision
from ..rules import Rules, first_match, rules_for
from .names import names_in

Tokens = list[tuple[str, str]]  # (lower-case text, lemma)

#: a list row or a continuation: a bullet, a dash, or a lower-case start
_CONTINUES = re.compile(r"^\s*(?:[•\-–*·]\s|[a-zæøå])")
#: a statement that introduces list rows after a colon
_LIST_INTRO = re.compile(r":\s*(?:[•\-–*·]\s.*)?$")

#: evidence of a type inferred from positions alone
INFERRED_APPROVAL = "inferred: the minutes state only a minority's position ('{}'); the majority approved"


def classify(text: str, toks: Tokens, rules: Rules | None = None) -> tuple[str | None, str | None]:
    """(decision_type, evidence) of one sentence, or (None, None)."""
    typ, evidence, _ = classify_ranked(text, toks, rules)
    return typ, evidence


def classify_ranked(text: str, toks: Tokens, rules: Rules | None = None) -> tuple[str | None, str | None, int]:
    """As ``classify``, plus the rank of the rule set that matched (lower wins; 99: none)."""
    d = (rules or rules_for()).decisions
    low = text.casefold()
    hits: dict[str, str] = {}
    for pattern, tag in d.phrases:  # the first phrase of a set, in file order, gives the evidence
        if tag not in hits:
            m = pattern.search(low)
            if m:
                before = low[:m.start()].split()[-int(d.negation_window):]
                negated = any(w.strip(",.;:") in d.negators for w in before)
                if negated and tag.split(":")[0] in d.negation_voids:
                    continue  # "der var ikke enighed om": no decision, not a rejection
                hits[tag] = m.group(0)
    for tag, lemmas in d.lemmas.items():
        for i, (w, lemma) in enumerate(toks):
            if w in lemmas or lemma in lemmas:
                before = toks[max(0, i - int(d.negation_window)): i]
                if any(t[0] in d.modals for t in before):
                    continue  # "skal godkende", "kan vælges": what may or must happen, not what was decided
                negated = any(t[0] in d.negators for t in before)
                if negated and tag in d.negation_voids:
                    continue  # "blev ikke besluttet": no decision, not a rejection
                if negated and tag in d.negatable:
                    hits.setdefault("rejected", " ".join(t[0] for t in before + [toks[i]]))
                else:
                    hits.setdefault(tag, w)
                break
    for rank, tag in enumerate(d.order):
        if tag in hits:
            return tag.split(":")[0], hits[tag], rank
    return None, None, 99


def is_minority(who: str, rules: Rules, lex: Lexicon) -> bool:
    """``who`` names a minority, not the body: party letters or names, people, "et mindretal"."""
    who = who.strip(" .,;:")
    if not who:
        return False
    if any(p.search(who) for p in rules.decisions.minority_subject):
        return True
    parties = {p.casefold() for p in rules.attendance.party_names}
    parts = [p.strip() for p in who.replace(" og ", ",").replace("+", ",").split(",") if p.strip()]
    named = names_in(who, lex, rules.attendance.name_particles, alone=False)
    return all(p.casefold() in parties or any(n in p for n in named) for p in parts)


def is_majority(who: str, rules: Rules) -> bool:
    """``who`` names a majority of the body ("Et flertal i udvalget", "Flertallet (A, V)")."""
    return any(p.search(who.strip()) for p in rules.decisions.majority_subject)


def position_of(sentence: str, rules: Rules, lex: Lexicon) -> str | None:
    """The minority whose position ``sentence`` states ("V kunne ikke tiltræde" -> "V"), or None."""
    m = first_match(rules.decisions.position, sentence.strip())
    return m.group("who").strip() if m and is_minority(m.group("who"), rules, lex) else None


def referred_to(sentence: str | None, rules: Rules) -> str | None:
    """The body a case is sent on to, as the sentence writes it."""
    m = next((m for p in rules.decisions.referred_to if (m := p.search(sentence or ""))), None)
    return m.group("to").strip(" .,;:") if m else None


def content_lemmas(toks: Tokens, stop: frozenset[str]) -> set[str]:
    return {lemma for w, lemma in toks if w not in stop and lemma not in stop and len(w) > 2 and not w.isdigit()}


def point_type(point: str, rules: Rules | None = None) -> str | None:
    """The decision type a recommendation point's own verb asks for ("Godkender …" -> approved)."""
    return next((tag for pattern, tag in (rules or rules_for()).decisions.point_types if pattern.search(point)), None)


def lead(sents: list[str], limit: int) -> str | None:
    """The first sentences of a block, whole, up to ``limit`` characters (at least one)."""
    out: list[str] = []
    for s in sents:
        if out and len(" ".join(out + [s])) > limit:
            break
        out.append(s)
    return " ".join(out) or None


def units(sents: list[str]) -> list[str]:
    """Sentences grouped into what a reader takes as one statement: a sentence ending in a colon
    with the list rows and lower-case continuations after it ("Godkendt med bemærkning om:" +
    "• at …")."""
    out: list[str] = []
    for s in sents:
        if out and out[-1].rstrip().endswith(":") or out and _CONTINUES.match(s) and out[-1].rstrip().endswith((":", ",", ";")):
            out[-1] = f"{out[-1]} {s}"
        elif out and _CONTINUES.match(s) and _LIST_INTRO.search(out[-1]):
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


def decision_texts(item: AgendaItem) -> list[str]:
    """The texts ``decide`` tokenizes for ``item``: the minutes' statements, then the points."""
    sents = units(sentences(item.minutes or "", wrapped=False))
    points = list(item.recommendation_points) or ([item.recommendation] if item.recommendation else [])
    return sents + points


def decide(item: AgendaItem, tokenize, rules: Rules | None = None, lex: Lexicon | None = None) -> list[Decision]:
    """Decision rows of one item.  ``tokenize(list[str]) -> list[Tokens]``."""
    rules = rules or rules_for()
    rows = _decide(item, tokenize, rules, lex or lexicon())
    return [replace(r, sub_item=item.sub_item,
                    referred_to=referred_to(r.decision, rules) if r.decision_type == "referred" else None) for r in rows]


def _decide(item: AgendaItem, tokenize, rules: Rules, lex: Lexicon) -> list[Decision]:
    d = rules.decisions
    limit = int(rules.settings.short_minutes_chars)
    texts = decision_texts(item)
    points = list(item.recommendation_points) or ([item.recommendation] if item.recommendation else [])
    sents = texts[: len(texts) - len(points)]
    if not texts:
        return []
    toks = tokenize(texts)
    sent_toks, point_toks = toks[: len(sents)], toks[len(sents):]
    positions = [position_of(s, rules, lex) for s in sents]
    reported = [any(p.search(s) for p in d.reports) for s in sents]
    typed_ranked = [(None, None, 99) if who or rep else classify_ranked(s, t, rules)
                    for s, t, who, rep in zip(sents, sent_toks, positions, reported)]
    typed = [(t, e) for t, e, _ in typed_ranked]
    short_minutes = len(sents) <= 2
    ranked = sorted(range(len(typed)), key=lambda i: (typed_ranked[i][2], i))
    whole_type = typed[ranked[0]] if ranked and typed[ranked[0]][0] else (None, None)
    whole_sentence = sents[ranked[0]] if whole_type[0] else None
    first_position = next((s for s, who in zip(sents, positions) if who), None)
    if whole_type[0] is None and first_position:
        whole_type, whole_sentence = ("approved", None), first_position
    title_noted = first_match(d.noted_titles, item.title or "")
    if whole_type[0] is None and sents and not points and title_noted:
        whole_type = ("noted", f"inferred from the item title '{item.title}': the minutes hold no decision wording")
    rows: list[Decision] = []

    def evidence_of(typ_ev: tuple[str | None, str | None]) -> str | None:
        typ, ev = typ_ev
        if typ == "approved" and ev is None and first_position:
            return INFERRED_APPROVAL.format(first_position)
        return ev if ev and ev.startswith("inferred") else ev and f"minutes: '{ev}'"

    if not points:
        typ = whole_type[0]
        # short minutes are the decision as a whole ("X stiller op som dirigent. Enstemmigt vedtaget.")
        # short minutes whole; else the statements that decide (typed), whole; else the first sentences
        typed_sents = [s for s, (t, _) in zip(sents, typed) if t]
        if item.minutes and len(item.minutes) <= limit:
            text = item.minutes
        else:
            text = " ".join(typed_sents) or whole_sentence or lead(sents, limit)
        rows.append(Decision(item.item_no, 1, None, text, typ or "none", evidence_of(whole_type) or "no decision wording in the minutes", item.page_start))
        return rows
    for seq, (point, ptoks) in enumerate(zip(points, point_toks), start=1):
        if not sents:
            rows.append(Decision(item.item_no, seq, point, None, "none", "no minutes", item.page_start))
            continue
        want = content_lemmas(ptoks, d.overlap_stop)
        scores = [len(want & content_lemmas(st, d.overlap_stop)) for st in sent_toks]
        best = max(scores)
        aligned = [i for i, s in enumerate(scores) if s == best and s > 0 and not positions[i]][:1]
        typ = ev = None
        decision = sents[aligned[0]] if aligned else None
        if aligned:
            typ, e = typed[aligned[0]]
            ev = e and f"minutes: '{e}'"
        # short minutes, and minutes that reject, postpone or send the case on, decide every point
        if typ is None and whole_type[0] and (short_minutes or whole_type[0] in ("rejected", "postponed", "referred")):
            typ, ev = whole_type[0], evidence_of(whole_type)
            decision = whole_sentence
        if typ is None:
            pt = point_type(point, rules)
            if pt:
                same = next((i for i, (t, _) in enumerate(typed) if t == pt), None)
                if same is not None:
                    typ, ev = pt, f"minutes: '{typed[same][1]}'"
                    decision = decision or sents[same]
                else:
                    typ, ev = pt, "recommendation wording; the minutes do not contradict it"
        if typ is None and whole_type[0]:
            typ, ev = whole_type[0], evidence_of(whole_type)
            decision = decision or whole_sentence
        rows.append(Decision(item.item_no, seq, point, decision or lead(sents, limit), typ or "none", ev or "no decision wording found", item.page_start))
    # one decision for several points ("Et flertal kunne tiltræde indstillingen"): one row
    if len(rows) > 1 and sents and len({(r.decision, r.decision_type) for r in rows}) == 1:
        first = rows[0]
        return [Decision(item.item_no, 1, "\n".join(points), first.decision, first.decision_type,
                         f"{first.evidence}; one decision for all {len(rows)} points", first.page)]
    return rows
