"""Issue 14, points 9 and 10, through the CLI in a real process: invisible formatting
characters refused in stored text and never printed raw, a field both cleared and given a
value refused, malformed `--db` values a message, and an evidence file that is a named pipe
refused at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import cli_env, snapshot
from tracker.store import database_url
from tracker.text import has_control

ACTION = "stockton-2010/1.2"
BIDI = "Evil\u202etxt.exe"
"""A right-to-left override: shown, it reads `Evilexe.txt`."""


@pytest.mark.parametrize(
    "args",
    [
        ["update", ACTION, "--note", BIDI],
        ["update", ACTION, "--lead", "Yas\u200bmin Officer"],
        ["update", ACTION, "--text", "Audit \u2066every\u2069 case"],
        ["update", ACTION, "--success-measure", "\ufeffall cases"],
        ["update", ACTION, "--override", "green", "--override-reason", "ok\u2028fine"],
        ["--as", "Yasmin\u200d Officer", "update", ACTION, "--progress", "5"],
        ["evidence", "add", ACTION, "--title", BIDI, "--ref", "minutes"],
        ["evidence", "add", ACTION, "--title", "Minutes", "--ref", "\u2067shared drive"],
        ["update", ACTION, "--note", "not utf-8: \udcff"],
    ],
    ids=["note", "lead", "text", "bom", "line-separator", "user", "title", "ref", "surrogate"],
)
def test_invisible_formatting_characters_are_refused_like_controls(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str]
) -> None:
    before = snapshot(loaded_target)
    result = tracker(*args, db=loaded_target)
    assert result.code == 1 and "Traceback" not in result.err, result
    assert "control" in result.err, result.err
    assert snapshot(loaded_target) == before


def test_stored_bidirectional_overrides_are_never_printed_raw(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    # Written straight into the database, as an older version or another tool might have.
    evil = "Evil\u202etxt.exe\u200b\u2066x\u2069\ufeff\u2028y"
    noted = tracker("update", ACTION, "--note", "an audited change", db=loaded_target)
    assert noted.code == 0, noted.err
    engine = create_engine(database_url(loaded_target))
    with engine.begin() as conn:
        for sql in (
            "UPDATE actions SET lead = :a, text = :b WHERE ref = '1.2'",
            "UPDATE plans SET title = :a",
            "UPDATE progress_updates SET text = :a",
            "INSERT INTO audit_events (at, actor, entity, entity_id, entity_ref, field,"
            " old_value, new_value) SELECT at, :a, entity, entity_id, entity_ref, field,"
            " :b, :c FROM audit_events WHERE entity_ref = 'stockton-2010/1.2'",
        ):
            conn.execute(text(sql), {"a": evil, "b": evil, "c": evil})
    engine.dispose()
    for args in (
        ["history", ACTION],
        ["history", ACTION, "--json"],
        ["history", "stockton-2010"],
        ["actions"],
        ["actions", "--json"],
        ["plans"],
        ["dump", "stockton-2010"],
        ["export", "stockton-2010", "-f", "md"],
        ["export", "stockton-2010", "-f", "toml"],
    ):
        result = tracker(*args, db=loaded_target)
        assert result.code == 0, (args, result)
        assert not has_control(result.out.replace("\r\n", "\n")), (args, result.out)
        if args[0] != "plans":
            assert "\\u202e" in result.out, (args, result.out)
    dumped = tracker("dump", "stockton-2010", db=loaded_target).out
    assert "Evil\\u202etxt.exe\\u200b" in dumped  # an escape: loaded back, it is refused


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--clear", "lead", "--lead", "Ann Other"], "lead"),
        (["--clear", "owner", "--owner", "Head of Service"], "owner"),
        (["--clear", "target_on", "--due", "2011-03-31"], "target_on"),
        (["--clear", "start_on", "--start", "2010-03-01"], "start_on"),
        (["--clear", "success_measure", "--success-measure", "All"], "success_measure"),
        (["--clear", "impact_check", "--impact-check", "Audit"], "impact_check"),
        (["--clear", "brag_override", "--override", "green", "--override-reason", "x"],
         "brag_override"),
        (["--clear", "brag_override", "--override-reason", "because"], "brag_override"),
    ],
    ids=["lead", "owner", "due", "start", "success", "impact", "override", "override-reason"],
)  # fmt: skip
def test_a_field_both_cleared_and_given_is_refused_naming_it(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str], named: str
) -> None:
    before = snapshot(loaded_target)
    result = tracker("update", ACTION, *args, db=loaded_target)
    assert result.code == 1 and "Traceback" not in result.err, result
    assert named in result.err and "both cleared and given" in result.err, result.err
    assert snapshot(loaded_target) == before


def test_clearing_still_works_and_blank_text_beside_a_clear_is_no_contradiction(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    done = tracker("update", ACTION, "--clear", "lead", db=loaded_target)
    assert done.code == 0, done.err
    lead = next(
        r["lead"] for r in json.loads(tracker("actions", "--json", db=loaded_target).out)
        if r["id"] == ACTION
    )  # fmt: skip
    assert lead in (None, "")


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("", "--db is empty"),
        ("   ", "--db is empty"),
        ("sqlite://", "in-memory"),
        ("sqlite:///", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
        ("sqlite:///x.db?mode=ro", "options in a SQLite URL"),
        ("postgresql://u@h:notaport/x", "not a database URL"),
        ("://", "not a database URL"),
        ("nosuchdriver://x", "no such database driver"),
    ],
)
def test_a_malformed_db_option_is_a_message_not_the_default_nor_a_traceback(  # type: ignore[no-untyped-def]
    tracker, tmp_path: Path, db: str, words: str
) -> None:
    for args in (["plans"], ["update", ACTION, "--progress", "5"]):
        result = tracker("--db", db, *args)
        assert result.code == 1 and "Traceback" not in result.err, result
        assert words in result.err, result.err
    assert not (tmp_path / "x.db").exists()
    assert not list(tmp_path.rglob("tracker.db"))  # the default database was not made


@pytest.mark.parametrize("kind", ["pipe", "folder", "device"])
def test_a_db_that_is_not_a_file_is_named_for_what_it_is(  # type: ignore[no-untyped-def]
    tracker, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "thing.db"
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path = Path("/dev/null")
    result = tracker("--db", str(path), "update", ACTION, "--progress", "5")
    assert result.code == 1 and "Traceback" not in result.err, result
    words = {"pipe": "a named pipe", "folder": "a folder", "device": "a device"}[kind]
    assert f"it is {words}, not a database file" in result.err, result.err


def test_a_db_path_with_url_characters_is_that_file(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "we?ird#1%.db"
    assert tracker("--db", str(odd), "roles").code == 0
    assert odd.is_file() and not (tmp_path / "we").exists()
    again = tracker("--db", str(odd), "--read-only", "update", ACTION, "--progress", "5")
    assert "read-only" in again.err and "Traceback" not in again.err, again


def test_an_evidence_file_that_is_a_named_pipe_is_refused_at_once(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    pipe = tmp_path / "minutes.pdf"
    os.mkfifo(pipe)
    before = snapshot(loaded_target)
    started = time.monotonic()
    result = tracker("evidence", "add", ACTION, "--title", "Minutes", "--file", str(pipe),
                     db=loaded_target)  # fmt: skip
    assert time.monotonic() - started < 60
    assert result.code == 1 and "Traceback" not in result.err, result
    assert "not a regular file but a named pipe" in result.err, result.err
    assert snapshot(loaded_target) == before


def test_an_evidence_file_swapped_for_a_named_pipe_never_hangs(  # type: ignore[no-untyped-def]
    loaded_target: str, tmp_path: Path
) -> None:
    # The file becomes a named pipe and back again, as fast as it can, while `evidence add`
    # runs; every run must end (added, or refused naming the pipe), none may wait on the pipe.
    path = tmp_path / "minutes.pdf"
    path.write_bytes(b"minutes of the board")
    stop = threading.Event()

    def swap() -> None:
        spare = tmp_path / "spare.pdf"
        while not stop.is_set():
            spare.unlink(missing_ok=True)
            os.mkfifo(spare)
            os.replace(spare, path)
            spare.write_bytes(b"minutes of the board")
            os.replace(spare, path)

    swapper = threading.Thread(target=swap, daemon=True)
    swapper.start()
    outcomes = []
    try:
        for _ in range(8):
            done = subprocess.run(
                [sys.executable, "-m", "tracker", "--db", loaded_target, "evidence", "add",
                 ACTION, "--title", "Minutes", "--file", str(path)],
                capture_output=True, text=True, env=cli_env(tmp_path), cwd=tmp_path, timeout=60,
            )  # fmt: skip
            assert "Traceback" not in done.stderr, done.stderr
            assert done.returncode == 0 or "named pipe" in done.stderr, done.stderr
            outcomes.append(done.returncode)
    finally:
        stop.set()
        swapper.join(5)
    assert set(outcomes) <= {0, 1}


def test_a_db_path_the_system_cannot_look_up_is_a_message(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "loop-a.db").symlink_to(tmp_path / "loop-b.db")
    (tmp_path / "loop-b.db").symlink_to(tmp_path / "loop-a.db")
    config = tmp_path / "nul.toml"
    config.write_text('db = "a\\u0000b.db"\n', "utf-8")
    for options, words in (
        (["--db", "n" * 5000 + ".db"], "too long"),
        (["--db", str(tmp_path / "loop-a.db")], "ymlink"),
        (["--db", "not utf-8 \udcff.db"], "not valid text"),
        ([], "null byte"),
    ):
        for args in (["plans"], ["update", ACTION, "--progress", "5"]):
            env = {"TRACKER_CONFIG": str(config)} if not options else {}
            result = tracker(*options, *args, **env)
            assert result.code == 1 and "Traceback" not in result.err, (options, result)
            assert words in result.err.replace("symbolic links", "Symlink"), (options, result.err)
