"""Every read of tracker.queries held to an oracle: what the read's SQL gives on a busy database
is what the ORM objects say it should be (tests/store/oracle/ works that out the slow,
obvious way, without the reads' SQL).

The database fixtures put these tests on the PostgreSQL test server as well (`pytest -m
server` with TRACKER_TEST_DATABASE_URL, as CI runs them), through the SQLAlchemy executor; on
a SQLite file the light sqlite3 executor is held to the same records too. A schema change that
a read's SQL no longer matches fails here, naming the read and the executor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import SERVER_URL, TODAY
from tests.store import oracle
from tests.support.signoffs import PLAN
from tracker.errors import NotFoundError
from tracker.models import Action, AuditEvent, Plan
from tracker.queries import action as action_reads
from tracker.queries import exports, lists, plandoc, portfolio
from tracker.queries import plan as plan_reads
from tracker.queries import roles as role_reads
from tracker.queries.reader import Reader, open_sqlite
from tracker.queries.session import SessionReader
from tracker.store import open_store
from tracker.vocab import BOARD_REPORT_FIELD, ActionStatus, Brag

DAYS = [
    date(2009, 6, 1),
    date(2010, 5, 1),
    TODAY,
    TODAY + timedelta(days=1),  # the evidence that expires on TODAY no longer counts
    date(2011, 1, 1),
    date(2030, 1, 1),
]
"""The "today"s the colours are compared on: before, in and after the sample plans' lives."""


@dataclass
class Busy:
    """The busy database's read session (for the oracle) and a reader of each executor."""

    session: Session
    readers: dict[str, Reader]

    def agree(self, read: Callable[[Reader], Any], expected: Any, what: object = "") -> None:
        """`read` gives `expected` on every executor."""
        for name, reader in self.readers.items():
            assert read(reader) == expected, (name, what)

    def refuse(self, read: Callable[[Reader], Any], match: str) -> None:
        """`read` is a NotFoundError on every executor."""
        for name, reader in self.readers.items():
            with pytest.raises(NotFoundError, match=match):
                read(reader)
            assert name

    @property
    def slugs(self) -> list[str]:
        """Every plan's id."""
        return sorted(self.session.scalars(select(Plan.slug)))

    @property
    def action_ids(self) -> list[str]:
        """Every action's id, `PLAN/REF`."""
        found = self.session.execute(select(Plan.slug, Action.ref).join(Action.plan))
        return sorted(f"{slug}/{ref}" for slug, ref in found)


@pytest.fixture
def busy(loaded_target: str, tmp_path: Path) -> Iterator[Busy]:
    """The samples made busy (`oracle.make_busy`), read through SQLAlchemy and, on a SQLite
    file, through sqlite3 as well."""
    store = open_store(loaded_target)
    reviewer = open_store(loaded_target, reviewer=True)
    light = None
    try:
        oracle.make_busy(store, reviewer, tmp_path)
        light = open_sqlite(loaded_target)
        assert (light is None) == (SERVER_URL is not None), "sqlite3 reads every SQLite file"
        with store.read() as session:
            readers: dict[str, Reader] = {"SessionReader": SessionReader(session)}
            if light is not None:
                readers["SqliteReader"] = light
            yield Busy(session, readers)
    finally:
        if light is not None:
            light.close()
        store.dispose()
        reviewer.dispose()


def test_plan_rows(busy: Busy) -> None:
    colours = set()
    for today in DAYS:
        expected = oracle.plan_rows(busy.session, today)
        busy.agree(lambda r, today=today: lists.plan_rows(r, today), expected, today)
        colours |= {c for row in expected for c, n in row.summary.counts.items() if n}
    assert colours == set(Brag), "the days chosen show every colour"


FILTERS: list[dict[str, Any]] = [
    {},
    {"overdue": True},
    {"due_within": 30},
    {"overdue": True, "due_within": 30},
    {"plan": PLAN},
    {"plan": PLAN, "ref": "3.2"},
    {"owner": "chair of the  yos management board"},  # an alias, in another case and spacing
    {"owner": "YOS Manager", "status": ActionStatus.IN_PROGRESS},
    {"status": ActionStatus.COMPLETE},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(map(str, f)) or "all")
def test_action_rows(busy: Busy, filters: dict[str, Any]) -> None:
    every = oracle.action_rows(busy.session, TODAY)
    expected = oracle.action_rows(busy.session, TODAY, **filters)
    assert expected and (not filters or len(expected) < len(every)), "the filter has work to do"
    busy.agree(lambda r: lists.action_rows(r, TODAY, **filters), expected)
    if not filters:
        for today in DAYS:
            found = oracle.action_rows(busy.session, today)
            busy.agree(lambda r, today=today: lists.action_rows(r, today), found, today)


def test_plan_detail(busy: Busy) -> None:
    for slug in busy.slugs:
        for today in (TODAY, date(2011, 1, 1)):
            expected = oracle.plan_detail(busy.session, slug, today)
            busy.agree(lambda r, s=slug, t=today: plan_reads.plan_detail(r, s, t), expected, slug)


def test_sign_offs(busy: Busy) -> None:
    for slug in busy.slugs:
        expected = oracle.sign_offs(busy.session, slug)
        assert len(expected) == (2 if slug == PLAN else 0)
        busy.agree(lambda r, s=slug: plan_reads.sign_offs(r, s), expected, slug)


def test_action_detail(busy: Busy) -> None:
    for ref in busy.action_ids:
        expected = oracle.action_detail(busy.session, ref, TODAY)
        busy.agree(lambda r, a=ref: action_reads.action_detail(r, a, TODAY), expected, ref)


def test_evidence_of(busy: Busy) -> None:
    kept = 0
    for ref in busy.action_ids:
        expected = oracle.evidence_of(busy.session, ref)
        kept += len(expected)
        busy.agree(lambda r, a=ref: action_reads.evidence_of(r, a), expected, ref)
    assert kept > 10


def test_history_of_an_action(busy: Busy) -> None:
    for ref in busy.action_ids:
        expected = oracle.history(busy.session, ref)
        busy.agree(lambda r, a=ref: action_reads.history(r, a), expected, ref)
    assert len(oracle.history(busy.session, f"{PLAN}/3.2")) >= 3


def test_history_of_a_recommendation(busy: Busy) -> None:
    for ref in (f"{PLAN}/6", "cambridgeshire-2014/3", f"{PLAN}/1"):
        expected = oracle.history(busy.session, ref)
        busy.agree(lambda r, a=ref: action_reads.history(r, a), expected, ref)
    fields = {h.field for h in oracle.history(busy.session, f"{PLAN}/6")}
    assert {"added", "text", "response", "response_reason"} <= fields


def test_history_of_a_plan(busy: Busy) -> None:
    for slug in busy.slugs:
        expected = oracle.history(busy.session, slug)
        busy.agree(lambda r, s=slug: action_reads.history(r, s), expected, slug)
    assert {h.entity for h in oracle.history(busy.session, PLAN)} >= {"plan", "action"}


def test_evidence_files(busy: Busy) -> None:
    for plan in [None, *busy.slugs]:
        expected = oracle.evidence_files(busy.session, plan)
        busy.agree(lambda r, p=plan: action_reads.evidence_files(r, p), expected, plan)
    assert [f.action for f in oracle.evidence_files(busy.session)] == [f"{PLAN}/2.2"]


def test_plan_data(busy: Busy) -> None:
    for slug in busy.slugs:
        expected = oracle.plan_data(busy.session, slug, TODAY)
        busy.agree(lambda r, s=slug: exports.plan_data(r, s, TODAY), expected, slug)
    some = ["3.2", f"{PLAN}/1.3"]
    expected = oracle.plan_data(busy.session, PLAN, TODAY, some)
    assert len(expected.actions) == 2 and expected.filtered
    busy.agree(lambda r: exports.plan_data(r, PLAN, TODAY, some), expected)


def test_portfolio_rows(busy: Busy) -> None:
    for today in (TODAY, date(2011, 1, 1)):
        expected = oracle.portfolio_rows(busy.session, today)
        busy.agree(lambda r, t=today: portfolio.portfolio_rows(r, t), expected, today)
    mine = next(p for p in oracle.portfolio_rows(busy.session, TODAY) if p.plan.id == PLAN)
    assert mine.awaiting_review and mine.signed_off == 2


def test_last_board_report(busy: Busy) -> None:
    for slug in busy.slugs:
        expected = oracle.last_board_report(busy.session, slug)
        assert (expected is not None) == (slug == PLAN)
        busy.agree(lambda r, s=slug: exports.last_board_report(r, s), expected, slug)


def test_changes_since_a_moment_are_those_strictly_after_it(busy: Busy) -> None:
    """Each event's own moment, a microsecond before it, and the same moment written in
    another zone, as `since`: exactly the plan's events after it, with and without a filter
    on actions and on the board reports' own events."""
    events = busy.session.scalars(select(AuditEvent)).all()
    moments = sorted({e.at for e in events if e.entity_ref.startswith(PLAN)})
    assert len(moments) >= 5
    elsewhere = timezone(timedelta(hours=1))
    for at in moments:
        for since in (at, at - timedelta(microseconds=1), at.astimezone(elsewhere)):
            for options in ({}, {"refs": ["3.2", "1.3"]}, {"leave_out": BOARD_REPORT_FIELD}):
                expected = oracle.changes_since(busy.session, PLAN, since, **options)
                busy.agree(
                    lambda r, s=since, o=options: exports.changes_since(r, PLAN, s, **o),
                    expected,
                    (since, options),
                )


def test_a_plan_id_with_an_underscore_is_only_itself(busy: Busy) -> None:
    """`stockton_2010` must not read `stockton-2010`'s trail (no LIKE pattern in the SQL)."""
    since = datetime(2000, 1, 1, tzinfo=UTC)
    assert oracle.changes_since(busy.session, PLAN, since)
    for lookalike in ("stockton_2010", "stockton%", "stockton-201_"):
        busy.agree(lambda r, s=lookalike: exports.changes_since(r, s, since), [], lookalike)
        busy.refuse(lambda r, s=lookalike: action_reads.history(r, s), "no plan")


def test_plan_doc(busy: Busy) -> None:
    for slug in busy.slugs:
        expected = oracle.plan_doc(busy.session, slug)
        busy.agree(lambda r, s=slug: plandoc.plan_doc(r, s), expected, slug)
    roles = oracle.plan_doc(busy.session, PLAN).roles
    assert any(role.aliases for role in roles)


def test_roles(busy: Busy) -> None:
    expected = oracle.roles(busy.session)
    assert any(aliases for _, aliases in expected)
    busy.agree(role_reads.roles, expected)
    busy.agree(role_reads.role_names, [name for name, _ in expected])
    busy.agree(role_reads.known_role_names, oracle.known_role_names(busy.session))
    for name in ("YOS Manager", "chair of the  YOS management BOARD", "Nobody at all"):
        called = oracle.role_called(busy.session, name)
        assert (called is None) == (name == "Nobody at all")
        busy.agree(lambda r, n=name: role_reads.role_called(r, n), called, name)


def test_an_unknown_plan_or_action_is_named(busy: Busy) -> None:
    plan_reads_by_slug: list[Callable[[Reader, str], Any]] = [
        lambda r, s: lists.action_rows(r, TODAY, plan=s),
        lambda r, s: plan_reads.plan_detail(r, s, TODAY),
        plan_reads.sign_offs,
        action_reads.history,
        action_reads.evidence_files,
        lambda r, s: exports.plan_data(r, s, TODAY),
        exports.last_board_report,
        plandoc.plan_doc,
    ]
    for read in plan_reads_by_slug:
        busy.refuse(lambda r, read=read: read(r, "nowhere-2010"), "no plan 'nowhere-2010'")
    action_reads_by_id: list[Callable[[Reader, str], Any]] = [
        lambda r, a: action_reads.action_detail(r, a, TODAY),
        action_reads.evidence_of,
        action_reads.history,
    ]
    for read in action_reads_by_id:
        busy.refuse(lambda r, read=read: read(r, f"{PLAN}/9.9"), "has no action '9.9'")
    busy.refuse(lambda r: exports.plan_data(r, PLAN, TODAY, ["9.9"]), "has no action")
