"""The reviewer's portfolio: one row per plan, with its four-week clock, the evidence still
waiting for the YJB's review and the recommendations signed off (`tracker portfolio`, the
home screen's "portfolio" view). Apart from `tracker.queries.exports`, whose plan reads
(every action's facts, notes and evidence) the portfolio needs none of: importing them took
20 ms of `tracker portfolio`'s start (issue 17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker import rules
from tracker.queries.lists import ColourCounts, PlanRow, plan_rows
from tracker.queries.reader import Query, Reader
from tracker.vocab import ReviewState


@dataclass(frozen=True)
class PortfolioRow:
    """One plan as a reviewer's portfolio lists it."""

    plan: PlanRow
    clock: str
    awaiting_review: int
    recommendations: int = 0
    signed_off: int = 0
    """How many of the recommendations the YJB has signed off as implemented."""


_COUNTED = ("plan_id", "n")

PENDING = Query(
    "evidence awaiting review",
    f"""
    SELECT a.plan_id, COUNT(*) AS n FROM evidence v JOIN actions a ON a.id = v.action_id
    WHERE v.review = '{ReviewState.PENDING.value}' AND a.withdrawn_on IS NULL
    GROUP BY a.plan_id""",
    _COUNTED,
)

RECOMMENDATION_COUNTS = Query(
    "recommendations per plan",
    """
    SELECT plan_id, COUNT(*) AS n FROM recommendations WHERE withdrawn_on IS NULL
    GROUP BY plan_id""",
    _COUNTED,
)

SIGNED = Query(
    "recommendations signed off per plan",
    """
    SELECT plan_id, COUNT(*) AS n FROM sign_offs WHERE recommendation_id IS NOT NULL
    GROUP BY plan_id""",
    _COUNTED,
)

SLUGS = Query("plan ids", "SELECT id, slug FROM plans", ("id", "slug"))


def portfolio_rows(
    reader: Reader, today: date, colours: ColourCounts | None = None
) -> list[PortfolioRow]:
    """Every plan, most urgent first (as `tracker plans`), with its four-week clock, the
    evidence still waiting for the YJB's review, and how many of its recommendations the YJB
    has signed off. `colours`: the plans' colours, if their count was started already
    (`lists.colours_ahead`)."""
    slugs: dict[int, str] = {pid: slug for pid, slug in SLUGS.rows(reader)}

    def by_slug(query: Query) -> dict[str, int]:
        return {slugs[pid]: int(n) for pid, n in query.rows(reader)}

    pending = by_slug(PENDING)
    recommendations = by_slug(RECOMMENDATION_COUNTS)
    signed = by_slug(SIGNED)
    return [
        PortfolioRow(
            plan=row,
            clock=rules.submission_clock(row.published, row.submitted, today),
            awaiting_review=pending.get(row.id, 0),
            recommendations=recommendations.get(row.id, 0),
            signed_off=signed.get(row.id, 0),
        )
        for row in plan_rows(reader, today, colours)
    ]
