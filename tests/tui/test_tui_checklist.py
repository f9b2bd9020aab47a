"""A draft plan's ready-to-submit checklist on the plan screen (`g` to its next gap, a click on
a gap's ref), submitting a plan that is not ready (asked first), starting a plan with `n` on
the home screen, and the sessions that may not write the plan (a reviewer, read only).
Driven by keys with Pilot on a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static, TextArea

from conftest import SEEDS, TODAY, snapshot
from tests.support.tui import (
    OFFICER,
    focus_on,
    make_app,
    move_to,
    notices,
    open_plan,
    screen_lines,
    settle,
)
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.store import Store, open_store
from tracker.tui.dialogs.base import Dialog
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.dialogs.importing import ImportDialog, ImportPreview
from tracker.tui.dialogs.plan_details import NewPlanDialog
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import InspectionKind, PlanStatus

DRAFT = "cambridgeshire-2014"
"""A draft plan: R1-R3 with eight actions; 2.3 has no target date."""


def read_plan(store: Store, slug: str) -> plan_reads.PlanDetail:
    with store.read() as session:
        return plan_reads.plan_detail(SessionReader(session), slug, TODAY)


def checklist_text(app: Any) -> str:
    box = app.screen.query_one("#checklist", Static)
    return "" if box.has_class("hidden") else str(box.render())


async def type_into(pilot: Any, selector: str, text: str) -> None:
    await focus_on(pilot, pilot.app.screen.query_one(selector))
    await pilot.press(*text)


# The checklist -------------------------------------------------------------------------------


async def test_a_new_plan_from_n_goes_from_no_recommendations_to_ready_and_submitted(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewPlanDialog)
        await type_into(pilot, "#area", "Testshire")
        await pilot.press("ctrl+s")
        assert "Inspection: choose the kind of inspection" in str(
            dialog.query_one("#dialog-error", Static).render()
        )
        dialog.query_one("#kind", Select).value = InspectionKind.SQS.value
        await type_into(pilot, "#published", "1/9/2010")
        await settle(pilot)
        assert "Submission due: 29 Sep 2010" in str(dialog.query_one("#due", Static).render())
        dialog.query_one("#plan-id", Input).value = "stockton-2010"
        await pilot.press("ctrl+s")  # refused: that id is taken; all typed is kept
        await settle(pilot)
        assert app.screen is dialog
        said = str(dialog.query_one("#dialog-error", Static).render())
        assert "'stockton-2010' is already in the database" in said
        assert dialog.query_one("#area", Input).value == "Testshire"
        dialog.query_one("#plan-id", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and screen.slug == "testshire-2010"
        assert "Draft plan testshire-2010 started: add its recommendations" in notices(app)
        assert "no recommendations (A)" in checklist_text(app)
        await pilot.press("A")
        await settle(pilot)
        await type_into(pilot, "#text", "Review every risk plan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "0 of 1 recommendations have actions" in checklist_text(app)
        assert screen.current_key() == "r:1"
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#text", "Audit the risk plans")
        await type_into(pilot, "#lead-role", "Head of Service")
        await type_into(pilot, "#target", "31 Dec 2010")
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = checklist_text(app)
        assert "1 of 1 recommendations have actions; 1 action lacks a success measure" in said
        assert "no success measure: 1.1" in said
        await pilot.press("e")  # an action: its own screen, its form open for the measure
        await settle(pilot)
        assert app.screen.editing  # type: ignore[attr-defined]
        app.screen.query_one("#success_measure", TextArea).load_text("Every plan audited")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "✓ ready to submit: 1 recommendation, 1 action" in checklist_text(app)
        await pilot.press("l", "ctrl+s")  # submitted, today: no question asked
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert checklist_text(app) == ""  # submitted: the checklist has done its work
    detail = read_plan(loaded, "testshire-2010")
    assert detail.status is PlanStatus.SUBMITTED and detail.submitted_incomplete == []


async def test_g_moves_to_each_gap_and_a_click_on_a_ref_moves_there(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await pilot.press("A")
        await settle(pilot)
        await type_into(pilot, "#text", "Train the panel members")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        said = checklist_text(app)
        assert said.startswith("Not ready to submit: 3 of 4 recommendations have actions")
        assert "g: next gap" in said and "no actions: R4" in said
        await move_to(pilot, "r:1")
        await pilot.press("g")
        assert screen.current_key() == f"a:{DRAFT}/2.3"
        assert "action 2.3 has no target date" in notices(app)
        await pilot.press("g")
        assert screen.current_key() == "r:4"
        await pilot.press("g")  # from the top again
        assert screen.current_key() == f"a:{DRAFT}/2.3"
        await pilot.press("o")  # only overdue actions: none, so no gap's row is shown
        await pilot.press("g")  # the filter goes, and the cursor to the first gap
        await settle(pilot)
        assert screen.current_key() == f"a:{DRAFT}/2.3" and not screen.overdue_only
        assert "Filters cleared to show the checklist's rows" in notices(app)
        # A click on a ref in the checklist moves the cursor to its row.
        lines = screen_lines(app)
        y = next(i for i, line in enumerate(lines) if "no target date: 2.3" in line)
        x = lines[y].index("2.3", lines[y].index("no target date"))
        await pilot.click("#checklist", offset=(x - 1, y - screen.query_one("#checklist").region.y))
        await settle(pilot)
        assert screen.current_key() == f"a:{DRAFT}/2.3"


async def test_a_plan_just_imported_opens_on_its_first_recommendation_without_actions(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one("#path", Input).value = str(
            SEEDS / "halton-warrington-2009-cci-report.txt"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview)
        preview.query_one("#plan-id", Input).value = "halton-again"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and screen.slug == "halton-again"
        assert screen.current_key() == "r:1"
        said = checklist_text(app)
        assert said.startswith("Not ready to submit: 0 of ")
        assert "no actions: R1 R2" in said
        assert "a Add action" in screen_lines(app)[-1]


# Submitting a plan that is not ready ----------------------------------------------------------


async def test_submitting_a_plan_that_is_not_ready_shows_its_gaps_and_asks_first(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await pilot.press("l")
        app.screen.query_one("#on", Input).value = "19 May 2014"
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "is not ready to submit" in confirm.question and "19 May 2014" in confirm.question
        assert "• action 2.3 has no target date" in confirm.detail
        assert "Submit anyway (y)" in str(confirm.query_one("#yes").render())
        await pilot.press("n")  # not after all: nothing recorded
        await settle(pilot)
        assert read_plan(loaded, DRAFT).status is PlanStatus.DRAFT
        await pilot.press("l")
        app.screen.query_one("#on", Input).value = "19 May 2014"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        header = str(app.screen.query_one("#plan-header", Static).render())
        assert "submitted on time 19 May 2014" in header
        assert "went in incomplete (1 gap)" in header
    detail = read_plan(loaded, DRAFT)
    assert detail.status is PlanStatus.SUBMITTED
    assert detail.submitted_incomplete == ["action 2.3 has no target date"]


# Who may write --------------------------------------------------------------------------------


WRITING = ("Add action", "Add rec", "Edit", "Withdraw", "Details")


@pytest.fixture
def reviewer(loaded_path: Path) -> Any:
    store = open_store(loaded_path, reviewer=True)
    yield store
    store.dispose()


@pytest.mark.parametrize("mode", ["reviewer", "read only"])
async def test_a_reviewer_or_read_only_session_is_offered_no_key_that_writes_the_plan(
    loaded: Store, reviewer: Store, mode: str
) -> None:
    store = reviewer if mode == "reviewer" else loaded
    before = snapshot(store.url)
    if mode == "reviewer":
        app = make_app(store, reviewer=True, user=OFFICER)
    else:
        app = make_app(store, read_only=True)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        assert "New plan" not in screen_lines(app)[-1]
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, Dialog)
        await open_plan(pilot, DRAFT)
        footer = screen_lines(app)[-1]
        assert not [k for k in WRITING if f" {k} " in footer], footer
        assert "Next gap" not in footer or mode == "read only"  # moving is not writing
        said = "YJB review mode" if mode == "reviewer" else "read only"
        assert said in str(app.screen.query_one("#status-line", Static).render())
        await move_to(pilot, "r:2")
        for key in ("a", "A", "e", "d", "p", "w", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, PlanScreen), (key, app.screen)
        await pilot.press("ctrl+p", *"Add rec")  # the palette has no such command either
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Dialog)
    assert snapshot(store.url) == before


# The palette ----------------------------------------------------------------------------------


async def test_the_palette_finds_the_keys_that_write_the_plan(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await move_to(pilot, "r:1")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Add action")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AddActionDialog"
        assert "recommendation 1" in str(app.screen.query_one(".dialog-title").render())
