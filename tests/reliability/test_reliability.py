"""Many users, one truth: the reliability bench (bench/reliability/) at its quick setting.

Concurrent editors lose no update and every loser is told; a load killed at random moments of
its write transaction leaves the whole plan or none of it, in a database that passes its
integrity checks; every input of the hostile corpus is refused cleanly. Each experiment also
has a test that it fails when it should: editors saving without their version, a load that
commits in pieces, an input that is accepted.

On SQLite; on the PostgreSQL server of TRACKER_TEST_DATABASE_URL instead when it is set (as
for the fixtures in conftest.py). Not in the default run (pyproject.toml's testpaths): run them
with `pytest tests/reliability`. CI's bench step runs the experiments with
`python -m bench.reliability --quick` (SQLite and PostgreSQL side by side) and the checks that
each experiment fails when it should with `pytest tests/reliability -m "not experiment"`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w

from bench import reliability as bench
from conftest import SERVER_URL

pytestmark = [pytest.mark.reliability, pytest.mark.server]

QUICK = bench.QUICK


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bench.Target]:
    """Where the experiments get their databases: SQLite files, or the test server."""
    made: bench.Target
    if SERVER_URL is None:
        made = bench.SqliteTarget(tmp_path_factory.mktemp("reliability"), keep=False)
    else:
        made = bench.ServerTarget(SERVER_URL)
    yield made
    made.close()


def show(results: bench.Results) -> None:
    """Print the figures (pytest shows them when a test fails, or with -s)."""
    print()
    print(bench.table([results]))


@pytest.mark.experiment
def test_concurrent_editors_lose_no_update_and_every_loser_is_told(target: bench.Target) -> None:
    figures = bench.run_editors(target.fresh("editors"), QUICK)
    show(bench.Results(target.kind, editors=figures))
    assert figures.attempted == QUICK.processes * QUICK.updates >= 1000
    assert set(figures.by_kind) == {"update", "bulk", "note", "evidence"}
    assert figures.conflicts > 0, "the editors never collided: the test proves nothing"
    assert figures.lost == 0
    assert figures.applied + figures.conflicts == figures.attempted
    assert figures.saved_despite_conflict == 0
    assert figures.spurious_conflicts == 0
    assert figures.trail_errors == 0
    assert figures.lock_errors == 0
    assert figures.other_errors == 0, figures.samples
    assert figures.problems() == []


def test_editors_saving_without_their_version_are_caught_losing_updates(
    target: bench.Target,
) -> None:
    blind = dataclasses.replace(QUICK, processes=3, updates=25)
    figures = bench.run_editors(
        target.fresh("blind"), blind, check_version=False, long_writes=False, unversioned=False
    )
    assert figures.lost > 0
    assert any(p.startswith("lost") for p in figures.problems())


def test_the_trail_check_counts_missing_saves_phantoms_and_breaks() -> None:
    ref, other = "p/1", "p/2"
    start = {ref: (1, "a"), other: (1, "x")}

    def saved(value: str, expected: int, read: str | None) -> bench.Attempt:
        return bench.Attempt(
            0, "update", (ref,), value, (expected,), (read,), "applied", expected + 1
        )

    told = [saved("b", 1, "a"), saved("c", 2, "b")]
    trail = [bench.TrailEvent(1, ref, 2, "a", "b"), bench.TrailEvent(2, ref, 3, "b", "c")]
    final = {ref: (3, "c"), other: (1, "x")}
    assert bench.check_editors(told, start, trail, final).problems() == []
    missing = bench.check_editors(told, start, trail[:1], {**final, ref: (2, "b")})
    assert missing.lost == 1
    phantom = bench.check_editors(told[:1], start, trail, final)
    assert phantom.trail_errors == 1
    conflict_saved = [
        told[0],
        dataclasses.replace(told[1], outcome="conflict", version=3, conflict_ref=ref),
    ]
    assert bench.check_editors(conflict_saved, start, trail, final).problems()
    assert bench.check_editors(told, start, trail, {**final, ref: (4, "d")}).trail_errors == 1

    # A bulk save is all or none: applied on both actions, or a trace on neither.
    bulk = bench.Attempt(0, "bulk", (ref, other), "y", (1, 1), ("a", "x"), "applied")
    both = [bench.TrailEvent(1, ref, 2, "a", "y"), bench.TrailEvent(2, other, 2, "x", "y")]
    after = {ref: (2, "y"), other: (2, "y")}
    assert bench.check_editors([bulk], start, both, after).problems() == []
    assert bench.check_editors([bulk], start, both[:1], {**after, other: (1, "x")}).lost == 1
    half = dataclasses.replace(bulk, outcome="conflict", version=2, conflict_ref=other)
    caught = bench.check_editors([half], start, both[:1], {**after, other: (1, "x")})
    assert caught.saved_despite_conflict == 1

    # A note is in the trail and in its table exactly once; one nobody made is a phantom.
    note = bench.Attempt(0, "note", (ref,), "n", (1,), ("a",), "applied")
    entry = [bench.TrailEvent(1, ref, 1, None, "n", "note")]
    kept = {ref: (1, "a"), other: (1, "x")}
    assert bench.check_editors([note], start, entry, kept, {(ref, "n"): 1}).problems() == []
    assert bench.check_editors([note], start, entry, kept, {}).lost == 1
    ghost = bench.check_editors([note], start, entry, kept, {(ref, "n"): 1, (ref, "g"): 1})
    assert ghost.trail_errors == 1


@pytest.mark.experiment
def test_killed_loads_leave_the_whole_plan_or_none_and_a_sound_database(
    target: bench.Target, tmp_path: Path
) -> None:
    figures = bench.run_crashes(target.fresh("crash"), QUICK, tmp_path)
    show(bench.Results(target.kind, crash=figures))
    assert figures.kills == QUICK.kills
    assert figures.survived == figures.kills, figures.samples
    assert figures.in_write > 0, "no kill landed inside the write transaction"
    assert figures.storage_failures == 0, figures.samples
    assert figures.orphans == 0
    assert figures.partial == 0, figures.samples
    assert figures.absent + figures.whole == figures.kills
    assert figures.earlier_changed == 0
    assert figures.usable_after
    assert figures.problems() == []


def test_a_load_that_commits_in_pieces_is_caught_leaving_partial_plans(
    target: bench.Target, tmp_path: Path
) -> None:
    pieces = dataclasses.replace(QUICK, kills=4, plan_actions=50)
    figures = bench.run_crashes(target.fresh("pieces"), pieces, tmp_path, piecemeal=True)
    assert figures.partial > 0
    assert any(p.startswith("partial") for p in figures.problems())


@pytest.mark.experiment
def test_every_hostile_input_is_refused_cleanly(target: bench.Target, tmp_path: Path) -> None:
    figures = bench.run_hostile(target, QUICK, tmp_path)
    show(bench.Results(target.kind, hostile=figures))
    counted = figures.tried - len(figures.known)
    assert counted >= bench.MIN_CORPUS
    assert set(figures.by_command) == {"load", "import", "update", "evidence"}
    assert figures.failures == []
    assert figures.refused_cleanly == counted
    assert figures.problems() == []


def test_an_input_that_is_accepted_is_not_counted_as_refused(
    target: bench.Target, tmp_path: Path
) -> None:
    plan = tmp_path / "good.toml"
    plan.write_text(tomli_w.dumps(bench.base_plan("accepted")), "utf-8")
    db = target.fresh("accepted")
    before = bench.snapshot(db)
    case = bench.Case("load/valid", ("load", str(plan)), ("anything",))
    problems = bench.judge(case, *bench.run_in_process(case, db, bench.cli_env(tmp_path)))
    assert any(p.startswith("exit 0") for p in problems)
    assert "nothing on stderr" in problems
    assert bench.snapshot(db) != before
