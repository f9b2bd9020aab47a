"""Backups, restores and evidence verification, through the CLI on real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import snapshot


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
