"""The dates a plan can have and the board meeting patterns a board can have (issue 14, points 3
and 8), in the rules: every typed date within `EARLIEST`..`LATEST` with a message naming the
field, date sums that never overflow, and walks over a meeting pattern that always end."""

from __future__ import annotations

from datetime import date

import pytest

from tracker import rules
from tracker.importers import ReportError, parse_report
from tracker.importers.corrections import correct
from tracker.importers.dates import find_fieldwork, find_published

# The range ------------------------------------------------------------------------------------


def test_the_range_is_this_century_and_the_next() -> None:
    assert (date(2000, 1, 1), date(2100, 12, 31)) == (rules.EARLIEST, rules.LATEST)
    assert rules.check_day(rules.EARLIEST, "published") == rules.EARLIEST
    assert rules.check_day(rules.LATEST, "published") == rules.LATEST


@pytest.mark.parametrize("day", [date(9999, 12, 10), date(1, 1, 1), date(1999, 12, 31)])
def test_check_day_names_the_field_and_the_range(day: date) -> None:
    with pytest.raises(ValueError) as caught:
        rules.check_day(day, "published")
    assert str(caught.value) == (
        f"published: {day.isoformat()} is outside the dates a plan can have "
        "(2000-01-01 to 2100-12-31)"
    )


@pytest.mark.parametrize(
    "text", ["9999-12-31", "31/12/9999", "2101-01-01", "31 Dec 1999", "0210-03-01", "1 Jan 1850"]
)
def test_a_typed_date_outside_the_range_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="outside the dates a plan can have"):
        rules.parse_date(text)
    with pytest.raises(ValueError, match=r"^--due: .* is outside the dates a plan can have"):
        rules.parse_date(text, "--due")


def test_a_typed_date_at_either_end_of_the_range_is_read() -> None:
    assert rules.parse_date("1 Jan 2000") == date(2000, 1, 1)
    assert rules.parse_date("2100-12-31", "--due") == date(2100, 12, 31)
    # The other refusals are as they were: not a date, not a whole date.
    with pytest.raises(ValueError, match="is not a date"):
        rules.parse_date("2026-02-30")
    with pytest.raises(ValueError, match="not a whole date"):
        rules.parse_date("March 2026")


# Date sums that never overflow ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(2010, 9, 15), 14, date(2010, 9, 29)),
        (date(2010, 9, 15), 3_000_000, date.max),
        (date(2010, 9, 15), 10**30, date.max),
        (date.max, 1, date.max),
        (date(2010, 9, 15), -(10**30), date.min),
    ],
)
def test_add_days_is_held_to_the_dates_python_has(day: date, days: int, expected: date) -> None:
    assert rules.add_days(day, days) == expected


def test_the_four_week_clock_of_a_stored_far_future_date_does_not_overflow() -> None:
    # Stored by other means (SQL): the rules that every list uses must not raise.
    assert rules.submission_due(date(9999, 12, 10)) is None
    assert rules.submission_due(date(9999, 12, 3)) == date(9999, 12, 31)
    assert rules.submission_clock(date(9999, 12, 10), None, date(2010, 9, 15)) == "date unknown"
    assert rules.submission_clock(date(9999, 12, 10), date(9999, 12, 31), date(2010, 9, 15)) == (
        "submitted 31 Dec 9999, due unknown"
    )
    far = rules.ActionFacts(
        rules.ActionStatus.IN_PROGRESS, target=date.max, start=date.min, progress=10
    )
    assert rules.brag(far, date(2010, 9, 15)).reason == "on track"  # 20% of the time gone


# The importer reads only dates a plan can have --------------------------------------------------


def test_a_report_date_outside_the_range_is_not_taken_for_the_publication_date() -> None:
    assert find_published("The report was published on 6 January 1910.").day is None
    assert find_published("The report was published on 6 January 2010.").day == date(2010, 1, 6)
    assert find_fieldwork("The inspection took place in June 1999.").period is None
    assert find_fieldwork("The inspection took place 7-9 June 1999.").period is None


def test_a_publication_date_entered_by_hand_outside_the_range_is_refused() -> None:
    text = (
        "Core Case Inspection of youth offending work in Westby\n"
        "The inspection report was published on 3rd March 2011.\n\n"
        "Recommendations\n\n(1) victims are contacted in every case (Head of Service)\n"
    )
    finding = parse_report(text, "westby.txt")
    with pytest.raises(ReportError, match="the publication date: 9999-12-10 is outside"):
        correct(finding, published=date(9999, 12, 10))
    assert correct(finding, published=date(2011, 3, 4)).published == date(2011, 3, 4)


# Board meeting patterns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=SECONDLY", "at most daily"),
        ("FREQ=MINUTELY;INTERVAL=5", "at most daily"),
        ("FREQ=HOURLY", "at most daily"),
        ("FREQ=DAILY;BYHOUR=9,14", "sets BYHOUR"),
        ("FREQ=WEEKLY;BYMINUTE=30", "sets BYMINUTE"),
        ("FREQ=MONTHLY;BYSECOND=1", "sets BYSECOND"),
        ("DTSTART:00010101T000000\nRRULE:FREQ=DAILY", "not one RFC 5545 RRULE"),
        ("FREQ=DAILY\nRDATE:20100101", "not one RFC 5545 RRULE"),
        ("FREQ=MONTHLY;COUNT=0", "COUNT=0"),
        ("FREQ=DAILY;COUNT=99999999", "COUNT=99999999"),
        ("FREQ=MONTHLY;UNTIL=99991231", "UNTIL: 9999-12-31 is outside"),
        ("FREQ=MONTHLY;UNTIL=19991231", "UNTIL: 1999-12-31 is outside"),
        ("FREQ=YEARLY;INTERVAL=1000000", "INTERVAL longer than"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "gives no board meeting"),
        ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "gives no board meeting"),
        ("every second tuesday", "not an RFC 5545 RRULE"),
        ("", "not one RFC 5545 RRULE"),
    ],
)
def test_a_pattern_no_board_can_have_is_refused(rule: str, words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(")):
        rules.check_rrule(rule)


def test_a_pattern_is_refused_from_a_start_outside_the_range_or_after_its_end() -> None:
    with pytest.raises(ValueError, match="the board meetings' start: 0001-01-01 is outside"):
        rules.check_rrule("FREQ=DAILY", start=date(1, 1, 1))
    with pytest.raises(ValueError, match="ends \\(UNTIL\\) before the first board meeting"):
        rules.check_rrule("FREQ=MONTHLY;UNTIL=20100101", start=date(2011, 1, 1))
    # Twelve months apart from January never reaches March; from March it does.
    with pytest.raises(ValueError, match="gives no board meeting"):
        rules.check_rrule("FREQ=MONTHLY;INTERVAL=12;BYMONTH=3", start=date(2010, 1, 1))
    rules.check_rrule("FREQ=MONTHLY;INTERVAL=12;BYMONTH=3", start=date(2010, 3, 1))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=3WE",
        "RRULE:FREQ=WEEKLY;INTERVAL=6;BYDAY=TH",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY",
        "FREQ=MONTHLY;COUNT=12",
        "FREQ=MONTHLY;UNTIL=20120101",
    ],
)
def test_the_patterns_a_board_has_are_accepted(rule: str) -> None:
    rules.check_rrule(rule)


def test_a_stored_pattern_no_board_can_have_gives_no_next_meeting_rather_than_spinning() -> None:
    today = date(2010, 9, 15)
    # FREQ=SECONDLY spun for ever; from year 1 daily took 9-16 s an export.
    assert rules.next_meeting("FREQ=SECONDLY", date(2010, 1, 1), today) is None
    assert rules.next_meeting("FREQ=DAILY", date(1, 1, 1), today) is None
    assert rules.next_meeting("FREQ=DAILY", date(2010, 1, 1), date(9999, 12, 31)) is None
    assert rules.next_meeting("FREQ=MONTHLY;BYDAY=2TU", date(2010, 1, 1), today) == date(
        2010, 10, 12
    )


def test_every_walk_over_a_pattern_takes_at_most_a_step_a_month() -> None:
    # The walk's own counter: dateutil would step to the year 9999 (11 s) on a pattern that
    # never meets; here it stops after one step for each month to the horizon.
    start, today = date(2000, 1, 1), date(2100, 12, 31)
    last = date(today.year + rules.MEETING_HORIZON_YEARS, 12, 31)
    cap = (last.year - start.year) * 12 + last.month - start.month + 3
    never = rules._meeting_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start)
    assert rules._walk_to(never, today, last) is None
    assert never.steps == cap + 1, "stopped by the cap, not by dateutil's year 9999"
    monthly = rules._meeting_rule("FREQ=MONTHLY;BYDAY=2TU", start)
    assert rules._walk_to(monthly, date(2010, 9, 15), last) == date(2010, 10, 12)
    assert 0 < monthly.steps <= 12 * 11 + 3, "the counter counts (dateutil reads it each step)"
    assert rules.next_meeting("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start, today) is None
