"""The YJB's side of the write path: review evidence, sign off recommendations and plans,
withdraw a recommendation's sign-off (what these record is read by
`tracker.queries.plan.sign_offs`).

One function per use-case, one transaction, audited, as in every service. Only a store opened
for a reviewer may call these, and a reviewer may call nothing else that writes: the other
services refuse plan content changes from a reviewer's store, these refuse a manager's. Nobody
reviews or signs off their own work (`authors`: who wrote or changed the content, never who
loaded it). What a sign-off covers is then read-only (`tracker.services.actions.check_open`).
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from tracker import rules
from tracker.errors import ServiceError
from tracker.models import Action, Recommendation, SignOff
from tracker.names import same_person as same_person  # re-exported (services.same_person)
from tracker.queries.lookups import (
    get_evidence,
    get_plan,
    get_recommendation,
    sign_off_of,
    signed_recommendation_ids,
    writers,
)
from tracker.services._audit import audit, check_look_alike, check_text, require_reviewer
from tracker.services.actions import check_open
from tracker.store import Store
from tracker.vocab import BOARD_REPORT_FIELD, ActionStatus, PlanStatus, ReviewState

REVIEW_FIELDS = ("evidence review", "sign-off")
"""Audit fields a reviewer writes; they do not make the reviewer an author of the work."""

NOT_AUTHORSHIP = (*REVIEW_FIELDS, "loaded", BOARD_REPORT_FIELD)
"""Audit fields that change no content: the YJB's own review, loading a plan file (whoever
loads a plan a service sent did not write it) and issuing a board report."""


def _facts(action: Action) -> rules.ActionFacts:
    return rules.ActionFacts(
        action.status,
        action.target_on,
        action.start_on,
        action.progress,
        tuple(rules.EvidenceFacts(e.review, e.expires_on) for e in action.evidence),
        action.brag_override,
    )


def authors(session: Session, slug: str, action_ids: list[int] | None = None) -> set[str]:
    """Everyone whose work the content of plan `slug` is (folded with `same_person`): who
    changed an action, added its evidence or wrote a progress note through the tracker (the
    audit trail), and who wrote a progress note in the plan file it was loaded from (the
    notes' authors). With `action_ids`, those actions only; else the whole plan, with its
    lifecycle steps. Loading the plan, issuing board reports and the YJB's own reviews are
    not authorship (`NOT_AUTHORSHIP`)."""
    names = writers(session, slug, action_ids, NOT_AUTHORSHIP)
    return {same_person(n) for n in names}


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
        check_text(comment, "the comment")
    if decision is ReviewState.QUERIED and not (comment or "").strip():
        raise ServiceError("say what is queried: add a comment")
    with store.write() as session:
        evidence = get_evidence(session, evidence_id)
        if evidence is None:
            raise ServiceError(f"no evidence {evidence_id} (see `tracker evidence list ACTION`)")
        action = evidence.action
        ref = f"{action.plan.slug}/{action.ref}"
        check_open(session, action, "its evidence cannot be reviewed again")
        check_look_alike(session, actor)
        if same_person(actor) in authors(session, action.plan.slug, [action.id]):
            raise ServiceError(f"{actor} worked on {ref}: nobody reviews their own work")
        old = evidence.review
        evidence.review = decision
        evidence.reviewer = actor
        evidence.reviewed_on = today
        evidence.review_comment = comment
        session.flush()
        audit(
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
        rec = get_recommendation(session, found, ref)
        if rec.id in signed_recommendation_ids(session, found):
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
        check_look_alike(session, actor)
        if same_person(actor) in authors(session, plan, [a.id for a in rec.actions]):
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
        audit(
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
        check_look_alike(session, actor)
        if same_person(actor) in authors(session, plan):
            raise ServiceError(f"{actor} worked on plan {plan}: nobody signs off their own work")
        signed = signed_recommendation_ids(session, found)
        missing = [r.ref for r in found.recommendations if r.id not in signed]
        if missing:
            raise ServiceError(
                f"sign off every recommendation first: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not signed off"
            )
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
        audit(
            session, actor, "plan", found.id, plan, "sign-off", None, "plan closed", found.version
        )
        audit(
            session, actor, "plan", found.id, plan, "status", old, PlanStatus.CLOSED, found.version
        )


def withdraw_sign_off(store: Store, plan: str, ref: str, actor: str, comment: str) -> None:
    """Withdraw the sign-off of recommendation `ref` as implemented (say why), so that its
    actions can change again. A closed plan's sign-offs stand: closing is final."""
    require_reviewer(store)
    check_text(comment, "the comment", required=True)
    with store.write() as session:
        found = get_plan(session, plan)
        if found.status is PlanStatus.CLOSED:
            raise ServiceError(f"plan {plan} is closed: its sign-offs stand")
        signed = sign_off_of(session, found, ref)
        if signed is None:
            raise ServiceError(f"recommendation {ref} of {plan} is not signed off")
        was = f"recommendation {ref} implemented ({signed.signed_by}, {signed.signed_at:%Y-%m-%d})"
        session.delete(signed)
        audit(
            session,
            actor,
            "plan",
            found.id,
            plan,
            "sign-off",
            was,
            f"withdrawn: {comment}",
            found.version,
        )
