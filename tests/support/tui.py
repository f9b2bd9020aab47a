"""Driving the TUI in tests: the app on a store with a fixed "today", waiting for its workers,
reading the screen as a user sees it, and moving between plans and actions."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Tree
from textual.worker import WorkerCancelled

from conftest import TODAY
from tracker.config import Settings
from tracker.queries import action as action_reads
from tracker.queries.session import SessionReader
from tracker.store import Store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.action import ActionScreen
from tracker.tui.widgets.table import FastTable

OFFICER = "Yasmin Officer (YJB)"
"""The YJB reviewer the review tests act as."""


def make_app(
    store: Store | Callable[[], Store],
    *,
    reviewer: bool = False,
    read_only: bool = False,
    user: str = "Tess Tester",
    notice: str | None = None,
    today: date = TODAY,
    db: str | None = None,
    clock: Callable[[], datetime] | None = None,
    **extra: Any,
) -> TrackerApp:
    """The app on `store` with a fixed "today"; `extra` is what the config file would hold.
    `store` may be a function that opens it (as `tracker` passes it), given with `db`, the
    database it opens."""
    if db is None:
        assert isinstance(store, Store), "give the database (db=) with a store factory"
        db = store.url
    settings = Settings(
        db,
        user,
        today,
        "/nonexistent.toml",
        extra,
        reviewer=reviewer,
        read_only=read_only,
    )
    return TrackerApp(store, settings, notice=notice, clock=clock)


def reviewer_app(store: Store) -> TrackerApp:
    """The app as the YJB's reviewer uses it, on a reviewer's store."""
    return make_app(store, reviewer=True, user=OFFICER)


def notices(app: TrackerApp) -> list[str]:
    """The notifications the app has shown, newest last."""
    return [str(n.message) for n in app._notifications]


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app: TrackerApp) -> list[str]:
    """What the terminal shows now, line by line: the screen as a user sees it (rebuilt from
    Textual's own screenshot, each character at its column)."""
    lines: dict[int, dict[int, str]] = {}
    for match in _SVG_TEXT.finditer(app.export_screenshot()):
        column = round(float(match.group(1)) / 12.2)
        row = lines.setdefault(int(match.group(2)), {})
        for offset, char in enumerate(html.unescape(match.group(3)).replace("\xa0", " ")):
            row[column + offset] = char
    height = app.size.height
    return [
        "".join(lines.get(y, {}).get(x, " ") for x in range(app.size.width)).rstrip()
        for y in range(height)
    ]


def screen_text(app: TrackerApp) -> str:
    """The whole screen as text."""
    return "\n".join(screen_lines(app))


LONG_LIVED = {"_loader"}
"""Worker groups that run as long as their widget (the folder tree's loading queue)."""


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish (including those their results start) and the screen repaint."""
    quiet = 0
    for _ in range(100):
        working = [w for w in pilot.app.workers if w.group not in LONG_LIVED and not w.is_finished]
        for worker in working:
            # A worker replaced by a newer one of its group (exclusive) is cancelled while
            # waited for: it is done with, as far as settling goes. A failure still raises.
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause(0.02)
        quiet = 0 if working else quiet + 1
        if quiet >= 3:
            return


async def focus_on(pilot: Pilot[Any], widget: Any) -> None:
    """Give a field the focus and wait until it has it, before keys are typed into it.

    `Widget.focus` only asks for the focus (on the next turn of the message loop), and a dialog
    that has just opened gives the focus to its first field when it mounts: keys pressed at once
    could land there instead."""
    await settle(pilot)
    for _ in range(100):
        if pilot.app.focused is widget:
            return
        widget.focus()
        await pilot.pause(0.01)
    raise AssertionError(f"{widget!r} never took the focus (it is on {pilot.app.focused!r})")


async def tree_loaded(pilot: Pilot[Any], selector: str = "#files") -> None:
    """Wait until the folder tree has read its folder (it reads in a thread of its own)."""
    tree = pilot.app.screen.query_one(selector, Tree)
    for _ in range(250):
        if tree.root.children and not tree.loading:
            break
        await pilot.pause(0.02)
    await settle(pilot)
    assert tree.root.children, "the folder tree never read its folder"


def table(app: TrackerApp, selector: str) -> Any:
    """A table on the screen: the Line API FastTable (plans, actions) or a small DataTable."""
    found = app.screen.query_one(selector)
    assert isinstance(found, FastTable | DataTable), found
    return found


def cell(found: FastTable, row: str, column: str) -> str:
    """The text of a cell, by the row's key and the column's key."""
    keys = [c.key for c in found.columns]
    return str(found.get_row_at(found.get_row_index(row))[keys.index(column)])


def keys_of(app: TrackerApp, selector: str = "#actions") -> list[str]:
    found = table(app, selector)
    return [str(k.value) for k in found.rows]


def action_keys(app: TrackerApp) -> list[str]:
    """The ids of the actions the plan screen lists, in order (its recommendation rows left out)."""
    return [k[2:] for k in keys_of(app) if k.startswith("a:")]


def action(store: Store, ref: str) -> action_reads.ActionDetail:
    with store.read() as session:
        return action_reads.action_detail(SessionReader(session), ref, TODAY)


async def open_plan(pilot: Pilot[Any], slug: str) -> None:
    pilot.app.open_plan(slug)  # type: ignore[attr-defined]
    await settle(pilot)


async def move_to(pilot: Pilot[Any], key: str) -> None:
    found = table(pilot.app, "#actions")  # type: ignore[arg-type]
    found.move_cursor(row=found.get_row_index(key))
    await pilot.pause()


async def open_action(pilot: Pilot[Any], ref: str, edit: bool = False) -> ActionScreen:
    """The action's screen, read; `edit`: opened to edit, as the plan's edit key opens it, and
    its form showing."""
    pilot.app.open_action(ref, edit=edit)  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ActionScreen)
    assert screen.editing == edit
    return screen
