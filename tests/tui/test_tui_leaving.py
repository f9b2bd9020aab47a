"""Leaving: q and ctrl+q quit from every screen (asking first over unsaved edits), and Escape
leaves every dialog and the discard question without writing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.tui import (
    make_app,
    open_action,
    open_plan,
    settle,
)
from tracker.models import AuditEvent
from tracker.queries import lookups
from tracker.store import Store, open_store
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.screens.plan import PlanScreen

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
        screen = await open_action(pilot, "stockton-2010/3.2", edit=True)
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
        screen = await open_action(pilot, "stockton-2010/3.2", edit=True)
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
