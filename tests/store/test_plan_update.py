"""Applying a plan file to its plan in the database (tracker.services.update_plan, behind `tracker
load --update` and `tracker edit`), on a real database: an unchanged file changes nothing, a
changed one makes exactly its changes (audited, field by field), a file written before a later
edit of a row it changes is refused whole, a dry run writes nothing; and the plan file's new
keys (withdrawals, the response's reason, a plan submitted incomplete, versions) round-trip."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import SAMPLES, TODAY, snapshot
from tests.support.signoffs import sign_off_4
from tracker import services
from tracker.errors import ConflictError, ServiceError, StoreError
from tracker.models import AuditEvent
from tracker.planfile import (
    ActionDoc,
    EvidenceDoc,
    PlanDoc,
    RecommendationDoc,
    UpdateDoc,
    parse_plan,
    render_plan,
)
from tracker.queries import lookups
from tracker.queries.plandoc import plan_doc
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, FileRefused, NeedsConfirmation, RecommendationChanges
from tracker.store import Store, database_url, open_store, sqlite_file
from tracker.vocab import PlanStatus, Response, ReviewState

PLAN = "stockton-2010"
LEAD = "Miriam Robertson"


def dumped(store: Store, plan: str = PLAN) -> str:
    with store.read() as session:
        return render_plan(plan_doc(SessionReader(session), plan))


def doc_of(text: str) -> PlanDoc:
    return parse_plan(text.encode(), "edited.toml")


def rec(doc: PlanDoc, ref: str) -> RecommendationDoc:
    return next(r for r in doc.recommendations if r.ref == ref)


def action(doc: PlanDoc, ref: str) -> ActionDoc:
    return next(a for r in doc.recommendations for a in r.actions if a.ref == ref)


def unversioned(doc: PlanDoc) -> PlanDoc:
    doc.version = None
    for r in doc.recommendations:
        r.version = None
        for a in r.actions:
            a.version = None
    return doc


def database(target: str) -> Any:
    """Everything the database holds: SQLite's own dump of a file, or every row of a server's."""
    path = sqlite_file(database_url(target))
    if path is None:
        return snapshot(target)
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def last_event(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def events_after(store: Store, first: int) -> set[tuple[str, str, str | None, str | None]]:
    with store.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.id > first))
        return {(e.entity_ref, e.field, e.old_value, e.new_value) for e in rows}


def update(store: Store, doc: PlanDoc, **options: Any) -> services.UpdateReport:
    report: services.UpdateReport = services.update_plan(store, doc, LEAD, TODAY, **options)
    return report


def test_an_unchanged_file_changes_nothing(loaded: Store, loaded_target: str) -> None:
    before = database(loaded_target)
    for sample in SAMPLES:
        report = update(loaded, doc_of(dumped(loaded, sample.stem)))
        assert (report.plan, report.lines, report.warnings) == (sample.stem, [], [])
        assert not report.changed
    assert database(loaded_target) == before


def test_a_changed_file_makes_exactly_its_changes(loaded: Store) -> None:
    doc = doc_of(dumped(loaded))
    doc.title = "Stockton improvement plan"
    doc.board_meetings_start = date(2010, 1, 12)
    action(doc, "1.2").withdrawn = TODAY
    action(doc, "1.2").withdrawn_reason = "Merged into 1.1"
    panel = action(doc, "3.2")
    panel.target = date(2011, 1, 31)
    panel.lead = "Pat Lee"
    panel.updates.append(UpdateDoc(TODAY, "Pat Lee", "Panel met again"))
    panel.evidence.append(EvidenceDoc(title="Panel minutes", reference="MIN/10"))
    rec(doc, "5").theme = "leadership"
    rec(doc, "5").actions.append(
        ActionDoc(
            ref="5.4",
            text="Report to the Board quarterly",
            lead="Pat Lee",
            target=date(2010, 12, 14),
        )
    )
    first = last_event(loaded)
    report = update(loaded, doc)
    assert report.lines == [
        '~ plan stockton-2010 title: "Improvement plan: Stockton on Tees YOS, Core Case '
        'Inspection 2009" -> "Stockton improvement plan"',
        "~ plan stockton-2010 board_meetings_start: (none) -> 2010-01-12",
        "- action 1.2 withdrawn on 2010-09-15: Merged into 1.1",
        '~ action 3.2 lead: "Team Manager (Court and Custody)" -> "Pat Lee"',
        "~ action 3.2 target: 2010-12-31 -> 2011-01-31",
        '+ action 3.2 note 2010-09-15 by Pat Lee: "Panel met again"',
        '+ action 3.2 evidence "Panel minutes" (MIN/10)',
        '~ recommendation 5 theme: "outcome data" -> "leadership"',
        '+ action 5.4 "Report to the Board quarterly"',
        '    lead: "Pat Lee"',
        "    target: 2010-12-14",
    ]
    title = "Improvement plan: Stockton on Tees YOS, Core Case Inspection 2009"
    assert events_after(loaded, first) == {
        (PLAN, "title", title, "Stockton improvement plan"),
        (PLAN, "board_meetings_start", None, "2010-01-12"),
        (f"{PLAN}/1.2", "withdrawn_on", None, "2010-09-15"),
        (f"{PLAN}/1.2", "withdrawn_reason", None, "Merged into 1.1"),
        (f"{PLAN}/3.2", "lead", "Team Manager (Court and Custody)", "Pat Lee"),
        (f"{PLAN}/3.2", "target_on", "2010-12-31", "2011-01-31"),
        (f"{PLAN}/3.2", "note", None, "Panel met again"),
        (f"{PLAN}/3.2", "evidence", None, "Panel minutes: MIN/10"),
        (f"{PLAN}/5", "theme", "outcome data", "leadership"),
        (f"{PLAN}/5.4", "added", None, "5"),
        (f"{PLAN}/5.4", "text", None, "Report to the Board quarterly"),
        (f"{PLAN}/5.4", "lead", None, "Pat Lee"),
        (f"{PLAN}/5.4", "target_on", None, "2010-12-14"),
        (f"{PLAN}/5.4", "status", None, "not started"),
    }
    # The database now holds what the file says (each changed row at its next version).
    assert unversioned(doc_of(dumped(loaded))) == unversioned(doc)
    with loaded.read() as session:
        assert lookups.get_action(session, f"{PLAN}/3.2").version == 2


def test_a_file_written_before_a_later_edit_is_refused_whole(
    loaded: Store, loaded_target: str
) -> None:
    text = dumped(loaded)
    services.update_action(
        loaded, f"{PLAN}/3.2", "Pat Lee", TODAY, ActionChanges(target_on=date(2010, 11, 30))
    )
    doc = doc_of(text)
    action(doc, "3.2").progress = 75
    action(doc, "3.1").progress = 75  # a row nobody else touched: refused with the rest
    before = database(loaded_target)
    with pytest.raises(ConflictError) as caught:
        update(loaded, doc)
    message = str(caught.value)
    assert (
        "action 3.2 (the file's version 1, now 2): changed since: target_on: 2010-12-31 -> "
        "2010-11-30 by Pat Lee; the file changes target, progress" in message
    )
    assert message.endswith(
        "Nothing was saved: dump the plan again (or `tracker edit stockton-2010`) and make your "
        "changes to that."
    )
    assert [e.field for e in caught.value.changes] == ["target_on"]
    assert database(loaded_target) == before
    # A file that leaves the row alone goes in, whatever moved on meanwhile.
    action(doc, "3.2").progress = 60
    action(doc, "3.2").target = date(2010, 12, 31)
    with pytest.raises(ConflictError):
        update(loaded, doc)  # the old target is a change to a row that moved on
    action(doc, "3.2").target = date(2010, 11, 30)
    assert update(loaded, doc).lines == ["~ action 3.1 progress: 70 -> 75"]


def test_a_dry_run_writes_nothing_and_says_what_the_update_would_do(
    loaded: Store, loaded_target: str
) -> None:
    doc = doc_of(dumped(loaded))
    action(doc, "2.2").target = date(2010, 10, 5)
    rec(doc, "2").actions.append(ActionDoc(ref="2.9", text="One more"))
    before = database(loaded_target)
    dry = update(loaded, doc, dry_run=True)
    assert dry.dry_run and dry.changed
    assert dry.lines == [
        "~ action 2.2 target: 2010-10-01 -> 2010-10-05",
        '+ action 2.3 "One more" (the file\'s 2.9: the next free ref under recommendation 2)',
    ]
    assert database(loaded_target) == before
    done = update(loaded, doc)
    assert (done.dry_run, done.lines) == (False, dry.lines)


def test_thirty_actions_added_at_once(loaded: Store) -> None:
    doc = doc_of(dumped(loaded))
    rec(doc, "2").actions += [
        ActionDoc(ref=f"2.{n}", text=f"Step {n}", target=date(2010, 12, n % 28 + 1))
        for n in range(3, 33)
    ]
    first = last_event(loaded)
    report = update(loaded, doc)
    assert sum(line.startswith("+ action 2.") for line in report.lines) == 30
    added = [e for e in events_after(loaded, first) if e[1] == "added"]
    assert len(added) == 30
    assert unversioned(doc_of(dumped(loaded))) == unversioned(doc)


def test_a_recommendation_withdrawn_and_restored_by_file(loaded: Store) -> None:
    original = unversioned(doc_of(dumped(loaded)))
    doc = doc_of(dumped(loaded))
    gone = rec(doc, "3")
    gone.withdrawn, gone.withdrawn_reason = TODAY, "Merged into 2"
    for a in gone.actions:
        a.withdrawn, a.withdrawn_reason = TODAY, "with recommendation 3: Merged into 2"
    report = update(loaded, doc)
    assert report.lines == [
        "- recommendation 3 withdrawn on 2010-09-15: Merged into 2 (with its actions 3.1, 3.2, 3.3)"
    ]
    assert unversioned(doc_of(dumped(loaded))) == unversioned(doc)
    back = doc_of(dumped(loaded))
    back_rec = rec(back, "3")
    back_rec.withdrawn = back_rec.withdrawn_reason = None
    for a in back_rec.actions:
        a.withdrawn = a.withdrawn_reason = None
    assert update(loaded, back).lines == [
        "+ recommendation 3 restored (with its actions 3.1, 3.2, 3.3)"
    ]
    assert unversioned(doc_of(dumped(loaded))) == original


def test_reviewer_and_read_only_stores_refuse(loaded_target: str) -> None:
    reviewer = open_store(loaded_target, reviewer=True)
    reading = open_store(loaded_target, read_only=True)
    try:
        doc = doc_of(dumped(reviewer))
        with pytest.raises(ServiceError, match="review mode"):
            services.update_plan(reviewer, doc, LEAD, TODAY)
        with pytest.raises(StoreError, match="read-only"):
            services.update_plan(reading, doc, LEAD, TODAY, dry_run=True)
    finally:
        reviewer.dispose()
        reading.dispose()


def test_what_the_services_refuse_refuses_the_whole_file(loaded: Store, loaded_target: str) -> None:
    reviewer = open_store(loaded_target, reviewer=True)
    try:
        sign_off_4(loaded, reviewer)
    finally:
        reviewer.dispose()
    doc = doc_of(dumped(loaded))
    action(doc, "3.1").progress = 90
    action(doc, "4.1").text = "Reworded after sign-off"
    before = database(loaded_target)
    with pytest.raises(ServiceError) as caught:
        update(loaded, doc)
    assert "cannot make the change `~ action 4.1 text:" in str(caught.value)
    assert "was signed off as implemented" in str(caught.value)
    assert database(loaded_target) == before


def test_what_a_file_cannot_change_is_listed(loaded: Store, loaded_target: str) -> None:
    doc = doc_of(dumped(loaded))
    action(doc, "3.2").updates[0].text = "Reworded"
    rec(doc, "1").actions.pop()
    doc.agreed = date(2010, 2, 23)
    before = database(loaded_target)
    with pytest.raises(FileRefused) as caught:
        update(loaded, doc)
    problems = caught.value.problems
    assert len(problems) == 3
    assert str(caught.value).startswith(
        "plan stockton-2010: the file cannot be applied, nothing was saved:\n  - plan "
        "stockton-2010: agreed: 2010-02-22 -> 2010-02-23: a lifecycle step"
    )
    assert any("action 1.3 is not in the file" in p for p in problems)
    assert any("is changed in the file: progress notes are never changed" in p for p in problems)
    assert database(loaded_target) == before


def test_a_recommendations_text_after_agreement_needs_confirming(loaded: Store) -> None:
    doc = doc_of(dumped(loaded))
    rec(doc, "2").text = "Reworded"
    with pytest.raises(NeedsConfirmation, match="is monitoring"):
        update(loaded, doc)
    first = last_event(loaded)
    assert update(loaded, doc, confirmed=True).lines[0].startswith("~ recommendation 2 text:")
    assert [e[1] for e in events_after(loaded, first)] == [services.TEXT_AFTER_AGREEMENT]


def test_the_yjbs_review_is_kept(loaded: Store) -> None:
    doc = doc_of(dumped(loaded))
    reviewed = action(doc, "4.1").evidence[0]
    reviewed.review, reviewed.reviewer, reviewed.reviewed = ReviewState.QUERIED, "Me", TODAY
    report = update(loaded, doc)
    assert report.lines == []
    assert "the review is the YJB's, kept" in report.warnings[0]


def test_withdrawals_reasons_gaps_and_versions_round_trip(loaded: Store, store: Store) -> None:
    services.withdraw_action(loaded, f"{PLAN}/1.2", LEAD, TODAY, "Merged into 1.1")
    services.withdraw_recommendation(loaded, f"{PLAN}/3", LEAD, TODAY, "Merged into 2")
    services.edit_recommendation(
        loaded,
        f"{PLAN}/5",
        LEAD,
        RecommendationChanges(response=Response.PARTLY_AGREED, response_reason="Board cost"),
    )
    cambs = "cambridgeshire-2014"
    services.record_step(loaded, cambs, PlanStatus.SUBMITTED, date(2014, 5, 19), LEAD, anyway=True)
    for plan in (PLAN, cambs):
        first = dumped(loaded, plan)
        # The format round-trips whole, reviews included (a manager's own load keeps a file's
        # reviews only "as stated": tests/cli/test_load_decisions.py).
        services.load_plans(store, [("sent.toml", doc_of(first))], "YJB", decisions_from_file=True)
        assert dumped(store, plan) == first
    text = dumped(store, PLAN)
    assert 'response_reason = "Board cost"' in text
    assert 'withdrawn_reason = "with recommendation 3: Merged into 2"' in text
    assert "version = 2" in text
    assert "submitted_incomplete = [" in dumped(store, cambs)
