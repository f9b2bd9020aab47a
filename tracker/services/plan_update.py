"""Applying a plan file to its plan already in the database (`tracker load --update`, `tracker
edit`): the differences (`tracker.services.plan_diff`) made as audited changes through the
services' own steps (`edit_plan_in`, `add_action_in`, `update_action`'s `_update_in`, ...), in
one transaction: all of them, or, if any is refused or the file is out of date, none.

A dry run makes the same changes in the same transaction and rolls it back, so that it says
exactly what the update would do, or why it would be refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.errors import ConflictError, NotFoundError, NothingToChange, ServiceError
from tracker.models import AuditEvent, Evidence, ProgressUpdate
from tracker.planfile import EvidenceDoc, PlanDoc, UpdateDoc, evidence_path_problem
from tracker.queries.lookups import (
    changes_after,
    find_role,
    get_action,
    get_plan,
    get_recommendation,
    plan_exists,
)
from tracker.queries.plandoc import plan_doc
from tracker.queries.session import SessionReader
from tracker.services._audit import SHORT_TEXT, audit, check_actor, check_text, require_editor
from tracker.services._writing import (
    NeedsConfirmation,
)
from tracker.services.actions import _update_in, check_open
from tracker.services.authoring import (
    add_action_in,
    restore_action_in,
    withdraw_action_in,
)
from tracker.services.changes import (
    ActionChanges,
    NewAction,
    PlanChanges,
    RecommendationChanges,
    ScoreValue,
)
from tracker.services.plan_details import edit_plan_in
from tracker.services.plan_diff import (
    AddAction,
    AddNote,
    AddRecommendation,
    Change,
    Edit,
    FieldChange,
    Restore,
    Stale,
    Withdraw,
    diff_plan,
    shown,
)
from tracker.services.recommendations import (
    add_recommendation_in,
    edit_recommendation_in,
    restore_recommendation_in,
    withdraw_recommendation_in,
)
from tracker.services.roles import merge_role
from tracker.store import Store
from tracker.vocab import CLEARABLE, ActionStatus


@dataclass(frozen=True)
class UpdateReport:
    """What an update did (or, `dry_run`, would do): `lines` the changes as a readable diff,
    one line each; `warnings` what was kept as the database has it."""

    plan: str
    lines: list[str]
    warnings: list[str]
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether the file changes anything."""
        return bool(self.lines)


class FileRefused(ServiceError):
    """A plan file that cannot be applied: `problems` lists each reason. Nothing was saved."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class _DryRun(Exception):
    """Rolls a dry run's transaction back, carrying what it did."""

    def __init__(self, report: UpdateReport) -> None:
        super().__init__("dry run")
        self.report = report


def update_plan(
    store: Store,
    doc: PlanDoc,
    actor: str,
    today: date,
    *,
    dry_run: bool = False,
    confirmed: bool = False,
) -> UpdateReport:
    """Make plan `doc.id` what the checked plan file `doc` says, as audited changes through
    the services, in one transaction (all or nothing). A file written before a later change to
    a row it changes is a `ConflictError` naming what changed since; a file that cannot be
    applied (it leaves out a row, changes a note, ...) is a `FileRefused` listing why. A
    recommendation's text changed after agreement needs `confirmed` (`NeedsConfirmation`).
    With `dry_run`, the changes are made and rolled back: nothing is written."""
    require_editor(store)
    check_actor(actor)
    try:
        with store.write() as session:
            report = update_plan_in(session, doc, actor, today, confirmed=confirmed)
            if dry_run:
                raise _DryRun(UpdateReport(report.plan, report.lines, report.warnings, True))
            return report
    except _DryRun as done:
        return done.report


def update_plan_in(
    session: Session, doc: PlanDoc, actor: str, today: date, *, confirmed: bool = False
) -> UpdateReport:
    """`update_plan` inside a transaction the caller holds."""
    if not plan_exists(session, doc.id):
        raise NotFoundError(
            f"plan {doc.id!r} is not in the database: load the file without --update to add it"
        )
    current = plan_doc(SessionReader(session), doc.id)
    diff = diff_plan(current, doc, today)
    if diff.stale:
        raise _stale(session, doc.id, diff.stale, diff.refusals)
    if diff.refusals:
        raise FileRefused(
            f"plan {doc.id}: the file cannot be applied, nothing was saved:\n  - "
            + "\n  - ".join(diff.refusals),
            diff.refusals,
        )
    lines = _roles(session, doc, actor)
    versions: dict[tuple[str, str], int | None] = {("plan", doc.id): current.version}
    for rec in current.recommendations:
        versions["recommendation", rec.ref] = rec.version
        for action in rec.actions:
            versions["action", action.ref] = action.version
    step = _Steps(session, doc.id, actor, today, versions, confirmed)
    for change in diff.changes:
        try:
            step.make(change)
        except NothingToChange:
            continue  # the file's value is what the database holds once trimmed
        except (ConflictError, NeedsConfirmation):
            raise
        except ServiceError as exc:
            raise ServiceError(
                f"plan {doc.id}: cannot make the change `{change.lines()[0].strip()}`: {exc}. "
                "Nothing was saved."
            ) from None
        lines += change.lines()
    return UpdateReport(doc.id, lines, diff.warnings)


def _stale(
    session: Session, slug: str, stale: Sequence[Stale], refusals: list[str]
) -> ConflictError:
    """The refusal of a file written before later changes to rows it changes, with who changed
    what since (from the audit trail)."""
    plan = get_plan(session, slug)
    parts: list[str] = []
    events: list[AuditEvent] = []
    for row in stale:
        if row.entity == "plan":
            row_id = plan.id
        elif row.entity == "recommendation":
            row_id = get_recommendation(session, plan, row.ref).id
        else:
            row_id = get_action(session, f"{slug}/{row.ref}").id
        since = changes_after(session, row.entity, row_id, row.file_version)
        for event in since:
            session.expunge(event)  # kept readable after the transaction is rolled back
        events += since
        said = "; ".join(
            f"{e.field}: {e.old_value or '(none)'} -> {e.new_value or '(none)'} by {e.actor}"
            for e in since
        )
        parts.append(
            f"{row.entity} {row.ref} (the file's version {row.file_version}, now "
            f"{row.version}): changed since: {said or 'see tracker history'}; the file "
            f"changes {', '.join(row.keys)}"
        )
    also = "".join(f"\n  - {problem}" for problem in refusals)
    return ConflictError(
        f"plan {slug}: the file was written before later changes to rows it changes:\n  - "
        + "\n  - ".join(parts)
        + also
        + f"\nNothing was saved: dump the plan again (or `tracker edit {slug}`) and make your "
        "changes to that.",
        stale[0].version,
        events,
    )


def _roles(session: Session, doc: PlanDoc, actor: str) -> list[str]:
    """The file's roles and aliases the database does not know yet, added; their lines."""
    lines: list[str] = []
    for role in doc.roles:
        found = find_role(session, role.name)
        new = [a for a in role.aliases if find_role(session, a) is None]
        if found is None or new:
            merge_role(session, role, actor)
            if found is None:
                lines.append(f"+ role {shown(role.name)}")
            lines += [f"+ role {shown(role.name)} alias {shown(alias)}" for alias in new]
    return lines


_ACTION_FIELDS = {"start": "start_on", "target": "target_on", "completed": "completed_on"}
"""The plan file's action keys that `ActionChanges` names otherwise."""


class _Steps:
    """Makes each change through the services' steps inside the open transaction, keeping the
    version each row is at, so that a change made in between by someone else (on a server
    database) is still a conflict."""

    def __init__(
        self,
        session: Session,
        slug: str,
        actor: str,
        today: date,
        versions: dict[tuple[str, str], int | None],
        confirmed: bool,
    ) -> None:
        self.session = session
        self.slug = slug
        self.actor = actor
        self.today = today
        self.versions = versions
        self.confirmed = confirmed

    def full(self, ref: str) -> str:
        return f"{self.slug}/{ref}"

    def make(self, change: Change) -> None:
        """Make one change."""
        if isinstance(change, Edit):
            self._edit(change)
        elif isinstance(change, AddRecommendation):
            self._add_recommendation(change)
        elif isinstance(change, AddAction):
            self._add_action(change)
        elif isinstance(change, Withdraw):
            self._withdraw(change)
        elif isinstance(change, Restore):
            self._restore(change)
        elif isinstance(change, AddNote):
            self._note(change.action, change.note)
        else:
            self._evidence(change.action, change.evidence)

    def _edit(self, change: Edit) -> None:
        key = (change.entity, change.ref)
        if change.entity == "plan":
            version = edit_plan_in(
                self.session,
                self.slug,
                self.actor,
                _plan_changes(change.fields),
                self.versions.get(key),
            )
        elif change.entity == "recommendation":
            version = edit_recommendation_in(
                self.session,
                self.full(change.ref),
                self.actor,
                _recommendation_changes(change.fields),
                self.versions.get(key),
                confirmed=self.confirmed,
            )
        else:
            version = _update_in(
                self.session,
                self.full(change.ref),
                self.actor,
                self.today,
                _action_changes(change.fields),
                None,
                self.versions.get(key),
            )
        self.versions[key] = version

    def _withdraw(self, change: Withdraw) -> None:
        key = (change.entity, change.ref)
        full = self.full(change.ref)
        if change.entity == "recommendation":
            self.versions[key] = withdraw_recommendation_in(
                self.session, full, self.actor, change.on, change.reason, self.versions.get(key)
            )
            for ref in change.with_actions:
                self.versions["action", ref] = None  # moved on with it
        else:
            self.versions[key] = withdraw_action_in(
                self.session, full, self.actor, change.on, change.reason, self.versions.get(key)
            )

    def _restore(self, change: Restore) -> None:
        key = (change.entity, change.ref)
        full = self.full(change.ref)
        if change.entity == "recommendation":
            self.versions[key] = restore_recommendation_in(
                self.session, full, self.actor, self.versions.get(key)
            )
            for ref in change.with_actions:
                self.versions["action", ref] = None
        else:
            self.versions[key] = restore_action_in(
                self.session, full, self.actor, self.versions.get(key)
            )

    def _add_recommendation(self, change: AddRecommendation) -> None:
        doc = change.doc
        made = add_recommendation_in(
            self.session,
            self.slug,
            self.actor,
            doc.text,
            owners=doc.owners,
            response=doc.response,
            response_reason=doc.response_reason,
            theme=doc.theme,
        )
        self._same_ref("recommendation", change.ref, made)

    def _add_action(self, change: AddAction) -> None:
        doc = change.doc
        complete = doc.status is ActionStatus.COMPLETE
        new = NewAction(
            text=doc.text,
            lead_role=doc.owner,
            lead=doc.lead,
            start_on=doc.start,
            target_on=doc.target,
            success_measure=doc.success_measure,
            status=ActionStatus.NOT_STARTED if complete else doc.status,
        )
        made = add_action_in(self.session, self.full(change.recommendation), self.actor, new)
        self._same_ref("action", change.ref, made)
        # What adding an action does not set: its progress and completion, impact, colour.
        rest = ActionChanges(
            status=doc.status if complete else None,
            progress=doc.progress or None,
            completed_on=doc.completed,
            impact_check=doc.impact_check,
            brag_override=doc.brag_override,
            brag_override_reason=doc.brag_override_reason,
        )
        if rest != ActionChanges():
            _update_in(self.session, made, self.actor, self.today, rest, None, None)

    def _same_ref(self, entity: str, planned: str, made: str) -> None:
        ref = made.rpartition("/")[2]
        if ref != planned:  # pragma: no cover - plan_diff numbers as the services do
            raise ServiceError(f"the new {entity} was numbered {ref}, not {planned}")

    def _note(self, ref: str, note: UpdateDoc) -> None:
        full = self.full(ref)
        text = check_text(note.text, "the note", required=True)
        author = check_text(note.author, "the note's author", required=True, most=SHORT_TEXT)
        action = get_action(self.session, full)
        check_open(self.session, action)
        action.updates.append(ProgressUpdate(on=note.date, author=author, text=text))
        self.session.flush()
        audit(
            self.session, self.actor, "action", action.id, full, "note", None, text, action.version
        )

    def _evidence(self, ref: str, piece: EvidenceDoc) -> None:
        full = self.full(ref)
        check_text(piece.title, "the evidence title", required=True)
        if piece.reference is not None:
            check_text(piece.reference, "the evidence reference", required=True)
        if piece.file is not None:
            check_text(piece.file, "the evidence file name")
            problem = evidence_path_problem(piece.file)
            if problem is not None:
                raise ServiceError(f"evidence file: {problem}")
        action = get_action(self.session, full)
        check_open(self.session, action)
        action.evidence.append(
            Evidence(
                title=piece.title,
                kind=piece.kind,
                dated=piece.date,
                reference=piece.reference,
                file_path=piece.file,
                sha256=piece.sha256,
                size=piece.size,
                expires_on=piece.expires,
                added_by=self.actor,
            )
        )
        self.session.flush()
        what = (
            piece.reference
            if piece.reference is not None
            else f"{piece.file} (sha256 {piece.sha256})"
        )
        audit(
            self.session,
            self.actor,
            "action",
            action.id,
            full,
            "evidence",
            None,
            f"{piece.title}: {what}",
            action.version,
        )


def _plan_changes(fields: Sequence[FieldChange]) -> PlanChanges:
    values: dict[str, Any] = {}
    clear: set[str] = set()
    for f in fields:
        name = f.key.removeprefix("inspection.")
        if name == "scores":
            if f.new:
                values["scores"] = [
                    ScoreValue(s.name, s.percent, s.improvement, s.rating) for s in f.new
                ]
            else:
                clear.add("scores")
        elif f.new is None:
            clear.add(name)
        else:
            values[name] = f.new
    return PlanChanges(**values, clear=frozenset(clear))


def _recommendation_changes(fields: Sequence[FieldChange]) -> RecommendationChanges:
    values: dict[str, Any] = {}
    clear: set[str] = set()
    for f in fields:
        if f.key == "owners":
            values["owners"] = list(f.new)
        elif f.key == "response_reason":
            values["response_reason"] = f.new or ""  # "" empties it
        elif f.new is None:
            clear.add(f.key)  # response or theme (text is never empty)
        else:
            values[f.key] = f.new
    return RecommendationChanges(**values, clear=frozenset(clear))


def _action_changes(fields: Sequence[FieldChange]) -> ActionChanges:
    values: dict[str, Any] = {}
    clear: set[str] = set()
    for f in fields:
        name = _ACTION_FIELDS.get(f.key, f.key)
        if f.new is not None:
            values[name] = f.new
        elif name in CLEARABLE:
            clear.add(name)
        elif name != "completed_on":  # a status not complete empties the completion date
            values[name] = ""  # a text the services empty: the override's reason
    return ActionChanges(**values, clear=frozenset(clear))


__all__ = ["FileRefused", "UpdateReport", "update_plan", "update_plan_in"]
