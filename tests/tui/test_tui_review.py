"""The YJB's review in the TUI: `v` on a piece of evidence, `g` to sign off, and a reviewer's
session that cannot write plan content, driven by keys with Pilot on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.widgets import Input, Select, Static

from conftest import TODAY, snapshot
from tests.support.tui import (
    OFFICER,
    action,
    notices,
    open_action,
    open_plan,
    reviewer_app,
    settle,
)
from tracker import services
from tracker.models import Plan, SignOff
from tracker.queries import action as action_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.tui.dialogs.review import ReviewDialog, SignOffDialog
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import ActionStatus, ReviewState


@pytest.fixture
def reviewer(loaded_path: Path) -> Iterator[Store]:
    """The sample plans opened as a YJB reviewer's store."""
    store = open_store(loaded_path, reviewer=True)
    yield store
    store.dispose()


async def test_reviewer_queries_then_accepts_evidence(reviewer: Store) -> None:
    ref = "stockton-2010/1.2"
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, ref)
        assert not screen.query("#form")  # the fields to read, never a form to edit
        await pilot.press("v")  # first press shows the evidence tab
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        dialog.query_one("#decision", Select).value = ReviewState.QUERIED.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "add a comment" in str(dialog.query_one("#dialog-error", Static).render())
        dialog.query_one("#comment", Input).value = "Which quarter does this audit cover?"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with reviewer.read() as session:
        item = action_reads.evidence_of(SessionReader(session), ref)[0]
    assert (item.review, item.reviewer) == ("queried", OFFICER)
    assert item.review_comment == "Which quarter does this audit cover?"


async def test_reviewer_cannot_save_an_action_even_by_calling_save(reviewer: Store) -> None:
    ref = "stockton-2010/1.2"
    before = snapshot(reviewer.url)
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, ref)
        await pilot.press("e", "ctrl+s")  # no such keys for a reviewer
        await screen.action_edit()  # called anyway, it builds no form
        await settle(pilot)
        assert not screen.query("#form")
        assert "review mode" in str(screen.query_one("#form-error", Static).render())
        # And the services refuse a change if one is written anyway.
        screen._write(ActionChanges(progress=99), action(reviewer, ref).row.version)
        await settle(pilot)
        assert "review mode" in str(screen.query_one("#form-error", Static).render())
    assert snapshot(reviewer.url) == before


async def test_reviewer_signs_off_a_recommendation_from_the_plan(
    reviewer: Store, loaded_path: Path
) -> None:
    manager = open_store(loaded_path)
    services.update_action(
        manager, "stockton-2010/4.2", "Miriam", TODAY, ActionChanges(status=ActionStatus.COMPLETE)
    )
    services.add_evidence(manager, "stockton-2010/4.2", "Miriam", "Audit", reference="Q2 audit")
    manager.dispose()
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("b")  # a manager's key: nothing for a reviewer
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        table = app.screen.query_one("#actions")
        table.move_cursor(row=table.get_row_index("a:stockton-2010/4.1"))  # type: ignore[attr-defined]
        await pilot.press("g")
        dialog = app.screen
        assert isinstance(dialog, SignOffDialog)
        assert dialog.query_one("#what", Select).value == "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Recommendation 4 signed off" in n for n in notices(app)), notices(app)
    with reviewer.read() as session:
        signed = session.scalars(select(SignOff)).one()
    assert signed.signed_by == OFFICER


async def test_reviewer_sign_off_refused_is_shown_not_raised(reviewer: Store) -> None:
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("g")
        app.screen.query_one("#what", Select).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("not complete" in n for n in notices(app)), notices(app)
    with reviewer.read() as session:
        assert session.scalar(select(func.count(SignOff.id))) == 0
        assert session.scalar(select(Plan.status).where(Plan.slug == "stockton-2010")) is not None
