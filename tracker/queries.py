"""Every read the CLI, the screens and the exports need, shaped for them.

Lists are read with Core selects (no ORM objects to hydrate); a single plan is read through
the ORM when it is written back out as a plan file. "Today" is an argument, as in `rules`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker import rules
from tracker.models import (
    Action,
    AuditEvent,
    Evidence,
    Inspection,
    Plan,
    ProgressUpdate,
    Recommendation,
    Role,
    RoleName,
)
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
from tracker.services import get_action, get_plan, role_key
from tracker.vocab import ActionStatus, Brag, InspectionKind, PlanStatus, ReviewState


@dataclass(frozen=True)
class PlanRow:
    """One plan as the plans list shows it."""

    id: str
    area: str
    kind: InspectionKind
    published: date | None
    submission_due: date | None
    status: PlanStatus
    submitted: date | None
    summary: rules.PlanSummary


@dataclass(frozen=True)
class ActionRow:
    """One action as the actions list shows it."""

    id: str
    plan: str
    recommendation: str
    ref: str
    text: str
    owner: str | None
    lead: str | None
    start: date | None
    target: date | None
    status: ActionStatus
    progress: int
    brag: rules.BragResult
    overdue: bool
    evidence: int
    version: int
    last_update: date | None
    facts: rules.ActionFacts


def _evidence_counts(today: date) -> Any:
    """Per action: its pieces of evidence, and how many count towards completion as of
    `today` (not queried, not expired): the BRAG rule's evidence test, counted in SQL."""
    counts = case(
        (
            and_(
                Evidence.review != ReviewState.QUERIED,
                or_(Evidence.expires_on.is_(None), Evidence.expires_on >= today),
            ),
            1,
        ),
        else_=0,
    )
    return (
        select(
            Evidence.action_id,
            func.count().label("total"),
            func.sum(counts).label("counting"),
        )
        .group_by(Evidence.action_id)
        .subquery()
    )


def _facts(row: Any) -> rules.ActionFacts:
    return rules.ActionFacts(
        status=row.status,
        target=row.target_on,
        start=row.start_on,
        progress=row.progress,
        override=row.brag_override,
        evidenced=bool(row.counting),
    )


def plan_rows(session: Session, today: date) -> list[PlanRow]:
    """Every plan with its clock and BRAG summary, most urgent first: plans still to submit by
    due date, then the rest by most overdue actions."""
    plans = session.execute(
        select(
            Plan.id,
            Plan.slug,
            Plan.status,
            Plan.submitted_on,
            Inspection.area,
            Inspection.kind,
            Inspection.published,
        ).join(Inspection)
    ).all()
    evidence = _evidence_counts(today)
    # Core rows, not ORM ones: a national portfolio has tens of thousands of actions.
    actions = session.connection().execute(
        select(
            Action.plan_id,
            Action.status,
            Action.target_on,
            Action.start_on,
            Action.progress,
            Action.brag_override,
            evidence.c.counting,
        ).outerjoin(evidence, evidence.c.action_id == Action.id)
    )
    by_plan: dict[int, list[rules.ActionFacts]] = defaultdict(list)
    facts = rules.ActionFacts
    for plan_id, status, target, start, progress, override, counting in actions:
        by_plan[plan_id].append(
            facts(status, target, start, progress, (), override, bool(counting))
        )
    rows = [
        PlanRow(
            id=p.slug,
            area=p.area,
            kind=p.kind,
            published=p.published,
            submission_due=rules.submission_due(p.published),
            status=p.status,
            submitted=p.submitted_on,
            summary=rules.summarise(by_plan[p.id], today),
        )
        for p in plans
    ]

    def urgency(row: PlanRow) -> tuple[int, date, int, str]:
        waiting = row.status is PlanStatus.DRAFT
        due = row.submission_due or date.max
        return (0 if waiting else 1, due if waiting else date.max, -row.summary.overdue, row.id)

    return sorted(rows, key=urgency)


def action_rows(
    session: Session,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[ActionRow]:
    """Actions, filtered, in plan and ref order. `owner` matches the action's role by any of
    its names; `due_within` keeps unfinished actions whose target is within that many days
    (overdue ones included)."""
    evidence = _evidence_counts(today)
    latest = (
        select(ProgressUpdate.action_id, func.max(ProgressUpdate.on).label("last_update"))
        .group_by(ProgressUpdate.action_id)
        .subquery()
    )
    query = (
        select(
            Action.id,
            Action.ref,
            Action.text,
            Action.lead,
            Action.start_on,
            Action.target_on,
            Action.status,
            Action.progress,
            Action.brag_override,
            Action.version,
            Action.owner_stated_as,
            Plan.slug,
            Recommendation.ref.label("rec_ref"),
            Role.name.label("role_name"),
            evidence.c.total,
            evidence.c.counting,
            latest.c.last_update,
        )
        .join(Recommendation, Action.recommendation_id == Recommendation.id)
        .join(Plan, Action.plan_id == Plan.id)
        .outerjoin(Role, Action.owner_role_id == Role.id)
        .outerjoin(evidence, evidence.c.action_id == Action.id)
        .outerjoin(latest, latest.c.action_id == Action.id)
        .order_by(Plan.slug, Recommendation.position, Action.position)
    )
    if plan is not None:
        get_plan(session, plan)
        query = query.where(Plan.slug == plan)
    if owner is not None:
        role_ids = select(RoleName.role_id).where(RoleName.key == role_key(owner))
        query = query.where(Action.owner_role_id.in_(role_ids))
    if status is not None:
        query = query.where(Action.status == status)
    unfinished = Action.status != ActionStatus.COMPLETE
    if overdue:
        query = query.where(unfinished, Action.target_on < today)
    if due_within is not None:
        horizon = date.fromordinal(today.toordinal() + due_within)
        query = query.where(unfinished, Action.target_on <= horizon)
    result = []
    for r in session.connection().execute(query):
        facts = _facts(r)
        result.append(
            ActionRow(
                id=f"{r.slug}/{r.ref}",
                plan=r.slug,
                recommendation=r.rec_ref,
                ref=r.ref,
                text=r.text,
                owner=r.role_name,
                lead=r.lead,
                start=r.start_on,
                target=r.target_on,
                status=r.status,
                progress=r.progress,
                brag=rules.brag(facts, today),
                overdue=rules.is_overdue(facts, today),
                evidence=r.total or 0,
                version=r.version,
                last_update=r.last_update,
                facts=facts,
            )
        )
    return result


@dataclass(frozen=True)
class HistoryRow:
    """One audit event, for the history list."""

    at: datetime
    actor: str
    entity: str
    ref: str
    field: str
    old: str | None
    new: str | None


def history(session: Session, ref: str) -> list[HistoryRow]:
    """The audit trail of an action (`PLAN/REF`) or of a whole plan (`PLAN`), newest first."""
    if "/" in ref:
        get_action(session, ref)
        where = AuditEvent.entity_ref == ref
    else:
        get_plan(session, ref)
        where = or_(AuditEvent.entity_ref == ref, AuditEvent.entity_ref.startswith(f"{ref}/"))
    events = session.scalars(select(AuditEvent).where(where).order_by(AuditEvent.id.desc()))
    return [
        HistoryRow(e.at, e.actor, e.entity, e.entity_ref, e.field, e.old_value, e.new_value)
        for e in events
    ]


def plan_doc(session: Session, slug: str) -> PlanDoc:
    """The plan as a plan file holds it."""
    plan = get_plan(session, slug)
    session.refresh(plan)
    recommendations = session.scalars(
        select(Recommendation)
        .where(Recommendation.plan_id == plan.id)
        .order_by(Recommendation.position)
        .options(
            selectinload(Recommendation.owners),
            selectinload(Recommendation.actions).selectinload(Action.evidence),
            selectinload(Recommendation.actions).selectinload(Action.updates),
        )
    ).all()
    ins = plan.inspection
    referenced: dict[int, Role] = {}
    for rec in recommendations:
        for owner in rec.owners:
            referenced.setdefault(owner.role_id, owner.role)
        for action in rec.actions:
            if action.owner_role is not None:
                referenced.setdefault(action.owner_role.id, action.owner_role)
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
        roles=[RoleDoc(r.name, r.aliases) for r in referenced.values()],
        inspection=InspectionDoc(
            area=ins.area,
            kind=ins.kind,
            published=ins.published,
            published_note=ins.published_note,
            fieldwork_start=ins.fieldwork_start,
            fieldwork_end=ins.fieldwork_end,
            source=ins.source,
            scores=[ScoreDoc(s.name, s.percent, s.improvement, s.rating) for s in ins.scores],
        ),
        recommendations=[
            RecommendationDoc(
                ref=rec.ref,
                text=rec.text,
                owners=[o.stated_as for o in rec.owners],
                response=rec.response,
                theme=rec.theme,
                actions=[_action_doc(a) for a in rec.actions],
            )
            for rec in recommendations
        ],
    )


def _action_doc(a: Action) -> ActionDoc:
    return ActionDoc(
        ref=a.ref,
        text=a.text,
        owner=a.owner_stated_as,
        lead=a.lead,
        start=a.start_on,
        target=a.target_on,
        status=a.status,
        progress=a.progress,
        success_measure=a.success_measure,
        completed=a.completed_on,
        impact_check=a.impact_check,
        brag_override=a.brag_override,
        brag_override_reason=a.brag_override_reason,
        updates=[UpdateDoc(u.on, u.author, u.text) for u in a.updates],
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
            for e in a.evidence
        ],
    )


def roles(session: Session) -> list[tuple[str, list[str]]]:
    """Every role with its aliases, by name."""
    found = session.scalars(select(Role).options(selectinload(Role.names)).order_by(Role.name))
    return [(r.name, r.aliases) for r in found]


def brag_counts_text(summary: rules.PlanSummary) -> str:
    """`R2 A3 G4 B1`: a plan's colours in the order a board reads them."""
    order = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)
    return " ".join(f"{c.value[0].upper()}{summary.counts.get(c, 0)}" for c in order)


@dataclass(frozen=True)
class ScoreRow:
    """A headline score or rating, as the plan header shows it."""

    name: str
    percent: int | None
    improvement: str | None
    rating: str | None

    def text(self) -> str:
        """`Safeguarding 79% MINIMUM` or `Leadership: Good`."""
        parts = [self.name]
        if self.percent is not None:
            parts.append(f"{self.percent}%")
        if self.improvement:
            parts.append(self.improvement)
        if self.rating:
            parts.append(self.rating)
        return " ".join(parts)


@dataclass(frozen=True)
class RecommendationRow:
    """A recommendation as the plan screen shows it."""

    ref: str
    text: str
    owners: list[str]
    response: str | None
    theme: str | None


@dataclass(frozen=True)
class PlanDetail:
    """Everything the plan screen shows: header, recommendations, and actions with colours."""

    id: str
    title: str | None
    area: str
    kind: InspectionKind
    published: date | None
    published_note: str | None
    submission_due: date | None
    status: PlanStatus
    steps: dict[PlanStatus, date | None]
    clock: str
    next_meeting: date | None
    scores: list[ScoreRow]
    recommendations: list[RecommendationRow]
    actions: list[ActionRow]
    summary: rules.PlanSummary


def plan_detail(session: Session, slug: str, today: date) -> PlanDetail:
    """The plan screen's data."""
    plan = get_plan(session, slug)
    ins = plan.inspection
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.plan_id == plan.id)
        .order_by(Recommendation.position)
        .options(selectinload(Recommendation.owners))
    ).all()
    actions = action_rows(session, today, plan=slug)
    summary = rules.summarise([a.facts for a in actions], today)
    meeting = None
    if plan.board_meetings:
        start = plan.board_meetings_start or ins.published or today
        meeting = rules.next_meeting(plan.board_meetings, start, today)
    return PlanDetail(
        id=plan.slug,
        title=plan.title,
        area=ins.area,
        kind=ins.kind,
        published=ins.published,
        published_note=ins.published_note,
        submission_due=rules.submission_due(ins.published),
        status=plan.status,
        steps={
            PlanStatus.SUBMITTED: plan.submitted_on,
            PlanStatus.AGREED: plan.agreed_on,
            PlanStatus.MONITORING: plan.forwarded_on,
            PlanStatus.CLOSED: plan.closed_on,
        },
        clock=rules.submission_clock(ins.published, plan.submitted_on, today),
        next_meeting=meeting,
        scores=[
            ScoreRow(
                s.name,
                s.percent,
                s.improvement.value if s.improvement else None,
                s.rating.value if s.rating else None,
            )
            for s in ins.scores
        ],
        recommendations=[
            RecommendationRow(
                r.ref,
                r.text,
                [o.stated_as for o in r.owners],
                r.response.value if r.response else None,
                r.theme,
            )
            for r in recs
        ],
        actions=actions,
        summary=summary,
    )


@dataclass(frozen=True)
class EvidenceRow:
    """A piece of evidence as the action screen lists it."""

    id: int
    title: str
    kind: str
    dated: date | None
    where: str
    sha256: str | None
    review: str
    reviewer: str | None
    review_comment: str | None
    added_by: str | None


@dataclass(frozen=True)
class ActionDetail:
    """Everything the action screen shows and edits."""

    row: ActionRow
    owner_stated_as: str | None
    success_measure: str | None
    completed: date | None
    impact_check: str | None
    brag_override: Brag | None
    brag_override_reason: str | None
    recommendation_text: str
    updates: list[tuple[date, str, str]]
    evidence: list[EvidenceRow]
    history: list[HistoryRow]


def action_detail(session: Session, ref: str, today: date) -> ActionDetail:
    """The action screen's data, read in one go."""
    action = get_action(session, ref)
    slug = ref.rpartition("/")[0]
    row = next(r for r in action_rows(session, today, plan=slug) if r.ref == action.ref)
    return ActionDetail(
        row=row,
        owner_stated_as=action.owner_stated_as,
        success_measure=action.success_measure,
        completed=action.completed_on,
        impact_check=action.impact_check,
        brag_override=action.brag_override,
        brag_override_reason=action.brag_override_reason,
        recommendation_text=action.recommendation.text,
        updates=[(u.on, u.author, u.text) for u in action.updates],
        evidence=[_evidence_row(e) for e in action.evidence],
        history=history(session, ref),
    )


def _evidence_row(e: Evidence) -> EvidenceRow:
    return EvidenceRow(
        e.id,
        e.title,
        e.kind.value,
        e.dated,
        e.reference or e.file_path or "",
        e.sha256,
        e.review.value,
        e.reviewer,
        e.review_comment,
        e.added_by,
    )


def evidence_of(session: Session, ref: str) -> list[EvidenceRow]:
    """An action's evidence, in the order it was added."""
    return [_evidence_row(e) for e in get_action(session, ref).evidence]


def role_names(session: Session) -> list[str]:
    """Every role's canonical name, for pickers."""
    return list(session.scalars(select(Role.name).order_by(Role.name)))
