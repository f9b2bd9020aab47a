"""One action read for its screen (`action_detail`), its evidence, and the audit trail of an
action or a plan (`history`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tracker.errors import NotFoundError
from tracker.queries.lists import BRAG, ActionRow, action_rows
from tracker.queries.plan import action_id, plan_id, split_action_ref
from tracker.queries.reader import Query, Reader, day_value, moment_value
from tracker.text import uk_day
from tracker.vocab import Brag, PlanStatus


@dataclass(frozen=True)
class HistoryRow:
    """One audit event, for the history list."""

    at: datetime
    actor: str
    entity: str
    ref: str
    field: str
    old: str | None
    new: str | None
    account: str | None = None
    """Who the system says it was: the operating-system account (SQLite) or the database
    login (PostgreSQL, recorded by the server)."""

    @property
    def who(self) -> str:
        """The name given, and the login beside it where they differ: `Yasmin Officer (YJB)
        (login miriam)` says plainly that Miriam's login wrote the row."""
        if self.account is None or self.account.casefold() == self.actor.casefold():
            return self.actor
        return f"{self.actor} (login {self.account})"


_HISTORY_COLUMNS = (
    "at",
    "actor",
    "entity",
    "entity_ref",
    "field",
    "old_value",
    "new_value",
    "account",
)

ACTION_HISTORY = Query(
    "action history",
    """
    SELECT at, actor, entity, entity_ref, field, old_value, new_value, account
    FROM audit_events
    WHERE entity_ref = :ref ORDER BY id DESC""",
    _HISTORY_COLUMNS,
)

PLAN_HISTORY = Query(
    "plan history",
    """
    SELECT at, actor, entity, entity_ref, field, old_value, new_value, account
    FROM audit_events
    WHERE entity_ref = :plan OR substr(entity_ref, 1, :length) = :prefix
    ORDER BY id DESC""",
    _HISTORY_COLUMNS,
)
"""A plan's trail: events on the plan itself and on anything in it (`PLAN/...`, by prefix:
no LIKE, so that `_` in an id is only itself)."""


RECOMMENDATION_ID = Query(
    "recommendation id",
    "SELECT id FROM recommendations WHERE plan_id = :plan AND ref = :ref",
    ("id",),
)


def history(reader: Reader, ref: str) -> list[HistoryRow]:
    """The audit trail of an action (`PLAN/REF`), a recommendation (`PLAN/REC`) or a whole
    plan (`PLAN`), newest first. NotFoundError for an unknown plan, action or
    recommendation."""
    if "/" in ref:
        try:
            action_id(reader, ref)
        except NotFoundError:
            slug, rec = split_action_ref(ref)
            if RECOMMENDATION_ID.first(reader, plan=plan_id(reader, slug), ref=rec) is None:
                raise NotFoundError(
                    f"plan {slug!r} has no action {rec!r} and no recommendation {rec!r}"
                ) from None
        found = ACTION_HISTORY.rows(reader, ref=ref)
    else:
        plan_id(reader, ref)
        prefix = f"{ref}/"
        found = PLAN_HISTORY.rows(reader, plan=ref, prefix=prefix, length=len(prefix))
    return [
        HistoryRow(moment_value(at), actor, entity, entity_ref, field, old, new, account)
        for at, actor, entity, entity_ref, field, old, new, account in found
    ]


@dataclass(frozen=True)
class EvidenceRow:
    """A piece of evidence as the action screen lists it."""

    id: int
    title: str
    kind: str
    dated: date | None
    where: str
    sha256: str | None
    size: int | None
    """The file's size in bytes, as fingerprinted (None for a reference)."""
    review: str
    reviewer: str | None
    review_comment: str | None
    added_by: str | None


EVIDENCE = Query(
    "evidence",
    """
    SELECT v.id, v.action_id, a.ref AS action_ref, v.title, v.kind, v.dated, v.reference,
           v.file_path, v.sha256, v.size, v.expires_on, v.review, v.reviewer, v.reviewed_on,
           v.review_comment, v.added_by, v.added_at
    FROM evidence v JOIN actions a ON a.id = v.action_id
    WHERE {where} ORDER BY v.id""",
    (),
)
"""Evidence, in the order it was added, with every stored field: a template, whose `{where}`
each read fills (the action screen here, the exports and the plan file) and whose columns it
takes by name (`Query.taking`), so that they all send one SELECT."""

EVIDENCE_OF = EVIDENCE.where("v.action_id = :action").taking(
    "evidence of an action",
    (
        "id",
        "title",
        "kind",
        "dated",
        "reference",
        "file_path",
        "sha256",
        "size",
        "review",
        "reviewer",
        "review_comment",
        "added_by",
    ),
)


def place(reference: str | None, file_path: str | None) -> str:
    """Where a piece of evidence is: its reference, or the file it is kept as."""
    return reference or file_path or ""


def _evidence(reader: Reader, action: int) -> list[EvidenceRow]:
    return [
        EvidenceRow(id, title, kind, day_value(dated), place(reference, file_path), *rest)
        for id, title, kind, dated, reference, file_path, *rest in EVIDENCE_OF.rows(
            reader, action=action
        )
    ]


def evidence_of(reader: Reader, ref: str) -> list[EvidenceRow]:
    """An action's evidence, in the order it was added. NotFoundError for an unknown action."""
    return _evidence(reader, action_id(reader, ref))


@dataclass(frozen=True)
class ActionDetail:
    """Everything the action screen shows and edits."""

    row: ActionRow
    owner_stated_as: str | None
    success_measure: str | None
    completed: date | None
    impact_check: str | None
    brag_override: Brag | None
    brag_override_reason: str | None
    recommendation_text: str
    updates: list[tuple[date, str, str]]
    evidence: list[EvidenceRow]
    history: list[HistoryRow]
    locked: str | None = None
    """Why the action cannot change, when the YJB has signed its work off (its plan closed, or
    its recommendation signed off as implemented), in words; None when it can."""


ACTIONS_MORE = Query(
    "actions' other fields",
    """
    SELECT a.id, a.ref AS action_ref, a.owner_stated_as, a.success_measure, a.completed_on,
           a.impact_check, a.brag_override, a.brag_override_reason, r.text AS rec_text
    FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
    WHERE {where}""",
    (),
)
"""What an action holds beyond the actions list's row, with its recommendation's text (a
template, as `EVIDENCE`): the action screen reads one action's, an export a plan's."""

ACTION = ACTIONS_MORE.where("a.id = :action").taking(
    "action",
    (
        "owner_stated_as",
        "success_measure",
        "completed_on",
        "impact_check",
        "brag_override",
        "brag_override_reason",
        "rec_text",
    ),
)

NOTES = Query(
    "progress notes",
    """
    SELECT u.action_id, a.ref AS action_ref, u."on", u.author, u.text
    FROM progress_updates u JOIN actions a ON a.id = u.action_id
    WHERE {where} ORDER BY u."on", u.id""",
    (),
)
"""Progress notes, oldest first (a template, as `EVIDENCE`): of one action here, of a whole
plan for an export or a plan file."""

UPDATES = NOTES.where("u.action_id = :action").taking(
    "progress notes of an action", ("on", "author", "text")
)


ACTION_LOCK = Query(
    "action lock",
    """
    SELECT p.status, p.closed_on, r.ref AS rec_ref,
           (SELECT s.signed_by FROM sign_offs s WHERE s.recommendation_id = a.recommendation_id
            ORDER BY s.id DESC LIMIT 1) AS signed_by,
           (SELECT s.signed_at FROM sign_offs s WHERE s.recommendation_id = a.recommendation_id
            ORDER BY s.id DESC LIMIT 1) AS signed_at
    FROM actions a JOIN plans p ON p.id = a.plan_id
    JOIN recommendations r ON r.id = a.recommendation_id
    WHERE a.id = :action""",
    ("status", "closed_on", "rec_ref", "signed_by", "signed_at"),
)


def lock_words(
    closed: bool,
    closed_on: date | None,
    rec: str,
    signed_by: str | None,
    signed_at: datetime | None,
) -> str | None:
    """Why an action cannot change, as the screen says it (the services refuse the change
    with the same reason, `tracker.services.actions.check_open`)."""
    if closed:
        on = "" if closed_on is None else f" on {uk_day(closed_on)}"
        return f"The plan was closed{on}: its actions cannot change."
    if signed_by is not None:
        on = "" if signed_at is None else f" on {uk_day(signed_at.date())}"
        return (
            f"Recommendation {rec} was signed off as implemented{on} by {signed_by}: its "
            "actions cannot change unless the YJB withdraws the sign-off."
        )
    return None


def action_detail(reader: Reader, ref: str, today: date) -> ActionDetail:
    """The action screen's data: this action alone, never its whole plan. NotFoundError for an
    unknown action."""
    found = action_id(reader, ref)
    slug, action_ref = split_action_ref(ref)
    (row,) = action_rows(reader, today, plan=slug, ref=action_ref)
    extra = ACTION.first(reader, action=found)
    assert extra is not None  # action_id found it
    owner, measure, completed, impact, override, reason, rec_text = extra
    updates = []
    for on, author, text in UPDATES.rows(reader, action=found):
        noted = day_value(on)
        assert noted is not None  # a progress note's date is NOT NULL
        updates.append((noted, author, text))
    return ActionDetail(
        row=row,
        owner_stated_as=owner,
        success_measure=measure,
        completed=day_value(completed),
        impact_check=impact,
        brag_override=None if override is None else BRAG[override],
        brag_override_reason=reason,
        recommendation_text=rec_text,
        updates=updates,
        evidence=_evidence(reader, found),
        history=history(reader, ref),
        locked=_locked(reader, found),
    )


def _locked(reader: Reader, found: int) -> str | None:
    lock = ACTION_LOCK.first(reader, action=found)
    assert lock is not None  # action_id found it
    status, closed_on, rec, signed_by, signed_at = lock
    return lock_words(
        status == PlanStatus.CLOSED.value,
        day_value(closed_on),
        rec,
        signed_by,
        None if signed_at is None else moment_value(signed_at),
    )


@dataclass(frozen=True)
class EvidenceFile:
    """A piece of evidence kept as a file, with the fingerprint recorded when it was added."""

    action: str
    """The action's id, `PLAN/REF`."""
    evidence_id: int
    title: str
    path: str
    sha256: str | None
    size: int | None


EVIDENCE_FILES = Query(
    "evidence files",
    """
    SELECT p.slug, a.ref, v.id, v.title, v.file_path, v.sha256, v.size
    FROM evidence v JOIN actions a ON a.id = v.action_id JOIN plans p ON p.id = a.plan_id
    WHERE v.file_path IS NOT NULL AND {where}
    ORDER BY p.slug, a.ref, v.id""",
    ("slug", "ref", "id", "title", "file_path", "sha256", "size"),
)


def evidence_files(reader: Reader, plan: str | None = None) -> list[EvidenceFile]:
    """Every piece of evidence kept as a file, of plan `plan` or of all plans. NotFoundError
    for an unknown plan."""
    if plan is None:
        found = EVIDENCE_FILES.where("1 = 1").rows(reader)
    else:
        found = EVIDENCE_FILES.where("p.id = :plan").rows(reader, plan=plan_id(reader, plan))
    return [
        EvidenceFile(f"{slug}/{ref}", id, title, path, sha256, size)
        for slug, ref, id, title, path, sha256, size in found
    ]
