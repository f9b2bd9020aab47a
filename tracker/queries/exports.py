"""The reads every plan export shares: one plan read once for export (`plan_data`: its header,
each action with its colour, and the words behind each action that the lists leave out: the
recommendation's text, the success measure, the latest progress note, the evidence), and the
audit trail since the last board report. One line per plan for a reviewer is
`tracker.queries.portfolio`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tracker import rules
from tracker.errors import NotFoundError
from tracker.queries.action import ACTIONS_MORE, EVIDENCE, NOTES, place
from tracker.queries.lists import ActionRow
from tracker.queries.plan import PlanDetail, plan_detail, plan_id
from tracker.queries.reader import Query, Reader, day_value, moment_value
from tracker.text import one_line
from tracker.vocab import EvidenceKind, ReviewState


@dataclass(frozen=True)
class Note:
    """A progress note."""

    on: date
    author: str
    text: str


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence as the exports show it, with the action it supports."""

    ref: str
    title: str
    kind: EvidenceKind
    dated: date | None
    where: str
    review: ReviewState
    reviewer: str | None
    reviewed: date | None
    comment: str | None
    added_at: datetime

    def summary(self) -> str:
        """`Title (accepted)`: the title and the YJB's review, one line."""
        return f"{one_line(self.title)} ({self.review.value})"


@dataclass(frozen=True)
class ActionInfo:
    """One action with everything any export prints about it."""

    row: ActionRow
    recommendation_text: str
    success_measure: str | None
    override_reason: str | None
    latest_note: Note | None
    evidence: tuple[EvidenceItem, ...]
    days_overdue: int
    """How many days past its target date an unfinished action is (0 when it is not)."""


@dataclass(frozen=True)
class PlanData:
    """One plan read for export: the header, the (possibly filtered) actions, and their
    summary. `total_actions` counts the plan's actions before any filter."""

    detail: PlanDetail
    actions: list[ActionInfo]
    summary: rules.PlanSummary
    total_actions: int
    today: date

    @property
    def filtered(self) -> bool:
        """Whether a filter left some of the plan's actions out."""
        return len(self.actions) != self.total_actions

    @property
    def title(self) -> str:
        """The plan's title, or `Improvement plan: AREA`."""
        return self.detail.title or f"Improvement plan: {self.detail.area}"


def _select(rows: list[ActionRow], action_ids: Iterable[str] | None, slug: str) -> list[ActionRow]:
    if action_ids is None:
        return rows
    wanted = {i if "/" in i else f"{slug}/{i}" for i in action_ids}
    unknown = sorted(wanted - {r.id for r in rows})
    if unknown:
        raise NotFoundError(f"plan {slug!r} has no action {', '.join(unknown)}")
    return [r for r in rows if r.id in wanted]


EXTRAS = ACTIONS_MORE.where("a.plan_id = :plan").taking(
    "action extras", ("action_ref", "success_measure", "brag_override_reason", "rec_text")
)

PLAN_NOTES = NOTES.where("a.plan_id = :plan").taking(
    "progress notes of a plan", ("action_ref", "on", "author", "text")
)

PLAN_EVIDENCE = EVIDENCE.where("a.plan_id = :plan").taking(
    "plan evidence",
    (
        "action_ref",
        "title",
        "kind",
        "dated",
        "reference",
        "file_path",
        "review",
        "reviewer",
        "reviewed_on",
        "review_comment",
        "added_at",
    ),
)

_KINDS = {k.value: k for k in EvidenceKind}
_REVIEWS = {r.value: r for r in ReviewState}


def plan_data(
    reader: Reader, slug: str, today: date, action_ids: Iterable[str] | None = None
) -> PlanData:
    """Read plan `slug` for export. `action_ids` (`PLAN/REF` ids, or bare refs) keeps only
    those actions, as the screen's filter shows them; an id the plan does not have is a
    NotFoundError."""
    detail = plan_detail(reader, slug, today)
    rows = _select(detail.actions, action_ids, slug)
    plan = plan_id(reader, slug)
    extras = {
        ref: (measure, reason, text)
        for ref, measure, reason, text in EXTRAS.rows(reader, plan=plan)
    }
    notes: dict[str, Note] = {}
    for ref, on, author, text in PLAN_NOTES.rows(reader, plan=plan):
        noted = day_value(on)
        assert noted is not None  # a progress note's date is NOT NULL
        notes[ref] = Note(noted, author, text)
    evidence: dict[str, list[EvidenceItem]] = defaultdict(list)
    for (
        ref,
        title,
        kind,
        dated,
        reference,
        file_path,
        review,
        reviewer,
        reviewed,
        comment,
        added_at,
    ) in PLAN_EVIDENCE.rows(reader, plan=plan):
        evidence[ref].append(
            EvidenceItem(
                ref=ref,
                title=title,
                kind=_KINDS[kind],
                dated=day_value(dated),
                where=place(reference, file_path),
                review=_REVIEWS[review],
                reviewer=reviewer,
                reviewed=day_value(reviewed),
                comment=comment,
                added_at=moment_value(added_at),
            )
        )
    actions = []
    for row in rows:
        measure, reason, text = extras[row.ref]
        actions.append(
            ActionInfo(
                row=row,
                recommendation_text=text,
                success_measure=measure,
                override_reason=reason,
                latest_note=notes.get(row.ref),
                evidence=tuple(evidence.get(row.ref, ())),
                days_overdue=(today - row.target).days if row.overdue and row.target else 0,
            )
        )
    summary = rules.summarise([a.row.facts for a in actions], today)
    return PlanData(detail, actions, summary, len(detail.actions), today)


LAST_BOARD_REPORT = Query(
    "last board report",
    """
    SELECT issued_at FROM board_reports WHERE plan_id = :plan
    ORDER BY issued_at DESC, id DESC LIMIT 1""",
    ("issued_at",),
)


def last_board_report(reader: Reader, slug: str) -> datetime | None:
    """When the latest board report for plan `slug` was issued, or None if none has been.
    NotFoundError for an unknown plan."""
    found = LAST_BOARD_REPORT.first(reader, plan=plan_id(reader, slug))
    return None if found is None else moment_value(found[0])


@dataclass(frozen=True)
class IssuedReport:
    """A board report recorded as issued: when, by whom, in which formats (`docx`, or
    `docx,html,xlsx` for a board pack written by one command)."""

    at: datetime
    by: str
    formats: str


BOARD_REPORTS = Query(
    "board reports issued",
    """
    SELECT issued_at, issued_by, format FROM board_reports WHERE plan_id = :plan
    ORDER BY issued_at, id""",
    ("issued_at", "issued_by", "format"),
)


def board_reports_issued(reader: Reader, slug: str) -> list[IssuedReport]:
    """Every board report issued for plan `slug`, oldest first. NotFoundError for an unknown
    plan."""
    return [
        IssuedReport(moment_value(at), by, formats)
        for at, by, formats in BOARD_REPORTS.rows(reader, plan=plan_id(reader, slug))
    ]


@dataclass(frozen=True)
class AuditedChange:
    """One audit event of a plan, as stored: `ref` is the action's ref (`3.2`), or empty for a
    change to the plan itself."""

    at: datetime
    actor: str
    ref: str
    field: str
    old: str | None
    new: str | None
    entity: str = "plan"
    """What changed: `plan`, `recommendation`, `action` (the audit trail's entity)."""


CHANGES = Query(
    "changes since",
    """
    SELECT at, actor, entity_ref, field, old_value, new_value, entity FROM audit_events
    WHERE (entity_ref = :plan OR substr(entity_ref, 1, :length) = :prefix)
      AND at > :since AND field != :leave_out
    ORDER BY at, id""",
    ("at", "actor", "entity_ref", "field", "old_value", "new_value", "entity"),
)
"""The plan's audited changes after a moment: events on the plan itself (`stockton-2010`) and
on anything in it (`stockton-2010/3.2`, by its prefix: no LIKE, so that `_` in an id is only
itself)."""


def changes_since(
    reader: Reader,
    slug: str,
    since: datetime,
    *,
    refs: Iterable[str] | None = None,
    leave_out: str = "",
) -> list[AuditedChange]:
    """Plan `slug`'s audited changes strictly after `since` (timezone-aware), oldest first;
    with `refs` (action refs), only changes to the plan itself and to those actions; events
    of the field `leave_out` are left out."""
    prefix = f"{slug}/"
    keep = None if refs is None else set(refs)
    found = []
    for at, actor, entity_ref, field, old, new, entity in CHANGES.rows(
        reader, plan=slug, prefix=prefix, length=len(prefix), since=since, leave_out=leave_out
    ):
        ref = entity_ref.partition("/")[2]
        if keep is not None and ref and ref not in keep:
            continue
        found.append(AuditedChange(moment_value(at), actor, ref, field, old, new, entity))
    return found
