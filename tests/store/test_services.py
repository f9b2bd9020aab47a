"""The write path on a real SQLite file: validation, audit, conflicts, all-or-nothing loads."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import SAMPLES, TODAY
from tracker import services
from tracker.models import Action, AuditEvent, Plan, Role
from tracker.planfile import PlanFileError, RoleDoc, parse_plan, read_plan
from tracker.queries import action as action_reads
from tracker.queries import lists, lookups
from tracker.queries.plandoc import plan_doc
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, ConflictError, ServiceError
from tracker.store import Store
from tracker.vocab import ActionStatus, Brag, PlanStatus

REF = "stockton-2010/3.2"


def action(store: Store, ref: str = REF) -> Action:
    with store.read() as session:
        return lookups.get_action(session, ref)


def events(store: Store, ref: str = REF) -> list[tuple[str, str, str | None, str | None]]:
    with store.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_ref == ref).order_by(AuditEvent.id)
        )
        return [(e.actor, e.field, e.old_value, e.new_value) for e in rows]


def test_update_changes_fields_and_audits_each_one(loaded: Store) -> None:
    before = action(loaded)
    services.update_action(
        loaded,
        REF,
        "Miriam",
        TODAY,
        ActionChanges(progress=80, lead="Jo Bloggs", target_on=date(2010, 12, 1)),
        note="Panel now weekly",
    )
    after = action(loaded)
    assert (after.progress, after.lead, after.target_on) == (80, "Jo Bloggs", date(2010, 12, 1))
    assert after.version == before.version + 1
    trail = events(loaded)
    assert ("Miriam", "progress", str(before.progress), "80") in trail
    assert ("Miriam", "lead", before.lead, "Jo Bloggs") in trail
    assert ("Miriam", "target_on", before.target_on.isoformat(), "2010-12-01") in trail
    assert ("Miriam", "note", None, "Panel now weekly") in trail
    with loaded.read() as session:
        notes = lookups.get_action(session, REF).updates
        assert (notes[-1].on, notes[-1].author, notes[-1].text) == (
            TODAY,
            "Miriam",
            "Panel now weekly",
        )


def test_completing_sets_progress_and_completion_date(loaded: Store) -> None:
    services.update_action(loaded, REF, "m", TODAY, ActionChanges(status=ActionStatus.COMPLETE))
    done = action(loaded)
    assert (done.status, done.progress, done.completed_on) == (ActionStatus.COMPLETE, 100, TODAY)
    services.update_action(loaded, REF, "m", TODAY, ActionChanges(status=ActionStatus.IN_PROGRESS))
    assert action(loaded).completed_on is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (ActionChanges(progress=120), "progress must be from 0 to 100"),
        (ActionChanges(status=ActionStatus.COMPLETE, progress=50), "a complete action is 100%"),
        (ActionChanges(start_on=date(2011, 6, 1)), "is before the start date"),
        (ActionChanges(brag_override=Brag.GREEN), "needs a reason"),
        (ActionChanges(lead="x\x1b[2J"), "control character"),
        (ActionChanges(text="   "), "text cannot be empty"),
        (ActionChanges(completed_on=date(2010, 9, 1)), "a completion date needs status complete"),
    ],
)
def test_bad_updates_are_refused_and_nothing_changes(
    loaded: Store, changes: ActionChanges, message: str
) -> None:
    before = action(loaded)
    trail = events(loaded)
    with pytest.raises(ServiceError, match=message):
        services.update_action(loaded, REF, "m", TODAY, changes, note="should not be kept")
    after = action(loaded)
    assert (after.version, after.progress, after.lead) == (
        before.version,
        before.progress,
        before.lead,
    )
    assert events(loaded) == trail


def test_an_update_that_changes_nothing_is_refused(loaded: Store) -> None:
    current = action(loaded).progress
    with pytest.raises(ServiceError, match="nothing to change"):
        services.update_action(loaded, REF, "m", TODAY, ActionChanges(progress=current))


def test_unknown_ids_are_named(loaded: Store) -> None:
    with pytest.raises(services.NotFoundError, match="no plan 'nope'"):
        services.update_action(loaded, "nope/1.1", "m", TODAY, ActionChanges(progress=1))
    with pytest.raises(services.NotFoundError, match=r"has no action '9\.9'"):
        services.update_action(loaded, "stockton-2010/9.9", "m", TODAY, ActionChanges(progress=1))
    with pytest.raises(ServiceError, match="not an action id"):
        services.update_action(loaded, "stockton-2010", "m", TODAY, ActionChanges(progress=1))


def test_stale_version_is_a_conflict_naming_the_change(loaded: Store) -> None:
    seen = action(loaded).version
    services.update_action(
        loaded, REF, "Alice", TODAY, ActionChanges(progress=90), expected_version=seen
    )
    with pytest.raises(ConflictError) as caught:
        services.update_action(
            loaded, REF, "Bob", TODAY, ActionChanges(progress=10), expected_version=seen
        )
    message = str(caught.value)
    assert "changed by someone else" in message
    assert "progress" in message and "-> 90 by Alice" in message
    assert "Nothing was saved" in message
    assert caught.value.current_version == seen + 1
    assert action(loaded).progress == 90


def test_owner_change_resolves_aliases_and_creates_unknown_roles(loaded: Store) -> None:
    services.update_action(loaded, REF, "m", TODAY, ActionChanges(owner="YOT Manager"))
    with loaded.read() as session:
        found = lookups.get_action(session, REF)
        assert found.owner_role is not None and found.owner_role.name == "Head of Service"
    services.update_action(loaded, REF, "m", TODAY, ActionChanges(owner="Virtual School Head"))
    with loaded.read() as session:
        assert lookups.find_role(session, "virtual school head") is not None
        created = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "role", AuditEvent.field == "created")
        ).all()
        assert [e.new_value for e in created] == ["Virtual School Head"]


def test_evidence_file_is_fingerprinted(loaded: Store, tmp_path: Path) -> None:
    file = tmp_path / "audit.csv"
    file.write_bytes(b"case,result\n1,sufficient\n")
    services.add_evidence(loaded, REF, "m", "Compliance audit", file=file, dated=TODAY)
    with loaded.read() as session:
        item = lookups.get_action(session, REF).evidence[-1]
        assert item.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
        assert item.size == file.stat().st_size
        assert item.file_path == str(file.resolve())
    assert events(loaded)[-1][1] == "evidence"


def test_bad_evidence_is_refused(loaded: Store, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="does not exist"):
        services.add_evidence(loaded, REF, "m", "t", file=tmp_path / "missing.pdf")
    with pytest.raises(ServiceError, match="not a regular file"):
        services.add_evidence(loaded, REF, "m", "t", file=tmp_path)
    with pytest.raises(ServiceError, match="either a file or a reference"):
        services.add_evidence(loaded, REF, "m", "t")
    with pytest.raises(ServiceError, match="title cannot be empty"):
        services.add_evidence(loaded, REF, "m", " ", reference="minutes")
    real = tmp_path / "audit.pdf"
    real.write_bytes(b"%PDF-1.4 audit")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    with loaded.read() as session:
        before = len(lookups.get_action(session, REF).evidence)
    with pytest.raises(ServiceError, match=r"link\.pdf is a symbolic link"):
        services.add_evidence(loaded, REF, "m", "t", file=link)
    with loaded.read() as session:
        assert len(lookups.get_action(session, REF).evidence) == before


def test_load_is_all_or_nothing(store: Store) -> None:
    good = ("good.toml", read_plan(SAMPLES[0]))
    bad_text = SAMPLES[2].read_text().replace('owners = ["YOS Manager"]', 'owners = ["\\u0007"]', 1)
    with pytest.raises(PlanFileError, match="control character"):
        services.load_plans(store, [good, ("bad.toml", parse_plan(bad_text.encode(), "b"))], "m")


def test_load_refuses_a_plan_already_there_and_keeps_the_rest_out(loaded: Store) -> None:
    fresh = read_plan(SAMPLES[0])
    fresh.id = "new-plan"
    again = read_plan(SAMPLES[2])
    with pytest.raises(PlanFileError, match="'stockton-2010' is already in the database"):
        services.load_plans(loaded, [("new.toml", fresh), ("again.toml", again)], "m")
    with loaded.read() as session:
        assert session.scalar(select(Plan).where(Plan.slug == "new-plan")) is None


def test_roles_in_a_plan_file_merge_and_clashing_aliases_are_refused(store: Store) -> None:
    doc = read_plan(SAMPLES[0])
    doc.roles = [RoleDoc("Youth Justice Service Manager", ["YJS Manager"])]
    services.load_plans(store, [("a.toml", doc)], "m")
    with store.read() as session:
        role = lookups.find_role(session, "YJS manager")
        assert role is not None and role.name == "Youth Justice Service Manager"
    other = read_plan(SAMPLES[2])
    other.roles = [RoleDoc("Head of Service", ["YJS Manager"])]
    with pytest.raises(PlanFileError, match="already belongs to the role"):
        services.load_plans(store, [("b.toml", other)], "m")


def test_dump_load_dump_is_byte_identical_across_databases(loaded: Store, store: Store) -> None:
    from tracker.planfile import render_plan

    for sample in SAMPLES:
        with loaded.read() as session:
            first = render_plan(plan_doc(SessionReader(session), sample.stem))
        # The format round-trips whole; whose word a file's reviews are is another matter
        # (a manager's load keeps them only "as stated": tests/cli/test_load_decisions.py).
        dumped = [("dumped", parse_plan(first.encode(), "dumped"))]
        services.load_plans(store, dumped, "m", decisions_from_file=True)
        with store.read() as session:
            second = render_plan(plan_doc(SessionReader(session), sample.stem))
        assert second == first


def test_lifecycle_steps_go_forward_with_dates_in_order(loaded: Store) -> None:
    plan = "cambridgeshire-2014"
    # The sample plan's action 2.3 has no target date: not ready to submit until it has one.
    with pytest.raises(services.NotReady, match=r"action 2\.3 has no target date"):
        services.record_step(loaded, plan, PlanStatus.SUBMITTED, date(2014, 5, 19), "Anna")
    services.update_action(
        loaded, f"{plan}/2.3", "Anna", date(2014, 5, 19), ActionChanges(target_on=date(2014, 9, 30))
    )
    services.record_step(loaded, plan, PlanStatus.SUBMITTED, date(2014, 5, 19), "Anna")
    with pytest.raises(ServiceError, match="already submitted"):
        services.record_step(loaded, plan, PlanStatus.SUBMITTED, date(2014, 5, 20), "Anna")
    with pytest.raises(ServiceError, match="before the plan was submitted"):
        services.record_step(loaded, plan, PlanStatus.AGREED, date(2014, 5, 1), "Anna")
    services.record_step(loaded, plan, PlanStatus.AGREED, date(2014, 6, 2), "Anna")
    with loaded.read() as session:
        found = lookups.get_plan(session, plan)
        assert (found.status, found.submitted_on, found.agreed_on) == (
            PlanStatus.AGREED,
            date(2014, 5, 19),
            date(2014, 6, 2),
        )
    trail = [(r.field, r.new) for r in _history(loaded, plan)]
    assert ("status", "agreed") in trail and ("submitted_on", "2014-05-19") in trail


def _history(store: Store, ref: str) -> list[action_reads.HistoryRow]:
    with store.read() as session:
        return action_reads.history(SessionReader(session), ref)


def test_queries_filter_actions(loaded: Store) -> None:
    with loaded.read() as session:
        everything = lists.action_rows(SessionReader(session), TODAY)
        stockton = lists.action_rows(SessionReader(session), TODAY, plan="stockton-2010")
        chair = lists.action_rows(
            SessionReader(session), TODAY, owner="Chair of the YOS Management Board"
        )
        overdue = lists.action_rows(SessionReader(session), TODAY, overdue=True)
        soon = lists.action_rows(SessionReader(session), TODAY, due_within=30)
        roles = session.scalars(select(Role.name)).all()
    assert len(everything) == 30
    assert {r.plan for r in stockton} == {"stockton-2010"}
    assert chair and all(r.owner == "Chair of the Management Board" for r in chair)
    assert overdue and all(r.target is not None and r.target < TODAY for r in overdue)
    assert all(r.status is not ActionStatus.COMPLETE for r in overdue)
    assert {r.id for r in overdue} <= {r.id for r in soon}
    assert "Head of Service" in roles
