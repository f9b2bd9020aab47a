"""Every CLI command end to end, as a real process on a real SQLite file, bad input included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import SAMPLES, TODAY, cli_env, snapshot
from tracker.store import database_url

SAMPLE_ARGS = [str(p) for p in SAMPLES]


def no_traceback(text: str) -> bool:
    return "Traceback" not in text


def test_load_then_plans_json_gives_due_dates(tracker, db_target: str) -> None:  # type: ignore[no-untyped-def]
    db = db_target
    loaded = tracker("load", *SAMPLE_ARGS, db=db)
    assert loaded.code == 0, loaded.err
    assert loaded.out.split() == [
        "loaded",
        "cambridgeshire-2014",
        "loaded",
        "halton-warrington-2009",
        "loaded",
        "stockton-2010",
    ]
    result = tracker("plans", "--json", db=db)
    assert result.code == 0, result.err
    plans = {p["id"]: p for p in json.loads(result.out)}
    assert set(plans) == {"stockton-2010", "cambridgeshire-2014", "halton-warrington-2009"}
    assert plans["stockton-2010"]["published"] == "2010-01-06"
    assert plans["stockton-2010"]["submission_due"] == "2010-02-03"
    assert plans["stockton-2010"]["on_time"] is True
    assert plans["cambridgeshire-2014"]["submission_due"] == "2014-05-21"
    assert plans["halton-warrington-2009"]["published"] is None
    assert plans["halton-warrington-2009"]["submission_due"] is None
    stockton = plans["stockton-2010"]
    assert sum(stockton["brag"].values()) == stockton["actions"] == 13
    text = tracker("plans", db=db)
    assert "submitted on time 2 Feb 2010" in text.out
    assert "submitted 24 Sep 2009, due unknown" in text.out


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


def test_update_shows_in_history_and_actions(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    ref = "stockton-2010/3.2"
    done = tracker(
        "--as",
        "Miriam Robertson",
        "update",
        ref,
        "--status",
        "complete",
        "--note",
        "Weekly compliance panel in place",
        db=loaded_target,
    )
    assert done.code == 0, done.err
    history = tracker("history", ref, "--json", db=loaded_target)
    events = json.loads(history.out)
    assert events[0]["actor"] == "Miriam Robertson"
    fields = {(e["field"], e["old"], e["new"]) for e in events if e["actor"] == "Miriam Robertson"}
    assert ("status", "in progress", "complete") in fields
    assert ("completed_on", None, TODAY.isoformat()) in fields
    assert ("note", None, "Weekly compliance panel in place") in fields
    text = tracker("history", ref, db=loaded_target)
    assert "Miriam Robertson" in text.out and "in progress" in text.out
    rows = json.loads(tracker("actions", "--plan", "stockton-2010", "--json", db=loaded_target).out)
    row = next(r for r in rows if r["id"] == ref)
    assert (row["status"], row["progress"], row["last_update"]) == ("complete", 100, "2010-09-15")
    plan_history = json.loads(tracker("history", "stockton-2010", "--json", db=loaded_target).out)
    assert plan_history[0]["ref"] == ref


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


def test_evidence_add_with_file_and_reference(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    ref = "stockton-2010/2.2"
    file = tmp_path / "training.pdf"
    file.write_bytes(b"%PDF-1.4 training register")
    added = tracker(
        "evidence",
        "add",
        ref,
        "--title",
        "Training register",
        "--file",
        str(file),
        "--date",
        "14/09/2010",
        "--kind",
        "training",
        db=loaded_target,
    )
    assert added.code == 0, added.err
    by_ref = tracker(
        "evidence",
        "add",
        ref,
        "--title",
        "Minutes",
        "--ref",
        "Board 14 Sep item 5",
        db=loaded_target,
    )
    assert by_ref.code == 0
    dumped = tracker("dump", "stockton-2010", db=loaded_target).out
    assert 'title = "Training register"' in dumped and "sha256 = " in dumped
    assert "date = 2010-09-14" in dumped
    missing = tracker(
        "evidence", "add", ref, "--title", "x", "--file", str(tmp_path / "no.pdf"), db=loaded_target
    )
    assert missing.code == 1 and "does not exist" in missing.err


def test_dump_to_file_loads_elsewhere_and_dumps_identically(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, db_target: str, tmp_path: Path
) -> None:
    out = tmp_path / "stockton.toml"
    assert tracker("dump", "stockton-2010", "-o", str(out), db=loaded_target).code == 0
    other = db_target
    assert tracker("load", str(out), db=other).code == 0
    assert tracker("dump", "stockton-2010", db=other).out == out.read_text()


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


def test_actions_filters(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    def ids(*args: str) -> list[str]:
        result = tracker("actions", *args, "--json", db=loaded_target)
        assert result.code == 0, result.err
        return [r["id"] for r in json.loads(result.out)]

    everything = ids()
    overdue = ids("--overdue")
    assert overdue and set(overdue) < set(everything)
    assert set(overdue) <= set(ids("--due-within", "0"))
    chair = ids("--owner", "Chair of the YOS Management Board")
    assert chair == ids("--owner", "chair of the management board") != []
    assert all(i.startswith("stockton-2010/5") or i.startswith("halton") for i in chair)
    blocked = ids("--status", "blocked")
    assert "stockton-2010/3.3" in blocked
    unknown = tracker("actions", "--plan", "nope", db=loaded_target)
    assert unknown.code == 1 and "no plan 'nope'" in unknown.err


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
        assert not has_control(result.out.replace("\r\n", "\n")), (args, result.out)
        assert not has_control(result.err), (args, result.err)
        assert "Traceback" not in result.err, args
    assert "Evil␛[2J" in tracker("actions", db=loaded_target).out
    dumped = tracker("dump", "stockton-2010", db=loaded_target).out
    assert "\\u009b2J\\u007f" in dumped  # escaped, and so loaded back as it was


def test_step_and_roles(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    stepped = tracker(
        "step", "cambridgeshire-2014", "submitted", "--on", "19 May 2014", db=loaded_target
    )
    assert stepped.code == 0, stepped.err
    plans = {p["id"]: p for p in json.loads(tracker("plans", "--json", db=loaded_target).out)}
    assert plans["cambridgeshire-2014"]["status"] == "submitted"
    assert plans["cambridgeshire-2014"]["on_time"] is True
    roles = tracker("roles", db=loaded_target).out
    assert "Chair of the Management Board" in roles and "Chair of the YOS Management Board" in roles


def test_default_database_is_in_the_user_data_folder(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = tracker("plans")
    assert result.code == 0, result.err
    assert "no plans yet" in result.out
    assert (tmp_path / "xdg-data" / "yos-tracker" / "tracker.db").is_file()
    env_db = tmp_path / "env.db"
    assert tracker("load", SAMPLE_ARGS[0], TRACKER_DB=str(env_db)).code == 0
    assert "cambridgeshire-2014" in tracker("plans", TRACKER_DB=str(env_db)).out


def test_demo_database_shows_every_colour_in_every_plan(tracker) -> None:  # type: ignore[no-untyped-def]
    made = tracker("demo", "--no-tui", TRACKER_TODAY="2026-11-22")
    assert made.code == 0, made.err
    path = Path(made.out.split("demo database: ")[1].strip())
    plans = json.loads(tracker("plans", "--json", db=path, TRACKER_TODAY="2026-11-22").out)
    assert len(plans) == 3
    for plan in plans:
        assert all(plan["brag"][c] > 0 for c in ("red", "amber", "green", "blue")), plan
    cambs = next(p for p in plans if p["id"] == "cambridgeshire-2014")
    assert cambs["status"] == "draft" and cambs["submission_due"] > "2026-11-22"
