"""Writing a plan's recommendations: adding one (the next free ref), editing its text, owner
roles and the service's response (a reason for one not, or partly, agreed; rewording once the
plan is agreed needs confirming and is marked in the board report), withdrawing it with its
actions and restoring it. One audited transaction each, or an `_in` form inside the caller's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from tracker.errors import NothingToChange, ServiceError
from tracker.models import (
    Recommendation,
    RecommendationOwner,
)
from tracker.queries.lookups import (
    get_plan,
)
from tracker.services._audit import SHORT_TEXT, audit, check_actor, check_text, require_editor
from tracker.services._writing import (
    _AGREED_OR_LATER,
    NeedsConfirmation,
    _based_on,
    _check_plan_open,
    _check_version,
    _flush,
    _open_recommendation,
    _reason,
    _refuse_cleared_and_given,
    _roles_named,
    _set_withdrawn,
)
from tracker.services.changes import RecommendationChanges
from tracker.services.refs import next_recommendation_ref
from tracker.store import Store
from tracker.vocab import (
    TEXT_AFTER_AGREEMENT,
    Response,
)

# Recommendations --------------------------------------------------------------------------------


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
    _refuse_cleared_and_given(changes)
    plan, rec = _open_recommendation(session, ref)
    _based_on(session, "recommendation", rec, ref, expected_version)
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
    _based_on(session, "recommendation", rec, ref, expected_version)
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
    _based_on(session, "recommendation", rec, ref, expected_version)
    if rec.withdrawn_on is None:
        raise NothingToChange(f"recommendation {ref} is not withdrawn")
    with_it = f"with recommendation {rec.ref}: {rec.withdrawn_reason}"
    for action in rec.actions:
        if action.withdrawn_on == rec.withdrawn_on and action.withdrawn_reason == with_it:
            full = f"{plan.slug}/{action.ref}"
            _set_withdrawn(session, action, "action", full, actor, None, None)
    _set_withdrawn(session, rec, "recommendation", ref, actor, None, None)
    return rec.version
