"""What a plan read whole, as a plan file holds it, should be (tracker.queries.plandoc)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tracker.models import Inspection, RecommendationOwner, Score
from tracker.planfile import (
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    RoleDoc,
    ScoreDoc,
    UpdateDoc,
)


def plan_doc(session: Session, slug: str) -> PlanDoc:
    """A plan whole, as a plan file holds it; its roles in the order the plan first names
    each (a recommendation's owners, then its actions' owners)."""
    plan = orm.plan_named(session, slug)
    inspection = session.get(Inspection, plan.inspection_id)
    assert inspection is not None
    referenced: dict[int, RoleDoc] = {}

    def name(role_id: int | None) -> None:
        role = orm.role(session, role_id)
        if role is not None and role.id not in referenced:
            referenced[role.id] = RoleDoc(role.name, orm.aliases(session, role))

    recommendations = []
    for rec in orm.recommendations(session, plan):
        owners = sorted(
            session.scalars(
                select(RecommendationOwner).where(RecommendationOwner.recommendation_id == rec.id)
            ),
            key=lambda o: (o.position, o.id),
        )
        for owner in owners:
            name(owner.role_id)
        actions = []
        for action in orm.actions_of(session, rec):
            name(action.owner_role_id)
            actions.append(
                ActionDoc(
                    ref=action.ref,
                    text=action.text,
                    owner=action.owner_stated_as,
                    lead=action.lead,
                    start=action.start_on,
                    target=action.target_on,
                    status=action.status,
                    progress=action.progress,
                    success_measure=action.success_measure,
                    completed=action.completed_on,
                    impact_check=action.impact_check,
                    brag_override=action.brag_override,
                    brag_override_reason=action.brag_override_reason,
                    withdrawn=action.withdrawn_on,
                    withdrawn_reason=action.withdrawn_reason,
                    version=action.version,
                    updates=[
                        UpdateDoc(u.on, u.author, u.text) for u in orm.notes_of(session, action)
                    ],
                    evidence=[
                        EvidenceDoc(
                            title=e.title,
                            kind=e.kind,
                            date=e.dated,
                            reference=e.reference,
                            file=e.file_path,
                            sha256=e.sha256,
                            size=e.size,
                            expires=e.expires_on,
                            review=e.review,
                            reviewer=e.reviewer,
                            reviewed=e.reviewed_on,
                            review_comment=e.review_comment,
                        )
                        for e in orm.evidence_rows(session, action)
                    ],
                )
            )
        recommendations.append(
            RecommendationDoc(
                ref=rec.ref,
                text=rec.text,
                owners=[o.stated_as for o in owners],
                response=rec.response,
                response_reason=rec.response_reason,
                theme=rec.theme,
                withdrawn=rec.withdrawn_on,
                withdrawn_reason=rec.withdrawn_reason,
                version=rec.version,
                actions=actions,
            )
        )
    scores = sorted(
        session.scalars(select(Score).where(Score.inspection_id == inspection.id)),
        key=lambda s: (s.position, s.id),
    )
    return PlanDoc(
        format=FORMAT_VERSION,
        id=plan.slug,
        title=plan.title,
        status=plan.status,
        submitted=plan.submitted_on,
        agreed=plan.agreed_on,
        forwarded=plan.forwarded_on,
        closed=plan.closed_on,
        board_meetings=plan.board_meetings,
        board_meetings_start=plan.board_meetings_start,
        notes=plan.notes,
        submitted_incomplete=plan.submitted_incomplete.split("\n")
        if plan.submitted_incomplete
        else [],
        version=plan.version,
        roles=list(referenced.values()),
        inspection=InspectionDoc(
            area=inspection.area,
            kind=inspection.kind,
            published=inspection.published,
            published_note=inspection.published_note,
            fieldwork_start=inspection.fieldwork_start,
            fieldwork_end=inspection.fieldwork_end,
            source=inspection.source,
            scores=[ScoreDoc(s.name, s.percent, s.improvement, s.rating) for s in scores],
        ),
        recommendations=recommendations,
    )
