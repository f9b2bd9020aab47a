"""The TUI's start-up beside the yardstick, a minimal Textual app (bench/minimal_app.py).

The headline figure is launch to first screen, as a user sees it: each app started normally in
a real terminal, 120x40, timed until its screen shows the minimal app's text, or at least five
of the database's plan ids: the home screen's list painted (at 120 columns the list shows each
plan's id, not its area). Two terminals, both in bench/terminal.py: a pseudo-terminal of the
bench's own, read until the text is written (no polling: the time of the read that brought
it), and tmux, whose screen is captured every 5-6 ms. The tracker starts as a user starts it,
store warm-up thread and all.

The secondary figure is the older start to exit, in a pseudo-terminal, each app exiting after
its first paint (the tracker with TRACKER_EXIT_WHEN_READY=1, when its plans are shown). Its
exit waits for Textual's input thread (0.1-0.2 s, for both apps), which dilutes the ratio; it
is kept because the TUI's peak memory is measured in it, by bench/spawn.py.

All six are run interleaved, in a shuffled order each round, so that drift in the host's
speed hits both apps alike; the first round is a warm-up (it also writes any bytecode).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.process import PYTHON, ROOT, env, run_process, tracker
from bench.terminal import POLL_PAUSE, Sight, Tmux, TmuxMissing, Visible, pty_time_to_visible

MINIMAL_APP = ROOT / "bench" / "minimal_app.py"
PLANS_SHOWN = 5
"""Plan ids that must be on screen for the tracker's home screen to count as visible."""

VISIBLE = {
    "minimal_app_visible": "tmux",
    "tui_home_visible": "tmux",
    "minimal_app_pty_visible": "pty",
    "tui_home_pty_visible": "pty",
}
"""The launch-to-visible figures and the terminal each is read in."""


def plan_ids(db: Path) -> list[str]:
    """The ids (slugs) of the plans in the SQLite database `db`: what its home screen lists."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT slug FROM plans ORDER BY slug")]


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
    found: dict[str, Any] = {}
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
        "tui_home_pty_visible": lambda: pty_time_to_visible(tui, home, env(), ROOT, what="tracker"),
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
                if round_ and isinstance(got, Visible):
                    visible[key].append(got)
                elif round_ and isinstance(got, tuple):
                    exits[key].append(got)
    for key, seen in visible.items():
        if key not in found:
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
