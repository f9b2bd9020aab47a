"""Looking after the database and the evidence: a safe copy of a SQLite file, putting a
checked backup in its place, and re-hashing the evidence files."""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from tracker.cli.context import Context
from tracker.cli.output import fail, show_rows
from tracker.text import clean


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the copy (default: tracker-backup-TIMESTAMP.db here).",
)
@click.pass_obj
def backup(obj: Context, output: Path | None) -> None:
    """Copy the SQLite database safely, even while others are using it."""
    from tracker.store import backup as backup_store

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = output or Path(f"tracker-backup-{stamp}.db")
    # A backup never replaces a file (the store refuses one that exists); the guard also
    # refuses a new name that is the database's own -wal, -shm or -journal file, which SQLite
    # would take for its own on the next open.
    obj.output_guard().check(destination)  # ServiceError: a message, exit 1
    backup_store(obj.store, destination)
    click.echo(clean(f"backed up to {destination}"))


@click.command("restore")
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore(obj: Context, backup_file: Path, yes: bool) -> None:
    """Replace the database with a backup; the current file is kept aside first."""
    from tracker.store import database_url, sqlite_file
    from tracker.store import restore as restore_store

    target = sqlite_file(database_url(obj.settings.db))
    if target is None:
        fail("this database is on a server: restore it with pg_restore (see docs/deployment.md)")
    if obj.settings.read_only or obj.settings.reviewer:
        fail("restore needs a manager's session that may write")

    def ask(revision: str) -> bool:
        # Asked only once the backup has been checked whole, so a "yes" cannot be wasted.
        return yes or click.confirm(
            clean(f"Replace {target} with {backup_file} (schema {revision})? ")
            + "The current file is kept aside.",
            default=False,
        )

    done = restore_store(target, backup_file, ask)
    if done.kept is None:
        after = "there was no database there before"
    elif done.damaged:
        after = f"the previous file was damaged or not a database: it is kept as {done.kept}"
    else:
        after = f"the previous file is kept as {done.kept}"
    beside = ", ".join(str(p) for p in done.companions)
    also = f" (its journal files moved aside too: {beside})" if beside else ""
    click.echo(clean(f"restored {backup_file} into {target}; {after}{also}"))


@click.command("verify")
@click.argument("plan", required=False)
@click.option("--json", "json_out", is_flag=True, help="Print JSON.")
@click.pass_obj
def verify(obj: Context, plan: str | None, json_out: bool) -> None:
    """Re-hash evidence files; exit 1 if any changed or went missing."""
    from tracker.verify import verify_evidence

    with obj.reader() as reader:
        checks = verify_evidence(reader, plan)
    show_rows(
        checks,
        json_out,
        dataclasses.asdict,
        ["ACTION", "ID", "STATE", "TITLE", "FILE", "DETAIL"],
        lambda c: [c.action, str(c.evidence_id), c.state, c.title, c.path, c.detail],
    )
    bad = [c for c in checks if c.state != "ok"]
    if not json_out:
        click.echo(f"{len(checks)} evidence files checked, {len(bad)} changed or missing")
    if bad:
        sys.exit(1)
