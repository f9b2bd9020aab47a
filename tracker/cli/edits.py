"""The commands a YOS manager changes a plan with: load plan files, change an action (and add
a progress note), attach evidence, record a lifecycle step.

Each is one call to `tracker.services`, which checks it, audits it, and saves all of it or
none; the command says what was done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tracker import rules, services
from tracker.cli.context import Context
from tracker.cli.group import DATE, choice
from tracker.cli.output import fail
from tracker.vocab import CLEARABLE, ActionStatus, Brag, EvidenceKind, PlanStatus


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--update",
    is_flag=True,
    help="Apply the file to its plan already in the database: the differences, as audited "
    "changes, all or none.",
)
@click.option("--dry-run", is_flag=True, help="With --update: show the changes; write nothing.")
@click.option(
    "--yes",
    is_flag=True,
    help="With --update: confirm a recommendation's text changed after agreement.",
)
@click.pass_obj
def load(obj: Context, files: tuple[Path, ...], update: bool, dry_run: bool, yes: bool) -> None:
    """Load plan files (TOML) into the database: all of them, or none if any has an error.
    With --update, apply one plan file to its plan already in the database (`tracker edit`
    does it in your editor)."""
    from tracker import planfile  # here: reading plan files is this command's alone

    if update or dry_run or yes:
        from tracker.cli.planedit import load_update

        load_update(obj, files, update=update, dry_run=dry_run, yes=yes)
        return
    docs = [(str(path), planfile.read_plan(path)) for path in files]
    ids = services.load_plans(obj.store, docs, obj.settings.user)
    for plan_id in ids:
        click.echo(f"loaded {plan_id}")


@click.command()
@click.argument("action")
@click.option("--status", type=choice(ActionStatus))
@click.option("--progress", type=int, metavar="N", help="Progress, 0 to 100.")
@click.option("--due", "target", type=DATE, help="The target date.")
@click.option("--start", type=DATE, help="The start date.")
@click.option("--lead", metavar="NAME", help="The named lead.")
@click.option("--owner", metavar="ROLE", help="The lead role.")
@click.option("--text", metavar="TEXT", help="What will be done.")
@click.option("--success-measure", metavar="TEXT")
@click.option("--impact-check", metavar="TEXT")
@click.option("--completed", type=DATE, help="The completion date (with --status complete).")
@click.option("--override", type=choice(Brag), help="Set the colour by hand (needs a reason).")
@click.option("--override-reason", metavar="TEXT")
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(sorted(CLEARABLE)),
    help="Empty a field (repeatable).",
)
@click.option("--note", metavar="TEXT", help="Add a dated progress note.")
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse if the action is no longer at version N (someone else changed it).",
)
@click.pass_obj
def update(
    obj: Context,
    action: str,
    status: ActionStatus | None,
    progress: int | None,
    target: date | None,
    start: date | None,
    lead: str | None,
    owner: str | None,
    text: str | None,
    success_measure: str | None,
    impact_check: str | None,
    completed: date | None,
    override: Brag | None,
    override_reason: str | None,
    clear: tuple[str, ...],
    note: str | None,
    expect_version: int | None,
) -> None:
    """Change an action and/or add a progress note; every change is audited."""
    changes = services.ActionChanges(
        text=text,
        owner=owner,
        lead=lead,
        start_on=start,
        target_on=target,
        status=status,
        progress=progress,
        success_measure=success_measure,
        completed_on=completed,
        impact_check=impact_check,
        brag_override=override,
        brag_override_reason=override_reason,
        clear=frozenset(clear),
    )
    version = services.update_action(
        obj.store,
        action,
        obj.settings.user,
        obj.settings.today,
        changes,
        note=note,
        expected_version=expect_version,
    )
    click.echo(f"updated {action} (now version {version})")


@click.command("add")
@click.argument("action")
@click.option("--title", required=True, help="What the evidence is.")
@click.option("--file", "file", type=click.Path(path_type=Path), help="A file to fingerprint.")
@click.option("--ref", "reference", metavar="TEXT", help="Where the evidence is kept.")
@click.option("--date", "dated", type=DATE, help="The date of the evidence.")
@click.option("--kind", type=choice(EvidenceKind), default=EvidenceKind.DOCUMENT.value)
@click.option("--expires", type=DATE, help="When it stops counting.")
@click.pass_obj
def evidence_add(
    obj: Context,
    action: str,
    title: str,
    file: Path | None,
    reference: str | None,
    dated: date | None,
    kind: EvidenceKind,
    expires: date | None,
) -> None:
    """Attach evidence to an action: a file (--file) or a reference (--ref)."""
    evidence_id = services.add_evidence(
        obj.store,
        action,
        obj.settings.user,
        title,
        file=file,
        reference=reference,
        dated=dated,
        kind=kind,
        expires=expires,
    )
    click.echo(f"added evidence {evidence_id} to {action}")


@click.command()
@click.argument("plan")
@click.argument(
    "step",
    type=choice(PlanStatus, rules.steps_a_manager_records(PlanStatus.DRAFT), case_sensitive=True),
)
@click.option("--on", "on", type=DATE, help="The date of the step (default: today).")
@click.option(
    "--anyway",
    is_flag=True,
    help="Record `submitted` although the plan is not ready (`tracker check PLAN`): the board "
    "report then says it went in incomplete.",
)
@click.pass_obj
def step(obj: Context, plan: str, step: PlanStatus, on: date | None, anyway: bool) -> None:
    """Record a plan's lifecycle step: submitted, agreed, monitoring (forwarded to the YJB).
    A plan that is not ready to submit is refused with what it lacks, unless --anyway.
    Closing is the YJB's sign-off: `tracker --reviewer review sign-off PLAN`."""
    try:
        services.record_step(
            obj.store, plan, step, on or obj.settings.today, obj.settings.user, anyway=anyway
        )
    except services.NotReady as exc:
        fail(not_ready_text(exc))
    click.echo(f"{plan} is now {step.value}")


def not_ready_text(refused: services.NotReady) -> str:
    """The refusal of a plan not ready to submit, its gaps one per line."""
    return "\n".join(
        [
            f"plan {refused.slug} is not ready to submit ({refused.summary}):",
            *(f"  - {gap}" for gap in refused.gaps),
            "Fix these, or record that it went in incomplete (--anyway).",
        ]
    )
