"""Keys a user presses and what they then see: filters and sorting, the action's tabs, the
lifecycle dialog, and the date forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from conftest import TODAY
from tests.support.tui import (
    action_keys,
    cell,
    focus_on,
    keys_of,
    make_app,
    open_action,
    open_plan,
    screen_lines,
    screen_text,
    settle,
)
from tracker.queries import action as action_reads
from tracker.queries.session import SessionReader
from tracker.rules import steps_a_manager_records
from tracker.store import Store
from tracker.tui.dialogs.plan import LifecycleDialog
from tracker.tui.widgets.keys_help import KeysHelp
from tracker.tui.widgets.table import FastTable
from tracker.vocab import PlanStatus

# Filters and order ---------------------------------------------------------------------------


async def choose_filter(pilot: Pilot[Any], field: str, value: str) -> None:
    await pilot.press("f")
    pilot.app.screen.query_one(f"#{field}", Select).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_filter_by_owner_then_by_colour(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await choose_filter(pilot, "owner", "Chair of the Management Board")
        assert action_keys(app) == [f"stockton-2010/5.{n}" for n in (1, 2, 3)]
        assert "owner Chair of the Management Board" in screen_text(app)
        await pilot.press("c")
        await choose_filter(pilot, "brag", "red")
        assert action_keys(app) == ["stockton-2010/3.1", "stockton-2010/3.3"]
        shown = screen_text(app)
        assert "2 of 13 actions" in shown and "colour red" in shown


async def test_clicking_a_heading_sorts_by_that_column(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        actions = app.screen.query_one("#actions", FastTable)
        x = 0
        for column in actions.columns:
            if column.key == "target":
                break
            x += column.width + 2
        await pilot.click("#actions", offset=(x + 2, 0))
        await settle(pilot)
        targets = [queries_target(loaded, ref) for ref in action_keys(app)]
        assert targets == sorted(targets) and len(targets) == 13
        assert "sorted by target date" in screen_text(app)


def queries_target(store: Store, ref: str) -> date:
    with store.read() as session:
        found = action_reads.action_detail(SessionReader(session), ref, TODAY).row.target
    assert found is not None
    return found


async def test_plans_most_urgent_first(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        order = [
            "cambridgeshire-2014",  # still to submit: its clock is what matters most
            "halton-warrington-2009",  # then the most overdue actions: 7
            "stockton-2010",  # 1
        ]
        assert keys_of(app, "#plans") == order
        lines = screen_lines(app)
        rows = [next(i for i, line in enumerate(lines) if plan[:12] in line) for plan in order]
        assert rows == sorted(rows) and rows[2] - rows[0] == 2  # listed in that order


async def test_the_overdue_clock_is_shown(loaded: Store) -> None:
    # On 1 June 2014 the Cambridgeshire plan (published 23 April) is 11 days past its due date.
    app = make_app(loaded, today=date(2014, 6, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = next(line for line in screen_lines(app) if "cambridgeshire" in line)
        assert "overdue by 11 days" in row
        await open_plan(pilot, "cambridgeshire-2014")
        assert "overdue by 11 days" in screen_lines(app)[1]  # the header's first line


# Tabs ------------------------------------------------------------------------------------------


async def test_keys_1_to_4_show_the_tabs_and_help_lists_them(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/1.1")
        tabs = screen.query_one("#tabs", TabbedContent)
        for key, tab in (("2", "updates"), ("3", "evidence"), ("4", "history"), ("1", "details")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab
        await pilot.press("3")
        await pilot.pause()
        assert app.focused is screen.query_one("#evidence-table", DataTable)
        assert "Risk management plan template" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.query(KeysHelp)
        help_text = screen_text(app)
        for name in ("Details tab", "Updates tab", "Evidence tab", "History tab"):
            assert name in help_text, name


async def test_adding_a_note_or_evidence_stays_on_its_tab(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("e")
        await focus_on(pilot, screen.query_one("#lead", Input))  # the cursor in the form
        await pilot.press("ctrl+n", *"Panel met on 14 September", "ctrl+s")
        await settle(pilot)
        tabs = screen.query_one("#tabs", TabbedContent)
        assert tabs.active == "updates"
        assert app.focused is screen.query_one("#updates-table", DataTable)
        assert "Panel met on 14 September" in screen_text(app)
        await pilot.press("ctrl+o")
        app.screen.query_one("#title", Input).value = "Panel minutes"
        app.screen.query_one("#reference", Input).value = "Minutes folder, item 3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert tabs.active == "evidence"
        assert app.focused is screen.query_one("#evidence-table", DataTable)
        assert "Panel minutes" in screen_text(app)


# Lifecycle -------------------------------------------------------------------------------------


def test_the_steps_a_manager_records_stop_before_closed() -> None:
    assert steps_a_manager_records(PlanStatus.DRAFT) == [
        PlanStatus.SUBMITTED,
        PlanStatus.AGREED,
        PlanStatus.MONITORING,
    ]
    assert steps_a_manager_records(PlanStatus.MONITORING) == []
    assert steps_a_manager_records(PlanStatus.CLOSED) == []


async def test_lifecycle_dialog_says_closing_is_the_yjbs_sign_off(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")  # monitoring: nothing left for a manager
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, LifecycleDialog)
        assert not dialog.query(Select)
        shown = str(dialog.query_one("#step-note", Static).render())
        assert "The plan is monitoring" in shown and "the YJB's sign-off" in shown
        assert "`" not in shown and "tracker --reviewer" not in shown  # no command line
        assert "Record a lifecycle step" in screen_text(app)  # and it is on screen
        assert not dialog.query_one("#ok").display  # nothing to record: no OK button
        await pilot.press("escape")
        await open_plan(pilot, "cambridgeshire-2014")  # draft
        await pilot.press("l")
        steps = app.screen.query_one("#step", Select)
        assert [value for _, value in steps._options if value is not Select.NULL] == [
            "submitted",
            "agreed",
            "monitoring",
        ]
        assert "the YJB's sign-off" in str(app.screen.query_one("#step-note", Static).render())


# Dates -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-03-31", "31/03/2026", "31 Mar 2026"])
async def test_the_three_date_forms_give_the_same_day(loaded: Store, typed: str) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("e")
        await settle(pilot)
        field = screen.query_one("#target", Input)
        field.value = ""
        await focus_on(pilot, field)
        await pilot.press(*typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field.value == "31 Mar 2026"  # shown back the UK way
    assert queries_target(loaded, "stockton-2010/3.2") == date(2026, 3, 31)


async def test_a_slashed_date_is_read_day_first(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("b")
        await focus_on(pilot, app.screen.query_one("#target", Input))
        await pilot.press(*"03/04/2026", "ctrl+s")
        await settle(pilot)
        actions = app.screen.query_one("#actions", FastTable)
        assert cell(actions, "a:stockton-2010/1.1", "target") == "3 Apr 2026"
    assert queries_target(loaded, "stockton-2010/1.1") == date(2026, 4, 3)
