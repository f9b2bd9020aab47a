"""One plan read with plain SQL: its header, recommendations and actions (the plan screen and
every export), and the YJB's sign-offs of it.

Like `tracker.listing`, each read is one SQL text sent through a `listing.Reader`: the standard
library's sqlite3 on a SQLite file at the schema's head (so that `tracker export` need not
import SQLAlchemy), or a session (`queries.SessionReader`) everywhere else. One SQL text, two
ways to send it; a test holds the two to the same rows. Nothing here writes, and "today" is
always an argument.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker import rules
from tracker.errors import no_plan
from tracker.listing import ActionRow, Reader, action_rows, day_value, moment_value
from tracker.vocab import InspectionKind, PlanStatus


@dataclass(frozen=True)
class ScoreRow:
    """A headline score or rating, as the plan header shows it."""

    name: str
    percent: int | None
    improvement: str | None
    rating: str | None

    def text(self) -> str:
        """`Safeguarding 79% MINIMUM` or `Leadership: Good`."""
        parts = [self.name]
        if self.percent is not None:
            parts.append(f"{self.percent}%")
        if self.improvement:
            parts.append(self.improvement)
        if self.rating:
            parts.append(self.rating)
        return " ".join(parts)


@dataclass(frozen=True)
class RecommendationRow:
    """A recommendation as the plan screen shows it."""

    ref: str
    text: str
    owners: list[str]
    response: str | None
    theme: str | None


@dataclass(frozen=True)
class PlanDetail:
    """Everything the plan screen shows: header, recommendations, and actions with colours."""

    id: str
    title: str | None
    area: str
    kind: InspectionKind
    published: date | None
    published_note: str | None
    submission_due: date | None
    status: PlanStatus
    steps: dict[PlanStatus, date | None]
    clock: str
    next_meeting: date | None
    scores: list[ScoreRow]
    recommendations: list[RecommendationRow]
    actions: list[ActionRow]
    summary: rules.PlanSummary
    version: int = 0
    """The plan's own version (its lifecycle and details, not its actions')."""


PLAN_SQL = """
    SELECT p.id, p.slug, p.title, p.status, p.submitted_on, p.agreed_on, p.forwarded_on,
           p.closed_on, p.board_meetings, p.board_meetings_start, p.version,
           i.id, i.area, i.kind, i.published, i.published_note
    FROM plans p JOIN inspections i ON i.id = p.inspection_id
    WHERE p.slug = :plan"""

SCORES_SQL = """
    SELECT name, percent, improvement, rating FROM scores
    WHERE inspection_id = :inspection ORDER BY position, id"""

RECOMMENDATIONS_SQL = """
    SELECT r.id, r.ref, r.text, r.response, r.theme FROM recommendations r
    WHERE r.plan_id = :plan ORDER BY r.position, r.id"""

OWNERS_SQL = """
    SELECT o.recommendation_id, o.stated_as FROM recommendation_owners o
    JOIN recommendations r ON r.id = o.recommendation_id
    WHERE r.plan_id = :plan ORDER BY o.recommendation_id, o.position, o.id"""


def plan_id(reader: Reader, slug: str) -> int:
    """The plan's row id, or NotFoundError."""
    found = list(reader.rows("SELECT id FROM plans WHERE slug = :plan", {"plan": slug}))
    if not found:
        raise no_plan(slug)
    return int(found[0][0])


def plan_detail(reader: Reader, slug: str, today: date) -> PlanDetail:
    """The plan screen's data (and every export's header). NotFoundError for an unknown plan."""
    found = list(reader.rows(PLAN_SQL, {"plan": slug}))
    if not found:
        raise no_plan(slug)
    (
        pid,
        slug,
        title,
        status,
        submitted,
        agreed,
        forwarded,
        closed,
        meetings,
        meetings_start,
        version,
        inspection,
        area,
        kind,
        published,
        published_note,
    ) = found[0]
    published, submitted = day_value(published), day_value(submitted)
    owners: dict[int, list[str]] = defaultdict(list)
    for rec_id, stated_as in reader.rows(OWNERS_SQL, {"plan": pid}):
        owners[rec_id].append(stated_as)
    recommendations = [
        RecommendationRow(ref, text, owners.get(rec_id, []), response, theme)
        for rec_id, ref, text, response, theme in reader.rows(RECOMMENDATIONS_SQL, {"plan": pid})
    ]
    scores = [ScoreRow(*row) for row in reader.rows(SCORES_SQL, {"inspection": inspection})]
    actions = action_rows(reader, today, plan=slug)
    meeting = None
    if meetings:
        start = day_value(meetings_start) or published or today
        meeting = rules.next_meeting(meetings, start, today)
    return PlanDetail(
        id=slug,
        title=title,
        area=area,
        kind=InspectionKind(kind),
        published=published,
        published_note=published_note,
        submission_due=rules.submission_due(published),
        status=PlanStatus(status),
        steps={
            PlanStatus.SUBMITTED: submitted,
            PlanStatus.AGREED: day_value(agreed),
            PlanStatus.MONITORING: day_value(forwarded),
            PlanStatus.CLOSED: day_value(closed),
        },
        clock=rules.submission_clock(published, submitted, today),
        next_meeting=meeting,
        scores=scores,
        recommendations=recommendations,
        actions=actions,
        summary=rules.summarise([a.facts for a in actions], today),
        version=version,
    )


@dataclass(frozen=True)
class SignOffRow:
    """A sign-off as people read it: who signed what off, when, and the state it covered."""

    recommendation: str | None
    """The recommendation's ref, or None for the plan's own sign-off (closed)."""
    signed_by: str
    signed_at: datetime
    """When it was recorded (UTC, by the clock)."""
    as_of: date | None
    """The day the state was taken on (the session's "today")."""
    state: dict[str, Any]
    """The snapshot: each recommendation's actions with status, progress, colour, evidence."""

    @property
    def what(self) -> str:
        """`recommendation 4 implemented` or `plan closed`."""
        if self.recommendation is None:
            return "plan closed"
        return f"recommendation {self.recommendation} implemented"

    @property
    def summary(self) -> str:
        """The state in one line: `2 actions, all blue; 3 evidence (2 accepted, 1 pending)`."""
        actions = [a for r in self.state.get("recommendations", []) for a in r["actions"]]
        colours = Counter(a["brag"] for a in actions)
        reviews = Counter(e["review"] for a in actions for e in a["evidence"])
        shown = ", ".join(f"{n} {c}" for c, n in sorted(colours.items()))
        said = f"{len(actions)} action{'s' if len(actions) != 1 else ''}"
        if len(colours) == 1:
            said += f", all {next(iter(colours))}"
        elif colours:
            said += f" ({shown})"
        count = sum(reviews.values())
        said += f"; {count} evidence"
        if reviews:
            said += " (" + ", ".join(f"{n} {r}" for r, n in sorted(reviews.items())) + ")"
        return said


SIGN_OFFS_SQL = """
    SELECT r.ref, s.signed_by, s.signed_at, s.state FROM sign_offs s
    LEFT JOIN recommendations r ON r.id = s.recommendation_id
    WHERE s.plan_id = :plan ORDER BY s.signed_at, s.id"""


def sign_offs(reader: Reader, slug: str) -> list[SignOffRow]:
    """Plan `slug`'s sign-offs, oldest first. NotFoundError for an unknown plan."""
    listed = []
    for ref, signed_by, signed_at, stored in reader.rows(
        SIGN_OFFS_SQL, {"plan": plan_id(reader, slug)}
    ):
        state = json.loads(stored)
        as_of = state.get("as_of")
        listed.append(
            SignOffRow(
                ref,
                signed_by,
                moment_value(signed_at),
                None if as_of is None else date.fromisoformat(as_of),
                state,
            )
        )
    return listed
