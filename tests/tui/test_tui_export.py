"""The TUI's doors out: a plan's export (`x`, respecting the filter; a board report recorded
as issued, as of the app's clock) and the reviewer's portfolio, driven by keys with Pilot on a
real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select
from textual.widgets import Checkbox, Input, Select, Static

from conftest import TODAY
from tests.support.tui import (
    OFFICER,
    cell,
    make_app,
    notices,
    open_plan,
    reviewer_app,
    screen_text,
    settle,
)
from tracker import services
from tracker.files import OutputGuard
from tracker.models import BoardReport
from tracker.queries import action as action_reads
from tracker.queries import lists
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.tui.dialogs.export import ExportDialog, PortfolioExportDialog
from tracker.tui.screens.plan import PlanScreen
from tracker.tui.widgets.table import FastTable
from tracker.vocab import ReviewState


@pytest.fixture
def reviewer(loaded_path: Path) -> Iterator[Store]:
    """The sample plans opened as a YJB reviewer's store."""
    store = open_store(loaded_path, reviewer=True)
    yield store
    store.dispose()


def board_reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count(BoardReport.id))) or 0)


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


async def test_export_a_board_report_records_it_as_issued_as_of_the_apps_clock(
    loaded_path: Path, tmp_path: Path
) -> None:
    store = open_store(loaded_path)
    moment = datetime(2010, 9, 15, 14, 30, tzinfo=UTC)
    app = make_app(store, clock=lambda: moment)
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
    with store.read() as session:
        assert session.scalars(select(BoardReport.issued_at)).all() == [moment]
    store.dispose()


async def test_the_board_pack_writes_word_web_page_and_spreadsheet_recorded_once(
    loaded_path: Path, tmp_path: Path
) -> None:
    # Issue 15: the screen's export offers the board pack the CLI makes with -o once per
    # file: the three files from one read, their board reports alike, recorded once.
    store = open_store(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#format", Select).value = "pack"
        await settle(pilot)
        path = dialog.query_one("#path", Input)
        assert path.value.endswith(".docx")  # the files are named after the Word file
        path.value = str(tmp_path / "board.docx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("recorded once as the board report issued" in n for n in notices(app))
    written = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("board."))
    assert written == ["board.docx", "board.html", "board.xlsx"]
    assert "Stockton on Tees" in "\n".join(
        p.text for p in Document(str(tmp_path / "board.docx")).paragraphs
    )
    assert "Stockton on Tees" in (tmp_path / "board.html").read_text("utf-8")
    assert openpyxl.load_workbook(tmp_path / "board.xlsx").sheetnames
    assert board_reports(store) == 1
    with store.read() as session:
        formats = session.scalars(select(BoardReport.format)).all()
    assert formats == ["docx,html"]
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


async def test_a_filtered_board_report_is_not_recorded_as_issued(
    loaded_path: Path, tmp_path: Path
) -> None:
    store = open_store(loaded_path)
    app = make_app(store)
    out = tmp_path / "overdue-board.docx"
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("o")  # overdue only: one action of 13
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        record = dialog.query_one("#record", Checkbox)
        assert record.disabled and not record.value  # a board format, but filtered
        note = str(dialog.query_one("#record-note", Static).render())
        assert "not recorded as the board report issued" in note
        dialog.query_one("#format", Select).value = "md"
        await pilot.pause()
        assert record.disabled and not record.value  # still, for every board format
        dialog.query_one("#path", Input).value = str(out.with_suffix(".md"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any("recorded" in n for n in notices(app)), notices(app)
    assert "3.1" in out.with_suffix(".md").read_text("utf-8")
    assert board_reports(store) == 0
    store.dispose()


async def test_the_board_report_is_issued_as_of_the_moment_before_it_was_read(
    loaded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves a change while the report is being written: it must show in the next
    report, not fall between this one (read before it) and the next (after the record)."""
    import tracker.services.board_reports as board_reports_service

    store = open_store(loaded_path)
    real_write = board_reports_service.write_whole

    def write_while_someone_edits(output: Path, data: bytes, *, guard: OutputGuard) -> None:
        services.update_action(
            store, "stockton-2010/5.2", "Someone Else", TODAY, ActionChanges(progress=75)
        )
        real_write(output, data, guard=guard)

    monkeypatch.setattr(board_reports_service, "write_whole", write_while_someone_edits)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("x")
        app.screen.query_one("#path", Input).value = str(tmp_path / "board.docx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("recorded as the board report issued" in n for n in notices(app))
    assert board_reports(store) == 1
    from tracker.exporters import board_report
    from tracker.queries.session import SessionReader

    with store.read() as session:
        later = datetime.now(UTC) + timedelta(days=40)  # the next meeting's report
        changes = board_report(SessionReader(session), "stockton-2010", TODAY, now=later).changes
    assert [(c.ref, c.actor) for c in changes] == [("5.2", "Someone Else")]
    assert "progress" in changes[0].what
    store.dispose()


# Portfolio -------------------------------------------------------------------------------------


def pending_evidence(store: Store) -> dict[str, int]:
    """Evidence awaiting review per plan, counted action by action."""
    with store.read() as session:
        counts: dict[str, int] = {}
        for row in lists.action_rows(SessionReader(session), TODAY):
            items = action_reads.evidence_of(SessionReader(session), row.id)
            waiting = sum(1 for e in items if e.review == ReviewState.PENDING.value)
            counts[row.plan] = counts.get(row.plan, 0) + waiting
    return counts


async def test_a_reviewers_plans_screen_shows_evidence_awaiting_review(
    reviewer: Store,
) -> None:
    expected = pending_evidence(reviewer)
    assert expected["stockton-2010"] > 1
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", FastTable)
        assert [c.label for c in plans.columns] == [
            "Plan", "Submission", "BRAG", "Done", "Overdue", "Review"
        ]  # fmt: skip
        for plan, count in expected.items():
            assert cell(plans, plan, "review") == str(count)
        assert "Review" in screen_text(app)
        with reviewer.read() as session:
            item = action_reads.evidence_of(SessionReader(session), "stockton-2010/3.2")[0]
        from tracker.services import review_evidence

        review_evidence(reviewer, item.id, OFFICER, ReviewState.ACCEPTED, TODAY)
        await pilot.press("r")
        await settle(pilot)
        assert cell(plans, "stockton-2010", "review") == str(expected["stockton-2010"] - 1)
    manager_app = make_app(reviewer)
    async with manager_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = manager_app.screen.query_one("#plans", FastTable)
        assert "review" not in [c.key for c in plans.columns]  # a manager's list


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
async def test_a_reviewer_exports_the_portfolio(reviewer: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"portfolio.{fmt}"
    app = reviewer_app(reviewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, PortfolioExportDialog)
        dialog.query_one("#format", Select).value = fmt
        await pilot.pause()
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(f"Wrote the portfolio to {out}" in n for n in notices(app)), notices(app)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        waiting = list(rows[0]).index("Evidence awaiting review")
        found = {str(r[0]): r[waiting] for r in rows[1:] if r[0]}
        assert found == pending_evidence(reviewer)
    else:
        page = out.read_text("utf-8")
        assert "<html" in page.lower() and "Evidence awaiting review" in page
        assert "stockton-2010" in page and "cambridgeshire-2014" in page
