"""What the plans and actions lists should give (tracker.queries.lists)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tracker import rules
from tracker.models import Action, Inspection, Plan, Recommendation
from tracker.queries.lists import ActionRow, PlanRow
from tracker.vocab import ActionStatus, PlanStatus, role_key


def action_row(session: Session, action: Action, today: date) -> ActionRow:
    """One action as the actions list should show it."""
    plan = session.get(Plan, action.plan_id)
    recommendation = session.get(Recommendation, action.recommendation_id)
    assert plan is not None and recommendation is not None
    full, evidenced = orm.facts(session, action, today)
    owner = orm.role(session, action.owner_role_id)
    notes = orm.notes_of(session, action)
    return ActionRow(
        id=f"{plan.slug}/{action.ref}",
        plan=plan.slug,
        recommendation=recommendation.ref,
        ref=action.ref,
        text=action.text,
        owner=None if owner is None else owner.name,
        lead=action.lead,
        start=action.start_on,
        target=action.target_on,
        status=action.status,
        progress=action.progress,
        brag=rules.brag(full, today),
        overdue=action.withdrawn_on is None and rules.is_overdue(full, today),
        evidence=len(full.evidence),
        version=action.version,
        last_update=max((u.on for u in notes), default=None),
        facts=rules.ActionFacts(
            action.status,
            action.target_on,
            action.start_on,
            action.progress,
            override=action.brag_override,
            evidenced=evidenced,
        ),
        withdrawn=action.withdrawn_on,
        withdrawn_reason=action.withdrawn_reason,
    )


def action_rows(
    session: Session,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    ref: str | None = None,
    withdrawn: bool = False,
) -> list[ActionRow]:
    """The actions list with its filters, each said as plainly as it can be: a withdrawn
    action only when asked for (`withdrawn`) or named (`ref`)."""
    found = []
    for each in sorted(session.scalars(select(Plan)), key=lambda p: p.slug):
        if plan is not None and each.slug != plan:
            continue
        for action in orm.plan_actions(session, each):
            row = action_row(session, action, today)
            unfinished = action.status is not ActionStatus.COMPLETE
            role = orm.role(session, action.owner_role_id)
            keys = set() if role is None else {n.key for n in role.names}
            if (
                (ref is not None and action.ref != ref)
                or (action.withdrawn_on is not None and not withdrawn and ref is None)
                or (owner is not None and role_key(owner) not in keys)
                or (status is not None and action.status is not status)
                or (overdue and not row.overdue)
                or (
                    due_within is not None
                    and not (
                        unfinished
                        and action.target_on is not None
                        and action.target_on <= today + timedelta(days=due_within)
                    )
                )
            ):
                continue
            found.append(row)
    return found


def plan_rows(session: Session, today: date) -> list[PlanRow]:
    """The plans list: drafts by their due date first, then the rest by most overdue actions,
    then by id."""
    found = []
    for plan in session.scalars(select(Plan)):
        inspection = session.get(Inspection, plan.inspection_id)
        assert inspection is not None
        facts = [
            orm.facts(session, a, today)[0]
            for a in orm.plan_actions(session, plan)
            if a.withdrawn_on is None
        ]
        found.append(
            PlanRow(
                id=plan.slug,
                area=inspection.area,
                kind=inspection.kind,
                published=inspection.published,
                submission_due=rules.submission_due(inspection.published),
                status=plan.status,
                submitted=plan.submitted_on,
                summary=rules.summarise(facts, today),
            )
        )
    drafts = [r for r in found if r.status is PlanStatus.DRAFT]
    others = [r for r in found if r.status is not PlanStatus.DRAFT]
    drafts.sort(key=lambda r: (r.submission_due or date.max, -r.summary.overdue, r.id))
    others.sort(key=lambda r: (-r.summary.overdue, r.id))
    return drafts + others
