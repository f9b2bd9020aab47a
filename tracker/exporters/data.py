"""The words and colours every export prints: dates as people write them, the BRAG colours in
board order and as hex, the inspection kinds' names, the portfolio's columns. The records they
print are read by `tracker.queries.exports` and `tracker.queries.portfolio` (re-exported here
for the renderers)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tracker import rules
from tracker.queries.portfolio import PortfolioRow as PortfolioRow
from tracker.vocab import Brag, InspectionKind

if TYPE_CHECKING:
    from tracker.queries.exports import ActionInfo as ActionInfo
    from tracker.queries.exports import EvidenceItem as EvidenceItem
    from tracker.queries.exports import Note as Note
    from tracker.queries.exports import PlanData as PlanData

_PLAN_RECORDS = ("ActionInfo", "EvidenceItem", "Note", "PlanData")


def __getattr__(name: str) -> Any:
    """The plan export's records, from `tracker.queries.exports` when first asked for: the
    portfolio's writers, which import this module, need none of that module's reads (20 ms of
    `tracker portfolio`'s start, issue 17)."""
    if name in _PLAN_RECORDS:
        from tracker.queries import exports

        return getattr(exports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def target_text(info: ActionInfo) -> str:
    """An action's target date, `30 Jun 2010 (77 days overdue)` when it is overdue and its
    colour's reason does not already say so (a blocked action, a colour set by hand)."""
    when = day(info.row.target) or "not set"
    days = info.days_overdue
    if days and "overdue" not in info.row.brag.reason:
        when += f" ({days} day{'s' if days != 1 else ''} overdue)"
    return when


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

PORTFOLIO_NUMBERS = frozenset(PORTFOLIO_COLUMNS[PORTFOLIO_COLUMNS.index("Actions") :])
"""The portfolio's columns that hold numbers: Actions onward."""


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
