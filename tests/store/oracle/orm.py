"""The ORM objects the oracle reads, found and ordered plainly in Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import rules
from tracker.models import Action, Evidence, Plan, ProgressUpdate, Recommendation, Role, RoleName


def plan_named(session: Session, slug: str) -> Plan:
    return session.scalars(select(Plan).where(Plan.slug == slug)).one()


def by_position(rows: Iterable[Recommendation]) -> list[Recommendation]:
    return sorted(rows, key=lambda r: (r.position, r.id))


def recommendations(session: Session, plan: Plan) -> list[Recommendation]:
    return by_position(
        session.scalars(select(Recommendation).where(Recommendation.plan_id == plan.id))
    )


def actions_of(session: Session, recommendation: Recommendation) -> list[Action]:
    found = session.scalars(select(Action).where(Action.recommendation_id == recommendation.id))
    return sorted(found, key=lambda a: (a.position, a.id))


def evidence_rows(session: Session, action: Action) -> list[Evidence]:
    found = session.scalars(select(Evidence).where(Evidence.action_id == action.id))
    return sorted(found, key=lambda e: e.id)


def notes_of(session: Session, action: Action) -> list[ProgressUpdate]:
    found = session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == action.id))
    return sorted(found, key=lambda u: (u.on, u.id))


def role(session: Session, role_id: int | None) -> Role | None:
    return None if role_id is None else session.get(Role, role_id)


def aliases(session: Session, role: Role) -> list[str]:
    names = session.scalars(select(RoleName).where(RoleName.role_id == role.id))
    return [n.name for n in sorted(names, key=lambda n: n.id) if n.name != role.name]


def facts(session: Session, action: Action, today: date) -> tuple[rules.ActionFacts, bool]:
    """The rule's facts from every piece of evidence, and whether some counts today."""
    evidence = tuple(
        rules.EvidenceFacts(e.review, e.expires_on) for e in evidence_rows(session, action)
    )
    facts = rules.ActionFacts(
        action.status,
        action.target_on,
        action.start_on,
        action.progress,
        evidence,
        action.brag_override,
    )
    return facts, any(e.counts(today) for e in evidence)


def plan_actions(session: Session, plan: Plan) -> list[Action]:
    return [a for r in recommendations(session, plan) for a in actions_of(session, r)]


def action_named(session: Session, ref: str) -> Action:
    slug, _, action_ref = ref.rpartition("/")
    plan = plan_named(session, slug)
    return session.scalars(
        select(Action).where(Action.plan_id == plan.id, Action.ref == action_ref)
    ).one()


def plan_slug(session: Session, action: Action) -> str:
    plan = session.get(Plan, action.plan_id)
    assert plan is not None
    return plan.slug
