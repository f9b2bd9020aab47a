"""Who may write: a YJB reviewer's session and a read-only one are refused by every path that
writes (each CLI command, and the services the screen's bulk edit uses), with a message, exit 1
and nothing written; and the config file's `role` and `read_only` settings choose those modes
exactly as the flags do."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES, SEEDS, SERVER_URL, TODAY, snapshot
from tracker import services
from tracker.planfile import read_plan
from tracker.services import ActionChanges, NewAction, PlanChanges, RecommendationChanges
from tracker.store import ReadOnlyError, Store, open_store
from tracker.vocab import InspectionKind, PlanStatus

PLAN = "stockton-2010"
DRAFT = "cambridgeshire-2014"
OFFICER = "Yasmin Officer (YJB)"


def new_plan_file(folder: Path) -> Path:
    """A sample plan under an id the database does not have yet, so that loading it fails
    only for the session's mode."""
    text = SAMPLES[0].read_text("utf-8")
    old_id = read_plan(SAMPLES[0]).id
    path = folder / "new-plan.toml"
    path.write_text(text.replace(f'id = "{old_id}"', 'id = "new-plan"', 1), encoding="utf-8")
    return path


def writes(folder: Path, db: str) -> dict[str, list[str]]:
    """Every CLI command that writes to the database, with arguments that would succeed in a
    manager's session."""
    backup = folder / "backup.db"
    if SERVER_URL is None:
        shutil.copy(db, backup)
    else:
        backup.write_bytes(b"")  # restore refuses a server database before it reads the file
    return {
        "update": ["update", f"{PLAN}/1.2", "--progress", "50"],
        "note": ["update", f"{PLAN}/1.2", "--note", "Quarter 3 audit done"],
        "evidence": ["evidence", "add", f"{PLAN}/1.2", "--title", "Audit", "--ref", "QA/3"],
        "step": ["step", "cambridgeshire-2014", "submitted", "--anyway"],
        "load": ["load", str(new_plan_file(folder))],
        "import": ["import", str(SEEDS / "cambridgeshire-2014-sqs-letter.txt"), "--id", "x-1"],
        "restore": ["restore", str(backup), "--yes"],
        "action-add": [
            "action",
            "add",
            f"{DRAFT}/1",
            "--text",
            "Audit ten cases",
            "--lead-role",
            "YOS Manager",
            "--target",
            "2014-12-31",
        ],
        "action-withdraw": ["action", "withdraw", f"{DRAFT}/1.1", "--reason", "Duplicate"],
        "action-restore": ["action", "restore", f"{DRAFT}/2.3"],
        "rec-add": ["rec", "add", DRAFT, "--text", "Work with the police", "--owner", "Police"],
        "rec-edit": ["rec", "edit", f"{DRAFT}/1", "--theme", "Risk"],
        "rec-withdraw": ["rec", "withdraw", f"{DRAFT}/2", "--reason", "Merged into 1"],
        "rec-restore": ["rec", "restore", f"{DRAFT}/3"],
        "plan-new": [
            "plan",
            "new",
            "--area",
            "Somewhere",
            "--kind",
            "SQS",
            "--published",
            "2014-05-01",
        ],
        "plan-edit": ["plan", "edit", DRAFT, "--title", "Cambridgeshire's plan"],
    }


WITHDRAWN = {"action-restore", "rec-restore"}
"""The commands that need something withdrawn first (`withdraw_some`)."""


def withdraw_some(db: str) -> None:
    """Withdraw what the restore commands bring back (as a manager, before the test's
    snapshot): action 2.3 and recommendation 3 of the draft plan."""
    store = open_store(db)
    try:
        services.withdraw_action(store, f"{DRAFT}/2.3", "m", TODAY, "No longer needed")
        services.withdraw_recommendation(store, f"{DRAFT}/3", "m", TODAY, "Merged")
    finally:
        store.dispose()


MODES = {
    "reviewer-flag": (["--reviewer"], None, "review mode"),
    "reviewer-config": ([], 'role = "reviewer"\n', "review mode"),
    "read-only-flag": (["--read-only"], None, "read-only"),
    "read-only-config": ([], "read_only = true\n", "read-only"),
}


PATHS = [
    "update",
    "note",
    "evidence",
    "step",
    "load",
    "import",
    "restore",
    "action-add",
    "action-withdraw",
    "action-restore",
    "rec-add",
    "rec-edit",
    "rec-withdraw",
    "rec-restore",
    "plan-new",
    "plan-edit",
]


FLAG_MODES = [m for m in MODES if m.endswith("-flag")]
CONFIG_MODES = [m for m in MODES if m.endswith("-config")]


@pytest.mark.parametrize("mode", FLAG_MODES)
@pytest.mark.parametrize("path", PATHS)
def test_no_cli_path_writes_in_review_or_read_only_mode(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path, mode: str, path: str
) -> None:
    _no_write(tracker, loaded_target, tmp_path, mode, path)


@pytest.mark.parametrize("mode", CONFIG_MODES)
@pytest.mark.parametrize("path", PATHS)
def test_no_cli_path_writes_in_a_mode_the_config_file_sets(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, mode: str, path: str
) -> None:
    # The same refusals when the mode comes from the config file: how a mode is chosen is the
    # CLI's, whatever the database, so this half runs on SQLite only (the flags, above, on
    # both databases).
    _no_write(tracker, str(loaded_path), tmp_path, mode, path)


def _no_write(tracker, loaded_target: str, tmp_path: Path, mode: str, path: str) -> None:  # type: ignore[no-untyped-def]
    flags, config, message = MODES[mode]
    env = {}
    if config is not None:
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
        env["TRACKER_CONFIG"] = str(tmp_path / "config.toml")
    args = writes(tmp_path, loaded_target)[path]
    if path in WITHDRAWN:
        withdraw_some(loaded_target)
    before = snapshot(loaded_target)
    done = tracker(*flags, *args, db=loaded_target, **env)
    assert done.code == 1, (done.out, done.err)
    assert "Traceback" not in done.err and done.err.startswith("tracker: ")
    if path == "restore":
        expected = "on a server" if SERVER_URL else "restore needs a manager's session"
        assert expected in done.err
    else:
        assert message in done.err
    assert snapshot(loaded_target) == before


def test_the_same_commands_do_write_for_a_manager(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    """The refusals above are the mode's doing: a manager's session runs each command."""
    commands = writes(tmp_path, loaded_target)
    withdraw_some(loaded_target)
    for name in PATHS:
        if name == "restore":
            continue  # a restore replaces the database: tests/cli/test_backup.py runs it
        done = tracker(*commands[name], db=loaded_target)
        assert done.code == 0, (name, done.err)


@pytest.fixture
def read_only(loaded_target: str, loaded: Store) -> Iterator[Store]:
    store = open_store(loaded_target, read_only=True)
    yield store
    store.dispose()


@pytest.mark.parametrize(
    "write",
    [
        lambda s: services.update_action(s, f"{PLAN}/1.2", "m", TODAY, ActionChanges(progress=9)),
        lambda s: services.bulk_update(
            s, {f"{PLAN}/1.2": None, f"{PLAN}/2.2": None}, "m", TODAY, ActionChanges(lead="x")
        ),
        lambda s: services.add_note(s, f"{PLAN}/1.2", "m", TODAY, "a note"),
        lambda s: services.add_evidence(s, f"{PLAN}/1.2", "m", "t", reference="r"),
        lambda s: services.record_step(s, "cambridgeshire-2014", PlanStatus.SUBMITTED, TODAY, "m"),
        lambda s: services.load_plans(s, [("x.toml", read_plan(SAMPLES[0]))], "m"),
        lambda s: services.add_action(s, f"{DRAFT}/1", "m", TODAY, NewAction("t")),
        lambda s: services.withdraw_action(s, f"{DRAFT}/1.1", "m", TODAY, "why"),
        lambda s: services.add_recommendation(s, DRAFT, "m", "text"),
        lambda s: services.edit_recommendation(
            s, f"{DRAFT}/1", "m", RecommendationChanges(theme="x")
        ),
        lambda s: services.withdraw_recommendation(s, f"{DRAFT}/1", "m", TODAY, "why"),
        lambda s: services.new_plan(s, "m", "Somewhere", InspectionKind.SQS, TODAY),
        lambda s: services.edit_plan(s, DRAFT, "m", PlanChanges(title="x")),
    ],
    ids=[
        "update",
        "bulk",
        "note",
        "evidence",
        "step",
        "load",
        "action-add",
        "action-withdraw",
        "rec-add",
        "rec-edit",
        "rec-withdraw",
        "plan-new",
        "plan-edit",
    ],
)
def test_a_read_only_store_refuses_every_service_write(
    read_only: Store, loaded_target: str, write: Any
) -> None:
    before = snapshot(loaded_target)
    with pytest.raises(ReadOnlyError, match="the database is open read-only"):
        write(read_only)
    assert snapshot(loaded_target) == before


def test_role_reviewer_in_the_config_file_opens_review_mode(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'role = "reviewer"\nuser = "{OFFICER}"\n', encoding="utf-8")
    env = {"TRACKER_CONFIG": str(config), "TRACKER_USER": ""}
    listed = json.loads(
        tracker("evidence", "list", f"{PLAN}/1.2", "--json", db=loaded_target, **env).out
    )
    done = tracker("review", "evidence", str(listed[0]["id"]), "--accept", db=loaded_target, **env)
    assert done.code == 0, done.err
    again = json.loads(
        tracker("evidence", "list", f"{PLAN}/1.2", "--json", db=loaded_target, **env).out
    )
    assert (again[0]["review"], again[0]["reviewer"]) == ("accepted", OFFICER)
    change = tracker("update", f"{PLAN}/1.2", "--progress", "50", db=loaded_target, **env)
    assert change.code == 1 and "review mode" in change.err


@pytest.mark.parametrize("value", ['"no"', '"false"', "0", '"yes"'])
def test_read_only_in_the_config_file_must_be_a_boolean(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path, value: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"read_only = {value}\n", encoding="utf-8")
    before = snapshot(loaded_target)
    done = tracker(
        "update", f"{PLAN}/1.2", "--progress", "50", db=loaded_target, TRACKER_CONFIG=str(config)
    )
    assert done.code == 1, done.out
    assert f"config file {config}: 'read_only' must be true or false (unquoted)" in done.err
    assert snapshot(loaded_target) == before
    config.write_text("read_only = false\n", encoding="utf-8")
    done = tracker(
        "update", f"{PLAN}/1.2", "--progress", "50", db=loaded_target, TRACKER_CONFIG=str(config)
    )
    assert done.code == 0, done.err


def test_review_evidence_with_both_accept_and_query_is_bad_usage(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    before = snapshot(loaded_target)
    listed = json.loads(tracker("evidence", "list", f"{PLAN}/1.2", "--json", db=loaded_target).out)
    item = str(listed[0]["id"])
    for flags in (["--accept", "--query"], ["--query", "--accept"], []):
        done = tracker(
            "--reviewer",
            "--as",
            OFFICER,
            "review",
            "evidence",
            item,
            *flags,
            "--comment",
            "x",
            db=loaded_target,
        )
        assert done.code == 2, (flags, done.err)
        assert "say --accept or --query" in done.err
    assert snapshot(loaded_target) == before
