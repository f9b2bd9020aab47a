"""One plan read in plain SQL: its header, recommendations and actions (the plan screen and
every export), and the YJB's sign-offs of it; the action ids people type (`PLAN/REF`)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker import rules
from tracker.errors import NotFoundError, ServiceError, no_plan
from tracker.queries.lists import PLAN_ID as PLAN_ID  # kept here for callers (the importer)
from tracker.queries.lists import ActionRow, action_rows
from tracker.queries.reader import Query, Reader, day_value, moment_value
from tracker.vocab import InspectionKind, PlanStatus, Response


def split_action_ref(ref: str) -> tuple[str, str]:
    """`stockton-2010/2.1` -> (`stockton-2010`, `2.1`)."""
    plan, sep, action = ref.strip().rpartition("/")
    if not sep or not plan or not action:
        raise ServiceError(f"{ref!r} is not an action id: write PLAN/REF, e.g. stockton-2010/2.1")
    return plan, action


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
    response_reason: str | None = None
    withdrawn: date | None = None
    withdrawn_reason: str | None = None
    version: int = 0


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
    readiness: rules.Readiness | None = None
    """What stands between the plan and ready to submit (`rules.readiness`)."""
    submitted_incomplete: list[str] = field(default_factory=list)
    """What the plan lacked when it was recorded as submitted anyway (empty if it was ready)."""
    withdrawn_recommendations: list[RecommendationRow] = field(default_factory=list)
    withdrawn_actions: list[ActionRow] = field(default_factory=list)
    """Withdrawn rows: in no count, colour or export, listed so that they can be restored."""
    fieldwork: tuple[date | None, date | None] = (None, None)
    board_meetings: str | None = None
    board_meetings_start: date | None = None


PLAN = Query(
    "plan",
    """
    SELECT p.id AS plan_id, p.slug, p.title, p.status, p.submitted_on, p.agreed_on,
           p.forwarded_on, p.closed_on, p.board_meetings, p.board_meetings_start, p.notes,
           p.version, p.submitted_incomplete, i.id AS inspection_id, i.area, i.kind,
           i.published, i.published_note,
           i.fieldwork_start, i.fieldwork_end, i.source
    FROM plans p JOIN inspections i ON i.id = p.inspection_id
    WHERE p.slug = :plan""",
    (
        "plan_id",
        "slug",
        "title",
        "status",
        "submitted_on",
        "agreed_on",
        "forwarded_on",
        "closed_on",
        "board_meetings",
        "board_meetings_start",
        "version",
        "submitted_incomplete",
        "inspection_id",
        "area",
        "kind",
        "published",
        "published_note",
        "fieldwork_start",
        "fieldwork_end",
    ),
)
"""A plan's row with its inspection's: the plan screen takes the columns above, a plan file
(`tracker.queries.plandoc`) the same SELECT's other stored fields too."""

SCORES = Query(
    "scores",
    """
    SELECT name, percent, improvement, rating FROM scores
    WHERE inspection_id = :inspection ORDER BY position, id""",
    ("name", "percent", "improvement", "rating"),
)

RECOMMENDATIONS = Query(
    "recommendations",
    """
    SELECT id, ref, text, response, theme, response_reason, withdrawn_on, withdrawn_reason,
           version
    FROM recommendations
    WHERE plan_id = :plan ORDER BY position, id""",
    (
        "id",
        "ref",
        "text",
        "response",
        "theme",
        "response_reason",
        "withdrawn_on",
        "withdrawn_reason",
        "version",
    ),
)

PUBLISHED = PLAN.taking("plan's publication", ("plan_id", "published"))

READINESS = Query(
    "ready to submit",
    """
    SELECT a.recommendation_id, a.ref, a.owner_stated_as, a.owner_role_id, a.target_on,
           a.success_measure
    FROM actions a WHERE a.plan_id = :plan AND a.withdrawn_on IS NULL
    ORDER BY a.position, a.id""",
    (
        "recommendation_id",
        "ref",
        "owner_stated_as",
        "owner_role_id",
        "target_on",
        "success_measure",
    ),
)
"""What the ready-to-submit rule asks of each live action (`rules.readiness`)."""

OWNERS = Query(
    "recommendation owners",
    """
    SELECT o.recommendation_id, o.role_id, o.stated_as FROM recommendation_owners o
    JOIN recommendations r ON r.id = o.recommendation_id
    WHERE r.plan_id = :plan ORDER BY o.recommendation_id, o.position, o.id""",
    ("recommendation_id", "stated_as"),
)
"""The roles each recommendation names, in the report's words (and, for a plan file, which
role each is)."""

ACTION_ID = Query(
    "action id", "SELECT id FROM actions WHERE plan_id = :plan AND ref = :ref", ("id",)
)


def plan_id(reader: Reader, slug: str) -> int:
    """The plan's row id, or NotFoundError."""
    found = PLAN_ID.first(reader, plan=slug)
    if found is None:
        raise no_plan(slug)
    return int(found[0])


def action_id(reader: Reader, ref: str) -> int:
    """The row id of the action `PLAN/REF`, or NotFoundError (ServiceError for a malformed
    id)."""
    slug, action_ref = split_action_ref(ref)
    found = ACTION_ID.first(reader, plan=plan_id(reader, slug), ref=action_ref)
    if found is None:
        raise NotFoundError(f"plan {slug!r} has no action {action_ref!r}")
    return int(found[0])


def plan_detail(reader: Reader, slug: str, today: date) -> PlanDetail:
    """The plan screen's data (and every export's header). NotFoundError for an unknown plan."""
    found = PLAN.first(reader, plan=slug)
    if found is None:
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
        incomplete,
        inspection,
        area,
        kind,
        published,
        published_note,
        fieldwork_start,
        fieldwork_end,
    ) = found
    published, submitted = day_value(published), day_value(submitted)
    recs = _recommendations(reader, pid)
    live = [r for _, r in recs if r.withdrawn is None]
    scores = [ScoreRow(*row) for row in SCORES.rows(reader, inspection=inspection)]
    every = action_rows(reader, today, plan=slug, withdrawn=True)
    actions = [a for a in every if a.withdrawn is None]
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
        recommendations=live,
        actions=actions,
        summary=rules.summarise([a.facts for a in actions], today),
        version=version,
        readiness=_readiness(reader, pid, published, recs),
        submitted_incomplete=(incomplete or "").splitlines(),
        withdrawn_recommendations=[r for _, r in recs if r.withdrawn is not None],
        withdrawn_actions=[a for a in every if a.withdrawn is not None],
        fieldwork=(day_value(fieldwork_start), day_value(fieldwork_end)),
        board_meetings=meetings,
        board_meetings_start=day_value(meetings_start),
    )


def _recommendations(reader: Reader, pid: int) -> list[tuple[int, RecommendationRow]]:
    """A plan's recommendations, withdrawn or not, in order, each with its row id."""
    owners: dict[int, list[str]] = defaultdict(list)
    for rec_id, stated_as in OWNERS.rows(reader, plan=pid):
        owners[rec_id].append(stated_as)
    return [
        (
            rec_id,
            RecommendationRow(
                ref,
                text,
                owners.get(rec_id, []),
                response,
                theme,
                reason,
                day_value(withdrawn_on),
                withdrawn_reason,
                version,
            ),
        )
        for (
            rec_id,
            ref,
            text,
            response,
            theme,
            reason,
            withdrawn_on,
            withdrawn_reason,
            version,
        ) in RECOMMENDATIONS.rows(reader, plan=pid)
    ]


def _readiness(
    reader: Reader,
    pid: int,
    published: date | None,
    recs: list[tuple[int, RecommendationRow]],
) -> rules.Readiness:
    by_rec: dict[int, list[rules.DraftAction]] = defaultdict(list)
    for rec_id, ref, stated, role_id, target, measure in READINESS.rows(reader, plan=pid):
        by_rec[rec_id].append(
            rules.DraftAction(
                ref, stated if role_id is not None else None, day_value(target), measure
            )
        )
    return rules.readiness(
        published,
        [
            rules.DraftRecommendation(
                row.ref,
                None if row.response is None else Response(row.response),
                row.response_reason,
                tuple(by_rec.get(rec_id, ())),
            )
            for rec_id, row in recs
            if row.withdrawn is None
        ],
    )


def readiness(reader: Reader, slug: str) -> rules.Readiness:
    """Plan `slug`'s ready-to-submit checklist (`tracker check`). NotFoundError for an
    unknown plan."""
    found = PUBLISHED.first(reader, plan=slug)
    if found is None:
        raise no_plan(slug)
    pid, published = found[0], day_value(found[1])
    return _readiness(reader, pid, published, _recommendations(reader, pid))


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


SIGN_OFFS = Query(
    "sign-offs",
    """
    SELECT r.ref, s.signed_by, s.signed_at, s.state FROM sign_offs s
    LEFT JOIN recommendations r ON r.id = s.recommendation_id
    WHERE s.plan_id = :plan ORDER BY s.signed_at, s.id""",
    ("ref", "signed_by", "signed_at", "state"),
)


def sign_offs(reader: Reader, slug: str) -> list[SignOffRow]:
    """Plan `slug`'s sign-offs, oldest first. NotFoundError for an unknown plan."""
    listed = []
    for ref, signed_by, signed_at, stored in SIGN_OFFS.rows(reader, plan=plan_id(reader, slug)):
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


PENDING_REVIEWS = Query(
    "evidence pending review",
    """
    SELECT r.ref, count(*) AS count FROM evidence v
    JOIN actions a ON a.id = v.action_id
    JOIN recommendations r ON r.id = a.recommendation_id
    WHERE a.plan_id = :plan AND v.review = 'pending'
      AND a.withdrawn_on IS NULL AND r.withdrawn_on IS NULL
    GROUP BY r.id, r.ref ORDER BY r.id""",
    ("ref", "count"),
)


def pending_reviews(reader: Reader, slug: str) -> dict[str, int]:
    """How many pieces of evidence of plan `slug` await the YJB's review, by recommendation
    (withdrawn actions and recommendations left out), in plan order. NotFoundError for an
    unknown plan."""
    return {
        str(ref): int(count)
        for ref, count in PENDING_REVIEWS.rows(reader, plan=plan_id(reader, slug))
    }


@dataclass(frozen=True)
class PlanGlance:
    """What the home screen shows of the plan under the cursor beyond its row: the next
    actions due, and the latest progress note."""

    next_due: list[tuple[str, date, str]]
    """Up to three open actions with a target date, soonest first: (ref, target, text)."""
    latest_note: tuple[str, date, str, str] | None
    """(action ref, date, author, text) of the latest progress note, or None."""


NEXT_DUE = Query(
    "next actions due",
    """
    SELECT a.ref, a.target_on, a.text FROM actions a
    WHERE a.plan_id = :plan AND a.status <> 'complete' AND a.withdrawn_on IS NULL
      AND a.target_on IS NOT NULL
    ORDER BY a.target_on, a.id LIMIT 3""",
    ("ref", "target_on", "text"),
)

LATEST_NOTE = Query(
    "latest progress note",
    """
    SELECT a.ref, u."on", u.author, u.text FROM progress_updates u
    JOIN actions a ON a.id = u.action_id
    WHERE a.plan_id = :plan
    ORDER BY u."on" DESC, u.id DESC LIMIT 1""",
    ("ref", "on", "author", "text"),
)


def plan_glance(reader: Reader, slug: str) -> PlanGlance:
    """The next actions due and the latest note of plan `slug`. NotFoundError for an
    unknown plan."""
    found = plan_id(reader, slug)
    due: list[tuple[str, date, str]] = []
    for ref, target, text in NEXT_DUE.rows(reader, plan=found):
        day = day_value(target)
        assert day is not None  # the query takes only actions with a target
        due.append((str(ref), day, str(text)))
    note = LATEST_NOTE.first(reader, plan=found)
    latest = None
    if note is not None:
        ref, on, author, text = note
        day = day_value(on)
        assert day is not None  # a progress note's date is NOT NULL
        latest = (str(ref), day, str(author), str(text))
    return PlanGlance(due, latest)
