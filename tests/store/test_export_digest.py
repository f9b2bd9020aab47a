"""The digest's rules, beyond its golden files: what counts as due soon, who it is grouped
under, and the order an action lead reads it in."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import TODAY
from tracker import services
from tracker.exporters import digest
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, NotFoundError
from tracker.store import Store
from tracker.vocab import ActionStatus


def run(store: Store, within: int, owner: str | None = None, today: date = TODAY) -> str:
    with store.read() as session:
        return digest(SessionReader(session), today, within, owner)


def groups(text: str) -> dict[str, list[str]]:
    """Lead -> the action ids listed under it, in order."""
    found: dict[str, list[str]] = {}
    lead = None
    for line in text.splitlines():
        head = re.match(r"^(\S.*) \((\d+)\)$", line)
        if head:
            lead = head.group(1)
            found[lead] = []
        elif lead is not None and (item := re.match(r"^  (\S+/\S+)  ", line)):
            found[lead].append(item.group(1))
    return found


def test_due_within_counts_the_last_day_and_not_the_next(loaded: Store) -> None:
    # stockton-2010/5.2 is due 30 Sep 2010, 15 days after TODAY
    assert "stockton-2010/5.2" not in run(loaded, 14)
    text = run(loaded, 15)
    assert "stockton-2010/5.2  due in 15 days (30 Sep 2010), in progress 60%, amber" in text
    assert text.startswith("Improvement plan actions overdue or due by 30 Sep 2010, as of 15 Sep")


def test_grouped_by_lead_overdue_first_then_by_date(loaded: Store) -> None:
    services.update_action(
        loaded,
        "stockton-2010/2.2",
        "tester",
        TODAY,
        ActionChanges(lead="Team Manager (Court and Custody)", target_on=date(2010, 9, 20)),
    )
    services.update_action(
        loaded,
        "stockton-2010/3.2",
        "tester",
        TODAY,
        ActionChanges(target_on=date(2010, 9, 1)),  # now overdue
    )
    found = groups(run(loaded, 30))
    assert list(found) == sorted(found, key=str.casefold)
    assert found["Team Manager (Court and Custody)"] == ["stockton-2010/3.2", "stockton-2010/2.2"]
    assert "stockton-2010/3.1" in found["Team Manager (Community Supervision)"]


def test_complete_actions_are_never_listed(loaded: Store) -> None:
    services.update_action(
        loaded,
        "stockton-2010/3.1",
        "tester",
        TODAY,
        ActionChanges(status=ActionStatus.COMPLETE, progress=100, completed_on=TODAY),
    )
    assert "stockton-2010/3.1" not in run(loaded, 365)


def test_owner_any_of_its_names_and_unknown_roles(loaded: Store) -> None:
    by_alias = run(loaded, 60, "yos  manager")
    assert by_alias == run(loaded, 60, "Head of Service")
    assert " for Head of Service, " in by_alias.splitlines()[0]
    assert "stockton-2010/5.2" not in by_alias  # led for the board chair, not the head of service
    with pytest.raises(NotFoundError, match="no role is called 'Head of Nothing'"):
        run(loaded, 14, "Head of Nothing")


def test_nothing_due_says_so(loaded: Store) -> None:
    text = run(loaded, 0, today=date(2009, 1, 1))
    assert text == (
        "Improvement plan actions overdue or due by 1 Jan 2009, as of 1 Jan 2009\n\n"
        "Nothing is overdue or due by then.\n"
    )
