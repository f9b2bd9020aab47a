"""`tracker demo`: the screen (`tracker.cli.screen`) on a fresh database of the sample plans."""

from __future__ import annotations

from pathlib import Path

import click

from tracker import services
from tracker.cli.context import Context
from tracker.cli.output import fail
from tracker.cli.screen import open_tui


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
    settings = obj.settings._replace(db=str(folder / "demo.db"))
    try:
        # Loading writes, whatever mode the demo then runs in.
        loader = Context(settings._replace(reviewer=False, read_only=False))
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
                title = "Demo: sample plans re-dated to today"
                code = open_tui(context, title=title, notice=notice)
            finally:
                context.close()
            if code:
                raise SystemExit(code)  # the screen stopped on an error it reported
    finally:
        if not keep and not no_tui:
            shutil.rmtree(folder, ignore_errors=True)
