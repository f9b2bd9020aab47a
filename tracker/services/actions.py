"""Actions: edits (one or several at once), progress notes, and the rule that what the YJB
signed off cannot change. Each edit is checked against the version the editor read: a newer
stored version is a `ConflictError` naming what changed since, and nothing is saved. An edit
that names no version applies to whatever is current: if another writer comes between its
read and its write, the whole transaction is made again on a fresh read (`_retrying`)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.errors import ConflictError, NothingToChange, ServiceError, StoreError
from tracker.models import Action, ProgressUpdate
from tracker.planfile import MAX_INT, MAX_TEXT
from tracker.queries.lookups import (
    changes_after,
    get_action,
    plan_closed_by,
    recommendation_sign_off,
)
from tracker.rules import check_override
from tracker.services._audit import (
    SHORT_TEXT,
    audit,
    check_actor,
    check_days,
    check_text,
    require_editor,
)
from tracker.services.changes import ActionChanges
from tracker.services.roles import resolve_role
from tracker.store import Store
from tracker.vocab import CLEARABLE, ActionStatus, PlanStatus


def check_open(
    session: Session, action: Action, refused: str = "its actions cannot change"
) -> None:
    """Refuse a change to an action whose content the YJB has signed off: its plan is closed
    (final), or its recommendation is signed off as implemented (until a reviewer withdraws
    that sign-off, `tracker.services.review.withdraw_sign_off`). `refused` says what cannot
    happen."""
    plan = action.plan
    if plan.status is PlanStatus.CLOSED:
        by = plan_closed_by(session, plan)
        on = "" if plan.closed_on is None else f" on {plan.closed_on.isoformat()}"
        raise ServiceError(f"plan {plan.slug} was closed{on}{f' by {by}' if by else ''}: {refused}")
    signed = recommendation_sign_off(session, action.recommendation_id)
    if signed is not None:
        rec = action.recommendation.ref
        raise ServiceError(
            f"recommendation {rec} of {plan.slug} was signed off as implemented on "
            f"{signed.signed_at:%Y-%m-%d} by {signed.signed_by}: {refused} unless the YJB "
            f"withdraws the sign-off (tracker --reviewer review withdraw {plan.slug} {rec})"
        )


def _conflict(session: Session, action: Action, ref: str, expected: int) -> ConflictError:
    changes = changes_after(session, "action", action.id, expected)
    said = "; ".join(
        f"{e.field}: {e.old_value or '(none)'} -> {e.new_value or '(none)'} by {e.actor}"
        for e in changes
    )
    return ConflictError(
        f"action {ref} was changed by someone else since you opened it (your version "
        f"{expected}, now {action.version}): {said or 'see tracker history'}. Nothing was saved.",
        action.version,
        changes,
    )


def _given(value: object) -> bool:
    """Whether a change gives a field a value (blank text empties it, as a clear does)."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def _apply(
    action: Action, changes: ActionChanges, session: Session, actor: str, today: date
) -> dict[str, tuple[Any, Any]]:
    """The new values, checked, as {field: (old, new)} for the fields that really change."""
    wanted: dict[str, Any] = {}
    for name in ("text", "lead", "success_measure", "impact_check", "brag_override_reason"):
        value = getattr(changes, name)
        if value is not None:
            most = SHORT_TEXT if name == "lead" else MAX_TEXT
            label = name.replace("_", " ")
            wanted[name] = check_text(value, label, required=name == "text", most=most) or None
    check_days(
        start_on=changes.start_on, target_on=changes.target_on, completed_on=changes.completed_on
    )
    for name in ("start_on", "target_on", "status", "progress", "completed_on", "brag_override"):
        if getattr(changes, name) is not None:
            wanted[name] = getattr(changes, name)
    unknown = changes.clear - CLEARABLE
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
    # A field both emptied and given a value: which was meant cannot be told, so neither is
    # done (the value would otherwise be dropped without a word). Blank text given beside a
    # clear asks for the same thing and is no contradiction; an override's reason goes with
    # the override, so clearing one while giving the other is one.
    both = sorted(name for name in changes.clear if _given(getattr(changes, name, None)))
    reason = _given(changes.brag_override_reason)
    if "brag_override" in changes.clear and reason and "brag_override" not in both:
        both.append("brag_override (an override reason is given)")
    if both:
        raise ServiceError(
            f"{', '.join(both)}: both cleared and given a value; do one or the other. "
            "Nothing was saved."
        )
    for name in changes.clear:
        wanted["owner_role_id" if name == "owner" else name] = None
    if "owner" in changes.clear:
        wanted["owner_stated_as"] = None
    if changes.owner is not None:
        wanted["owner_role_id"] = resolve_role(session, changes.owner, actor).id
        wanted["owner_stated_as"] = changes.owner
    if "brag_override" in changes.clear:
        wanted["brag_override_reason"] = None

    def after(name: str) -> Any:
        return wanted[name] if name in wanted else getattr(action, name)

    progress = after("progress")
    if not 0 <= progress <= 100:
        raise ServiceError(f"progress must be from 0 to 100, not {progress}")
    status = after("status")
    if status is ActionStatus.COMPLETE:
        if action.status is not ActionStatus.COMPLETE or "completed_on" in wanted:
            wanted.setdefault("completed_on", today)
        wanted["progress"] = wanted.get("progress", 100)
        if wanted["progress"] != 100:
            raise ServiceError("a complete action is 100% done; leave progress out or give 100")
    else:
        if "completed_on" in wanted and wanted["completed_on"] is not None:
            raise ServiceError(f"a completion date needs status complete (it is {status.value})")
        wanted["completed_on"] = None
    start, target = after("start_on"), after("target_on")
    if start is not None and target is not None and target < start:
        raise ServiceError(f"the target date {target} is before the start date {start}")
    try:
        check_override(after("brag_override"), after("brag_override_reason"))
    except ValueError as exc:
        raise ServiceError(f"{exc}: add --override-reason") from None
    return {
        name: (getattr(action, name), value)
        for name, value in wanted.items()
        if getattr(action, name) != value
    }


class _Stale(Exception):
    """An edit not based on a version lost a race with another writer between its read and
    its write: the transaction is rolled back, to be tried again from the start."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref


RETRIES = 10
"""How many times an edit not based on a version is tried before the user is told."""

T = TypeVar("T")


def _retrying(store: Store, work: Callable[[Session], T]) -> T:
    """`work` in one write transaction, begun again from a fresh read (up to RETRIES times)
    when an edit in it that gave no expected version finds the row changed under it
    (`_Stale`): such an edit applies to whatever is current, so a race is no conflict. An
    edit that gave its version is never retried (a ConflictError, at once). Still losing
    after every try (the row changes faster than it can be written) is a StoreError: a
    sentence, nothing saved."""
    for attempt in range(RETRIES):
        try:
            with store.write() as session:
                return work(session)
        except _Stale as stale:
            if attempt == RETRIES - 1:
                raise StoreError(
                    f"action {stale.ref} kept changing under this edit ({RETRIES} tries): "
                    "nothing was saved; try again"
                ) from None
            time.sleep(random.uniform(0, 0.005 * 2**attempt))  # let the other writer finish
    raise AssertionError("unreachable")  # pragma: no cover


def _update_in(
    session: Session,
    ref: str,
    actor: str,
    today: date,
    changes: ActionChanges,
    note: str | None,
    expected_version: int | None,
    *,
    retried: bool = False,
) -> int:
    """Make the change inside `session`. A row changed by another writer between the read and
    the write is a ConflictError, unless no `expected_version` was given and the caller runs
    this under `_retrying` (`retried`): then `_Stale`, and the caller begins again."""
    if expected_version is not None and not 0 <= expected_version <= MAX_INT:
        raise ServiceError(f"{expected_version} is not a version an action can have")
    action = get_action(session, ref)
    if expected_version is None and retried:
        # Applies to whatever is current: take the row's lock now (SELECT ... FOR UPDATE on
        # PostgreSQL; SQLite's writers already queue), so that a writer in between is waited
        # for and its version read, rather than raced. `_retrying` stays as the fallback.
        session.refresh(action, with_for_update=True)
    check_open(session, action)
    if expected_version is not None and action.version != expected_version:
        raise _conflict(session, action, ref, expected_version)
    changed = _apply(action, changes, session, actor, today)
    if not changed and note is None:
        raise NothingToChange(f"nothing to change on {ref}: every value given is already set")
    version = action.version
    try:
        for name, (_, new) in changed.items():
            setattr(action, name, new)
        if note is not None:
            # Loading the notes flushes the changes above first (autoflush): a stale version
            # can surface here as well as at the flush below.
            action.updates.append(ProgressUpdate(on=today, author=actor, text=note))
        session.flush()
    except StaleDataError:
        # Another editor's save came between our read and our write (PostgreSQL lets both
        # run; the loser's UPDATE finds the version gone). The failed flush has spoilt this
        # transaction: roll it back before reading what changed.
        session.rollback()
        if expected_version is None and retried:
            # The edit was not based on a version: it applies to whatever is current, so
            # the whole transaction is tried again on a fresh read (`_retrying`).
            raise _Stale(ref) from None
        raise _conflict(session, action, ref, version) from None
    for name, (old, new) in changed.items():
        if name == "owner_stated_as":
            continue
        if name == "owner_role_id":
            # The audit trail keeps the words the user gave, not the role's row id.
            old, new = changed.get("owner_stated_as", (old, new))
        label = "owner" if name == "owner_role_id" else name
        audit(session, actor, "action", action.id, ref, label, old, new, action.version)
    if note is not None:
        audit(session, actor, "action", action.id, ref, "note", None, note, action.version)
    return action.version


def update_action(
    store: Store,
    ref: str,
    actor: str,
    today: date,
    changes: ActionChanges,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Change an action's fields and/or add a progress note, as one change. With
    `expected_version` (the version the editor read), a newer stored version is a conflict;
    without it the edit applies to whatever is current, made again on a fresh read if another
    writer comes between its read and its write (a StoreError only if that happens RETRIES
    times running). Returns the action's new version."""
    require_editor(store)
    check_actor(actor)
    if note is not None:
        check_text(note, "the note", required=True)
    return _retrying(
        store,
        lambda session: _update_in(
            session, ref, actor, today, changes, note, expected_version, retried=True
        ),
    )


def bulk_update(
    store: Store,
    versions: dict[str, int | None],
    actor: str,
    today: date,
    changes: ActionChanges,
) -> list[str]:
    """Apply the same change to several actions ({ref: version read}) in one transaction:
    all of them or, if any is refused or in conflict, none. Actions that already have every
    value are skipped. Returns the refs changed."""
    require_editor(store)
    check_actor(actor)
    if not versions:
        raise ServiceError("select at least one action")

    def work(session: Session) -> list[str]:
        changed: list[str] = []
        # Always in the same order: two editors' bulk changes of the same actions, each
        # locking rows as it goes, would otherwise deadlock on PostgreSQL (the bench found it).
        for ref, version in sorted(versions.items()):
            try:
                _update_in(session, ref, actor, today, changes, None, version, retried=True)
            except NothingToChange:
                continue
            except ConflictError:
                raise
            except ServiceError as exc:
                raise ServiceError(f"{ref}: {exc}") from None
            changed.append(ref)
        if not changed:
            raise NothingToChange(
                "nothing to change: every selected action already has those values"
            )
        return changed

    # An action selected without its version that another writer changed meanwhile: the
    # whole change is made again on a fresh read, all of it or none.
    return _retrying(store, work)


def add_note(store: Store, ref: str, actor: str, today: date, note: str) -> int:
    """Add a dated progress note to an action."""
    return update_action(store, ref, actor, today, ActionChanges(), note=note)
