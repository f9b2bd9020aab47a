"""A deterministic synthetic dataset at N times national size, for the benchmarks.

    python bench/generate.py --scale 1 --db /tmp/national.db [--seed 1] [--toml DIR]

Scale 1 is England and Wales as a YJB reviewer sees it: 155 services, each with a plan of 5
recommendations, 4 actions per recommendation and 3 pieces of evidence per action (3,100
actions, 9,300 evidence), with progress notes and an audit history. Scale N has N plans per
service: one for each of its last N inspections, the older ones further along their lifecycle.

The plans go in the way a real load does: each is rendered as a plan file, parsed and checked
by `tracker.planfile` and loaded by `services.load_plans` (one transaction, bulk inserts).
`--toml DIR` also writes those plan files, for `tracker load DIR/*.toml`. The audit history
(status and progress changes over the months) is bulk-inserted, as a migration or an import
from another system would. The same seed and scale give the same data, dated around ANCHOR
(run the tracker with `--today 2026-11-01` to see it as the benchmarks do).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tracker.planfile import (  # noqa: E402
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    ScoreDoc,
    UpdateDoc,
    parse_plan,
    render_plan,
)
from tracker.vocab import (  # noqa: E402
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

AREAS = """Barking and Dagenham|Barnet|Bexley|Brent|Bromley|Camden|City of London|Croydon|Ealing|
Enfield|Greenwich|Hackney|Hammersmith and Fulham|Haringey|Harrow|Havering|Hillingdon|Hounslow|
Islington|Kensington and Chelsea|Kingston upon Thames|Lambeth|Lewisham|Merton|Newham|Redbridge|
Richmond upon Thames|Southwark|Sutton|Tower Hamlets|Waltham Forest|Wandsworth|Westminster|
Barnsley|Birmingham|Bolton|Bradford|Bury|Calderdale|Coventry|Doncaster|Dudley|Gateshead|
Kirklees|Knowsley|Leeds|Liverpool|Manchester|Newcastle upon Tyne|North Tyneside|Oldham|Rochdale|
Rotherham|Salford|Sandwell|Sefton|Sheffield|Solihull|South Tyneside|St Helens|Stockport|
Sunderland|Tameside|Trafford|Wakefield|Walsall|Wigan|Wirral|Wolverhampton|Cambridgeshire|
Derbyshire|Devon|East Sussex|Essex|Gloucestershire|Hampshire|Hertfordshire|Kent|Lancashire|
Leicestershire|Lincolnshire|Norfolk|Nottinghamshire|Oxfordshire|Staffordshire|Suffolk|Surrey|
Warwickshire|West Sussex|Worcestershire|Bath and North East Somerset|Bedford|
Blackburn with Darwen|Blackpool|Bournemouth Christchurch and Poole|Bracknell Forest|
Brighton and Hove|Bristol|Buckinghamshire|Central Bedfordshire|Cheshire East|
Cheshire West and Chester|Cornwall|Cumberland|Darlington|Derby|Dorset|Durham|
East Riding of Yorkshire|Halton|Hartlepool|Herefordshire|Isle of Wight|Kingston upon Hull|
Leicester|Luton|Medway|Middlesbrough|Milton Keynes|North East Lincolnshire|North Lincolnshire|
North Northamptonshire|North Somerset|North Yorkshire|Northumberland|Nottingham|Peterborough|
Plymouth|Portsmouth|Reading|Redcar and Cleveland|Shropshire|Slough|Somerset|
South Gloucestershire|Southampton|Southend-on-Sea|Stockton-on-Tees|Stoke-on-Trent|Swindon|
Telford and Wrekin|Thurrock|Torbay|Warrington|West Berkshire|West Northamptonshire|
Westmorland and Furness|Wiltshire|Windsor and Maidenhead|Wokingham|York|Cardiff|Swansea|
Newport|Wrexham|Gwynedd""".replace("\n", "").split("|")

RECOMMENDATION_TEXTS = [
    (
        "Good quality risk management plans are produced in all relevant cases, in order to "
        "minimise the Risk of Harm to others",
        ["Head of Service"],
    ),
    (
        "Good quality vulnerability management plans are produced in all relevant cases, in order "
        "to minimise Safeguarding risks",
        ["Head of Service", "all staff"],
    ),
    (
        "A higher proportion of children and young people comply with the requirements of their "
        "sentences",
        ["YOS Manager"],
    ),
    (
        "There is evidence in the file of regular and effective management oversight of Risk of "
        "Harm and Safeguarding issues",
        ["YOS Manager"],
    ),
    (
        "Analysis of outcome data is used to inform the interventions offered by the YOS and its "
        "partners",
        ["Chair of the Management Board"],
    ),
    (
        "The information technology system supports the operational and strategic work of the YOT "
        "through the effective recording, planning and monitoring of cases",
        ["Chair of the Management Board", "Head of Service", "all staff"],
    ),
    (
        "Victim safety issues are fully incorporated into the work of the YOT",
        ["Head of Service", "all staff"],
    ),
    (
        "The partnership has a shared understanding of the needs of children at risk of "
        "exploitation",
        ["YOT Management Board"],
    ),
    (
        "Initial assessments are completed on time and reviewed when circumstances change",
        ["Operational Manager"],
    ),
    (
        "Children's education, training and employment needs are assessed and met",
        ["Education Officer", "Head of Service"],
    ),
    (
        "Out-of-court disposals are supported by a clear, agreed policy with the police",
        ["YOT Management Board", "Police representative on the Management Board"],
    ),
    ("Resettlement planning begins on the first day of custody", ["Head of Service"]),
]

ACTION_TEXTS = [
    "Revise the {topic} template and brief all case managers on its use",
    "Team managers audit {topic} in ten cases a month and report the findings to the board",
    "Deliver refresher training on {topic} to all case managers and ISSP staff",
    "Agree a protocol with partners on {topic}, signed off by the Management Board",
    "Add a {topic} section to the case management guidance and the induction pack",
    "Run a quarterly {topic} compliance panel chaired by an operational manager",
    "Produce a monthly {topic} performance report for the Management Board",
    "Review {topic} with the police and children's services and agree improvements",
]
TOPICS = [
    "risk management",
    "vulnerability",
    "victim safety",
    "compliance",
    "management oversight",
    "outcome data",
    "assessment quality",
    "education and training",
    "out-of-court disposal",
    "resettlement",
    "exploitation",
    "information sharing",
    "case recording",
    "intervention plan",
]
FIRST = [
    "Miriam",
    "David",
    "Aisha",
    "Tom",
    "Priya",
    "Gareth",
    "Sian",
    "Joe",
    "Helen",
    "Kwame",
    "Laura",
    "Imran",
    "Rachel",
    "Owen",
    "Fatima",
    "Chris",
    "Nadia",
    "Paul",
    "Emma",
    "Raj",
]
LAST = [
    "Robertson",
    "Hughes",
    "Khan",
    "Walsh",
    "Patel",
    "Jones",
    "Evans",
    "Murphy",
    "Clarke",
    "Mensah",
    "Taylor",
    "Ali",
    "Green",
    "Price",
    "Begum",
    "Wright",
    "Hussain",
    "Shaw",
]
OWNER_ROLES = [
    "Head of Service",
    "YOS Manager",
    "Operational Manager",
    "Team Manager",
    "Business Support Manager",
    "Education Officer",
    "Performance Officer",
    "Chair of the Management Board",
    "Police representative on the Management Board",
]
EVIDENCE_TITLES = [
    "Management Board minutes, {month}: item {n}",
    "Case file audit, {month}",
    "Training attendance record, {month}",
    "Revised {topic} template, version {n}",
    "Protocol signed by partners, {month}",
    "Performance report to the board, {month}",
]
NOTES = [
    "Discussed at the team meeting; managers agreed the next steps.",
    "Audit of {n} cases completed; findings shared with the team.",
    "Delayed by staff absence; new date agreed with the Head of Service.",
    "Partners have agreed the draft; sign-off expected at the next board.",
    "Training delivered to {n} staff; the rest are booked for next month.",
]
YJB_REVIEWER = "YJB link officer"
KINDS = [InspectionKind.CCI, InspectionKind.SQS, InspectionKind.FJI, InspectionKind.RATED_2018]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def make_plan(rng: random.Random, area: str, round_: int) -> PlanDoc:
    """One service's plan: `round_` 0 is its latest inspection, higher rounds are older."""
    # Latest inspections are spread over the last three years; older ones 3 years apart.
    age_days = rng.randint(10, 3 * 365) + round_ * 3 * 365
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


def generate(
    db: str,
    scale: int,
    seed: int = 1,
    toml_dir: Path | None = None,
    quiet: bool = False,
    services: int = SERVICES,
) -> dict[str, float]:
    """Build the dataset into database `db` (which must hold no plans yet)."""
    from tracker.services import load_plans
    from tracker.store import open_store

    started = time.perf_counter()
    docs = plans(scale, seed, services)
    checked = []
    for doc in docs:
        text = render_plan(doc)
        if toml_dir is not None:
            (toml_dir / f"{doc.id}.toml").write_text(text, "utf-8")
        checked.append((f"{doc.id}.toml", parse_plan(text.encode("utf-8"), f"{doc.id}.toml")))
    built = time.perf_counter()
    store = open_store(db)
    try:
        load_plans(store, checked, "bench/generate.py")
        loaded = time.perf_counter()
        events = history(scale, seed, store)
    finally:
        store.dispose()
    done = time.perf_counter()
    figures = {
        "plans": len(docs),
        "actions": len(docs) * RECOMMENDATIONS * ACTIONS,
        "evidence": len(docs) * RECOMMENDATIONS * ACTIONS * EVIDENCE,
        "audit_events": events,
        "build_and_check_s": round(built - started, 2),
        "load_s": round(loaded - built, 2),
        "history_s": round(done - loaded, 2),
    }
    if not quiet:
        for key, value in figures.items():
            print(f"{key:>18}  {value}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="times national size (default 1)")
    parser.add_argument("--db", required=True, help="SQLite file or database URL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--toml", type=Path, help="also write the plan files to this folder")
    parser.add_argument(
        "--services",
        type=int,
        default=SERVICES,
        help=f"services in the dataset (default {SERVICES}, all of England and Wales)",
    )
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    if not 1 <= args.services <= len(AREAS):
        parser.error(f"--services must be from 1 to {len(AREAS)}")
    if args.toml is not None:
        args.toml.mkdir(parents=True, exist_ok=True)
    generate(args.db, args.scale, args.seed, args.toml, services=args.services)


if __name__ == "__main__":
    main()
