"""A busy database, and what each read of tracker.queries should give on it, worked out the
slow, obvious way: from the ORM objects (`session.scalars(select(Model))`), in Python, without
the reads' SQL. tests/store/test_read_agreement.py holds the SQL to it on every executor.

The orders are Python's: on PostgreSQL they assume a C collation (the test cluster's, as
.ci/run makes it), where text sorts by code point as it does on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import TODAY
from tests.support.signoffs import OFFICER, PLAN, sign_off_4
from tracker import rules, services
from tracker.models import (
    Action,
    AuditEvent,
    BoardReport,
    Evidence,
    Inspection,
    Plan,
    ProgressUpdate,
    Recommendation,
    RecommendationOwner,
    Role,
    RoleName,
    Score,
    SignOff,
    utcnow,
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
from tracker.queries.action import ActionDetail, EvidenceFile, EvidenceRow, HistoryRow
from tracker.queries.exports import (
    ActionInfo,
    AuditedChange,
    EvidenceItem,
    Note,
    PlanData,
    PortfolioRow,
)
from tracker.queries.lists import ActionRow, PlanRow
from tracker.queries.plan import PlanDetail, RecommendationRow, ScoreRow, SignOffRow
from tracker.services import ActionChanges, record_board_report
from tracker.store import Store
from tracker.vocab import ActionStatus, Brag, PlanStatus, ReviewState, role_key

LEAD = "Miriam Robertson"


def make_busy(store: Store, reviewer: Store, folder: Path) -> None:
    """The samples with all that the reads show beyond a loaded plan: two board reports (the
    later one first), then edits, a progress note, evidence as a reference and as a file, one
    piece expiring today (the only one of a complete action: Blue today, Amber tomorrow) and
    one expired, a BRAG override, an owner named by an alias, two recommendations signed off
    (4, then 2) and a piece of evidence queried."""
    record_board_report(store, PLAN, LEAD, "md")
    record_board_report(store, PLAN, LEAD, "html", issued_at=utcnow() - timedelta(days=2))
    services.update_action(
        store, f"{PLAN}/3.2", LEAD, TODAY, ActionChanges(progress=60), note="Panel met"
    )
    services.add_evidence(store, f"{PLAN}/3.2", LEAD, "Panel minutes", reference="MIN/9")
    minutes = folder / "minutes.txt"
    minutes.write_text("Minutes of the panel, 14 September 2010\n")
    services.add_evidence(store, f"{PLAN}/2.2", LEAD, "Scanned minutes", file=minutes, dated=TODAY)
    services.add_evidence(
        store, f"{PLAN}/1.3", LEAD, "Clinic pack", reference="PACK/7", expires=TODAY
    )
    services.add_evidence(
        store, f"{PLAN}/3.1", LEAD, "Old audit", reference="QA/2009", expires=date(2010, 9, 1)
    )
    services.update_action(
        store,
        f"{PLAN}/3.3",
        LEAD,
        TODAY,
        ActionChanges(brag_override=Brag.AMBER, brag_override_reason="Clinic rebooked"),
    )
    services.update_action(
        store,
        f"{PLAN}/1.3",
        LEAD,
        TODAY,
        ActionChanges(owner="chair of the  YOS management board", lead="Pat Lee"),
    )
    services.add_note(store, f"{PLAN}/1.3", LEAD, TODAY, "Handed to the board")
    sign_off_4(store, reviewer)
    services.update_action(
        store, f"{PLAN}/2.2", LEAD, TODAY, ActionChanges(status=ActionStatus.COMPLETE)
    )
    services.sign_off_recommendation(reviewer, PLAN, "2", OFFICER, TODAY)
    with store.read() as session:
        queried = session.scalar(select(Evidence.id).where(Evidence.reference == "MIN/9"))
    assert queried is not None
    services.review_evidence(
        reviewer, queried, OFFICER, ReviewState.QUERIED, TODAY, comment="Undated"
    )


def _plan(session: Session, slug: str) -> Plan:
    return session.scalars(select(Plan).where(Plan.slug == slug)).one()


def _by_position(rows: Iterable[Recommendation]) -> list[Recommendation]:
    return sorted(rows, key=lambda r: (r.position, r.id))


def _recommendations(session: Session, plan: Plan) -> list[Recommendation]:
    return _by_position(
        session.scalars(select(Recommendation).where(Recommendation.plan_id == plan.id))
    )


def _actions_of(session: Session, recommendation: Recommendation) -> list[Action]:
    found = session.scalars(select(Action).where(Action.recommendation_id == recommendation.id))
    return sorted(found, key=lambda a: (a.position, a.id))


def _evidence_of(session: Session, action: Action) -> list[Evidence]:
    found = session.scalars(select(Evidence).where(Evidence.action_id == action.id))
    return sorted(found, key=lambda e: e.id)


def _notes_of(session: Session, action: Action) -> list[ProgressUpdate]:
    found = session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == action.id))
    return sorted(found, key=lambda u: (u.on, u.id))


def _role(session: Session, role_id: int | None) -> Role | None:
    return None if role_id is None else session.get(Role, role_id)


def _aliases(session: Session, role: Role) -> list[str]:
    names = session.scalars(select(RoleName).where(RoleName.role_id == role.id))
    return [n.name for n in sorted(names, key=lambda n: n.id) if n.name != role.name]


def _facts(session: Session, action: Action, today: date) -> tuple[rules.ActionFacts, bool]:
    """The rule's facts from every piece of evidence, and whether some counts today."""
    evidence = tuple(
        rules.EvidenceFacts(e.review, e.expires_on) for e in _evidence_of(session, action)
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


def action_row(session: Session, action: Action, today: date) -> ActionRow:
    """One action as the actions list should show it."""
    plan = session.get(Plan, action.plan_id)
    recommendation = session.get(Recommendation, action.recommendation_id)
    assert plan is not None and recommendation is not None
    full, evidenced = _facts(session, action, today)
    owner = _role(session, action.owner_role_id)
    notes = _notes_of(session, action)
    return ActionRow(
        id=f"{plan.slug}/{action.ref}",
        plan=plan.slug,
        recommendation=recommendation.ref,
        ref=action.ref,
        text=action.text,
        owner=None if owner is None else owner.name,
        lead=action.lead,
        start=action.start_on,
        target=action.target_on,
        status=action.status,
        progress=action.progress,
        brag=rules.brag(full, today),
        overdue=rules.is_overdue(full, today),
        evidence=len(full.evidence),
        version=action.version,
        last_update=max((u.on for u in notes), default=None),
        facts=rules.ActionFacts(
            action.status,
            action.target_on,
            action.start_on,
            action.progress,
            override=action.brag_override,
            evidenced=evidenced,
        ),
    )


def _plan_actions(session: Session, plan: Plan) -> list[Action]:
    return [a for r in _recommendations(session, plan) for a in _actions_of(session, r)]


def action_rows(
    session: Session,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    ref: str | None = None,
) -> list[ActionRow]:
    """The actions list with its filters, each said as plainly as it can be."""
    found = []
    for each in sorted(session.scalars(select(Plan)), key=lambda p: p.slug):
        if plan is not None and each.slug != plan:
            continue
        for action in _plan_actions(session, each):
            row = action_row(session, action, today)
            unfinished = action.status is not ActionStatus.COMPLETE
            role = _role(session, action.owner_role_id)
            keys = set() if role is None else {n.key for n in role.names}
            if (
                (ref is not None and action.ref != ref)
                or (owner is not None and role_key(owner) not in keys)
                or (status is not None and action.status is not status)
                or (overdue and not row.overdue)
                or (
                    due_within is not None
                    and not (
                        unfinished
                        and action.target_on is not None
                        and action.target_on <= today + timedelta(days=due_within)
                    )
                )
            ):
                continue
            found.append(row)
    return found


def plan_rows(session: Session, today: date) -> list[PlanRow]:
    """The plans list: drafts by their due date first, then the rest by most overdue actions,
    then by id."""
    found = []
    for plan in session.scalars(select(Plan)):
        inspection = session.get(Inspection, plan.inspection_id)
        assert inspection is not None
        facts = [_facts(session, a, today)[0] for a in _plan_actions(session, plan)]
        found.append(
            PlanRow(
                id=plan.slug,
                area=inspection.area,
                kind=inspection.kind,
                published=inspection.published,
                submission_due=rules.submission_due(inspection.published),
                status=plan.status,
                submitted=plan.submitted_on,
                summary=rules.summarise(facts, today),
            )
        )
    drafts = [r for r in found if r.status is PlanStatus.DRAFT]
    others = [r for r in found if r.status is not PlanStatus.DRAFT]
    drafts.sort(key=lambda r: (r.submission_due or date.max, -r.summary.overdue, r.id))
    others.sort(key=lambda r: (-r.summary.overdue, r.id))
    return drafts + others


def plan_detail(session: Session, slug: str, today: date) -> PlanDetail:
    """The plan screen's data."""
    plan = _plan(session, slug)
    inspection = session.get(Inspection, plan.inspection_id)
    assert inspection is not None
    scores = sorted(
        session.scalars(select(Score).where(Score.inspection_id == inspection.id)),
        key=lambda s: (s.position, s.id),
    )
    recommendations = []
    for rec in _recommendations(session, plan):
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
            )
        )
    actions = action_rows(session, today, plan=slug)
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
        recommendations=recommendations,
        actions=actions,
        summary=rules.summarise([a.facts for a in actions], today),
        version=plan.version,
    )


def sign_offs(session: Session, slug: str) -> list[SignOffRow]:
    """A plan's sign-offs, oldest first."""
    plan = _plan(session, slug)
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


def _action(session: Session, ref: str) -> Action:
    slug, _, action_ref = ref.rpartition("/")
    plan = _plan(session, slug)
    return session.scalars(
        select(Action).where(Action.plan_id == plan.id, Action.ref == action_ref)
    ).one()


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
        for e in _evidence_of(session, _action(session, ref))
    ]


def history(session: Session, ref: str) -> list[HistoryRow]:
    """The audit trail of an action or a plan (everything in it), newest first."""
    events = session.scalars(select(AuditEvent)).all()
    if "/" in ref:
        mine = [e for e in events if e.entity_ref == ref]
    else:
        mine = [e for e in events if e.entity_ref == ref or e.entity_ref.startswith(f"{ref}/")]
    return [
        HistoryRow(e.at, e.actor, e.entity, e.entity_ref, e.field, e.old_value, e.new_value)
        for e in sorted(mine, key=lambda e: e.id, reverse=True)
    ]


def action_detail(session: Session, ref: str, today: date) -> ActionDetail:
    """The action screen's data."""
    action = _action(session, ref)
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
        updates=[(u.on, u.author, u.text) for u in _notes_of(session, action)],
        evidence=evidence_of(session, ref),
        history=history(session, ref),
    )


def evidence_files(session: Session, plan: str | None = None) -> list[EvidenceFile]:
    """Evidence kept as files, of one plan or of all."""
    found = []
    for e in session.scalars(select(Evidence).where(Evidence.file_path.is_not(None))):
        action = session.get(Action, e.action_id)
        assert action is not None and e.file_path is not None
        slug = _plan_slug(session, action)
        if plan is None or slug == plan:
            found.append((slug, action.ref, e.id, e))
    return [
        EvidenceFile(f"{slug}/{ref}", e.id, e.title, e.file_path, e.sha256, e.size)
        for slug, ref, _, e in sorted(found, key=lambda f: f[:3])
    ]


def _plan_slug(session: Session, action: Action) -> str:
    plan = session.get(Plan, action.plan_id)
    assert plan is not None
    return plan.slug


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
        action = _action(session, row.id)
        recommendation = session.get(Recommendation, action.recommendation_id)
        assert recommendation is not None
        notes = _notes_of(session, action)
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
                    for e in _evidence_of(session, action)
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
        plan = _plan(session, row.id)
        evidence = [e for a in _plan_actions(session, plan) for e in _evidence_of(session, a)]
        signed = session.scalars(select(SignOff).where(SignOff.plan_id == plan.id)).all()
        rows.append(
            PortfolioRow(
                plan=row,
                clock=rules.submission_clock(row.published, row.submitted, today),
                awaiting_review=sum(e.review is ReviewState.PENDING for e in evidence),
                recommendations=len(_recommendations(session, plan)),
                signed_off=sum(s.recommendation_id is not None for s in signed),
            )
        )
    return rows


def last_board_report(session: Session, slug: str) -> datetime | None:
    """When the latest board report of a plan was issued."""
    plan = _plan(session, slug)
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
        found.append(AuditedChange(e.at, e.actor, ref, e.field, e.old_value, e.new_value))
    return found


def plan_doc(session: Session, slug: str) -> PlanDoc:
    """A plan whole, as a plan file holds it; its roles in the order the plan first names
    each (a recommendation's owners, then its actions' owners)."""
    plan = _plan(session, slug)
    inspection = session.get(Inspection, plan.inspection_id)
    assert inspection is not None
    referenced: dict[int, RoleDoc] = {}

    def name(role_id: int | None) -> None:
        role = _role(session, role_id)
        if role is not None and role.id not in referenced:
            referenced[role.id] = RoleDoc(role.name, _aliases(session, role))

    recommendations = []
    for rec in _recommendations(session, plan):
        owners = sorted(
            session.scalars(
                select(RecommendationOwner).where(RecommendationOwner.recommendation_id == rec.id)
            ),
            key=lambda o: (o.position, o.id),
        )
        for owner in owners:
            name(owner.role_id)
        actions = []
        for action in _actions_of(session, rec):
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
                    updates=[UpdateDoc(u.on, u.author, u.text) for u in _notes_of(session, action)],
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
                        for e in _evidence_of(session, action)
                    ],
                )
            )
        recommendations.append(
            RecommendationDoc(
                ref=rec.ref,
                text=rec.text,
                owners=[o.stated_as for o in owners],
                response=rec.response,
                theme=rec.theme,
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


def roles(session: Session) -> list[tuple[str, list[str]]]:
    """Every role with its aliases, by name."""
    found = sorted(session.scalars(select(Role)), key=lambda r: (r.name, r.id))
    return [(r.name, _aliases(session, r)) for r in found]


def known_role_names(session: Session) -> list[str]:
    """Every name and alias, in the order they were added."""
    return [n.name for n in sorted(session.scalars(select(RoleName)), key=lambda n: n.id)]


def role_called(session: Session, name: str) -> str | None:
    """The canonical name of the role that goes by `name` (case and spacing forgiven)."""
    by_key: dict[str, str] = {}
    for each in session.scalars(select(RoleName)):
        role = session.get(Role, each.role_id)
        assert role is not None
        by_key[each.key] = role.name
    return by_key.get(role_key(name))
