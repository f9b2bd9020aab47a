"""The store on a real SQLite file: pragmas, migrations, backups, the append-only audit trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from tracker.models import AuditEvent, AuditTrailIsAppendOnly
from tracker.store import (
    SCHEMA_HEAD,
    Store,
    StoreError,
    current_revision,
    migrations_dir,
    open_store,
    upgrade,
)


def test_schema_head_constant_matches_the_migrations() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_new_file_is_created_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    try:
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        store.dispose()
    assert not list(tmp_path.glob("*.bak")), "a new database needs no backup"


def test_default_roles_are_seeded(store: Store) -> None:
    from tracker.services import find_role

    with store.read() as session:
        chair = find_role(session, "Chair of the YOS Management Board")
        assert chair is not None
        assert chair.name == "Chair of the Management Board"
        manager = find_role(session, "  yos   MANAGER ")
        assert manager is not None and manager.name == "Head of Service"


def test_upgrade_from_first_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    old = Store(f"sqlite:///{path}", engine, None)  # type: ignore[arg-type]
    upgrade(old, "0001")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO inspections (area, kind, published) VALUES ('Halton', 'CCI', NULL)")
        )
        conn.execute(
            text(
                "INSERT INTO plans (slug, inspection_id, status, created_at, version) "
                "VALUES ('halton-2009', 1, 'draft', '2009-09-01 10:00:00', 1)"
            )
        )
    engine.dispose()
    assert current_revision(create_engine(f"sqlite:///{path}")) == "0001"

    store = open_store(path)
    try:
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.read() as session:
            row = session.execute(text("SELECT slug, status FROM plans")).one()
            assert tuple(row) == ("halton-2009", "draft")
    finally:
        store.dispose()
    backups = list(tmp_path.glob("old.db.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT slug FROM plans").fetchone() == ("halton-2009",)


def test_unopenable_targets_say_why(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        open_store(tmp_path / "nowhere" / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(junk)
    with pytest.raises(StoreError, match="no such database driver"):
        open_store("postgresql+nosuchdriver://u@localhost/db")


def test_audit_trail_is_append_only(loaded: Store) -> None:
    with pytest.raises(AuditTrailIsAppendOnly), loaded.write() as session:
        event = session.query(AuditEvent).first()
        assert event is not None
        event.new_value = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), loaded.write() as session:
        session.execute(text("DELETE FROM audit_events"))
    with loaded.read() as session:
        assert session.query(AuditEvent).count() > 0


def test_write_rolls_back_whole_on_error(loaded: Store) -> None:
    with pytest.raises(RuntimeError), loaded.write() as session:
        session.execute(text("UPDATE actions SET lead = 'half done'"))
        raise RuntimeError("stop")
    with loaded.read() as session:
        assert (
            session.execute(text("SELECT count(*) FROM actions WHERE lead = 'half done'")).scalar()
            == 0
        )
