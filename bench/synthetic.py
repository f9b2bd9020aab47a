"""The synthetic plans of bench/generate.py: one plan per service and inspection, dated around
ANCHOR, and an audit history for their actions. The same seed and scale give the same data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from bench.words import (
    ACTION_TEXTS,
    AREAS,
    EVIDENCE_TITLES,
    FIRST,
    LAST,
    NOTES,
    OWNER_ROLES,
    RECOMMENDATION_TEXTS,
    TOPICS,
    YJB_REVIEWER,
)
from tracker.planfile import (
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    ScoreDoc,
    UpdateDoc,
)
from tracker.vocab import (
    ActionStatus,
    EvidenceKind,
    Improvement,
    InspectionKind,
    PlanStatus,
    Rating,
    Response,
    ReviewState,
)

ANCHOR = date(2026, 11, 1)
"""The "today" the data is built around."""

SERVICES = 155
RECOMMENDATIONS = 5
ACTIONS = 4
EVIDENCE = 3

KINDS = [InspectionKind.CCI, InspectionKind.SQS, InspectionKind.FJI, InspectionKind.RATED_2018]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def make_plan(rng: random.Random, area: str, round_: int) -> PlanDoc:
    """One service's plan: `round_` 0 is its latest inspection, higher rounds are older."""
    # Latest inspections are spread over the last three years; older ones 2 years apart, so
    # that ten rounds (scale 10) stay after 2000, the first day a plan can have (rules.EARLIEST:
    # 3 years apart reached 1996, which `tracker load` refuses).
    age_days = rng.randint(10, 3 * 365) + round_ * 2 * 365
    published = ANCHOR - timedelta(days=age_days)
    kind = KINDS[0] if published.year < 2012 else rng.choice(KINDS[1:])
    due = published + relativedelta(weeks=4)
    steps = {
        PlanStatus.SUBMITTED: due - timedelta(days=rng.randint(-6, 3)),
        PlanStatus.AGREED: due + timedelta(days=rng.randint(14, 40)),
        PlanStatus.MONITORING: due + timedelta(days=rng.randint(45, 70)),
        PlanStatus.CLOSED: published + timedelta(days=rng.randint(700, 900)),
    }
    reached = [s for s, on in steps.items() if on <= ANCHOR]
    status = reached[-1] if reached else PlanStatus.DRAFT
    if status is PlanStatus.CLOSED and rng.random() < 0.3:
        status, reached = PlanStatus.MONITORING, reached[:-1]
    got = {s: steps[s] for s in reached if s is not PlanStatus.CLOSED or status is s}
    if kind is InspectionKind.RATED_2018:
        scores = [
            ScoreDoc(name, rating=rng.choice(list(Rating)))
            for name in ("Organisational delivery", "Court disposals", "Out-of-court disposals")
        ]
    else:
        scores = [
            ScoreDoc(name, percent=rng.randint(45, 90), improvement=rng.choice(list(Improvement)))
            for name in ("Safeguarding", "Risk of Harm to others", "Likelihood of Reoffending")
        ]
    plan_id = f"{slug(area)}-{published.year}"
    if round_:
        plan_id += f"-{round_}"
    texts = rng.sample(RECOMMENDATION_TEXTS, RECOMMENDATIONS)
    recs = [
        RecommendationDoc(
            ref=str(r + 1),
            text=text,
            owners=list(owners),
            response=rng.choice([Response.AGREED] * 8 + [Response.PARTLY_AGREED]),
            theme=rng.choice(TOPICS),
            actions=[make_action(rng, r + 1, a + 1, published, status) for a in range(ACTIONS)],
        )
        for r, (text, owners) in enumerate(texts)
    ]
    return PlanDoc(
        format=FORMAT_VERSION,
        id=plan_id,
        title=f"Improvement plan: {area} YOT, inspection published {published:%B %Y}",
        inspection=InspectionDoc(
            area=area,
            kind=kind,
            published=published,
            fieldwork_start=published - timedelta(days=rng.randint(60, 90)),
            fieldwork_end=published - timedelta(days=rng.randint(40, 59)),
            scores=scores,
        ),
        status=status,
        submitted=got.get(PlanStatus.SUBMITTED),
        agreed=got.get(PlanStatus.AGREED),
        forwarded=got.get(PlanStatus.MONITORING),
        closed=got.get(PlanStatus.CLOSED),
        board_meetings=rng.choice(
            ["FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=1WE", "FREQ=WEEKLY;INTERVAL=6;BYDAY=TH"]
        ),
        board_meetings_start=published,
        recommendations=recs,
    )


def make_action(
    rng: random.Random, rec: int, n: int, published: date, plan_status: PlanStatus
) -> ActionDoc:
    start = published + timedelta(days=rng.randint(20, 60))
    target = start + timedelta(days=rng.randint(30, 540))
    topic = rng.choice(TOPICS)
    elapsed = (ANCHOR - start).days / max((target - start).days, 1)
    if plan_status is PlanStatus.CLOSED:
        status = ActionStatus.COMPLETE
    elif elapsed <= 0:
        status = ActionStatus.NOT_STARTED
    else:
        roll = rng.random()
        done_chance = min(0.9, elapsed * 0.7)
        status = (
            ActionStatus.COMPLETE
            if roll < done_chance
            else ActionStatus.BLOCKED
            if roll < done_chance + 0.05
            else ActionStatus.IN_PROGRESS
            if roll < 0.95
            else ActionStatus.NOT_STARTED
        )
    completed = None
    if status is ActionStatus.COMPLETE:
        latest = min(ANCHOR, target + timedelta(days=60))
        completed = start + timedelta(days=rng.randint(1, max((latest - start).days, 1)))
        progress = 100
    elif status is ActionStatus.NOT_STARTED:
        progress = 0
    else:
        progress = rng.randint(1, 19) * 5
    lead = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    days_on = max((min(ANCHOR, completed or ANCHOR) - start).days, 1)
    updates = [
        UpdateDoc(
            date=start + timedelta(days=rng.randint(0, days_on)),
            author=lead,
            text=rng.choice(NOTES).format(n=rng.randint(4, 30)),
        )
        for _ in range(rng.randint(0, 4) if start < ANCHOR else 0)
    ]
    updates.sort(key=lambda u: u.date)
    evidence = []
    for _ in range(EVIDENCE):
        dated = start + timedelta(days=rng.randint(0, days_on))
        review = rng.choices(list(ReviewState), weights=[5, 4, 1])[0]
        reviewed = dated + timedelta(days=rng.randint(5, 40))
        if review is not ReviewState.PENDING and reviewed > ANCHOR:
            review = ReviewState.PENDING
        evidence.append(
            EvidenceDoc(
                title=rng.choice(EVIDENCE_TITLES).format(
                    month=f"{dated:%B %Y}", n=rng.randint(1, 9), topic=topic
                ),
                kind=rng.choice(list(EvidenceKind)),
                date=dated,
                reference=f"Shared drive: YOT/Improvement plan/R{rec}/{rec}.{n}",
                review=review,
                reviewer=None if review is ReviewState.PENDING else YJB_REVIEWER,
                reviewed=None if review is ReviewState.PENDING else reviewed,
                review_comment="Please show the audit sample and its findings."
                if review is ReviewState.QUERIED
                else None,
            )
        )
    return ActionDoc(
        ref=f"{rec}.{n}",
        text=rng.choice(ACTION_TEXTS).format(topic=topic),
        owner=rng.choice(OWNER_ROLES),
        lead=lead,
        start=start,
        target=target,
        status=status,
        progress=progress,
        success_measure=f"Audits find {topic} work good enough in at least nine cases out of ten",
        completed=completed,
        updates=updates,
        evidence=evidence,
    )


def plans(scale: int, seed: int, services: int = SERVICES) -> list[PlanDoc]:
    """The dataset's plan files, in a fixed order. `services` below 155 makes a smaller
    dataset of the first services (for a quick smoke run of the benchmarks)."""
    rng = random.Random(seed)
    areas = AREAS[:services]
    return [make_plan(rng, area, round_) for round_ in range(scale) for area in areas]


def history(scale: int, seed: int, store: object) -> int:
    """Bulk-insert an audit trail: each action's status and progress moving over the months,
    by its lead. Returns the number of events."""
    from sqlalchemy import insert, select

    from tracker.models import Action, AuditEvent, Plan
    from tracker.store import Store

    assert isinstance(store, Store)
    rng = random.Random(seed + 1)
    rows: list[dict[str, object]] = []
    with store.write() as session:
        found = session.execute(
            select(
                Action.id, Plan.slug, Action.ref, Action.lead, Action.start_on, Action.progress
            ).join(Plan, Plan.id == Action.plan_id)
        ).all()
        for action_id, plan, ref, lead, start, progress in found:
            if start is None or start >= ANCHOR:
                continue
            at = datetime(start.year, start.month, start.day, 9, 30, tzinfo=UTC)
            steps = rng.randint(1, 6)
            span = max((ANCHOR - start).days // (steps + 1), 1)
            old = 0
            for step in range(steps):
                at += timedelta(days=rng.randint(1, span), minutes=rng.randint(0, 480))
                new = min(progress, old + rng.randint(5, 40)) if step < steps - 1 else progress
                rows.append(
                    {
                        "at": at,
                        "actor": lead or "Head of Service",
                        "entity": "action",
                        "entity_id": action_id,
                        "entity_ref": f"{plan}/{ref}",
                        "entity_version": 1,
                        "field": "progress",
                        "old_value": str(old),
                        "new_value": str(new),
                    }
                )
                old = new
        for chunk in range(0, len(rows), 20_000):
            session.execute(insert(AuditEvent), rows[chunk : chunk + 20_000])
    return len(rows)
