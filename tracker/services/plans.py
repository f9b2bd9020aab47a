"""Plans: loading checked plan files (every plan or none) and recording lifecycle steps."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session

from tracker.errors import PlanFileError, ServiceError
from tracker.models import (
    Action,
    Evidence,
    Inspection,
    Plan,
    ProgressUpdate,
    Recommendation,
    RecommendationOwner,
    Score,
    utcnow,
)
from tracker.planfile import EvidenceDoc, PlanDoc
from tracker.queries.lookups import get_plan, plan_exists, row_ids_by_ref
from tracker.services._audit import audit, check_actor, check_days, require_editor
from tracker.services.roles import merge_role, resolve_role
from tracker.store import Store
from tracker.vocab import SUBMITTED_INCOMPLETE, PlanStatus, ReviewState, role_key

AS_STATED = "As stated in the file loaded, not a YJB decision"
"""How a review decision a plan file claims is kept when a manager loads it: in the evidence's
review comment, the evidence itself pending."""


def _as_stated(source: str, doc: PlanDoc) -> PlanDoc:
    """`doc` as a manager may load it: the YJB's decisions a file states are not taken as
    made. Evidence the file says was accepted or queried is loaded pending, what the file said
    (decision, reviewer, date, comment) kept in its review comment after `AS_STATED`; a plan
    the file says is closed is loaded at the last step it has a date for (`monitoring` with
    `forwarded`, ...; `draft` with none), its closing kept in the plan's notes the same way.
    Only the YJB closes a plan (`tracker --reviewer review sign-off PLAN`)."""
    changes: dict[str, Any] = {}
    if doc.status is PlanStatus.CLOSED or doc.closed is not None:
        # Loaded at the last step the file has a date for; the closing kept in the notes.
        reached = [
            (step, day)
            for step, day in (
                (PlanStatus.SUBMITTED, doc.submitted),
                (PlanStatus.AGREED, doc.agreed),
                (PlanStatus.MONITORING, doc.forwarded),
            )
            if day is not None
        ]
        status = doc.status
        if status is PlanStatus.CLOSED:
            status = reached[-1][0] if reached else PlanStatus.DRAFT
        said = f"{AS_STATED}: closed on {doc.closed}"
        changes.update(
            status=status,
            closed=None,
            notes=f"{doc.notes}\n\n{said}" if doc.notes else said,
        )

    def pending(ev: EvidenceDoc) -> EvidenceDoc:
        if ev.review is ReviewState.PENDING:
            return ev
        said = f"{AS_STATED}: {ev.review.value} by {ev.reviewer} on {ev.reviewed}"
        if ev.review_comment:
            said += f": {ev.review_comment}"
        return dataclasses.replace(
            ev, review=ReviewState.PENDING, reviewer=None, reviewed=None, review_comment=said
        )

    recs = [
        dataclasses.replace(
            rec,
            actions=[
                dataclasses.replace(act, evidence=[pending(e) for e in act.evidence])
                for act in rec.actions
            ],
        )
        for rec in doc.recommendations
    ]
    return dataclasses.replace(doc, recommendations=recs, **changes)


def _build_plan(session: Session, doc: PlanDoc, actor: str, role_ids: dict[str, int]) -> Plan:
    """Insert one checked plan. `role_ids` (role key to id) is shared by the plans of one load,
    so that each role is looked up once, not once per plan."""
    ins = doc.inspection
    inspection = Inspection(
        area=ins.area,
        kind=ins.kind,
        published=ins.published,
        published_note=ins.published_note,
        fieldwork_start=ins.fieldwork_start,
        fieldwork_end=ins.fieldwork_end,
        source=ins.source,
        scores=[
            Score(
                position=i,
                name=s.name,
                percent=s.percent,
                improvement=s.improvement,
                rating=s.rating,
            )
            for i, s in enumerate(ins.scores)
        ],
    )
    plan = Plan(
        slug=doc.id,
        inspection=inspection,
        title=doc.title,
        status=doc.status,
        submitted_on=doc.submitted,
        agreed_on=doc.agreed,
        forwarded_on=doc.forwarded,
        closed_on=doc.closed,
        board_meetings=doc.board_meetings,
        board_meetings_start=doc.board_meetings_start,
        notes=doc.notes,
        submitted_incomplete="\n".join(doc.submitted_incomplete) or None,
    )
    session.add(plan)
    session.flush()
    if doc.version is not None and doc.version != plan.version:
        # A dumped plan keeps the versions its rows had where it was dumped, so that dump,
        # load and dump again give the same file (the ORM numbers a new row 1 itself).
        plans = cast(Table, Plan.__table__)
        session.execute(update(plans).where(plans.c.id == plan.id).values(version=doc.version))
        session.expire(plan, ["version"])
    # The plan's many rows go in as Core executemany inserts, one statement per table: the
    # unit of work is for edits, and a national load has tens of thousands of rows.

    def role_id(name: str) -> int:
        key = role_key(name)
        if key not in role_ids:
            role_ids[key] = resolve_role(session, name, actor).id
        return role_ids[key]

    recs = doc.recommendations
    rec_ids = _insert_returning(
        session,
        Recommendation,
        [
            {
                "plan_id": plan.id,
                "position": r_pos,
                "ref": rec.ref,
                "text": rec.text,
                "response": rec.response,
                "response_reason": rec.response_reason,
                "theme": rec.theme,
                "withdrawn_on": rec.withdrawn,
                "withdrawn_reason": rec.withdrawn_reason,
                "version": rec.version or 1,
            }
            for r_pos, rec in enumerate(recs)
        ],
    )
    owners = [
        {"recommendation_id": rec_id, "position": o_pos, "role_id": role_id(o), "stated_as": o}
        for rec_id, rec in zip(rec_ids, recs, strict=True)
        for o_pos, o in enumerate(rec.owners)
    ]
    acts = [
        (rec_id, a_pos, act)
        for rec_id, rec in zip(rec_ids, recs, strict=True)
        for a_pos, act in enumerate(rec.actions)
    ]
    action_ids = _insert_returning(
        session,
        Action,
        [
            {
                "plan_id": plan.id,
                "recommendation_id": rec_id,
                "position": a_pos,
                "ref": act.ref,
                "text": act.text,
                "owner_role_id": role_id(act.owner) if act.owner else None,
                "owner_stated_as": act.owner,
                "lead": act.lead,
                "start_on": act.start,
                "target_on": act.target,
                "status": act.status,
                "progress": act.progress,
                "success_measure": act.success_measure,
                "completed_on": act.completed,
                "impact_check": act.impact_check,
                "brag_override": act.brag_override,
                "brag_override_reason": act.brag_override_reason,
                "withdrawn_on": act.withdrawn,
                "withdrawn_reason": act.withdrawn_reason,
                "version": act.version or 1,
            }
            for rec_id, a_pos, act in acts
        ],
    )
    now = utcnow()
    updates = [
        {"action_id": a_id, "on": u.date, "author": u.author, "text": u.text, "created_at": now}
        for a_id, (_, _, act) in zip(action_ids, acts, strict=True)
        for u in act.updates
    ]
    evidence = [
        {
            "action_id": a_id,
            "title": e.title,
            "kind": e.kind,
            "dated": e.date,
            "reference": e.reference,
            "file_path": e.file,
            "sha256": e.sha256,
            "size": e.size,
            "expires_on": e.expires,
            "review": e.review,
            "reviewer": e.reviewer,
            "reviewed_on": e.reviewed,
            "review_comment": e.review_comment,
            "added_by": actor,
            "added_at": now,
            "version": 1,
        }
        for a_id, (_, _, act) in zip(action_ids, acts, strict=True)
        for e in act.evidence
    ]
    _insert_all(session, RecommendationOwner, owners)
    _insert_all(session, ProgressUpdate, updates)
    _insert_all(session, Evidence, evidence)
    return plan


def _insert_all(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert rows in one Core executemany (no ORM objects, no RETURNING)."""
    if rows:
        session.execute(insert(model.__table__), rows)


def _insert_returning(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Insert one plan's rows (recommendations or actions) in one statement; their new ids, in
    the rows' order. The ids are read back by the rows' refs, unique in a plan: SQLite cannot
    promise RETURNING in the rows' order, so SQLAlchemy would send one row at a time."""
    if not rows:
        return []
    _insert_all(session, model, rows)
    ids = row_ids_by_ref(session, model, rows[0]["plan_id"])
    return [ids[row["ref"]] for row in rows]


def load_plans(
    store: Store,
    docs: Sequence[tuple[str, PlanDoc]],
    actor: str,
    *,
    decisions_from_file: bool = False,
) -> list[str]:
    """Load checked plan files (source name, plan) in one transaction: every plan or none.
    A plan whose id is already in the database is refused. Returns the plans' ids.

    A file's word is not the YJB's: the evidence reviews it states are loaded pending, kept
    "as stated" in the review comment, and a closed plan is loaded open, its closing "as
    stated" in its notes (`_as_stated`).
    `decisions_from_file` takes them as they are, for files the tracker itself vouches for
    (its own sample plans, in the demo and the tests), never for a user's file."""
    require_editor(store)
    check_actor(actor)
    if not decisions_from_file:
        docs = [(source, _as_stated(source, doc)) for source, doc in docs]
    ids = [doc.id for _, doc in docs]
    for source, doc in docs:
        if ids.count(doc.id) > 1:
            raise PlanFileError(f"{source}: id", f"plan {doc.id!r} is given more than once")
    role_ids: dict[str, int] = {}
    with store.write() as session:
        for source, doc in docs:
            if plan_exists(session, doc.id):
                raise PlanFileError(f"{source}: id", f"plan {doc.id!r} is already in the database")
            try:
                for role_doc in doc.roles:
                    merge_role(session, role_doc, actor)
                plan = _build_plan(session, doc, actor, role_ids)
            except ServiceError as exc:
                raise PlanFileError(source, str(exc)) from None
            audit(session, actor, "plan", plan.id, doc.id, "loaded", None, source, plan.version)
    return ids


# Lifecycle ----------------------------------------------------------------------------------------

STEP_FIELD = {
    PlanStatus.SUBMITTED: "submitted_on",
    PlanStatus.AGREED: "agreed_on",
    PlanStatus.MONITORING: "forwarded_on",
    PlanStatus.CLOSED: "closed_on",
}
_ORDER = list(PlanStatus)


class NotReady(ServiceError):
    """A plan recorded as submitted while something stands between it and ready: the message
    lists each gap; `gaps` holds them and `summary` the checklist's line. Nothing was saved."""

    def __init__(self, slug: str, summary: str, gaps: list[str]) -> None:
        super().__init__(
            f"plan {slug} is not ready to submit ({summary}): {'; '.join(gaps)}. "
            "Fix these, or record that it went in incomplete (--anyway)."
        )
        self.slug = slug
        self.summary = summary
        self.gaps = gaps


def record_step(
    store: Store, slug: str, step: PlanStatus, on: date, actor: str, *, anyway: bool = False
) -> None:
    """Move a plan to the lifecycle step `step` on the date `on` (submitted to HMIP, agreed,
    forwarded to the YJB for monitoring). Steps go forward only, with dates in order; closing
    is the YJB's sign-off (`tracker.services.review.sign_off_plan`). A plan that is not ready
    to submit (`tracker.rules.readiness`) is refused as submitted with its gaps (`NotReady`),
    unless `anyway`: then it is recorded as submitted incomplete, with what it lacked."""
    from tracker.services.authoring import readiness_in

    require_editor(store)
    check_actor(actor)
    check_days(on=on)
    if step is PlanStatus.DRAFT:
        raise ServiceError("a plan cannot go back to draft")
    if step is PlanStatus.CLOSED:
        raise ServiceError(
            "closing a plan is the YJB's sign-off: `tracker --reviewer review sign-off PLAN`"
        )
    with store.write() as session:
        plan = get_plan(session, slug)
        if _ORDER.index(step) <= _ORDER.index(plan.status):
            raise ServiceError(f"plan {slug} is already {plan.status.value}")
        for earlier in _ORDER[1 : _ORDER.index(step)]:
            earlier_on = getattr(plan, STEP_FIELD[earlier])
            if earlier_on is not None and on < earlier_on:
                raise ServiceError(f"{on} is before the plan was {earlier.value} ({earlier_on})")
        incomplete = None
        if step is PlanStatus.SUBMITTED:
            ready = readiness_in(session, plan)
            if not ready.ready:
                gaps = [g.message for g in ready.gaps]
                if not anyway:
                    raise NotReady(slug, ready.summary(), gaps)
                incomplete = "\n".join(gaps)
        field = STEP_FIELD[step]
        old_status = plan.status
        setattr(plan, field, on)
        plan.status = step
        if incomplete is not None:
            plan.submitted_incomplete = incomplete
        session.flush()
        audit(session, actor, "plan", plan.id, slug, field, None, on, plan.version)
        audit(session, actor, "plan", plan.id, slug, "status", old_status, step, plan.version)
        if incomplete is not None:
            audit(
                session,
                actor,
                "plan",
                plan.id,
                slug,
                SUBMITTED_INCOMPLETE,
                None,
                incomplete.replace("\n", "; "),
                plan.version,
            )
