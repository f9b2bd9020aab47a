"""The plans list counts each plan's colours in the database (`lists.PLAN_COLOURS`, the BRAG
rule as SQL) rather than colouring every action in Python. Here that count is held to the rule
itself (`rules.brag`, through the oracle) on the edges of each branch: the day of a target, the
last day of the amber window, 75% progress, a start on the target or after today, and every
action lying exactly on the "behind schedule" bar, where the rule's rounding decides. On a
SQLite file both executors are checked; with TRACKER_TEST_DATABASE_URL, PostgreSQL's SQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.store import oracle
from tracker import rules
from tracker.models import Action, Plan
from tracker.queries import lists
from tracker.queries.reader import Reader, open_sqlite
from tracker.queries.session import SessionReader
from tracker.store import Store, open_store
from tracker.vocab import ActionStatus, Brag

TODAY = date(2011, 3, 1)

Facts = tuple[ActionStatus, date | None, date | None, int, Brag | None]


def edge_cases() -> list[Facts]:
    """(status, target, start, progress, override) on and beside each of the rule's edges."""
    day = timedelta(days=1)
    window = timedelta(days=rules.AMBER_WINDOW_DAYS)
    cases: list[Facts] = []
    for status in ActionStatus:
        for target in (None, TODAY - day, TODAY, TODAY + window, TODAY + window + day):
            for progress in (0, rules.AMBER_PROGRESS_BELOW - 1, rules.AMBER_PROGRESS_BELOW, 100):
                cases.append((status, target, TODAY - 10 * day, progress, None))
    # Start on the edges: after today, on today, on the target, after it.
    target = TODAY + 100 * day
    for start in (TODAY + day, TODAY, target, target + day, None):
        cases.append((ActionStatus.IN_PROGRESS, target, start, 0, None))
    # Exactly on the behind-schedule bar, for every progress that can be: 200 x days gone =
    # (2 x (progress + points) + 1) x days of the span, far from the target. And one day
    # either side of it.
    for progress in range(101):
        share = 2 * (progress + rules.BEHIND_SCHEDULE_POINTS) + 1
        if share >= 200:
            break
        for scale in (30, 31):
            start = TODAY - share * scale * day
            target = start + 200 * scale * day
            for nudge in (-day, timedelta(0), day):
                cases.append((ActionStatus.IN_PROGRESS, target, start + nudge, progress, None))
    cases += [(ActionStatus.BLOCKED, None, None, 0, b) for b in Brag]  # the lead's override
    return cases


@pytest.fixture
def edged(loaded_target: str, tmp_path: Path) -> Iterator[tuple[Store, list[Reader]]]:
    """The sample plans with their actions rewritten as `edge_cases`, spread over the plans."""
    store = open_store(loaded_target)
    cases = edge_cases()
    with store.write() as session:
        actions = list(session.scalars(select(Action).order_by(Action.id)))
        assert len(actions) >= 20
        for i, (status, target, start, progress, override) in enumerate(cases):
            action = actions[i % len(actions)]
            if i >= len(actions):  # more cases than actions: a copy of the action for each
                action = Action(
                    plan_id=action.plan_id,
                    recommendation_id=action.recommendation_id,
                    position=1000 + i,
                    ref=f"9.{i}",
                    text=f"edge case {i}",
                    version=1,
                )
                session.add(action)
            action.status, action.target_on, action.start_on = status, target, start
            action.progress, action.brag_override = progress, override
            action.brag_override_reason = "edge" if override else None
    light = open_sqlite(loaded_target)
    try:
        with store.read() as session:
            readers: list[Reader] = [SessionReader(session)]
            if light is not None:
                readers.append(light)
            yield store, readers
    finally:
        if light is not None:
            light.close()
        store.dispose()


def test_the_plans_colours_counted_in_sql_are_the_rules_on_every_edge(
    edged: tuple[Store, list[Reader]],
) -> None:
    store, readers = edged
    with store.read() as session:
        assert session.scalar(select(Action.id).where(Action.ref == "9.100")) is not None
        assert len(list(session.scalars(select(Plan.id)))) >= 3
        for today in (TODAY, TODAY + timedelta(days=1)):
            expected = oracle.plan_rows(session, today)
            colours = {c for row in expected for c, n in row.summary.counts.items() if n}
            assert colours == set(Brag)
            for reader in readers:
                assert lists.plan_rows(reader, today) == expected, (reader.dialect, today)


def test_the_ties_on_the_behind_schedule_bar_go_as_the_rule_rounds_them() -> None:
    """Half the tie points go each way, and not simply by even and odd (the rule's float
    division rounds some shares up): the SQL is given the rule's own answers."""
    turns = lists._tie_turns_amber()
    assert 0 < len(turns) < 75
    start = date(2001, 1, 1)
    for progress in range(75):
        share = 2 * (progress + rules.BEHIND_SCHEDULE_POINTS) + 1
        today, target = start + timedelta(days=share * 30), start + timedelta(days=6000)
        facts = rules.ActionFacts(ActionStatus.IN_PROGRESS, target, start, progress)
        assert (rules.brag(facts, today).colour is Brag.AMBER) == (progress in turns), progress


def test_the_portfolio_counts_the_colours_in_a_thread_while_its_writer_imports(
    loaded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`colours_ahead`: on a reader that may be used from another thread (`reader_for`'s), the
    portfolio's colours are counted on a thread of their own while openpyxl is imported; on
    one that may not, in line; the spreadsheet is the same either way."""
    import threading

    from tracker.exporters import export_portfolio
    from tracker.queries.reader import reader_for

    counted_on: list[str] = []
    count = lists.plan_colours

    def spy(reader: Reader, today: date) -> lists.ColourCounts:
        counted_on.append(threading.current_thread().name)
        return count(reader, today)

    monkeypatch.setattr(lists, "plan_colours", spy)
    with reader_for(loaded_path, lambda: open_store(loaded_path)) as reader:
        ahead = export_portfolio(reader, TODAY, "xlsx")
    in_line = open_sqlite(loaded_path)
    assert in_line is not None
    try:
        alone = export_portfolio(in_line, TODAY, "xlsx")
    finally:
        in_line.close()
    assert counted_on == ["plan-colours", "MainThread"]
    assert ahead == alone
