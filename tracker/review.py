"""The YJB's side of the write path: review evidence, sign off recommendations and plans.

Part of the service layer (like `services`): one function per use-case, one transaction,
audited. Only a store opened for a reviewer may call these, and a reviewer may call nothing
else that writes: `services` refuses plan content changes from a reviewer's store, these refuse
a manager's. Nobody reviews or signs off their own work.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker import rules
from tracker.models import Action, AuditEvent, Evidence, Recommendation, SignOff
from tracker.services import ServiceError, _audit, _text, get_plan
from tracker.store import Store
from tracker.vocab import ActionStatus, PlanStatus, ReviewState

REVIEW_FIELDS = ("evidence review", "sign-off")
"""Audit fields a reviewer writes; they do not make the reviewer an author of the work."""


def require_reviewer(store: Store) -> None:
    """Refuse unless the store was opened for YJB review."""
    if not store.reviewer:
        raise ServiceError(
            "only YJB link staff review evidence and sign off: open the tracker with --reviewer"
        )


def _facts(action: Action) -> rules.ActionFacts:
    return rules.ActionFacts(
        action.status,
        action.target_on,
        action.start_on,
        action.progress,
        tuple(rules.EvidenceFacts(e.review, e.expires_on) for e in action.evidence),
        action.brag_override,
    )


def _authors(session: Session, refs: list[str]) -> set[str]:
    """Everyone who changed these plan/action refs, other than by reviewing them."""
    if not refs:
        return set()
    found = session.scalars(
        select(AuditEvent.actor).where(
            AuditEvent.entity_ref.in_(refs), AuditEvent.field.not_in(REVIEW_FIELDS)
        )
    )
    return set(found)


def review_evidence(
    store: Store,
    evidence_id: int,
    actor: str,
    decision: ReviewState,
    today: date,
    comment: str | None = None,
) -> None:
    """Accept or query a piece of evidence, with a comment (a query needs one)."""
    require_reviewer(store)
    if decision is ReviewState.PENDING:
        raise ServiceError("a review accepts or queries the evidence")
    if comment is not None:
        _text(comment, "the comment")
    if decision is ReviewState.QUERIED and not (comment or "").strip():
        raise ServiceError("say what is queried: add a comment")
    with store.write() as session:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None:
            raise ServiceError(f"no evidence {evidence_id} (see `tracker evidence list ACTION`)")
        action = evidence.action
        ref = f"{action.plan.slug}/{action.ref}"
        if evidence.added_by == actor or actor in _authors(session, [ref]):
            raise ServiceError(f"{actor} worked on {ref}: nobody reviews their own work")
        old = evidence.review
        evidence.review = decision
        evidence.reviewer = actor
        evidence.reviewed_on = today
        evidence.review_comment = comment
        session.flush()
        _audit(
            session,
            actor,
            "action",
            action.id,
            ref,
            "evidence review",
            old,
            f"{decision.value}: {evidence.title}" + (f" ({comment})" if comment else ""),
            action.version,
        )


def _snapshot(recommendations: list[Recommendation], today: date) -> str:
    return json.dumps(
        {
            "as_of": today.isoformat(),
            "recommendations": [
                {
                    "ref": rec.ref,
                    "actions": [
                        {
                            "ref": a.ref,
                            "status": a.status.value,
                            "progress": a.progress,
                            "brag": rules.brag(_facts(a), today).colour.value,
                            "evidence": [
                                {"title": e.title, "review": e.review.value, "sha256": e.sha256}
                                for e in a.evidence
                            ],
                        }
                        for a in rec.actions
                    ],
                }
                for rec in recommendations
            ],
        },
        sort_keys=True,
    )


def sign_off_recommendation(store: Store, plan: str, ref: str, actor: str, today: date) -> None:
    """Sign a recommendation off as implemented: every action complete and evidenced (Blue)."""
    require_reviewer(store)
    with store.write() as session:
        found = get_plan(session, plan)
        rec = session.scalar(
            select(Recommendation).where(
                Recommendation.plan_id == found.id, Recommendation.ref == ref
            )
        )
        if rec is None:
            raise ServiceError(f"plan {plan!r} has no recommendation {ref!r}")
        if session.scalar(select(SignOff.id).where(SignOff.recommendation_id == rec.id)):
            raise ServiceError(f"recommendation {ref} of {plan} is already signed off")
        if not rec.actions:
            raise ServiceError(f"recommendation {ref} has no actions to sign off")
        not_done = [
            a.ref
            for a in rec.actions
            if a.status is not ActionStatus.COMPLETE
            or rules.computed_brag(_facts(a), today).colour.value != "blue"
        ]
        if not_done:
            raise ServiceError(
                f"recommendation {ref} is not implemented and evidenced yet: "
                f"actions {', '.join(not_done)} are not complete with accepted or pending evidence"
            )
        refs = [f"{plan}/{a.ref}" for a in rec.actions]
        added = {e.added_by for a in rec.actions for e in a.evidence}
        if actor in _authors(session, refs) or actor in added:
            raise ServiceError(
                f"{actor} worked on recommendation {ref}: nobody signs off their own work"
            )
        session.add(
            SignOff(
                plan_id=found.id,
                recommendation_id=rec.id,
                signed_by=actor,
                state=_snapshot([rec], today),
            )
        )
        _audit(
            session,
            actor,
            "plan",
            found.id,
            plan,
            "sign-off",
            None,
            f"recommendation {ref} implemented",
            found.version,
        )


def sign_off_plan(store: Store, plan: str, actor: str, today: date) -> None:
    """Sign the plan off as closed: every recommendation signed off; the plan then is closed."""
    require_reviewer(store)
    with store.write() as session:
        found = get_plan(session, plan)
        if found.status is PlanStatus.CLOSED:
            raise ServiceError(f"plan {plan} is already closed")
        if found.status is not PlanStatus.MONITORING:
            raise ServiceError(
                f"plan {plan} is {found.status.value}: it can be closed once it has been "
                "forwarded to the YJB for monitoring"
            )
        signed = set(
            session.scalars(
                select(SignOff.recommendation_id).where(
                    SignOff.plan_id == found.id, SignOff.recommendation_id.is_not(None)
                )
            )
        )
        missing = [r.ref for r in found.recommendations if r.id not in signed]
        if missing:
            raise ServiceError(
                f"sign off every recommendation first: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not signed off"
            )
        authors = set(
            session.scalars(
                select(AuditEvent.actor).where(
                    or_(
                        AuditEvent.entity_ref == plan, AuditEvent.entity_ref.startswith(f"{plan}/")
                    ),
                    AuditEvent.field.not_in(REVIEW_FIELDS),
                )
            )
        )
        if actor in authors:
            raise ServiceError(f"{actor} worked on plan {plan}: nobody signs off their own work")
        if found.forwarded_on is not None and today < found.forwarded_on:
            raise ServiceError(f"{today} is before the plan was forwarded ({found.forwarded_on})")
        session.add(
            SignOff(
                plan_id=found.id,
                recommendation_id=None,
                signed_by=actor,
                state=_snapshot(list(found.recommendations), today),
            )
        )
        old = found.status
        found.closed_on = today
        found.status = PlanStatus.CLOSED
        session.flush()
        _audit(
            session, actor, "plan", found.id, plan, "sign-off", None, "plan closed", found.version
        )
        _audit(
            session, actor, "plan", found.id, plan, "status", old, PlanStatus.CLOSED, found.version
        )
