"""What one plan's reads should give (tracker.queries.plan)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tests.store.oracle.lists import action_rows
from tracker import rules
from tracker.models import Inspection, Recommendation, RecommendationOwner, Score, SignOff
from tracker.queries.plan import PlanDetail, RecommendationRow, ScoreRow, SignOffRow
from tracker.vocab import PlanStatus


def plan_detail(session: Session, slug: str, today: date) -> PlanDetail:
    """The plan screen's data."""
    plan = orm.plan_named(session, slug)
    inspection = session.get(Inspection, plan.inspection_id)
    assert inspection is not None
    scores = sorted(
        session.scalars(select(Score).where(Score.inspection_id == inspection.id)),
        key=lambda s: (s.position, s.id),
    )
    recommendations = []
    drafts = []
    for rec in orm.recommendations(session, plan):
        owners = session.scalars(
            select(RecommendationOwner).where(RecommendationOwner.recommendation_id == rec.id)
        )
        recommendations.append(
            RecommendationRow(
                rec.ref,
                rec.text,
                [o.stated_as for o in sorted(owners, key=lambda o: (o.position, o.id))],
                None if rec.response is None else rec.response.value,
                rec.theme,
                rec.response_reason,
                rec.withdrawn_on,
                rec.withdrawn_reason,
                rec.version,
            )
        )
        if rec.withdrawn_on is None:
            drafts.append(
                rules.DraftRecommendation(
                    rec.ref,
                    rec.response,
                    rec.response_reason,
                    tuple(
                        rules.DraftAction(
                            a.ref,
                            a.owner_stated_as if a.owner_role_id is not None else None,
                            a.target_on,
                            a.success_measure,
                        )
                        for a in orm.actions_of(session, rec)
                        if a.withdrawn_on is None
                    ),
                )
            )
    every = action_rows(session, today, plan=slug, withdrawn=True)
    actions = [a for a in every if a.withdrawn is None]
    meeting = None
    if plan.board_meetings:
        start = plan.board_meetings_start or inspection.published or today
        meeting = rules.next_meeting(plan.board_meetings, start, today)
    return PlanDetail(
        id=slug,
        title=plan.title,
        area=inspection.area,
        kind=inspection.kind,
        published=inspection.published,
        published_note=inspection.published_note,
        submission_due=rules.submission_due(inspection.published),
        status=plan.status,
        steps={
            PlanStatus.SUBMITTED: plan.submitted_on,
            PlanStatus.AGREED: plan.agreed_on,
            PlanStatus.MONITORING: plan.forwarded_on,
            PlanStatus.CLOSED: plan.closed_on,
        },
        clock=rules.submission_clock(inspection.published, plan.submitted_on, today),
        next_meeting=meeting,
        scores=[
            ScoreRow(
                s.name,
                s.percent,
                None if s.improvement is None else s.improvement.value,
                None if s.rating is None else s.rating.value,
            )
            for s in scores
        ],
        recommendations=[r for r in recommendations if r.withdrawn is None],
        actions=actions,
        summary=rules.summarise([a.facts for a in actions], today),
        version=plan.version,
        readiness=rules.readiness(inspection.published, drafts),
        submitted_incomplete=(plan.submitted_incomplete or "").splitlines(),
        withdrawn_recommendations=[r for r in recommendations if r.withdrawn is not None],
        withdrawn_actions=[a for a in every if a.withdrawn is not None],
        fieldwork=(inspection.fieldwork_start, inspection.fieldwork_end),
        board_meetings=plan.board_meetings,
        board_meetings_start=plan.board_meetings_start,
    )


def sign_offs(session: Session, slug: str) -> list[SignOffRow]:
    """A plan's sign-offs, oldest first."""
    plan = orm.plan_named(session, slug)
    found = session.scalars(select(SignOff).where(SignOff.plan_id == plan.id))
    rows = []
    for s in sorted(found, key=lambda s: (s.signed_at, s.id)):
        rec = (
            None
            if s.recommendation_id is None
            else session.get(Recommendation, s.recommendation_id)
        )
        state = json.loads(s.state)
        as_of = None if state.get("as_of") is None else date.fromisoformat(state["as_of"])
        rows.append(
            SignOffRow(None if rec is None else rec.ref, s.signed_by, s.signed_at, as_of, state)
        )
    return rows
