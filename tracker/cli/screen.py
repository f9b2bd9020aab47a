"""Opening the screen, for the bare `tracker` (from the click group, or from the quick path,
`tracker.cli.quick`, which opens it without importing click) and `tracker demo`.

The TUI is imported here only, when a screen opens, so that the other commands start quickly;
the home screen's plans are read before Textual is imported, and the garbage collector is
paused while the app is built. Nothing here imports click.
"""

from __future__ import annotations

import gc
import sqlite3
from typing import TYPE_CHECKING

from tracker.cli.context import Context
from tracker.queries.lists import colours_ahead, plan_rows
from tracker.queries.reader import open_sqlite

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp


def open_tui(context: Context, title: str | None = None, notice: str | None = None) -> int:
    """Run the tracker's screen on the context's database until the user quits; the exit
    status (1 if the screen stopped on an error it reported)."""
    app = ready_app(context, title, notice)
    app.run()
    return app.return_code or 0


def ready_app(context: Context, title: str | None = None, notice: str | None = None) -> TrackerApp:
    """The app, built and ready to run: anything wrong with the database that can be found
    before the screen shows (it cannot be opened, say) is raised here."""
    # Start-up makes tens of thousands of objects that live as long as the screen does
    # (modules, the plans read), and the garbage collector scans them again at each of its
    # passes. It is paused until the app runs, and what start-up made is then frozen out of
    # its scans (gc.freeze): the home screen shows 0.06 s sooner at national scale, 0.09 s at
    # ten times it. The cost is the few hundred unreachable objects start-up leaves (about 600),
    # kept rather than collected.
    gc.disable()
    try:
        return _tui_app(context, title, notice)
    finally:
        gc.freeze()
        gc.enable()


def _tui_app(context: Context, title: str | None, notice: str | None) -> TrackerApp:
    """The app, with the home screen's plans already read where that can be done lightly."""
    settings = context.settings
    light = open_sqlite(settings.db, threads=True)
    if light is None:
        # Opened (and upgraded) now, so that a database that cannot be opened is reported
        # here, with exit 1, not inside the screen.
        context.store  # noqa: B018
        from tracker.tui.app import TrackerApp

        return TrackerApp(lambda: context.store, settings, title=title, notice=notice)
    # A SQLite file at the schema head: the home screen reads it without SQLAlchemy, and shows
    # the plans in its first paint. Their colours are counted by the database in a thread
    # while Textual is imported here (at ten times national scale the count is 0.06 s of the
    # start, done in one step of SQLite that holds no lock on the interpreter); the plans are
    # then read here. Reading every row in the thread would not do: each row's step hands the
    # interpreter back and forth, and waits its turn with the importing thread.
    counted = None
    if not settings.reviewer:  # a reviewer's home screen is the portfolio, read in full
        counted = colours_ahead(light, settings.today)
    from tracker.tui.app import TrackerApp

    plans = None
    try:
        if counted is not None:
            plans = plan_rows(light, settings.today, counted())
    except sqlite3.Error:
        plans = None  # the screen reads them the usual way, and reports what is wrong
    finally:
        light.close()
    return TrackerApp(
        lambda: context.store, settings, title=title, notice=notice, first_plans=plans
    )
