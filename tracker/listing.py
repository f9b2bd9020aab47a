"""The plans list and the actions list, read with plain SQL so that they need no SQLAlchemy.

These are the reads a user waits for at start-up: the TUI's home screen, `tracker plans`,
`tracker actions`. Importing SQLAlchemy and its ORM costs more than the whole of such a read,
so on a SQLite file already at the schema's head they run on the standard library's sqlite3
(`open_sqlite`); everywhere else (PostgreSQL, or a file that needs migrating) the same SQL runs
through SQLAlchemy (`tracker.queries`). One SQL text, two ways to send it: the rows are the
same either way, and a test holds them to it.

The SQL uses `:name` parameters, which both sqlite3 and SQLAlchemy's `text()` take. Dates and
timestamps come back as objects from PostgreSQL and as ISO text from SQLite; `day_value` and
`moment_value` read both, and `sqlite_params` sends them as SQLite holds them.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from tracker import rules
from tracker.errors import NotFoundError, no_plan
from tracker.vocab import ActionStatus, Brag, InspectionKind, PlanStatus, ReviewState, role_key

SCHEMA_HEAD = "0004"
"""The newest migration in db/versions (a test checks it against Alembic's own head): the
schema this SQL is written for. `tracker.store` upgrades a database to it; a file at another
revision is read through SQLAlchemy, after migrating."""


class Reader(Protocol):
    """Runs one SELECT with `:name` parameters and gives its rows as tuples."""

    def rows(self, sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]: ...


class SqliteReader:
    """A `Reader` on a sqlite3 connection (dates are sent as ISO text, as stored)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any]) -> Iterable[Sequence[Any]]:
        return self.connection.execute(sql, sqlite_params(params))

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


@contextmanager
def reader(
    target: str | Path, full: Callable[[], AbstractContextManager[Reader]]
) -> Iterator[Reader]:
    """A reader for the lists: the light one on `target` where `open_sqlite` allows, else
    `full()` (a session's reader, which opens the database the full way)."""
    light = open_sqlite(target)
    if light is None:
        with full() as found:
            yield found
        return
    try:
        yield light
    finally:
        light.close()


def open_sqlite(target: str | Path) -> SqliteReader | None:
    """A read-only reader on the SQLite file `target` when it is a tracker database already at
    the schema's head, else None (a URL, a missing file, one that needs migrating or is not a
    database: the caller opens it the full way, which upgrades it or says what is wrong)."""
    text = str(target)
    if "://" in text:
        if not text.startswith("sqlite:///"):
            return None
        text = text.removeprefix("sqlite:///")
    path = Path(text).expanduser()
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA busy_timeout = 30000")
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.Error, TypeError):
        connection.close()
        return None
    if revision != SCHEMA_HEAD:
        connection.close()
        return None
    return SqliteReader(connection)


def sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as SQLite holds them: a date as ISO text, a timestamp (timezone-aware) as
    the UTC text SQLAlchemy writes (`2010-09-14 10:15:00.000000`), so that it compares."""
    sent = dict(params)
    for key, value in params.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"timestamp parameter {key!r} must be timezone-aware")
            utc = value.astimezone(UTC).replace(tzinfo=None)
            sent[key] = utc.isoformat(" ", "microseconds")
        elif isinstance(value, date):
            sent[key] = value.isoformat()
    return sent


def day_value(value: Any) -> date | None:
    """A stored date: a `date` from PostgreSQL, ISO text from SQLite."""
    if value is None or type(value) is date:
        return value
    return date.fromisoformat(value)


def moment_value(value: Any) -> datetime:
    """A stored timestamp as a timezone-aware UTC datetime: PostgreSQL gives one with its zone,
    SQLite the UTC text SQLAlchemy wrote."""
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


_STATUS = {s.value: s for s in ActionStatus}
_BRAG = {b.value: b for b in Brag}
"""Stored text to enumeration by a dict, not `ActionStatus(text)`: tens of thousands of rows."""


@dataclass(frozen=True)
class PlanRow:
    """One plan as the plans list shows it."""

    id: str
    area: str
    kind: InspectionKind
    published: date | None
    submission_due: date | None
    status: PlanStatus
    submitted: date | None
    summary: rules.PlanSummary


@dataclass(frozen=True)
class ActionRow:
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


_COUNTS = f"""v.review != '{ReviewState.QUERIED.value}'
                AND (v.expires_on IS NULL OR v.expires_on >= :today)"""
"""Whether a piece of evidence `v` counts towards completion as of `today` (not queried, not
expired): the BRAG rule's evidence test (`EvidenceFacts.counts`), in SQL."""

PLANS_SQL = """
    SELECT p.id, p.slug, p.status, p.submitted_on, i.area, i.kind, i.published
    FROM plans p JOIN inspections i ON i.id = p.inspection_id"""

PLAN_ACTIONS_SQL = f"""
    SELECT a.plan_id, a.status, a.target_on, a.start_on, a.progress, a.brag_override,
           EXISTS (SELECT 1 FROM evidence v WHERE v.action_id = a.id AND {_COUNTS})
    FROM actions a"""
"""Every action's facts for its plan's colours. EXISTS stops at the first piece of evidence
that counts (at ten times national scale 56 ms against 78 ms for counting them all)."""


def plan_rows(reader: Reader, today: date) -> list[PlanRow]:
    """Every plan with its clock and BRAG summary, most urgent first: plans still to submit by
    due date, then the rest by most overdue actions."""
    by_plan: dict[int, list[rules.FactValues]] = defaultdict(list)
    for plan_id, status, target, start, progress, override, counting in reader.rows(
        PLAN_ACTIONS_SQL, {"today": today}
    ):
        by_plan[plan_id].append(
            (
                _STATUS[status],
                day_value(target),
                day_value(start),
                progress,
                None if override is None else _BRAG[override],
                bool(counting),
            )
        )
    rows = []
    for plan_id, slug, status, submitted, area, kind, published in reader.rows(PLANS_SQL, {}):
        published = day_value(published)
        rows.append(
            PlanRow(
                id=slug,
                area=area,
                kind=InspectionKind(kind),
                published=published,
                submission_due=rules.submission_due(published),
                status=PlanStatus(status),
                submitted=day_value(submitted),
                summary=rules.summarise_values(by_plan[plan_id], today),
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


ACTIONS_SQL = f"""
    SELECT a.ref, a.text, a.lead, a.start_on, a.target_on, a.status, a.progress,
           a.brag_override, a.version, p.slug, r.ref AS rec_ref, o.name AS role_name,
           (SELECT COUNT(*) FROM evidence v WHERE v.action_id = a.id) AS total,
           (SELECT COUNT(*) FROM evidence v WHERE v.action_id = a.id AND {_COUNTS}) AS counting,
           (SELECT MAX(u."on") FROM progress_updates u WHERE u.action_id = a.id) AS last_update
    FROM actions a
    JOIN recommendations r ON r.id = a.recommendation_id
    JOIN plans p ON p.id = a.plan_id
    LEFT JOIN roles o ON o.id = a.owner_role_id
    WHERE {{where}}
    ORDER BY p.slug, r.position, a.position"""
"""The actions list; `{where}` is filled with the filters asked for (`_ACTION_FILTERS`). The
evidence counts and the latest note are looked up (by index) for the actions kept, not
aggregated over every action first: the overdue list at national scale took 0.07-0.18 s of
SQLite's time that way, 0.02 s this way (the whole list costs the same either way)."""

_ACTION_FILTERS = {
    "plan": "p.slug = :plan",
    "owner": 'a.owner_role_id IN (SELECT role_id FROM role_names WHERE "key" = :owner)',
    "status": "a.status = :status",
    "before": f"a.status != '{ActionStatus.COMPLETE.value}' AND a.target_on < :before",
}
"""Each filter's condition, used only when it is asked for: a NULL parameter would leave
PostgreSQL unable to tell its type. `before` keeps unfinished actions whose target is before
that day (overdue: today; due within N days: today + N + 1)."""

_PLAN_EXISTS_SQL = "SELECT 1 FROM plans WHERE slug = :plan"


def action_rows(
    reader: Reader,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[ActionRow]:
    """Actions, filtered, in plan and ref order. `owner` matches the action's role by any of
    its names; `due_within` keeps unfinished actions whose target is within that many days
    (overdue ones included). NotFoundError for an unknown plan."""
    if plan is not None and not list(reader.rows(_PLAN_EXISTS_SQL, {"plan": plan})):
        raise no_plan(plan)
    before: date | None = None
    if overdue:
        before = today
    if due_within is not None:
        horizon = date.fromordinal(today.toordinal() + due_within + 1)
        before = horizon if before is None else min(before, horizon)
    filters = {
        "plan": plan,
        "owner": None if owner is None else role_key(owner),
        "status": None if status is None else status.value,
        "before": before,
    }
    params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
    where = " AND ".join(_ACTION_FILTERS[k] for k in params) or "1 = 1"
    params["today"] = today
    result = []
    for (
        ref,
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
        total,
        counting,
        last_update,
    ) in reader.rows(ACTIONS_SQL.format(where=where), params):
        facts = rules.ActionFacts(
            status=_STATUS[state],
            target=day_value(target),
            start=day_value(start),
            progress=progress,
            override=None if override is None else _BRAG[override],
            evidenced=bool(counting),
        )
        result.append(
            ActionRow(
                id=f"{slug}/{ref}",
                plan=slug,
                recommendation=rec_ref,
                ref=ref,
                text=text,
                owner=role_name,
                lead=lead,
                start=facts.start,
                target=facts.target,
                status=facts.status,
                progress=progress,
                brag=rules.brag(facts, today),
                overdue=rules.is_overdue(facts, today),
                evidence=total or 0,
                version=version,
                last_update=day_value(last_update),
                facts=facts,
            )
        )
    return result


__all__ = [
    "ActionRow",
    "NotFoundError",
    "PlanRow",
    "Reader",
    "SqliteReader",
    "action_rows",
    "brag_counts_text",
    "day_value",
    "moment_value",
    "open_sqlite",
    "plan_rows",
    "reader",
    "sqlite_params",
]
