"""Dates in report prose: the report's own publication date and the fieldwork period.

UK reports write dates many ways ("Publication date: 25 March 2015", "published 6th January
2010", "published on 12th Oct 2009", "06/01/2010"); fieldwork as a range of days or of months
("24th-26th March 2014", "from September to October 2009", "in June 2009"). Only dates tied
to publication of this report by the words around them count, or, with a warning, a date alone
at the head of a letter ("23rd April 2014"): a meeting date, a fieldwork date, an earlier
inspection's date or the date minutes or guidance were published is never taken for the
publication date. Pure; never raises.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from tracker.importers.finding import Fieldwork
from tracker.rules import EARLIEST, LATEST

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
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
"""An optional day of the week before a date ("Wednesday 6 January 2010")."""
_PUBLISHED = [
    (
        3,
        re.compile(
            rf"\b(?:publication\s+date|date\s+of\s+publication|publication)\s*[:\-–—]\s*"
            rf"(?:is\s+|was\s+|will\s+be\s+)?(?:the\s+)?{_WEEKDAY}{DATE}",
            re.IGNORECASE,
        ),
    ),
    (
        3,
        re.compile(
            rf"\b(?:date\s+)?published\s*(?:on\s*)?[:\-–—]\s*(?:on\s+)?{_WEEKDAY}{DATE}",
            re.IGNORECASE,
        ),
    ),
    (2, re.compile(rf"\bpublished\s+(?:on\s+)?(?:the\s+)?{_WEEKDAY}{DATE}", re.IGNORECASE)),
    (
        1,
        re.compile(
            rf"\bpublished\b[^.\n]{{0,40}}?\b(?:on|dated)\s+(?:the\s+)?{_WEEKDAY}{DATE}",
            re.IGNORECASE,
        ),
    ),
]
_SUBJECT = re.compile(
    r"\b(?:(?P<own>reports?|inspections?|letters?|findings|screening|summary)|"
    r"(?P<other>minutes|agendas?|papers?|guidance|standards|newsletters?|strateg(?:y|ies)|"
    r"frameworks?|polic(?:y|ies)|protocols?|statistics|bulletins?|consultations?|plans?|"
    r"data|figures|accounts|budgets?|circulars?|reviews?))\b",
    re.IGNORECASE,
)
"""What was published: the report itself, or something else a paper mentions."""
_CLAUSE = re.compile(r"[.;:,()]|\b(?:and|while|whereas|but|after|since|following)\b", re.I)
_OLDER = re.compile(r"\b(?:previous|last|earlier|prior|former|preceding|original)\b", re.I)


def _said_of_something_else(before: str, between: str) -> bool:
    """Whether "published" in a sentence is said of something other than this report: an
    earlier inspection's report ("the previous inspection report was published on ..."), or
    minutes, guidance, a plan ... `before` is the sentence up to "published", `between` the
    words from "published" to the date."""
    nouns = list(_SUBJECT.finditer(between)) or list(_SUBJECT.finditer(before))
    if not nouns:
        return False
    noun = nouns[-1]
    if noun.group("other"):
        return True
    words = between if _SUBJECT.search(between) else before
    phrase = words[: noun.start()]
    boundaries = list(_CLAUSE.finditer(phrase))
    if boundaries:
        phrase = phrase[boundaries[-1].end() :]
    return bool(_OLDER.search(phrase))


def _number(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 0


def _month(text: str) -> int:
    return _MONTHS.get(text.lower().rstrip("."), 0)


def make_date(year: int, month: int, day: int) -> date | None:
    """`date(year, month, day)`, or None when there is no such day or it is outside the dates a
    plan can have (`rules.EARLIEST` to `rules.LATEST`: "published 6 January 1910" is a slip, not
    the report's date)."""
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if EARLIEST <= found <= LATEST else None


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


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(". ", 0, at), text.rfind("\n\n", 0, at)) + 1


_HEAD_DATE = re.compile(rf"^{_WEEKDAY}{DATE}$", re.IGNORECASE)
_MEETING_LABEL = re.compile(
    r"\b(?:meeting|minutes|agenda|committee|cabinet|scrutiny|panel|board|held|report\s+to)\b",
    re.IGNORECASE,
)
"""Words on the line just above a lone date that make it the date of a meeting ("Report to
Cabinet", "Youth Justice Partnership Board", "Date of meeting:")."""
_MEETING_PAPER = re.compile(
    r"^(?:minutes|agenda|notes\s+of|report\s+to|(?:date\s+of\s+)?meeting)\b", re.IGNORECASE
)
"""A document title that makes the paper a meeting's: its lone date is the meeting's."""
_ADDRESS_LINE = re.compile(r"^(?:to|from|cc|copy\s+to|dear|subject|re)\b\s*:?", re.IGNORECASE)


def _meetings_date(head: list[str], at: int) -> bool:
    """Whether the lone date at `head[at]` is stated as a meeting's: the paper is a meeting's
    (minutes, an agenda, a report to a committee) or the line just above names a meeting or
    the body that meets. A "To:" or "From:" line naming a board does not: letters are sent to
    board chairs."""
    if head and _MEETING_PAPER.match(head[0]):
        return True
    above = head[at - 1] if at > 0 else ""
    return bool(above) and not _ADDRESS_LINE.match(above) and bool(_MEETING_LABEL.search(above))


def _dated_head(lines: list[str]) -> Published | None:
    """A date standing alone on a line at the head of a letter or press release ("23rd April
    2014"): taken, with a warning, unless it is stated as a meeting's date."""
    head = [line for line in lines if line][:15]
    for at, line in enumerate(head):
        match = _HEAD_DATE.match(" ".join(line.split()).strip(" .,"))
        day = date_from_match(match) if match else None
        if day is None:
            continue
        if _meetings_date(head, at):
            return None
        said = " ".join(line.split())
        return Published(
            day,
            said,
            f"publication date taken from the date at the head of the document ('{said}'):"
            " check it is the day the report was published",
        )
    return None


def find_published(flat: str, lines: list[str] | None = None) -> Published:
    """The report's own publication date in `flat` (the text with lines joined): the strongest
    wording wins ("Publication date:" over "was published"); dates said of a previous
    inspection's report or of something else (minutes, guidance) are passed over; a second
    different date is reported as doubt. Failing those, a date alone on a line at the head of
    `lines` (a letter's or press release's date), with a warning."""
    candidates: list[tuple[int, int, date, str]] = []
    impossible: list[tuple[int, str]] = []
    for rank, pattern in _PUBLISHED:
        for match in pattern.finditer(flat):
            day = date_from_match(match)
            if day is None:
                written = _DATE_RE.search(match.group())
                if written is not None:
                    impossible.append((-rank, " ".join(written.group().split())))
                continue
            verb = re.search(r"publi", match.group(), re.IGNORECASE)
            at = match.start() + (verb.start() if verb else 0)
            first_date = _DATE_RE.search(flat, at)
            date_at = first_date.start() if first_date else match.end()
            # A label ("Publication date:") speaks for itself; prose needs its sentence.
            before = "" if rank == 3 else flat[max(_sentence_start(flat, at), at - 200) : at]
            if _said_of_something_else(before, flat[at:date_at]):
                continue
            candidates.append((-rank, match.start(), day, " ".join(match.group().split())))
    not_real = f"publication date '{min(impossible)[1]}' is not a real date" if impossible else None
    if not candidates:
        if not_real:
            return Published(None, None, f"{not_real}: enter the right one")
        return (_dated_head(lines) if lines else None) or Published(None, None)
    candidates.sort()
    best_rank, _, day, said = candidates[0]
    others = sorted({c[2] for c in candidates if c[0] == best_rank and c[2] != day})
    doubts: list[str] = []
    if not_real and min(impossible)[0] <= best_rank:
        doubts.append(f"{not_real}: using {day.isoformat()} ('{said}'); check it")
    if others:
        listed = ", ".join(d.isoformat() for d in others)
        doubts.append(f"other publication dates are also given ({listed}): using {day.isoformat()}")
    return Published(day, said, "; ".join(doubts) or None)


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
    r"\b(?:took place|conducted|carried out|undertaken|held|on site)\b"
    r"|\binspectors?\s+(?:visited|were\s+(?:in|with))\b[^.]{0,60}?\b(?:on|between|from)\s+\d"
    # "Inspectors visited the YOT during March 2014", "HMIP inspected the service during June
    # 2021" (not "visited in March 2014", which may be any visit, nor "last inspected")
    rf"|(?:\binspectors?\s+(?:visited|were\s+(?:in|with))|(?<!last\s)(?<!previously\s)"
    rf"\binspected)\b[^.]{{0,80}}?\bduring\s+{MONTH}",
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
            return _months(start_year, first, end_year, last, said)
    match = _ONE_MONTH.search(sentence)
    if match and _month(match["m"]):
        year, month = int(match["y"]), _month(match["m"])
        return _months(year, month, year, month, f"{calendar.month_name[month]} {year}")
    return None


def _months(
    start_year: int, first: int, end_year: int, last: int, said: str
) -> FieldworkFound | None:
    """Fieldwork from the first of one month to the end of another, with the note saying so;
    None for months outside the dates a plan can have."""
    start, end = date(start_year, first, 1), _month_end(end_year, last)
    if start < EARLIEST or end > LATEST:
        return None
    return FieldworkFound(
        Fieldwork(start, end),
        f"fieldwork dates are the bounds of {said}: the report gives no days",
    )


def find_fieldwork(flat: str) -> FieldworkFound:
    """The fieldwork period from the first sentence that says, to the day, when the inspection
    took place (not one about a previous inspection); failing that, the first that gives only
    months ("carried out in February 2019" before "took place between 4 and 8 February 2019"
    gives the days); or an empty result."""
    months: FieldworkFound | None = None
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", flat):
        if len(sentence) > 2000 or not _FIELDWORK_SENTENCE.search(sentence):
            continue
        if _EARLIER.search(sentence):
            continue
        found = _fieldwork_in(sentence)
        if found is not None and found.note is None:
            return found
        months = months or found
    return months or FieldworkFound(None)
