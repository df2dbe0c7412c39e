"""The generic profile: rules shared by every template family.

A profile is data: regular expressions and word lists that tell the generic
stages what headings, labels and lists look like.  A template family
subclasses nothing; it makes a copy of ``GENERIC`` with a few fields changed
(see ``sundhedsklynge.py``), so adding a family never edits the stages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


def rx(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    #: (pattern, weight) pairs searched in the first lines of a document; the
    #: profile with the highest total wins, ties go to the first registered
    signals: tuple[tuple[re.Pattern, float], ...] = ()
    #: extra page furniture for this family (running header text, etc.)
    footers: tuple[re.Pattern, ...] = ()
    #: first words of the document that give doc_kind
    doc_kinds: tuple[tuple[re.Pattern, str], ...] = ()
    #: agenda item headings; group "no" is the item number, "title" the rest
    item_heading: tuple[re.Pattern, ...] = ()
    #: a line announcing the list of items ("Dagsorden:"); not an item itself
    agenda_caption: tuple[re.Pattern, ...] = ()
    #: header box labels -> field name
    header_labels: tuple[tuple[re.Pattern, str], ...] = ()
    #: attendance list headings -> default attendance of the lines under them
    attendance_groups: tuple[tuple[re.Pattern, str], ...] = ()
    #: block labels inside an item; the text after the label on the same line is kept
    recommendation_labels: tuple[re.Pattern, ...] = ()
    minutes_labels: tuple[re.Pattern, ...] = ()
    description_labels: tuple[re.Pattern, ...] = ()
    attachment_labels: tuple[re.Pattern, ...] = ()
    other_labels: tuple[re.Pattern, ...] = ()
    #: earlier meetings' treatment of the case: kept apart, never this meeting's minutes
    history_labels: tuple[re.Pattern, ...] = ()
    closed_markers: tuple[re.Pattern, ...] = ()
    #: recommendation points: "1. Godkender ...", "At dagsorden godkendes", "a) ..."
    recommendation_point: tuple[re.Pattern, ...] = ()
    #: sign-off lines: group "who" holds the initials or names
    referent_lines: tuple[re.Pattern, ...] = ()
    approval_lines: tuple[re.Pattern, ...] = ()
    #: "Mødet hævet kl. 18.40": the minutes end here (sign-off may follow);
    #: pages of other text after it are an appended document, not the last item
    closing_lines: tuple[re.Pattern, ...] = ()
    #: where an item has a recommendation but no minutes label, the text after
    #: the recommendation is the minutes (Word-made minutes without "Referat:")
    minutes_follow_recommendation: bool = True

    def evolve(self, **changes) -> "Profile":
        return replace(self, **changes)


GENERIC = Profile(
    name="generic",
    description="Fallback rules for numbered Danish minutes with common block labels.",
    doc_kinds=(
        (re.compile(r"^\s*(?:åbent\s+|lukket\s+)?referat\b", re.I), "referat"),
        (re.compile(r"^\s*beslutningsprotokol\b", re.I), "beslutningsprotokol"),
        (re.compile(r"^\s*(?:åben\s+|lukket\s+)?dagsorden(?:\s+(?:til|for)\b.{0,80})?$", re.I), "dagsorden"),
        (re.compile(r"^\s*protokol\b", re.I), "protokol"),
    ),
    item_heading=(
        re.compile(r"^(?:punkt|pkt\.?)\s*(?P<no>\d{1,3})\s*[.:)]?\s+(?P<title>\S.*)$", re.I),
        re.compile(r"^§\s*(?P<no>\d{1,3})\.?\s+(?P<title>\S.*)$"),
        re.compile(r"^ad\.?\s*(?P<no>\d{1,3})\s*[.:)]?\s+(?P<title>\S.*)$", re.I),
        # "i . Valg af dirigent": OCR reads the heading number 1 as i or l
        re.compile(r"^(?P<no>[il]) ?\.\s*(?P<title>[A-ZÆØÅ].*)$"),
        # "3 . Regnskab": OCR often reads a space before the dot
        re.compile(r"^(?P<no>\d{1,3}) ?(?:\.|\))\s*(?P<title>[A-ZÆØÅ\"'(].*)$"),
    ),
    agenda_caption=rx(r"^dagsorden\s*:?$", r"^indholdsfortegnelse\s*:?$", r"^punkter\s*:?$"),
    header_labels=(
        (re.compile(r"^emne\s*:?$", re.I), "subject"),
        (re.compile(r"^(?:møde)?dato\s*:?$", re.I), "date"),
        (re.compile(r"^tid\s+og\s+sted\s*:?$", re.I), "when_where"),
        (re.compile(r"^(?:mødested|sted)\s*:?$", re.I), "location"),
        (re.compile(r"^(?:tid|tidspunkt|mødetidspunkt)\s*:?$", re.I), "time"),
        (re.compile(r"^(?:mødet\s+(?:hævet|sluttede|afsluttet)|mødeafslutning|sluttidspunkt)\s*:?$", re.I), "end"),
        (re.compile(r"^(?:referent|ref\.)\s*:?$", re.I), "referent"),
        (re.compile(r"^(?:udvalg|forum|mødeforum|organ|mødenavn)\s*:?$", re.I), "body"),
        (re.compile(r"^(?:mødeleder|ordstyrer|dirigent)\s*:?$", re.I), "chair"),
    ),
    attendance_groups=(
        (re.compile(r"^(?:afbud|fraværende|fraværende med afbud|meldt afbud|ikke til stede|afbud/fraværende)\s*:?$", re.I), "absent"),
        (re.compile(r"^gæst(?:er)?\b.*$", re.I), "guest"),
        (re.compile(r"^(?:mødedeltagere|deltagere|deltagerne var|til stede|tilstede|tilstedeværende|medlemmer|desuden deltog|fremmødte)\s*:?$", re.I), "present"),
        (re.compile(r"^[\wæøå]+ med observatørstatus\s*:?$", re.I), "present"),
        (re.compile(r"^administrativ(?:e)? (?:deltagelse|deltagere)\s*:?$", re.I), "present"),
        # the meeting's secretary, listed under a caption of its own (eDoc front pages)
        (re.compile(r"^(?:sekretær|sekretariat|mødesekretær|protokolfører)\s*:?$", re.I), "present"),
    ),
    recommendation_labels=rx(
        r"^det\s+indstilles\b",
        r"^indstilling(?:en)?\b(?!\s+godkend)",
        r"^[\wæøå]+s\s+indstilling\s*:?$",  # "ADMINISTRATIONENS INDSTILLING" (SBSYS captions)
        r"^(?:[\wæøå\-]+\s+){0,4}indstiller\b",
        r"^forslag\s+til\s+beslutning\b",
        r"^beslutningspunkter\b",
    ),
    minutes_labels=rx(
        r"^[\wæøåÆØÅ,\- ]{3,80}s\s+beslutning\s+(?:den|i\s+mødet\s+den)\b",
        r"^beslutning\s+i\s+[\wæøåÆØÅ,\- ]{3,80}\s+den\b",
        r"^[\wæøåÆØÅ,\- ]{3,80}s\s+beslutning\s*:?$",  # "SOCIALUDVALGETS BESLUTNING" (an empty field in an agenda)
        r"^referat\s*:",
        r"^referat\s*$",
        r"^beslutning(?:er)?\s*:?$",
        r"^beslutning(?:er)?\s*:",
        r"^afgørelse\s*:?",
        r"^protokol\s*:?$",
    ),
    description_labels=rx(
        r"^sagsfremstilling\s*:?$",
        r"^resum[eé]\s*:?$",
        r"^baggrund\s*:?$",
        r"^sammendrag\s*:?$",
        r"^beskrivelse\s*:?$",
    ),
    attachment_labels=rx(r"^bilag\s*:?(?:\s*\d+)?\s*$", r"^bilag\s*:"),
    history_labels=rx(r"^sagsforløb\s*:?$", r"^punktet\s+(?:er\s+)?behandlet\s+tidligere\b", r"^tidligere\s+beslutninger?\s*:?$", r"^sagsgang\s*:?$"),
    closed_markers=rx(r"^lukket\s*(?:punkt)?\s*[:.]?", r"\blukket punkt\b"),
    recommendation_point=rx(
        r"^(?P<n>\d{1,2})[.)]\s+(?P<text>\S.*)$",
        r"^(?P<n>[a-h])\)\s+(?P<text>\S.*)$",
        r"^at\s+(?P<text>\S.*)$",
        r"^at\s+(?P<n>\d{1,2})\)\s*(?P<text>\S.*)$",
    ),
    referent_lines=rx(
        r"^således\s+opfattet,?\s*(?:af\s+)?(?P<who>.+?)\s*$",
        r"^referent\s*:\s*(?P<who>.+?)\s*$",
        r"^ref\.\s*:?\s*(?P<who>[A-ZÆØÅ].*?)\s*$",
        r"^referatet\s+er\s+skrevet\s+af\s+(?P<who>.+?)\.?\s*$",
    ),
    closing_lines=rx(
        r".*\bhævede\s+(?:hermed\s+)?(?:mødet|generalforsamlingen|repræsentantskabsmødet)\b",
        r".*\b(?:mødet|generalforsamlingen)\s+(?:blev\s+)?(?:hævet|afsluttet)\b",
        r"^mødet\s+slut(?:tede)?\b",
    ),
    approval_lines=rx(
        r"^godkendt\s+af\s+(?P<who>.+?)\s*$",
        r"^referat(?:et)?\s+(?:godkendt|vedtaget)\s+af\s*:?\s*(?P<who>.*?)\s*$",
    ),
)
