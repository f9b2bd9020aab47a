"""What the reads for export should give (tracker.queries.exports)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tests.store.oracle.lists import plan_rows
from tests.store.oracle.plan import plan_detail
from tracker import rules
from tracker.models import AuditEvent, BoardReport, Recommendation, SignOff
from tracker.queries.exports import (
    ActionInfo,
    AuditedChange,
    EvidenceItem,
    Note,
    PlanData,
)
from tracker.queries.portfolio import PortfolioRow
from tracker.vocab import ReviewState


def plan_data(
    session: Session, slug: str, today: date, action_ids: Iterable[str] | None = None
) -> PlanData:
    """One plan read for export, optionally only some of its actions."""
    detail = plan_detail(session, slug, today)
    wanted = None if action_ids is None else {i if "/" in i else f"{slug}/{i}" for i in action_ids}
    infos = []
    for row in detail.actions:
        if wanted is not None and row.id not in wanted:
            continue
        action = orm.action_named(session, row.id)
        recommendation = session.get(Recommendation, action.recommendation_id)
        assert recommendation is not None
        notes = orm.notes_of(session, action)
        infos.append(
            ActionInfo(
                row=row,
                recommendation_text=recommendation.text,
                success_measure=action.success_measure,
                override_reason=action.brag_override_reason,
                latest_note=Note(notes[-1].on, notes[-1].author, notes[-1].text) if notes else None,
                evidence=tuple(
                    EvidenceItem(
                        ref=action.ref,
                        title=e.title,
                        kind=e.kind,
                        dated=e.dated,
                        where=e.reference or e.file_path or "",
                        review=e.review,
                        reviewer=e.reviewer,
                        reviewed=e.reviewed_on,
                        comment=e.review_comment,
                        added_at=e.added_at,
                    )
                    for e in orm.evidence_rows(session, action)
                ),
                days_overdue=(today - row.target).days if row.overdue and row.target else 0,
            )
        )
    summary = rules.summarise([a.row.facts for a in infos], today)
    return PlanData(detail, infos, summary, len(detail.actions), today)


def portfolio_rows(session: Session, today: date) -> list[PortfolioRow]:
    """Every plan for a reviewer: the plans list with evidence to review and sign-offs."""
    rows = []
    for row in plan_rows(session, today):
        plan = orm.plan_named(session, row.id)
        evidence = [
            e
            for a in orm.plan_actions(session, plan)
            if a.withdrawn_on is None
            for e in orm.evidence_rows(session, a)
        ]
        signed = session.scalars(select(SignOff).where(SignOff.plan_id == plan.id)).all()
        rows.append(
            PortfolioRow(
                plan=row,
                clock=rules.submission_clock(row.published, row.submitted, today),
                awaiting_review=sum(e.review is ReviewState.PENDING for e in evidence),
                recommendations=sum(
                    r.withdrawn_on is None for r in orm.recommendations(session, plan)
                ),
                signed_off=sum(s.recommendation_id is not None for s in signed),
            )
        )
    return rows


def last_board_report(session: Session, slug: str) -> datetime | None:
    """When the latest board report of a plan was issued."""
    plan = orm.plan_named(session, slug)
    found = session.scalars(select(BoardReport).where(BoardReport.plan_id == plan.id)).all()
    return max(((r.issued_at, r.id) for r in found), default=(None, 0))[0]


def changes_since(
    session: Session,
    slug: str,
    since: datetime,
    *,
    refs: Iterable[str] | None = None,
    leave_out: str = "",
) -> list[AuditedChange]:
    """A plan's audited changes strictly after `since`, oldest first."""
    keep = None if refs is None else set(refs)
    found = []
    for e in sorted(session.scalars(select(AuditEvent)), key=lambda e: (e.at, e.id)):
        if e.entity_ref != slug and not e.entity_ref.startswith(f"{slug}/"):
            continue
        ref = e.entity_ref.partition("/")[2]
        if e.at <= since or e.field == leave_out or (keep is not None and ref and ref not in keep):
            continue
        found.append(AuditedChange(e.at, e.actor, ref, e.field, e.old_value, e.new_value, e.entity))
    return found
