"""Read an inspection report's text into a `Finding`: pure, no database, never raises anything
but `ReportError`.

The work is split by what is looked for: `dates` (publication, fieldwork), `scores` (headline
scores, ratings), `recommendations` (the list) and `owners` (who owns each item, matched to the
store's roles). This module finds the area, the kind of inspection and a letter's addressee and
copy list, and puts the parts together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.importers import gazetteer
from tracker.importers.cleanup import repair_text, strip_markup
from tracker.importers.dates import MONTH, find_fieldwork, find_published, latest_month
from tracker.importers.extract import check_length
from tracker.importers.finding import (
    CopyEntry,
    Finding,
    FoundRating,
    ReportError,
)
from tracker.importers.owners import tidy_owners
from tracker.importers.recommendations import find_recommendations
from tracker.importers.scores import find_ratings, find_scores
from tracker.vocab import InspectionKind

_CONNECTOR = r"on|upon|and|of|the|le|by|in|under|with|&"
_WORD_GAP = r" {1,2}"
"""What may stand between two words of a place name: a space or two, never a tab or the wide
gap of a PDF's running header ("Southby     HMI Probation")."""
_PLACE = rf"[A-Z][\w'’.&-]*(?:{_WORD_GAP}(?:[A-Z][\w'’.&-]*|(?i:{_CONNECTOR})\b))*"
_AREA_IN = re.compile(
    r"(?i:youth\s+(?:offending|justice)\s+(?:work|services?|teams?|provision)\s+in)\b"
    rf"[ \t]*:?[ \t]*(?:\n[ \t]*)*(?:(?i:the)\s+)?(?P<area>{_PLACE})"
)
_AREA_IN_START = re.compile(
    r"(?i:youth\s+(?:offending|justice)\s+(?:work|services?|teams?|provision|partnership)\s+"
    r"(?:in|for|of|across)\b)"
)
_AREA_BEFORE = re.compile(
    rf"(?P<area>{_PLACE}){_WORD_GAP}"
    r"(?:Youth Offending (?:Service|Team)|Youth Justice Service|YOS|YOT|YJS)\b"
)
_LEADING_ROLE = re.compile(
    r"^(?:(?:the|a|an|our|this|new)\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:head|chair|manager|director|members?|staff|board|officers?|team|partnership)s?\s+"
    r"(?:of|for|at|in)\s+(?:the\s+)?",
    re.IGNORECASE,
)
"""The post in front of a place before "YOS": "The Head of" in "The Head of Westshire Youth
Offending Service"."""
_NOT_AREAS = {"england", "wales", "england and wales", "the uk", "uk", "scotland"}
_NOT_AREA_START = re.compile(
    r"^(?:the|this|that|our|each|every|a|an|all|local|whole|regional|national|other|your|their"
    r"|its|new|any|head|chair|manager|members?|in|of|hmi|hm)\b",
    re.IGNORECASE,
)
_ROLEISH = re.compile(r"\b(?:head|manager|board|chair|staff|service|team|officer)s?\b", re.I)
_LOWER_IN_NAMES = frozenset({"on", "upon", "and", "of", "the", "le", "by", "in", "under", "with"})

_KINDS = (
    (re.compile(r"core\s+case\s+inspection", re.I), InspectionKind.CCI),
    (re.compile(r"(?i:short\s+quality\s+screening)|\bSQS\b"), InspectionKind.SQS),
    (re.compile(r"full\s+joint\s+inspection|\bFJI\b", re.I), InspectionKind.FJI),
)
_INSPECTION = re.compile(
    r"\bh\.?\s?m\.?\s?i\.?\s+probation\b|\bhmip\b|inspectorate\s+of\s+probation|"
    r"core\s+case\s+inspection|short\s+quality\s+screening|full\s+joint\s+inspection|"
    r"(?:joint\s+|thematic\s+|full\s+)?inspection\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"youth\s+(?:offending|justice)|youth\s+(?:offending|justice)\s+(?:work|services?)\s+"
    r"inspection",
    re.IGNORECASE,
)
"""What an inspection report of youth offending work, or a paper about one, always says: the
inspectorate's name or the inspection's. "Inspection" and "YOS" alone are not enough (the
YOS's office had its fire alarms inspected)."""
_YOUTH = re.compile(r"(?i:youth\s+(?:offending|justice))|\b(?:YOS|YOT|YJS|YJB)\b")


_DATE_AFTER = re.compile(
    rf"\s+(?:in|on|by|during|from|since|of)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    rf"{MONTH}).*$",
    re.IGNORECASE,
)
"""When words after a place are the start of a date ("Westby in March 2015")."""


def _trim_place(text: str) -> str:
    text = _DATE_AFTER.sub("", text)
    words = text.replace("\t", " ").split()
    while words and re.fullmatch(_CONNECTOR, words[-1], re.I):
        words.pop()
    return " ".join(words).rstrip(".,;:-")


def _title(place: str) -> str:
    """A place written in capitals ("BLACKBURN WITH DARWEN", a heading) as it is written in
    prose: "Blackburn with Darwen", "Stoke-on-Trent"."""
    if any(ch.islower() for ch in place):
        return place

    def word(match: re.Match[str]) -> str:
        text = match.group()
        if text.lower() in _LOWER_IN_NAMES and match.start() > 0:
            return text.lower()
        return text[:1] + text[1:].lower()

    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)?", word, place)


_SERVICE_WORDS = re.compile(
    r"\b(?:Youth\s+Offending\s+(?:Service|Team|Partnership)s?|Youth\s+Justice\s+(?:Service|Team)s?"
    r"|YOS|YOT|YJS|YJT)\b",
    re.IGNORECASE,
)
_COUNCIL = re.compile(r"\b(?:(?:Metropolitan\s+)?Borough|County|City|District)?\s*Council\b")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.&-]*|&")


def _words(text: str) -> list[str]:
    return _NAME_WORD.findall(text)


def _capitalised(run: list[str]) -> bool:
    """Whether a run of words is written as a name: its first word capitalised (a heading in
    capitals too), so that "reading" or "bury" in a sentence is not taken for a place."""
    return bool(run) and run[0][:1].isupper()


def _named(text: str, *, at_end: bool) -> str | None:
    """The known name the words of `text` start (or, `at_end`, end) with, or None."""
    words = _words(text)
    if not at_end:
        words = words[: gazetteer.gazetteer().longest + 4]
    found = gazetteer.longest_at(words, at_end=at_end)
    if found is None:
        return None
    run = words[-found[1] :] if at_end else words[: found[1]]
    if run and run[0].casefold() == "the":
        run = run[1:]
    return " ".join(run) if _capitalised(run) else None


def _segment_before(text: str, end: int) -> str:
    """The text just before `end`, on its line, after any wide gap (a running header's parts)
    or a sentence's end."""
    start = max(text.rfind("\n", 0, end) + 1, end - 120)
    piece = text[start:end]
    return re.split(r"\t| {3,}|[.;:!?()\[\]\"“”]\s", piece)[-1]


def _segment_after(text: str, start: int) -> str:
    piece = text[start : start + 160].lstrip(" \t:\n")
    piece = piece.split("\n")[0]
    return re.split(r"\t| {3,}|[;:!?()\[\]\"“”]|\.\s", piece)[0]


@dataclass(frozen=True)
class AreaFound:
    """The area a report names: the gazetteer's canonical name ("" when it names none the
    gazetteer knows), the words the report used, and notes on any doubt."""

    area: str
    said: str = ""
    notes: tuple[str, ...] = ()


def find_area_in(text: str, year: int | None = None) -> AreaFound:
    """The area inspected, always a service of the gazetteer (never a guess from words that
    are not a place): the service named after "youth offending work in" (or "services in"),
    else the one most often named before "Youth Offending Service", "YOS", "YOT" ..., else the
    council a paper names (with a note to check it). `year` (of publication or fieldwork)
    chooses between services an authority belonged to over the years. When no known service
    is named, the area is "" and a note names the place-like words the report used, if any."""
    tiers: list[tuple[list[str], str | None]] = []
    tiers.append(
        (
            [
                name
                for m in _AREA_IN_START.finditer(text)
                if (name := _named(_segment_after(text, m.end()), at_end=False))
            ],
            None,
        )
    )
    tiers.append(
        (
            [
                name
                for m in _SERVICE_WORDS.finditer(text)
                if (name := _named(_segment_before(text, m.start()), at_end=True))
            ],
            None,
        )
    )
    tiers.append(
        (
            [
                name
                for m in _COUNCIL.finditer(text)
                if (name := _named(_segment_before(text, m.start()), at_end=True))
            ],
            "area read from the council the paper names ('{said} Council'): check it",
        )
    )
    for names, note in tiers:
        counts: Counter[str] = Counter()
        said: dict[str, str] = {}
        for name in names:
            service = gazetteer.resolve(name, year)
            if service is not None:
                counts[service.area] += 1
                said.setdefault(service.area, name)
        if not counts:
            continue
        area = counts.most_common(1)[0][0]
        words = said[area]
        notes: list[str] = []
        if note:
            notes.append(note.format(said=words))
        service = gazetteer.resolve(words, year)
        if service is not None and gazetteer.fold(words) not in {
            gazetteer.fold(n) for n in (service.area, *service.names)
        }:
            notes.append(f"area: the report's '{words}' is the service '{area}'")
        others = [a for a in counts if a != area]
        if others and note is None:
            notes.append(
                f"the report also names {', '.join(others[:3])}: took {area}, named most often"
            )
        return AreaFound(area, words, tuple(notes))
    return AreaFound("", _unknown_place(text))


def _unknown_place(text: str) -> str:
    """A place-like name the report gives the service that the gazetteer does not know (the
    old reading, for the warning only: it is never taken for the area)."""
    for pattern, roles_allowed in ((_AREA_IN, True), (_AREA_BEFORE, False)):
        for match in pattern.finditer(text):
            area = _trim_place(match.group("area"))
            if not roles_allowed:
                area = re.sub(r"^the\s+", "", _LEADING_ROLE.sub("", area), flags=re.I)
            if not area or area.casefold() in _NOT_AREAS or len(area.split()) > 8:
                continue
            if not roles_allowed and (_NOT_AREA_START.match(area) or _ROLEISH.search(area)):
                continue
            if re.search(rf"\b{MONTH}\b|\d|council|permanent|interim|acting", area, re.I):
                continue
            return _title(area)
    return ""


def find_area(text: str, year: int | None = None) -> str:
    """The area inspected: a service of the gazetteer, by its canonical name, or "" (see
    `find_area_in`)."""
    return find_area_in(text, year).area


def find_kind(flat: str, ratings: list[FoundRating]) -> tuple[InspectionKind, list[str]]:
    """The kind of inspection, from the first format the text names (a 2018-onward report is
    known by its ratings), and a note when it is not recognised."""
    named = sorted(
        (match.start(), kind)
        for pattern, kind in _KINDS
        if (match := pattern.search(flat)) is not None
    )
    if named and not (ratings and named[0][0] > 3000):
        return named[0][1], []
    if ratings or re.search(r"inspection of youth (?:offending|justice) services", flat, re.I):
        return InspectionKind.RATED_2018, []
    return InspectionKind.OTHER, [
        "inspection kind not recognised (Core Case Inspection, Short Quality Screening, Full "
        "Joint Inspection or 2018-onward ratings): recorded as 'other'"
    ]


def find_addressee(lines: list[str]) -> str | None:
    """Who a letter is addressed to ("To: Sarah Ferguson, Chair of ... Board"), or None."""
    for line in lines[:80]:
        match = re.match(r"to\s*:\s*(\S.{1,300})$", line, re.I)
        if match:
            return " ".join(match.group(1).split())
    return None


def find_copy_list(lines: list[str]) -> list[CopyEntry]:
    """A letter's copy list: each line a role and, after a tab or a wide gap, the people."""
    for i, line in enumerate(lines):
        if not re.fullmatch(r"(?:copy|copies)\s+to\s*:?|cc\s*:?", line, re.I):
            continue
        entries: list[CopyEntry] = []
        for row in lines[i + 1 : i + 60]:
            if not row:
                if entries:
                    break
                continue
            cells = [c.strip() for c in re.split(r"\t+|\s{2,}", row) if c.strip()]
            if len(cells) != 2:
                break
            names = [" ".join(n.split()) for n in cells[1].split(",") if n.strip()]
            entries.append(CopyEntry(" ".join(cells[0].split()), names))
        if entries:
            return entries
    return []


def parse_report(
    text: str, source: str, *, known_roles: Iterable[str] = (), area: str | None = None
) -> Finding:
    """What the report `text` (read from `source`) says: area, kind, dates, scores, ratings,
    recommendations with their owners, and warnings for what it does not say. `known_roles`
    are the store's role names and aliases: names that hold "and" are not split, and a
    bracket naming one is an owner. `area`, when given, is the area inspected whatever the
    text says (the user's correction): a scores table's row and the owners are read for it.
    Refuses, with a `ReportError`, a text that is empty, too long or not an inspection report;
    a report in which no recommendations are found is kept, with what else was found and a
    warning (`Finding.warnings`), for the user to add them by hand."""
    if not text.strip():
        raise ReportError(source, "is empty: there is no text to read")
    check_length(text, source)
    cleaned = strip_markup(repair_text(text))
    lines = [line.strip() for line in cleaned.split("\n")]
    flat = " ".join(cleaned.split())
    if not (_INSPECTION.search(flat) and _YOUTH.search(flat)):
        raise ReportError(
            source,
            "does not look like an inspection report of youth offending work: it names "
            "neither HM Inspectorate of Probation nor an inspection of youth offending work "
            "(a Core Case Inspection, a Short Quality Screening, 'inspection of youth "
            "offending services in ...'). Nothing was created",
        )
    known = list(known_roles)
    recommendations, rec_notes = find_recommendations(lines, known)
    published = find_published(flat, lines)
    fieldwork = find_fieldwork(flat)
    day = published.day or (fieldwork.period.start if fieldwork.period else None)
    area_notes: list[str] = []
    area_said: str | None = None
    if area and area.strip():
        area = " ".join(area.split())
    else:
        found_area = find_area_in(cleaned, day.year if day else None)
        area, area_notes = found_area.area, list(found_area.notes)
        area_said = found_area.said if not found_area.area else None
        if found_area.said and found_area.area:
            area_notes += tidy_owners(recommendations, found_area.said, known)
    owner_notes = tidy_owners(recommendations, area, known)
    ratings = find_ratings(lines, flat)
    kind, kind_notes = find_kind(flat, ratings)
    scores, score_notes = find_scores(lines, flat, area)
    if published.day is not None:
        note: str | None = f"The report says: '{published.said}'"
    else:
        month = latest_month(flat)
        note = f"the latest month the text names is {month}" if month else None
    notes = [
        *area_notes,
        fieldwork.note,
        *score_notes,
        *rec_notes,
        *owner_notes,
        *kind_notes,
    ]
    return Finding(
        source=source,
        area=area,
        kind=kind,
        published=published.day,
        published_note=note,
        published_doubt=published.doubt,
        fieldwork=fieldwork.period,
        scores=scores,
        ratings=ratings,
        recommendations=recommendations,
        addressee=find_addressee(lines),
        copy_to=find_copy_list(lines),
        notes=[n for n in notes if n],
        area_said=area_said or None,
    )
