"""Every read survives a date or a meeting pattern that is already in a database, stored by
other means than the tracker's (issue 14, points 3 and 8): one plan published 9999-12-10 made
`plans`, `portfolio`, every export and the home screen fail with an OverflowError for everyone;
`board_meetings = "FREQ=SECONDLY"` made every export spin for ever.

Each case writes its rows with sqlite3 into a copy of the sample database, then makes every
read the lists, the home screen, the portfolio, the digest and every export make, through the
light reader and through SQLAlchemy's."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY
from tracker import exporters
from tracker.queries.exports import plan_data
from tracker.queries.lists import action_rows, plan_rows
from tracker.queries.plan import plan_detail
from tracker.queries.portfolio import portfolio_rows
from tracker.queries.reader import Reader, open_sqlite
from tracker.queries.session import store_reader
from tracker.store import open_store

MAX, MIN = "9999-12-31", "0001-01-01"

HOSTILE = {
    "published-far": "UPDATE inspections SET published = '9999-12-10'",
    "every-date-last": f"""
        UPDATE inspections SET published = '{MAX}', fieldwork_start = '{MAX}',
            fieldwork_end = '{MAX}';
        UPDATE plans SET submitted_on = '{MAX}', agreed_on = '{MAX}', forwarded_on = '{MAX}',
            closed_on = '{MAX}', board_meetings_start = '{MAX}';
        UPDATE actions SET target_on = '{MAX}', start_on = '{MAX}';
        UPDATE evidence SET dated = '{MAX}', expires_on = '{MAX}', reviewed_on = '{MAX}';
        UPDATE progress_updates SET "on" = '{MAX}'""",
    "every-date-first": f"""
        UPDATE inspections SET published = '{MIN}', fieldwork_start = '{MIN}',
            fieldwork_end = '{MIN}';
        UPDATE plans SET submitted_on = '{MIN}', agreed_on = '{MIN}', forwarded_on = '{MIN}',
            closed_on = '{MIN}', board_meetings_start = '{MIN}';
        UPDATE actions SET target_on = '{MIN}', start_on = '{MIN}';
        UPDATE evidence SET dated = '{MIN}', expires_on = '{MIN}', reviewed_on = '{MIN}';
        UPDATE progress_updates SET "on" = '{MIN}'""",
    "meetings-secondly": "UPDATE plans SET board_meetings = 'FREQ=SECONDLY'",
    "meetings-daily-from-year-1": f"""
        UPDATE plans SET board_meetings = 'FREQ=DAILY', board_meetings_start = '{MIN}'""",
    "meetings-never": """
        UPDATE plans SET board_meetings = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
            board_meetings_start = '2000-01-01'""",
}
"""What other means may have stored: each a script run on a copy of the sample database."""

PLAN = "stockton-2010"


def hostile_copy(loaded_path: Path, script: str) -> Path:
    connection = sqlite3.connect(loaded_path)
    connection.executescript(script)
    connection.commit()
    connection.close()
    return loaded_path


@contextmanager
def light(path: Path) -> Iterator[Reader]:
    reader = open_sqlite(path)
    assert reader is not None
    try:
        yield reader
    finally:
        reader.close()


@contextmanager
def full(path: Path) -> Iterator[Reader]:
    store = open_store(path)
    try:
        with store_reader(store) as reader:
            yield reader
    finally:
        store.dispose()


def every_read(reader: Reader, today: date) -> dict[str, bytes]:
    """What `tracker plans`, `actions`, `portfolio`, `digest`, every export and the home screen
    read, as of `today`: the exports' bytes by format."""
    assert [r.id for r in plan_rows(reader, today)]  # the home screen, `tracker plans`
    action_rows(reader, today, due_within=3_000_000)  # `actions --due-within 3000000`
    action_rows(reader, today, due_within=10**30)
    assert len(portfolio_rows(reader, today)) == 3
    exporters.digest(reader, today, 14)
    exporters.digest(reader, today, 10**30)
    made = {
        f"portfolio.{fmt}": exporters.export_portfolio(reader, today, fmt)
        for fmt in ("xlsx", "html")
    }
    for fmt in exporters.PLAN_FORMATS:
        made[fmt] = exporters.export_plan(reader, PLAN, fmt, today)
    return made


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_read_survives_a_stored_date_or_pattern(loaded_path: Path, case: str) -> None:
    path = hostile_copy(loaded_path, HOSTILE[case])
    with light(path) as reader:
        made = every_read(reader, TODAY)
    if case == "every-date-last":
        calendar = made["ics"].decode()
        # An all-day event on 31 Dec 9999 has no DTEND (the day after is not a date): RFC
        # 5545 reads a DATE DTSTART alone as one day.
        assert "DTSTART;VALUE=DATE:99991231" in calendar
        assert "DTEND;VALUE=DATE:1000" not in calendar
    if case.startswith("meetings"):
        with light(path) as reader:
            assert plan_detail(reader, PLAN, TODAY).next_meeting is None
        assert "Next board meeting | none by the meeting pattern" in made["md"].decode()


@pytest.mark.parametrize("case", ["published-far", "every-date-last", "meetings-secondly"])
def test_the_full_reader_survives_them_too(loaded_path: Path, case: str) -> None:
    path = hostile_copy(loaded_path, HOSTILE[case])
    with full(path) as reader:
        every_read(reader, TODAY)
        assert plan_data(reader, PLAN, TODAY).detail.id == PLAN


def test_every_read_as_of_the_last_day_python_holds(loaded_path: Path) -> None:
    # `--today 9999-12-31` is refused now, but the reads hold whatever day they are given:
    # the digest's horizon, the due-within horizon, the Office files' zip dates (zip ends
    # in 2107), the next board meeting.
    with light(loaded_path) as reader:
        made = every_read(reader, date.max)
    assert made["docx"].startswith(b"PK") and made["xlsx"].startswith(b"PK")
