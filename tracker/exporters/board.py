"""The board report: what the Head of Service takes to each management board meeting.

`board_report` gathers it, once, for every renderer (Markdown, HTML, DOCX): the plan's header
and four-week clock, the BRAG summary, red and overdue actions first, what falls due before the
next board meeting, the evidence added, what changed since the last board report (from the
audit trail), the decisions the board is asked to make, and the YJB's sign-offs.
`tracker.exporters.layout` lays it out as a document, which the renderers draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from tracker import rules
from tracker.exporters.data import ActionInfo, EvidenceItem, PlanData, day, kind_name
from tracker.queries.exports import AuditedChange, IssuedReport, board_reports_issued, plan_data
from tracker.queries.exports import changes_since as audited_changes
from tracker.queries.plan import PlanDetail, ScoreRow, SignOffRow, plan_detail, sign_offs
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
class Moved:
    """What moved on one action (or recommendation, or the plan itself) since the last board
    report, in words, with who reported it: one row of "what changed"."""

    what: str
    """`3.2`, `Recommendation 3`, or `The plan`."""
    text: str
    """The action's text (empty for the plan, or for a recommendation or action no longer in
    the report)."""
    lines: list[str]
    """Each thing that moved: `colour: amber → red (overdue by 12 days)`, `status: in progress
    → complete`, `progress: 40% → 60%`, a progress note, evidence added..."""
    reported_by: list[str]
    """Who reported it, each with the day of their latest change: `Ann Lead (15 Sep 2010)`."""


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
    moved: list[Moved]
    """The changes grouped by what they changed, the plan first, then by ref; with the
    actions whose colour moved although nobody changed them (a target date passed)."""
    decisions: list[Decision]
    issued_for_meeting: list[IssuedReport]
    """Board reports already issued for the same meeting as this one (`meeting_papers`): a
    report issued now is another copy of the same papers, listing changes from the same
    point."""
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
    if field == "progress" and old is not None and new is not None:
        return f"progress: {old}% → {new}%"
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
        for c in _audited(reader, slug, since, refs)
    ]


def _audited(
    reader: Reader, slug: str, since: datetime | date, refs: Iterable[str] | None
) -> list[AuditedChange]:
    return audited_changes(reader, slug, as_utc(since), refs=refs, leave_out=BOARD_REPORT_FIELD)


_EVENTS = frozenset(
    {"added", "withdrawn_on", "withdrawn_reason", "note", "evidence", "evidence review"}
    | {"sign-off", "loaded", TEXT_AFTER_AGREEMENT, SUBMITTED_INCOMPLETE}
)
"""Audited fields that are events, each listed, rather than values that move (of which only
the first value and the last are listed)."""

_STATUSES = {s.value: s for s in ActionStatus}
_COLOURS = {c.value: c for c in Brag}


def _ref_key(ref: str) -> tuple[tuple[int, int | str], ...]:
    """`3.10` after `3.9`: a ref's parts as numbers where they are numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in ref.split("."))


def _colour_then(
    info: ActionInfo, first_old: dict[str, str | None], since: datetime, today: date
) -> Brag:
    """The colour action `info` had when the last report was issued: its facts with each
    field changed since put back to its value then, on that day (or `today`, if earlier)."""
    facts = info.row.facts
    old: dict[str, object] = {}
    if "status" in first_old and first_old["status"] in _STATUSES:
        old["status"] = _STATUSES[first_old["status"] or ""]
    for field, name in (("target_on", "target"), ("start_on", "start")):
        if field in first_old:
            value = first_old[field]
            with suppress(ValueError):
                old[name] = None if value is None else date.fromisoformat(value)
    if "progress" in first_old:
        with suppress(ValueError):
            old["progress"] = int(first_old["progress"] or 0)
    if "brag_override" in first_old:
        value = first_old["brag_override"]
        old["override"] = None if value is None else _COLOURS.get(value)
    if not any(e.added_at <= since for e in info.evidence):
        old["evidenced"] = False
    then = min(since.astimezone(UTC).date(), today)
    return rules.brag(facts._replace(**old), then).colour  # type: ignore[arg-type]


def _who(changes: list[AuditedChange]) -> list[str]:
    """Who made `changes`, in the order they first did, each with the day of their last."""
    last: dict[str, date] = {}
    for c in changes:
        last.pop(c.actor, None)
        last[c.actor] = c.at.astimezone(UTC).date()
    first = list(dict.fromkeys(c.actor for c in changes))
    return [f"{actor} ({day(last[actor])})" for actor in first]


def _lines(changes: list[AuditedChange], entity: str) -> tuple[list[str], dict[str, str | None]]:
    """What `changes` (one thing's, oldest first) moved, in words: a value that moved more than
    once from its first value to its last, each event (a note, evidence) as it came; and each
    value's first old value."""
    first_old: dict[str, str | None] = {}
    last_new: dict[str, str | None] = {}
    order: list[tuple[str, AuditedChange | None]] = []
    for c in changes:
        if c.field in _EVENTS:
            order.append((c.field, c))
            continue
        if c.field not in first_old:
            first_old[c.field] = c.old
            order.append((c.field, None))
        last_new[c.field] = c.new
    lines = []
    for field, event in order:
        if event is not None:
            lines.append(describe(field, event.old, event.new, event.entity))
            continue
        old, new = first_old[field], last_new[field]
        if old == new:
            back = describe(field, None, new, entity) if new is not None else field
            lines.append(f"{back} again (changed, then changed back)")
        else:
            lines.append(describe(field, old, new, entity))
    return lines, first_old


def what_moved(
    report_actions: list[ActionInfo],
    changes: list[AuditedChange],
    since: datetime,
    today: date,
    plan_title: str,
) -> list[Moved]:
    """The changes since the last report grouped by what they changed (the plan, a
    recommendation, an action), each thing's values from first to last and its events, with
    the colour an action had then and has now when they differ, whether or not anyone changed
    it, and who reported it. The plan first, then by ref."""
    by_thing: dict[tuple[str, str], list[AuditedChange]] = {}
    for c in changes:
        entity = c.entity if c.ref else "plan"
        by_thing.setdefault((entity, c.ref), []).append(c)
    actions = {a.row.ref: a for a in report_actions}
    keys = set(by_thing) | {("action", ref) for ref in actions}
    moved = []
    for entity, ref in sorted(keys, key=lambda k: (k[0] != "plan", _ref_key(k[1]), k[0])):
        found = by_thing.get((entity, ref), [])
        lines, first_old = _lines(found, entity)
        info = actions.get(ref) if entity == "action" else None
        if info is not None:
            then, now = _colour_then(info, first_old, since, today), info.row.brag.colour
            if then is not now:
                colour = f"colour: {then.value} → {now.value} ({info.row.brag.reason})"
                lines.insert(0, colour)
        if not lines:
            continue
        what = {"plan": "The plan", "recommendation": f"Recommendation {ref}"}.get(entity, ref)
        text = plan_title if entity == "plan" else info.row.text if info else ""
        who = _who(found) or ["no update recorded: the colour follows the dates and evidence"]
        moved.append(Moved(what, text, lines, who))
    return moved


def _meeting_of(detail: PlanDetail, on: date, anchor: date) -> date:
    """The board meeting that papers issued on day `on` are for: the first meeting on or after
    it by the plan's pattern (counted from its first meeting, else its publication, else
    `anchor`), or, with no pattern or one that has ended, the day itself."""
    if detail.board_meetings:
        start = detail.board_meetings_start or detail.published or anchor
        meeting = rules.next_meeting(detail.board_meetings, start, on)
        if meeting is not None:
            return meeting
    return on


@dataclass(frozen=True)
class MeetingPapers:
    """Where a board report issued now stands among those issued before it."""

    since: datetime | None
    """When the latest report for an earlier meeting was issued: what changed after it is new
    to the board (None: no report for an earlier meeting)."""
    already: list[IssuedReport]
    """Reports already issued for the same meeting as one issued now, oldest first."""


def meeting_papers(detail: PlanDetail, issued: list[IssuedReport], now: datetime) -> MeetingPapers:
    """Group the board reports `issued` (oldest first) by the meeting each was issued for
    (`_meeting_of`, on its UTC day), and place a report issued at `now` among them: every
    report issued for the same meeting (a board pack in several formats, or a copy in another
    format later) lists the changes since the last report for an earlier meeting, so that one
    meeting's papers all say the same."""
    if not issued:
        return MeetingPapers(None, [])
    anchor = issued[0].at.astimezone(UTC).date()
    current = _meeting_of(detail, now.astimezone(UTC).date(), anchor)
    earlier: list[IssuedReport] = []
    same: list[IssuedReport] = []
    for report in issued:
        meeting = _meeting_of(detail, report.at.astimezone(UTC).date(), anchor)
        (earlier if meeting < current else same).append(report)
    return MeetingPapers(earlier[-1].at if earlier else None, same)


def papers_for(reader: Reader, plan_id: str, today: date, now: datetime) -> MeetingPapers:
    """Where a board report for plan `plan_id` issued at `now` stands (`meeting_papers`)."""
    return meeting_papers(
        plan_detail(reader, plan_id, today), board_reports_issued(reader, plan_id), now
    )


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
    now: datetime | None = None,
) -> BoardReport:
    """The board report for plan `plan_id` as of `today`. Changes are listed from `since`;
    when it is None, from the last board report issued for an earlier meeting than one issued
    at `now` (default: the clock; `meeting_papers`), and when there has been none, not at all.
    `action_ids` keeps only those actions (a screen's filter)."""
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
    papers = MeetingPapers(None, [])
    if since is None:
        issued = board_reports_issued(reader, plan_id)
        papers = meeting_papers(detail, issued, now or datetime.now(UTC))
    start = papers.since if since is None else as_utc(since)
    evidence = [e for a in data.actions for e in a.evidence if start is None or e.added_at > start]
    refs = [a.row.ref for a in data.actions] if data.filtered else None
    audited = [] if start is None else _audited(reader, plan_id, start, refs)
    changes = [
        Change(c.at, c.actor, c.ref, describe(c.field, c.old, c.new, c.entity)) for c in audited
    ]
    moved = [] if start is None else what_moved(data.actions, audited, start, today, data.title)
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
        moved=moved,
        decisions=_decisions(data.actions, today),
        issued_for_meeting=papers.already,
        sign_offs=sign_offs(reader, plan_id),
    )
