"""What every write shares: who may make it, the checks on the text it stores, and the audit
event it leaves (who, when, which field, old and new value)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tracker.errors import ServiceError
from tracker.models import AuditEvent
from tracker.planfile import MAX_TEXT
from tracker.rules import check_day
from tracker.store import Store
from tracker.text import has_control

SHORT_TEXT = 200
"""The longest name (role, lead, user) the database keeps."""


def require_editor(store: Store) -> None:
    """Refuse plan content changes from a YJB reviewer's store: review mode is read-only
    except for review and sign-off (`tracker.services.review`)."""
    if store.reviewer:
        raise ServiceError(
            "review mode: plan content is read-only; a reviewer can accept or query evidence "
            "and sign off (tracker review ...)"
        )


def require_reviewer(store: Store) -> None:
    """Refuse unless the store was opened for YJB review."""
    if not store.reviewer:
        raise ServiceError(
            "only YJB link staff review evidence and sign off: open the tracker with --reviewer"
        )


def check_text(value: str, what: str, *, required: bool = False, most: int = MAX_TEXT) -> str:
    """`value`, refused (ServiceError naming `what`) if it holds a control character, is
    longer than `most`, or is empty when `required`."""
    if has_control(value):
        raise ServiceError(f"{what} holds a control character; plain text only")
    if len(value) > most:
        raise ServiceError(f"{what} is {len(value)} characters long; the most is {most}")
    if required and not value.strip():
        raise ServiceError(f"{what} cannot be empty")
    return value


def check_days(**days: date | None) -> None:
    """Refuse (ServiceError naming the field) a date outside those a plan can have
    (`tracker.rules.check_day`): `check_days(target_on=..., start_on=...)`."""
    for name, day in days.items():
        if day is not None:
            try:
                check_day(day, name.replace("_on", "").replace("_", " "))
            except ValueError as exc:
                raise ServiceError(str(exc)) from None


def check_actor(actor: str) -> None:
    """Refuse a user name (--as, TRACKER_USER, the config) the audit trail cannot keep."""
    check_text(actor, "the user name", required=True, most=SHORT_TEXT)


def shown(value: Any) -> str | None:
    """A value as the audit trail keeps it: ISO for a date, the text of an enumeration."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def audit(
    session: Session,
    actor: str,
    entity: str,
    entity_id: int,
    ref: str,
    field: str,
    old: Any,
    new: Any,
    version: int | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Record one change in the audit trail, inside the write's transaction. `at` is the
    event's moment when it is not now (a board report carries its own)."""
    # Every write is audited, so the user name is checked here too: refused inside the
    # transaction, it rolls the whole change back.
    check_actor(actor)
    event = AuditEvent(
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        entity_ref=ref,
        entity_version=version,
        field=field,
        old_value=shown(old),
        new_value=shown(new),
    )
    if at is not None:
        event.at = at
    session.add(event)
