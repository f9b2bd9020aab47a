"""What one action's reads and the audit trail should give (tracker.queries.action)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tests.store.oracle.lists import action_row
from tracker.models import Action, AuditEvent, Evidence, Recommendation
from tracker.queries.action import ActionDetail, EvidenceFile, EvidenceRow, HistoryRow


def evidence_of(session: Session, ref: str) -> list[EvidenceRow]:
    """An action's evidence as its screen lists it."""
    return [
        EvidenceRow(
            e.id,
            e.title,
            e.kind.value,
            e.dated,
            e.reference or e.file_path or "",
            e.sha256,
            e.size,
            e.review.value,
            e.reviewer,
            e.review_comment,
            e.added_by,
        )
        for e in orm.evidence_rows(session, orm.action_named(session, ref))
    ]


def history(session: Session, ref: str) -> list[HistoryRow]:
    """The audit trail of an action or a plan (everything in it), newest first."""
    events = session.scalars(select(AuditEvent)).all()
    if "/" in ref:
        mine = [e for e in events if e.entity_ref == ref]
    else:
        mine = [e for e in events if e.entity_ref == ref or e.entity_ref.startswith(f"{ref}/")]
    return [
        HistoryRow(
            e.at, e.actor, e.entity, e.entity_ref, e.field, e.old_value, e.new_value, e.account
        )
        for e in sorted(mine, key=lambda e: e.id, reverse=True)
    ]


def action_detail(session: Session, ref: str, today: date) -> ActionDetail:
    """The action screen's data."""
    action = orm.action_named(session, ref)
    recommendation = session.get(Recommendation, action.recommendation_id)
    assert recommendation is not None
    return ActionDetail(
        row=action_row(session, action, today),
        owner_stated_as=action.owner_stated_as,
        success_measure=action.success_measure,
        completed=action.completed_on,
        impact_check=action.impact_check,
        brag_override=action.brag_override,
        brag_override_reason=action.brag_override_reason,
        recommendation_text=recommendation.text,
        updates=[(u.on, u.author, u.text) for u in orm.notes_of(session, action)],
        evidence=evidence_of(session, ref),
        history=history(session, ref),
        locked=_locked(session, action),
    )


def _locked(session: Session, action: Action) -> str | None:
    """Why the action cannot change, from the ORM: the plan closed, or the recommendation's
    latest sign-off."""
    from tracker.models import SignOff
    from tracker.queries.action import lock_words
    from tracker.vocab import PlanStatus

    signed = session.scalars(
        select(SignOff)
        .where(SignOff.recommendation_id == action.recommendation_id)
        .order_by(SignOff.id.desc())
    ).first()
    return lock_words(
        action.plan.status is PlanStatus.CLOSED,
        action.plan.closed_on,
        action.recommendation.ref,
        None if signed is None else signed.signed_by,
        None if signed is None else signed.signed_at,
    )


def evidence_files(session: Session, plan: str | None = None) -> list[EvidenceFile]:
    """Evidence kept as files, of one plan or of all."""
    found = []
    for e in session.scalars(select(Evidence).where(Evidence.file_path.is_not(None))):
        action = session.get(Action, e.action_id)
        assert action is not None and e.file_path is not None
        slug = orm.plan_slug(session, action)
        if plan is None or slug == plan:
            found.append((slug, action.ref, e.id, e))
    return [
        EvidenceFile(f"{slug}/{ref}", e.id, e.title, e.file_path, e.sha256, e.size)
        for slug, ref, _, e in sorted(found, key=lambda f: f[:3])
    ]
