"""Keys a user presses and what they then see: filters, sorting, tabs, quitting, leaving each
dialog, themes, a remapped keymap, the date forms, and stored text shown safely."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, HelpPanel, Input, Select, Static, TabbedContent

from conftest import TODAY
from tests.support.tui import (
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
from tracker.models import AuditEvent
from tracker.queries import action as action_reads
from tracker.queries import lookups
from tracker.queries.session import SessionReader
from tracker.rules import steps_a_manager_records
from tracker.store import Store, open_store
from tracker.tui.screens.modals import ConfirmDialog
from tracker.tui.screens.plan import PlanScreen
from tracker.tui.screens.plan_dialogs import LifecycleDialog
from tracker.tui.screens.plans import PlansScreen
from tracker.tui.table import FastTable
from tracker.vocab import PlanStatus


def action_keys(app: Any) -> list[str]:
    return [k[2:] for k in keys_of(app) if k.startswith("a:")]


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
        assert screen.query(HelpPanel)
        help_text = screen_text(app)
        for name in ("Details tab", "Updates tab", "Evidence tab", "History tab"):
            assert name in help_text, name


async def test_adding_a_note_or_evidence_stays_on_its_tab(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        await focus_on(pilot, screen.query_one("#lead", Input))  # the cursor in the form
        await pilot.press("ctrl+n", *"Panel met on 14 September", "enter")
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
        assert "then g on the plan" in " ".join(shown.split())
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


# Quitting and leaving dialogs --------------------------------------------------------------------


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
@pytest.mark.parametrize("where", ["plans", "plan", "action"])
async def test_q_and_ctrl_q_quit_from_each_screen(loaded: Store, where: str, key: str) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if where == "plan":
            await open_plan(pilot, "stockton-2010")
        elif where == "action":
            await open_action(pilot, "stockton-2010/3.2")
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_quit_with_unsaved_edits_asks_first(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        screen.query_one("#progress", Input).value = "65"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#progress", Input).value == "65"
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running


DIALOGS = [
    ("plan", "f"),
    ("plan", "b"),
    ("plan", "l"),
    ("plan", "x"),
    ("action", "ctrl+n"),
    ("action", "ctrl+o"),
    ("plans", "i"),
    ("plans", "x"),
    ("plans", "ctrl+p"),
]


@pytest.mark.parametrize(("where", "key"), DIALOGS)
async def test_escape_leaves_each_dialog_and_writes_nothing(
    loaded: Store, where: str, key: str
) -> None:
    with loaded.read() as session:
        events = lookups.count_rows(session, AuditEvent)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if where == "plan":
            await open_plan(pilot, "stockton-2010")
        elif where == "action":
            await open_action(pilot, "stockton-2010/3.2")
        under = app.screen
        await pilot.press(key)
        await pilot.pause(0.2)
        assert app.screen is not under
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is under
    with loaded.read() as session:
        assert lookups.count_rows(session, AuditEvent) == events


async def test_escape_leaves_the_discard_question_and_the_reviewers_dialogs(
    loaded_path: Path,
) -> None:
    manager = open_store(loaded_path)
    app = make_app(manager)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        screen.query_one("#progress", Input).value = "65"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no, do not discard
        assert app.screen is screen
    manager.dispose()
    reviewer = open_store(loaded_path, reviewer=True)
    app = make_app(reviewer, reviewer=True, user="Yasmin Officer (YJB)")
    async with app.run_test(size=(120, 40)) as pilot:
        plan = await open_plan_screen(pilot)
        await pilot.press("g")
        assert app.screen is not plan
        await pilot.press("escape")
        assert app.screen is plan
        action = await open_action(pilot, "stockton-2010/1.2")
        await pilot.press("v", "v")
        assert app.screen is not action
        await pilot.press("escape")
        assert app.screen is action
    reviewer.dispose()


async def open_plan_screen(pilot: Pilot[Any]) -> PlanScreen:
    await open_plan(pilot, "stockton-2010")
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


# Themes and keymap -----------------------------------------------------------------------------


async def test_theme_from_the_config_and_switched_from_the_palette(loaded: Store) -> None:
    app = make_app(loaded, theme="nord")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("ctrl+p", *"theme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press(*"dracula")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.theme == "dracula"


async def test_an_unknown_theme_in_the_config_is_named(loaded: Store) -> None:
    app = make_app(loaded, theme="no-such-theme")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("no theme 'no-such-theme'" in m for m in messages), messages
        assert isinstance(app.screen, PlansScreen)


async def test_a_keymap_moves_several_keys(loaded: Store) -> None:
    keymap = {
        "plan.overdue": "z",
        "plan.filter": "ctrl+f",
        "app.help": "f1",
        "action.tab-history": "h",
    }
    app = make_app(loaded, keymap=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        footer = screen_lines(app)[-1]
        assert "z Overdue" in footer and "f1 Help" in footer
        await pilot.press("z")
        assert action_keys(app) == ["stockton-2010/3.1"]
        await pilot.press("o")  # the old key does nothing now
        assert action_keys(app) == ["stockton-2010/3.1"]
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen.query("#owner")  # the filter dialog
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one("#tabs", TabbedContent).active == "history"


# Dates and stored text -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-03-31", "31/03/2026", "31 Mar 2026"])
async def test_the_three_date_forms_give_the_same_day(loaded: Store, typed: str) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
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


# The footer ------------------------------------------------------------------------------------


def footer_line(app: Any) -> str:
    return screen_lines(app)[-1]


async def test_the_footer_follows_the_screen_and_is_not_rebuilt_for_the_same_keys(
    loaded: Store,
) -> None:
    """The footer (tracker.tui.base.KeyFooter) shows each screen's keys, with a remapped key as
    remapped, and keeps its key widgets when the keys it shows stay the same (Textual's own
    footer rebuilds them all on every focus change and return to a screen)."""
    app = make_app(loaded, keymap={"plan.overdue": "z"})
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "Import report" in footer_line(app)
        home = app.screen.query_one("KeyFooter")
        before = list(home.children)
        await open_plan(pilot, "stockton-2010")
        shown = footer_line(app)
        assert "Lifecycle" in shown and "Import report" not in shown
        assert " z Overdue" in shown and " o Overdue" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert "Import report" in footer_line(app) and "Lifecycle" not in footer_line(app)
        assert list(home.children) == before
