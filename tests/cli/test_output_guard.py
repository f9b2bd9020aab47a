"""No command writes over the open database (issue 14, point 1): every `-o` (dump, export,
portfolio, backup) aimed at the database file, its -wal, a hard link or a symbolic link to it,
or a path through `..` to it, is refused with a message and leaves the database as it was, in
every kind of session; and a read-only or reviewer session replaces no existing file unless
given --force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import snapshot
from tracker.errors import ServiceError
from tracker.files import OutputGuard, write_whole

COMMANDS = {
    "dump": ["dump", "stockton-2010"],
    "export": ["export", "stockton-2010", "-f", "md"],
    "portfolio": ["portfolio", "-f", "html"],
    "backup": ["backup"],
}
MODES = {"manager": [], "read-only": ["--read-only"], "reviewer": ["--reviewer"]}


def aimed_at_the_database(db: Path) -> dict[str, Path]:
    """Names of the database: itself, its -wal, a hard link, a symbolic link, a `..` path."""
    hard = db.with_name("hard.db")
    os.link(db, hard)
    soft = db.with_name("soft.db")
    soft.symlink_to(db)
    (db.parent / "sub").mkdir()
    return {
        "the database": db,
        "its -wal": db.with_name(db.name + "-wal"),
        "a hard link": hard,
        "a symbolic link": soft,
        "a path through ..": db.parent / "sub" / ".." / db.name,
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("command", COMMANDS)
def test_no_output_is_written_over_the_database(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, command: str, mode: str
) -> None:
    before = loaded_path.read_bytes()
    rows = snapshot(loaded_path)
    for what, target in aimed_at_the_database(loaded_path).items():
        result = tracker(*MODES[mode], *COMMANDS[command], "-o", str(target), db=loaded_path)
        assert result.code == 1, (what, result)
        assert "the database" in result.err and "Traceback" not in result.err, (what, result)
        assert loaded_path.read_bytes() == before, what
        wal = loaded_path.with_name(loaded_path.name + "-wal")
        # SQLite's own -wal (empty, or starting with its magic number), never an export.
        assert not wal.exists() or wal.read_bytes()[:3] in (b"", b"\x37\x7f\x06"), what
    assert snapshot(loaded_path) == rows
    # --force never lets a session write the database.
    if command != "backup":
        forced = tracker(
            *MODES[mode], *COMMANDS[command], "-o", str(loaded_path), "--force", db=loaded_path
        )
        assert forced.code == 1 and "the database" in forced.err, forced
        assert loaded_path.read_bytes() == before


@pytest.mark.parametrize("mode", ["read-only", "reviewer"])
@pytest.mark.parametrize("command", ["dump", "export", "portfolio"])
def test_a_read_only_or_reviewer_session_replaces_a_file_only_with_force(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, command: str, mode: str
) -> None:
    existing = tmp_path / "existing.html"
    existing.write_text("keep me")
    args = [*MODES[mode], *COMMANDS[command], "-o", str(existing)]
    refused = tracker(*args, db=loaded_path)
    assert refused.code == 1 and "already exists" in refused.err and "--force" in refused.err
    assert existing.read_text() == "keep me"
    forced = tracker(*args, "--force", db=loaded_path)
    assert forced.code == 0, forced
    assert existing.read_text() != "keep me"
    fresh = tmp_path / "fresh.html"
    assert tracker(*MODES[mode], *COMMANDS[command], "-o", str(fresh), db=loaded_path).code == 0
    assert fresh.exists()


def test_a_manager_still_replaces_an_export(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "plan.toml"
    existing.write_text("old")
    result = tracker("dump", "stockton-2010", "-o", str(existing), db=loaded_path)
    assert result.code == 0, result
    assert existing.read_text() != "old"


def test_the_guard_refuses_every_name_of_the_database(tmp_path: Path) -> None:
    """The mechanism itself (what the TUI's export dialogs call too), including the
    database's companions whether they exist or not, and a dangling link to one."""
    db = tmp_path / "a.db"
    db.write_bytes(b"database")
    shm = tmp_path / "a.db-shm"
    shm.write_bytes(b"shm")
    dangling = tmp_path / "to-journal"
    dangling.symlink_to(tmp_path / "a.db-journal")
    link_to_shm = tmp_path / "other"
    os.link(shm, link_to_shm)
    guard = OutputGuard.for_session(str(db), read_only=False, reviewer=False)
    for target in (db, shm, link_to_shm, dangling, tmp_path / "a.db-wal"):
        with pytest.raises(ServiceError, match="database"):
            write_whole(target, b"x", guard=guard)
    assert db.read_bytes() == b"database" and shm.read_bytes() == b"shm"
    assert not (tmp_path / "a.db-journal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tracker-")] == []
    write_whole(tmp_path / "fine.md", b"ok", guard=guard)
    assert (tmp_path / "fine.md").read_bytes() == b"ok"
    # A server's database has no file to guard; a read-only session still replaces nothing.
    server = OutputGuard.for_session("postgresql+psycopg://x@h/db", read_only=True, reviewer=False)
    with pytest.raises(ServiceError, match="already exists"):
        write_whole(tmp_path / "fine.md", b"new", guard=server)
    write_whole(tmp_path / "new.md", b"new", guard=server)
