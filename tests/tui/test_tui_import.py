"""Importing an inspection report from the TUI (`i`): pick the file in a folder tree, check
what was found with its warnings, correct the plan id, area, publication date and owners,
then make the draft plan. Driven by keys with Pilot on a real SQLite file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea, Tree

from conftest import SEEDS, TODAY, snapshot
from tests.support.tui import focus_on, make_app, notices, screen_text, settle, tree_loaded
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.store import Store, open_store
from tracker.tui.dialogs.importing import ImportDialog, ImportPreview, owners_from
from tracker.tui.screens.plan import PlanScreen

HALTON = SEEDS / "halton-warrington-2009-cci-report.txt"
STOCKTON = SEEDS / "stockton-2010-board-report.txt"


async def open_preview(pilot: object, report: Path) -> ImportPreview:
    """Press i, type the report's path, read it: the preview."""
    app = pilot.app  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("i")  # type: ignore[attr-defined]
    assert isinstance(app.screen, ImportDialog)
    app.screen.query_one("#path", Input).value = str(report)
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    preview = app.screen
    assert isinstance(preview, ImportPreview), notices(app)
    return preview


async def test_pick_the_report_in_the_folder_tree(
    loaded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "reports"
    (folder / "minutes").mkdir(parents=True)
    shutil.copy(STOCKTON, folder / "stockton.txt")
    (folder / "budget.xlsx").write_bytes(b"not a report")
    (folder / ".hidden.txt").write_text("hidden")
    monkeypatch.chdir(folder)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await tree_loaded(pilot)
        tree = app.screen.query_one("#files", Tree)
        shown = [str(node.label) for node in tree.root.children]
        assert shown == ["minutes", "stockton.txt"]  # folders and reports only
        await focus_on(pilot, tree)
        await pilot.press("down", "down", "enter")  # the root, the folder, the report
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview)
        assert preview.query_one("#area", Input).value == "Stockton-on-Tees"
        assert "stockton.txt" in screen_text(app)


async def test_a_folder_typed_in_the_path_shows_that_folder(
    loaded: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i", *str(SEEDS), "enter")
        await settle(pilot)
        tree = app.screen.query_one("#files", Tree)
        assert isinstance(app.screen, ImportDialog)
        for _ in range(250):  # the tree reads the new folder in a thread
            if str(tree.root.label) == "seeds" and len(tree.root.children) == 3:
                break
            await pilot.pause(0.02)
        assert str(tree.root.label) == "seeds"
        names = [str(node.label) for node in tree.root.children]
        assert "stockton-2010-board-report.txt" in names and len(names) == 3


async def test_preview_shows_the_warnings_then_makes_the_plan(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await open_preview(pilot, STOCKTON)
        shown = screen_text(app)
        assert "5 recommendations" in shown
        assert preview.query_one("#published", Input).value == "6 Jan 2010"
        due = str(preview.query_one("#due", Static).render())
        assert "Submission due: 3 Feb 2010" in due
        assert preview.query_one("#owners-4", Input).value == "Chair of the YOS Management Board"
        warnings = str(preview.query_one("#warnings", Static).render())
        assert "fieldwork dates are the bounds of September to October 2009" in warnings
        preview.query_one("#plan-id", Input).value = "stockton-again"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "stockton-again"
    with loaded.read() as session:
        detail = plan_reads.plan_detail(SessionReader(session), "stockton-again", TODAY)
    assert [r.ref for r in detail.recommendations] == ["1", "2", "3", "4", "5"]
    assert detail.status.value == "draft" and detail.actions == []


async def test_correct_area_date_and_owners_before_making_the_plan(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await open_preview(pilot, HALTON)
        warnings = preview.query_one("#warnings", Static)
        assert "publication date not stated" in str(warnings.render())
        assert "unknown until the publication date" in str(preview.query_one("#due").render())
        preview.query_one("#area", Input).value = "Halton & Warrington"
        published = preview.query_one("#published", Input)
        await focus_on(pilot, published)
        await pilot.press(*"12/10/2009")  # day first, as in the UK
        await pilot.pause()
        assert "Submission due: 9 Nov 2009" in str(preview.query_one("#due").render())
        assert "publication date not stated" not in str(warnings.render())
        assert preview.query_one("#plan-id", Input).placeholder == "halton-warrington-2009"
        owners = preview.query_one("#owners-0", Input)
        assert owners.value == "Chair of the Management Board; Head of Service; all staff"
        owners.value = "Chair of the Management Board; Head of Service"
        preview.query_one("#owners-1", Input).value = ""
        await pilot.pause()
        assert "no owners stated for recommendation 2" in str(warnings.render())
        preview.query_one("#plan-id", Input).value = "halton-fixed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen), notices(app)
    with loaded.read() as session:
        detail = plan_reads.plan_detail(SessionReader(session), "halton-fixed", TODAY)
    assert detail.area == "Halton & Warrington"
    assert detail.published == date(2009, 10, 12)
    owners = {r.ref: r.owners for r in detail.recommendations}
    assert owners["1"] == ["Chair of the Management Board", "Head of Service"]
    assert owners["2"] == []


async def test_a_bad_date_in_the_preview_is_named_and_nothing_made(loaded_path: Path) -> None:
    store = open_store(loaded_path)
    before = snapshot(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await open_preview(pilot, HALTON)
        preview.query_one("#published", Input).value = "31/02/2009"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is preview
        error = str(preview.query_one("#dialog-error", Static).render())
        assert "Publication date" in error and "31/02/2009" in error
    store.dispose()
    assert snapshot(loaded_path) == before


async def test_a_refused_import_returns_to_the_preview_with_the_corrections(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await open_preview(pilot, STOCKTON)
        preview.query_one("#plan-id", Input).value = "stockton-2010"  # already in use
        preview.query_one("#owners-0", Input).value = "Head of Service"
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ImportPreview) and again is not preview
        error = str(again.query_one("#dialog-error", Static).render())
        assert "'stockton-2010' is already in the database" in error
        assert again.query_one("#owners-0", Input).value == "Head of Service"
        assert again.query_one("#plan-id", Input).value == "stockton-2010"


async def test_import_cancelled_at_the_preview_writes_nothing(loaded_path: Path) -> None:
    store = open_store(loaded_path)
    before = snapshot(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_preview(pilot, STOCKTON)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportPreview)
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


async def test_reviewers_and_read_only_sessions_have_no_import_key(loaded_path: Path) -> None:
    for kind in ("reviewer", "read_only"):
        store = open_store(loaded_path, **{kind: True})
        app = make_app(store, **{kind: True})
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await pilot.pause()
            assert not isinstance(app.screen, ImportDialog)
            assert "i Import" not in screen_text(app)
        store.dispose()


def test_owners_are_typed_separated_by_semicolons() -> None:
    assert owners_from(" Chair of the Board, North ;  Head of  Service; ") == [
        "Chair of the Board, North",
        "Head of Service",
    ]
    assert owners_from("   ") == []


WEB_PAGE = SEEDS.parent / "golden" / "import" / "wordings" / "web_page_council_service.txt"


async def test_a_report_without_a_list_shows_what_was_found_and_takes_recommendations_by_hand(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 50)) as pilot:
        preview = await open_preview(pilot, WEB_PAGE)
        assert preview.query_one("#area", Input).value == "Wigan"
        assert preview.query_one("#published", Input).value == "10 Jan 2023"
        assert "no recommendations found" in str(preview.query_one("#warnings", Static).render())
        preview.query_one(
            "#added", TextArea
        ).text = "Improve the quality of plans | Head of Service\nReview the board's membership\n"
        await pilot.pause()
        assert "no recommendations found" not in str(
            preview.query_one("#warnings", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "wigan-2023"
    with loaded.read() as session:
        detail = plan_reads.plan_detail(SessionReader(session), "wigan-2023", TODAY)
    assert [(r.ref, r.text) for r in detail.recommendations] == [
        ("1", "Improve the quality of plans"),
        ("2", "Review the board's membership"),
    ]


async def test_a_report_already_imported_offers_to_open_its_plan(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_preview(pilot, HALTON)
        await pilot.press("ctrl+s")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview)
        assert "halton-warrington-2009" in screen_text(app)
        preview.query_one("#open-existing").press()
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.slug == "halton-warrington-2009"
