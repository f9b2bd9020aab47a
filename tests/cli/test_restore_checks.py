"""`tracker restore` takes a backup only when it is exactly what the migrations make and sound
(issue 14, point 4), checks the very file it copies, and works over a live file that is itself
damaged: real SQLite files, the command in a real process."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import snapshot
from tracker.store import Restored, StoreError, restore

EVIL_TRIGGER = (
    "CREATE TRIGGER keep_tidy AFTER INSERT ON audit_events BEGIN "
    "DELETE FROM evidence; DELETE FROM progress_updates; END"
)


def _backup(tracker, db: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    copy = db.parent / name
    made = tracker("backup", "-o", str(copy), db=db)
    assert made.code == 0, made.err
    return copy


def _change(path: Path, *sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in sql:
            conn.execute(statement)
    conn.close()


def _trigger_sql(path: Path, name: str) -> str:
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    conn.close()
    return str(sql)


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ([EVIL_TRIGGER], "trigger keep_tidy on audit_events: not in this tracker's schema"),
        (
            [
                "DROP TRIGGER audit_events_no_update",
                "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
                "BEGIN SELECT 1; END",
                "DROP TRIGGER audit_events_no_delete",
                "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
                "BEGIN SELECT 1; END",
            ],
            "trigger audit_events_no_update on audit_events: its SQL differs",
        ),
        (["DELETE FROM plans WHERE slug = 'stockton-2010'"], "broken foreign keys"),
        (["CREATE VIEW leads AS SELECT lead FROM actions"], "view leads: not in this tracker"),
        (["CREATE INDEX ix_spare ON actions (lead)"], "index ix_spare on actions: not in"),
        (["DROP INDEX ix_actions_plan_id"], "index ix_actions_plan_id on actions: missing"),
        (["CREATE TABLE extra (id INTEGER)"], "table extra: not in this tracker's schema"),
    ],
    ids=["extra-trigger", "replaced-triggers", "broken-foreign-key", "view", "index", "no-index",
         "table"],
)  # fmt: skip
def test_a_backup_whose_schema_or_keys_differ_is_refused_with_the_differences(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, damage: list[str], named: str
) -> None:
    bad = _backup(tracker, loaded_path, "bad.db")
    _change(bad, *damage)
    before = snapshot(loaded_path)
    result = tracker("restore", str(bad), "--yes", db=loaded_path)
    assert result.code == 1 and "Traceback" not in result.err, result
    assert "not a whole tracker database" in result.err and named in result.err, result.err
    assert "Nothing was restored" in result.err
    assert snapshot(loaded_path) == before
    assert not list(loaded_path.parent.glob("samples.db.before-restore-*"))
    assert not list(loaded_path.parent.glob(".tracker-restore-*"))  # the private copy is gone


def test_the_evil_trigger_would_have_emptied_the_evidence(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    # Why the trigger above must be refused: what it does on the next ordinary update.
    victim = tmp_path / "victim.db"
    shutil.copy(loaded_path, victim)
    _change(victim, EVIL_TRIGGER)
    with sqlite3.connect(victim) as conn:
        (notes,) = conn.execute("SELECT count(*) FROM progress_updates").fetchone()
    conn.close()
    assert notes > 0
    assert tracker("update", "stockton-2010/1.2", "--progress", "41", db=victim).code == 0
    with sqlite3.connect(victim) as conn:
        assert conn.execute("SELECT count(*) FROM progress_updates").fetchone() == (0,)
    conn.close()


def test_a_sound_backup_with_any_name_is_restored(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    odd = _backup(tracker, loaded_path, "we?ird #%\u202e\x1b[31m name.db")
    assert tracker("update", "stockton-2010/1.2", "--progress", "77", db=loaded_path).code == 0
    done = tracker("restore", str(odd), "--yes", db=loaded_path)
    assert done.code == 0, done.err
    assert "\x1b" not in done.out and "\u202e" not in done.out
    assert "kept as" in done.out and snapshot(loaded_path) == snapshot(odd)


def test_what_is_restored_is_the_copy_that_was_checked(loaded_path: Path, tmp_path: Path) -> None:
    # The file is swapped for a dangerous one after every check has passed, at the moment
    # the user is asked: the restore carries on from its own checked copy.
    good, evil = tmp_path / "good.db", tmp_path / "evil.db"
    shutil.copy(loaded_path, good)
    shutil.copy(loaded_path, evil)
    _change(evil, EVIL_TRIGGER)
    target = tmp_path / "target.db"

    def swap(_revision: str) -> bool:
        os.replace(evil, good)
        return True

    done = restore(target, good, swap)
    assert done == Restored(None)
    with sqlite3.connect(target) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "keep_tidy" not in names


@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
def test_a_backup_that_is_not_a_regular_file_is_refused_at_once(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "backup.db"
    if kind == "pipe":
        os.mkfifo(source)
    elif kind == "device":
        source.symlink_to("/dev/zero")
    else:
        source.mkdir()
    words = {"pipe": "a named pipe", "device": "a device", "folder": "a folder"}[kind]
    before = snapshot(loaded_path)
    started = time.monotonic()
    result = tracker("restore", str(source), "--yes", db=loaded_path)
    assert time.monotonic() - started < 60
    assert result.code == 1 and "Traceback" not in result.err, result
    assert f"not a regular file but {words}" in result.err, result.err
    assert snapshot(loaded_path) == before


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(50_000))


def _corrupt(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 12_000)


def _truncated(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(30_000)


@pytest.mark.parametrize("damage", [_garbage, _corrupt, _truncated], ids=lambda f: f.__name__)
def test_restore_over_a_damaged_live_file_keeps_it_aside_and_says_where(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, damage
) -> None:
    good = _backup(tracker, loaded_path, "good.db")
    live = tmp_path / "live.db"
    shutil.copy(loaded_path, live)
    damage(live)
    (tmp_path / "live.db-wal").write_bytes(b"recent transactions, perhaps" * 100)
    damaged_bytes = live.read_bytes()
    result = tracker("restore", str(good), "--yes", db=live)
    assert result.code == 0 and "Traceback" not in result.err, result
    (aside,) = tmp_path.glob("live.db.damaged-*.bak")
    assert f"kept as {aside}" in result.out and "damaged or not a database" in result.out
    assert aside.read_bytes() == damaged_bytes  # kept as it was, not "repaired"
    assert Path(f"{aside}-wal").read_bytes() == b"recent transactions, perhaps" * 100
    assert not (tmp_path / "live.db-wal").exists()
    assert snapshot(live) == snapshot(good)
    assert tracker("plans", db=live).code == 0


def test_restore_refuses_a_target_that_is_not_a_file(tmp_path: Path, loaded_path: Path) -> None:
    target = tmp_path / "folder.db"
    target.mkdir()
    with pytest.raises(StoreError, match="it is a folder"):
        restore(target, loaded_path)
