"""Writing a plan from the command line, end to end in a real process: `tracker action`,
`tracker rec`, `tracker plan`, `tracker check`, `tracker actions --all`, and `tracker step`
refusing a plan that is not ready. Each command's work, what it refuses (exit 1, one message,
nothing written; exit 2 for bad usage), and what the other commands then show. A reviewer's or
read-only session is refused them all (tests/store/test_review_access.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import TODAY, Result, snapshot

PLAN = "cambridgeshire-2014"
"""A draft: 3 recommendations, 8 actions; 2.3 has no target date (so not ready)."""
MANAGER = "Miriam Robertson"


def ok(done: Result) -> str:
    assert done.code == 0, (done.out, done.err)
    assert done.err == "", done.err
    return done.out


def refused(done: Result, message: str, code: int = 1) -> None:
    assert done.code == code, (done.out, done.err)
    assert "Traceback" not in done.err
    assert message in done.err, done.err
    assert done.out == ""
    if code == 1:
        assert done.err.startswith("tracker: ")


def as_json(done: Result) -> Any:
    return json.loads(ok(done))


def plan_row(tracker: Any, db: str, plan: str = PLAN) -> dict[str, Any]:
    rows = as_json(tracker("plans", "--json", db=db))
    return next(r for r in rows if r["id"] == plan)  # type: ignore[no-any-return]


def action_ids(tracker: Any, db: str, *flags: str) -> list[str]:
    rows = as_json(tracker("actions", "--plan", PLAN, "--json", *flags, db=db))
    return [r["id"] for r in rows]


def events(tracker: Any, db: str, ref: str) -> list[dict[str, Any]]:
    return as_json(tracker("history", ref, "--json", db=db))  # type: ignore[no-any-return]


ADD = ["--text", "Audit ten cases a month", "--lead-role", "YOS Manager", "--target", "31/12/2014"]


# tracker action ---------------------------------------------------------------------------------


def test_action_add_prints_the_new_id_and_history_names_who(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    done = tracker(
        "--as",
        MANAGER,
        "action",
        "add",
        f"{PLAN}/2",
        "--text",
        "Audit ten cases a month",
        "--lead-role",
        "Operational Manager (Quality Assurance)",
        "--lead",
        "Anna Jack",
        "--start",
        "1 Jun 2014",
        "--target",
        "31/12/2014",
        "--measure",
        "Audit results at each Board",
        "--status",
        "in progress",
        db=db,
    )
    assert ok(done) == f"{PLAN}/2.4\n"
    rows = as_json(tracker("actions", "--plan", PLAN, "--json", db=db))
    row = next(r for r in rows if r["id"] == f"{PLAN}/2.4")
    assert (row["recommendation"], row["ref"], row["text"]) == ("2", "2.4", ADD[1])
    assert (row["owner"], row["lead"]) == ("Operational Manager (Quality Assurance)", "Anna Jack")
    assert (row["start"], row["target"], row["status"]) == (
        "2014-06-01",
        "2014-12-31",
        "in progress",
    )
    assert (row["version"], row["withdrawn"], row["withdrawn_reason"]) == (1, None, None)
    assert plan_row(tracker, db)["actions"] == 9
    trail = {(e["field"], e["new"]) for e in events(tracker, db, f"{PLAN}/2.4")}
    assert {e["actor"] for e in events(tracker, db, f"{PLAN}/2.4")} == {MANAGER}
    assert ("added", "2") in trail
    assert ("success_measure", "Audit results at each Board") in trail
    assert ("target_on", "2014-12-31") in trail and ("lead", "Anna Jack") in trail
    text = ok(tracker("history", PLAN, db=db))
    assert MANAGER in text and f"{PLAN}/2.4" in text and "added" in text


@pytest.mark.parametrize(
    ("where", "extra", "message"),
    [
        ("nowhere/1", [], "no plan 'nowhere'"),
        (f"{PLAN}/9", [], f"plan '{PLAN}' has no recommendation '9'"),
        (f"{PLAN}", [], "is not a recommendation id: write PLAN/REC"),
        (f"{PLAN}/2", ["--text", "  "], "the action cannot be empty"),
        (f"{PLAN}/2", ["--target", "31/02/2014"], "--target: '31/02/2014' is not a date"),
        (f"{PLAN}/2", ["--start", "2015-01-01"], "is before the start date 2015-01-01"),
        (f"{PLAN}/2", ["--status", "complete"], "a new action cannot start complete"),
    ],
    ids=["plan", "rec", "no-rec", "empty", "bad-date", "target-before-start", "complete"],
)
def test_action_add_refusals_write_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, where: str, extra: list[str], message: str
) -> None:
    before = snapshot(loaded_target)
    refused(tracker("action", "add", where, *ADD, *extra, db=loaded_target), message)
    assert snapshot(loaded_target) == before


def test_action_add_without_a_lead_role_or_target_is_bad_usage(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    before = snapshot(loaded_target)
    done = tracker(
        "action", "add", f"{PLAN}/2", "--text", "x", "--target", "2014-12-31", db=loaded_target
    )
    refused(done, "Missing option '--lead-role'", code=2)
    done = tracker(
        "action", "add", f"{PLAN}/2", "--text", "x", "--lead-role", "Police", db=loaded_target
    )
    refused(done, "Missing option '--target'", code=2)
    assert snapshot(loaded_target) == before


def test_a_withdrawn_action_leaves_counts_and_lists_until_restored(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    ref = f"{PLAN}/2.3"
    live = action_ids(tracker, db)
    assert ref in live and plan_row(tracker, db)["actions"] == 8
    done = tracker("--as", MANAGER, "action", "withdraw", ref, "--reason", "Covered by 2.1", db=db)
    assert ok(done) == f"withdrew {ref} (now version 2)\n"
    assert ref not in action_ids(tracker, db)
    assert plan_row(tracker, db)["actions"] == 7
    # 2.3 was the one action without a target date: without it the plan is ready.
    assert tracker("check", PLAN, db=db).code == 0
    everything = as_json(tracker("actions", "--plan", PLAN, "--all", "--json", db=db))
    assert [r["id"] for r in everything] == live
    gone = next(r for r in everything if r["id"] == ref)
    assert (gone["withdrawn"], gone["withdrawn_reason"]) == (TODAY.isoformat(), "Covered by 2.1")
    assert all(r["withdrawn"] is None for r in everything if r["id"] != ref)
    table = ok(tracker("actions", "--plan", PLAN, "--all", db=db)).splitlines()
    assert table[0].split()[-1] == "WITHDRAWN"
    line = next(x for x in table if x.startswith(ref))
    assert line.endswith(f"withdrawn {TODAY.isoformat()}: Covered by 2.1")
    assert "withdrawn" not in ok(tracker("actions", "--plan", PLAN, db=db))
    again = tracker("action", "withdraw", ref, "--reason", "twice", db=db)
    refused(again, f"action {ref} was already withdrawn on {TODAY.isoformat()}")

    done = tracker("--as", MANAGER, "action", "restore", ref, "--expect-version", "2", db=db)
    assert ok(done) == f"restored {ref} (now version 3)\n"
    assert action_ids(tracker, db) == live and plan_row(tracker, db)["actions"] == 8
    trail = [(e["actor"], e["field"], e["new"]) for e in events(tracker, db, ref)]
    assert (MANAGER, "withdrawn_reason", "Covered by 2.1") in trail
    assert trail[0] == (MANAGER, "withdrawn_reason", None)
    refused(tracker("action", "restore", ref, db=db), f"action {ref} is not withdrawn")


def test_a_stale_expect_version_is_a_conflict_and_writes_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    ref = f"{PLAN}/2.1"
    ok(tracker("--as", "Someone Else", "update", ref, "--lead", "Jo Bloggs", db=db))
    before = snapshot(db)
    done = tracker("action", "withdraw", ref, "--reason", "x", "--expect-version", "1", db=db)
    refused(done, "was changed by someone else since you opened it (your version 1, now 2)")
    assert "lead:" in done.err and "Someone Else" in done.err and "Nothing was saved" in done.err
    done = tracker("action", "restore", ref, "--expect-version", "1", db=db)
    refused(done, "changed by someone else")
    ok(tracker("rec", "edit", f"{PLAN}/1", "--theme", "Risk", db=db))
    before = snapshot(db)
    done = tracker("rec", "edit", f"{PLAN}/1", "--theme", "Other", "--expect-version", "1", db=db)
    refused(done, "recommendation cambridgeshire-2014/1 was changed by someone else")
    assert "theme: risk of harm -> Risk" in done.err
    done = tracker("rec", "withdraw", f"{PLAN}/1", "--reason", "x", "--expect-version", "1", db=db)
    refused(done, "changed by someone else")
    ok(tracker("plan", "edit", PLAN, "--title", "Cambridgeshire's plan", db=db))
    before = snapshot(db)
    done = tracker("plan", "edit", PLAN, "--title", "Another", "--expect-version", "1", db=db)
    refused(done, f"plan {PLAN} was changed by someone else")
    assert snapshot(db) == before


def test_action_refs_are_never_reused(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    added = [ok(tracker("action", "add", f"{PLAN}/1", *ADD, db=db)).strip() for _ in range(3)]
    assert added == [f"{PLAN}/1.3", f"{PLAN}/1.4", f"{PLAN}/1.5"]
    ok(tracker("action", "withdraw", f"{PLAN}/1.5", "--reason", "Added twice", db=db))
    assert ok(tracker("action", "add", f"{PLAN}/1", *ADD, db=db)) == f"{PLAN}/1.6\n"
    recs = [ok(tracker("rec", "add", PLAN, "--text", "More", db=db)).strip() for _ in range(2)]
    assert recs == [f"{PLAN}/4", f"{PLAN}/5"]
    ok(tracker("rec", "withdraw", f"{PLAN}/5", "--reason", "Not in the report", db=db))
    assert ok(tracker("rec", "add", PLAN, "--text", "More", db=db)) == f"{PLAN}/6\n"
    refused(
        tracker("action", "add", f"{PLAN}/5", *ADD, db=db),
        "recommendation 5 of cambridgeshire-2014 is withdrawn: restore it first",
    )


# tracker rec ------------------------------------------------------------------------------------


def test_rec_add_with_owners_response_and_theme(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    done = tracker(
        "--as",
        MANAGER,
        "rec",
        "add",
        PLAN,
        "--text",
        "Share information with the police weekly",
        "--owner",
        "YOS Manager",
        "--owner",
        "Police",
        "--response",
        "Partly Agreed",
        "--reason",
        "Weekly is not possible; fortnightly is",
        "--theme",
        "Partnerships",
        db=db,
    )
    assert ok(done) == f"{PLAN}/4\n"
    trail = events(tracker, db, PLAN)
    mine = {(e["ref"], e["field"], e["new"]) for e in trail if e["actor"] == MANAGER}
    assert mine == {
        (f"{PLAN}/4", "added", "4"),
        (f"{PLAN}/4", "text", "Share information with the police weekly"),
        (f"{PLAN}/4", "owners", "YOS Manager; Police"),
        (f"{PLAN}/4", "response", "partly agreed"),
        (f"{PLAN}/4", "response_reason", "Weekly is not possible; fortnightly is"),
        (f"{PLAN}/4", "theme", "Partnerships"),
    }
    # A recommendation without an action is a gap in the plan's readiness.
    checked = as_json_any(tracker("check", PLAN, "--json", db=db))
    assert {"kind": "no actions", "ref": "4", "message": "recommendation 4 has no action"} in (
        checked["gaps"]
    )
    assert checked["recommendations"] == 4 and checked["with_actions"] == 3


def as_json_any(done: Result) -> Any:
    """JSON from a command that may exit 1 with its answer (check, while not ready)."""
    assert done.code in (0, 1) and done.err == "", done.err
    return json.loads(done.out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--text", "x"], "no plan 'nowhere'"),
        ([PLAN, "--text", ""], "the recommendation cannot be empty"),
        ([PLAN, "--text", "x", "--response", "not agreed"], "of 'not agreed' needs a reason"),
        (
            [PLAN, "--text", "x", "--response", "partly agreed", "--reason", " "],
            "a response of 'partly agreed' needs a reason",
        ),
    ],
    ids=["plan", "empty", "no-reason", "blank-reason"],
)
def test_rec_add_refusals_write_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str], message: str
) -> None:
    before = snapshot(loaded_target)
    refused(tracker("rec", "add", *args, db=loaded_target), message)
    assert snapshot(loaded_target) == before


def test_rec_add_with_an_unknown_response_is_bad_usage(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    done = tracker("rec", "add", PLAN, "--text", "x", "--response", "maybe", db=loaded_target)
    refused(done, "Invalid value for '--response'", code=2)


def test_rec_edit_changes_and_clears(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    db = loaded_target
    rec = f"{PLAN}/2"
    done = tracker(
        "--as",
        MANAGER,
        "rec",
        "edit",
        rec,
        "--response",
        "not agreed",
        "--reason",
        "The council has other plans",
        "--theme",
        "Quality",
        "--owner",
        "Police",
        db=db,
    )
    assert ok(done) == f"updated {rec} (now version 2)\n"
    changed = {(e["field"], e["old"], e["new"]) for e in events(tracker, db, PLAN)[:4]}
    assert changed == {
        ("response", "agreed", "not agreed"),
        ("response_reason", None, "The council has other plans"),
        ("theme", "assessment quality", "Quality"),
        ("owners", None, "Police"),
    }
    done = tracker("rec", "edit", rec, "--clear", "response", "--clear", "theme", db=db)
    assert ok(done) == f"updated {rec} (now version 3)\n"
    cleared = {(e["field"], e["new"]) for e in events(tracker, db, PLAN)[:3]}
    assert cleared == {("response", None), ("response_reason", None), ("theme", None)}
    before = snapshot(db)
    refused(tracker("rec", "edit", rec, "--text", "", db=db), "the recommendation cannot be empty")
    refused(tracker("rec", "edit", rec, "--response", "partly agreed", db=db), "needs a reason")
    refused(tracker("rec", "edit", rec, "--clear", "theme", db=db), "nothing to change on")
    refused(tracker("rec", "edit", f"{PLAN}/7", "--theme", "x", db=db), "has no recommendation '7'")
    refused(tracker("rec", "edit", rec, "--clear", "text", db=db), "Invalid value for '--clear'", 2)
    assert snapshot(db) == before


def test_rec_edit_of_the_text_of_an_agreed_plan_needs_yes(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    rec = "stockton-2010/2"
    before = snapshot(db)
    done = tracker("rec", "edit", rec, "--text", "Better words", db=db)
    refused(done, "plan stockton-2010 is monitoring: changing the text of recommendation 2")
    assert done.err.rstrip().endswith("Nothing was saved: repeat the command with --yes to go on.")
    assert snapshot(db) == before
    assert ok(tracker("rec", "edit", rec, "--theme", "Courts", db=db)).startswith("updated")
    done = tracker("--as", MANAGER, "rec", "edit", rec, "--text", "Better words", "--yes", db=db)
    assert ok(done) == f"updated {rec} (now version 3)\n"
    latest = events(tracker, db, "stockton-2010")[0]
    assert (latest["actor"], latest["field"], latest["new"]) == (
        MANAGER,
        "text (after agreement)",
        "Better words",
    )


def test_rec_withdraw_takes_its_actions_and_restore_brings_them_back(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    live = action_ids(tracker, db)
    done = tracker("rec", "withdraw", f"{PLAN}/3", "--reason", "Merged into 1", db=db)
    assert ok(done) == f"withdrew {PLAN}/3 and its actions (now version 2)\n"
    assert action_ids(tracker, db) == [a for a in live if not a.startswith(f"{PLAN}/3.")]
    assert plan_row(tracker, db)["actions"] == 5
    checked = as_json_any(tracker("check", PLAN, "--json", db=db))
    assert checked["recommendations"] == 2 and checked["actions"] == 5
    everything = as_json(tracker("actions", "--plan", PLAN, "--all", "--json", db=db))
    reasons = {r["id"]: r["withdrawn_reason"] for r in everything if r["withdrawn"]}
    assert reasons == {f"{PLAN}/3.{n}": "with recommendation 3: Merged into 1" for n in (1, 2, 3)}
    refused(tracker("rec", "withdraw", f"{PLAN}/3", "--reason", "x", db=db), "already withdrawn")
    refused(tracker("rec", "withdraw", f"{PLAN}/1", db=db), "Missing option '--reason'", 2)
    done = tracker("rec", "restore", f"{PLAN}/3", db=db)
    assert ok(done) == f"restored {PLAN}/3 (now version 3)\n"
    assert action_ids(tracker, db) == live and plan_row(tracker, db)["actions"] == 8
    refused(
        tracker("rec", "restore", f"{PLAN}/3", db=db), f"recommendation {PLAN}/3 is not withdrawn"
    )


# tracker plan -----------------------------------------------------------------------------------


def test_plan_new_then_edit(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    db = loaded_target
    new = ["plan", "new", "--area", "Stockton-on-Tees", "--kind", "sqs", "--published"]
    done = tracker("--as", MANAGER, *new, "3 Feb 2014", db=db)
    assert ok(done) == "stockton-on-tees-2014\n"
    assert (
        ok(tracker(*new, "2014-02-03", "--title", "Second", db=db)) == "stockton-on-tees-2014-2\n"
    )
    slug = "stockton-on-tees-2014"
    row = plan_row(tracker, db, slug)
    assert (row["area"], row["kind"], row["status"]) == ("Stockton-on-Tees", "SQS", "draft")
    assert (row["published"], row["submission_due"], row["actions"]) == (
        "2014-02-03",
        "2014-03-03",
        0,
    )
    loaded = events(tracker, db, slug)
    assert [(e["actor"], e["field"]) for e in loaded] == [(MANAGER, "loaded")]

    done = tracker(
        "--as",
        MANAGER,
        "plan",
        "edit",
        slug,
        "--published",
        "03/03/2014",
        "--fieldwork-start",
        "2013-11-04",
        "--fieldwork-end",
        "2013-11-08",
        "--title",
        "Improvement plan",
        "--score",
        "Safeguarding=79% MINIMUM",
        "--score",
        "Leadership=requires improvement",
        "--score",
        "Risk of harm=65%",
        db=db,
    )
    assert ok(done).splitlines() == [
        f"updated {slug} (now version 2)",
        "the four-week submission clock moves: the plan is due 31 Mar 2014 (was 3 Mar 2014)",
    ]
    assert plan_row(tracker, db, slug)["submission_due"] == "2014-03-31"
    changed = {(e["actor"], e["field"], e["new"]) for e in events(tracker, db, slug)}
    assert (MANAGER, "published", "2014-03-03") in changed
    assert (MANAGER, "title", "Improvement plan") in changed
    assert (
        MANAGER,
        "scores",
        "Safeguarding 79% MINIMUM; Leadership Requires improvement; Risk of harm 65%",
    ) in changed

    done = tracker(
        "plan",
        "edit",
        slug,
        "--board-meetings",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU",
        "--board-meetings-start",
        "2014-04-08",
        "--kind",
        "FJI",
        db=db,
    )
    assert ok(done) == f"updated {slug} (now version 3)\n"  # no clock line: the date stays
    done = tracker("plan", "edit", slug, "--clear", "published", "--clear", "scores", db=db)
    assert ok(done).splitlines() == [
        f"updated {slug} (now version 4)",
        "the plan has no publication date now: its four-week submission clock stops",
    ]
    row = plan_row(tracker, db, slug)
    assert (row["kind"], row["published"], row["submission_due"]) == ("FJI", None, None)


def test_plan_edit_warns_of_an_area_the_gazetteer_does_not_know_but_keeps_it(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    done = tracker("plan", "edit", PLAN, "--area", "Cambridgeshre", db=db)
    assert (done.code, done.out) == (0, f"updated {PLAN} (now version 2)\n"), done.err
    assert done.err == (
        "warning: the area 'Cambridgeshre' is not a youth justice service of England and Wales "
        "that the tracker knows: check its spelling\n"
    )
    assert plan_row(tracker, db)["area"] == "Cambridgeshre"
    # A service the gazetteer knows, by any of its names, and an edit that leaves the area
    # alone, say nothing more.
    assert ok(tracker("plan", "edit", PLAN, "--area", "Cambridgeshire County Council", db=db))
    assert ok(tracker("plan", "edit", PLAN, "--area", "Cambridgeshire", db=db))
    assert plan_row(tracker, db)["area"] == "Cambridgeshire"
    assert ok(tracker("plan", "edit", PLAN, "--title", "Cambridgeshire's plan", db=db))


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--area", "x", "--kind", "SQS", "--published", "2014-13-01"], "--published:", 1),
        (["--area", "  ", "--kind", "SQS", "--published", "2014-01-01"], "the area cannot be", 1),
        (
            ["--area", "x", "--kind", "SQS", "--published", "2014-01-01", "--id", "Bad Id"],
            "is not a plan id",
            1,
        ),
        (["--area", "x", "--kind", "SQS", "--published", "2014-01-01", "--id", PLAN], "already", 1),
        (["--area", "x", "--kind", "weekly", "--published", "2014-01-01"], "'--kind'", 2),
        (["--area", "x", "--kind", "SQS"], "Missing option '--published'", 2),
    ],
    ids=["bad-date", "empty-area", "bad-id", "taken-id", "bad-kind", "no-date"],
)
def test_plan_new_refusals_write_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str], message: str, code: int
) -> None:
    before = snapshot(loaded_target)
    refused(tracker("plan", "new", *args, db=loaded_target), message, code)
    assert snapshot(loaded_target) == before


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["nowhere", "--title", "x"], "no plan 'nowhere'", 1),
        ([PLAN, "--published", "31 Feb 2014"], "--published: '31 Feb 2014' is not a date", 1),
        (
            [PLAN, "--fieldwork-start", "2014-02-01", "--fieldwork-end", "2014-01-01"],
            "the fieldwork ends",
            1,
        ),
        (
            [PLAN, "--board-meetings", "every month", "--board-meetings-start", "2014-05-01"],
            "board meetings:",
            1,
        ),
        ([PLAN, "--score", "Safeguarding=120%"], "a percentage is from 0 to 100", 1),
        ([PLAN, "--area", ""], "the area cannot be empty", 1),
        ([PLAN, "--score", "Safeguarding=Great"], "'Great' is neither a percentage", 2),
        ([PLAN, "--score", "Safeguarding"], "is not a score: write NAME=79%", 2),
        ([PLAN, "--clear", "area"], "Invalid value for '--clear'", 2),
    ],
    ids=[
        "plan",
        "bad-date",
        "fieldwork",
        "bad-rule",
        "percent",
        "area",
        "rating",
        "form",
        "clear",
    ],
)
def test_plan_edit_refusals_write_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, args: list[str], message: str, code: int
) -> None:
    before = snapshot(loaded_target)
    refused(tracker("plan", "edit", *args, db=loaded_target), message, code)
    assert snapshot(loaded_target) == before


# tracker check, and step submitted refused --------------------------------------------------------


def test_check_exits_1_with_each_gap_until_the_plan_is_ready(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    done = tracker("check", PLAN, db=db)
    assert done.code == 1 and done.err == ""
    assert done.out.splitlines() == [
        f"{PLAN}: 3 of 3 recommendations have actions; 1 action lacks a target date",
        "  - action 2.3 has no target date",
    ]
    assert as_json_any(tracker("check", PLAN, "--json", db=db)) == {
        "plan": PLAN,
        "ready": False,
        "summary": "3 of 3 recommendations have actions; 1 action lacks a target date",
        "recommendations": 3,
        "with_actions": 3,
        "actions": 8,
        "gaps": [
            {"kind": "no target date", "ref": "2.3", "message": "action 2.3 has no target date"}
        ],
    }
    ok(tracker("update", f"{PLAN}/2.3", "--due", "2014-09-30", db=db))
    assert ok(tracker("check", PLAN, db=db)) == (
        f"{PLAN}: ready to submit: 3 recommendations, 8 actions\n"
    )
    ready = as_json(tracker("check", PLAN, "--json", db=db))
    assert (ready["ready"], ready["gaps"], ready["actions"]) == (True, [], 8)
    halton = as_json_any(tracker("check", "halton-warrington-2009", "--json", db=db))
    assert halton["gaps"] == [
        {"kind": "no publication date", "ref": None, "message": "the plan has no publication date"}
    ]
    refused(tracker("check", "nowhere", db=db), "no plan 'nowhere'")


def test_step_submitted_refuses_a_plan_not_ready_with_a_gap_per_line(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str
) -> None:
    db = loaded_target
    ok(tracker("rec", "add", PLAN, "--text", "Another", db=db))
    before = snapshot(db)
    done = tracker("step", PLAN, "submitted", db=db)
    refused(done, f"plan {PLAN} is not ready to submit")
    assert done.err.splitlines() == [
        f"tracker: plan {PLAN} is not ready to submit (3 of 4 recommendations have actions; "
        "1 action lacks a target date):",
        "  - recommendation 4 has no action",
        "  - action 2.3 has no target date",
        "Fix these, or record that it went in incomplete (--anyway).",
    ]
    assert snapshot(db) == before
    assert ok(tracker("step", PLAN, "submitted", "--anyway", db=db)) == f"{PLAN} is now submitted\n"
