"""Writing a plan's actions: adding one under a recommendation (the next free ref, never
reused), withdrawing it with a reason (nothing in a plan is ever deleted) and restoring it; and
the ready-to-submit checklist of a plan's rows. Recommendations are in `recommendations`, the
plan's own details and a plan started without a report in `plan_details`.

Every use-case is one transaction, audited field by field, and checked against the version the
editor read (`expected_version`): a newer stored version is a `ConflictError` naming what
changed since, and nothing is saved. A reviewer's store refuses all of it (`require_editor`),
and so does a closed plan or a recommendation the YJB has signed off (`check_open`).

Each write also has an `_in` form (`add_action_in`, `edit_plan_in`, ...) that does the same
inside a transaction its caller holds, so that several make one change: `plan_update` applies
a whole plan file that way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import rules
from tracker.errors import NothingToChange, ServiceError
from tracker.models import (
    Action,
    Plan,
)
from tracker.queries.lookups import (
    get_action,
)
from tracker.services._audit import (
    SHORT_TEXT,
    audit,
    check_actor,
    check_days,
    check_text,
    require_editor,
)
from tracker.services._writing import (
    _based_on,
    _check_version,
    _open_recommendation,
    _reason,
    _set_withdrawn,
)
from tracker.services.actions import check_open
from tracker.services.changes import NewAction
from tracker.services.refs import next_action_ref
from tracker.services.roles import resolve_role
from tracker.store import Store
from tracker.vocab import (
    ActionStatus,
)

# Actions ----------------------------------------------------------------------------------------


def add_action(store: Store, rec: str, actor: str, today: date, new: NewAction) -> str:
    """Add an action under recommendation `rec` (`PLAN/REC`); its ref is the next free number
    under the recommendation. Returns the action's id (`PLAN/REF`)."""
    require_editor(store)
    check_actor(actor)
    checked = _checked_action(new)
    with store.write() as session:
        return add_action_in(session, rec, actor, checked)


def _checked_action(new: NewAction) -> NewAction:
    """`new` with its text checked and trimmed; a ServiceError says what is wrong."""
    text = check_text(new.text, "the action", required=True).strip()
    lead = None
    if new.lead is not None:
        lead = check_text(new.lead, "the lead", most=SHORT_TEXT).strip() or None
    measure = None
    if new.success_measure is not None:
        measure = check_text(new.success_measure, "the success measure").strip() or None
    check_days(start_on=new.start_on, target_on=new.target_on)
    if new.start_on and new.target_on and new.target_on < new.start_on:
        raise ServiceError(
            f"the target date {new.target_on} is before the start date {new.start_on}"
        )
    if new.status is ActionStatus.COMPLETE:
        raise ServiceError("a new action cannot start complete: add it, then record its progress")
    return replace(new, text=text, lead=lead, success_measure=measure)


def add_action_in(session: Session, rec: str, actor: str, new: NewAction) -> str:
    """`add_action` inside a transaction the caller holds (it checks `new` again)."""
    new = _checked_action(new)
    text, lead, measure = new.text, new.lead, new.success_measure
    plan, recommendation = _open_recommendation(session, rec)
    if recommendation.withdrawn_on is not None:
        raise ServiceError(
            f"recommendation {recommendation.ref} of {plan.slug} is withdrawn: restore it first"
        )
    taken = list(session.scalars(select(Action.ref).where(Action.plan_id == plan.id)))
    ref = next_action_ref(recommendation.ref, taken)
    role_id = stated = None
    if new.lead_role is not None and new.lead_role.strip():
        stated = check_text(new.lead_role, "the lead role", most=SHORT_TEXT).strip()
        role_id = resolve_role(session, stated, actor).id
    position = max((a.position for a in recommendation.actions), default=-1) + 1
    action = Action(
        plan_id=plan.id,
        recommendation=recommendation,
        position=position,
        ref=ref,
        text=text,
        owner_role_id=role_id,
        owner_stated_as=stated,
        lead=lead,
        start_on=new.start_on,
        target_on=new.target_on,
        status=new.status,
        progress=0,
        success_measure=measure,
    )
    session.add(action)
    session.flush()
    full = f"{plan.slug}/{ref}"
    values = {
        "text": text,
        "owner": stated,
        "lead": lead,
        "start_on": new.start_on,
        "target_on": new.target_on,
        "status": new.status,
        "success_measure": measure,
    }
    audit(session, actor, "action", action.id, full, "added", None, recommendation.ref, 1)
    for name, value in values.items():
        if value is not None:
            audit(session, actor, "action", action.id, full, name, None, value, 1)
    return full


def withdraw_action(
    store: Store,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    *,
    expected_version: int | None = None,
) -> int:
    """Withdraw an action (`PLAN/REF`) with a reason: it leaves every count, colour, export and
    digest, and stays in the history and in `tracker actions --all`. Undo with
    `restore_action`. Returns its new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    why = _reason(reason)
    with store.write() as session:
        return withdraw_action_in(session, ref, actor, today, why, expected_version)


def withdraw_action_in(
    session: Session,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """`withdraw_action` inside a transaction the caller holds."""
    _check_version(expected_version)
    why = _reason(reason)
    action = get_action(session, ref)
    check_open(session, action, "its actions cannot be withdrawn")
    _based_on(session, "action", action, ref, expected_version)
    if action.withdrawn_on is not None:
        raise NothingToChange(
            f"action {ref} was already withdrawn on {action.withdrawn_on.isoformat()}"
        )
    _set_withdrawn(session, action, "action", ref, actor, today, why)
    return action.version


def restore_action(
    store: Store, ref: str, actor: str, *, expected_version: int | None = None
) -> int:
    """Bring a withdrawn action back. Returns its new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    with store.write() as session:
        return restore_action_in(session, ref, actor, expected_version)


def restore_action_in(
    session: Session, ref: str, actor: str, expected_version: int | None = None
) -> int:
    """`restore_action` inside a transaction the caller holds."""
    _check_version(expected_version)
    action = get_action(session, ref)
    check_open(session, action, "its actions cannot be restored")
    _based_on(session, "action", action, ref, expected_version)
    if action.withdrawn_on is None:
        raise NothingToChange(f"action {ref} is not withdrawn")
    if action.recommendation.withdrawn_on is not None:
        raise ServiceError(
            f"its recommendation {action.recommendation.ref} is withdrawn: restore that"
        )
    _set_withdrawn(session, action, "action", ref, actor, None, None)
    return action.version


# Ready to submit --------------------------------------------------------------------------------


def readiness_in(session: Session, plan: Plan) -> rules.Readiness:
    """The ready-to-submit checklist of a plan, from its rows in this session."""
    recs = []
    for rec in plan.recommendations:
        if rec.withdrawn_on is not None:
            continue
        actions = tuple(
            rules.DraftAction(
                ref=a.ref,
                lead_role=a.owner_stated_as if a.owner_role_id is not None else None,
                target=a.target_on,
                success_measure=a.success_measure,
            )
            for a in rec.actions
            if a.withdrawn_on is None
        )
        recs.append(rules.DraftRecommendation(rec.ref, rec.response, rec.response_reason, actions))
    return rules.readiness(plan.inspection.published, recs)
