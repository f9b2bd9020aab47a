"""The CLI commands doing their work end to end, as a real process on a real SQLite file (or
the test server's database): load, list, change, attach evidence, dump, the demo. What they
refuse is in test_cli_refusals.py."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SAMPLES, TODAY

SAMPLE_ARGS = [str(p) for p in SAMPLES]


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
    # Identical but for the YJB's reviews, which a manager's load keeps only "as stated in the
    # file" (issue 14, point 2c: tests/cli/test_load_decisions.py).
    review_keys = ("review = ", "reviewer = ", "reviewed = ", "review_comment = ")

    def without_reviews(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(review_keys)]

    again = tracker("dump", "stockton-2010", db=other).out
    assert without_reviews(again) == without_reviews(out.read_text())
    assert 'review = "accepted"' in out.read_text() and 'review = "accepted"' not in again
    assert "As stated in the file loaded, not a YJB decision: accepted by" in again


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
    assert ids("--status", "BLOCKED") == blocked  # a choice's case is forgiven
    assert "stockton-2010/3.3" in blocked
    unknown = tracker("actions", "--plan", "nope", db=loaded_target)
    assert unknown.code == 1 and "no plan 'nope'" in unknown.err


def test_step_and_roles(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    stepped = tracker(
        "step",
        "cambridgeshire-2014",
        "submitted",
        "--on",
        "19 May 2014",
        "--anyway",
        db=loaded_target,
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
