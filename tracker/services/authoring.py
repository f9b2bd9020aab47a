"""Writing a plan: adding actions and recommendations, editing a recommendation and the plan's
own details, withdrawing and restoring (nothing in a plan is ever deleted), and starting a plan
without a report to import.

Every use-case is one transaction, audited field by field, and checked against the version the
editor read (`expected_version`): a newer stored version is a `ConflictError` naming what
changed since, and nothing is saved. A reviewer's store refuses all of it (`require_editor`),
and so does a closed plan or a recommendation the YJB has signed off (`check_open`).

Each write also has an `_in` form (`add_action_in`, `edit_plan_in`, ...) that does the same
inside a transaction its caller holds, so that several make one change: `plan_update` applies
a whole plan file that way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from tracker import rules
from tracker.errors import ConflictError, NothingToChange, ServiceError
from tracker.models import (
    Action,
    Inspection,
    Plan,
    Recommendation,
    RecommendationOwner,
    Score,
)
from tracker.planfile import FORMAT_VERSION, MAX_INT, MAX_TEXT, PLAN_ID, InspectionDoc, PlanDoc
from tracker.queries.lookups import (
    changes_after,
    get_action,
    get_plan,
    get_recommendation,
    plan_exists,
    recommendation_sign_off,
)
from tracker.services._audit import SHORT_TEXT, audit, check_actor, check_text, require_editor
from tracker.services.actions import check_open
from tracker.services.refs import next_action_ref, next_recommendation_ref
from tracker.services.roles import resolve_role
from tracker.store import Store
from tracker.vocab import (
    ActionStatus,
    Improvement,
    InspectionKind,
    PlanStatus,
    Rating,
    Response,
)

_AGREED_OR_LATER = (PlanStatus.AGREED, PlanStatus.MONITORING, PlanStatus.CLOSED)


class NeedsConfirmation(ServiceError):
    """A change that the user must confirm first (the message says why); nothing was saved.
    Repeat it with `confirmed=True` (the CLI's `--yes`)."""


# Shared -----------------------------------------------------------------------------------------


def _check_version(expected: int | None) -> None:
    if expected is not None and not 0 <= expected <= MAX_INT:
        raise ServiceError(f"{expected} is not a version a row can have")


def _conflict(session: Session, entity: str, row: Any, ref: str, expected: int) -> ConflictError:
    changes = changes_after(session, entity, row.id, expected)
    said = "; ".join(
        f"{e.field}: {e.old_value or '(none)'} -> {e.new_value or '(none)'} by {e.actor}"
        for e in changes
    )
    return ConflictError(
        f"{entity} {ref} was changed by someone else since you opened it (your version "
        f"{expected}, now {row.version}): {said or 'see tracker history'}. Nothing was saved.",
        row.version,
        changes,
    )


def _flush(session: Session, entity: str, row: Any, ref: str, version: int) -> None:
    """Write the row; another editor's save between our read and our write is a conflict."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _conflict(session, entity, row, ref, version) from None


def _reason(reason: str) -> str:
    return check_text(reason, "the reason", required=True).strip()


def split_recommendation_ref(ref: str) -> tuple[str, str]:
    """`stockton-2010/3` -> (`stockton-2010`, `3`)."""
    plan, sep, rec = ref.strip().rpartition("/")
    if not sep or not plan or not rec:
        raise ServiceError(
            f"{ref!r} is not a recommendation id: write PLAN/REC, e.g. stockton-2010/3"
        )
    return plan, rec


def _open_recommendation(session: Session, ref: str) -> tuple[Plan, Recommendation]:
    slug, rec_ref = split_recommendation_ref(ref)
    plan = get_plan(session, slug)
    rec = get_recommendation(session, plan, rec_ref)
    _check_plan_open(session, plan)
    signed = recommendation_sign_off(session, rec.id)
    if signed is not None:
        raise ServiceError(
            f"recommendation {rec.ref} of {plan.slug} was signed off as implemented on "
            f"{signed.signed_at:%Y-%m-%d} by {signed.signed_by}: it cannot change unless the "
            f"YJB withdraws the sign-off"
        )
    return plan, rec


def _check_plan_open(session: Session, plan: Plan) -> None:
    if plan.status is PlanStatus.CLOSED:
        on = "" if plan.closed_on is None else f" on {plan.closed_on.isoformat()}"
        raise ServiceError(f"plan {plan.slug} was closed{on}: its content cannot change")


def _roles_named(session: Session, names: Sequence[str], actor: str) -> list[tuple[int, str]]:
    """Each owner name as (role id, the words given), in order, each role once."""
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    for name in names:
        clean = check_text(name, "owner role", required=True, most=SHORT_TEXT).strip()
        role = resolve_role(session, clean, actor)
        if role.id not in seen:
            seen.add(role.id)
            found.append((role.id, clean))
    return found


# Actions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAction:
    """An action to add under a recommendation. `lead_role` is a role's name or alias (a new
    name becomes a new role); `lead` the named person."""

    text: str
    lead_role: str | None = None
    lead: str | None = None
    start_on: date | None = None
    target_on: date | None = None
    success_measure: str | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED


def add_action(store: Store, rec: str, actor: str, today: date, new: NewAction) -> str:
    """Add an action under recommendation `rec` (`PLAN/REC`); its ref is the next free number
    under the recommendation. Returns the action's id (`PLAN/REF`)."""
    require_editor(store)
    check_actor(actor)
    checked = _checked_action(new)
    with store.write() as session:
        return add_action_in(session, rec, actor, checked)


def _checked_action(new: NewAction) -> NewAction:
    """`new` with its text checked and trimmed; a ServiceError says what is wrong."""
    text = check_text(new.text, "the action", required=True).strip()
    lead = None
    if new.lead is not None:
        lead = check_text(new.lead, "the lead", most=SHORT_TEXT).strip() or None
    measure = None
    if new.success_measure is not None:
        measure = check_text(new.success_measure, "the success measure").strip() or None
    if new.start_on and new.target_on and new.target_on < new.start_on:
        raise ServiceError(
            f"the target date {new.target_on} is before the start date {new.start_on}"
        )
    if new.status is ActionStatus.COMPLETE:
        raise ServiceError("a new action cannot start complete: add it, then record its progress")
    return replace(new, text=text, lead=lead, success_measure=measure)


def add_action_in(session: Session, rec: str, actor: str, new: NewAction) -> str:
    """`add_action` inside a transaction the caller holds (it checks `new` again)."""
    new = _checked_action(new)
    text, lead, measure = new.text, new.lead, new.success_measure
    plan, recommendation = _open_recommendation(session, rec)
    if recommendation.withdrawn_on is not None:
        raise ServiceError(
            f"recommendation {recommendation.ref} of {plan.slug} is withdrawn: restore it first"
        )
    taken = list(session.scalars(select(Action.ref).where(Action.plan_id == plan.id)))
    ref = next_action_ref(recommendation.ref, taken)
    role_id = stated = None
    if new.lead_role is not None and new.lead_role.strip():
        stated = check_text(new.lead_role, "the lead role", most=SHORT_TEXT).strip()
        role_id = resolve_role(session, stated, actor).id
    position = max((a.position for a in recommendation.actions), default=-1) + 1
    action = Action(
        plan_id=plan.id,
        recommendation=recommendation,
        position=position,
        ref=ref,
        text=text,
        owner_role_id=role_id,
        owner_stated_as=stated,
        lead=lead,
        start_on=new.start_on,
        target_on=new.target_on,
        status=new.status,
        progress=0,
        success_measure=measure,
    )
    session.add(action)
    session.flush()
    full = f"{plan.slug}/{ref}"
    values = {
        "text": text,
        "owner": stated,
        "lead": lead,
        "start_on": new.start_on,
        "target_on": new.target_on,
        "status": new.status,
        "success_measure": measure,
    }
    audit(session, actor, "action", action.id, full, "added", None, recommendation.ref, 1)
    for name, value in values.items():
        if value is not None:
            audit(session, actor, "action", action.id, full, name, None, value, 1)
    return full


def _set_withdrawn(
    session: Session,
    row: Action | Recommendation,
    entity: str,
    ref: str,
    actor: str,
    on: date | None,
    reason: str | None,
) -> None:
    old_on, old_reason = row.withdrawn_on, row.withdrawn_reason
    row.withdrawn_on = on
    row.withdrawn_reason = reason
    version = row.version
    _flush(session, entity, row, ref, version)
    audit(session, actor, entity, row.id, ref, "withdrawn_on", old_on, on, row.version)
    audit(session, actor, entity, row.id, ref, "withdrawn_reason", old_reason, reason, row.version)


def withdraw_action(
    store: Store,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    *,
    expected_version: int | None = None,
) -> int:
    """Withdraw an action (`PLAN/REF`) with a reason: it leaves every count, colour, export and
    digest, and stays in the history and in `tracker actions --all`. Undo with
    `restore_action`. Returns its new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    why = _reason(reason)
    with store.write() as session:
        return withdraw_action_in(session, ref, actor, today, why, expected_version)


def withdraw_action_in(
    session: Session,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """`withdraw_action` inside a transaction the caller holds."""
    _check_version(expected_version)
    why = _reason(reason)
    action = get_action(session, ref)
    check_open(session, action, "its actions cannot be withdrawn")
    if expected_version is not None and action.version != expected_version:
        raise _conflict(session, "action", action, ref, expected_version)
    if action.withdrawn_on is not None:
        raise NothingToChange(
            f"action {ref} was already withdrawn on {action.withdrawn_on.isoformat()}"
        )
    _set_withdrawn(session, action, "action", ref, actor, today, why)
    return action.version


def restore_action(
    store: Store, ref: str, actor: str, *, expected_version: int | None = None
) -> int:
    """Bring a withdrawn action back. Returns its new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    with store.write() as session:
        return restore_action_in(session, ref, actor, expected_version)


def restore_action_in(
    session: Session, ref: str, actor: str, expected_version: int | None = None
) -> int:
    """`restore_action` inside a transaction the caller holds."""
    _check_version(expected_version)
    action = get_action(session, ref)
    check_open(session, action, "its actions cannot be restored")
    if expected_version is not None and action.version != expected_version:
        raise _conflict(session, "action", action, ref, expected_version)
    if action.withdrawn_on is None:
        raise NothingToChange(f"action {ref} is not withdrawn")
    if action.recommendation.withdrawn_on is not None:
        raise ServiceError(
            f"its recommendation {action.recommendation.ref} is withdrawn: restore that"
        )
    _set_withdrawn(session, action, "action", ref, actor, None, None)
    return action.version


# Recommendations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationChanges:
    """What to change on a recommendation; None leaves a field as it is. `owners` replaces
    the owner roles (in order). `clear` names fields to empty: `response`, `theme`."""

    text: str | None = None
    owners: Sequence[str] | None = None
    response: Response | None = None
    response_reason: str | None = None
    theme: str | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


def _check_response(response: Response | None, reason: str | None) -> None:
    if response in (Response.PARTLY_AGREED, Response.NOT_AGREED) and not (reason or "").strip():
        raise ServiceError(f"a response of {response.value!r} needs a reason")


def add_recommendation(
    store: Store,
    slug: str,
    actor: str,
    text: str,
    *,
    owners: Sequence[str] = (),
    response: Response | None = None,
    response_reason: str | None = None,
    theme: str | None = None,
) -> str:
    """Add a recommendation to plan `slug`, with its owner roles and the service's response;
    its ref is the next free number in the plan. Returns its id (`PLAN/REC`)."""
    require_editor(store)
    check_actor(actor)
    words, reason, topic = _checked_recommendation(text, response, response_reason, theme)
    with store.write() as session:
        return add_recommendation_in(
            session,
            slug,
            actor,
            words,
            owners=owners,
            response=response,
            response_reason=reason,
            theme=topic,
        )


def _checked_recommendation(
    text: str, response: Response | None, response_reason: str | None, theme: str | None
) -> tuple[str, str | None, str | None]:
    """The text, reason and theme of a new recommendation, checked and trimmed."""
    words = check_text(text, "the recommendation", required=True).strip()
    reason = None
    if response_reason is not None:
        reason = check_text(response_reason, "the reason").strip() or None
    _check_response(response, reason)
    topic = None
    if theme is not None:
        topic = check_text(theme, "the theme", most=SHORT_TEXT).strip() or None
    return words, reason, topic


def add_recommendation_in(
    session: Session,
    slug: str,
    actor: str,
    text: str,
    *,
    owners: Sequence[str] = (),
    response: Response | None = None,
    response_reason: str | None = None,
    theme: str | None = None,
) -> str:
    """`add_recommendation` inside a transaction the caller holds (it checks the text again)."""
    words, reason, topic = _checked_recommendation(text, response, response_reason, theme)
    plan = get_plan(session, slug)
    _check_plan_open(session, plan)
    taken = [r.ref for r in plan.recommendations]
    ref = next_recommendation_ref(taken)
    position = max((r.position for r in plan.recommendations), default=-1) + 1
    named = _roles_named(session, owners, actor)
    rec = Recommendation(
        plan=plan,
        position=position,
        ref=ref,
        text=words,
        response=response,
        response_reason=reason,
        theme=topic,
        owners=[
            RecommendationOwner(position=i, role_id=role_id, stated_as=stated)
            for i, (role_id, stated) in enumerate(named)
        ],
    )
    session.add(rec)
    session.flush()
    full = f"{plan.slug}/{ref}"
    audit(session, actor, "recommendation", rec.id, full, "added", None, ref, 1)
    values = {
        "text": words,
        "owners": "; ".join(stated for _, stated in named) or None,
        "response": response,
        "response_reason": reason,
        "theme": topic,
    }
    for name, value in values.items():
        if value is not None:
            audit(session, actor, "recommendation", rec.id, full, name, None, value, 1)
    return full


TEXT_AFTER_AGREEMENT = "text (after agreement)"
"""The audit field of a recommendation's text changed once its plan was agreed: the board
report's "what changed" marks it."""


def edit_recommendation(
    store: Store,
    ref: str,
    actor: str,
    changes: RecommendationChanges,
    *,
    expected_version: int | None = None,
    confirmed: bool = False,
) -> int:
    """Change a recommendation (`PLAN/REC`). Once its plan is agreed, a change of its text
    needs `confirmed` (else `NeedsConfirmation`) and is recorded as changed after agreement.
    Returns its new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    unknown = changes.clear - {"response", "theme"}
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
    with store.write() as session:
        return edit_recommendation_in(
            session, ref, actor, changes, expected_version, confirmed=confirmed
        )


def edit_recommendation_in(
    session: Session,
    ref: str,
    actor: str,
    changes: RecommendationChanges,
    expected_version: int | None = None,
    *,
    confirmed: bool = False,
) -> int:
    """`edit_recommendation` inside a transaction the caller holds."""
    _check_version(expected_version)
    unknown = changes.clear - {"response", "theme"}
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
    plan, rec = _open_recommendation(session, ref)
    if expected_version is not None and rec.version != expected_version:
        raise _conflict(session, "recommendation", rec, ref, expected_version)
    wanted: dict[str, Any] = {}
    if changes.text is not None:
        wanted["text"] = check_text(changes.text, "the recommendation", required=True).strip()
    if changes.response_reason is not None:
        wanted["response_reason"] = (
            check_text(changes.response_reason, "the reason").strip() or None
        )
    if changes.theme is not None:
        wanted["theme"] = check_text(changes.theme, "the theme", most=SHORT_TEXT).strip() or None
    if changes.response is not None:
        wanted["response"] = changes.response
    for name in changes.clear:
        wanted[name] = None
    if "response" in changes.clear:
        wanted["response_reason"] = None
    response = wanted.get("response", rec.response)
    if response in (Response.AGREED, None) and "response" in wanted:
        # A reason belongs to a response not (or partly) agreed: agreeing drops it.
        wanted.setdefault("response_reason", None)
    _check_response(response, wanted.get("response_reason", rec.response_reason))
    changed = {
        name: (getattr(rec, name), value)
        for name, value in wanted.items()
        if getattr(rec, name) != value
    }
    old_owners = "; ".join(o.stated_as for o in rec.owners) or None
    new_owners: str | None = old_owners
    if changes.owners is not None:
        named = _roles_named(session, changes.owners, actor)
        new_owners = "; ".join(stated for _, stated in named) or None
        if [(o.role_id, o.stated_as) for o in rec.owners] != named:
            rec.owners.clear()
            session.flush()
            rec.owners.extend(
                RecommendationOwner(position=i, role_id=role_id, stated_as=stated)
                for i, (role_id, stated) in enumerate(named)
            )
            flag_modified(rec, "text")
        else:
            new_owners = old_owners
    if not changed and new_owners == old_owners:
        raise NothingToChange(f"nothing to change on {ref}: every value given is already set")
    after_agreement = "text" in changed and plan.status in _AGREED_OR_LATER
    if after_agreement and not confirmed:
        raise NeedsConfirmation(
            f"plan {plan.slug} is {plan.status.value}: changing the text of recommendation "
            f"{rec.ref} will be marked in the next board report's changes. Confirm to go on."
        )
    version = rec.version
    for name, (_, new) in changed.items():
        setattr(rec, name, new)
    _flush(session, "recommendation", rec, ref, version)
    for name, (old, new) in changed.items():
        label = TEXT_AFTER_AGREEMENT if name == "text" and after_agreement else name
        audit(session, actor, "recommendation", rec.id, ref, label, old, new, rec.version)
    if new_owners != old_owners:
        audit(
            session,
            actor,
            "recommendation",
            rec.id,
            ref,
            "owners",
            old_owners,
            new_owners,
            rec.version,
        )
    return rec.version


def withdraw_recommendation(
    store: Store,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    *,
    expected_version: int | None = None,
) -> int:
    """Withdraw a recommendation (`PLAN/REC`) with a reason, and with it each of its actions
    not already withdrawn (restoring the recommendation brings those back). Returns its new
    version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    why = _reason(reason)
    with store.write() as session:
        return withdraw_recommendation_in(session, ref, actor, today, why, expected_version)


def withdraw_recommendation_in(
    session: Session,
    ref: str,
    actor: str,
    today: date,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """`withdraw_recommendation` inside a transaction the caller holds."""
    _check_version(expected_version)
    why = _reason(reason)
    plan, rec = _open_recommendation(session, ref)
    if expected_version is not None and rec.version != expected_version:
        raise _conflict(session, "recommendation", rec, ref, expected_version)
    if rec.withdrawn_on is not None:
        raise NothingToChange(
            f"recommendation {ref} was already withdrawn on {rec.withdrawn_on.isoformat()}"
        )
    _set_withdrawn(session, rec, "recommendation", ref, actor, today, why)
    with_it = f"with recommendation {rec.ref}: {why}"
    for action in rec.actions:
        if action.withdrawn_on is None:
            full = f"{plan.slug}/{action.ref}"
            _set_withdrawn(session, action, "action", full, actor, today, with_it)
    return rec.version


def restore_recommendation(
    store: Store, ref: str, actor: str, *, expected_version: int | None = None
) -> int:
    """Bring a withdrawn recommendation back, with the actions withdrawn with it. Returns its
    new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    with store.write() as session:
        return restore_recommendation_in(session, ref, actor, expected_version)


def restore_recommendation_in(
    session: Session, ref: str, actor: str, expected_version: int | None = None
) -> int:
    """`restore_recommendation` inside a transaction the caller holds."""
    _check_version(expected_version)
    plan, rec = _open_recommendation(session, ref)
    if expected_version is not None and rec.version != expected_version:
        raise _conflict(session, "recommendation", rec, ref, expected_version)
    if rec.withdrawn_on is None:
        raise NothingToChange(f"recommendation {ref} is not withdrawn")
    with_it = f"with recommendation {rec.ref}: {rec.withdrawn_reason}"
    for action in rec.actions:
        if action.withdrawn_on == rec.withdrawn_on and action.withdrawn_reason == with_it:
            full = f"{plan.slug}/{action.ref}"
            _set_withdrawn(session, action, "action", full, actor, None, None)
    _set_withdrawn(session, rec, "recommendation", ref, actor, None, None)
    return rec.version


# The plan's own details -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreValue:
    """A headline score (percentage and improvement level) or rating, as the editor gives it."""

    name: str
    percent: int | None = None
    improvement: Improvement | None = None
    rating: Rating | None = None

    def shown(self) -> str:
        parts = [self.name]
        if self.percent is not None:
            parts.append(f"{self.percent}%")
        if self.improvement is not None:
            parts.append(self.improvement.value)
        if self.rating is not None:
            parts.append(self.rating.value)
        return " ".join(parts)


@dataclass(frozen=True)
class PlanChanges:
    """What to change of a plan's own details; None leaves a field as it is. `clear` names
    fields to empty (any but `area` and `kind`)."""

    area: str | None = None
    kind: InspectionKind | None = None
    published: date | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    title: str | None = None
    board_meetings: str | None = None
    board_meetings_start: date | None = None
    scores: Sequence[ScoreValue] | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


PLAN_CLEARABLE = frozenset(
    {
        "published",
        "fieldwork_start",
        "fieldwork_end",
        "title",
        "board_meetings",
        "board_meetings_start",
        "scores",
    }
)
"""The plan details an editor may empty."""

_INSPECTION_FIELDS = ("area", "kind", "published", "fieldwork_start", "fieldwork_end")
_PLAN_FIELDS = ("title", "board_meetings", "board_meetings_start")


def _scores_text(scores: Sequence[Score] | Sequence[ScoreValue]) -> str | None:
    parts = []
    for s in scores:
        value = ScoreValue(s.name, s.percent, s.improvement, s.rating)
        parts.append(value.shown())
    return "; ".join(parts) or None


def _check_score(score: ScoreValue) -> None:
    check_text(score.name, "a score's name", required=True, most=SHORT_TEXT)
    if score.percent is not None and not 0 <= score.percent <= 100:
        raise ServiceError(f"score {score.name!r}: a percentage is from 0 to 100")


def edit_plan(
    store: Store,
    slug: str,
    actor: str,
    changes: PlanChanges,
    *,
    expected_version: int | None = None,
) -> int:
    """Change a plan's own details (its inspection's area, kind, publication and fieldwork
    dates, scores; its title and board meeting pattern). A new publication date moves the
    four-week clock. Returns the plan's new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    wanted = _plan_wanted(changes)
    with store.write() as session:
        return _edit_plan(session, slug, actor, changes, wanted, expected_version)


def edit_plan_in(
    session: Session,
    slug: str,
    actor: str,
    changes: PlanChanges,
    expected_version: int | None = None,
) -> int:
    """`edit_plan` inside a transaction the caller holds."""
    _check_version(expected_version)
    return _edit_plan(session, slug, actor, changes, _plan_wanted(changes), expected_version)


def _plan_wanted(changes: PlanChanges) -> dict[str, Any]:
    """The plan details `changes` sets, checked, by field name (the scores checked apart)."""
    unknown = changes.clear - PLAN_CLEARABLE
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
    wanted: dict[str, Any] = {}
    if changes.area is not None:
        wanted["area"] = " ".join(
            check_text(changes.area, "the area", required=True, most=SHORT_TEXT).split()
        )
    if changes.kind is not None:
        wanted["kind"] = changes.kind
    for name in ("published", "fieldwork_start", "fieldwork_end", "board_meetings_start"):
        if getattr(changes, name) is not None:
            wanted[name] = getattr(changes, name)
    if changes.title is not None:
        wanted["title"] = check_text(changes.title, "the title").strip() or None
    if changes.board_meetings is not None:
        rule = check_text(changes.board_meetings, "the board meeting pattern", most=500).strip()
        try:
            rules.check_rrule(rule)
        except ValueError as exc:
            raise ServiceError(f"board meetings: {exc}") from None
        wanted["board_meetings"] = rule
    for name in changes.clear - {"scores"}:
        wanted[name] = None
    if changes.scores is not None:
        for score in changes.scores:
            _check_score(score)
    return wanted


def _edit_plan(
    session: Session,
    slug: str,
    actor: str,
    changes: PlanChanges,
    wanted: dict[str, Any],
    expected_version: int | None,
) -> int:
    plan = get_plan(session, slug)
    _check_plan_open(session, plan)
    if expected_version is not None and plan.version != expected_version:
        raise _conflict(session, "plan", plan, slug, expected_version)
    ins: Inspection = plan.inspection

    def now(name: str) -> Any:
        return getattr(ins if name in _INSPECTION_FIELDS else plan, name)

    def after(name: str) -> Any:
        return wanted[name] if name in wanted else now(name)

    start, end = after("fieldwork_start"), after("fieldwork_end")
    if start is not None and end is not None and end < start:
        raise ServiceError(f"the fieldwork ends ({end}) before it starts ({start})")
    if after("board_meetings") and after("board_meetings_start") is None:
        raise ServiceError("a board meeting pattern needs the date of its first meeting")
    changed = {name: (now(name), value) for name, value in wanted.items() if now(name) != value}
    old_scores = _scores_text(ins.scores)
    new_scores = old_scores
    if changes.scores is not None or "scores" in changes.clear:
        values = [] if "scores" in changes.clear else list(changes.scores or ())
        new_scores = _scores_text(values)
        if new_scores != old_scores:
            ins.scores.clear()
            session.flush()
            ins.scores.extend(
                Score(
                    position=i,
                    name=s.name.strip(),
                    percent=s.percent,
                    improvement=s.improvement,
                    rating=s.rating,
                )
                for i, s in enumerate(values)
            )
    if not changed and new_scores == old_scores:
        raise NothingToChange(f"nothing to change on {slug}: every value given is already set")
    version = plan.version
    for name, (_, new) in changed.items():
        setattr(ins if name in _INSPECTION_FIELDS else plan, name, new)
    if not any(name in _PLAN_FIELDS for name in changed):
        # The details live on the inspection's row; the plan's version is what an editor
        # read, so it moves with every change of them.
        flag_modified(plan, "title")
    _flush(session, "plan", plan, slug, version)
    for name, (old, new) in changed.items():
        audit(session, actor, "plan", plan.id, slug, name, old, new, plan.version)
    if new_scores != old_scores:
        audit(
            session,
            actor,
            "plan",
            plan.id,
            slug,
            "scores",
            old_scores,
            new_scores,
            plan.version,
        )
    return plan.version


def new_plan(
    store: Store,
    actor: str,
    area: str,
    kind: InspectionKind,
    published: date | None,
    *,
    plan_id: str | None = None,
    title: str | None = None,
) -> str:
    """Start an empty draft plan without a report to import (a scanned report has no text):
    the area inspected, the kind of inspection and the publication date. Its id defaults to
    the area and the year (`stockton-on-tees-2010`, then `-2`, `-3` if taken). Returns it."""
    from tracker.services.plans import load_plans

    require_editor(store)
    check_actor(actor)
    name = " ".join(check_text(area, "the area", required=True, most=SHORT_TEXT).split())
    wanted = plan_id
    if wanted is None:
        base = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")[:90].strip("-")
        if not base:
            raise ServiceError(f"the area {name!r} has no letters or digits: give a plan id")
        wanted = f"{base}-{published.year}" if published is not None else base
        with store.read() as session:
            candidate, n = wanted, 1
            while plan_exists(session, candidate):
                n += 1
                candidate = f"{wanted}-{n}"
        wanted = candidate
    if not PLAN_ID.match(wanted):
        raise ServiceError(f"{wanted!r} is not a plan id: use lower case letters, digits and '-'")
    doc = PlanDoc(
        format=FORMAT_VERSION,
        id=wanted,
        title=(check_text(title, "the title").strip() or None) if title else None,
        inspection=InspectionDoc(area=name, kind=kind, published=published),
        notes="Started in the tracker without a report to import.",
    )
    load_plans(store, [("tracker plan new", doc)], actor)
    return wanted


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Ready to submit --------------------------------------------------------------------------------


def readiness_in(session: Session, plan: Plan) -> rules.Readiness:
    """The ready-to-submit checklist of a plan, from its rows in this session."""
    recs = []
    for rec in plan.recommendations:
        if rec.withdrawn_on is not None:
            continue
        actions = tuple(
            rules.DraftAction(
                ref=a.ref,
                lead_role=a.owner_stated_as if a.owner_role_id is not None else None,
                target=a.target_on,
                success_measure=a.success_measure,
            )
            for a in rec.actions
            if a.withdrawn_on is None
        )
        recs.append(rules.DraftRecommendation(rec.ref, rec.response, rec.response_reason, actions))
    return rules.readiness(plan.inspection.published, recs)


__all__ = [
    "MAX_TEXT",
    "PLAN_CLEARABLE",
    "TEXT_AFTER_AGREEMENT",
    "NeedsConfirmation",
    "NewAction",
    "PlanChanges",
    "RecommendationChanges",
    "ScoreValue",
    "add_action",
    "add_recommendation",
    "edit_plan",
    "edit_recommendation",
    "new_plan",
    "next_action_ref",
    "next_recommendation_ref",
    "readiness_in",
    "restore_action",
    "restore_recommendation",
    "split_recommendation_ref",
    "withdraw_action",
    "withdraw_recommendation",
]
