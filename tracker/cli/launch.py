"""Opening the screen: the bare `tracker`, and `tracker demo` on a fresh database of the sample
plans.

The TUI is imported here only, when a screen opens, so that the other commands start quickly;
the home screen's plans are read before Textual is imported, and the garbage collector is
paused while the app is built.
"""

from __future__ import annotations

import dataclasses
import gc
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker import services
from tracker.cli.context import Context
from tracker.cli.output import fail
from tracker.queries.lists import colours_ahead, plan_rows
from tracker.queries.reader import open_sqlite

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp


def open_tui(context: Context, title: str | None = None, notice: str | None = None) -> None:
    """Run the tracker's screen on the context's database until the user quits."""
    # Start-up makes tens of thousands of objects that live as long as the screen does
    # (modules, the plans read), and the garbage collector scans them again at each of its
    # passes. It is paused until the app runs, and what start-up made is then frozen out of
    # its scans (gc.freeze): the home screen shows 0.06 s sooner at national scale, 0.09 s at
    # ten times it. The cost is the few hundred unreachable objects start-up leaves (about 600),
    # kept rather than collected.
    gc.disable()
    try:
        app = _tui_app(context, title, notice)
    finally:
        gc.freeze()
        gc.enable()
    app.run()


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


def sample_plans_dir() -> Path:
    """The sample plans: shipped inside the wheel, or `sample_plans/` beside the package."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_sample_plans", package.parent / "sample_plans"):
        if candidate.is_dir():
            return candidate
    fail("the sample plans are missing from this installation")


@click.command()
@click.option("--keep", is_flag=True, help="Print the demo database's path and keep it.")
@click.option("--no-tui", is_flag=True, help="Load the demo database and stop (for scripts).")
@click.pass_obj
def demo(obj: Context, keep: bool, no_tui: bool) -> None:
    """Open the tracker on a fresh database holding the sample plans.

    Each sample plan is re-dated so that its latest progress note falls today, so the
    submission clock runs and the board colours show as they did on that day.
    """
    import shutil
    import tempfile

    from tracker import planfile

    today = obj.settings.today
    docs = []
    for path in sorted(sample_plans_dir().glob("*.toml")):
        doc = planfile.read_plan(path)
        reached = planfile.latest_note(doc)
        if reached is not None:
            doc = planfile.shift_dates(doc, (today - reached).days)
        docs.append((path.name, doc))
    folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
    # The settings `tracker --db FILE` would run with (config file, keymap, theme, role,
    # --reviewer, --read-only), on the demo's own database.
    settings = dataclasses.replace(obj.settings, db=str(folder / "demo.db"))
    try:
        # Loading writes, whatever mode the demo then runs in.
        loader = Context(dataclasses.replace(settings, reviewer=False, read_only=False))
        try:
            # The tracker's own samples: their reviews are part of the demo, not a claim.
            services.load_plans(loader.store, docs, "demo", decisions_from_file=True)
        finally:
            loader.close()
        if keep or no_tui:
            click.echo(f"demo database: {settings.db}")
        if not no_tui:
            kept = "kept when you quit" if keep else "deleted when you quit (--keep keeps it)"
            notice = (
                f"Demo database {settings.db}: {kept}. From another terminal: "
                f"tracker --db {settings.db} history PLAN/REF, or actions --json"
            )
            context = Context(settings)
            try:
                open_tui(context, title="Demo: sample plans re-dated to today", notice=notice)
            finally:
                context.close()
    finally:
        if not keep and not no_tui:
            shutil.rmtree(folder, ignore_errors=True)
