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

from tracker.importers.cleanup import repair_text, strip_markup
from tracker.importers.dates import find_fieldwork, find_published, latest_month
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

MAX_CHARS = 5_000_000
"""The longest text read as one report, in characters (a long report is about 100,000)."""

_CONNECTOR = r"on|upon|and|of|the|le|by|in|under|&"
_PLACE = rf"[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|{_CONNECTOR}))*"
_AREA_IN = re.compile(
    r"(?i:youth\s+(?:offending|justice)\s+(?:work|services?|teams?|provision))\s+in\b"
    rf"[ \t]*:?[ \t]*(?:\n[ \t]*)*(?P<area>{_PLACE})"
)
_AREA_BEFORE = re.compile(
    rf"(?P<area>{_PLACE})[ \t]+(?:Youth Offending (?:Service|Team)|Youth Justice Service|YOS|YOT"
    r"|YJS)\b"
)
_NOT_AREAS = {"england", "wales", "england and wales", "the uk", "uk", "scotland"}
_NOT_AREA_START = re.compile(
    r"^(?:the|this|that|our|each|every|a|an|all|local|whole|regional|national|other|your|their"
    r"|its|new|any|head|chair|manager|members?|in|of|hmi|hm)\b",
    re.IGNORECASE,
)
_ROLEISH = re.compile(r"\b(?:head|manager|board|chair|staff|service|team|officer)s?\b", re.I)

_KINDS = (
    (re.compile(r"core\s+case\s+inspection", re.I), InspectionKind.CCI),
    (re.compile(r"(?i:short\s+quality\s+screening)|\bSQS\b"), InspectionKind.SQS),
    (re.compile(r"full\s+joint\s+inspection|\bFJI\b", re.I), InspectionKind.FJI),
)
_INSPECTION = re.compile(r"inspect|hmi\s*probation|\bhmip\b|inspectorate", re.I)
_YOUTH = re.compile(r"(?i:youth\s+(?:offending|justice))|\b(?:YOS|YOT|YJS|YJB)\b")


def _trim_place(text: str) -> str:
    words = text.replace("\t", " ").split()
    while words and re.fullmatch(_CONNECTOR, words[-1], re.I):
        words.pop()
    return " ".join(words).rstrip(".,;:-")


def find_area(text: str) -> str:
    """The area inspected: the place after "youth offending work in" (or "services in"), else
    the one most often named before "YOS"/"YOT"; "" when the text names none."""
    for pattern, roles_allowed in ((_AREA_IN, True), (_AREA_BEFORE, False)):
        counts: Counter[str] = Counter()
        for match in pattern.finditer(text):
            area = _trim_place(match.group("area"))
            if not area or area.casefold() in _NOT_AREAS or len(area.split()) > 8:
                continue
            if not roles_allowed and (_NOT_AREA_START.match(area) or _ROLEISH.search(area)):
                continue
            counts[area] += 1
        if counts:
            return counts.most_common(1)[0][0]
    return ""


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


def parse_report(text: str, source: str, *, known_roles: Iterable[str] = ()) -> Finding:
    """What the report `text` (read from `source`) says: area, kind, dates, scores, ratings,
    recommendations with their owners, and warnings for what it does not say. `known_roles`
    are role names (from the store) that hold "and" but must not be split. Refuses, with a
    `ReportError`, a text that is empty, too long, not an inspection report, or has no
    recommendations."""
    if not text.strip():
        raise ReportError(source, "is empty: there is no text to read")
    if len(text) > MAX_CHARS:
        raise ReportError(
            source, f"is {len(text):,} characters long; one report is at most {MAX_CHARS:,}"
        )
    cleaned = strip_markup(repair_text(text))
    lines = [line.strip() for line in cleaned.split("\n")]
    flat = " ".join(cleaned.split())
    if not (_INSPECTION.search(flat) and _YOUTH.search(flat)):
        raise ReportError(
            source,
            "does not look like an inspection report of youth offending work: it never "
            "mentions both an inspection and a youth offending service or team",
        )
    known = list(known_roles)
    recommendations, rec_notes = find_recommendations(lines, known)
    if not recommendations:
        raise ReportError(
            source,
            "no recommendations found: the importer looks for a list under a heading such as "
            "'Recommendations', 'Key Recommendations of Inspection', 'Areas requiring "
            "improvement' or 'The YOT Management Board should:' (see docs/import.md). "
            "Nothing was created",
        )
    area = find_area(cleaned)
    owner_notes = tidy_owners(recommendations, area, known)
    ratings = find_ratings(lines, flat)
    kind, kind_notes = find_kind(flat, ratings)
    published = find_published(flat, lines)
    fieldwork = find_fieldwork(flat)
    scores, score_notes = find_scores(lines, flat, area)
    if published.day is not None:
        note: str | None = f"The report says: '{published.said}'"
    else:
        month = latest_month(flat)
        note = f"the latest month the text names is {month}" if month else None
    notes = [
        published.doubt,
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
        fieldwork=fieldwork.period,
        scores=scores,
        ratings=ratings,
        recommendations=recommendations,
        addressee=find_addressee(lines),
        copy_to=find_copy_list(lines),
        notes=[n for n in notes if n],
    )
