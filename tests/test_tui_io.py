"""The TUI's doors out and in: export (`x`, respecting the filter), import a report (`i`), and
YJB review (`v` on evidence, `g` to sign off), driven by keys with Pilot on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select
from test_tui import make_app, open_action, open_plan, settle
from textual.widgets import Checkbox, Input, Select, Static

from conftest import SEEDS, TODAY, snapshot
from tracker import queries, services
from tracker.config import Settings
from tracker.models import BoardReport, Plan, SignOff
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.modals import (
    ExportDialog,
    ImportDialog,
    ImportPreview,
    ReviewDialog,
    SignOffDialog,
)
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import ActionStatus, ReviewState

OFFICER = "Yasmin Officer (YJB)"


@pytest.fixture
def reviewer(loaded_path: Path) -> Iterator[Store]:
    store = open_store(loaded_path, reviewer=True)
    yield store
    store.dispose()


def reviewer_app(store: Store) -> TrackerApp:
    return TrackerApp(store, Settings(store.url, OFFICER, TODAY, Path("/none"), reviewer=True))


def board_reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count(BoardReport.id))) or 0)


def notices(app: TrackerApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


# Export --------------------------------------------------------------------------------------


async def test_export_keeps_the_filter_and_writes_a_spreadsheet(
    loaded_path: Path, tmp_path: Path
) -> None:
    store = open_store(loaded_path)
    app = make_app(store)
    out = tmp_path / "overdue.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "halton-warrington-2009")
        await pilot.press("o")  # overdue only
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        shown = {a.ref for a in screen.visible_actions()}
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert f"{len(shown)} of 9 actions" in str(dialog.query_one(".dialog-title").render())
        dialog.query_one("#format", Select).value = "xlsx"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value.endswith(".xlsx")
        assert dialog.query_one("#record", Checkbox).disabled  # not a board report
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(str(out) in n for n in notices(app))
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    refs = {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert refs == shown and 0 < len(shown) < 9
    assert board_reports(store) == 0
    store.dispose()


async def test_export_a_board_report_records_it_as_issued(
    loaded_path: Path, tmp_path: Path
) -> None:
    store = open_store(loaded_path)
    app = make_app(store)
    out = tmp_path / "board.docx"
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#record", Checkbox).value
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Stockton on Tees" in text
    assert board_reports(store) == 1
    store.dispose()


async def test_export_to_a_missing_folder_says_so(loaded_path: Path, tmp_path: Path) -> None:
    store = open_store(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("x")
        app.screen.query_one("#path", Input).value = str(tmp_path / "nowhere" / "b.docx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("does not exist" in n for n in notices(app))
    assert board_reports(store) == 0
    store.dispose()


async def test_a_reviewer_exports_without_recording_a_board_report(
    reviewer: Store, tmp_path: Path
) -> None:
    app = reviewer_app(reviewer)
    out = tmp_path / "for-yjb.html"
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        record = dialog.query_one("#record", Checkbox)
        assert record.disabled and not record.value
        dialog.query_one("#format", Select).value = "html"
        await pilot.pause()
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "<html" in out.read_text("utf-8").lower()
    assert board_reports(reviewer) == 0


# Import --------------------------------------------------------------------------------------


async def test_import_a_report_previews_then_makes_a_draft_plan(loaded_path: Path) -> None:
    store = open_store(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#path", Input).value = str(SEEDS / "stockton-2010-board-report.txt")
        dialog.query_one("#plan-id", Input).value = "stockton-again"
        await pilot.press("ctrl+s")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview)
        body = str(preview.query_one("#import-preview Static", Static).render())
        assert "5 recommendations" in body and "Published: 2010-01-06" in body
        assert "owners: Chair of the YOS Management Board" in body
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "stockton-again"
    with store.read() as session:
        detail = queries.plan_detail(session, "stockton-again", TODAY)
    assert [r.ref for r in detail.recommendations] == ["1", "2", "3", "4", "5"]
    assert detail.status.value == "draft" and detail.actions == []
    store.dispose()


async def test_import_cancelled_at_the_preview_writes_nothing(loaded_path: Path) -> None:
    store = open_store(loaded_path)
    before = snapshot(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one("#path", Input).value = str(SEEDS / "stockton-2010-board-report.txt")
        app.screen.query_one("#plan-id", Input).value = "not-made"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreview)
        await pilot.press("escape")
        await settle(pilot)
    store.dispose()
    assert snapshot(loaded_path) == before


async def test_import_of_a_broken_file_is_reported_and_writes_nothing(
    loaded_path: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"\x00\x01 not a pdf at all " * 50)
    store = open_store(loaded_path)
    before = snapshot(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one("#path", Input).value = str(fake)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ImportPreview)
        assert any("report.pdf" in n for n in notices(app)), notices(app)
    store.dispose()
    assert snapshot(loaded_path) == before


async def test_a_reviewer_has_no_import_key(reviewer: Store) -> None:
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)


# Review ----------------------------------------------------------------------------------------


async def test_reviewer_queries_then_accepts_evidence(reviewer: Store) -> None:
    ref = "stockton-2010/1.2"
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, ref)
        assert all(w.disabled for w in screen.query("#form Input"))
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
        item = queries.evidence_of(session, ref)[0]
    assert (item.review, item.reviewer) == ("queried", OFFICER)
    assert item.review_comment == "Which quarter does this audit cover?"


async def test_reviewer_cannot_save_an_action_even_by_calling_save(reviewer: Store) -> None:
    ref = "stockton-2010/1.2"
    before = snapshot(reviewer.url)
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, ref)
        screen.query_one("#progress", Input).value = "99"
        await pilot.press("ctrl+s")  # no such key for a reviewer
        screen.action_save()  # and the services refuse if it is called anyway
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
