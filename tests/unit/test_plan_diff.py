"""The differences between a plan in the database and a plan file (tracker.services.plan_diff),
without a database: what `tracker load --update` would change, refuse, or keep with a warning.
The database's side is a sample plan as a dump would give it (every row at version 1)."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date

from conftest import ROOT, SAMPLES
from tracker.planfile import (
    ActionDoc,
    EvidenceDoc,
    PlanDoc,
    RecommendationDoc,
    UpdateDoc,
    read_plan,
)
from tracker.services.plan_diff import (
    AddAction,
    AddEvidence,
    AddNote,
    AddRecommendation,
    Restore,
    Withdraw,
    diff_plan,
)
from tracker.vocab import ActionStatus, PlanStatus, ReviewState

TODAY = date(2010, 9, 15)


def stockton() -> PlanDoc:
    """The Stockton sample as the database holds it: every row at version 1."""
    doc = read_plan(SAMPLES[2])
    doc.version = 1
    for rec in doc.recommendations:
        rec.version = 1
        for action in rec.actions:
            action.version = 1
    return doc


def rec(doc: PlanDoc, ref: str) -> RecommendationDoc:
    return next(r for r in doc.recommendations if r.ref == ref)


def action(doc: PlanDoc, ref: str) -> ActionDoc:
    return next(a for r in doc.recommendations for a in r.actions if a.ref == ref)


def edited() -> tuple[PlanDoc, PlanDoc]:
    now = stockton()
    return now, copy.deepcopy(now)


def test_an_unchanged_file_changes_nothing() -> None:
    for sample in SAMPLES:
        doc = read_plan(sample)
        diff = diff_plan(doc, copy.deepcopy(doc), TODAY)
        assert (diff.changes, diff.refusals, diff.stale, diff.warnings) == ([], [], [], [])


def test_changed_fields_are_each_an_edit_line() -> None:
    now, want = edited()
    action(want, "3.2").target = date(2011, 1, 31)
    action(want, "3.2").status = ActionStatus.BLOCKED
    action(want, "3.2").lead = None
    rec(want, "3").theme = "compliance"
    want.title = "Stockton improvement plan"
    want.inspection.published = date(2010, 1, 7)
    diff = diff_plan(now, want, TODAY)
    assert diff.refusals == [] and diff.stale == []
    assert diff.lines() == [
        '~ plan stockton-2010 title: "Improvement plan: Stockton on Tees YOS, Core Case '
        'Inspection 2009" -> "Stockton improvement plan"',
        "~ plan stockton-2010 inspection.published: 2010-01-06 -> 2010-01-07",
        '~ recommendation 3 theme: "compliance and enforcement" -> "compliance"',
        '~ action 3.2 lead: "Team Manager (Court and Custody)" -> (none)',
        "~ action 3.2 target: 2010-12-31 -> 2011-01-31",
        "~ action 3.2 status: in progress -> blocked",
    ]


def test_new_actions_take_the_next_free_ref_and_say_when_it_is_not_the_files() -> None:
    now, want = edited()
    rec(want, "3").actions.append(ActionDoc(ref="3.4", text="Next"))
    rec(want, "3").actions.append(ActionDoc(ref="3.9", text="Later", target=date(2010, 12, 1)))
    rec(want, "2").actions.append(ActionDoc(ref="new", text="Elsewhere"))
    diff = diff_plan(now, want, TODAY)
    adds = [c for c in diff.changes if isinstance(c, AddAction)]
    assert [(a.ref, a.doc.ref) for a in adds] == [("2.3", "new"), ("3.4", "3.4"), ("3.5", "3.9")]
    lines = diff.lines()
    assert '+ action 3.4 "Next"' in lines
    assert (
        '+ action 3.5 "Later" (the file\'s 3.9: the next free ref under recommendation 3)' in lines
    )
    assert "    target: 2010-12-01" in lines


def test_thirty_new_actions_are_numbered_in_turn() -> None:
    now, want = edited()
    rec(want, "5").actions += [ActionDoc(ref=f"5.{n}", text=f"Step {n}") for n in range(4, 34)]
    diff = diff_plan(now, want, TODAY)
    assert [c.ref for c in diff.changes if isinstance(c, AddAction)] == [
        f"5.{n}" for n in range(4, 34)
    ]
    assert diff.refusals == []


def test_a_new_recommendation_and_its_actions() -> None:
    now, want = edited()
    want.recommendations.append(
        RecommendationDoc(
            ref="9",
            text="Extra",
            owners=["YOS Manager"],
            actions=[ActionDoc(ref="9.1", text="Do it"), ActionDoc(ref="x", text="And this")],
        )
    )
    diff = diff_plan(now, want, TODAY)
    assert isinstance(diff.changes[0], AddRecommendation) and diff.changes[0].ref == "6"
    assert [c.ref for c in diff.changes[1:] if isinstance(c, AddAction)] == ["6.1", "6.2"]
    assert diff.lines()[:2] == [
        '+ recommendation 6 "Extra" (the file\'s 9: the next free recommendation ref)',
        '    owners: ["YOS Manager"]',
    ]


def test_nothing_is_removed_by_leaving_it_out() -> None:
    now, want = edited()
    rec(want, "1").actions = [a for a in rec(want, "1").actions if a.ref != "1.2"]
    want.recommendations = [r for r in want.recommendations if r.ref != "4"]
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == []
    assert any(
        p.startswith("action 1.2 is not in the file: nothing is removed by leaving it out")
        and 'withdrawn = 2010-09-15 and withdrawn_reason = "why"' in p
        for p in diff.refusals
    )
    assert any(p.startswith("recommendation 4 is not in the file") for p in diff.refusals)
    assert any(p.startswith("action 4.1 is not in the file") for p in diff.refusals)


def test_an_action_cannot_move_to_another_recommendation() -> None:
    now, want = edited()
    moved = rec(want, "1").actions.pop()
    rec(want, "2").actions.append(moved)
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == []
    assert diff.refusals == [
        "action 1.3 belongs to recommendation 1, and the file puts it under recommendation 2: "
        "an action cannot move (withdraw it, and add a new one where it belongs)"
    ]


def test_withdrawing_and_restoring_an_action() -> None:
    now, want = edited()
    action(want, "1.2").withdrawn = date(2010, 9, 14)
    action(want, "1.2").withdrawn_reason = "Merged into 1.1"
    action(now, "2.1").withdrawn = date(2010, 9, 1)
    action(now, "2.1").withdrawn_reason = "Paused"
    diff = diff_plan(now, want, TODAY)
    assert diff.lines() == [
        "- action 1.2 withdrawn on 2010-09-14: Merged into 1.1",
        "+ action 2.1 restored",
    ]
    assert isinstance(diff.changes[0], Withdraw) and isinstance(diff.changes[1], Restore)


def test_a_withdrawal_cannot_be_dated_after_today() -> None:
    now, want = edited()
    action(want, "1.2").withdrawn = date(2010, 9, 16)
    action(want, "1.2").withdrawn_reason = "Early"
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == []
    assert diff.refusals == [
        "action 1.2 cannot be withdrawn after today (2010-09-16 is after 2010-09-15)"
    ]


def test_a_withdrawal_cannot_be_reworded() -> None:
    now, want = edited()
    for doc, reason in ((now, "Paused"), (want, "Stopped")):
        action(doc, "2.1").withdrawn = date(2010, 9, 1)
        action(doc, "2.1").withdrawn_reason = reason
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == [] and "a file cannot change when or why" in diff.refusals[0]


def test_a_recommendation_withdrawn_takes_its_live_actions_with_it() -> None:
    now, want = edited()
    action(now, "3.3").withdrawn = date(2010, 8, 1)
    action(now, "3.3").withdrawn_reason = "Dropped"
    rec(want, "3").withdrawn = date(2010, 9, 15)
    rec(want, "3").withdrawn_reason = "Merged into 2"
    for a in rec(want, "3").actions[:2]:
        a.withdrawn, a.withdrawn_reason = date(2010, 9, 15), "with recommendation 3: Merged into 2"
    action(want, "3.3").withdrawn = date(2010, 8, 1)
    action(want, "3.3").withdrawn_reason = "Dropped"
    diff = diff_plan(now, want, TODAY)
    assert (diff.refusals, diff.warnings) == ([], [])
    assert diff.lines() == [
        "- recommendation 3 withdrawn on 2010-09-15: Merged into 2 (with its actions 3.1, 3.2)"
    ]
    # Restoring it brings back the actions that went with it, not the one withdrawn before.
    back = diff_plan(copy.deepcopy(want), copy.deepcopy(now), TODAY)
    assert back.lines() == ["+ recommendation 3 restored (with its actions 3.1, 3.2)"]


def test_an_action_withdrawn_with_its_recommendation_says_how_the_tracker_words_it() -> None:
    now, want = edited()
    rec(want, "3").withdrawn = date(2010, 9, 15)
    rec(want, "3").withdrawn_reason = "Merged into 2"
    for a in rec(want, "3").actions:
        a.withdrawn, a.withdrawn_reason = date(2010, 9, 15), "Merged"
    diff = diff_plan(now, want, TODAY)
    assert diff.lines() == [
        "- recommendation 3 withdrawn on 2010-09-15: Merged into 2 (with its actions 3.1, 3.2, 3.3)"
    ]
    assert diff.warnings[0] == (
        "action 3.1 is withdrawn with recommendation 3, as the tracker records it: on "
        '2010-09-15, "with recommendation 3: Merged into 2"'
    )


def test_a_row_changed_since_the_file_was_written_is_stale() -> None:
    now, want = edited()
    action(now, "3.2").version = 3  # someone else changed it twice since
    action(want, "3.2").progress = 65
    action(want, "1.1").progress = 99  # a row still at the file's version: fine on its own
    diff = diff_plan(now, want, TODAY)
    assert [(s.entity, s.ref, s.file_version, s.version, s.keys) for s in diff.stale] == [
        ("action", "3.2", 1, 3, ("progress",))
    ]
    assert [c.ref for c in diff.changes] == ["1.1"]
    # A stale row the file does not change is no conflict.
    action(want, "3.2").progress = 60
    assert diff_plan(now, want, TODAY).stale == []


def test_a_file_newer_than_the_database_is_refused() -> None:
    now, want = edited()
    action(want, "3.2").version = 5
    action(want, "3.2").progress = 65
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == []
    assert "the file was not written from this database" in diff.refusals[0]


def test_a_file_without_versions_is_taken_as_current() -> None:
    now = stockton()
    want = read_plan(SAMPLES[2])  # no versions
    action(want, "3.2").progress = 65
    diff = diff_plan(now, want, TODAY)
    assert diff.stale == [] and diff.lines() == ["~ action 3.2 progress: 60 -> 65"]


def test_notes_are_added_never_changed_or_removed() -> None:
    now, want = edited()
    action(want, "3.2").updates.append(UpdateDoc(TODAY, "Pat Lee", "Panel met"))
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == [AddNote("3.2", UpdateDoc(TODAY, "Pat Lee", "Panel met"))]
    assert diff.lines() == ['+ action 3.2 note 2010-09-15 by Pat Lee: "Panel met"']
    action(want, "3.2").updates[0].text = "Reworded"
    action(want, "3.3").updates.pop()
    action(want, "1.1").updates.append(UpdateDoc(date(2010, 9, 16), "Pat", "Tomorrow"))
    refused = diff_plan(now, want, TODAY).refusals
    assert refused[0].startswith("action 1.1: a progress note cannot be dated after today")
    assert refused[1].startswith(
        'action 3.2: the progress note of 2010-04-13 by Team Manager (Court and Custody) ("First'
    ) and refused[1].endswith(
        "is changed in the file: progress notes are never changed (add a new one)"
    )
    assert refused[2].startswith("action 3.3: the progress note of 2010-09-14 by Business")
    assert "is not in the file: progress notes are never removed" in refused[2]


def test_evidence_is_added_and_its_review_is_the_yjbs() -> None:
    now, want = edited()
    accepted = action(want, "4.1").evidence[0]
    accepted.review, accepted.reviewer, accepted.reviewed = ReviewState.PENDING, None, None
    action(want, "3.2").evidence.append(
        EvidenceDoc(title="Panel minutes", reference="MIN/9", review=ReviewState.ACCEPTED)
    )
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == [
        AddEvidence(
            "3.2",
            EvidenceDoc(title="Panel minutes", reference="MIN/9", review=ReviewState.ACCEPTED),
        )
    ]
    assert diff.lines() == ['+ action 3.2 evidence "Panel minutes" (MIN/9)']
    assert diff.warnings == [
        'action 3.2: new evidence "Panel minutes" is added as pending review (the file says '
        "accepted): the review is the YJB's",
        'action 4.1: evidence "Management oversight procedure (May 2010)" is accepted by YJB '
        "link officer (North East) on 2010-06-22 in the database, pending in the file: the "
        "review is the YJB's, kept",
    ]
    action(want, "3.2").evidence[0].title = "Compliance data (retitled)"
    refused = diff_plan(now, want, TODAY).refusals
    assert refused == [
        'action 3.2: evidence "Compliance data, April to June 2010" is not in the file: '
        "evidence is never removed (if it was added since the file was written, dump the plan "
        "again)"
    ]


def test_lifecycle_steps_are_refused_and_closing_is_kept() -> None:
    now, want = edited()
    want.status = PlanStatus.CLOSED
    want.closed = date(2010, 9, 15)
    diff = diff_plan(now, want, TODAY)
    assert diff.refusals == [] and diff.changes == []
    assert diff.warnings == [
        "plan stockton-2010: closing a plan is the YJB's sign-off, not a file's: kept status "
        "monitoring, closed (none)"
    ]
    now, want = edited()
    want.agreed = date(2010, 2, 23)
    want.notes = "Other notes"
    refused = diff_plan(now, want, TODAY).refusals
    assert refused[0].startswith(
        "plan stockton-2010: agreed: 2010-02-22 -> 2010-02-23: a lifecycle"
    )
    assert "tracker step stockton-2010 STEP --on DATE" in refused[0]
    assert refused[1].startswith("plan stockton-2010: notes cannot be changed by a file")


def test_a_new_row_cannot_start_withdrawn() -> None:
    now, want = edited()
    rec(want, "5").actions.append(
        ActionDoc(ref="5.4", text="Gone", withdrawn=TODAY, withdrawn_reason="No")
    )
    assert diff_plan(now, want, TODAY).refusals == [
        "action 5.4 is new: it cannot start withdrawn (add it, then withdraw it)"
    ]


def test_reordering_is_kept_with_a_warning() -> None:
    now, want = edited()
    want.recommendations.reverse()
    rec(want, "1").actions.reverse()
    diff = diff_plan(now, want, TODAY)
    assert diff.changes == [] and diff.refusals == []
    assert len(diff.warnings) == 2 and "order is kept" in diff.warnings[0]


def test_the_diff_needs_no_database() -> None:
    code = (
        "import sys; import tracker.services.plan_diff; "
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
