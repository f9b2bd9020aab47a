"""The pure rules, with fixed dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import rules
from tracker.rules import ActionFacts, EvidenceFacts
from tracker.vocab import ActionStatus, Brag, ReviewState

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("published", "due"),
    [
        (date(2010, 1, 6), date(2010, 2, 3)),  # Stockton
        (date(2014, 4, 23), date(2014, 5, 21)),  # Cambridgeshire
        (date(2012, 2, 1), date(2012, 2, 29)),  # leap year
        (date(2013, 2, 1), date(2013, 3, 1)),
        (date(2015, 1, 31), date(2015, 2, 28)),  # across a month end
        (date(2015, 12, 15), date(2016, 1, 12)),  # across a year end
    ],
)
def test_submission_is_due_four_weeks_after_publication(published: date, due: date) -> None:
    assert rules.submission_due(published) == due


def test_no_publication_date_no_due_date() -> None:
    assert rules.submission_due(None) is None


def brag(**kw: object) -> rules.BragResult:
    return rules.brag(ActionFacts(**kw), TODAY)  # type: ignore[arg-type]


def test_complete_with_evidence_is_blue() -> None:
    result = brag(status=ActionStatus.COMPLETE, progress=100, evidence=(EvidenceFacts(),))
    assert result.colour is Brag.BLUE


def test_complete_without_usable_evidence_is_amber() -> None:
    queried = EvidenceFacts(ReviewState.QUERIED)
    expired = EvidenceFacts(ReviewState.ACCEPTED, expires=date(2026, 3, 9))
    assert brag(status=ActionStatus.COMPLETE).colour is Brag.AMBER
    assert brag(status=ActionStatus.COMPLETE, evidence=(queried, expired)).colour is Brag.AMBER
    still = EvidenceFacts(ReviewState.ACCEPTED, expires=TODAY)
    assert brag(status=ActionStatus.COMPLETE, evidence=(still,)).colour is Brag.BLUE


def test_past_target_and_not_complete_is_red() -> None:
    result = brag(status=ActionStatus.IN_PROGRESS, target=date(2026, 3, 7), progress=90)
    assert result.colour is Brag.RED
    assert result.reason == "overdue by 3 days"


def test_target_today_is_not_yet_overdue() -> None:
    facts = ActionFacts(ActionStatus.IN_PROGRESS, target=TODAY, progress=80)
    assert not rules.is_overdue(facts, TODAY)
    assert rules.brag(facts, TODAY).colour is Brag.GREEN


def test_blocked_is_red() -> None:
    assert brag(status=ActionStatus.BLOCKED, target=date(2027, 1, 1)).colour is Brag.RED


def test_due_soon_with_little_progress_is_amber() -> None:
    soon = date(2026, 3, 30)
    assert brag(status=ActionStatus.IN_PROGRESS, target=soon, progress=40).colour is Brag.AMBER
    assert brag(status=ActionStatus.IN_PROGRESS, target=soon, progress=75).colour is Brag.GREEN
    edge = date(2026, 4, 7)  # exactly 28 days away
    assert brag(status=ActionStatus.NOT_STARTED, target=edge).colour is Brag.AMBER
    assert brag(status=ActionStatus.NOT_STARTED, target=date(2026, 4, 8)).colour is Brag.GREEN


def test_behind_schedule_is_amber() -> None:
    start, target = date(2026, 1, 1), date(2026, 12, 31)  # 18% of the time gone on TODAY
    assert brag(status=ActionStatus.IN_PROGRESS, start=start, target=target).colour is Brag.GREEN
    late_start = date(2025, 3, 10)  # about 58% gone
    behind = brag(status=ActionStatus.IN_PROGRESS, start=late_start, target=target, progress=20)
    assert behind.colour is Brag.AMBER
    assert "behind schedule" in behind.reason
    on_pace = brag(status=ActionStatus.IN_PROGRESS, start=late_start, target=target, progress=40)
    assert on_pace.colour is Brag.GREEN


def test_no_target_is_amber() -> None:
    assert brag(status=ActionStatus.IN_PROGRESS).colour is Brag.AMBER


def test_override_wins_and_says_so() -> None:
    result = brag(status=ActionStatus.IN_PROGRESS, target=date(2026, 1, 1), override=Brag.AMBER)
    assert result.colour is Brag.AMBER
    assert result.overridden
    assert "computed: red" in result.reason


def test_override_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        rules.check_override(Brag.GREEN, "  ")
    rules.check_override(Brag.GREEN, "Partner agency has confirmed delivery")
    rules.check_override(None, None)


def test_summary_counts_colours_complete_and_overdue() -> None:
    actions = [
        ActionFacts(ActionStatus.COMPLETE, progress=100, evidence=(EvidenceFacts(),)),
        ActionFacts(ActionStatus.IN_PROGRESS, target=date(2026, 1, 1)),
        ActionFacts(ActionStatus.BLOCKED, target=date(2027, 1, 1)),
        ActionFacts(ActionStatus.NOT_STARTED, target=date(2027, 1, 1)),
    ]
    summary = rules.summarise(actions, TODAY)
    assert summary.total == 4
    assert summary.counts == {Brag.BLUE: 1, Brag.RED: 2, Brag.AMBER: 0, Brag.GREEN: 1}
    assert summary.complete == 1
    assert summary.percent_complete == 25
    assert summary.overdue == 1
    assert rules.summarise([], TODAY).percent_complete == 0


def test_next_board_meeting_from_rrule() -> None:
    rule = "FREQ=MONTHLY;BYDAY=2TU"
    assert rules.next_meeting(rule, date(2010, 1, 1), date(2010, 9, 15)) == date(2010, 10, 12)
    assert rules.next_meeting(rule, date(2010, 1, 1), date(2010, 9, 14)) == date(2010, 9, 14)
    ended = "FREQ=MONTHLY;COUNT=2"
    assert rules.next_meeting(ended, date(2010, 1, 5), date(2011, 1, 1)) is None
    with pytest.raises(ValueError, match="not an RFC 5545 RRULE"):
        rules.check_rrule("every second tuesday")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        ("01/02/2026", date(2026, 2, 1)),  # day first, as in the UK
        ("31 Mar 2026", date(2026, 3, 31)),
        ("6th January 2010", date(2010, 1, 6)),
    ],
)
def test_dates_as_uk_users_type_them(text: str, expected: date) -> None:
    assert rules.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "31/13/2026", "March 2026", "soon", ""])
def test_impossible_or_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_date(text)


def test_submission_clock_in_words() -> None:
    published = date(2010, 1, 6)
    assert rules.submission_clock(published, None, date(2010, 1, 22)) == "due in 12 days"
    assert rules.submission_clock(published, None, date(2010, 2, 3)) == "due today"
    assert rules.submission_clock(published, None, date(2010, 2, 6)) == "overdue by 3 days"
    on_time = rules.submission_clock(published, date(2010, 2, 2), date(2026, 1, 1))
    assert on_time == "submitted on time 2 Feb 2010"
    assert rules.submission_clock(None, None, TODAY) == "date unknown"
    unknown_due = rules.submission_clock(None, date(2009, 9, 24), TODAY)
    assert unknown_due == "submitted 24 Sep 2009, due unknown"
    early = rules.submission_clock(published, None, date(2009, 12, 1))
    assert early == "due 3 Feb 2010 (report not yet published)"


_days = st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
_facts = st.builds(
    ActionFacts,
    status=st.sampled_from(list(ActionStatus)),
    target=_days,
    start=_days,
    progress=st.integers(0, 100),
    override=st.one_of(st.none(), st.sampled_from(list(Brag))),
    evidenced=st.booleans(),
)


@given(st.lists(_facts, max_size=30), st.dates(date(2025, 6, 1), date(2027, 6, 1)))
def test_the_lists_summary_of_plain_values_counts_as_each_actions_colour_says(
    actions: list[ActionFacts], today: date
) -> None:
    """`summarise_values` (the home screen's and `tracker plans`' fast path) gives the counts
    that each action's own colour, completion and overdue state add up to."""
    values = [
        (a.status, a.target, a.start, a.progress, a.override, bool(a.evidenced)) for a in actions
    ]
    summary = rules.summarise_values(values, today)
    colours = [rules.brag(a, today).colour for a in actions]
    assert summary.counts == {b: colours.count(b) for b in Brag}
    assert summary.total == len(actions)
    assert summary.complete == sum(a.status is ActionStatus.COMPLETE for a in actions)
    assert summary.overdue == sum(rules.is_overdue(a, today) for a in actions)
    assert rules.summarise(actions, today) == summary
