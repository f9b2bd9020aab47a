"""Writing a plan through the services (tracker.services.authoring): adding, editing,
withdrawing and restoring actions and recommendations, the plan's own details, a plan started
without a report, and what a withdrawn row leaves (every count, colour, export and digest) and
keeps (its history, its rows). On SQLite and, with the test server, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import TODAY, snapshot
from tracker import rules, services
from tracker.exporters import export_plan
from tracker.exporters.digest import digest
from tracker.queries import action as action_reads
from tracker.queries import lists
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import (
    ConflictError,
    NewAction,
    NothingToChange,
    PlanChanges,
    RecommendationChanges,
    ScoreValue,
    ServiceError,
)
from tracker.store import ReadOnlyError, Store, open_store
from tracker.vocab import InspectionKind, PlanStatus, Rating, Response

PLAN = "stockton-2010"
ME = "Miriam Robertson"


def detail(store: Store, slug: str = PLAN) -> plan_reads.PlanDetail:
    with store.read() as session:
        return plan_reads.plan_detail(SessionReader(session), slug, TODAY)


def plan_row(store: Store, slug: str = PLAN) -> lists.PlanRow:
    with store.read() as session:
        return next(r for r in lists.plan_rows(SessionReader(session), TODAY) if r.id == slug)


def board_report(store: Store, slug: str = PLAN) -> str:
    with store.read() as session:
        return export_plan(SessionReader(session), slug, "md", TODAY).decode()


def history(store: Store, ref: str) -> list[tuple[str, str, str | None]]:
    with store.read() as session:
        return [
            (h.actor, h.field, h.new) for h in action_reads.history(SessionReader(session), ref)
        ]


def test_an_added_action_takes_the_next_free_ref_and_is_audited(loaded: Store) -> None:
    ref = services.add_action(
        loaded,
        f"{PLAN}/3",
        ME,
        TODAY,
        NewAction(
            "Audit ten case files a month for the review triggers",
            lead_role="YOS Manager",
            lead="Team manager (North)",
            target_on=date(2010, 12, 17),
            success_measure="Every trigger met in nine of ten files",
        ),
    )
    assert ref == f"{PLAN}/3.4"
    found = detail(loaded).actions
    added = next(a for a in found if a.id == ref)
    assert (added.recommendation, added.owner, added.lead, added.target) == (
        "3",
        "Head of Service",  # "YOS Manager" is its alias: the canonical name is shown
        "Team manager (North)",
        date(2010, 12, 17),
    )
    fields = {field for actor, field, _ in history(loaded, ref) if actor == ME}
    assert {"added", "text", "owner", "lead", "target_on", "success_measure"} <= fields


def test_a_ref_is_never_reused_even_after_a_withdrawal(loaded: Store) -> None:
    first = services.add_action(loaded, f"{PLAN}/3", ME, TODAY, NewAction("First"))
    services.withdraw_action(loaded, first, ME, TODAY, "written twice")
    second = services.add_action(loaded, f"{PLAN}/3", ME, TODAY, NewAction("Second"))
    assert (first, second) == (f"{PLAN}/3.4", f"{PLAN}/3.5")


def test_a_withdrawn_action_leaves_every_count_colour_export_and_digest(
    loaded: Store, loaded_target: str
) -> None:
    ref = f"{PLAN}/3.3"
    before_rows = {table: len(rows) for table, rows in snapshot(loaded_target).items()}
    total = plan_row(loaded).summary.total
    with loaded.read() as session:
        due = digest(SessionReader(session), TODAY, 3650)
    assert f"{ref} " in due
    services.withdraw_action(loaded, ref, ME, TODAY, "merged into 3.2")

    assert plan_row(loaded).summary.total == total - 1
    shown = detail(loaded)
    assert ref not in {a.id for a in shown.actions}
    assert [(a.id, a.withdrawn, a.withdrawn_reason) for a in shown.withdrawn_actions] == [
        (ref, TODAY, "merged into 3.2")
    ]
    report = board_report(loaded)
    all_actions = report.split("## All actions", 1)[1]
    assert "| 3.3 |" not in all_actions and "| 3.2 |" in all_actions
    with loaded.read() as session:
        reader = SessionReader(session)
        assert f"{ref} " not in digest(reader, TODAY, 3650)
        assert ref not in {a.id for a in lists.action_rows(reader, TODAY)}
        everything = lists.action_rows(reader, TODAY, withdrawn=True)
        assert ref in {a.id for a in everything}
        # Named, it is still found (its screen opens, to restore it).
        assert action_reads.action_detail(reader, ref, TODAY).row.withdrawn == TODAY
    assert [(f, n) for _, f, n in history(loaded, ref)][:2] == [
        ("withdrawn_reason", "merged into 3.2"),
        ("withdrawn_on", TODAY.isoformat()),
    ]

    services.restore_action(loaded, ref, ME)
    assert plan_row(loaded).summary.total == total
    assert ref in {a.id for a in detail(loaded).actions}
    # Nothing was deleted on the way: only audit events were added.
    after_rows = {table: len(rows) for table, rows in snapshot(loaded_target).items()}
    assert after_rows.pop("audit_events") > before_rows.pop("audit_events")
    assert after_rows == before_rows


def test_withdrawing_twice_or_restoring_a_live_action_changes_nothing(loaded: Store) -> None:
    with pytest.raises(NothingToChange, match="not withdrawn"):
        services.restore_action(loaded, f"{PLAN}/3.3", ME)
    services.withdraw_action(loaded, f"{PLAN}/3.3", ME, TODAY, "duplicate")
    with pytest.raises(NothingToChange, match="already withdrawn"):
        services.withdraw_action(loaded, f"{PLAN}/3.3", ME, TODAY, "again")
    with pytest.raises(ServiceError, match="the reason cannot be empty"):
        services.withdraw_action(loaded, f"{PLAN}/3.2", ME, TODAY, "  ")


def test_a_stale_withdrawal_is_a_conflict_and_saves_nothing(
    loaded: Store, loaded_target: str
) -> None:
    ref = f"{PLAN}/3.3"
    version = next(a.version for a in detail(loaded).actions if a.id == ref)
    services.update_action(loaded, ref, "Someone Else", TODAY, services.ActionChanges(progress=55))
    before = snapshot(loaded_target)
    with pytest.raises(ConflictError, match=r"progress: .* -> 55 by Someone Else"):
        services.withdraw_action(loaded, ref, ME, TODAY, "gone", expected_version=version)
    assert snapshot(loaded_target) == before


def test_a_recommendation_is_added_edited_withdrawn_with_its_actions_and_restored(
    loaded: Store,
) -> None:
    rec = services.add_recommendation(
        loaded,
        PLAN,
        ME,
        "Improve the timeliness of referral order panels",
        owners=["Head of Service", "Chair of the Management Board"],
    )
    assert rec == f"{PLAN}/6"
    action = services.add_action(loaded, rec, ME, TODAY, NewAction("Book panels weekly"))
    assert action == f"{PLAN}/6.1"
    services.edit_recommendation(
        loaded,
        rec,
        ME,
        RecommendationChanges(
            response=Response.PARTLY_AGREED, response_reason="Panels are the court's"
        ),
    )
    with pytest.raises(ServiceError, match="'not agreed' needs a reason"):
        services.edit_recommendation(
            loaded, rec, ME, RecommendationChanges(response=Response.NOT_AGREED, response_reason="")
        )
    shown = next(r for r in detail(loaded).recommendations if r.ref == "6")
    assert (shown.owners, shown.response, shown.response_reason) == (
        ["Head of Service", "Chair of the Management Board"],
        "partly agreed",
        "Panels are the court's",
    )
    recs = plan_row(loaded)
    services.withdraw_recommendation(loaded, rec, ME, TODAY, "answered by 3")
    after = detail(loaded)
    assert "6" not in {r.ref for r in after.recommendations}
    assert [r.ref for r in after.withdrawn_recommendations] == ["6"]
    assert [a.id for a in after.withdrawn_actions] == [action]
    assert plan_row(loaded).summary.total == recs.summary.total - 1
    with pytest.raises(ServiceError, match=r"recommendation 6 .* is withdrawn"):
        services.add_action(loaded, rec, ME, TODAY, NewAction("Another"))
    with pytest.raises(ServiceError, match="its recommendation 6 is withdrawn"):
        services.restore_action(loaded, action, ME)
    services.restore_recommendation(loaded, rec, ME)
    back = detail(loaded)
    assert "6" in {r.ref for r in back.recommendations}
    assert action in {a.id for a in back.actions}


def test_rewording_a_recommendation_of_an_agreed_plan_needs_confirming_and_is_marked(
    loaded: Store, loaded_target: str
) -> None:
    assert detail(loaded).status is PlanStatus.MONITORING
    # The last board report was for an earlier meeting than the next one's (a report for the
    # same meeting repeats its papers: issue 15).
    services.record_board_report(
        loaded, PLAN, ME, "md", issued_at=datetime.now(UTC) - timedelta(days=60)
    )
    before = snapshot(loaded_target)
    words = RecommendationChanges(text="Make sure every risk assessment is reviewed on time")
    with pytest.raises(services.NeedsConfirmation, match="will be marked in the next board"):
        services.edit_recommendation(loaded, f"{PLAN}/3", ME, words)
    assert snapshot(loaded_target) == before
    services.edit_recommendation(loaded, f"{PLAN}/3", ME, words, confirmed=True)
    changes = board_report(loaded).split("## What changed since", 1)[1].split("\n## ", 1)[0]
    assert "wording changed after the plan was agreed" in changes
    assert "Make sure every risk assessment is reviewed on time" in changes


def test_the_plans_details_move_its_clock(loaded: Store) -> None:
    slug = "cambridgeshire-2014"
    version = detail(loaded, slug).version
    services.edit_plan(
        loaded,
        slug,
        ME,
        PlanChanges(
            published=date(2014, 4, 30),
            title="Cambridgeshire YOS improvement plan",
            scores=[ScoreValue("Overall", rating=Rating.GOOD)],
        ),
        expected_version=version,
    )
    shown = detail(loaded, slug)
    assert (shown.published, shown.submission_due, shown.title) == (
        date(2014, 4, 30),
        date(2014, 5, 28),
        "Cambridgeshire YOS improvement plan",
    )
    assert [s.text() for s in shown.scores] == ["Overall Good"]
    assert shown.version > version
    # The publication date lives on the inspection's row; the plan's version still moved,
    # so an editor who read the old details is told.
    with pytest.raises(ConflictError, match=r"published: 2014-04-23 -> 2014-04-30 by Miriam"):
        services.edit_plan(
            loaded, slug, "Other", PlanChanges(area="Peterborough"), expected_version=version
        )
    with pytest.raises(ServiceError, match=r"board meetings: "):
        services.edit_plan(loaded, slug, ME, PlanChanges(board_meetings="EVERY TUESDAY"))


def test_a_plan_started_without_a_report_is_not_ready_until_written(loaded: Store) -> None:
    slug = services.new_plan(
        loaded, ME, "Stockton-on-Tees", InspectionKind.RATED_2018, date(2026, 11, 20)
    )
    assert slug == "stockton-on-tees-2026"
    again = services.new_plan(
        loaded, ME, "Stockton-on-Tees", InspectionKind.RATED_2018, date(2026, 11, 20)
    )
    assert again == "stockton-on-tees-2026-2"
    assert not detail(loaded, slug).readiness.ready  # type: ignore[union-attr]
    with pytest.raises(services.NotReady, match="no recommendations"):
        services.record_step(loaded, slug, PlanStatus.SUBMITTED, date(2026, 12, 1), ME)
    rec = services.add_recommendation(loaded, slug, ME, "Improve the quality of assessments")
    services.add_action(
        loaded,
        rec,
        ME,
        TODAY,
        NewAction(
            "Quality assurance of every assessment",
            lead_role="Head of Service",
            target_on=date(2027, 3, 31),
            success_measure="Nine in ten good",
        ),
    )
    ready = detail(loaded, slug).readiness
    assert ready is not None and ready.ready, ready
    services.record_step(loaded, slug, PlanStatus.SUBMITTED, date(2026, 12, 1), ME)
    assert detail(loaded, slug).status is PlanStatus.SUBMITTED


def test_a_plan_submitted_anyway_says_so_in_its_board_report(loaded: Store) -> None:
    slug = "cambridgeshire-2014"
    with loaded.read() as session:
        ready = plan_reads.readiness(SessionReader(session), slug)
    assert ready.summary() == ("3 of 3 recommendations have actions; 1 action lacks a target date")
    services.record_step(loaded, slug, PlanStatus.SUBMITTED, date(2014, 5, 20), ME, anyway=True)
    report = board_report(loaded, slug)
    assert "not ready: it went in incomplete" in report
    assert "| What it lacked | action 2.3 has no target date |" in report


@pytest.fixture
def reviewer(loaded_target: str, loaded: Store) -> Iterator[Store]:
    store = open_store(loaded_target, reviewer=True)
    yield store
    store.dispose()


WRITES = {
    "add action": lambda s: services.add_action(s, f"{PLAN}/3", ME, TODAY, NewAction("x")),
    "withdraw action": lambda s: services.withdraw_action(s, f"{PLAN}/3.3", ME, TODAY, "x"),
    "restore action": lambda s: services.restore_action(s, f"{PLAN}/3.3", ME),
    "add recommendation": lambda s: services.add_recommendation(s, PLAN, ME, "x"),
    "edit recommendation": lambda s: services.edit_recommendation(
        s, f"{PLAN}/3", ME, RecommendationChanges(theme="x")
    ),
    "withdraw recommendation": lambda s: services.withdraw_recommendation(
        s, f"{PLAN}/3", ME, TODAY, "x"
    ),
    "edit plan": lambda s: services.edit_plan(s, PLAN, ME, PlanChanges(title="x")),
    "new plan": lambda s: services.new_plan(s, ME, "Hartlepool", InspectionKind.OTHER, TODAY),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_reviewer_writes_no_plan_content(reviewer: Store, loaded_target: str, write) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(loaded_target)
    with pytest.raises(ServiceError, match="review mode: plan content is read-only"):
        write(reviewer)
    assert snapshot(loaded_target) == before


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_read_only_session_writes_nothing(loaded_target: str, loaded: Store, write) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(loaded_target)
    store = open_store(loaded_target, read_only=True)
    try:
        with pytest.raises((ReadOnlyError, ServiceError)):
            write(store)
    finally:
        store.dispose()
    assert snapshot(loaded_target) == before


def test_rules_and_reads_agree_on_readiness(loaded: Store) -> None:
    for slug in ("stockton-2010", "cambridgeshire-2014", "halton-warrington-2009"):
        shown = detail(loaded, slug)
        with loaded.read() as session:
            assert plan_reads.readiness(SessionReader(session), slug) == shown.readiness
        assert isinstance(shown.readiness, rules.Readiness)


def test_a_plan_whose_meetings_count_from_its_publication_can_still_be_edited(
    loaded: Store,
) -> None:
    # stockton-2010's board meets on a pattern with no first meeting of its own: the meetings
    # count from the publication date (docs/rules.md), and nothing refuses its other edits.
    before = detail(loaded)
    assert before.board_meetings and before.board_meetings_start is None
    assert before.next_meeting is not None
    services.edit_plan(loaded, PLAN, ME, PlanChanges(title="Stockton YOS plan"))
    assert detail(loaded).title == "Stockton YOS plan"
