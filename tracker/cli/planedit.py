"""Writing a whole plan as a file: `tracker load --update FILE` applies a plan file to its plan
already in the database, and `tracker edit PLAN` opens the plan as a plan file in the user's
editor and applies what they save, as `git commit` and `kubectl edit` do.

Both are one call to `tracker.services.update_plan`, which makes the differences as audited
changes in one transaction (or none of them, saying why); this module only reads the file,
runs the editor and prints what was done.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker import services
from tracker.cli.context import Context
from tracker.cli.output import fail
from tracker.errors import ConflictError, PlanFileError, ServiceError, StoreError
from tracker.text import clean

if TYPE_CHECKING:
    from tracker.planfile import PlanDoc
    from tracker.services.plan_update import UpdateReport

HEADER = (
    "# tracker edit: change the plan below and save to apply it, as `tracker load --update`",
    "# would (every change audited; all of them, or none). Nothing is removed by deleting it:",
    "# mark a recommendation or action `withdrawn` (a date) with a `withdrawn_reason`. Leave",
    "# each `version` as it is. An empty or unchanged file changes nothing.",
    "#",
)
"""The comment at the top of the file `tracker edit` opens."""
ERROR = "# error: "
MORE = "#   "


def load_update(
    obj: Context, files: tuple[Path, ...], *, update: bool, dry_run: bool, yes: bool
) -> None:
    """`tracker load --update FILE [--dry-run] [--yes]`."""
    from tracker import planfile

    if not update:
        fail("--dry-run and --yes go with --update (tracker load --update FILE)")
    if len(files) != 1:
        fail("give one plan file with --update")
    _refuse_read_only(obj)
    doc = planfile.read_plan(files[0])
    try:
        report = _apply(obj, doc, dry_run=dry_run, confirmed=yes)
    except services.NeedsConfirmation as exc:
        fail(f"{exc} Nothing was saved: run again with --yes to confirm.")
    _print_report(report)
    if report.changed and not report.dry_run:
        # The rows it changed moved on: the same file changed again would be out of date.
        click.echo(
            f"(dump {report.plan} again before changing it further: this file is now behind)",
            err=True,
        )


def _refuse_read_only(obj: Context) -> None:
    if obj.settings.read_only:
        fail("the database is open read-only: nothing can be changed")
    services.require_editor(obj.store)


def _apply(obj: Context, doc: PlanDoc, *, dry_run: bool, confirmed: bool) -> UpdateReport:
    report: UpdateReport = services.update_plan(
        obj.store,
        doc,
        obj.settings.user,
        obj.settings.today,
        dry_run=dry_run,
        confirmed=confirmed,
    )
    return report


def _print_report(report: UpdateReport) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {clean(warning)}", err=True)
    for line in report.lines:
        click.echo(clean(line))
    n = len(report.lines)
    changes = f"{n} change{'' if n == 1 else 's'}"
    if not report.changed:
        click.echo(f"{report.plan}: the file matches the database; nothing changed")
    elif report.dry_run:
        click.echo(f"dry run: {changes} to {report.plan}; nothing written")
    else:
        click.echo(f"updated {report.plan}: {changes}")


@click.command("edit")
@click.argument("plan")
@click.option(
    "--yes", is_flag=True, help="Confirm a recommendation's text changed after agreement."
)
@click.pass_obj
def edit(obj: Context, plan: str, yes: bool) -> None:
    """Edit a plan as a plan file in your editor ($VISUAL, else $EDITOR, else vi) and apply
    what you save, as `tracker load --update` does. A file that does not read, or breaks a
    rule, opens again with the problem at the top; an empty or unchanged file changes
    nothing."""
    from tracker import planfile
    from tracker.exporters import plan_file_text

    _refuse_read_only(obj)
    with obj.reader() as reader:
        original = plan_file_text(reader, plan)
    editor = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
    if not editor:
        fail("$VISUAL or $EDITOR names no editor")
    handle, name = tempfile.mkstemp(prefix=f"tracker-edit-{plan}-", suffix=".toml")
    os.close(handle)
    path = Path(name)
    shown = "\n".join(HEADER) + "\n" + original
    first = True
    while True:
        path.write_text(shown, encoding="utf-8")
        _run_editor(editor, path)
        data = path.read_bytes()
        edited = data.decode("utf-8", errors="replace")
        body = _without_ours(edited)
        if not _has_content(body):
            path.unlink()
            click.echo("edit cancelled, nothing changed")
            return
        if edited == shown:
            if first:
                path.unlink()
                click.echo("edit cancelled, nothing changed")
            else:
                click.echo(f"edit cancelled, nothing changed (your edited file is kept: {path})")
            return
        first = False
        if edited.encode("utf-8") != data:
            shown = _with_error("the file is not UTF-8 text (the marks � show where)", body)
            continue
        try:
            doc = planfile.parse_plan(body.encode("utf-8"), "the edited plan")
            if doc.id != plan:
                raise PlanFileError("id", f"must stay {plan!r}: `tracker edit` cannot change it")
            report = _apply_edit(obj, doc, path, confirmed=yes)
        except ConflictError as exc:
            fail(f"{exc}\nYour edited file is kept: {path}")
        except StoreError as exc:
            fail(f"{exc}\nYour edited file is kept: {path}")
        except (PlanFileError, ServiceError) as exc:
            shown = _with_error(str(exc), body)
            continue
        path.unlink()
        _print_report(report)
        return


def _apply_edit(obj: Context, doc: PlanDoc, path: Path, *, confirmed: bool) -> UpdateReport:
    """Apply the edited plan; a change that needs confirming is asked about on a terminal."""
    try:
        return _apply(obj, doc, dry_run=False, confirmed=confirmed)
    except services.NeedsConfirmation as exc:
        if not sys.stdin.isatty() or not click.confirm(f"{clean(str(exc))} Go on?"):
            fail(
                f"{exc} Nothing was saved; your edited file is kept: {path} "
                f"(`tracker load --update --yes {path}` applies it)"
            )
        return _apply(obj, doc, dry_run=False, confirmed=True)


def _run_editor(editor: list[str], path: Path) -> None:
    try:
        done = subprocess.run([*editor, str(path)], check=False)
    except OSError as exc:
        path.unlink(missing_ok=True)
        fail(
            f"cannot start the editor {editor[0]!r} ({exc.strerror or exc}): set $VISUAL or $EDITOR"
        )
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        fail(f"the editor exited with status {done.returncode}: edit cancelled, nothing changed")


def _without_ours(text: str) -> str:
    """The file's text without the comment lines `tracker edit` put at its top (the header and
    the last error), so that they do not pile up."""
    lines = text.splitlines(keepends=True)
    ours = {*(line for line in HEADER)}
    start = 0
    while start < len(lines):
        line = lines[start].rstrip("\r\n")
        if line in ours or line.startswith((ERROR, MORE)):
            start += 1
        else:
            break
    return "".join(lines[start:])


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _with_error(message: str, body: str) -> str:
    """The text to reopen: the problem at the top as TOML comments, the header, the user's
    text as they left it."""
    first, *rest = clean(message).splitlines() or [""]
    error = [ERROR + first, *(MORE + line.strip() for line in rest if line.strip()), "#"]
    return "\n".join([*error, *HEADER]) + "\n" + body
