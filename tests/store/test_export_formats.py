"""Details of the formats that a golden file shows but cannot explain: every class the HTML
uses has a style, the calendar has the plan's own dates whichever of them are known, and the
"what changed" list writes dates as the rest of the report does."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from conftest import TODAY
from tracker import services
from tracker.exporters import export_plan, export_portfolio
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, record_board_report
from tracker.store import Store
from tracker.vocab import PlanStatus

NEXT_MEETING = datetime.now(UTC) + timedelta(days=40)
"""When the report after one issued now is issued: 40 days on, after the next meeting of any
pattern (they are at most monthly), so that it lists what changed since the one issued now."""


def export(store: Store, plan: str, fmt: str) -> str:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY, now=NEXT_MEETING).decode(
            "utf-8"
        )


def unstyled(page: str) -> set[str]:
    """`tag.class` for each class an element uses that no rule of the page's stylesheet
    selects: a rule `.c` selects it on any element, `td.c` on a `td` only."""
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    rules = set(re.findall(r"(?<![\w.-])([a-z][a-z0-9]*)?\.([A-Za-z][\w-]*)", style))
    used = {
        (tag, c)
        for tag, attr in re.findall(r'<([a-z][a-z0-9]*)[^>]*\sclass="([^"]*)"', page)
        for c in attr.split()
    }
    return {f"{tag}.{c}" for tag, c in used if ("", c) not in rules and (tag, c) not in rules}


@pytest.mark.parametrize("plan", ["stockton-2010", "halton-warrington-2009"])
def test_every_html_class_has_a_style(loaded: Store, plan: str) -> None:
    # Each date that must not wrap is a <span class="nowrap">: a `td.nowrap` rule missed them.
    page = export(loaded, plan, "html")
    assert '<span class="nowrap">' in page
    assert unstyled(page) == set()
    with loaded.read() as session:
        portfolio = export_portfolio(SessionReader(session), TODAY, "html").decode("utf-8")
    # the portfolio's small stacked bar is sized by its own attributes
    assert unstyled(portfolio) <= {"svg.stack"}


def plan_events(ics: str) -> dict[str, tuple[date, str]]:
    cal = Calendar.from_ical(ics)
    return {
        str(e["UID"]): (e.decoded("DTSTART"), str(e["SUMMARY"]))
        for e in cal.walk("VEVENT")
        if "/submi" in str(e["UID"])
    }


def test_calendar_has_the_plans_submission_whichever_dates_are_known(loaded: Store) -> None:
    # Halton: no publication date, so no due date, but it was submitted on 24 Sep 2009
    assert plan_events(export(loaded, "halton-warrington-2009", "ics")) == {
        "halton-warrington-2009/submitted@yos-tracker": (
            date(2009, 9, 24),
            "Improvement plan submitted to HMIP: Halton and Warrington",
        )
    }
    # Cambridgeshire: published, not yet submitted: the due date only
    assert plan_events(export(loaded, "cambridgeshire-2014", "ics")) == {
        "cambridgeshire-2014/submission@yos-tracker": (
            date(2014, 5, 21),
            "Improvement plan due with HMIP: Cambridgeshire",
        )
    }
    # Stockton: both
    assert {
        uid: on for uid, (on, _) in plan_events(export(loaded, "stockton-2010", "ics")).items()
    } == {
        "stockton-2010/submission@yos-tracker": date(2010, 2, 3),
        "stockton-2010/submitted@yos-tracker": date(2010, 2, 2),
    }


def test_what_changed_writes_dates_as_the_report_does(loaded: Store) -> None:
    record_board_report(loaded, "stockton-2010", "Miriam Robertson", "md")
    services.update_action(
        loaded,
        "stockton-2010/5.2",
        "Miriam Robertson",
        TODAY,
        ActionChanges(target_on=date(2010, 10, 5), start_on=date(2010, 4, 1)),
    )
    services.record_step(
        loaded, "cambridgeshire-2014", PlanStatus.SUBMITTED, date(2014, 5, 20), "Head", anyway=True
    )
    report = export(loaded, "stockton-2010", "md")
    changes = report.split("## What changed since", 1)[1].split("\n## ", 1)[0]
    assert "target date: 30 Sep 2010 → 5 Oct 2010" in changes
    assert not re.search(r"\d{4}-\d\d-\d\d", changes)
    with loaded.read() as session:
        since_start = export_plan(
            SessionReader(session), "cambridgeshire-2014", "md", TODAY, since=date(2000, 1, 1)
        ).decode()
    assert "submitted set to 20 May 2014" in since_start
