"""Dates and meeting patterns at the command line (issue 14, points 3 and 8), in a real
process: a date a plan cannot have is refused naming the option and the range (exit 1), a huge
number of days is no traceback, and a date or pattern already stored by other means leaves
`tracker plans` and `tracker export -f ics` working."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, snapshot

RANGE = "is outside the dates a plan can have (2000-01-01 to 2100-12-31)"


def refused(result: Result, *words: str) -> None:
    assert result.code == 1, (result.out, result.err)
    assert result.err.startswith("tracker: "), result.err
    assert "Traceback" not in result.err + result.out
    for word in words:
        assert word in result.err, (word, result.err)


def stored(path: Path, script: str) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("update", "stockton-2010/1.1", "--due", "9999-12-31"),
        ("update", "stockton-2010/1.1", "--start", "31/12/1999"),
        ("evidence", "add", "stockton-2010/1.1", "--title", "Minutes", "--expires", "2101-01-01"),
    ],
)
def test_a_typed_date_a_plan_cannot_have_is_refused(
    tracker: Any, loaded_path: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(loaded_path)
    option = next(a for a in args if a.startswith("--") and a != "--title")
    refused(tracker(*args, db=loaded_path), f"{option}: ", RANGE)
    assert snapshot(loaded_path) == before


@pytest.mark.parametrize("command", [("digest",), ("export", "stockton-2010", "-f", "ics")])
def test_today_a_plan_cannot_have_is_refused(
    tracker: Any, loaded_path: Path, command: tuple[str, ...]
) -> None:
    refused(tracker("--today", "9999-12-31", *command, db=loaded_path), "today: ", RANGE)
    refused(tracker(*command, db=loaded_path, TRACKER_TODAY="1999-12-31"), "today: ", RANGE)


def test_a_huge_number_of_days_lists_every_unfinished_action(
    tracker: Any, loaded_path: Path
) -> None:
    done = tracker("actions", "--due-within", "3000000", "--json", db=loaded_path)
    assert done.code == 0, done.err
    every = json.loads(tracker("actions", "--json", db=loaded_path).out)
    unfinished = [a["id"] for a in every if a["status"] != "complete" and a["target"]]
    assert [a["id"] for a in json.loads(done.out)] == unfinished
    assert unfinished


def test_a_far_future_date_already_stored_breaks_no_list(tracker: Any, loaded_path: Path) -> None:
    stored(
        loaded_path,
        """UPDATE inspections SET published = '9999-12-10';
           UPDATE actions SET target_on = '9999-12-31' WHERE ref = '1.1'""",
    )
    plans = tracker("plans", db=loaded_path)
    assert plans.code == 0, plans.err
    assert "stockton-2010" in plans.out
    ics = tracker("export", "stockton-2010", "-f", "ics", db=loaded_path)
    assert ics.code == 0, ics.err
    assert "DTSTART;VALUE=DATE:99991231" in ics.out


def test_a_stored_meeting_pattern_no_board_can_have_leaves_exports_working(
    tracker: Any, loaded_path: Path
) -> None:
    # FREQ=SECONDLY spun at 100% CPU for ever in every export; daily from year 1 took 9-16 s.
    stored(loaded_path, "UPDATE plans SET board_meetings = 'FREQ=SECONDLY'")
    ics = tracker("export", "stockton-2010", "-f", "ics", db=loaded_path)
    assert ics.code == 0, ics.err
    stored(
        loaded_path,
        "UPDATE plans SET board_meetings = 'FREQ=DAILY', board_meetings_start = '0001-01-01'",
    )
    report = tracker("export", "stockton-2010", "-f", "md", db=loaded_path)
    assert report.code == 0, report.err
    assert "none by the meeting pattern" in report.out
