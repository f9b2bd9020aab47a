"""What applying a plan file to its plan in the database would change: the differences between
the plan as the database holds it and as the file gives it, as the audited changes that make
them (`tracker load --update`, `tracker edit`). Pure: two `PlanDoc`s in, a `PlanDiff` out, no
database, so that every rule here is tested without one (tests/unit/test_plan_diff.py);
`tracker.services.plan_update` makes the changes through the services, in one transaction.

The rules:

- Nothing is removed by leaving it out. A recommendation, action, progress note or piece of
  evidence the database has and the file does not is refused, naming it: an action or a
  recommendation is withdrawn by marking it (`withdrawn`, `withdrawn_reason`); notes and
  evidence are never changed or removed, only added.
- A row the file changes must not have moved on in the database since the file was written:
  a file whose `version` of that row is older is stale (`PlanDiff.stale`), and the whole
  update is refused with what changed since.
- What a file cannot change is refused (a lifecycle step, the plan's notes, an action moved
  to another recommendation), except what is not the manager's to decide: closing the plan
  and the YJB's review of evidence are kept as the database has them, with a warning.
- A new row's ref is the one the services would give it (the next free number); a file that
  gives another is told which.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from tracker.planfile import (
    ActionDoc,
    EvidenceDoc,
    PlanDoc,
    RecommendationDoc,
    ScoreDoc,
    UpdateDoc,
)
from tracker.services.refs import next_action_ref, next_recommendation_ref
from tracker.vocab import PlanStatus, ReviewState

ACTION_KEYS = (
    "text",
    "owner",
    "lead",
    "start",
    "target",
    "status",
    "progress",
    "success_measure",
    "completed",
    "impact_check",
    "brag_override",
    "brag_override_reason",
)
"""The action keys a file changes (each through `update_action`)."""
RECOMMENDATION_KEYS = ("text", "owners", "response", "response_reason", "theme")
"""The recommendation keys a file changes (through `edit_recommendation`)."""
PLAN_KEYS = ("title", "board_meetings", "board_meetings_start")
INSPECTION_KEYS = ("area", "kind", "published", "fieldwork_start", "fieldwork_end", "scores")
"""The plan's own details a file changes (through `edit_plan`): the plan's keys and its
inspection's, the latter named `inspection.KEY`."""
LIFECYCLE_KEYS = ("status", "submitted", "agreed", "forwarded", "closed")
FIXED_PLAN_KEYS = ("notes", "submitted_incomplete")
FIXED_INSPECTION_KEYS = ("published_note", "source")
"""What a file cannot change: recorded as it happens (`tracker step`), or kept as loaded."""


def shown(value: Any) -> str:
    """A value as the diff shows it: text quoted, a date in ISO, `(none)` for nothing."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, ScoreDoc):
        parts = [value.name]
        if value.percent is not None:
            parts.append(f"{value.percent}%")
        parts += [v.value for v in (value.improvement, value.rating) if v is not None]
        return json.dumps(" ".join(parts), ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return str(value)


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return json.dumps(flat if len(flat) <= width else flat[: width - 1] + "…", ensure_ascii=False)


@dataclass(frozen=True)
class FieldChange:
    """One field's change: its key in the file, the value the database holds, the file's."""

    key: str
    old: Any
    new: Any

    def text(self) -> str:
        return f"{self.key}: {shown(self.old)} -> {shown(self.new)}"


@dataclass(frozen=True)
class Edit:
    """Fields of the plan, a recommendation or an action changed."""

    entity: str
    ref: str
    fields: tuple[FieldChange, ...]

    def lines(self) -> list[str]:
        return [f"~ {self.entity} {self.ref} {f.text()}" for f in self.fields]


def _details(doc: Any, keys: Sequence[str]) -> list[str]:
    return [
        f"    {key}: {shown(getattr(doc, key))}"
        for key in keys
        if getattr(doc, key) not in (None, [])
    ]


def _renumbered(file_ref: str, ref: str, under: str) -> str:
    return "" if file_ref == ref else f" (the file's {file_ref}: {under})"


@dataclass(frozen=True)
class AddRecommendation:
    """A recommendation the plan does not have, with `ref` the next free number."""

    ref: str
    doc: RecommendationDoc

    def lines(self) -> list[str]:
        note = _renumbered(self.doc.ref, self.ref, "the next free recommendation ref")
        first = f"+ recommendation {self.ref} {shown(self.doc.text)}{note}"
        return [first, *_details(self.doc, RECOMMENDATION_KEYS[1:])]


@dataclass(frozen=True)
class AddAction:
    """An action the plan does not have, under recommendation `recommendation`, with `ref` the
    next free number under it. Its notes and evidence follow as their own changes."""

    ref: str
    recommendation: str
    doc: ActionDoc

    def lines(self) -> list[str]:
        under = f"the next free ref under recommendation {self.recommendation}"
        note = _renumbered(self.doc.ref, self.ref, under)
        first = f"+ action {self.ref} {shown(self.doc.text)}{note}"
        keys = [k for k in ACTION_KEYS[1:] if k not in ("status", "progress")]
        extra = _details(self.doc, keys)
        if self.doc.status.value != "not started" or self.doc.progress:
            extra.insert(0, f"    status: {self.doc.status.value}, progress {self.doc.progress}%")
        return [first, *extra]


@dataclass(frozen=True)
class Withdraw:
    """A recommendation or action withdrawn on `on` for `reason` (a recommendation's live
    actions, `with_actions`, go with it)."""

    entity: str
    ref: str
    on: date
    reason: str
    with_actions: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        with_them = (
            f" (with its actions {', '.join(self.with_actions)})" if self.with_actions else ""
        )
        return [f"- {self.entity} {self.ref} withdrawn on {self.on}: {self.reason}{with_them}"]


@dataclass(frozen=True)
class Restore:
    """A withdrawn recommendation or action brought back (a recommendation's actions withdrawn
    with it, `with_actions`, come back with it)."""

    entity: str
    ref: str
    with_actions: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        with_them = (
            f" (with its actions {', '.join(self.with_actions)})" if self.with_actions else ""
        )
        return [f"+ {self.entity} {self.ref} restored{with_them}"]


@dataclass(frozen=True)
class AddNote:
    """A progress note added to an action."""

    action: str
    note: UpdateDoc

    def lines(self) -> list[str]:
        n = self.note
        return [f"+ action {self.action} note {n.date} by {n.author}: {shown(n.text)}"]


@dataclass(frozen=True)
class AddEvidence:
    """A piece of evidence added to an action (as pending review)."""

    action: str
    evidence: EvidenceDoc

    def lines(self) -> list[str]:
        e = self.evidence
        where = e.reference if e.reference is not None else e.file
        return [f"+ action {self.action} evidence {shown(e.title)} ({where})"]


Change = Edit | AddRecommendation | AddAction | Withdraw | Restore | AddNote | AddEvidence


@dataclass(frozen=True)
class Stale:
    """A row the file changes although the database has moved on since the file was written:
    the file's version of it is `file_version`, the database's `version`."""

    entity: str
    ref: str
    file_version: int
    version: int
    keys: tuple[str, ...]


@dataclass
class PlanDiff:
    """What applying the file would do: the changes in the order to make them, the problems
    that refuse it (nothing is then written), stale rows (which refuse it too), and warnings
    (what is kept as the database has it)."""

    plan: str
    changes: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The changes as a readable diff, one line each (`~` changed, `+` added or restored,
        `-` withdrawn)."""
        return [line for change in self.changes for line in change.lines()]


@dataclass
class _Row:
    """What the file changes of one row, held back until the row's version is checked."""

    entity: str
    ref: str
    file_version: int | None
    version: int | None
    keys: list[str] = field(default_factory=list)
    first: list[Change] = field(default_factory=list)
    last: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    def refuse(self, key: str, problem: str) -> None:
        self.keys.append(key)
        self.refusals.append(problem)


def _reason_with(rec_ref: str, reason: str) -> str:
    """The reason the services give an action withdrawn with its recommendation."""
    return f"with recommendation {rec_ref}: {reason}"


def _changed(current: Any, wanted: Any, keys: Sequence[str], prefix: str = "") -> list[FieldChange]:
    return [
        FieldChange(prefix + key, getattr(current, key), getattr(wanted, key))
        for key in keys
        if getattr(current, key) != getattr(wanted, key)
    ]


def diff_plan(current: PlanDoc, wanted: PlanDoc, today: date) -> PlanDiff:
    """What applying `wanted` (a plan file) to `current` (the same plan as the database holds
    it, with its rows' versions) would change, on `today`."""
    return _Differ(current, wanted, today).run()


class _Differ:
    def __init__(self, current: PlanDoc, wanted: PlanDoc, today: date) -> None:
        self.current = current
        self.wanted = wanted
        self.today = today
        self.diff = PlanDiff(current.id)
        self.rec_refs = [r.ref for r in current.recommendations]
        self.action_refs = [a.ref for r in current.recommendations for a in r.actions]
        self.actions_now = {a.ref: (r.ref, a) for r in current.recommendations for a in r.actions}
        self.actions_wanted = {a.ref: (r.ref, a) for r in wanted.recommendations for a in r.actions}

    def run(self) -> PlanDiff:
        if self.wanted.id != self.current.id:
            self.diff.refusals.append(
                f"the file is plan {self.wanted.id!r}, not {self.current.id!r}: a plan's id "
                "cannot change"
            )
            return self.diff
        self._plan()
        self._left_out()
        recs_now = {r.ref: r for r in self.current.recommendations}
        for rec in self.wanted.recommendations:
            if rec.ref in recs_now:
                self._recommendation(recs_now[rec.ref], rec)
            else:
                self._new_recommendation(rec)
        return self.diff

    # Rows --------------------------------------------------------------------------------------

    def _settle(self, row: _Row) -> bool:
        """Whether the row's changes may be made: a row the file changes must be at the
        version the file was written from, and what the file does to it allowed. Records it
        as stale, or its refusals, if not."""
        if not row.keys:
            return True
        fv, v = row.file_version, row.version
        if fv is not None and v is not None and fv < v:
            self.diff.stale.append(
                Stale(row.entity, row.ref, fv, v, tuple(dict.fromkeys(row.keys)))
            )
            return False
        if fv is not None and v is not None and fv > v:
            self.diff.refusals.append(
                f"{row.entity} {row.ref}: the file gives version {fv}, the database holds "
                f"version {v}: the file was not written from this database (dump the plan again)"
            )
            return False
        if row.refusals:
            self.diff.refusals.extend(row.refusals)
            return False
        self.diff.changes.extend(row.first)
        return True

    # The plan's own details --------------------------------------------------------------------

    def _plan(self) -> None:
        now, want = self.current, self.wanted
        row = _Row("plan", now.id, want.version, now.version)
        fields = _changed(now, want, PLAN_KEYS)
        fields += _changed(now.inspection, want.inspection, INSPECTION_KEYS, "inspection.")
        if fields:
            row.keys += [f.key for f in fields]
            row.first.append(Edit("plan", now.id, tuple(fields)))
        steps = _changed(now, want, LIFECYCLE_KEYS)
        closing = [
            f
            for f in steps
            if f.key == "closed" or (f.key == "status" and PlanStatus.CLOSED in (f.old, f.new))
        ]
        others = [f for f in steps if f not in closing]
        if others:
            row.refuse(
                "status",
                f"plan {now.id}: {'; '.join(f.text() for f in others)}: a lifecycle step is "
                f"recorded with `tracker step {now.id} STEP --on DATE`, not by editing the file",
            )
        if closing:
            self.diff.warnings.append(
                f"plan {now.id}: closing a plan is the YJB's sign-off, not a file's: kept "
                f"status {now.status.value}, closed {shown(now.closed)}"
            )
        fixed = _changed(now, want, FIXED_PLAN_KEYS)
        fixed += _changed(now.inspection, want.inspection, FIXED_INSPECTION_KEYS, "inspection.")
        for f in fixed:
            row.refuse(
                f.key,
                f"plan {now.id}: {f.key} cannot be changed by a file (the database holds "
                f"{shown(f.old)})",
            )
        self._settle(row)

    # What the file leaves out ------------------------------------------------------------------

    def _left_out(self) -> None:
        wanted_recs = {r.ref for r in self.wanted.recommendations}
        how = f'withdrawn = {self.today.isoformat()} and withdrawn_reason = "why"'
        for rec in self.current.recommendations:
            if rec.ref not in wanted_recs:
                self.diff.refusals.append(
                    f"recommendation {rec.ref} is not in the file: nothing is removed by leaving "
                    f"it out (to withdraw it, keep it and give it {how})"
                )
        for ref, (rec_ref, _) in self.actions_now.items():
            if ref not in self.actions_wanted:
                self.diff.refusals.append(
                    f"action {ref} is not in the file: nothing is removed by leaving it out (to "
                    f"withdraw it, keep it and give it {how})"
                )
            elif self.actions_wanted[ref][0] != rec_ref:
                self.diff.refusals.append(
                    f"action {ref} belongs to recommendation {rec_ref}, and the file puts it "
                    f"under recommendation {self.actions_wanted[ref][0]}: an action cannot move "
                    "(withdraw it, and add a new one where it belongs)"
                )
        now = [r.ref for r in self.current.recommendations if r.ref in wanted_recs]
        want = [r.ref for r in self.wanted.recommendations if r.ref in set(self.rec_refs)]
        if now != want:
            self.diff.warnings.append(
                "the file lists the recommendations in another order: a file cannot reorder "
                "them, the order is kept"
            )

    # Recommendations ---------------------------------------------------------------------------

    def _recommendation(self, now: RecommendationDoc, want: RecommendationDoc) -> None:
        row = _Row("recommendation", now.ref, want.version, now.version)
        restoring = now.withdrawn is not None and want.withdrawn is None
        withdrawing = now.withdrawn is None and want.withdrawn is not None
        back: set[str] = set()
        if restoring:
            assert now.withdrawn_reason is not None
            with_it = _reason_with(now.ref, now.withdrawn_reason)
            back = {
                a.ref
                for a in now.actions
                if a.withdrawn == now.withdrawn and a.withdrawn_reason == with_it
            }
            row.keys.append("withdrawn")
            row.first.append(
                Restore(
                    "recommendation", now.ref, tuple(a.ref for a in now.actions if a.ref in back)
                )
            )
        elif now.withdrawn is not None and (now.withdrawn, now.withdrawn_reason) != (
            want.withdrawn,
            want.withdrawn_reason,
        ):
            row.refuse(
                "withdrawn",
                f"recommendation {now.ref} was withdrawn on {now.withdrawn}: "
                f"{now.withdrawn_reason}; a file cannot change when or why (restore it, then "
                "withdraw it again)",
            )
        fields = _changed(now, want, RECOMMENDATION_KEYS)
        if fields:
            row.keys += [f.key for f in fields]
            row.first.append(Edit("recommendation", now.ref, tuple(fields)))
        cascade: tuple[date, str] | None = None
        if withdrawing:
            assert want.withdrawn is not None and want.withdrawn_reason is not None
            reason = want.withdrawn_reason.strip()
            cascade = (want.withdrawn, _reason_with(now.ref, reason))
            row.keys.append("withdrawn")
            self._not_after_today(row, f"recommendation {now.ref}", want.withdrawn)
        settled = self._settle(row)
        old_order = [a.ref for a in now.actions]
        in_file = [a.ref for a in want.actions if a.ref in old_order]
        if [r for r in old_order if r in in_file] != in_file:
            self.diff.warnings.append(
                f"the file lists the actions of recommendation {now.ref} in another order: a file "
                "cannot reorder them, the order is kept"
            )
        actions_now = {a.ref: a for a in now.actions}
        for action in want.actions:
            if action.ref in actions_now:
                self._action(actions_now[action.ref], action, now.ref, back, cascade)
            elif action.ref not in self.actions_now:
                self._new_action(action, now.ref)
        if withdrawing and settled:
            assert want.withdrawn is not None and want.withdrawn_reason is not None
            # The service withdraws the recommendation's live actions with it.
            live = tuple(a.ref for a in now.actions if a.withdrawn is None)
            reason = want.withdrawn_reason.strip()
            self.diff.changes.append(
                Withdraw("recommendation", now.ref, want.withdrawn, reason, live)
            )

    def _new_recommendation(self, want: RecommendationDoc) -> None:
        ref = next_recommendation_ref(self.rec_refs)
        self.rec_refs.append(ref)
        if want.withdrawn is not None:
            self.diff.refusals.append(
                f"recommendation {want.ref} is new: it cannot start withdrawn (add it, then "
                "withdraw it)"
            )
            return
        if want.version is not None:
            self.diff.warnings.append(
                f"recommendation {want.ref} gives a version but is not in the database: added "
                "as new"
            )
        self.diff.changes.append(AddRecommendation(ref, want))
        for action in want.actions:
            if action.ref not in self.actions_now:
                self._new_action(action, ref)

    # Actions -----------------------------------------------------------------------------------

    def _action(
        self,
        now: ActionDoc,
        want: ActionDoc,
        rec_ref: str,
        back: set[str],
        cascade: tuple[date, str] | None,
    ) -> None:
        """The changes to an action the plan has, under recommendation `rec_ref` (whose
        restoring brings back the actions `back`; whose withdrawal, `cascade`, is the date and
        reason its live actions are withdrawn with)."""
        row = _Row("action", now.ref, want.version, now.version)
        was = (None, None) if now.ref in back else (now.withdrawn, now.withdrawn_reason)
        will = (want.withdrawn, want.withdrawn_reason)
        if was[0] is not None and will[0] is None:
            row.keys.append("withdrawn")
            row.first.append(Restore("action", now.ref))
        fields = _changed(now, want, ACTION_KEYS)
        if fields:
            row.keys += [f.key for f in fields]
            row.first.append(Edit("action", now.ref, tuple(fields)))
        for note in self._notes(row, now, want):
            row.keys.append("progress notes")
            row.first.append(AddNote(now.ref, note))
        for evidence in self._evidence(row, now.ref, now.evidence, want.evidence):
            row.keys.append("evidence")
            row.first.append(AddEvidence(now.ref, evidence))
        if was[0] is None and will[0] is not None:
            row.keys.append("withdrawn")
            if cascade is not None:
                if will != cascade:
                    self.diff.warnings.append(
                        f"action {now.ref} is withdrawn with recommendation {rec_ref}, as the "
                        f"tracker records it: on {cascade[0]}, {shown(cascade[1])}"
                    )
            else:
                assert will[0] is not None and will[1] is not None
                self._not_after_today(row, f"action {now.ref}", will[0])
                row.last.append(Withdraw("action", now.ref, will[0], will[1].strip()))
        elif was[0] is not None and will[0] is not None and was != will:
            row.refuse(
                "withdrawn",
                f"action {now.ref} was withdrawn on {was[0]}: {was[1]}; a file cannot change "
                "when or why (restore it, then withdraw it again)",
            )
        if self._settle(row):
            self.diff.changes.extend(row.last)

    def _not_after_today(self, row: _Row, what: str, on: date) -> None:
        if on > self.today:
            row.refuse(
                "withdrawn", f"{what} cannot be withdrawn after today ({on} is after {self.today})"
            )

    def _new_action(self, want: ActionDoc, rec_ref: str) -> None:
        ref = next_action_ref(rec_ref, self.action_refs)
        self.action_refs.append(ref)
        if want.withdrawn is not None:
            self.diff.refusals.append(
                f"action {want.ref} is new: it cannot start withdrawn (add it, then withdraw it)"
            )
            return
        self.diff.changes.append(AddAction(ref, rec_ref, want))
        row = _Row("action", ref, None, None)
        empty = ActionDoc(ref=ref, text=want.text)
        for note in self._notes(row, empty, want):
            self.diff.changes.append(AddNote(ref, note))
        for evidence in self._evidence(row, ref, [], want.evidence):
            self.diff.changes.append(AddEvidence(ref, evidence))
        self.diff.refusals.extend(row.refusals)

    def _notes(self, row: _Row, now: ActionDoc, want: ActionDoc) -> list[UpdateDoc]:
        """The file's notes the action does not have yet; a note of the action's that the file
        changes or leaves out is refused."""
        new = list(want.updates)
        missing = []
        for note in now.updates:
            if note in new:
                new.remove(note)
            else:
                missing.append(note)
        for note in missing:
            said = (
                f"action {now.ref}: the progress note of {note.date} by {note.author} "
                f"({_short(note.text)})"
            )
            twin = next((n for n in new if (n.date, n.author) == (note.date, note.author)), None)
            if twin is not None:
                row.refuse(
                    "progress notes",
                    f"{said} is changed in the file: progress notes are never changed (add a "
                    "new one)",
                )
            else:
                row.refuse(
                    "progress notes",
                    f"{said} is not in the file: progress notes are never removed (if it was "
                    "added since the file was written, dump the plan again)",
                )
        for note in new:
            if note.date > self.today:
                row.refuse(
                    "progress notes",
                    f"action {now.ref}: a progress note cannot be dated after today "
                    f"({note.date} is after {self.today})",
                )
        return new

    def _evidence(
        self, row: _Row, ref: str, now: Sequence[EvidenceDoc], want: Sequence[EvidenceDoc]
    ) -> list[EvidenceDoc]:
        """The file's evidence the action does not have yet; evidence of the action's that the
        file changes or leaves out is refused; a review the file gives differently is kept."""
        new = list(want)
        missing = []
        for held in now:
            same = [e for e in new if _kept(e) == _kept(held)]
            if not same:
                missing.append(held)
                continue
            match = next((e for e in same if _review(e) == _review(held)), same[0])
            new.remove(match)
            if _review(match) != _review(held):
                self.diff.warnings.append(
                    f"action {ref}: evidence {shown(held.title)} is {_review_said(held)} in the "
                    f"database, {_review_said(match)} in the file: the review is the YJB's, kept"
                )
        for held in missing:
            said = f"action {ref}: evidence {shown(held.title)}"
            if any(e.title == held.title for e in new):
                row.refuse(
                    "evidence",
                    f"{said} is changed in the file: evidence is never changed (add a new piece)",
                )
            else:
                row.refuse(
                    "evidence",
                    f"{said} is not in the file: evidence is never removed (if it was added since "
                    "the file was written, dump the plan again)",
                )
        for piece in new:
            if _review(piece) != _PENDING:
                self.diff.warnings.append(
                    f"action {ref}: new evidence {shown(piece.title)} is added as pending review "
                    f"(the file says {_review_said(piece)}): the review is the YJB's"
                )
        return new


_PENDING = (ReviewState.PENDING, None, None, None)


def _kept(e: EvidenceDoc) -> tuple[Any, ...]:
    """What a piece of evidence is, as the service recorded it (not its review)."""
    return (e.title, e.kind, e.date, e.reference, e.file, e.sha256, e.size, e.expires)


def _review(e: EvidenceDoc) -> tuple[Any, ...]:
    return (e.review, e.reviewer, e.reviewed, e.review_comment)


def _review_said(e: EvidenceDoc) -> str:
    by = f" by {e.reviewer}" if e.reviewer else ""
    on = f" on {e.reviewed}" if e.reviewed else ""
    return f"{e.review.value}{by}{on}"


__all__ = [
    "ACTION_KEYS",
    "RECOMMENDATION_KEYS",
    "AddAction",
    "AddEvidence",
    "AddNote",
    "AddRecommendation",
    "Change",
    "Edit",
    "FieldChange",
    "PlanDiff",
    "Restore",
    "Stale",
    "Withdraw",
    "diff_plan",
    "shown",
]
