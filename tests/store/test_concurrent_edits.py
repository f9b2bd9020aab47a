"""Edits made without an expected version apply to whatever is current (issue 14, point 6):
several editors updating the same action at once, none saying which version it read, each
have every update applied, with no StaleDataError and no conflict, on SQLite and on the
PostgreSQL server (where two transactions can read the same version and race to write)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from conftest import TODAY
from tracker import services
from tracker.models import AuditEvent, ProgressUpdate
from tracker.queries.lookups import get_action
from tracker.services import ActionChanges
from tracker.store import Store, open_store

REF = "stockton-2010/1.2"
WORKERS = 4
UPDATES = 10


def race(db: str, rounds: int, save: Callable[[Store, int, int], object]) -> None:
    """WORKERS threads, each with a store of its own, start together and each make `rounds`
    saves (`save(store, worker, n)`); every failure of any of them fails the test."""
    start = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def editor(worker: int) -> None:
        store = open_store(db)
        try:
            start.wait()
            for n in range(rounds):
                save(store, worker, n)
        except BaseException as exc:  # every failure is the test's to report
            failures.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=editor, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []


def test_updates_without_an_expected_version_are_all_applied(loaded_target: str) -> None:
    def save(store: Store, worker: int, n: int) -> None:
        services.update_action(
            store,
            REF,
            f"Editor {worker}",
            TODAY,
            ActionChanges(lead=f"Lead {worker}-{n}"),
            note=f"race note {worker}-{n}",
        )

    race(loaded_target, UPDATES, save)
    store = open_store(loaded_target)
    try:
        with store.read() as session:
            action = get_action(session, REF)
            notes = session.scalars(
                select(ProgressUpdate.text).where(
                    ProgressUpdate.action_id == action.id,
                    ProgressUpdate.text.like("race note %"),
                )
            ).all()
            leads = session.scalar(
                select(func.count()).where(
                    AuditEvent.entity_ref == REF,
                    AuditEvent.field == "lead",
                    AuditEvent.new_value.like("Lead %"),
                )
            )
        expected = {f"race note {w}-{n}" for w in range(WORKERS) for n in range(UPDATES)}
        assert sorted(notes) == sorted(expected)
        assert leads == WORKERS * UPDATES
        assert action.lead is not None and action.lead.startswith("Lead ")
    finally:
        store.dispose()


def test_bulk_changes_without_versions_are_all_applied(loaded_target: str) -> None:
    """The same for a change of several actions at once, each selected without a version."""
    refs = {REF: None, "stockton-2010/1.1": None}

    def save(store: Store, worker: int, n: int) -> None:
        changes = ActionChanges(lead=f"Bulk {worker}-{n}")
        services.bulk_update(store, dict(refs), f"Editor {worker}", TODAY, changes)

    race(loaded_target, UPDATES, save)
    store = open_store(loaded_target)
    try:
        with store.read() as session:
            for ref in refs:
                leads = session.scalar(
                    select(func.count()).where(
                        AuditEvent.entity_ref == ref,
                        AuditEvent.field == "lead",
                        AuditEvent.new_value.like("Bulk %"),
                    )
                )
                assert leads == WORKERS * UPDATES, ref
    finally:
        store.dispose()


def test_recommendation_and_plan_edits_without_versions_are_all_applied(
    loaded_target: str,
) -> None:
    """The same for the plan-writing edits (a recommendation's theme, the plan's title):
    without a version each applies to whatever is current, none is lost to a race."""
    from tracker.services.changes import PlanChanges, RecommendationChanges
    from tracker.services.plan_details import edit_plan
    from tracker.services.recommendations import edit_recommendation

    rounds = 5

    def save(store: Store, worker: int, n: int) -> None:
        edit_recommendation(
            store,
            "stockton-2010/2",
            f"Editor {worker}",
            RecommendationChanges(theme=f"Theme {worker}-{n}"),
        )
        edit_plan(store, "stockton-2010", f"Editor {worker}", PlanChanges(title=f"T {worker}-{n}"))

    race(loaded_target, rounds, save)
    store = open_store(loaded_target)
    try:
        with store.read() as session:
            rows = session.execute(
                select(AuditEvent.field, func.count())
                .where(AuditEvent.field.in_(("theme", "title")))
                .group_by(AuditEvent.field)
            )
            counts = {field: count for field, count in rows}
        assert counts == {"theme": WORKERS * rounds, "title": WORKERS * rounds}
    finally:
        store.dispose()
