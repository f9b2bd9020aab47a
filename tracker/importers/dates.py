"""Dates in report prose: the report's own publication date and the fieldwork period.

UK reports write dates many ways ("Publication date: 25 March 2015", "published 6th January
2010", "published on 12th Oct 2009", "06/01/2010"); fieldwork as a range of days or of months
("24th-26th March 2014", "from September to October 2009", "in June 2009"). Only dates tied
to publication by the words around them count: a meeting date, a fieldwork date or an earlier
inspection's date is never taken for the publication date. Pure; never raises.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from tracker.importers.finding import Fieldwork

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
_MONTHS["sept"] = 9

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
DAY = r"\b[0-3]?\d(?:st|nd|rd|th)?\b"
YEAR = r"(?:19|20)\d\d\b"
_DMY = rf"(?P<d1>{DAY})\s*(?:of\s+)?(?P<m1>{MONTH})\s*,?\s*(?P<y1>{YEAR})"
_MDY = rf"(?P<m2>{MONTH})\s+(?P<d2>{DAY})\s*,?\s*(?P<y2>{YEAR})"
_NUM = r"(?P<d3>[0-3]?\d)[/.](?P<m3>[01]?\d)[/.](?P<y3>(?:19|20)\d\d)\b"
_ISO = r"(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)\b"
DATE = rf"(?:{_DMY}|{_MDY}|{_NUM}|{_ISO})"
_DATE_RE = re.compile(DATE, re.IGNORECASE)

_EARLIER = re.compile(
    r"\b(?:previous|last|earlier|prior|former|preceding|original)\b[^.]{0,60}\b"
    r"(?:inspection|report|visit)",
    re.IGNORECASE,
)
_PUBLISHED = [
    (
        3,
        re.compile(
            rf"\b(?:publication\s+date|date\s+of\s+publication)\s*[:\-–—]?\s*"
            rf"(?:is\s+|was\s+|will\s+be\s+)?(?:the\s+)?{DATE}",
            re.IGNORECASE,
        ),
    ),
    (3, re.compile(rf"\b(?:date\s+)?published\s*[:\-–—]\s*(?:on\s+)?{DATE}", re.IGNORECASE)),
    (2, re.compile(rf"\bpublished\s+(?:on\s+)?(?:the\s+)?{DATE}", re.IGNORECASE)),
    (
        1,
        re.compile(
            rf"\bpublished\b[^.\n]{{0,40}}?\b(?:on|dated)\s+(?:the\s+)?{DATE}", re.IGNORECASE
        ),
    ),
]


def _number(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 0


def _month(text: str) -> int:
    return _MONTHS.get(text.lower().rstrip("."), 0)


def make_date(year: int, month: int, day: int) -> date | None:
    """`date(year, month, day)`, or None when there is no such day."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_from_match(match: re.Match[str]) -> date | None:
    """The day a match of `DATE` names, or None when there is no such day."""
    groups = match.groupdict()
    for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
        if groups.get(y):
            return make_date(int(groups[y]), _month(groups[m]), _number(groups[d]))
    if groups.get("y3"):
        return make_date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    if groups.get("y4"):
        return make_date(int(groups["y4"]), int(groups["m4"]), int(groups["d4"]))
    return None


def find_date(text: str) -> date | None:
    """The first whole date written in `text`, or None."""
    for match in _DATE_RE.finditer(text):
        found = date_from_match(match)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Published:
    """The publication date found, the words that gave it, and any doubt about it."""

    day: date | None
    said: str | None
    doubt: str | None = None


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    return " ".join(text[left + 1 : end].split())


def find_published(flat: str) -> Published:
    """The report's own publication date in `flat` (the text with lines joined): the strongest
    wording wins ("Publication date:" over "was published"), dates said of a previous
    inspection are passed over, and a second different date is reported as doubt."""
    candidates: list[tuple[int, int, date, str]] = []
    for rank, pattern in _PUBLISHED:
        for match in pattern.finditer(flat):
            day = date_from_match(match)
            if day is None:
                continue
            context = _sentence_around(flat, match.start(), match.end())
            rank_here = 0 if _EARLIER.search(context) else rank
            candidates.append((-rank_here, match.start(), day, " ".join(match.group().split())))
    if not candidates:
        return Published(None, None)
    candidates.sort()
    best_rank, _, day, said = candidates[0]
    others = sorted({c[2] for c in candidates if c[0] == best_rank and c[2] != day})
    doubt = None
    if others:
        listed = ", ".join(d.isoformat() for d in others)
        doubt = f"other publication dates are also given ({listed}): using {day.isoformat()}"
    return Published(day, said, doubt)


_MONTH_YEAR = re.compile(rf"\b(?P<m>{MONTH})\s*,?\s*(?P<y>{YEAR})", re.IGNORECASE)


def latest_month(flat: str) -> str | None:
    """The latest "Month YYYY" the text names (a hint for a user entering the publication
    date by hand), or None."""
    best: tuple[int, int] | None = None
    for match in _MONTH_YEAR.finditer(flat):
        key = (int(match.group("y")), _month(match.group("m")))
        if key[1] and (best is None or key > best):
            best = key
    if best is None:
        return None
    return f"{calendar.month_name[best[1]]} {best[0]}"


_FIELDWORK_SENTENCE = re.compile(
    r"fieldwork|field work|\b(?:inspection|inspectors?|screening|visit)\b.{0,120}?"
    r"\b(?:took place|conducted|carried out|undertaken|held|on site)\b",
    re.IGNORECASE,
)
_DAY_RANGE = re.compile(
    rf"(?P<a>{DAY})\s*(?P<am>{MONTH})?\s*(?P<ay>{YEAR})?\s*(?:-|–|—|to|until|and)\s*"
    rf"(?:the\s+)?(?P<b>{DAY})\s*(?P<bm>{MONTH})\s*,?\s*(?P<by>{YEAR})",
    re.IGNORECASE,
)
_MONTH_RANGE = re.compile(
    rf"(?P<am>{MONTH})\s*(?P<ay>{YEAR})?\s*(?:-|–|—|to|until|and)\s*(?P<bm>{MONTH})\s*,?\s*"
    rf"(?P<by>{YEAR})",
    re.IGNORECASE,
)
_ONE_MONTH = re.compile(
    rf"\b(?:in|during|throughout)\s+(?P<m>{MONTH})\s*,?\s*(?P<y>{YEAR})", re.IGNORECASE
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class FieldworkFound:
    """The fieldwork period and, when it is only month bounds, a note saying so."""

    period: Fieldwork | None
    note: str | None = None


def _fieldwork_in(sentence: str) -> FieldworkFound | None:
    match = _DAY_RANGE.search(sentence)
    if match:
        end_month, end_year = _month(match["bm"]), int(match["by"])
        start_month = _month(match["am"]) if match["am"] else end_month
        start_year = int(match["ay"]) if match["ay"] else end_year
        start = make_date(start_year, start_month, _number(match["a"]))
        end = make_date(end_year, end_month, _number(match["b"]))
        if start is not None and end is not None and start <= end:
            return FieldworkFound(Fieldwork(start, end))
    match = _MONTH_RANGE.search(sentence)
    if match:
        end_year = int(match["by"])
        start_year = int(match["ay"]) if match["ay"] else end_year
        first, last = _month(match["am"]), _month(match["bm"])
        if first and last and (start_year, first) <= (end_year, last):
            said = " ".join(match.group().split())
            return FieldworkFound(
                Fieldwork(date(start_year, first, 1), _month_end(end_year, last)),
                f"fieldwork dates are the bounds of {said}: the report gives no days",
            )
    match = _ONE_MONTH.search(sentence)
    if match and _month(match["m"]):
        year, month = int(match["y"]), _month(match["m"])
        said = f"{calendar.month_name[month]} {year}"
        return FieldworkFound(
            Fieldwork(date(year, month, 1), _month_end(year, month)),
            f"fieldwork dates are the bounds of {said}: the report gives no days",
        )
    return None


def find_fieldwork(flat: str) -> FieldworkFound:
    """The fieldwork period from the first sentence that says when the inspection took place
    (not one about a previous inspection), or an empty result."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", flat):
        if len(sentence) > 2000 or not _FIELDWORK_SENTENCE.search(sentence):
            continue
        if _EARLIER.search(sentence):
            continue
        found = _fieldwork_in(sentence)
        if found is not None:
            return found
    return FieldworkFound(None)
