"""The reads every plan export shares, and the words and colours they all print.

`plan_data` reads one plan once: its header (`reads.plan_detail`), each action with its
colour, and the words behind each action that the lists leave out (the recommendation's text,
the success measure, the latest progress note, the evidence). `portfolio_rows` reads one line
per plan for a reviewer. Both are plain SQL on a `listing.Reader` (sqlite3 on a SQLite file,
so that an export need not import SQLAlchemy; a session's reader elsewhere). Nothing here
writes, and "today" is always an argument.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from tracker import listing, reads, rules
from tracker.errors import NotFoundError
from tracker.listing import Reader, day_value, moment_value
from tracker.text import escape_left_raw as escape_left_raw  # moved; kept importable here
from tracker.text import one_line
from tracker.vocab import Brag, EvidenceKind, InspectionKind, ReviewState

BRAG_ORDER = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)
"""The colours in the order a board reads them: what is wrong first."""

BRAG_HEX = {Brag.RED: "C0392B", Brag.AMBER: "F0A30A", Brag.GREEN: "2E8B57", Brag.BLUE: "1F6FB2"}
"""Each colour as RGB hex (no `#`), the same in every format."""

BRAG_INK = {Brag.RED: "FFFFFF", Brag.AMBER: "000000", Brag.GREEN: "FFFFFF", Brag.BLUE: "FFFFFF"}
"""Text colour that stays readable on each BRAG fill."""

KIND_NAMES = {
    InspectionKind.CCI: "Core Case Inspection (CCI)",
    InspectionKind.SQS: "Short Quality Screening (SQS)",
    InspectionKind.FJI: "Full Joint Inspection (FJI)",
    InspectionKind.RATED_2018: "Inspection with ratings (2018 onward)",
    InspectionKind.OTHER: "Inspection",
}
"""The inspection formats as a board paper names them."""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: date | None) -> str:
    """`6 Jan 2010`, the way the tracker writes a date for people (empty when unknown). Spelt
    out here rather than with strftime so that the locale cannot change an export."""
    return "" if d is None else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def moment(at: datetime) -> str:
    """`14 Sep 2010 10:15 UTC`: a stored timestamp as people read it."""
    utc = at.astimezone(UTC) if at.tzinfo else at
    return f"{day(utc.date())} {utc:%H:%M} UTC"


def brag_label(result: rules.BragResult) -> str:
    """`Red`, or `Amber*` when the lead set the colour by hand (as everywhere in the tracker)."""
    return result.colour.value.capitalize() + ("*" if result.overridden else "")


def kind_name(kind: InspectionKind) -> str:
    """`Core Case Inspection (CCI)`."""
    return KIND_NAMES[kind]


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

    row: listing.ActionRow
    recommendation_text: str
    success_measure: str | None
    override_reason: str | None
    latest_note: Note | None
    evidence: tuple[EvidenceItem, ...]
    days_overdue: int
    """How many days past its target date an unfinished action is (0 when it is not)."""


def target_text(info: ActionInfo) -> str:
    """An action's target date, `30 Jun 2010 (77 days overdue)` when it is overdue and its
    colour's reason does not already say so (a blocked action, a colour set by hand)."""
    when = day(info.row.target) or "not set"
    days = info.days_overdue
    if days and "overdue" not in info.row.brag.reason:
        when += f" ({days} day{'s' if days != 1 else ''} overdue)"
    return when


@dataclass(frozen=True)
class PlanData:
    """One plan read for export: the header, the (possibly filtered) actions, and their
    summary. `total_actions` counts the plan's actions before any filter."""

    detail: reads.PlanDetail
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


def _select(
    rows: list[listing.ActionRow], action_ids: Iterable[str] | None, slug: str
) -> list[listing.ActionRow]:
    if action_ids is None:
        return rows
    wanted = {i if "/" in i else f"{slug}/{i}" for i in action_ids}
    unknown = sorted(wanted - {r.id for r in rows})
    if unknown:
        raise NotFoundError(f"plan {slug!r} has no action {', '.join(unknown)}")
    return [r for r in rows if r.id in wanted]


_EXTRAS_SQL = """
    SELECT a.ref, a.success_measure, a.brag_override_reason, r.text FROM actions a
    JOIN recommendations r ON r.id = a.recommendation_id
    WHERE a.plan_id = :plan"""

_NOTES_SQL = """
    SELECT a.ref, u."on", u.author, u.text FROM progress_updates u
    JOIN actions a ON a.id = u.action_id
    WHERE a.plan_id = :plan ORDER BY u."on", u.id"""

_EVIDENCE_SQL = """
    SELECT a.ref, v.title, v.kind, v.dated, v.reference, v.file_path, v.review, v.reviewer,
           v.reviewed_on, v.review_comment, v.added_at
    FROM evidence v JOIN actions a ON a.id = v.action_id
    WHERE a.plan_id = :plan ORDER BY v.id"""

_KINDS = {k.value: k for k in EvidenceKind}
_REVIEWS = {r.value: r for r in ReviewState}


def plan_data(
    reader: Reader, slug: str, today: date, action_ids: Iterable[str] | None = None
) -> PlanData:
    """Read plan `slug` for export. `action_ids` (`PLAN/REF` ids, or bare refs) keeps only
    those actions, as the screen's filter shows them; an id the plan does not have is a
    NotFoundError."""
    detail = reads.plan_detail(reader, slug, today)
    rows = _select(detail.actions, action_ids, slug)
    plan = {"plan": reads.plan_id(reader, slug)}
    extras = {
        ref: (measure, reason, text)
        for ref, measure, reason, text in reader.rows(_EXTRAS_SQL, plan)
    }
    notes: dict[str, Note] = {}
    for ref, on, author, text in reader.rows(_NOTES_SQL, plan):
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
    ) in reader.rows(_EVIDENCE_SQL, plan):
        evidence[ref].append(
            EvidenceItem(
                ref=ref,
                title=title,
                kind=_KINDS[kind],
                dated=day_value(dated),
                where=reference or file_path or "",
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


@dataclass(frozen=True)
class PortfolioRow:
    """One plan as a reviewer's portfolio lists it."""

    plan: listing.PlanRow
    clock: str
    awaiting_review: int
    recommendations: int = 0
    signed_off: int = 0
    """How many of the recommendations the YJB has signed off as implemented."""


PORTFOLIO_COLUMNS = (
    "Plan",
    "Area",
    "Inspection",
    "Submission due",
    "Clock",
    "Status",
    "Actions",
    "% complete",
    "Red",
    "Amber",
    "Green",
    "Blue",
    "Overdue",
    "Evidence awaiting review",
    "Recommendations",
    "Signed off",
)
"""The portfolio's columns, in order."""


_PENDING_SQL = f"""
    SELECT a.plan_id, COUNT(*) FROM evidence v JOIN actions a ON a.id = v.action_id
    WHERE v.review = '{ReviewState.PENDING.value}' GROUP BY a.plan_id"""

_RECOMMENDATIONS_SQL = "SELECT plan_id, COUNT(*) FROM recommendations GROUP BY plan_id"

_SIGNED_SQL = """
    SELECT plan_id, COUNT(*) FROM sign_offs WHERE recommendation_id IS NOT NULL
    GROUP BY plan_id"""

_SLUGS_SQL = "SELECT id, slug FROM plans"


def portfolio_rows(reader: Reader, today: date) -> list[PortfolioRow]:
    """Every plan, most urgent first (as `tracker plans`), with its four-week clock, the
    evidence still waiting for the YJB's review, and how many of its recommendations the YJB
    has signed off."""
    slugs: dict[int, str] = {pid: slug for pid, slug in reader.rows(_SLUGS_SQL, {})}

    def by_slug(sql: str) -> dict[str, int]:
        return {slugs[pid]: int(n) for pid, n in reader.rows(sql, {})}

    pending = by_slug(_PENDING_SQL)
    recommendations = by_slug(_RECOMMENDATIONS_SQL)
    signed = by_slug(_SIGNED_SQL)
    return [
        PortfolioRow(
            plan=row,
            clock=rules.submission_clock(row.published, row.submitted, today),
            awaiting_review=pending.get(row.id, 0),
            recommendations=recommendations.get(row.id, 0),
            signed_off=signed.get(row.id, 0),
        )
        for row in listing.plan_rows(reader, today)
    ]


def portfolio_values(row: PortfolioRow) -> list[str | int | date | None]:
    """A portfolio row's cells, in `PORTFOLIO_COLUMNS` order."""
    p, counts = row.plan, row.plan.summary.counts
    return [
        p.id,
        p.area,
        p.kind.value,
        p.submission_due,
        row.clock,
        p.status.value,
        p.summary.total,
        p.summary.percent_complete,
        *(counts.get(c, 0) for c in BRAG_ORDER),
        p.summary.overdue,
        row.awaiting_review,
        row.recommendations,
        row.signed_off,
    ]
