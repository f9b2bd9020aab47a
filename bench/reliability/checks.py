"""What the database itself says after a crash: its own integrity checks, rows that point at
nothing, whether a writer is inside its transaction, and how much of each plan is there."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import exists, func, select, text

from tests.support.databases import engine_for
from tracker.models import Action, Base, Evidence, Plan, ProgressUpdate, Recommendation
from tracker.store import database_url, sqlite_file


def orphan_rows(db: str) -> int:
    """Rows whose foreign key points at no row: none, if every transaction was whole."""
    engine = engine_for(db)
    count = 0
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                child, parent = fk.parent, fk.column
                query = (
                    select(func.count())
                    .select_from(table)
                    .where(child.is_not(None), ~exists().where(parent == child))
                )
                count += int(conn.scalar(query) or 0)
    engine.dispose()
    return count


def storage_problems(db: str) -> tuple[list[str], str]:
    """What the database itself finds wrong with its files, and what was checked: SQLite's
    integrity_check and foreign_key_check; on PostgreSQL, amcheck's check of every B-tree
    index against its table (when the amcheck extension is installed)."""
    path = sqlite_file(database_url(db))
    if path is not None:
        lite = sqlite3.connect(path, timeout=60)
        try:
            rows = [str(r[0]) for r in lite.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else [f"integrity_check: {r}" for r in rows]
            problems += [
                f"foreign_key_check: {r}" for r in lite.execute("PRAGMA foreign_key_check")
            ]
        finally:
            lite.close()
        return problems, "PRAGMA integrity_check and foreign_key_check"
    engine = engine_for(db)
    problems = []
    with engine.connect() as conn:
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            conn.commit()
        except Exception:  # amcheck not installed: the other checks still run
            conn.rollback()
            engine.dispose()
            return [], "none (the amcheck extension is not installed)"
        indexes = conn.execute(
            text(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'"
            )
        ).all()
        for oid, name in indexes:
            try:
                conn.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
            except Exception as exc:
                conn.rollback()
                problems.append(f"amcheck {name}: {exc}")
    engine.dispose()
    return problems, f"amcheck bt_index_check(heapallindexed) of {len(indexes)} indexes"


def server_backends(db: str) -> int:
    """Other connections to this PostgreSQL database (0 on SQLite)."""
    if sqlite_file(database_url(db)) is not None:
        return 0
    engine = engine_for(db)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()
    return int(count or 0)


def writer_in_transaction(db: str) -> bool:
    """Whether some other connection is inside a write transaction right now: on SQLite the
    write lock is taken (BEGIN IMMEDIATE cannot start), on PostgreSQL a backend of this
    database holds a transaction id (it has written)."""
    path = sqlite_file(database_url(db))
    if path is not None:
        lite = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            lite.execute("BEGIN IMMEDIATE")
            lite.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            lite.close()
    engine = engine_for(db)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        )
    engine.dispose()
    return bool(count)


def plan_counts(db: str) -> dict[str, tuple[int, int, int, int]]:
    """Each plan's (recommendations, actions, progress notes, evidence)."""
    engine = engine_for(db)
    found: dict[str, tuple[int, int, int, int]] = {}
    with engine.connect() as conn:
        for slug, plan_id in conn.execute(select(Plan.slug, Plan.id)):

            def count(query: Any) -> int:
                return int(conn.scalar(query) or 0)

            in_plan = select(Action.id).where(Action.plan_id == plan_id)
            found[slug] = (
                count(select(func.count()).where(Recommendation.plan_id == plan_id)),
                count(select(func.count()).where(Action.plan_id == plan_id)),
                count(select(func.count()).where(ProgressUpdate.action_id.in_(in_plan))),
                count(select(func.count()).where(Evidence.action_id.in_(in_plan))),
            )
    engine.dispose()
    return found
