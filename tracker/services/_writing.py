"""What the plan-writing use-cases share (`authoring`, `recommendations`, `plan_details`):
the conflict check against the version an editor read, the refusals of a closed plan or a
signed-off recommendation, owner roles by name, and withdrawing (never deleting) a row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.errors import ConflictError, ServiceError
from tracker.models import (
    Action,
    Plan,
    Recommendation,
)
from tracker.planfile import MAX_INT
from tracker.queries.lookups import (
    changes_after,
    get_plan,
    get_recommendation,
    recommendation_sign_off,
)
from tracker.services._audit import SHORT_TEXT, audit, check_days, check_text
from tracker.services.roles import resolve_role
from tracker.vocab import (
    PlanStatus,
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


def _based_on(session: Session, entity: str, row: Any, ref: str, expected: int | None) -> None:
    """Hold `row` for this change. Based on a version the editor read (`expected`): a newer
    one stored is a ConflictError naming what changed. Based on none: the change applies to
    whatever is current, so the row is locked now (SELECT ... FOR UPDATE on PostgreSQL;
    SQLite's writers queue already) and re-read, and another writer's save is waited for
    rather than raced into a stale-row error."""
    if expected is None:
        session.refresh(row, with_for_update=True)
    elif row.version != expected:
        raise _conflict(session, entity, row, ref, expected)


def _flush(session: Session, entity: str, row: Any, ref: str, version: int) -> None:
    """Write the row; another editor's save between our read and our write is a conflict."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _conflict(session, entity, row, ref, version) from None


def _refuse_cleared_and_given(changes: Any) -> None:
    """Refuse a change that both empties a field (`changes.clear`) and gives it a value:
    which was meant cannot be told, and the value would otherwise be dropped without a word.
    Blank text given beside a clear asks for the same thing and is no contradiction."""

    def given(value: Any) -> bool:
        return value is not None and not (isinstance(value, str) and not value.strip())

    both = sorted(name for name in changes.clear if given(getattr(changes, name, None)))
    if both:
        raise ServiceError(
            f"{', '.join(both)}: both cleared and given a value; do one or the other. "
            "Nothing was saved."
        )


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


def _set_withdrawn(
    session: Session,
    row: Action | Recommendation,
    entity: str,
    ref: str,
    actor: str,
    on: date | None,
    reason: str | None,
) -> None:
    check_days(withdrawn=on)
    old_on, old_reason = row.withdrawn_on, row.withdrawn_reason
    row.withdrawn_on = on
    row.withdrawn_reason = reason
    version = row.version
    _flush(session, entity, row, ref, version)
    audit(session, actor, entity, row.id, ref, "withdrawn_on", old_on, on, row.version)
    audit(session, actor, entity, row.id, ref, "withdrawn_reason", old_reason, reason, row.version)
