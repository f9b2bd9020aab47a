"""The commands that only read and list: plans, actions, an action's evidence, a plan's
sign-offs, the audit trail, the roles, the digest of what is due, and whether a plan is
ready to submit.

Each reads through the context's reader (plain SQL: on a SQLite file at the schema head, no
SQLAlchemy) and prints a table, or JSON with `--json` (docs/cli.md gives the shapes).
"""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import Context
from tracker.cli.group import choice
from tracker.cli.output import (
    actions_text,
    as_json,
    echo,
    moment_text,
    plans_text,
    show_rows,
    table,
    text_or_dash,
)
from tracker.text import one_line
from tracker.vocab import ActionStatus

if TYPE_CHECKING:
    from tracker.queries.action import EvidenceRow, HistoryRow
    from tracker.queries.plan import SignOffRow

json_option = click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
"""`--json`: print the rows as JSON rather than a table."""


@click.command()
@json_option
@click.pass_obj
def plans(obj: Context, json_out: bool) -> None:
    """List the plans, most urgent first, with their clocks and colours."""
    echo(plans_text(obj, json_out=json_out), nl=False)


@click.command()
@click.option("--plan", metavar="PLAN", help="Only this plan's actions.")
@click.option("--owner", metavar="ROLE", help="Only actions led by this role (any of its names).")
@click.option("--status", type=choice(ActionStatus), help="Only actions with this status.")
@click.option("--overdue", is_flag=True, help="Only actions past their target and not complete.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only unfinished actions due within DAYS (overdue included).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Withdrawn actions too, marked with the date and the reason.",
)
@json_option
@click.pass_obj
def actions(
    obj: Context,
    plan: str | None,
    owner: str | None,
    status: ActionStatus | None,
    overdue: bool,
    due_within: int | None,
    everything: bool,
    json_out: bool,
) -> None:
    """List actions with their colours, filtered; withdrawn ones only with --all."""
    text = actions_text(
        obj,
        plan=plan,
        owner=owner,
        status=status,
        overdue=overdue,
        due_within=due_within,
        everything=everything,
        json_out=json_out,
    )
    echo(text, nl=False)


@click.command()
@click.argument("plan")
@json_option
@click.pass_obj
def check(obj: Context, plan: str, json_out: bool) -> None:
    """Whether a plan is ready to submit: a summary, then each thing it lacks. Exit 1 until
    it is ready (`tracker step PLAN submitted` refuses it until then, unless --anyway)."""
    from tracker.queries.plan import readiness

    with obj.reader() as reader:
        ready = readiness(reader, plan)
    if json_out:
        as_json(
            {
                "plan": plan,
                "ready": ready.ready,
                "summary": ready.summary(),
                "recommendations": ready.recommendations,
                "with_actions": ready.with_actions,
                "actions": ready.actions,
                "gaps": [{"kind": g.kind, "ref": g.ref, "message": g.message} for g in ready.gaps],
            }
        )
    else:
        click.echo(f"{plan}: {one_line(ready.summary())}")
        for gap in ready.gaps:
            click.echo(f"  - {one_line(gap.message)}")
    if not ready.ready:
        sys.exit(1)


def _evidence_cells(item: EvidenceRow) -> list[str]:
    return [
        str(item.id),
        item.title,
        item.kind,
        text_or_dash(item.dated),
        item.where,
        item.review,
        item.reviewer or "-",
        item.review_comment or "",
    ]


@click.command("list")
@click.argument("action")
@json_option
@click.pass_obj
def evidence_list(obj: Context, action: str, json_out: bool) -> None:
    """An action's evidence, with the ids a reviewer uses."""
    from tracker.queries.action import evidence_of

    with obj.reader() as reader:
        items = evidence_of(reader, action)
    show_rows(
        items,
        json_out,
        dataclasses.asdict,
        ["ID", "TITLE", "KIND", "DATE", "WHERE", "REVIEW", "REVIEWER", "COMMENT"],
        _evidence_cells,
    )


@click.command("signoffs")
@click.argument("plan")
@json_option
@click.pass_obj
def signoffs(obj: Context, plan: str, json_out: bool) -> None:
    """The YJB's sign-offs of a plan, oldest first: who, when, and the state they covered."""
    from tracker.queries.plan import sign_offs

    def as_json(row: SignOffRow) -> dict[str, Any]:
        return {
            "plan": plan,
            "recommendation": row.recommendation,
            "what": row.what,
            "signed_by": row.signed_by,
            "signed_at": row.signed_at.isoformat(),
            "as_of": row.as_of,
            "state": row.state,
        }

    with obj.reader() as reader:
        rows = sign_offs(reader, plan)
    show_rows(
        rows,
        json_out,
        as_json,
        ["WHEN (UTC)", "AS OF", "WHO", "WHAT", "STATE"],
        lambda r: [moment_text(r.signed_at), text_or_dash(r.as_of), r.signed_by, r.what, r.summary],
        none=f"plan {plan} has no sign-offs yet",
    )


def _history_json(row: HistoryRow) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(),
        "actor": row.actor,
        "account": row.account,
        "entity": row.entity,
        "ref": row.ref,
        "field": row.field,
        "old": row.old,
        "new": row.new,
    }


def _history_cells(row: HistoryRow) -> list[str]:
    return [
        moment_text(row.at),
        row.who,
        row.ref,
        row.field,
        one_line(row.old or "-", 40),
        one_line(row.new or "-", 40),
    ]


@click.command()
@click.argument("ref", metavar="ACTION|PLAN")
@json_option
@click.pass_obj
def history(obj: Context, ref: str, json_out: bool) -> None:
    """The audit trail of an action or a plan, newest first."""
    from tracker.queries.action import history as read_history

    with obj.reader() as reader:
        rows = read_history(reader, ref)
    show_rows(
        rows,
        json_out,
        _history_json,
        ["WHEN (UTC)", "WHO", "WHAT", "FIELD", "OLD", "NEW"],
        _history_cells,
    )


@click.command()
@click.pass_obj
def roles(obj: Context) -> None:
    """The roles the database knows, with their aliases."""
    from tracker.queries.roles import roles as read_roles

    with obj.reader() as reader:
        found = read_roles(reader)
    table(["ROLE", "ALSO CALLED"], [[name, "; ".join(aliases) or "-"] for name, aliases in found])


@click.command()
@click.option(
    "--within",
    type=click.IntRange(0, 3650),
    default=14,
    show_default=True,
    metavar="DAYS",
    help="Also list actions due within DAYS.",
)
@click.option("--owner", metavar="ROLE", help="Only actions led by this role.")
@click.pass_obj
def digest(obj: Context, within: int, owner: str | None) -> None:
    """Overdue and due-soon actions grouped by lead, as plain text (for cron or email)."""
    from tracker.exporters import digest as digest_text

    with obj.reader() as reader:
        click.echo(digest_text(reader, obj.settings.today, within, owner), nl=False)
