"""What the CLI refuses, end to end in a real process: bad input is exit 1 with one line naming
it and nothing written, bad usage exit 2, the second of two editors of one action is told;
never a traceback, never a stored control character printed raw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import SAMPLES, cli_env, snapshot
from tracker.store import database_url

SAMPLE_ARGS = [str(p) for p in SAMPLES]


def no_traceback(text: str) -> bool:
    return "Traceback" not in text


def test_malformed_plan_exits_1_names_file_and_changes_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    before = snapshot(loaded_target)
    bad = tmp_path / "broken.toml"
    bad.write_text(
        SAMPLES[0]
        .read_text()
        .replace('id = "cambridgeshire-2014"', 'id = "new-one"')
        .replace("target = 2014-06-30", "target = 2014-06-31", 1)
    )
    result = tracker("load", str(bad), db=loaded_target)
    assert result.code == 1
    assert str(bad) in result.err and "is not valid TOML" in result.err
    assert no_traceback(result.err)
    good = tmp_path / "good.toml"
    good.write_text(SAMPLES[0].read_text().replace('id = "cambridgeshire-2014"', 'id = "new-one"'))
    both = tracker("load", str(good), SAMPLE_ARGS[2], db=loaded_target)
    assert both.code == 1 and "'stockton-2010' is already in the database" in both.err
    assert snapshot(loaded_target) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "format: is required"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file"),
        (b'format = 1\nid = "a"\n[inspection]\narea = 3\nkind = "CCI"\n', "area: must be text"),
    ],
)
def test_bad_plan_inputs_are_refused_cleanly(  # type: ignore[no-untyped-def]
    tracker, db_target: str, tmp_path: Path, content: bytes, message: str
) -> None:
    before = snapshot(db_target)
    path = tmp_path / "input.toml"
    path.write_bytes(content)
    result = tracker("load", str(path), db=db_target)
    assert result.code == 1
    assert message in result.err and str(path) in result.err
    assert no_traceback(result.err)
    assert snapshot(db_target) == before


def test_two_processes_editing_one_action_one_wins_one_is_told(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    ref = "stockton-2010/4.2"
    rows = json.loads(tracker("actions", "--plan", "stockton-2010", "--json", db=loaded_target).out)
    version = next(r for r in rows if r["id"] == ref)["version"]
    base = [sys.executable, "-m", "tracker", "--db", str(loaded_target)]
    procs = [
        subprocess.Popen(
            [
                *base,
                "--as",
                who,
                "update",
                ref,
                "--progress",
                progress,
                "--expect-version",
                str(version),
            ],
            env=cli_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, progress in (("Alice", "55"), ("Bob", "65"))
    ]
    outcomes = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _, _ in outcomes)
    assert codes == [0, 1], outcomes
    loser = next(err for code, _, err in outcomes if code == 1)
    assert "changed by someone else" in loser and "Nothing was saved" in loser
    assert "database is locked" not in loser and no_traceback(loser)
    events = json.loads(tracker("history", ref, "--json", db=loaded_target).out)
    progress_events = [e for e in events if e["field"] == "progress"]
    assert len(progress_events) == 1
    final = json.loads(
        tracker("actions", "--plan", "stockton-2010", "--json", db=loaded_target).out
    )
    assert str(next(r for r in final if r["id"] == ref)["progress"]) == progress_events[0]["new"]


def test_dump_to_a_missing_folder_or_a_folder_exits_1_and_leaves_no_file(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    nowhere = tracker(
        "dump", "stockton-2010", "-o", str(tmp_path / "no" / "x.toml"), db=loaded_target
    )
    assert nowhere.code == 1 and "folder" in nowhere.err and "does not exist" in nowhere.err
    assert no_traceback(nowhere.err)
    before = sorted(p.name for p in tmp_path.iterdir())
    folder = tracker("dump", "stockton-2010", "-o", str(tmp_path), db=loaded_target)
    assert folder.code == 1 and "it is a folder" in folder.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["actions", "--status", "finished"],
        ["update", "stockton-2010/1.1", "--progress", "lots"],
        ["update", "stockton-2010/1.1", "--bogus", "x"],
        ["update"],
        ["load"],
    ],
)
def test_bad_usage_exits_2(tracker, loaded_target: str, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = tracker(*args, db=loaded_target)
    assert result.code == 2, result
    assert no_traceback(result.err)


def test_user_errors_exit_1_without_writing(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(loaded_target)
    for args in (
        ["update", "stockton-2010/1.2", "--progress", "150"],
        ["update", "stockton-2010/1.2", "--override", "green"],
        ["update", "stockton-2010/9.9", "--progress", "5"],
        ["update", "nonsense", "--progress", "5"],
        ["step", "stockton-2010", "submitted"],
        ["history", "nope/1.1"],
        ["dump", "nope"],
    ):
        result = tracker(*args, db=loaded_target)
        assert result.code == 1, (args, result)
        assert result.err.startswith("tracker: ") and no_traceback(result.err)
    assert snapshot(loaded_target) == before


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["update", "stockton-2010/1.2", "--due", "2026-02-30"], "--due"),
        (["update", "stockton-2010/1.2", "--start", "31/02/2010"], "--start"),
        (["update", "stockton-2010/1.2", "--completed", "March 2010"], "--completed"),
        (["evidence", "add", "stockton-2010/1.2", "--title", "t", "--ref", "r", "--date", "soon"],
         "--date"),
        (["export", "stockton-2010", "--since", "2010-13-01"], "--since"),
    ],
)  # fmt: skip
def test_a_date_that_does_not_exist_is_bad_input_naming_the_option(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str], option: str
) -> None:
    before = snapshot(loaded_target)
    result = tracker(*args, db=loaded_target)
    assert result.code == 1, result
    assert result.err.startswith(f"tracker: {option}: ") and "not" in result.err, result.err
    assert no_traceback(result.err)
    assert snapshot(loaded_target) == before


EVIL = "Evil\x1b[2J\x1b]0;pwned\x07\x9b2J\x7f\x85"
"""ESC (clear screen, set title), BEL, C1 CSI, DEL and C1 NEL: what a terminal would act on."""


def test_stored_control_characters_are_never_printed_raw(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    from tracker.text import has_control

    proof = tmp_path / "audit.csv"
    proof.write_text("case,result\n")
    added = tracker(
        "evidence", "add", "stockton-2010/1.2", "--title", "t", "--file", str(proof),
        db=loaded_target,
    )  # fmt: skip
    assert added.code == 0, added.err
    # Written straight into the database, as an older version or another tool might have.
    engine = create_engine(database_url(loaded_target))
    with engine.begin() as conn:
        for sql in (
            "UPDATE actions SET lead = :a, text = :b WHERE ref = '1.2'",
            "UPDATE plans SET title = :a",
            "UPDATE inspections SET area = :a",
            "UPDATE evidence SET title = :a, review_comment = :b",
            "UPDATE progress_updates SET text = :a",
            "INSERT INTO audit_events (at, actor, entity, entity_id, entity_ref, field,"
            " old_value, new_value) SELECT at, :a, entity, entity_id, entity_ref, field,"
            " :b, :c FROM audit_events WHERE entity_ref = 'stockton-2010/1.2'",
        ):
            # One parameter per column: PostgreSQL will not give one both VARCHAR and TEXT.
            conn.execute(text(sql), {"a": EVIL, "b": EVIL, "c": EVIL})
    engine.dispose()
    evidence_id = json.loads(
        tracker("evidence", "list", "stockton-2010/1.2", "--json", db=loaded_target).out
    )[-1]["id"]
    commands = [
        ["plans"],
        ["plans", "--json"],
        ["actions"],
        ["actions", "--json"],
        ["actions", "--plan", "stockton-2010"],
        ["dump", "stockton-2010"],
        ["history", "stockton-2010/1.2"],
        ["history", "stockton-2010/1.2", "--json"],
        ["history", "stockton-2010"],
        ["evidence", "list", "stockton-2010/1.2"],
        ["evidence", "list", "stockton-2010/1.2", "--json"],
        ["verify"],
        ["verify", "--json"],
        ["portfolio"],
        ["portfolio", "-f", "json"],
        ["digest"],
        *[["export", "stockton-2010", "-f", f] for f in ("md", "html", "csv", "toml", "ics")],
        ["--as", "yjb-link", "--reviewer", "review", "evidence", str(evidence_id), "--accept"],
    ]
    for args in commands:
        result = tracker(*args, db=loaded_target)
        assert result.code in (0, 1), (args, result)
        # The CSV's byte order mark, first, marks the file for spreadsheets: no stored text.
        out = result.out.replace("\r\n", "\n").removeprefix("\ufeff")
        assert not has_control(out), (args, result.out)
        assert not has_control(result.err), (args, result.err)
        assert "Traceback" not in result.err, args
    assert "Evil␛[2J" in tracker("actions", db=loaded_target).out
    dumped = tracker("dump", "stockton-2010", db=loaded_target).out
    assert "\\u009b2J\\u007f" in dumped  # escaped, and so loaded back as it was
