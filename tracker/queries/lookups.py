"""The look-ups the services make inside their own transactions: ORM rows to change (a plan, an
action, a role), and the facts a write is checked against (who signed what off, what changed
since a version, who wrote the work). Reads only: the services make every change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from tracker.errors import NotFoundError, no_plan
from tracker.models import (
    Action,
    AuditEvent,
    Evidence,
    Plan,
    ProgressUpdate,
    Recommendation,
    Role,
    RoleName,
    SignOff,
)
from tracker.queries.plan import split_action_ref
from tracker.vocab import role_key


def get_plan(session: Session, slug: str) -> Plan:
    """The plan with human id `slug`, or NotFoundError."""
    plan = session.scalar(select(Plan).where(Plan.slug == slug))
    if plan is None:
        raise no_plan(slug)
    return plan


def plan_exists(session: Session, slug: str) -> bool:
    """Whether a plan has the id `slug`."""
    return session.scalar(select(Plan.id).where(Plan.slug == slug)) is not None


def get_action(session: Session, ref: str) -> Action:
    """The action with human id `PLAN/REF`, or NotFoundError."""
    slug, action_ref = split_action_ref(ref)
    plan = get_plan(session, slug)
    action = session.scalar(
        select(Action).where(Action.plan_id == plan.id, Action.ref == action_ref)
    )
    if action is None:
        raise NotFoundError(f"plan {slug!r} has no action {action_ref!r}")
    return action


def get_recommendation(session: Session, plan: Plan, ref: str) -> Recommendation:
    """Recommendation `ref` of `plan`, or NotFoundError."""
    rec = session.scalar(
        select(Recommendation).where(Recommendation.plan_id == plan.id, Recommendation.ref == ref)
    )
    if rec is None:
        raise NotFoundError(f"plan {plan.slug!r} has no recommendation {ref!r}")
    return rec


def get_evidence(session: Session, evidence_id: int) -> Evidence | None:
    """The piece of evidence with this id, or None."""
    return session.get(Evidence, evidence_id)


def find_role(session: Session, name: str) -> Role | None:
    """The role called `name` (canonical name or alias, case and spacing forgiven)."""
    return session.scalar(select(Role).join(RoleName).where(RoleName.key == role_key(name)))


def role_ids_by_key(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """The role each of `keys` (`tracker.vocab.role_key`) names, for those a role has; read in
    batches, so that thousands of names cost a few statements."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        rows = session.execute(
            select(RoleName.key, RoleName.role_id).where(RoleName.key.in_(batch))
        )
        found.update((key, role_id) for key, role_id in rows)
    return found


def role_name(session: Session, role_id: int) -> str:
    """A role's canonical name."""
    return str(session.scalar(select(Role.name).where(Role.id == role_id)))


def plan_closed_by(session: Session, plan: Plan) -> str | None:
    """Who signed plan `plan` off as closed (the latest such sign-off), or None."""
    return session.scalar(
        select(SignOff.signed_by)
        .where(SignOff.plan_id == plan.id, SignOff.recommendation_id.is_(None))
        .order_by(SignOff.id.desc())
        .limit(1)
    )


def recommendation_sign_off(session: Session, recommendation_id: int) -> SignOff | None:
    """The latest sign-off of a recommendation as implemented, or None."""
    return session.scalars(
        select(SignOff)
        .where(SignOff.recommendation_id == recommendation_id)
        .order_by(SignOff.id.desc())
        .limit(1)
    ).first()


def signed_recommendation_ids(session: Session, plan: Plan) -> set[int]:
    """The ids of `plan`'s recommendations that the YJB has signed off."""
    return set(
        session.scalars(
            select(SignOff.recommendation_id).where(
                SignOff.plan_id == plan.id, SignOff.recommendation_id.is_not(None)
            )
        )
    )


def sign_off_of(session: Session, plan: Plan, ref: str) -> SignOff | None:
    """The sign-off of `plan`'s recommendation `ref`, or None."""
    return session.scalars(
        select(SignOff)
        .join(Recommendation, SignOff.recommendation_id == Recommendation.id)
        .where(SignOff.plan_id == plan.id, Recommendation.ref == ref)
    ).first()


def changes_after(session: Session, entity: str, entity_id: int, version: int) -> list[AuditEvent]:
    """The audit events of one row (`entity`, `entity_id`) made after its version `version`,
    oldest first: what someone else changed since an editor read it."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == entity,
                AuditEvent.entity_id == entity_id,
                AuditEvent.entity_version > version,
            )
            .order_by(AuditEvent.id)
        )
    )


def writers(
    session: Session, slug: str, action_ids: Sequence[int] | None, not_authorship: Sequence[str]
) -> set[str]:
    """Every name (as given) that wrote or changed the content of plan `slug`: in its audit
    trail (fields in `not_authorship` left out) and as the author of a progress note. With
    `action_ids`, those actions only; else the whole plan, with its own events."""
    actions = select(Action.id, Action.ref).join(Plan).where(Plan.slug == slug)
    if action_ids is not None:
        actions = actions.where(Action.id.in_(action_ids))
    found = session.execute(actions).all()
    refs = [f"{slug}/{ref}" for _, ref in found]
    where: ColumnElement[bool] = AuditEvent.entity_ref.in_(refs)
    if action_ids is None:
        where = or_(where, AuditEvent.entity_ref == slug)
    names = set(
        session.scalars(
            select(AuditEvent.actor).where(where, AuditEvent.field.not_in(not_authorship))
        )
    )
    ids = [action_id for action_id, _ in found]
    if ids:
        names |= set(
            session.scalars(select(ProgressUpdate.author).where(ProgressUpdate.action_id.in_(ids)))
        )
    return names


def is_known_actor(session: Session, name: str) -> bool:
    """Whether the audit trail already holds a change by `name`, exactly (by its index)."""
    found = session.scalar(select(AuditEvent.id).where(AuditEvent.actor == name).limit(1))
    return found is not None


def known_names(session: Session) -> list[str]:
    """Every person's name the database holds: who changed something (the audit trail), wrote
    a progress note, reviewed evidence or signed off."""
    names: set[str] = set(session.scalars(select(AuditEvent.actor).distinct()))
    names |= set(session.scalars(select(ProgressUpdate.author).distinct()))
    names |= {n for n in session.scalars(select(Evidence.reviewer).distinct()) if n}
    names |= set(session.scalars(select(SignOff.signed_by).distinct()))
    return sorted(names)


def row_ids_by_ref(
    session: Session, model: type[Action] | type[Recommendation], plan_id: int
) -> dict[str, int]:
    """Each row's id by its ref, for one plan's recommendations or actions."""
    found = session.execute(select(model.ref, model.id).where(model.plan_id == plan_id))
    return {ref: id_ for ref, id_ in found}


def count_rows(session: Session, model: type[Any]) -> int:
    """How many rows a table holds (for checks and tests)."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
