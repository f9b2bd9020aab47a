"""YJB review: reviewers review and sign off but cannot change plan content; read-only stores
cannot write at all; nobody signs off their own work."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from conftest import SAMPLES, TODAY, snapshot
from tracker import services
from tracker.exporters import plan_file_text
from tracker.models import SignOff
from tracker.planfile import read_plan
from tracker.queries import action as action_reads
from tracker.queries import lists, lookups
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, ServiceError
from tracker.store import ReadOnlyError, Store, open_store
from tracker.vocab import ActionStatus, PlanStatus, ReviewState

OFFICER = "Yasmin Officer (YJB)"


@pytest.fixture
def reviewer(loaded_target: str, loaded: Store) -> Iterator[Store]:
    """The same database as `loaded`, opened by YJB link staff."""
    store = open_store(loaded_target, reviewer=True)
    yield store
    store.dispose()


def evidence_ids(store: Store, ref: str) -> list[int]:
    with store.read() as session:
        return [e.id for e in action_reads.evidence_of(SessionReader(session), ref)]


@pytest.mark.parametrize(
    "write",
    [
        lambda s: services.update_action(
            s, "stockton-2010/1.2", OFFICER, TODAY, ActionChanges(progress=99)
        ),
        lambda s: services.bulk_update(
            s, {"stockton-2010/1.2": None}, OFFICER, TODAY, ActionChanges(lead="x")
        ),
        lambda s: services.add_evidence(s, "stockton-2010/1.2", OFFICER, "t", reference="r"),
        lambda s: services.record_step(
            s, "cambridgeshire-2014", PlanStatus.SUBMITTED, TODAY, OFFICER
        ),
        lambda s: services.load_plans(s, [("x.toml", read_plan(SAMPLES[0]))], OFFICER),
    ],
    ids=["update", "bulk", "evidence", "step", "load"],
)
def test_reviewer_cannot_change_plan_content(
    reviewer: Store, loaded_target: str, write: Any
) -> None:
    before = snapshot(loaded_target)
    with pytest.raises(ServiceError, match="review mode: plan content is read-only"):
        write(reviewer)
    assert snapshot(loaded_target) == before


def test_managers_cannot_review_or_sign_off(loaded: Store) -> None:
    first = evidence_ids(loaded, "stockton-2010/1.1")[0]
    with pytest.raises(ServiceError, match="only YJB link staff"):
        services.review_evidence(loaded, first, "Miriam", ReviewState.ACCEPTED, TODAY)
    with pytest.raises(ServiceError, match="only YJB link staff"):
        services.sign_off_plan(loaded, "stockton-2010", "Miriam", TODAY)


def test_review_evidence_accept_and_query(reviewer: Store, loaded: Store) -> None:
    first = evidence_ids(loaded, "stockton-2010/1.2")
    assert first, "sample action 1.2 has evidence"
    services.review_evidence(
        reviewer,
        first[0],
        OFFICER,
        ReviewState.QUERIED,
        TODAY,
        "Attendance list is missing two names",
    )
    with loaded.read() as session:
        item = action_reads.evidence_of(SessionReader(session), "stockton-2010/1.2")[0]
        trail = action_reads.history(SessionReader(session), "stockton-2010/1.2")
    assert (item.review, item.reviewer) == ("queried", OFFICER)
    assert item.review_comment == "Attendance list is missing two names"
    assert trail[0].field == "evidence review" and trail[0].actor == OFFICER
    with pytest.raises(ServiceError, match="add a comment"):
        services.review_evidence(reviewer, first[0], OFFICER, ReviewState.QUERIED, TODAY)
    with pytest.raises(ServiceError, match="no evidence 99999"):
        services.review_evidence(reviewer, 99999, OFFICER, ReviewState.ACCEPTED, TODAY)


def test_nobody_reviews_their_own_work(reviewer: Store, loaded: Store) -> None:
    ref = "stockton-2010/1.2"
    services.update_action(loaded, ref, "Dual Role", TODAY, ActionChanges(progress=55))
    item = evidence_ids(loaded, ref)[0]
    with pytest.raises(ServiceError, match="nobody reviews their own work"):
        services.review_evidence(reviewer, item, "Dual Role", ReviewState.ACCEPTED, TODAY)


def finish(store: Store, ref: str) -> None:
    with store.read() as session:
        done = lookups.get_action(session, ref).status is ActionStatus.COMPLETE
    if not done:
        services.update_action(
            store, ref, "Miriam", TODAY, ActionChanges(status=ActionStatus.COMPLETE)
        )
    services.add_evidence(store, ref, "Miriam", "Audit", reference=f"Audit for {ref}")


def test_sign_off_recommendation_needs_every_action_blue(reviewer: Store, loaded: Store) -> None:
    with pytest.raises(ServiceError, match=r"actions 4\.2 are not complete"):
        services.sign_off_recommendation(reviewer, "stockton-2010", "4", OFFICER, TODAY)
    finish(loaded, "stockton-2010/4.2")
    with pytest.raises(ServiceError, match="nobody signs off their own work"):
        services.sign_off_recommendation(reviewer, "stockton-2010", "4", "Miriam", TODAY)
    services.sign_off_recommendation(reviewer, "stockton-2010", "4", OFFICER, TODAY)
    with loaded.read() as session:
        signed = session.scalars(select(SignOff)).one()
        state = json.loads(signed.state)
    assert signed.signed_by == OFFICER
    assert [a["ref"] for a in state["recommendations"][0]["actions"]] == ["4.1", "4.2"]
    assert {a["brag"] for a in state["recommendations"][0]["actions"]} == {"blue"}
    with pytest.raises(ServiceError, match="already signed off"):
        services.sign_off_recommendation(reviewer, "stockton-2010", "4", OFFICER, TODAY)


def test_sign_off_plan_needs_every_recommendation_and_closes_it(
    reviewer: Store, loaded: Store
) -> None:
    with pytest.raises(ServiceError, match="not signed off"):
        services.sign_off_plan(reviewer, "stockton-2010", OFFICER, TODAY)
    with pytest.raises(ServiceError, match="once it has been forwarded"):
        services.sign_off_plan(reviewer, "cambridgeshire-2014", OFFICER, TODAY)
    with loaded.read() as session:
        rows = lists.action_rows(SessionReader(session), TODAY, plan="stockton-2010")
    for row in rows:
        if row.brag.colour.value != "blue":
            finish(loaded, row.id)
    for rec in "12345":
        services.sign_off_recommendation(reviewer, "stockton-2010", rec, OFFICER, TODAY)
    services.sign_off_plan(reviewer, "stockton-2010", OFFICER, TODAY)
    with loaded.read() as session:
        plan = lookups.get_plan(session, "stockton-2010")
        assert (plan.status, plan.closed_on) == (PlanStatus.CLOSED, TODAY)


def test_managers_cannot_close_a_plan_themselves(loaded: Store) -> None:
    with pytest.raises(ServiceError, match="closing a plan is the YJB's sign-off"):
        services.record_step(loaded, "stockton-2010", PlanStatus.CLOSED, TODAY, "Miriam")


def test_read_only_store_cannot_write_by_any_path(loaded_target: str, loaded: Store) -> None:
    before = snapshot(loaded_target)
    store = open_store(loaded_target, read_only=True)
    try:
        with store.read() as session:
            assert len(lists.plan_rows(SessionReader(session), TODAY)) == 3
        with pytest.raises(ReadOnlyError):
            services.update_action(
                store, "stockton-2010/1.2", "m", TODAY, ActionChanges(progress=1)
            )
        with (
            pytest.raises(DBAPIError, match=r"readonly|read-only|query_only"),
            store.read() as session,
        ):
            session.execute(text("UPDATE actions SET progress = 1"))
            session.commit()
    finally:
        store.dispose()
    assert snapshot(loaded_target)["actions"] == before["actions"]


def test_read_only_refuses_a_missing_database(tmp_path: Path) -> None:
    from tracker.store import StoreError

    with pytest.raises(StoreError, match="no such database"):
        open_store(tmp_path / "none.db", read_only=True)
    assert not (tmp_path / "none.db").exists()


def test_cli_reviewer_and_read_only(tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    change = tracker(
        "--reviewer", "update", "stockton-2010/1.2", "--progress", "50", db=loaded_target
    )
    assert change.code == 1 and "review mode" in change.err
    read_only = tracker(
        "--read-only", "update", "stockton-2010/1.2", "--progress", "50", db=loaded_target
    )
    assert read_only.code == 1 and "read-only" in read_only.err
    assert tracker("--read-only", "plans", db=loaded_target).code == 0
    listed = json.loads(
        tracker("evidence", "list", "stockton-2010/1.2", "--json", db=loaded_target).out
    )
    first = str(listed[0]["id"])
    accepted = tracker(
        "--reviewer",
        "--as",
        OFFICER,
        "review",
        "evidence",
        first,
        "--accept",
        "--comment",
        "Register matches",
        db=loaded_target,
    )
    assert accepted.code == 0, accepted.err
    again = json.loads(
        tracker("evidence", "list", "stockton-2010/1.2", "--json", db=loaded_target).out
    )
    assert (again[0]["review"], again[0]["reviewer"]) == ("accepted", OFFICER)
    manager = tracker("review", "evidence", first, "--accept", db=loaded_target)
    assert manager.code == 1 and "only YJB link staff" in manager.err
    early = tracker("--reviewer", "review", "sign-off", "stockton-2010", "4", db=loaded_target)
    assert early.code == 1 and "not implemented and evidenced yet" in early.err
    closing = tracker("step", "stockton-2010", "closed", db=loaded_target)
    assert closing.code == 2


async def test_tui_reviewer_cannot_save_an_action(reviewer: Store) -> None:
    from textual.widgets import Input, Static

    from tracker.config import Settings
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.action import ActionScreen

    app = TrackerApp(reviewer, Settings(reviewer.url, OFFICER, TODAY, "/none", reviewer=True))
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_action("stockton-2010/1.2")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ActionScreen)
        await pilot.press("e")  # no form is built for a reviewer: nothing to type into
        await pilot.pause()
        assert not screen.editing and not screen.query(Input)
        await pilot.press("ctrl+s")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "review mode" in str(screen.query_one("#form-error", Static).render())
    with reviewer.read() as session:
        assert lookups.get_action(session, "stockton-2010/1.2").progress != 99


# Who did the work: loading a plan file is not authoring it ------------------------------------


def close(reviewer: Store, manager: Store, plan: str = "stockton-2010") -> None:
    """Finish and evidence every action (as Miriam), then sign the plan off as OFFICER."""
    with manager.read() as session:
        rows = lists.action_rows(SessionReader(session), TODAY, plan=plan)
    for row in rows:
        if row.brag.colour.value != "blue":
            finish(manager, row.id)
    with manager.read() as session:
        recs = [r.ref for r in lookups.get_plan(session, plan).recommendations]
    for rec in recs:
        services.sign_off_recommendation(reviewer, plan, rec, OFFICER, TODAY)
    services.sign_off_plan(reviewer, plan, OFFICER, TODAY)


def test_the_officer_who_loads_a_plan_can_review_and_sign_it_off(
    loaded: Store, db_target: str, tmp_path: Path
) -> None:
    """The YOS finishes its plan and sends the file; YJB link staff load it under their own
    name, then review its evidence and sign it off: loading made them no author of it."""
    with loaded.read() as session:
        rows = lists.action_rows(SessionReader(session), TODAY, plan="stockton-2010")
    for row in rows:
        if row.brag.colour.value != "blue":
            finish(loaded, row.id)

    with loaded.read() as session:
        sent = tmp_path / "sent.toml"
        sent.write_text(plan_file_text(SessionReader(session), "stockton-2010"), encoding="utf-8")
    yjb = open_store(db_target)
    services.load_plans(yjb, [("sent.toml", read_plan(sent))], OFFICER)
    yjb.dispose()
    reviewing = open_store(db_target, reviewer=True)
    try:
        item = evidence_ids(reviewing, "stockton-2010/1.2")[0]
        services.review_evidence(reviewing, item, OFFICER, ReviewState.ACCEPTED, TODAY)
        close(reviewing, reviewing)  # nothing left to finish: the file came complete
        with reviewing.read() as session:
            assert lookups.get_plan(session, "stockton-2010").status is PlanStatus.CLOSED
    finally:
        reviewing.dispose()


def test_a_manager_who_added_evidence_still_cannot_review_it(
    reviewer: Store, loaded: Store
) -> None:
    ref = "stockton-2010/2.2"
    added = services.add_evidence(loaded, ref, "Dual Role", "Training register", reference="T/1")
    for name in ("Dual Role", "  dual   ROLE "):  # the same person however the name is typed
        with pytest.raises(ServiceError, match="nobody reviews their own work"):
            services.review_evidence(reviewer, added, name, ReviewState.ACCEPTED, TODAY)
    # and, having added it, cannot sign off its recommendation or the plan
    finish(loaded, "stockton-2010/2.1")
    services.update_action(
        loaded, ref, "Miriam", TODAY, ActionChanges(status=ActionStatus.COMPLETE)
    )
    with pytest.raises(ServiceError, match="nobody signs off their own work"):
        services.sign_off_recommendation(reviewer, "stockton-2010", "2", "Dual Role", TODAY)


def test_the_author_of_a_progress_note_in_the_plan_file_did_the_work(
    reviewer: Store, loaded: Store
) -> None:
    """Miriam Robertson wrote 1.1's progress notes in the plan file: though she never used this
    database, she cannot review that action's evidence; someone else can."""
    item = evidence_ids(loaded, "stockton-2010/1.1")[0]
    with pytest.raises(ServiceError, match=r"Miriam Robertson worked on stockton-2010/1\.1"):
        services.review_evidence(reviewer, item, "Miriam Robertson", ReviewState.ACCEPTED, TODAY)
    services.review_evidence(reviewer, item, OFFICER, ReviewState.ACCEPTED, TODAY)


def test_a_manager_who_recorded_a_step_cannot_close_the_plan(
    reviewer: Store, loaded: Store
) -> None:
    services.record_step(loaded, "halton-warrington-2009", PlanStatus.AGREED, TODAY, "Head")
    services.record_step(loaded, "halton-warrington-2009", PlanStatus.MONITORING, TODAY, "Head")
    with pytest.raises(ServiceError, match="Head worked on plan halton-warrington-2009"):
        services.sign_off_plan(reviewer, "halton-warrington-2009", "Head", TODAY)


# After a sign-off: the work it covers is read-only ------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        lambda s, ref: services.update_action(s, ref, "Miriam", TODAY, ActionChanges(progress=99)),
        lambda s, ref: services.bulk_update(
            s, {ref: None}, "Miriam", TODAY, ActionChanges(lead="Someone else")
        ),
        lambda s, ref: services.add_evidence(s, ref, "Miriam", "Late find", reference="x"),
        lambda s, ref: services.add_note(s, ref, "Miriam", TODAY, "One more thing"),
    ],
    ids=["update", "bulk", "evidence", "note"],
)
def test_a_closed_plans_actions_cannot_change(
    reviewer: Store, loaded: Store, loaded_target: str, write: Any
) -> None:
    close(reviewer, loaded)
    before = snapshot(loaded_target)
    message = (
        rf"plan stockton-2010 was closed on {TODAY.isoformat()} by {re.escape(OFFICER)}: "
        "its actions cannot change"
    )
    with pytest.raises(ServiceError, match=message):
        write(loaded, "stockton-2010/3.2")
    with pytest.raises(ServiceError, match="its evidence cannot be reviewed again"):
        item = evidence_ids(loaded, "stockton-2010/3.2")[0]
        services.review_evidence(reviewer, item, "Other Officer", ReviewState.QUERIED, TODAY, "?")
    with pytest.raises(ServiceError, match="is closed: its sign-offs stand"):
        services.withdraw_sign_off(reviewer, "stockton-2010", "3", "Other Officer", "mistake")
    assert snapshot(loaded_target) == before


def test_cli_update_of_a_closed_plan_exits_1(
    tracker, reviewer: Store, loaded: Store, loaded_target: str
) -> None:  # type: ignore[no-untyped-def]
    close(reviewer, loaded)
    done = tracker("update", "stockton-2010/3.2", "--progress", "10", db=loaded_target)
    assert done.code == 1, done.out
    assert "plan stockton-2010 was closed on 2010-09-15 by" in done.err
    assert "Traceback" not in done.err


def test_a_signed_off_recommendation_is_read_only_until_withdrawn(
    reviewer: Store, loaded: Store
) -> None:
    finish(loaded, "stockton-2010/4.2")
    services.sign_off_recommendation(reviewer, "stockton-2010", "4", OFFICER, TODAY)
    with pytest.raises(ServiceError, match=r"recommendation 4 of stockton-2010 was signed off"):
        services.update_action(
            loaded, "stockton-2010/4.1", "Miriam", TODAY, ActionChanges(progress=90)
        )
    with pytest.raises(ServiceError, match="review withdraw stockton-2010 4"):
        services.add_evidence(loaded, "stockton-2010/4.2", "Miriam", "More", reference="y")
    # the other recommendations' actions are still the service's to change
    services.update_action(loaded, "stockton-2010/3.2", "Miriam", TODAY, ActionChanges(progress=61))
    with pytest.raises(ServiceError, match="only YJB link staff"):
        services.withdraw_sign_off(loaded, "stockton-2010", "4", "Miriam", "reopen")
    with pytest.raises(ServiceError, match="the comment cannot be empty"):
        services.withdraw_sign_off(reviewer, "stockton-2010", "4", OFFICER, " ")
    services.withdraw_sign_off(reviewer, "stockton-2010", "4", OFFICER, "Audit sample too small")
    services.update_action(
        loaded, "stockton-2010/4.1", "Miriam", TODAY, ActionChanges(lead="Anna Jack")
    )
    with loaded.read() as session:
        assert plan_reads.sign_offs(SessionReader(session), "stockton-2010") == []
        trail = action_reads.history(SessionReader(session), "stockton-2010")
    withdrawn = next(e for e in trail if e.field == "sign-off" and e.new and "withdrawn" in e.new)
    assert withdrawn.actor == OFFICER
    assert withdrawn.new == "withdrawn: Audit sample too small"
    assert withdrawn.old is not None and withdrawn.old.startswith("recommendation 4 implemented")
    with pytest.raises(ServiceError, match="recommendation 4 of stockton-2010 is not signed off"):
        services.withdraw_sign_off(reviewer, "stockton-2010", "4", OFFICER, "again")
