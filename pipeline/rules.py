"""Rules as data: the registry of ``models/rules/*.toml`` and template profiles.

Every convention of Danish minutes that the parser relies on — heading
shapes, block labels, list captions, sign-off lines, decision and vote
phrases, what is not money — is a value in a TOML file under
``models/rules/``, declared here in ``SCHEMA`` (kind, meaning, required regex
groups).  Loading checks every file against the schema and fails with a
message naming the file and the key: an unknown key, a missing one, a value
of the wrong kind, a regular expression that does not compile or lacks a
group the code reads.

A *profile* (``models/profiles/<name>.toml``) is a template family as data:
detection signals, and ``[override.<file>]`` / ``[extend.<file>]`` tables that
replace or extend any key of any rule file, plus ``[settings]`` overrides of
``pipeline.settings.Settings``.  The generic rules are what a document gets
when no profile claims it.

Patterns may use fragments shared by all files (``models/rules/fragments.toml``):
``{NAME}`` (upper-case letters, digits and ``_`` in braces) is replaced by the
fragment's text before compiling, so a regex quantifier such as ``{2,4}`` is
never taken for one.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .lexicon import models_dir
from .settings import Settings


class RulesError(ValueError):
    """A rule or profile file does not match the schema; the message names file and key."""


@dataclass(frozen=True)
class Spec:
    """What one key of a rule file holds.

    kinds: ``patterns`` (list of regexes), ``pattern`` (one regex),
    ``tagged`` (list of ``{pattern, tag}`` tables: a regex and what it means),
    ``words`` (list of words, compared case-folded), ``word_sets`` (a table
    of named word lists), ``numbers`` (a table of words, compared
    case-folded, and the numbers they stand for), ``phrases`` (list of strings kept as written),
    ``weights`` (table of named numbers, the names given in ``names``),
    ``number``, ``flag``.
    """

    kind: str
    doc: str
    groups: tuple[str, ...] = ()  # named groups every pattern must have
    case: bool = False  # patterns are case-sensitive
    names: tuple[str, ...] = ()  # weights: the names that must be present
    optional: bool = False  # the key may be absent (default: empty)
    tag_shape: str | None = None  # tagged: a regex every tag must match in full


def _p(doc: str, *groups: str, case: bool = False, optional: bool = False) -> Spec:
    return Spec("patterns", doc, groups, case, optional=optional)


def _t(doc: str, *groups: str, case: bool = False, tag_shape: str | None = None) -> Spec:
    return Spec("tagged", doc, groups, case, tag_shape=tag_shape)


def _w(doc: str) -> Spec:
    return Spec("words", doc)


#: file stem -> key -> spec; docs/rules.md is generated from it (``python -m pipeline.rules``).
SCHEMA: dict[str, dict[str, Spec]] = {
    "structure": {
        "item_shapes": _t(
            "numbered item headings; group `no` the number, `title` the rest (may be empty: the title is the next line); "
            "tag: the shape's name, which `weights.shape.<name>` scores",
            "no", "title", case=True,
        ),
        "sub_item_shapes": _t("sub-item headings inside an item ('4a)', '4.1'); groups `no`, `sub`, `title`; tag: letter or number", "no", "sub", "title", case=True),
        "number_after_title": _p("a line giving the item number of the title line above it ('Sag nr. 57')", "no"),
        "ocr_one": _w("OCR misreadings of the heading number 1 ('i', 'l')"),
        "agenda_caption": _p("a line announcing the list of items (dagsorden, indholdsfortegnelse); not an item"),
        "agenda_section": _p("section lines inside an agenda list ('Åbne', 'Lukkede punkter') that do not end it"),
        "toc_page_number": _p("a page number at the end of an agenda-list entry", "title"),
        "not_title_start": _p("what cannot begin an item title after a number: a month ('9. juni'), a unit, an ordinal use ('2. behandling' stays possible only as a whole title)"),
        "closed_markers": _p("an item closed to the public ('Lukket punkt', 'Lukket:')"),
        "doc_kinds": _t("first words of the document that give its kind; tag: referat, dagsorden, beslutningsprotokol or protokol"),
        "closing_lines": _p("the minutes end here ('Mødet hævet kl. 18.40'); pages of other text after it are an appended document"),
        "referent_lines": _p("sign-off naming the referent; group `who`", "who"),
        "approval_lines": _p("sign-off naming who approved the minutes; group `who`", "who"),
        "presenter_line": _p("a line naming who presents the item ('v./ Mads Duedahl'); never part of a title"),
        "trailing_presenter": _p("a heading ending in 'ved Name' whose name continues on the next line", case=True),
        "name_tail": _p("the rest of a presenter's name on the line after the heading", case=True),
        "finite_verbs": _w("finite verbs: a heading title holding one reads as a sentence of the minutes"),
        "open_end": _p("a heading line ending in a connective or preposition ('… og'): the title goes on with the next line", case=True),
        "time_open_end": _p("a heading line ending in 'kl.': the time slot goes on with the next line", case=True),
        "topic_bullet": _p("a bullet entry that is a topic, in minutes with no numbered or headed items (each entry followed by its outcome); group `title`", "title", case=True, optional=True),
        "enumerator": _p("a line that starts a list or a point ('a) …', '2. …', '• …'): never the rest of a heading", case=True),
        "title_outcome_split": _p("where an item heading's title ends and an outcome printed on the same line begins ('Valg af dirigent – Leif Hansen')", "title", "rest", case=True),
        "weights": Spec(
            "weights",
            "scores of the structure finder's evidence (see pipeline/segment/finder.py)",
            names=(
                "shape.dot", "shape.paren", "shape.label", "shape.ad", "shape.paragraph", "shape.bare", "shape.alone",
                "shape.after_title", "bold", "larger", "gap_before", "margin", "indented", "title_like", "prose_like",
                "label_follows", "in_recommendation", "agenda_same", "agenda_title", "agenda_number_only",
                "next", "skip_one", "skip_more", "repeat", "duplicate", "backwards", "same_shape", "same_indent", "same_style",
                "start_one", "lone", "sentence_heading", "section_restart", "shape.unnumbered", "shape.sub", "shape_change",
                "front_heading", "mid_sentence", "listed", "nested", "after_colon", "point_verb",
            ),
        ),
    },
    "labels": {
        "recommendation": _p("a recommendation block starts ('Det indstilles', 'Indstilling', 'X indstiller')"),
        "minutes": _p("a minutes/decision block starts ('Beslutning', 'Referat:', 'Udvalgets beslutning den …')"),
        "description": _p("a case-description block starts ('Sagsfremstilling', 'Resume', 'Baggrund')"),
        "attachments": _p("an attachment list starts ('Bilag')"),
        "history": _p("earlier meetings' handling of the case ('Sagsforløb'): never this meeting's minutes"),
        "other": _p("other block captions that end the block before them ('Økonomi', 'Beslutningskompetence')"),
        "recommendation_point": _p("a point of a recommendation ('1. Godkender …', 'At …', 'a) …'); group `text`", "text"),
        "minutes_follow_recommendation": Spec("flag", "where an item has a recommendation but no minutes label, the text after it is the minutes"),
        "point_verbs": _w("verbs a recommendation or decision point starts with ('1. Godkender budgettet'); an item title is a noun phrase"),
        "minutes_dated": _p("a minutes label ending so that a date follows ('… beslutning den'); a block dated another day is case history"),
        "minutes_label_date": _p("the date, time and item number right after a dated minutes label, taken off the minutes ('05.11.2024 Punkt 2:')"),
    },
    "header": {
        "labels": _t("header box labels; tag: subject, date, when_where, location, time, end, referent, body or chair"),
        "attendance_groups": _t("attendance list captions; tag: the attendance of the lines under them (present, absent, guest)"),
        "item_scoped_list": _p("a list caption that limits the list to the item it stands in ('… deltog ikke i behandlingen af punktet')"),
        "in_item_absent": _p("in-item caption of people absent from that item"),
        "inline_group": _p("a list caption with its members on the same line ('Fraværende: A og B'); groups `head`, `rest`", "head", "rest", case=True),
        "meeting_types": _p("words that name the kind of meeting, not the body ('ordinær generalforsamling')"),
        "page_chrome": _p("a web page's chrome around the minutes (navigation, cookie banners, subscriptions): neither title nor body"),
        "not_body": _p("lines that are never the body: web navigation, a kind word, a number, a page stamp"),
        "not_title": _p("lines above the title that are never the title ('Ejendomsnummer 108-785' in a profile); none in the generic rules"),
        "not_meeting_date": _p("a date on a line with these words is not the meeting's date (publication, the next meeting)"),
        "dateline": _p("a letter's dateline: where and when the minutes were written ('Aalborg, 17. april 2018')"),
        "place_words": _w("words that name a place of meeting ('mødelokale', 'fælleshuset')"),
        "place_phrase": _p("where the meeting was held, said in a sentence; group `place`", "place"),
        "address": _p("a street address or a postcode and town (case-sensitive: the town starts with a capital, so 'for 2022 og' is none)", case=True),
        "meeting_no": _p("a meeting number before the body ('Møde 2, 2022 Styregruppe …'); groups `no`, `rest`", "no", "rest"),
        "meeting_no_line": _p("a line holding only the meeting number ('Møde nr. 3'); group `no`", "no"),
        "body_in_items": _p("the body named in the items (decision labels, recommendations addressed to it); groups `body`, `rest` (the date, if any)", "body", "rest", case=True),
        "agenda_approval": _p("the first item approves the agenda of the meeting on a date: weak evidence of the meeting's date; group `rest` (the date)", "rest", optional=True),
        "session_times": _p("'Mødet startede kl. 15.30 og sluttede kl. 16.45'; groups `a`, `b`", "a", "b"),
        "file_kind": Spec("pattern", "the kind of document named in the file name, used when the text names none; group `kind`", ("kind",)),
        "weekday_lead": _p("the weekday leading into a date ('Mandag den'): not part of the title or body before it"),
        "title_open_end": _p("a title line that goes on to the next line: it ends with a preposition ('… generalforsamling i')"),
        "title_goes_on": _p("a line that continues the title above it: it begins with a preposition ('i E/F Strandpark II')"),
        "title_not_body": _p("parts of a title that are not the body, taken off in order ('… – Referat', 'af …')"),
        "type_prepositions": _w("prepositions between a kind of meeting and the body ('generalforsamling i X')"),
        "signoff_separator": Spec("pattern", "what separates the names of those who approved the minutes (',', 'og', '&')", case=True),
        "second_time": _p("the meeting's end as a second clock time after a dash; groups `h`, `m`", "h", "m"),
        "place_after_date": _p("the place written after the date ('… 2022 på Rådhuset'); group `place`", "place", case=True),
        "place_preposition": _p("a preposition taken off a place on the line after the date ('på Rådhuset')", case=True),
        "place_line": _p("a line that names a place ('på Rådhuset', 'Mødelokale 2, Vesterbro 12')", case=True),
        "caption_item_prefix": _p("an item number in front of a list caption ('4. Til stede:'): the caption is also an item heading"),
        "list_line_tail": _p("the tail of a list line stating absence or the items attended ('– afbud', '- punkt 3'), removed (each pattern in turn) before asking whether the line was broken in two"),
        "inline_label": _p("a label and its value on one line ('Sted: H2'); groups `label`, `value`", "label", "value", case=True),
        "value_starts_date": _p("a lower-case line under a header label that is still its value: it starts a date or a time ('onsdag den 1. oktober')"),
    },
    "items": {
        "presenter_tail": _p("presenters named at the end of an item title ('… ved Søren Aalund'); group `names`, optional `role`", "names", case=True),
        "presenter_line": _p("a line naming the presenters ('v./ Mads Duedahl og Mogens Jespersen'); group `names`", "names", case=True),
        "topic_presenter": _p("a bulleted topic with its presenter; groups `topic`, `name`, `org`", "topic", "name", case=True),
        "attachment_count": _p("'Bilag: 2': how many attachment lines follow; group `n`", "n", case=True),
        "abbreviations": Spec("phrases", "abbreviations that end with a period without ending a sentence ('ca.', 'jf.')"),
        "time_slot": _p("a time slot at the end of an item heading ('– kl. 17.10 – 17.15'); groups `h1`, `m1`, `h2`, `m2`", "h1", "m1", "h2", "m2"),
        "time_start": _p("a start time alone at the end of an item heading ('– kl. 17.10'); groups `h1`, `m1`", "h1", "m1"),
        "bullet": _p("a bullet in front of a line ('•', '-', '▪'): a paragraph, an attachment title, a presented topic"),
        "name_separator": Spec("pattern", "what separates the names of a list of presenters (',', 'og'); the text is split at it", case=True),
        "attachment_caption": Spec("pattern", "an attachment caption with its count ('Bilag: 2'), taken off an attachment title on the same line"),
    },
    "attendance": {
        "name_particles": _w("lower-case particles inside a name ('van', 'von', 'de')"),
        "party_letter": _p("a party letter as printed beside a name ('A', 'V', 'UP1')", case=True),
        "party_names": Spec("phrases", "party names as printed beside a name ('Socialdemokratiet')"),
        "functionary_roles": _w("roles a person has at the meeting itself (people.role): dirigent, referent, …"),
        "functionary": _p("a person given a role at this meeting; groups `who`, `role`", "who", "role", case=True),
        "functionary_item": _p("an item title that elects a functionary ('Valg af dirigent'); group `role`", "role", case=True),
        "elected": _p("'Jens Holm valgtes': elected (the item title says to what); group `who`", "who", case=True),
        "actor_verbs": _w("past-tense verbs of someone acting at the meeting ('fremlagde', 'bød')"),
        "inverted_verbs": _w("verbs after which the speaker's name follows ('… bemærkede Heidi Jørgensen, at')"),
        "inverted_clause": _w("words that follow a speaker named after the verb ('bemærkede X, at …')"),
        "object_before": Spec("phrases", "words after which a name is the object, not the subject ('takkede X for …')"),
        "actor_phrases": _p("phrases naming someone acting at the meeting ('blev gennemgået af X', 'Svar fra X'); group `who`", "who", case=True),
        "absent": _p("a sentence stating absence; group `who` (names), optional `scope`", "who", case=True),
        "guest_words": _w("a sentence that states or announces a guest holds one of these words; the `guest` and `announced` patterns are tried only then"),
        "guest": _p("a sentence stating that someone from outside took part in the meeting or an item of it ('Under behandlingen af sagen deltog direktør X'); group `who`", "who", case=True, optional=True),
        "announced": _p("a guest the case text announces for this meeting, present or future tense ('deltager direktør X under behandlingen af sagen', 'får besøg af Y ved X', 'X vil præsentere'); read even after a sentence about another body's meeting; group `who`", "who", case=True, optional=True),
        "present": _p("a sentence stating presence ('forlod mødet', 'kunne ikke tiltræde'); group `who`", "who", case=True),
        "substitute": _p("a sentence naming a substitute; group `sub`, optional `for`", "sub", case=True),
        "by_role": _p("a name by its position ('suppleanten Jonny'); group `name`", "name", case=True),
        "initials_defined": _p("a name with its initials, defining them for the rest of the text ('Anders Holm (AH)'); groups `who`, `code`", "who", "code", case=True),
        "other_meeting": _p("a paragraph speaking of another body's meeting: attendance stated after it in case text is not this meeting's", case=True),
        "list_enumerator": _p("an enumerator in front of a list line ('1.', '(a)', '- [x]', '•')"),
        "list_unchecked": _p("an unticked checkbox in front of a list line: the person did not attend"),
        "list_end": _p("the end of a list written as a sentence ('…; og')"),
        "list_items": _p("a list line limited to some items ('– punkt 3'); group `items`", "items"),
        "list_absent": _p("afbud on a list line ('– afbud', '(afbud)')"),
        "list_substitute": _p("a substitute named in brackets or after a dash on a list line; group `sub`", "sub"),
        "list_substitute_for": _p("a list line naming a substitute for someone ('Y, suppleant for X'); groups `sub`, `for`", "sub", "for"),
        "list_note": _p("a remark after a dash on a list line ('… - mødeleder'); group `note`", "note", case=True),
        "list_sentence": _p("a finite verb: a sentence about someone, not a list line"),
        "list_not_decided": _p("'[NotDecided]': invited, attendance not stated"),
    },
    "decisions": {
        "order": Spec("phrases", "decision rule sets, strongest first ('rejected', 'decided:election', …); a set 'type:name' is of that type"),
        "negators": _w("words that turn a following approving word into a rejection ('ikke')"),
        "negation_window": Spec("number", "how many words before an approving word a negator may stand"),
        "negatable": _w("rule sets a negator turns into 'rejected' ('ikke godkendt')"),
        "negation_voids": _w("rule sets a negator cancels ('ikke besluttet': no decision)"),
        "modals": _w("modal verbs that make a following decision word what may or must happen, not what was decided ('skal godkende')"),
        "lemmas": Spec("word_sets", "per rule set: lemmas (or lower-case words) that type a sentence"),
        "phrases": _t("phrases on the lower-cased sentence; tag: the rule set"),
        "referred_to": _p("the body a case is sent on to; group `to`", "to", case=True),
        "minority_subject": _p("a subject that is a minority, not the body ('V', 'A og O', 'et mindretal'): its position is a vote", case=True),
        "majority_subject": _p("a subject that is a majority of the body ('et flertal i udvalget'): its position is the outcome and a vote"),
        "position": _p("a sentence stating a subject's position ('X kunne ikke tiltræde'); group `who`", "who"),
        "point_types": _t("the verb of a recommendation point; tag: the decision type"),
        "reports": _p("a sentence reporting what someone else decided ('godkendt af kommunen'): no outcome of this meeting"),
        "noted_titles": _p("an item title that says the item informs ('Meddelelser'): noted where no sentence types it"),
        "overlap_stop": _w("words that never count as overlap between a recommendation point and a minutes sentence"),
    },
    "votes": {
        "rules": _t("a vote or a position as printed; groups `who` and/or `count`; tag: for, against, abstain or dissent"),
    },
    "dates": {
        "months": Spec("numbers", "month names and their abbreviations as written in dates ('7. november 2022', '6.maj', '15-maj-2002'), with the month's number"),
        "months_en": Spec("numbers", "English month names before the day ('April 3, 2019': web pages in an English locale), with the month's number"),
        "weekdays": Spec("numbers", "weekday names before a date ('Mandag den 7. november'), with the weekday's number (0 = Monday)"),
    },
    "money": {
        "not_money": _p("spans that are never (part of) an amount, even beside a currency marker: ordinal ranges ('1.-3. klasse'), labelled numbers ('Punkt 3', 'tlf. 12 34 56 78'), counts ('fordelingstal 3917')"),
        "not_money_after": _p("what right after a currency-first amount's number makes it no amount ('kr. 24,59 pct.')"),
        "unit_declarations": _p("a line, caption or header cell stating the unit of a table's bare numbers ('Beløb i kr.', '(1.000 kr.)', 'Mio. kr.'); group `unit`", "unit"),
        "non_money_columns": _w("table column headers whose numbers are no money even under a declared unit ('Nr.', 'Antal', '%')"),
        "total_labels": _p("the label of a total row ('I alt', 'Ialt:', 'Total', 'Udgifter i alt')"),
        "currency_after": _t("currency markers after a number ('500 kr.', '2 mio. kroner', '1.500 €'), in order; "
                             "tag: the ISO code, and a factor when the marker is a multiple ('DKK 1000' for 't.kr.')",
                             tag_shape=r"[A-Z]{3}(?: [1-9][0-9]*)?"),
        "currency_before": _t("currency markers that may also stand before a number ('kr. 2.652', 'DKK 1.500'); tag: the ISO code",
                              tag_shape="[A-Z]{3}"),
        "scale_words": _t("scale words between a number and its currency ('mio.', 'milliarder', 'tusinde'); tag: the factor",
                          tag_shape="[1-9][0-9]*"),
        "unit_scales": _t("the unit a table's column header declares ('1.000 kr.', 't.kr.', 'mio. kr.'), most specific first; tag: the factor",
                          tag_shape="[1-9][0-9]*"),
        "unit_before_number": Spec("pattern", "what right before '1.000 kr.' makes it a unit declaration, not an amount ('Beløb i 1.000 kr.', '(1.000 kr.)'); searched ending there", case=True),
        "numeral_units": Spec("numbers", "written numerals below ten ('en', 'to', 'ni') with their values; with 'og' and a tens word they make one word ('femogtyve')"),
        "numeral_teens": Spec("numbers", "written numerals from ten to nineteen ('ti', 'elleve', 'nitten') with their values"),
        "numeral_tens": Spec("numbers", "written tens ('tyve', 'halvtreds', 'halvfems') with their values"),
        "numeral_halves": Spec("numbers", "halves ('halv' 0.5, 'halvanden' 1.5); 'en halv' is a half"),
        "numeral_multipliers": Spec("numbers", "hundreds, thousands and larger scales in written amounts ('hundrede', 'tusind', 'millioner') with their values"),
        "numeral_plural_scales": _w("plural scale words that need a number before them ('mange millioner kroner' is no amount)"),
        "unit_before_currency": Spec("pattern", "the same before a currency-first match ('Beløb i kr. 2022', 'i 1.000 kr. 2.500')", case=True),
        "period_header": Spec("pattern", "a table header cell naming a period ('2022', '2023 (anslået)', 'Budget 2024', 'I alt'); group `p`", ("p",)),
        "year_after": Spec("pattern", "the year right after an amount in running text ('… kr. i 2024'): its period; group `year`", ("year",), case=True),
    },
    "clean": {
        "page_furniture": _p("page numbers and stamps dropped wherever they stand ('Side 4 af 5', '2/4')"),
        "web_navigation": _p("a line that is only a web page's navigation or sharing links ('• Hent som PDF', 'Til toppen'): dropped wherever it stands", optional=True),
        "glued_caption": _p("a caption glued to the first entry under it ('Indholdsfortegnelse1. Fraværende'): split in two; groups `caption`, `rest`", "caption", "rest", optional=True),
        "suspended_joiners": _w("words after a hyphen that continue a suspended compound ('Ældre- og Sundhedsområdet')"),
        "furniture_cells": _p("page furniture at the end of a line: a trailing cell matching in full is dropped (a stamp down the margin glued to the lines beside it)"),
        "label_cell": _p("the first cell of a two-column header box row, a label whose value is in the next cell ('Emne:', 'Tid og sted:')", case=True),
    },
}


def _compile(regex: str, where: str, spec: Spec, fragments: Mapping[str, str]) -> re.Pattern:
    text = expand_fragments(regex, fragments, where)
    try:
        rx = re.compile(text, 0 if spec.case else re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"{where}: not a valid regular expression ({exc}): {regex!r}") from None
    missing = [g for g in spec.groups if g not in rx.groupindex]
    # tagged sub-item shapes and the like may leave a group out only when the spec lists none
    if missing:
        raise RulesError(f"{where}: the pattern lacks the group(s) {', '.join(missing)} that the code reads: {regex!r}")
    return rx


_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def expand_fragments(regex: str, fragments: Mapping[str, str], where: str = "") -> str:
    """Replace ``{NAME}`` by the fragment's text (recursively, at most a few levels)."""
    for _ in range(5):
        def sub(m: re.Match) -> str:
            if m.group(1) not in fragments:
                raise RulesError(f"{where}: unknown fragment {{{m.group(1)}}}")
            return fragments[m.group(1)]

        new = _FRAGMENT.sub(sub, regex)
        if new == regex:
            return new
        regex = new
    raise RulesError(f"{where}: fragments nest too deeply")


def _value(raw: Any, spec: Spec, where: str, fragments: Mapping[str, str]) -> Any:
    """A checked, compiled value of one key."""
    kind = spec.kind
    if kind == "patterns":
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise RulesError(f"{where}: expected a list of regular expressions")
        return tuple(_compile(x, f"{where}[{i}]", spec, fragments) for i, x in enumerate(raw))
    if kind == "pattern":
        if not isinstance(raw, str):
            raise RulesError(f"{where}: expected one regular expression")
        return _compile(raw, where, spec, fragments)
    if kind == "tagged":
        if not isinstance(raw, list) or not all(isinstance(x, dict) and set(x) == {"pattern", "tag"} for x in raw):
            raise RulesError(f"{where}: expected a list of {{pattern = '…', tag = '…'}} tables")
        bad = [x["tag"] for x in raw if spec.tag_shape and not re.fullmatch(spec.tag_shape, str(x["tag"]))]
        if bad:
            raise RulesError(f"{where}: tag {bad[0]!r} does not have the shape {spec.tag_shape!r}")
        return tuple((_compile(x["pattern"], f"{where}[{i}]", spec, fragments), str(x["tag"])) for i, x in enumerate(raw))
    if kind == "words":
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise RulesError(f"{where}: expected a list of words")
        return frozenset(x.casefold() for x in raw)
    if kind == "word_sets":
        if not isinstance(raw, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in raw.values()):
            raise RulesError(f"{where}: expected a table of word lists")
        return MappingProxyType({k: frozenset(x.casefold() for x in v) for k, v in raw.items()})
    if kind == "numbers":
        if not isinstance(raw, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw.values()):
            raise RulesError(f"{where}: expected a table of words and numbers")
        return MappingProxyType({k.casefold(): v for k, v in raw.items()})
    if kind == "phrases":
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise RulesError(f"{where}: expected a list of strings")
        return tuple(raw)
    if kind == "weights":
        if not isinstance(raw, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in _flat(raw).values()):
            raise RulesError(f"{where}: expected a table of numbers")
        flat = _flat(raw)
        unknown = sorted(set(flat) - set(spec.names))
        missing = sorted(set(spec.names) - set(flat))
        if unknown or missing:
            raise RulesError(f"{where}: " + "; ".join(p for p in (unknown and f"unknown weight(s) {', '.join(unknown)}", missing and f"missing weight(s) {', '.join(missing)}") if p))
        return MappingProxyType({k: float(v) for k, v in flat.items()})
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise RulesError(f"{where}: expected a number")
        return raw
    if kind == "flag":
        if not isinstance(raw, bool):
            raise RulesError(f"{where}: expected true or false")
        return raw
    raise RulesError(f"{where}: unknown kind {kind!r} in the schema")


def _flat(table: dict, prefix: str = "") -> dict[str, Any]:
    """``{"shape": {"dot": 1}}`` -> ``{"shape.dot": 1}`` (TOML dotted keys read back as nested tables)."""
    out: dict[str, Any] = {}
    for k, v in table.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


class Section(Mapping):
    """The checked values of one rule file, by key (also as attributes)."""

    def __init__(self, name: str, values: dict[str, Any]):
        self._name = name
        self._values = dict(values)
        self._derived: dict[str, Any] = {}

    def derived(self, name: str, make) -> Any:
        """``make(self)``, computed once per section: what a stage builds from the rules
        (the money grammar) is built once per profile, not once per call."""
        if name not in self._derived:
            self._derived[name] = make(self)
        return self._derived[name]

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"rules.{self._name} has no key {key!r}") from None

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class Profile:
    """A template family: how to recognise it, and what it changes."""

    name: str
    description: str
    signals: tuple[tuple[re.Pattern, float], ...] = ()
    override: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extend: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None


GENERIC = Profile(name="generic", description="The generic rules: what every document gets when no profile claims it.")


@dataclass(frozen=True)
class Rules:
    """Every rule file of one profile, checked and compiled, plus its settings."""

    profile: Profile
    sections: Mapping[str, Section]
    settings: Settings

    def __getattr__(self, name: str) -> Section:
        try:
            return self.sections[name]
        except KeyError:
            raise AttributeError(f"no rule file {name!r}") from None


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{path}: rule file missing (is the models/ folder installed?)") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from None


def _fragments(root: Path) -> dict[str, str]:
    path = root / "rules" / "fragments.toml"
    data = _read_toml(path) if path.exists() else {}
    frags = data.get("fragments", {})
    if not isinstance(frags, dict) or not all(isinstance(v, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", k) for k, v in frags.items()):
        raise RulesError(f"{path}: [fragments] must map UPPER_CASE names to regex strings")
    return frags


def _raw_sections(root: Path) -> dict[str, dict]:
    out = {}
    for stem, keys in SCHEMA.items():
        path = root / "rules" / f"{stem}.toml"
        data = _read_toml(path)
        unknown = sorted(set(data) - set(keys))
        if unknown:
            raise RulesError(f"{path}: unknown key(s) {', '.join(unknown)} (declared: {', '.join(keys)})")
        missing = sorted(k for k, s in keys.items() if k not in data and not s.optional)
        if missing:
            raise RulesError(f"{path}: missing key(s) {', '.join(missing)}")
        out[stem] = data
    return out


def _apply_profile(raw: dict[str, dict], profile: Profile) -> dict[str, dict]:
    merged = {stem: dict(values) for stem, values in raw.items()}
    where = profile.path or profile.name
    for mode, tables in (("override", profile.override), ("extend", profile.extend)):
        for stem, values in tables.items():
            if stem not in SCHEMA:
                raise RulesError(f"{where}: [{mode}.{stem}]: no rule file {stem!r} (known: {', '.join(SCHEMA)})")
            for key, value in values.items():
                spec = SCHEMA[stem].get(key)
                if spec is None:
                    raise RulesError(f"{where}: [{mode}.{stem}]: unknown key {key!r}")
                if mode == "override":
                    merged[stem][key] = value
                elif spec.kind in ("patterns", "tagged", "words", "phrases"):
                    merged[stem][key] = list(merged[stem].get(key, [])) + list(value)
                elif spec.kind == "weights":
                    merged[stem][key] = {**_flat(merged[stem].get(key, {})), **_flat(value)}
                elif spec.kind == "numbers":
                    merged[stem][key] = {**merged[stem].get(key, {}), **value}
                else:
                    raise RulesError(f"{where}: [extend.{stem}] {key}: a {spec.kind} can only be overridden")
    return merged


def build(profile: Profile = GENERIC, root: Path | None = None) -> Rules:
    """Check and compile every rule file with ``profile`` applied."""
    root = root or models_dir()
    fragments = _fragments(root)
    merged = _apply_profile(_raw_sections(root), profile)
    sections = {}
    for stem, keys in SCHEMA.items():
        values = {}
        for key, spec in keys.items():
            raw = merged[stem].get(key)
            if raw is None:
                values[key] = _value([] if spec.kind in ("patterns", "tagged", "words", "phrases") else {}, spec, f"{stem}.{key}", fragments) if spec.optional else None
                continue
            values[key] = _value(raw, spec, f"{root / 'rules' / stem}.toml: {key}", fragments)
        sections[stem] = Section(stem, values)
    try:
        settings = Settings().evolve(**dict(profile.settings))
    except (TypeError, ValueError) as exc:
        raise RulesError(f"{profile.path or profile.name}: [settings]: {exc}") from None
    return Rules(profile=profile, sections=MappingProxyType(sections), settings=settings)


@lru_cache(maxsize=16)
def _rules_for(name: str, root: str) -> Rules:
    return build(profile_by_name(name, Path(root)), Path(root))


def rules_for(profile: Profile | str = GENERIC) -> Rules:
    """The compiled rules of a profile (cached per process)."""
    name = profile if isinstance(profile, str) else profile.name
    return _rules_for(name, str(models_dir()))


# --- profiles ----------------------------------------------------------------

_PROFILE_KEYS = {"name", "description", "detect", "override", "extend", "settings"}


def read_profile(path: Path, fragments: Mapping[str, str] | None = None) -> Profile:
    """A profile file, checked (its overrides are checked again when the rules are built)."""
    data = _read_toml(path)
    unknown = sorted(set(data) - _PROFILE_KEYS)
    if unknown:
        raise RulesError(f"{path}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_PROFILE_KEYS))})")
    for key in ("name", "description"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RulesError(f"{path}: '{key}' must be a non-empty string")
    if data["name"] != path.stem:
        raise RulesError(f"{path}: name {data['name']!r} must equal the file name {path.stem!r}")
    detect = data.get("detect", {})
    signals = []
    for i, s in enumerate(detect.get("signals", [])):
        if not isinstance(s, dict) or set(s) != {"pattern", "weight"} or not isinstance(s["weight"], (int, float)):
            raise RulesError(f"{path}: detect.signals[{i}] must be {{pattern = '…', weight = N}}")
        signals.append((_compile(s["pattern"], f"{path}: detect.signals[{i}]", Spec("pattern", ""), fragments or {}), float(s["weight"])))
    return Profile(
        name=data["name"],
        description=data["description"],
        signals=tuple(signals),
        override=MappingProxyType(data.get("override", {})),
        extend=MappingProxyType(data.get("extend", {})),
        settings=MappingProxyType(data.get("settings", {})),
        path=str(path),
    )


@lru_cache(maxsize=4)
def _profiles(root: str) -> tuple[Profile, ...]:
    base = Path(root)
    fragments = _fragments(base)
    return tuple(read_profile(p, fragments) for p in sorted((base / "profiles").glob("*.toml")))


def profiles() -> tuple[Profile, ...]:
    """Every profile under ``models/profiles/``, by file name."""
    return _profiles(str(models_dir()))


def profile_by_name(name: str, root: Path | None = None) -> Profile:
    if name == GENERIC.name:
        return GENERIC
    for p in _profiles(str(root or models_dir())):
        if p.name == name:
            return p
    raise KeyError(f"no profile named {name!r}")


#: how many lines detection reads
DETECT_LINES = 400
#: a profile needs at least this score to be chosen over the generic rules
MIN_SCORE = 2.0


def detect(texts: list[str]) -> tuple[Profile, float]:
    """The profile whose signals score highest on the first lines (ties: the first by name), or GENERIC."""
    head = texts[:DETECT_LINES]
    best, best_score = GENERIC, 0.0
    for profile in profiles():
        score = sum(weight for pattern, weight in profile.signals if any(pattern.search(t) for t in head))
        if score > best_score:
            best, best_score = profile, score
    return (best, best_score) if best_score >= MIN_SCORE else (GENERIC, best_score)


def first_match(patterns, text: str) -> re.Match | None:
    """The first pattern of ``patterns`` that matches at the start of ``text``."""
    return next((m for p in patterns if (m := p.match(text))), None)


def first_search(patterns, text: str) -> re.Match | None:
    """The first match of ``patterns`` (in order) anywhere in ``text``."""
    return next((m for p in patterns if (m := p.search(text))), None)


def first_tag(tagged, text: str) -> tuple[str, re.Match] | None:
    """(tag, match) of the first tagged pattern that matches at the start of ``text``."""
    for p, tag in tagged:
        m = p.match(text)
        if m:
            return tag, m
    return None


_KIND_TEXT = {
    "patterns": "list of regexes", "pattern": "one regex", "tagged": "list of {pattern, tag}", "words": "list of words",
    "word_sets": "table of word lists", "numbers": "table of words and numbers",
    "phrases": "list of strings", "weights": "table of numbers", "number": "number", "flag": "true/false",
}

_RULES_PAGE = """# Rules

Every convention of the language and of document shapes that the parser relies on is a key of a
rule file in `models/rules/`, declared in `pipeline.rules.SCHEMA` with its kind, its meaning and the
named groups the code reads from its patterns. Loading checks each file against the schema (an
unknown or missing key, a value of the wrong kind, a pattern that does not compile or lacks a group,
a tag of the wrong shape) and fails with a message naming the file and the key. A profile
(`models/profiles/<family>.toml`) overrides (`[override.<file>]`) or extends (`[extend.<file>]`,
lists only) any key; see [architecture](architecture.md#where-rules-live).

Patterns are case-insensitive unless marked *case-sensitive* (write `(?i:…)` for a part that is
not); `{NAME}` is a fragment of `models/rules/fragments.toml`.

This page is generated from the code (`python -m pipeline.rules > docs/rules.md`, or `make docs`).
"""


def markdown() -> str:
    """docs/rules.md: every key of every rule file with its kind, groups and meaning."""
    out = [_RULES_PAGE]
    for stem, keys in SCHEMA.items():
        out.append(f"\n## `models/rules/{stem}.toml`\n\n| key | kind | meaning |\n|---|---|---|")
        for key, spec in keys.items():
            kind = _KIND_TEXT[spec.kind]
            if spec.groups:
                kind += "; groups " + ", ".join(f"`{g}`" for g in spec.groups)
            if spec.case:
                kind += "; case-sensitive"
            if spec.tag_shape:
                kind += f"; tag `{spec.tag_shape}`"
            out.append(f"| `{key}` | {kind} | {spec.doc.replace('|', '&#124;')} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
