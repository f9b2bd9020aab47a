"""The board report: what the Head of Service takes to each management board meeting.

`board_report` gathers it, once, for every renderer (Markdown, HTML, DOCX): the plan's header
and four-week clock, the BRAG summary, red and overdue actions first, what falls due before the
next board meeting, the evidence added, what changed since the last board report (from the
audit trail), the decisions the board is asked to make, and the YJB's sign-offs.
`tracker.exporters.layout` lays it out as a document, which the renderers draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from tracker import rules
from tracker.exporters.data import ActionInfo, EvidenceItem, PlanData, day, kind_name
from tracker.queries.exports import changes_since as audited_changes
from tracker.queries.exports import last_board_report, plan_data
from tracker.queries.plan import ScoreRow, SignOffRow, sign_offs
from tracker.queries.reader import Reader
from tracker.vocab import (
    BOARD_REPORT_FIELD,
    SUBMITTED_INCOMPLETE,
    TEXT_AFTER_AGREEMENT,
    ActionStatus,
    Brag,
    PlanStatus,
    ReviewState,
)


@dataclass(frozen=True)
class Step:
    """A dated step in the plan's life: published, due, submitted, agreed..."""

    name: str
    on: date | None


@dataclass(frozen=True)
class Change:
    """One audited change, in words: `3.2`, `status: in progress -> complete`."""

    at: datetime
    actor: str
    ref: str
    """The action's ref (`3.2`), or empty for a change to the plan itself."""
    what: str


@dataclass(frozen=True)
class Decision:
    """Something the board is asked to decide, and why."""

    kind: str
    """`blocked`, `override` or `queried evidence`."""
    ref: str
    ask: str
    detail: str | None


@dataclass(frozen=True)
class BoardReport:
    """Everything a board report says about one plan on one day."""

    data: PlanData
    today: date
    steps: list[Step]
    on_time: bool | None
    """Whether the plan went in by the four-week deadline (None: not submitted, or due date
    unknown)."""
    next_meeting: date | None
    attention: list[ActionInfo]
    """Red and overdue actions, most overdue first."""
    due_before_meeting: list[ActionInfo]
    evidence: list[EvidenceItem]
    since: datetime | None
    since_last_report: bool
    """Whether `since` is the time the last board report was issued (rather than a date the
    user gave)."""
    changes: list[Change]
    decisions: list[Decision]
    sign_offs: list[SignOffRow]
    """The YJB's sign-offs of the plan and its recommendations, oldest first (all of them,
    whatever the filter)."""

    @property
    def title(self) -> str:
        """The plan's title."""
        return self.data.title

    @property
    def plan(self) -> str:
        """The plan's id (`stockton-2010`)."""
        return self.data.detail.id

    @property
    def inspection(self) -> str:
        """The inspection's kind, as a board paper names it."""
        return kind_name(self.data.detail.kind)

    @property
    def scores(self) -> list[ScoreRow]:
        """The inspection's headline scores, in the report's order."""
        return self.data.detail.scores

    @property
    def summary(self) -> rules.PlanSummary:
        """The BRAG summary of the actions reported on."""
        return self.data.summary


def as_utc(since: datetime | date) -> datetime:
    """A `--since` value as an aware UTC timestamp: a date means its first moment (UTC), a
    naive time is taken as UTC."""
    if not isinstance(since, datetime):
        return datetime.combine(since, time.min, UTC)
    return since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)


_FIELD_WORDS = {
    "target_on": "target date",
    "start_on": "start date",
    "completed_on": "completed",
    "success_measure": "success measure",
    "impact_check": "impact check",
    "brag_override_reason": "reason for the colour",
    "submitted_on": "submitted",
    "agreed_on": "agreed",
    "forwarded_on": "forwarded to the YJB",
    "closed_on": "closed",
    "text": "action",
    "owner": "lead role",
    "published": "publication date",
    "fieldwork_start": "fieldwork start",
    "fieldwork_end": "fieldwork end",
    "kind": "inspection",
    "board_meetings": "board meeting pattern",
    "board_meetings_start": "first board meeting",
    "scores": "headline scores",
    "owners": "owner roles",
    "response": "the service's response",
    "response_reason": "reason for the response",
}

_RECOMMENDATION_WORDS = {"text": "recommendation"}
"""Where a recommendation's field reads differently from an action's."""


_DATE_FIELDS = frozenset(
    {"target_on", "start_on", "completed_on", "submitted_on", "agreed_on", "forwarded_on"}
    | {"closed_on", "published", "fieldwork_start", "fieldwork_end", "board_meetings_start"}
    | {"withdrawn_on"}
)


def _as_day(value: str | None) -> str | None:
    """An audited date (`2010-09-30`, as the audit trail keeps it) as the report writes
    dates (`30 Sep 2010`); anything else as it is."""
    if value is None:
        return None
    try:
        return day(date.fromisoformat(value))
    except ValueError:
        return value


def describe(field: str, old: str | None, new: str | None, entity: str = "action") -> str:
    """An audit event's change in words a board member reads (`entity`: what changed, an
    action, a recommendation or the plan)."""
    if field in _DATE_FIELDS:
        old, new = _as_day(old), _as_day(new)
    if field == "added":
        if entity == "recommendation":
            return "recommendation added"
        return f"action added under recommendation {new}"
    if field == "withdrawn_on":
        return f"{entity} withdrawn on {new}" if new is not None else f"{entity} restored"
    if field == "withdrawn_reason":
        return (
            f"reason for withdrawing: {new}"
            if new is not None
            else "reason for withdrawing cleared"
        )
    if field == TEXT_AFTER_AGREEMENT:
        return f"recommendation's wording changed after the plan was agreed: {old} → {new}"
    if field == SUBMITTED_INCOMPLETE:
        return f"submitted although not ready: {new}"
    if field == "note":
        return f"progress note: {new}"
    if field == "evidence":
        return f"evidence added: {new}"
    if field == "evidence review":
        return f"YJB evidence review: {new}"
    if field == "sign-off":
        return f"YJB sign-off: {new}"
    if field == "loaded":
        return f"plan loaded from {new}"
    if field == "brag_override":
        if new is None:
            return f"colour no longer set by hand (was {old})"
        return f"colour set by hand to {new}" + (f" (was {old})" if old is not None else "")
    label = _FIELD_WORDS.get(field, field.replace("_", " "))
    if entity == "recommendation":
        label = _RECOMMENDATION_WORDS.get(field, label)
    if old is None:
        return f"{label} set to {new}"
    if new is None:
        return f"{label} cleared (was {old})"
    return f"{label}: {old} → {new}"


def changes_since(
    reader: Reader, slug: str, since: datetime | date, refs: Iterable[str] | None = None
) -> list[Change]:
    """The plan's audited changes after `since`, oldest first, in words; with `refs` (action
    refs), only changes to the plan itself and to those actions. Board reports being issued
    are not changes."""
    return [
        Change(c.at, c.actor, c.ref, describe(c.field, c.old, c.new, c.entity))
        for c in audited_changes(
            reader, slug, as_utc(since), refs=refs, leave_out=BOARD_REPORT_FIELD
        )
    ]


def _decisions(actions: list[ActionInfo], today: date) -> list[Decision]:
    """Blocked actions, colours set by hand, and evidence the YJB queried, in plan order."""
    found: list[Decision] = []
    for info in actions:
        row = info.row
        if row.status is ActionStatus.BLOCKED:
            note = info.latest_note
            found.append(
                Decision(
                    "blocked",
                    row.ref,
                    f"Action {row.ref} is blocked: agree how to unblock it, or change its "
                    "target or scope.",
                    f"Latest note ({day(note.on)}): {note.text}" if note else None,
                )
            )
        if row.brag.overridden:
            computed = rules.computed_brag(row.facts, today)
            found.append(
                Decision(
                    "override",
                    row.ref,
                    f"Action {row.ref} is shown {row.brag.colour.value} by hand (the rules give "
                    f"{computed.colour.value}: {computed.reason}): endorse or reject the colour.",
                    f"Reason given: {info.override_reason}" if info.override_reason else None,
                )
            )
        for ev in info.evidence:
            if ev.review is ReviewState.QUERIED:
                by = f" ({ev.reviewer}, {day(ev.reviewed)})" if ev.reviewed else ""
                found.append(
                    Decision(
                        "queried evidence",
                        row.ref,
                        f"The YJB queried the evidence “{ev.title}” for action {row.ref}{by}: "
                        "agree the response.",
                        f"Query: {ev.comment}" if ev.comment else None,
                    )
                )
    return found


def board_report(
    reader: Reader,
    plan_id: str,
    today: date,
    since: datetime | date | None = None,
    *,
    action_ids: Iterable[str] | None = None,
) -> BoardReport:
    """The board report for plan `plan_id` as of `today`. Changes are listed from `since`;
    when it is None, from the last board report issued (`last_board_report`), and when there
    has been none, not at all. `action_ids` keeps only those actions (a screen's filter)."""
    data = plan_data(reader, plan_id, today, action_ids)
    detail = data.detail
    steps = [
        Step("Published", detail.published),
        Step("Submission due", detail.submission_due),
        Step("Submitted", detail.steps[PlanStatus.SUBMITTED]),
        Step("Agreed", detail.steps[PlanStatus.AGREED]),
        Step("Forwarded to the YJB", detail.steps[PlanStatus.MONITORING]),
        Step("Closed", detail.steps[PlanStatus.CLOSED]),
    ]
    submitted = detail.steps[PlanStatus.SUBMITTED]
    on_time = (
        submitted <= detail.submission_due
        if submitted is not None and detail.submission_due is not None
        else None
    )
    attention = sorted(
        (a for a in data.actions if a.row.overdue or a.row.brag.colour is Brag.RED),
        key=lambda a: -a.days_overdue,
    )
    meeting = detail.next_meeting
    due = [
        a
        for a in data.actions
        if meeting is not None
        and a.row.status is not ActionStatus.COMPLETE
        and a.row.target is not None
        and today <= a.row.target <= meeting
    ]
    due.sort(key=lambda a: a.row.target or date.max)
    from_last = since is None
    start = last_board_report(reader, plan_id) if since is None else as_utc(since)
    evidence = [e for a in data.actions for e in a.evidence if start is None or e.added_at > start]
    refs = [a.row.ref for a in data.actions] if data.filtered else None
    changes = [] if start is None else changes_since(reader, plan_id, start, refs)
    return BoardReport(
        data=data,
        today=today,
        steps=steps,
        on_time=on_time,
        next_meeting=meeting,
        attention=attention,
        due_before_meeting=due,
        evidence=evidence,
        since=start,
        since_last_report=from_last and start is not None,
        changes=changes,
        decisions=_decisions(data.actions, today),
        sign_offs=sign_offs(reader, plan_id),
    )
