"""Backups, restores and evidence verification, through the CLI: backups and restores on real
SQLite files; evidence checks also on the PostgreSQL test server when one is set."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT, snapshot
from tracker.store import SCHEMA_HEAD, Store, StoreError, database_url, open_store, upgrade


def progress(tracker, db: Path, ref: str) -> int:  # type: ignore[no-untyped-def]
    rows = json.loads(tracker("actions", "--json", db=db).out)
    return int(next(r for r in rows if r["id"] == ref)["progress"])


def test_backup_then_restore_brings_the_data_back(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    made = tracker("backup", "-o", str(copy), db=loaded_path)
    assert made.code == 0, made.err
    before = snapshot(loaded_path)
    assert snapshot(copy) == before
    assert tracker("update", "stockton-2010/1.2", "--progress", "77", db=loaded_path).code == 0
    again = tracker("backup", "-o", str(copy), db=loaded_path)
    assert again.code == 1 and "already exists" in again.err
    refused = tracker("restore", str(copy), db=loaded_path, stdin="n\n")
    assert refused.code == 1 and progress(tracker, loaded_path, "stockton-2010/1.2") == 77
    done = tracker("restore", str(copy), "--yes", db=loaded_path)
    assert done.code == 0, done.err
    assert progress(tracker, loaded_path, "stockton-2010/1.2") == 40
    kept = list(tmp_path.glob("samples.db.before-restore-*.bak"))
    assert len(kept) == 1 and progress(tracker, kept[0], "stockton-2010/1.2") == 77


def test_restore_refuses_what_is_not_a_tracker_database(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    before = snapshot(loaded_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01 not sqlite" * 50)
    for source, message in (
        (junk, "not a tracker database"),
        (tmp_path / "no.db", "does not exist"),
    ):
        result = tracker("restore", str(source), "--yes", db=loaded_path)
        assert result.code == 1 and message in result.err, result
    assert snapshot(loaded_path) == before


def test_verify_reports_changed_and_missing_evidence(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    kept, moved = tmp_path / "audit.csv", tmp_path / "minutes.txt"
    kept.write_text("case,result\n1,ok\n")
    moved.write_text("minutes")
    for path in (kept, moved):
        added = tracker(
            "evidence",
            "add",
            "stockton-2010/1.2",
            "--title",
            path.name,
            "--file",
            str(path),
            db=loaded_path,
        )
        assert added.code == 0, added.err
    clean = tracker("verify", db=loaded_path)
    assert clean.code == 0 and "2 evidence files checked, 0 changed or missing" in clean.out
    kept.write_text("case,result\n1,insufficient\n")
    moved.unlink()
    found = json.loads(tracker("verify", "stockton-2010", "--json", db=loaded_path).out)
    assert {(c["title"], c["state"]) for c in found} == {
        ("audit.csv", "changed"),
        ("minutes.txt", "missing"),
    }
    assert tracker("verify", db=loaded_path).code == 1


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_restore_refuses_a_backup_from_an_unknown_schema_and_keeps_the_database(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    future = tmp_path / "future.db"
    assert tracker("backup", "-o", str(future), db=loaded_path).code == 0
    _set_revision(future, "9999")
    before = snapshot(loaded_path)
    result = tracker("restore", str(future), "--yes", db=loaded_path)
    assert result.code == 1 and "Traceback" not in result.err, result
    assert "'9999'" in result.err and "does not know" in result.err
    assert snapshot(loaded_path) == before
    assert not list(tmp_path.glob("samples.db.before-restore-*"))
    assert tracker("plans", db=loaded_path).code == 0


def test_restore_refuses_a_hollow_file_that_only_claims_the_schema(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    hollow = tmp_path / "hollow.db"
    with sqlite3.connect(hollow) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (SCHEMA_HEAD,))
    half = tmp_path / "half.db"
    assert tracker("backup", "-o", str(half), db=loaded_path).code == 0
    with sqlite3.connect(half) as conn:
        conn.execute("DROP TABLE sign_offs")
        conn.execute("ALTER TABLE actions DROP COLUMN impact_check")
    before = snapshot(loaded_path)
    for source, named in ((hollow, "plans, progress_updates"), (half, "actions.impact_check")):
        result = tracker("restore", str(source), "--yes", db=loaded_path)
        assert result.code == 1 and "Traceback" not in result.err, result
        assert "not a whole tracker database" in result.err and named in result.err, result.err
    assert snapshot(loaded_path) == before
    assert tracker("plans", db=loaded_path).code == 0


def test_restore_of_an_older_backup_brings_it_to_the_schema_head(  # type: ignore[no-untyped-def]
    tracker, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    upgrade(Store(f"sqlite:///{old}", engine, None), "0001")  # type: ignore[arg-type]
    engine.dispose()
    target = tmp_path / "new.db"
    done = tracker("restore", str(old), "--yes", db=target)
    assert done.code == 0, done.err
    assert "there was no database there before" in done.out and "kept as" not in done.out
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    with sqlite3.connect(old) as conn:  # the backup itself is left as it was
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert tracker("plans", db=target).code == 0


def test_opening_a_database_from_an_unknown_schema_says_so_without_a_traceback(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path
) -> None:
    _set_revision(loaded_path, "9999")
    for args in (["plans"], ["actions"], ["update", "stockton-2010/1.2", "--progress", "5"]):
        result = tracker(*args, db=loaded_path)
        assert result.code == 1, result
        assert "Traceback" not in result.err and "'9999'" in result.err, result.err
    with pytest.raises(StoreError, match="does not know"):
        open_store(loaded_path)


@pytest.mark.parametrize("mode", [["--reviewer"], ["--read-only"]])
def test_reviewer_and_read_only_sessions_cannot_restore_or_overwrite_with_backup(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, mode: list[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert tracker("backup", "-o", str(copy), db=loaded_path).code == 0
    assert tracker("update", "stockton-2010/1.2", "--progress", "77", db=loaded_path).code == 0
    before, kept = snapshot(loaded_path), copy.read_bytes()
    refused = tracker(*mode, "restore", str(copy), "--yes", db=loaded_path)
    assert refused.code == 1 and "restore needs a manager" in refused.err, refused
    over = tracker(*mode, "backup", "-o", str(copy), db=loaded_path)
    assert over.code == 1 and "already exists" in over.err, over
    assert snapshot(loaded_path) == before and copy.read_bytes() == kept
    fresh = tmp_path / "fresh.db"
    made = tracker(*mode, "backup", "-o", str(fresh), db=loaded_path)  # reading is allowed
    assert made.code == 0 and snapshot(fresh) == before, made


def _add_file_evidence(tracker, db: str | Path, path: Path) -> None:  # type: ignore[no-untyped-def]
    added = tracker(
        "evidence", "add", "stockton-2010/1.2", "--title", path.name, "--file", str(path), db=db
    )
    assert added.code == 0, added.err


def test_verify_does_not_follow_a_symbolic_link_put_where_the_file_was(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    minutes, secret = tmp_path / "minutes.txt", tmp_path / "secret.txt"
    minutes.write_text("minutes")
    secret.write_text("minutes")  # the same bytes: following the link would say "ok"
    pipe = tmp_path / "pipe.txt"
    pipe.write_text("x")
    for path in (minutes, pipe):
        _add_file_evidence(tracker, loaded_target, path)
    minutes.unlink()
    minutes.symlink_to(secret)
    pipe.unlink()
    os.mkfifo(pipe)  # reading it would block for ever
    found = json.loads(tracker("verify", "--json", db=loaded_target).out)
    states = {c["title"]: (c["state"], c["detail"]) for c in found}
    assert states == {
        "minutes.txt": ("changed", "now a symbolic link"),
        "pipe.txt": ("changed", "now not a regular file"),
    }
    minutes.unlink()
    gone = json.loads(tracker("verify", "--json", db=loaded_target).out)
    assert {c["title"]: c["state"] for c in gone}["minutes.txt"] == "missing"


def test_verify_never_resolves_a_relative_recorded_path_against_where_it_runs(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    real = tmp_path / "audit.csv"
    real.write_text("case,result\n")
    _add_file_evidence(tracker, loaded_target, real)
    engine = create_engine(database_url(loaded_target))
    with engine.begin() as conn:  # as an older tracker or another tool might have stored it
        conn.execute(
            text("UPDATE evidence SET file_path = 'audit.csv' WHERE file_path IS NOT NULL")
        )
    engine.dispose()
    (found,) = json.loads(tracker("verify", "--json", db=loaded_target).out)  # cwd is tmp_path
    assert found["state"] == "unreadable" and "absolute" in found["detail"], found


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("../../etc/passwd", "must be an absolute path"),
        ("relative/x.pdf", "must be an absolute path"),
        ("~/x.pdf", "must be an absolute path"),
        ("/shared/../etc/passwd", "must not hold '..'"),
    ],
)
def test_a_plan_file_evidence_path_must_be_absolute_without_dot_dot(  # type: ignore[no-untyped-def]
    tracker, db_target: str, tmp_path: Path, path: str, problem: str
) -> None:
    plan = (ROOT / "sample_plans" / "stockton-2010.toml").read_text("utf-8")
    marker = "[[recommendations.actions.evidence]]\n"
    assert marker in plan
    evidence = f'{marker}title = "Audit"\nfile = "{path}"\nsha256 = "{"ab" * 32}"\nsize = 10\n'
    bad = tmp_path / "bad.toml"
    bad.write_text(plan.replace(marker, evidence + "\n" + marker, 1), "utf-8")
    before = snapshot(db_target)
    result = tracker("load", str(bad), db=db_target)
    assert result.code == 1 and "Traceback" not in result.err, result
    assert ".file" in result.err and problem in result.err, result.err
    assert snapshot(db_target) == before
    good = bad.read_text("utf-8").replace(f'file = "{path}"', 'file = "/shared/audit.pdf"')
    bad.write_text(good, "utf-8")
    assert tracker("load", str(bad), db=db_target).code == 0
