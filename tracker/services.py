"""Every write to the store: one function per use-case, one transaction each.

Each function checks its input and raises a `ServiceError` whose message a YOS manager can act
on, records an `AuditEvent` for each field it changes (who, when, old and new value), and
either commits all of its work or none of it. When an edit is based on an older version of an
action than the one stored, it raises `ConflictError` naming what changed since, and saves
nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.errors import ConflictError as ConflictError  # re-exported for callers
from tracker.errors import NotFoundError as NotFoundError
from tracker.errors import ServiceError as ServiceError
from tracker.errors import no_plan
from tracker.models import (
    Action,
    AuditEvent,
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
from tracker.planfile import MAX_INT, MAX_TEXT, PlanDoc, PlanFileError, RoleDoc
from tracker.rules import check_override
from tracker.store import Store
from tracker.text import has_control
from tracker.vocab import CLEARABLE as CLEARABLE  # re-exported for callers
from tracker.vocab import ActionStatus, Brag, EvidenceKind, PlanStatus
from tracker.vocab import role_key as role_key

MAX_EVIDENCE_BYTES = 2 * 1024**3 - 1
"""The largest evidence file the tracker fingerprints (2 GiB less a byte: the size column
holds no more)."""


def require_editor(store: Store) -> None:
    """Refuse plan content changes from a YJB reviewer's store: review mode is read-only
    except for review and sign-off (tracker.review)."""
    if store.reviewer:
        raise ServiceError(
            "review mode: plan content is read-only; a reviewer can accept or query evidence "
            "and sign off (tracker review ...)"
        )


def split_action_ref(ref: str) -> tuple[str, str]:
    """`stockton-2010/2.1` -> (`stockton-2010`, `2.1`)."""
    plan, sep, action = ref.strip().rpartition("/")
    if not sep or not plan or not action:
        raise ServiceError(f"{ref!r} is not an action id: write PLAN/REF, e.g. stockton-2010/2.1")
    return plan, action


def get_plan(session: Session, slug: str) -> Plan:
    """The plan with human id `slug`, or NotFoundError."""
    plan = session.scalar(select(Plan).where(Plan.slug == slug))
    if plan is None:
        raise no_plan(slug)
    return plan


def get_action(session: Session, ref: str) -> Action:
    """The action with human id `PLAN/REF`, or NotFoundError."""
    slug, action_ref = split_action_ref(ref)
    plan = get_plan(session, slug)
    action = session.scalar(
        select(Action).where(Action.plan_id == plan.id, Action.ref == action_ref)
    )
    if action is None:
        raise NotFoundError(f"plan {slug!r} has no action {action_ref!r}")
    return action


def check_open(
    session: Session, action: Action, refused: str = "its actions cannot change"
) -> None:
    """Refuse a change to an action whose content the YJB has signed off: its plan is closed
    (final), or its recommendation is signed off as implemented (until a reviewer withdraws
    that sign-off, `tracker.review.withdraw_sign_off`). `refused` says what cannot happen."""
    plan = action.plan
    if plan.status is PlanStatus.CLOSED:
        by = session.scalar(
            select(SignOff.signed_by)
            .where(SignOff.plan_id == plan.id, SignOff.recommendation_id.is_(None))
            .order_by(SignOff.id.desc())
            .limit(1)
        )
        on = "" if plan.closed_on is None else f" on {plan.closed_on.isoformat()}"
        raise ServiceError(f"plan {plan.slug} was closed{on}{f' by {by}' if by else ''}: {refused}")
    signed = session.scalars(
        select(SignOff)
        .where(SignOff.recommendation_id == action.recommendation_id)
        .order_by(SignOff.id.desc())
        .limit(1)
    ).first()
    if signed is not None:
        rec = action.recommendation.ref
        raise ServiceError(
            f"recommendation {rec} of {plan.slug} was signed off as implemented on "
            f"{signed.signed_at:%Y-%m-%d} by {signed.signed_by}: {refused} unless the YJB "
            f"withdraws the sign-off (tracker --reviewer review withdraw {plan.slug} {rec})"
        )


def action_id_text(action: Action) -> str:
    """The action's human id, `PLAN/REF`."""
    return f"{action.plan.slug}/{action.ref}"


SHORT_TEXT = 200
"""The longest name (role, lead) the database keeps."""


def _text(value: str, what: str, *, required: bool = False, most: int = MAX_TEXT) -> str:
    if has_control(value):
        raise ServiceError(f"{what} holds a control character; plain text only")
    if len(value) > most:
        raise ServiceError(f"{what} is {len(value)} characters long; the most is {most}")
    if required and not value.strip():
        raise ServiceError(f"{what} cannot be empty")
    return value


def check_actor(actor: str) -> None:
    """Refuse a user name (--as, TRACKER_USER, the config) the audit trail cannot keep."""
    _text(actor, "the user name", required=True, most=SHORT_TEXT)


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _audit(
    session: Session,
    actor: str,
    entity: str,
    entity_id: int,
    ref: str,
    field: str,
    old: Any,
    new: Any,
    version: int | None = None,
) -> None:
    # Every write is audited, so the user name is checked here too: refused inside the
    # transaction, it rolls the whole change back.
    check_actor(actor)
    session.add(
        AuditEvent(
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            entity_ref=ref,
            entity_version=version,
            field=field,
            old_value=_show(old),
            new_value=_show(new),
        )
    )


# Roles ---------------------------------------------------------------------------------------


def find_role(session: Session, name: str) -> Role | None:
    """The role called `name` (canonical name or alias, case and spacing forgiven)."""
    return session.scalar(select(Role).join(RoleName).where(RoleName.key == role_key(name)))


def resolve_role(session: Session, name: str, actor: str) -> Role:
    """The role called `name`, created (and audited) when no role has that name yet."""
    _text(name, "role name", required=True, most=SHORT_TEXT)
    role = find_role(session, name)
    if role is None:
        clean = " ".join(name.split())
        role = Role(name=clean, names=[RoleName(name=clean, key=role_key(clean))])
        session.add(role)
        session.flush()
        _audit(session, actor, "role", role.id, clean, "created", None, clean)
    return role


def _merge_role(session: Session, doc: RoleDoc, actor: str) -> None:
    role = resolve_role(session, doc.name, actor)
    for alias in doc.aliases:
        _text(alias, f"alias of {doc.name!r}", required=True, most=SHORT_TEXT)
        other = find_role(session, alias)
        if other is None:
            role.names.append(RoleName(name=alias, key=role_key(alias)))
            _audit(session, actor, "role", role.id, role.name, "alias", None, alias)
        elif other.id != role.id:
            raise ServiceError(f"alias {alias!r} already belongs to the role {other.name!r}")


# Loading plan files ----------------------------------------------------------------------------


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
    )
    session.add(plan)
    session.flush()
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
                "theme": rec.theme,
                "version": 1,
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
                "version": 1,
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
    plan_id = rows[0]["plan_id"]
    found = session.execute(select(model.ref, model.id).where(model.plan_id == plan_id))
    ids = {ref: id_ for ref, id_ in found}
    return [ids[row["ref"]] for row in rows]


def load_plans(store: Store, docs: Sequence[tuple[str, PlanDoc]], actor: str) -> list[str]:
    """Load checked plan files (source name, plan) in one transaction: every plan or none.
    A plan whose id is already in the database is refused. Returns the plans' ids."""
    require_editor(store)
    check_actor(actor)
    ids = [doc.id for _, doc in docs]
    for source, doc in docs:
        if ids.count(doc.id) > 1:
            raise PlanFileError(f"{source}: id", f"plan {doc.id!r} is given more than once")
    role_ids: dict[str, int] = {}
    with store.write() as session:
        for source, doc in docs:
            if session.scalar(select(Plan.id).where(Plan.slug == doc.id)) is not None:
                raise PlanFileError(f"{source}: id", f"plan {doc.id!r} is already in the database")
            try:
                for role_doc in doc.roles:
                    _merge_role(session, role_doc, actor)
                plan = _build_plan(session, doc, actor, role_ids)
            except ServiceError as exc:
                raise PlanFileError(source, str(exc)) from None
            _audit(session, actor, "plan", plan.id, doc.id, "loaded", None, source, plan.version)
    return ids


# Editing actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionChanges:
    """The fields an editor wants to change; None leaves a field as it is. `clear` names
    fields to empty (e.g. `{"target_on"}`)."""

    text: str | None = None
    owner: str | None = None
    lead: str | None = None
    start_on: date | None = None
    target_on: date | None = None
    status: ActionStatus | None = None
    progress: int | None = None
    success_measure: str | None = None
    completed_on: date | None = None
    impact_check: str | None = None
    brag_override: Brag | None = None
    brag_override_reason: str | None = None
    clear: frozenset[str] = frozenset()


def _conflict(session: Session, action: Action, ref: str, expected: int) -> ConflictError:
    changes = list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == "action",
                AuditEvent.entity_id == action.id,
                AuditEvent.entity_version > expected,
            )
            .order_by(AuditEvent.id)
        )
    )
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
            wanted[name] = _text(value, label, required=name == "text", most=most) or None
    for name in ("start_on", "target_on", "status", "progress", "completed_on", "brag_override"):
        if getattr(changes, name) is not None:
            wanted[name] = getattr(changes, name)
    unknown = changes.clear - CLEARABLE
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
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


def _update_in(
    session: Session,
    ref: str,
    actor: str,
    today: date,
    changes: ActionChanges,
    note: str | None,
    expected_version: int | None,
) -> int:
    if expected_version is not None and not 0 <= expected_version <= MAX_INT:
        raise ServiceError(f"{expected_version} is not a version an action can have")
    action = get_action(session, ref)
    check_open(session, action)
    if expected_version is not None and action.version != expected_version:
        raise _conflict(session, action, ref, expected_version)
    changed = _apply(action, changes, session, actor, today)
    if not changed and note is None:
        raise ServiceError(f"nothing to change on {ref}: every value given is already set")
    version = action.version
    for name, (_, new) in changed.items():
        setattr(action, name, new)
    if note is not None:
        action.updates.append(ProgressUpdate(on=today, author=actor, text=note))
    try:
        session.flush()
    except StaleDataError:
        # Another editor's save came between our read and our write (PostgreSQL lets both
        # run; the loser's UPDATE finds the version gone). The failed flush has spoilt this
        # transaction: roll it back before reading what changed.
        session.rollback()
        raise _conflict(session, action, ref, version) from None
    for name, (old, new) in changed.items():
        if name == "owner_stated_as":
            continue
        if name == "owner_role_id":
            # The audit trail keeps the words the user gave, not the role's row id.
            old, new = changed.get("owner_stated_as", (old, new))
        label = "owner" if name == "owner_role_id" else name
        _audit(session, actor, "action", action.id, ref, label, old, new, action.version)
    if note is not None:
        _audit(session, actor, "action", action.id, ref, "note", None, note, action.version)
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
    `expected_version` (the version the editor read), a newer stored version is a conflict.
    Returns the action's new version."""
    require_editor(store)
    check_actor(actor)
    if note is not None:
        _text(note, "the note", required=True)
    with store.write() as session:
        return _update_in(session, ref, actor, today, changes, note, expected_version)


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
    changed: list[str] = []
    with store.write() as session:
        # Always in the same order: two editors' bulk changes of the same actions, each
        # locking rows as it goes, would otherwise deadlock on PostgreSQL (the bench found it).
        for ref, version in sorted(versions.items()):
            try:
                _update_in(session, ref, actor, today, changes, None, version)
            except ConflictError:
                raise
            except ServiceError as exc:
                if str(exc).startswith("nothing to change"):
                    continue
                raise ServiceError(f"{ref}: {exc}") from None
            changed.append(ref)
        if not changed:
            raise ServiceError("nothing to change: every selected action already has those values")
    return changed


def add_note(store: Store, ref: str, actor: str, today: date, note: str) -> int:
    """Add a dated progress note to an action."""
    return update_action(store, ref, actor, today, ActionChanges(), note=note)


def fingerprint(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def add_evidence(
    store: Store,
    ref: str,
    actor: str,
    title: str,
    *,
    file: Path | None = None,
    reference: str | None = None,
    dated: date | None = None,
    kind: EvidenceKind = EvidenceKind.DOCUMENT,
    expires: date | None = None,
) -> int:
    """Attach evidence to an action: a reference to where it is kept, or a file, which is
    fingerprinted (SHA-256 and size) so that a later change to it can be detected. Returns the
    evidence's id."""
    require_editor(store)
    check_actor(actor)
    _text(title, "the evidence title", required=True)
    if (file is None) == (reference is None):
        raise ServiceError("give either a file or a reference for the evidence, not both")
    digest = size = path_text = None
    if reference is not None:
        _text(reference, "the evidence reference", required=True)
    if file is not None:
        try:
            path = file.expanduser()
            if path.is_symlink():
                raise ServiceError(f"evidence file {file} is a symbolic link: give the file itself")
            if not path.exists():
                raise ServiceError(f"evidence file {file} does not exist")
            if not path.is_file():
                raise ServiceError(f"evidence file {file} is not a regular file")
            resolved = path.resolve()
            if resolved.stat().st_size > MAX_EVIDENCE_BYTES:
                raise ServiceError(f"evidence file {file} is larger than 2 GiB")
            digest, size = fingerprint(resolved)
        except (OSError, ValueError, RuntimeError) as exc:
            # A name too long, a NUL byte in it, ~user for no such user, unreadable.
            reason = getattr(exc, "strerror", None) or exc
            raise ServiceError(f"evidence file {file} cannot be used ({reason})") from None
        path_text = _text(str(resolved), "the evidence file name")
    with store.write() as session:
        action = get_action(session, ref)
        check_open(session, action)
        evidence = Evidence(
            title=title,
            kind=kind,
            dated=dated,
            reference=reference,
            file_path=path_text,
            sha256=digest,
            size=size,
            expires_on=expires,
            added_by=actor,
        )
        action.evidence.append(evidence)
        session.flush()
        what = reference if reference is not None else f"{path_text} (sha256 {digest})"
        _audit(
            session,
            actor,
            "action",
            action.id,
            ref,
            "evidence",
            None,
            f"{title}: {what}",
            action.version,
        )
        return evidence.id


# Plan lifecycle ------------------------------------------------------------------------------

STEP_FIELD = {
    PlanStatus.SUBMITTED: "submitted_on",
    PlanStatus.AGREED: "agreed_on",
    PlanStatus.MONITORING: "forwarded_on",
    PlanStatus.CLOSED: "closed_on",
}
_ORDER = list(PlanStatus)


def record_step(store: Store, slug: str, step: PlanStatus, on: date, actor: str) -> None:
    """Move a plan to the lifecycle step `step` on the date `on` (submitted to HMIP, agreed,
    forwarded to the YJB for monitoring). Steps go forward only, with dates in order; closing
    is the YJB's sign-off (`tracker.review.sign_off_plan`)."""
    require_editor(store)
    check_actor(actor)
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
        field = STEP_FIELD[step]
        old_status = plan.status
        setattr(plan, field, on)
        plan.status = step
        session.flush()
        _audit(session, actor, "plan", plan.id, slug, field, None, on, plan.version)
        _audit(session, actor, "plan", plan.id, slug, "status", old_status, step, plan.version)


def count_rows(session: Session, model: type[Any]) -> int:
    """How many rows a table holds (for checks and tests)."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether a database error is a broken unique constraint."""
    return "unique" in str(exc.orig).lower()
