"""The TUI driven by keys with Textual's Pilot, on a real SQLite file with a fixed "today"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from conftest import TODAY
from tests.support.tui import (
    action,
    cell,
    keys_of,
    make_app,
    move_to,
    open_plan,
    settle,
    table,
)
from tracker.config import Settings
from tracker.queries import lists, lookups
from tracker.queries.reader import open_sqlite
from tracker.store import Store, open_store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.action import ActionScreen
from tracker.tui.screens.plan import PlanScreen
from tracker.tui.screens.plans import PlansScreen
from tracker.tui.widgets.keys_help import KeysHelp
from tracker.vocab import ActionStatus, PlanStatus

# Plans ---------------------------------------------------------------------------------------


async def test_plans_screen_lists_clocks_and_colours_and_opens_with_enter(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = table(app, "#plans")
        assert plans.row_count == 3
        assert cell(plans, "stockton-2010", "clock") == "submitted on time 2 Feb 2010"
        assert cell(plans, "stockton-2010", "brag") == "R2 A3 G4 B4"
        assert cell(plans, "stockton-2010", "area") == "Stockton on Tees"
        assert cell(plans, "halton-warrington-2009", "overdue") == "7"
        assert "3 plans" in str(app.screen.query_one("#status-line", Static).render())
        plans.move_cursor(row=plans.get_row_index("stockton-2010"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "stockton-2010"
        await pilot.press("escape")
        assert isinstance(app.screen, PlansScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_plans_read_before_the_app_starts_are_shown_first_and_reload_reads_afresh(
    loaded_path: Path,
) -> None:
    """`tracker` reads the plans before Textual starts (`first_plans`): the home screen shows
    that read in its first paint, without a read of its own; `r`, and coming back from a
    plan, read the database again."""
    light = open_sqlite(loaded_path)
    assert light is not None
    try:
        first = [r for r in lists.plan_rows(light, TODAY) if r.id == "stockton-2010"]
    finally:
        light.close()
    store = open_store(loaded_path)
    try:
        settings = Settings(str(loaded_path), "Tess Tester", TODAY, "/nonexistent.toml", {})
        app = TrackerApp(store, settings, first_plans=first)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            plans = table(app, "#plans")
            assert plans.row_count == 1  # the read it was given, not one of its own
            assert cell(plans, "stockton-2010", "clock") == "submitted on time 2 Feb 2010"
            await settle(pilot)
            assert plans.row_count == 1
            await pilot.press("r")
            await settle(pilot)
            assert plans.row_count == 3
    finally:
        store.dispose()


def test_start_up_runs_the_app_with_the_collector_on_and_its_objects_frozen(
    loaded_path: Path,
) -> None:
    """`tracker` pauses the garbage collector while it starts (tracker.cli.launch.open_tui):
    the app must then run with it on again (or every cycle made in a long session would stay in
    memory), with what start-up made frozen out of its scans, and with the plans already read,
    their colours counted in a thread while Textual was imported."""
    code = f"""
import gc, threading
import tracker.queries.lists as lists
counted = lists.plan_colours
def plan_colours(*args):
    print(threading.current_thread().name)
    return counted(*args)
lists.plan_colours = plan_colours
from tracker.tui.app import TrackerApp
def run(self):
    plans = self.take_first_plans() or []
    print(gc.isenabled(), gc.get_freeze_count(), len(plans), sum(p.summary.total for p in plans))
TrackerApp.run = run
from tracker.cli import main
main(["--db", {str(loaded_path)!r}, "--today", "{TODAY}"], standalone_mode=False)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    counted_on, enabled, frozen, plans, actions = done.stdout.split()
    assert (enabled, plans, actions) == ("True", "3", "30")
    assert int(frozen) > 10_000  # the modules and the plans, at least
    # The plans' colours were counted beside Textual's import, on a thread of their own.
    assert counted_on == "plan-colours"


async def test_plans_search_narrows_the_list_and_escape_clears_it(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"monitoring")
        await pilot.pause()
        assert keys_of(app, "#plans") == ["stockton-2010"]
        status = str(app.screen.query_one("#status-line", Static).render())
        assert "1 of 3 plans" in status
        await pilot.press(*["backspace"] * 10, *"halton cci")
        await pilot.pause()
        assert keys_of(app, "#plans") == ["halton-warrington-2009"]
        await pilot.press("enter", "enter")  # keep the search, open the plan found
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "halton-warrington-2009"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # clears the search on the plans screen
        await pilot.pause()
        assert len(keys_of(app, "#plans")) == 3


async def test_a_search_that_keeps_the_highlighted_plan_neither_rereads_nor_redraws_it(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key of a search refills the list; the plan under the cursor, still found, keeps
    the pane under the list as it is: no second read of its glance, no update of the pane
    (each cost the screen a layout pass per key). Another plan highlighted is described."""
    from tracker.queries import plan as plan_reads
    from tracker.tui.screens.row_detail import RowDetail

    glances: list[str] = []
    real_glance = plan_reads.plan_glance

    def counted(reader: object, slug: str) -> object:
        glances.append(slug)
        return real_glance(reader, slug)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_reads, "plan_glance", counted)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = table(app, "#plans")
        plans.move_cursor(row=plans.get_row_index("stockton-2010"))
        await settle(pilot)
        pane = app.screen.query_one("#row-detail", RowDetail)
        shown = pane.query_one(Static)
        updates: list[object] = []
        real_update = shown.update
        monkeypatch.setattr(
            shown, "update", lambda text, **kw: (updates.append(text), real_update(text, **kw))
        )
        before = list(glances)
        assert before[-1:] == ["stockton-2010"]
        await pilot.press("slash", *"stockton")
        await settle(pilot)
        assert keys_of(app, "#plans") == ["stockton-2010"]
        assert glances == before and updates == []
        assert "Stockton on Tees" in str(shown.render())
        await pilot.press(*["backspace"] * 8, *"halton")
        await settle(pilot)
        assert keys_of(app, "#plans") == ["halton-warrington-2009"]
        # Read once for each plan the cursor came to: "h" finds Cambridgeshire first.
        assert glances[len(before) :] == ["cambridgeshire-2014", "halton-warrington-2009"]
        assert "Halton" in str(shown.render())


async def test_plans_screen_is_usable_at_80x24(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_plan(pilot, "stockton-2010")
        actions = table(app, "#actions")
        # Ref, colour, status, target and progress fit on screen without scrolling sideways.
        widths = [c.width + 2 for c in actions.columns[:6]]  # each cell has a space either side
        assert sum(widths) <= 80
        shown = actions.render_line(2).text  # the first row under the heading and R1
        assert "1.1" in shown and "BLUE" in shown and "complete" in shown
        await pilot.press("ctrl+q")


# Plan ----------------------------------------------------------------------------------------


async def test_overdue_filter_search_filter_dialog_and_clear(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        every = [k for k in keys_of(app) if k.startswith("a:")]
        assert len(every) == 13
        await pilot.press("o")
        overdue = [k for k in keys_of(app) if k.startswith("a:")]
        assert overdue == ["a:stockton-2010/3.1"]
        await pilot.press("o", "slash")
        await pilot.press(*"text-message")
        assert [k for k in keys_of(app) if k.startswith("a:")] == ["a:stockton-2010/3.3"]
        await pilot.press("enter")  # keeps the search, back to the table
        assert app.focused is table(app, "#actions")
        await pilot.press("c")
        assert len([k for k in keys_of(app) if k.startswith("a:")]) == 13
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#status", Select).value = "blocked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [k for k in keys_of(app) if k.startswith("a:")] == ["a:stockton-2010/3.3"]
        status = str(app.screen.query_one("#status-line", Static).render())
        assert "1 of 13 actions" in status and "status blocked" in status
        await pilot.press("escape")
        assert isinstance(app.screen, PlansScreen)


async def test_search_escape_clears_and_stays_on_the_plan(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("slash", "z", "z", "z")
        assert not [k for k in keys_of(app) if k.startswith("a:")]
        await pilot.press("escape")
        assert isinstance(app.screen, PlanScreen)
        assert not app.screen.query_one("#search", Input).display
        assert len([k for k in keys_of(app) if k.startswith("a:")]) == 13


async def test_sort_cycles_and_flattens(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("s")  # by target date
        keys = keys_of(app)
        assert all(k.startswith("a:") for k in keys)
        targets = [action(loaded, k[2:]).row.target for k in keys]
        assert targets == sorted(t for t in targets if t is not None)
        await pilot.press("s")  # by colour: red first
        first = action(loaded, keys_of(app)[0][2:])
        assert first.row.brag.colour.value == "red"


async def test_select_with_space_and_bulk_edit_status(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await move_to(pilot, "a:stockton-2010/1.2")
        await pilot.press("space")
        await move_to(pilot, "a:stockton-2010/4.2")
        await pilot.press("space")
        assert app.screen.selected == {"stockton-2010/1.2", "stockton-2010/4.2"}  # type: ignore[attr-defined]
        await pilot.press("b")
        app.screen.query_one("#status", Select).value = "blocked"
        app.screen.query_one("#lead", Input).value = "Jo Bloggs"
        await pilot.press("ctrl+s")
        await settle(pilot)
        for ref in ("stockton-2010/1.2", "stockton-2010/4.2"):
            detail = action(loaded, ref)
            assert detail.row.status is ActionStatus.BLOCKED and detail.row.lead == "Jo Bloggs"
            assert {h.field for h in detail.history if h.actor == "Tess Tester"} == {
                "status",
                "lead",
            }
        assert app.screen.selected == set()  # type: ignore[attr-defined]


async def test_bulk_edit_with_a_bad_date_says_so_and_keeps_the_dialog(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await move_to(pilot, "a:stockton-2010/1.2")
        await pilot.press("b")
        app.screen.query_one("#target", Input).value = "31/02/2027"
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#dialog-error", Static).render())
        assert "target date" in error and "31/02/2027" in error
        await pilot.press("escape")
        assert isinstance(app.screen, PlanScreen)
    assert action(loaded, "stockton-2010/1.2").row.version == 1


async def test_lifecycle_step_from_the_plan_screen(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "cambridgeshire-2014")
        await pilot.press("l")
        app.screen.query_one("#on", Input).value = "19 May 2014"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # its action 2.3 has no target date: submitted anyway
        await settle(pilot)
        header = str(app.screen.query_one("#plan-header", Static).render())
        assert "submitted on time 19 May 2014" in header
    with loaded.read() as session:
        plan = lookups.get_plan(session, "cambridgeshire-2014")
        assert plan.status is PlanStatus.SUBMITTED


# Help, palette, keymap -----------------------------------------------------------------------


async def test_help_lists_keys_and_toggles(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(KeysHelp)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(KeysHelp)


async def test_palette_finds_an_action_by_name(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"text-message appointment")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActionScreen)
        assert app.screen.ref == "stockton-2010/3.3"


async def test_palette_runs_a_screen_command(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Overdue")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.overdue_only  # type: ignore[attr-defined]


async def test_keys_are_remappable_from_the_config(loaded: Store) -> None:
    app = make_app(loaded, keymap={"plan.overdue": "z"})
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("z")
        assert app.screen.overdue_only  # type: ignore[attr-defined]
