"""The TUI's start-up beside the yardstick, a minimal Textual app (bench/minimal_app.py), and a
user's walk through its screens.

The headline figure is launch to first screen, as a user sees it: each app started normally in
a real terminal, 120x40, timed until its screen shows the minimal app's text, or at least five
of the database's plan ids: the home screen's list painted (at 120 columns the list shows each
plan's id, not its area). Two terminals, both in bench/terminal.py: a pseudo-terminal of the
bench's own, read until the text is written (no polling: the time of the read that brought
it), and tmux, whose screen is captured every 5-6 ms. The tracker starts as a user starts it,
warm-up thread and all.

In the pseudo-terminal the launch goes on into a walk (`walk_screens`): Enter on the first plan,
Enter on its first action, back and down to the next action, each key timed to its screen's
text drawn, after a pause in which a user reads the screen (`READING`); the tracker's peak
memory is read once the plan and the action are open.

The secondary figure is the older start to exit, in a pseudo-terminal, each app exiting after
its first paint (the tracker with TRACKER_EXIT_WHEN_READY=1, when its plans are shown). Its
exit waits for Textual's input thread (0.1-0.2 s, for both apps), which dilutes the ratio; the
home screen's own peak memory is measured in it, by bench/spawn.py.

All are run interleaved, in a shuffled order each round, so that drift in the host's speed
hits both apps alike; the first round is a warm-up (it also writes any bytecode).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.process import PYTHON, ROOT, TODAY, env, run_process, tracker
from bench.terminal import (
    POLL_PAUSE,
    PtyApp,
    Sight,
    Tmux,
    TmuxMissing,
    Visible,
    pty_time_to_visible,
)

MINIMAL_APP = ROOT / "bench" / "minimal_app.py"
PLANS_SHOWN = 5
"""Plan ids that must be on screen for the tracker's home screen to count as visible."""

VISIBLE = {
    "minimal_app_visible": "tmux",
    "tui_home_visible": "tmux",
    "minimal_app_pty_visible": "pty",
    "tui_home_pty_visible": "pty",
    "open_plan_first_visible": "pty",
    "open_action_visible": "pty",
    "open_action_again_visible": "pty",
}
"""The launch-to-visible figures and the terminal each is read in."""


def plan_ids(db: Path) -> list[str]:
    """The ids (slugs) of the plans in the SQLite database `db`: what its home screen lists."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT slug FROM plans ORDER BY slug")]


READING = 1.0
"""Seconds a user looks at a screen before the next key, in the walk (`walk_screens`): the
screen is first left to settle (nothing written for 0.3 s), then this long after it showed."""

ENTER, ESCAPE, DOWN = b"\r", b"\x1b", b"\x1b[B"


@dataclass(frozen=True)
class Walk:
    """One walk through the tracker's screens, as a user takes it, in a pseudo-terminal."""

    home: Visible
    """Launch to the home screen's list drawn."""
    plan: Visible
    """Enter on the first plan to its actions drawn: the first plan of the session."""
    action: Visible
    """Enter on its first action to the action's screen drawn: the first of the session."""
    peak_kib: int
    """The tracker's peak memory once the plan and the action are open."""
    action_again: Visible
    """Back to the plan, down a row, Enter: the next action drawn."""


def first_plan(db: Path, today: str) -> tuple[str, list[str]]:
    """The plan at the top of the home screen (the most urgent) and its actions' refs."""
    from tracker.queries.lists import plan_rows
    from tracker.queries.reader import open_sqlite
    from tracker.rules import parse_date

    reader = open_sqlite(db)
    assert reader is not None, f"{db} is not a tracker database at the schema head"
    try:
        slug = plan_rows(reader, parse_date(today))[0].id
    finally:
        reader.close()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        refs = [
            row[0]
            for row in connection.execute(
                "SELECT a.ref FROM actions a JOIN plans p ON p.id = a.plan_id"
                " WHERE p.slug = ? AND a.withdrawn_on IS NULL",
                (slug,),
            )
        ]
    return slug, refs


def walk_screens(
    argv: Sequence[str], home: Sight, slug: str, refs: Sequence[str], environ: dict[str, str]
) -> Walk:
    """Launch the tracker in a pseudo-terminal and walk it as a user does: the home screen,
    Enter on the first plan, Enter on its first action, back and down to the next. Each step
    is timed from its key to the first read that brings the new screen's text (the plan's id
    with three of its refs; an action's id, `plan/ref`, in the title), after the user's pause
    (`READING`), in which the store's warm-up runs as it does for a user."""
    plan = Sight((slug, *refs), min(4, len(refs) + 1))
    ids = [f"{slug}/{ref}" for ref in refs]

    def pause(shown: float) -> None:
        app.settle()
        time.sleep(max(0.0, READING - (time.perf_counter() - shown)))

    with PtyApp(argv, environ, ROOT, "tracker") as app:
        seen_home = app.until(home)
        pause(time.perf_counter())
        app.press(ENTER)
        seen_plan = app.until(plan)
        pause(time.perf_counter())
        app.press(ENTER)
        seen_action = app.until(Sight(tuple(ids)))
        pause(time.perf_counter())
        peak = app.peak_kib()
        opened = next(i for i in ids if Sight((i,)).seen(seen_action.screen))
        app.press(ESCAPE)
        app.until(plan)
        pause(time.perf_counter())
        app.press(DOWN + ENTER)
        again = app.until(Sight(tuple(i for i in ids if i != opened)))
    return Walk(seen_home, seen_plan, seen_action, peak, again)


def home_sight(ids: Sequence[str]) -> Sight:
    """The tracker's home screen with its list painted: at least PLANS_SHOWN of the plan ids
    (an id too long for its column is cut short with `…`, and not counted)."""
    return Sight(tuple(ids), min(PLANS_SHOWN, len(ids)))


def startup_figures(db: Path, runs: int, seed: int = 0) -> dict[str, Any]:
    """The start-up figures for the tracker on `db`: medians of `runs` after one warm-up
    round; the tmux figures skipped, and said so, without tmux."""
    minimal = [PYTHON, str(MINIMAL_APP)]
    tui = tracker("--db", str(db))
    home = home_sight(plan_ids(db))
    hello = Sight(("Hello",))
    slug, refs = first_plan(db, TODAY)
    found: dict[str, Any] = {}
    peaks: list[int] = []
    visible: dict[str, list[Visible]] = {key: [] for key in VISIBLE}
    exits: dict[str, list[tuple[float, int]]] = {
        "minimal_app_start_to_exit": [],
        "tui_start_to_exit": [],
    }
    jobs: dict[str, Callable[[], object]] = {
        "minimal_app_start_to_exit": lambda: run_process(minimal, tty=True),
        "tui_start_to_exit": lambda: run_process(
            tui, tty=True, extra={"TRACKER_EXIT_WHEN_READY": "1"}
        ),
        "minimal_app_pty_visible": lambda: pty_time_to_visible(
            [*minimal, "--stay"], hello, env(), ROOT, what="minimal app"
        ),
        "tui_walk": lambda: walk_screens(tui, home, slug, refs, env()),
    }
    with ExitStack() as stack:
        try:
            terminal = stack.enter_context(Tmux(env(), cwd=ROOT))
        except TmuxMissing:
            print("  tmux is not installed: launch to visible skipped", file=sys.stderr)
            for key, where in VISIBLE.items():
                if where == "tmux":
                    found[key] = {"skipped": "tmux is not installed"}
        else:
            found["capture_pane_s"] = round(terminal.capture_cost(), 4)
            found["poll_pause_s"] = POLL_PAUSE
            jobs["minimal_app_visible"] = lambda: terminal.time_to_visible(
                [*minimal, "--stay"], hello, what="minimal app"
            )
            jobs["tui_home_visible"] = lambda: terminal.time_to_visible(tui, home, what="tracker")
        shuffle = random.Random(seed)
        for round_ in range(runs + 1):  # the first round is the warm-up
            order = list(jobs)
            shuffle.shuffle(order)
            for key in order:
                try:
                    got = jobs[key]()
                except RuntimeError as exc:
                    print(f"  {key} failed: {exc}", file=sys.stderr)
                    found[key] = {"error": str(exc)}
                    del jobs[key]
                    continue
                if round_ and isinstance(got, Walk):
                    visible["tui_home_pty_visible"].append(got.home)
                    visible["open_plan_first_visible"].append(got.plan)
                    visible["open_action_visible"].append(got.action)
                    visible["open_action_again_visible"].append(got.action_again)
                    peaks.append(got.peak_kib)
                elif round_ and isinstance(got, Visible):
                    visible[key].append(got)
                elif round_ and isinstance(got, tuple):
                    exits[key].append(got)
    if "tui_walk" in found:  # the walk failed: its figures with it
        for key in ("tui_home_pty_visible", *(k for k in VISIBLE if k.startswith("open_"))):
            found[key] = found["tui_walk"]
    elif peaks:
        found["tui_peak_after_action_mib"] = round(max(peaks) / 1024, 1)
    for key, seen in visible.items():
        if key not in found and seen:
            found[key] = {
                "s": round(statistics.median(v.seconds for v in seen), 4),
                "first_text_s": round(statistics.median(v.first_text for v in seen), 4),
                "all_s": [round(v.seconds, 4) for v in seen],
            }
    for key, took in exits.items():
        if key not in found:
            found[key] = {
                "s": round(statistics.median(t for t, _ in took), 4),
                "peak_mib": round(max(rss for _, rss in took) / 1024, 1),
            }
    for ratio, (tui_key, minimal_key) in {
        "tui_visible_ratio": ("tui_home_visible", "minimal_app_visible"),
        "tui_pty_visible_ratio": ("tui_home_pty_visible", "minimal_app_pty_visible"),
        "tui_exit_ratio": ("tui_start_to_exit", "minimal_app_start_to_exit"),
    }.items():
        if "s" in found[tui_key] and "s" in found[minimal_key]:
            found[ratio] = round(found[tui_key]["s"] / found[minimal_key]["s"], 3)
    return found
