"""Every read the CLI, the screens and the exports need, shaped for them.

The plans and actions lists are `tracker.listing`'s SQL (no ORM objects to hydrate, and the
same text the light reads send without SQLAlchemy); a single plan is read through the ORM when
it is written back out as a plan file. "Today" is an argument, as in `rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session, selectinload

from tracker import listing, reads
from tracker.listing import ActionRow as ActionRow  # re-exported: the lists' rows
from tracker.listing import PlanRow as PlanRow
from tracker.models import (
    Action,
    AuditEvent,
    Evidence,
    Recommendation,
    Role,
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
from tracker.reads import PlanDetail as PlanDetail  # re-exported: one plan's rows
from tracker.reads import RecommendationRow as RecommendationRow
from tracker.reads import ScoreRow as ScoreRow
from tracker.services import get_action, get_plan
from tracker.store import Store
from tracker.vocab import ActionStatus, Brag


class SessionReader:
    """A `tracker.listing.Reader` on a session: the light reads' SQL sent through SQLAlchemy,
    so that PostgreSQL (and a session in the middle of its work) gets the same rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self, sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]:
        sent = dict(params)
        if self.session.get_bind().dialect.name == "sqlite":
            sent = listing.sqlite_params(params)  # a timestamp as SQLAlchemy stores it there
        return self.session.execute(text(sql), sent)


@contextmanager
def store_reader(store: Store) -> Iterator[SessionReader]:
    """A reader for the lists on a read session of `store` (`tracker.listing.reader`)."""
    with store.read() as session:
        yield SessionReader(session)


def plan_rows(session: Session, today: date) -> list[PlanRow]:
    """Every plan with its clock and BRAG summary, most urgent first
    (`tracker.listing.plan_rows`)."""
    return listing.plan_rows(SessionReader(session), today)


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
    """Actions, filtered, in plan and ref order (`tracker.listing.action_rows`)."""
    return listing.action_rows(
        SessionReader(session),
        today,
        plan=plan,
        owner=owner,
        status=status,
        overdue=overdue,
        due_within=due_within,
    )


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


def plan_detail(session: Session, slug: str, today: date) -> PlanDetail:
    """The plan screen's data (`tracker.reads.plan_detail`)."""
    return reads.plan_detail(SessionReader(session), slug, today)


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
