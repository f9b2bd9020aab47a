"""The TUI's figures measured in process with Textual's Pilot, for bench/run.py: opening the
largest plan, opening one of its actions (the first time in the session, and after), and a
search keystroke to repaint in the plans list (the biggest table the TUI shows) and in a
plan's actions."""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench.process import TODAY


async def tui_figures(db: Path, runs: int) -> dict[str, Any]:
    from tracker.config import Settings
    from tracker.queries.lists import plan_rows
    from tracker.queries.session import store_reader
    from tracker.rules import parse_date
    from tracker.store import open_store
    from tracker.tui.app import TrackerApp
    from tracker.tui.widgets.table import FastTable

    today = parse_date(TODAY)
    store = open_store(db)
    with store_reader(store) as reader:
        rows = plan_rows(reader, today)
    largest = max(rows, key=lambda r: (r.summary.total, r.id)).id
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        first_action = connection.execute(
            "SELECT a.ref FROM actions a JOIN plans p ON p.id = a.plan_id"
            " WHERE p.slug = ? ORDER BY a.id LIMIT 1",
            (largest,),
        ).fetchone()[0]
    settings = Settings(str(db), "Bench Runner", today, "/nonexistent.toml", {})
    app = TrackerApp(store, settings)
    opening: list[float] = []
    keystroke: list[float] = []
    plan_keystroke: list[float] = []
    action_opening: list[float] = []
    biggest = 0
    async with app.run_test(size=(120, 40)) as pilot:

        async def idle() -> None:
            for _ in range(50):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if all(w.is_finished for w in app.workers):
                    return

        await idle()
        plans_table = app.screen.query_one("#plans", FastTable)
        biggest = plans_table.row_count
        # A search on the plans list, the biggest table the TUI shows: each key refills it.
        await pilot.press("slash")
        for i in range(runs + 1):
            for letter in "north":
                # CPU time from the key to the repainted screen: Pilot's waits for the next
                # refresh tick are idle time a user does not see as lag, so they are left out.
                started = time.process_time()
                await pilot.press(letter)
                await pilot.pause()
                if i:
                    keystroke.append(time.process_time() - started)
            await pilot.press(*["backspace"] * 5)
            await pilot.pause()
        await pilot.press("escape")
        await idle()
        for i in range(runs + 1):
            started = time.perf_counter()
            app.open_plan(largest)
            await idle()
            if i:
                opening.append(time.perf_counter() - started)
            await pilot.press("slash")
            for letter in "the":  # a search narrows the plan's actions with each key
                started = time.process_time()
                await pilot.press(letter)
                await pilot.pause()
                if i:
                    plan_keystroke.append(time.process_time() - started)
            await pilot.press("escape", "escape")
            await idle()
        # An action, from the call to its screen read and settled (Pilot's pauses included):
        # the first time imports its screen's modules; then the median of `runs` more.
        for _ in range(runs + 1):
            started = time.perf_counter()
            app.open_action(f"{largest}/{first_action}")
            await idle()
            action_opening.append(time.perf_counter() - started)
            app.pop_screen()
            await idle()
    store.dispose()
    return {
        "largest_plan": largest,
        "open_largest_plan_s": round(statistics.median(opening), 4),
        "open_action_first_s": round(action_opening[0], 4),
        "open_action_s": round(statistics.median(action_opening[1:]), 4),
        "filter_keystroke_s": round(statistics.median(keystroke), 4),
        "plan_search_keystroke_s": round(statistics.median(plan_keystroke), 4),
        "biggest_table_rows": biggest,
    }
