"""The plans list and the actions list: the reads a user waits for at start-up (the TUI's home
screen, `tracker plans`, `tracker actions`), in plain SQL on any `Reader`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, NamedTuple

from tracker import rules
from tracker.errors import no_plan
from tracker.queries.reader import Query, Reader, SqliteReader, day_value
from tracker.vocab import ActionStatus, Brag, InspectionKind, PlanStatus, ReviewState, role_key

STATUS = {s.value: s for s in ActionStatus}
BRAG = {b.value: b for b in Brag}
KIND = {k.value: k for k in InspectionKind}
PLAN_STATUS = {s.value: s for s in PlanStatus}
"""Stored text to enumeration by a dict, not `ActionStatus(text)`: tens of thousands of rows."""


class PlanRow(NamedTuple):
    """One plan as the plans list shows it."""

    id: str
    area: str
    kind: InspectionKind
    published: date | None
    submission_due: date | None
    status: PlanStatus
    submitted: date | None
    summary: rules.PlanSummary


class ActionRow(NamedTuple):
    """One action as the actions list shows it."""

    id: str
    plan: str
    recommendation: str
    ref: str
    text: str
    owner: str | None
    lead: str | None
    start: date | None
    target: date | None
    status: ActionStatus
    progress: int
    brag: rules.BragResult
    overdue: bool
    evidence: int
    version: int
    last_update: date | None
    facts: rules.ActionFacts
    withdrawn: date | None = None
    """When the action was withdrawn (left out of counts, colours and exports), or None."""
    withdrawn_reason: str | None = None


COUNTS = f"""v.review != '{ReviewState.QUERIED.value}'
                AND (v.expires_on IS NULL OR v.expires_on >= :today)"""
"""Whether a piece of evidence `v` counts towards completion as of `today` (not queried, not
expired): the BRAG rule's evidence test (`EvidenceFacts.counts`), in SQL."""

PLANS = Query(
    "plans",
    """
    SELECT p.id AS plan_id, p.slug, p.status, p.submitted_on, i.area, i.kind, i.published
    FROM plans p JOIN inspections i ON i.id = p.inspection_id""",
    ("plan_id", "slug", "status", "submitted_on", "area", "kind", "published"),
)


def _days(later: str, earlier: str, dialect: str) -> str:
    """The days from `earlier` to `later` (two dates) in SQL: PostgreSQL subtracts dates, SQLite
    (which holds them as ISO text) their Julian day numbers, whole for a date."""
    if dialect == "postgresql":
        return f"({later} - {earlier})"
    return f"(julianday({later}) - julianday({earlier}))"


def _tie_turns_amber() -> tuple[int, ...]:
    """The progress figures at which an action exactly on the "behind schedule" boundary is
    amber. `_decide` rounds the share of time gone (`round(gone / span * 100)`, in floating
    point), so at a share of exactly k + 1/2 per cent which way it falls depends on how the
    division rounds; that depends on the share only, never on the dates, so asking the rule
    itself once for each progress figure answers for every action."""
    start = date(2000, 1, 1)
    turns = []
    for progress in range(101):
        share = 2 * (progress + rules.BEHIND_SCHEDULE_POINTS) + 1  # in half per cents
        if share >= 200:
            break
        gone, span = share * 30, 200 * 30  # far from the target: not "due soon"
        today, target = rules.add_days(start, gone), rules.add_days(start, span)
        status = ActionStatus.IN_PROGRESS
        if rules._decide(status, target, start, progress, False, today)[0] is Brag.AMBER:
            turns.append(progress)
    return tuple(turns)


def _plan_colours_sql(dialect: str) -> str:
    """Each plan's actions counted by colour, with how many are complete and overdue: the BRAG
    rule (`rules._decide`, the lead's override first) as a CASE, so that the database sends a
    few rows a plan rather than every action. "Behind schedule" (progress more than
    `BEHIND_SCHEDULE_POINTS` behind the rounded share of time gone) is compared in whole
    numbers, 200 x days gone against (2 x (progress + points) + 1) x days of the span, which is
    exact; a tie (the share exactly half a per cent from the bar) goes as the rule rounds it
    (`_tie_turns_amber`). tests/store/test_plan_colours.py holds this to the rule in Python."""
    gone = _days(":today", "a.start_on", dialect)
    span = _days("a.target_on", "a.start_on", dialect)
    bar = f"(2 * (a.progress + {rules.BEHIND_SCHEDULE_POINTS}) + 1)"
    ties = ", ".join(str(p) for p in _tie_turns_amber()) or "-1"
    done, blocked = ActionStatus.COMPLETE.value, ActionStatus.BLOCKED.value
    red, amber, green, blue = (b.value for b in (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE))
    return f"""
    SELECT plan_id, colour, COUNT(*) AS actions, SUM(late) AS overdue, SUM(done) AS complete
    FROM (
        SELECT a.plan_id,
            CASE
            WHEN a.brag_override IS NOT NULL THEN a.brag_override
            WHEN a.status = '{done}' THEN
                CASE WHEN EXISTS (SELECT 1 FROM evidence v WHERE v.action_id = a.id AND {COUNTS})
                THEN '{blue}' ELSE '{amber}' END
            WHEN a.status = '{blocked}' THEN '{red}'
            WHEN a.target_on IS NULL THEN '{amber}'
            WHEN a.target_on < :today THEN '{red}'
            WHEN a.target_on <= :soon AND a.progress < {rules.AMBER_PROGRESS_BELOW} THEN '{amber}'
            WHEN a.start_on IS NOT NULL AND a.start_on < a.target_on AND a.start_on <= :today THEN
                CASE
                WHEN 200 * {gone} > {bar} * {span} THEN '{amber}'
                WHEN 200 * {gone} = {bar} * {span} AND a.progress IN ({ties}) THEN '{amber}'
                ELSE '{green}' END
            ELSE '{green}' END AS colour,
            CASE WHEN a.status != '{done}' AND a.target_on < :today THEN 1 ELSE 0 END AS late,
            CASE WHEN a.status = '{done}' THEN 1 ELSE 0 END AS done
        FROM actions a WHERE a.withdrawn_on IS NULL
    ) coloured
    GROUP BY plan_id, colour
    ORDER BY actions"""


PLAN_COLOURS = Query(
    "plan colours",
    _plan_colours_sql("sqlite"),
    ("plan_id", "colour", "actions", "overdue", "complete"),
    postgresql=_plan_colours_sql("postgresql"),
)
"""Each plan's colours, counted in the database: at ten times national scale (31,000 actions)
0.04 s, where reading every action's facts and colouring them in Python took 0.16-0.24 s.
Evidence is looked for only for a complete action, the one colour it decides; EXISTS stops at
the first piece that counts. The ORDER BY (any order would do) has SQLite finish all the work
before it gives the first row (`plan_colours`)."""

ColourCounts = Iterator[tuple[Any, ...]]
"""The rows of PLAN_COLOURS, as `plan_colours` starts them."""


def plan_colours(reader: Reader, today: date) -> ColourCounts:
    """Start counting the plans' colours: on SQLite the whole count is done here, in one step
    of the database that holds no lock on the interpreter, so that a thread may run it beside
    other work (`tracker.cli.launch`); the rows are read by `plan_rows`."""
    soon = rules.add_days(today, rules.AMBER_WINDOW_DAYS)
    return PLAN_COLOURS.rows(reader, today=today, soon=soon)


def colours_ahead(reader: Reader, today: date) -> Callable[[], ColourCounts | None]:
    """Start `plan_colours` in a thread, for the caller to do other work meanwhile (import
    Textual, or openpyxl); the function returned waits for it and gives the count, or None
    where it could not be started this way (not SQLite's reader, or an error, which
    `plan_rows` then meets again and reports). Reading the rows stays with the caller: in the
    thread each row would wait its turn for the interpreter."""
    if not isinstance(reader, SqliteReader) or not reader.threads:
        return lambda: None
    import threading  # here: the small reads (`tracker actions`) start no thread

    found: list[ColourCounts | None] = []

    def count() -> None:
        try:
            found.append(plan_colours(reader, today))
        except sqlite3.Error:
            found.append(None)

    ahead = threading.Thread(target=count, name="plan-colours", daemon=True)
    ahead.start()

    def counted() -> ColourCounts | None:
        ahead.join()
        return found[0] if found else None

    return counted


def plan_rows(reader: Reader, today: date, colours: ColourCounts | None = None) -> list[PlanRow]:
    """Every plan with its clock and BRAG summary, most urgent first: plans still to submit by
    due date, then the rest by most overdue actions. `colours`: their count, if started
    already (`plan_colours`, on the same reader and day)."""
    counted: dict[int, list[int]] = {}  # plan id: total, complete, overdue, then by colour
    at = {b.value: 3 + i for i, b in enumerate(Brag)}
    for plan_id, colour, actions, overdue, complete in colours or plan_colours(reader, today):
        figures = counted.setdefault(plan_id, [0] * (3 + len(at)))
        figures[0] += actions
        figures[1] += complete
        figures[2] += overdue
        figures[at[colour]] += actions

    def summary(plan_id: int) -> rules.PlanSummary:
        total, complete, overdue, *by_colour = counted.get(plan_id) or [0] * (3 + len(at))
        return rules.PlanSummary(total, dict(zip(Brag, by_colour, strict=True)), complete, overdue)

    rows = []
    for plan_id, slug, status, submitted, area, kind, published in PLANS.rows(reader):
        published = day_value(published)
        rows.append(
            PlanRow(
                id=slug,
                area=area,
                kind=KIND[kind],
                published=published,
                submission_due=rules.submission_due(published),
                status=PLAN_STATUS[status],
                submitted=day_value(submitted),
                summary=summary(plan_id),
            )
        )

    def urgency(row: PlanRow) -> tuple[int, date, int, str]:
        waiting = row.status is PlanStatus.DRAFT
        due = row.submission_due or date.max
        return (0 if waiting else 1, due if waiting else date.max, -row.summary.overdue, row.id)

    return sorted(rows, key=urgency)


def brag_counts_text(summary: rules.PlanSummary) -> str:
    """`R2 A3 G4 B1`: a plan's colours in the order a board reads them."""
    order = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)
    return " ".join(f"{c.value[0].upper()}{summary.counts.get(c, 0)}" for c in order)


ACTIONS = Query(
    "actions",
    f"""
    SELECT a.ref, a.text, a.lead, a.start_on, a.target_on, a.status, a.progress,
           a.brag_override, a.version, p.slug, r.ref AS rec_ref, o.name AS role_name,
           a.withdrawn_on, a.withdrawn_reason,
           (SELECT COUNT(*) FROM evidence v WHERE v.action_id = a.id) AS total,
           (SELECT COUNT(*) FROM evidence v WHERE v.action_id = a.id AND {COUNTS}) AS counting,
           (SELECT MAX(u."on") FROM progress_updates u WHERE u.action_id = a.id) AS last_update
    FROM actions a
    JOIN recommendations r ON r.id = a.recommendation_id
    JOIN plans p ON p.id = a.plan_id
    LEFT JOIN roles o ON o.id = a.owner_role_id
    WHERE {{where}}
    ORDER BY p.slug, r.position, a.position""",
    (
        "ref",
        "text",
        "lead",
        "start_on",
        "target_on",
        "status",
        "progress",
        "brag_override",
        "version",
        "slug",
        "rec_ref",
        "role_name",
        "withdrawn_on",
        "withdrawn_reason",
        "total",
        "counting",
        "last_update",
    ),
)
"""The actions list; `{where}` is filled with the filters asked for (`ACTION_FILTERS`). The
evidence counts and the latest note are looked up (by index) for the actions kept, not
aggregated over every action first: the overdue list at national scale took 0.07-0.18 s of
SQLite's time that way, 0.02 s this way (the whole list costs the same either way)."""

ACTION_FILTERS = {
    "plan": "p.slug = :plan",
    "ref": "a.ref = :ref",
    "owner": 'a.owner_role_id IN (SELECT role_id FROM role_names WHERE "key" = :owner)',
    "status": "a.status = :status",
    "before": f"a.status != '{ActionStatus.COMPLETE.value}' AND a.target_on < :before",
}
LIVE = "a.withdrawn_on IS NULL"
"""Every list leaves withdrawn actions out unless asked for them (`tracker actions --all`)."""
"""Each filter's condition, used only when it is asked for: a NULL parameter would leave
PostgreSQL unable to tell its type. `before` keeps unfinished actions whose target is before
that day (overdue: today; due within N days: today + N + 1). `ref` is one action's ref, with
`plan`."""

PLAN_ID = Query("plan id", "SELECT id FROM plans WHERE slug = :plan", ("id",))
"""A plan's row id by its slug: whether it exists, and what the reads of one plan key on."""


def action_rows(
    reader: Reader,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    ref: str | None = None,
    withdrawn: bool = False,
) -> list[ActionRow]:
    """Actions, filtered, in plan and ref order. `owner` matches the action's role by any of
    its names; `due_within` keeps unfinished actions whose target is within that many days
    (overdue ones included); `ref` (with `plan`) keeps one action, withdrawn or not;
    `withdrawn` keeps withdrawn actions too (else they are left out). NotFoundError for an
    unknown plan."""
    if plan is not None and PLAN_ID.first(reader, plan=plan) is None:
        raise no_plan(plan)
    if ref is not None and plan is None:
        raise ValueError("an action's ref needs its plan")
    before: date | None = None
    if overdue:
        before = today
    if due_within is not None:
        # Any number of days: the horizon stops at the last day Python holds (so a target on
        # that very day, only ever stored by other means, is never within), never overflows.
        horizon = rules.add_days(today, due_within + 1)
        before = horizon if before is None else min(before, horizon)
    filters = {
        "plan": plan,
        "ref": ref,
        "owner": None if owner is None else role_key(owner),
        "status": None if status is None else status.value,
        "before": before,
    }
    params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
    conditions = [ACTION_FILTERS[k] for k in params]
    if not withdrawn and ref is None:
        conditions.append(LIVE)
    query = ACTIONS.where(" AND ".join(conditions) or "1 = 1")
    params["today"] = today
    result = []
    for (
        action_ref,
        text,
        lead,
        start,
        target,
        state,
        progress,
        override,
        version,
        slug,
        rec_ref,
        role_name,
        withdrawn_on,
        withdrawn_reason,
        total,
        counting,
        last_update,
    ) in query.rows(reader, **params):
        facts = rules.ActionFacts(
            status=STATUS[state],
            target=day_value(target),
            start=day_value(start),
            progress=progress,
            override=None if override is None else BRAG[override],
            evidenced=bool(counting),
        )
        gone = day_value(withdrawn_on)
        result.append(
            ActionRow(
                id=f"{slug}/{action_ref}",
                plan=slug,
                recommendation=rec_ref,
                ref=action_ref,
                text=text,
                owner=role_name,
                lead=lead,
                start=facts.start,
                target=facts.target,
                status=facts.status,
                progress=progress,
                brag=rules.brag(facts, today),
                overdue=gone is None and rules.is_overdue(facts, today),
                evidence=total or 0,
                version=version,
                last_update=day_value(last_update),
                facts=facts,
                withdrawn=gone,
                withdrawn_reason=withdrawn_reason,
            )
        )
    return result
