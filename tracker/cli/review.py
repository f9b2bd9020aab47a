"""The YJB's commands (`tracker --reviewer review ...`): accept or query evidence, sign off a
recommendation or the plan, withdraw a sign-off. The services refuse them to a manager's
session, and to anyone reviewing their own work."""

from __future__ import annotations

import click

from tracker import services
from tracker.cli.context import Context
from tracker.vocab import ReviewState


@click.group()
def review() -> None:
    """YJB review: accept or query evidence, sign off (needs --reviewer)."""


@review.command("evidence")
@click.argument("evidence_id", type=int)
@click.option("--accept", is_flag=True, help="Accept the evidence.")
@click.option("--query", is_flag=True, help="Query it (say why).")
@click.option("--comment", metavar="TEXT")
@click.pass_obj
def review_evidence(
    obj: Context, evidence_id: int, accept: bool, query: bool, comment: str | None
) -> None:
    """Accept or query a piece of evidence (ids: `tracker evidence list ACTION`)."""
    if accept == query:
        # Both flags would otherwise quietly mean whichever came last.
        raise click.UsageError("say --accept or --query" + (", not both" if accept else ""))
    decision = ReviewState.ACCEPTED if accept else ReviewState.QUERIED
    services.review_evidence(
        obj.store, evidence_id, obj.settings.user, decision, obj.settings.today, comment
    )
    click.echo(f"evidence {evidence_id} {decision.value}")


@review.command("sign-off")
@click.argument("plan")
@click.argument("recommendation", required=False)
@click.pass_obj
def review_sign_off(obj: Context, plan: str, recommendation: str | None) -> None:
    """Sign off a recommendation as implemented, or (with no RECOMMENDATION) the plan as
    closed."""
    if recommendation is None:
        services.sign_off_plan(obj.store, plan, obj.settings.user, obj.settings.today)
        click.echo(f"plan {plan} signed off and closed")
    else:
        services.sign_off_recommendation(
            obj.store, plan, recommendation, obj.settings.user, obj.settings.today
        )
        click.echo(f"recommendation {recommendation} of {plan} signed off as implemented")


@review.command("withdraw")
@click.argument("plan")
@click.argument("recommendation")
@click.option("--comment", required=True, metavar="TEXT", help="Why it is withdrawn.")
@click.pass_obj
def review_withdraw(obj: Context, plan: str, recommendation: str, comment: str) -> None:
    """Withdraw a recommendation's sign-off, so that its actions can change again."""
    services.withdraw_sign_off(obj.store, plan, recommendation, obj.settings.user, comment)
    click.echo(f"sign-off of recommendation {recommendation} of {plan} withdrawn")
