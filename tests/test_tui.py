"""The TUI placeholder: the plans screen, driven by keys with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from conftest import TODAY
from tracker.config import Settings
from tracker.store import Store, open_store
from tracker.tui.app import TrackerApp


def make_app(store: Store) -> TrackerApp:
    settings = Settings(store.url, "tester", TODAY, Path("/nonexistent/config.toml"))
    return TrackerApp(store, settings)


async def test_plans_screen_lists_plans_with_clocks_and_quits_on_q(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#plans", DataTable)
        assert table.row_count == 3
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(3)}
        assert rows["stockton-2010"][3] == "submitted on time 2 Feb 2010"
        assert rows["stockton-2010"][4] == "R2 A3 G4 B4"
        assert rows["halton-warrington-2009"][8] == "unknown"
        status = app.screen.query_one("#status-line", Static)
        assert "3 plans" in str(status.render())
        await pilot.press("q")
    assert app.return_code == 0


async def test_reload_picks_up_a_plan_loaded_meanwhile(store: Store, loaded_path: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        table = app.screen.query_one("#plans", DataTable)
        assert table.row_count == 0
        app.store = open_store(loaded_path)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3
        app.store.dispose()
        await pilot.press("ctrl+q")


def test_plans_screen_snapshot(snap_compare, _loaded_template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "snap.db"
    shutil.copy(_loaded_template, path)
    app = make_app(open_store(path))

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)
