"""What every write shares: who may make it, the checks on the text it stores, and the audit
event it leaves (who, when, which field, old and new value)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.errors import ServiceError
from tracker.models import AuditEvent, utcnow
from tracker.names import BadName, differences, look_alike, user_name
from tracker.planfile import MAX_TEXT
from tracker.queries.lookups import is_known_actor, known_names
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
    """Refuse a user name (--as, TRACKER_USER, the config) the audit trail cannot keep: one
    with a control or invisible character, too long, or not in the one written form names
    are kept in (`tracker.names.user_name`: NFKC, single spaces), which the settings give."""
    check_text(actor, "the user name", required=True, most=SHORT_TEXT)
    try:
        kept = user_name(actor)
    except BadName as exc:
        raise ServiceError(str(exc)) from None
    if kept != actor:
        raise ServiceError(f"the user name {actor!r} is not in its written form ({kept!r})")


def check_look_alike(session: Session, actor: str) -> None:
    """Refuse a user name that reads as a name already in the database without being it (a
    Cyrillic letter for a Latin one, a fullwidth letter): the audit trail would show two
    identical-looking people, and the own-work rule compares names. Names that differ only in
    case or spacing are the same person to that rule and are let through. Checked once per
    transaction; a name the audit trail already holds is found by its index."""
    checked: set[str] = session.info.setdefault("names_checked", set())
    if actor in checked:
        return
    if not is_known_actor(session, actor):
        other = look_alike(actor, known_names(session))
        if other is not None:
            raise ServiceError(
                f"the user name {actor!r} looks like {other!r}, who is already in the "
                f"database, but is not the same name ({differences(actor, other)}): give "
                "the name exactly as it is written there, or one that reads differently"
            )
    checked.add(actor)


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
    check_look_alike(session, actor)
    event = AuditEvent(
        actor=actor,
        # The operating-system account (the store's); on PostgreSQL the server writes its
        # login here instead (migration 0006), whatever is sent.
        account=session.info.get("account"),
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


def audit_each(
    session: Session,
    actor: str,
    entity: str,
    entity_id: int,
    ref: str,
    field: str,
    news: list[Any],
    version: int | None = None,
) -> None:
    """Record one change of `field` per value of `news` (from nothing to each), as `audit`
    does, in one statement: a plan file may add hundreds of names to a role at once."""
    if not news:
        return
    check_actor(actor)
    check_look_alike(session, actor)
    at = utcnow()
    row = {
        "at": at,
        "actor": actor,
        "account": session.info.get("account"),
        "entity": entity,
        "entity_id": entity_id,
        "entity_ref": ref,
        "entity_version": version,
        "field": field,
        "old_value": None,
    }
    session.execute(insert(AuditEvent), [{**row, "new_value": shown(new)} for new in news])
