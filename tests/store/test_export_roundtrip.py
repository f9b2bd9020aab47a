"""Exports read back by the programs they are for: the calendar by icalendar (an event for each
target date, a UID that stays when the date moves), and the plan file by the tracker itself,
loaded into another database and exported again, byte for byte."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import SAMPLES, TODAY
from tracker import services
from tracker.exporters import export_plan
from tracker.planfile import read_plan
from tracker.queries import action as action_reads
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.vocab import ActionStatus, Brag, ReviewState

PLAN = "stockton-2010"
LEAD = "Miriam Robertson"


def export(store: Store, fmt: str, plan: str = PLAN) -> str:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY).decode("utf-8")


def update(store: Store, ref: str, note: str | None = None, **changes: object) -> None:
    services.update_action(store, f"{PLAN}/{ref}", LEAD, TODAY, ActionChanges(**changes), note=note)  # type: ignore[arg-type]


# iCalendar -----------------------------------------------------------------------------------


def test_ics_parses_back_with_an_event_per_target_date(loaded: Store) -> None:
    cal = Calendar.from_ical(export(loaded, "ics"))
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    with loaded.read() as session:
        actions = plan_reads.plan_detail(SessionReader(session), PLAN, TODAY).actions
    assert len(events) == len(actions) + 2  # and the plan's due and submitted days
    for a in actions:
        event = events[f"{PLAN}/{a.ref}@yos-tracker"]
        assert event.decoded("DTSTART") == a.target
        assert event.decoded("DTEND") == a.target + timedelta(days=1)  # all day
        assert str(event["SUMMARY"]).startswith(f"{PLAN}/{a.ref} due")
        assert event.decoded("DTSTAMP") == datetime(2010, 9, 15, tzinfo=UTC)  # "today", not now
    due = events[f"{PLAN}/submission@yos-tracker"]
    assert due.decoded("DTSTART") == date(2010, 2, 3)
    assert "Stockton on Tees" in str(due["SUMMARY"])
    submitted = events[f"{PLAN}/submitted@yos-tracker"]
    assert submitted.decoded("DTSTART") == date(2010, 2, 2)
    assert str(submitted["SUMMARY"]) == "Improvement plan submitted to HMIP: Stockton on Tees"
    assert "(complete)" in str(events[f"{PLAN}/1.1@yos-tracker"]["SUMMARY"])


def test_ics_uid_is_stable_when_a_date_moves(loaded: Store) -> None:
    before = Calendar.from_ical(export(loaded, "ics"))
    update(loaded, "2.2", target_on=date(2010, 11, 5))
    after = Calendar.from_ical(export(loaded, "ics"))

    def event(cal: Calendar) -> object:
        return next(e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{PLAN}/2.2@yos-tracker")

    old, new = event(before), event(after)
    assert old.decoded("DTSTART") == date(2010, 10, 1)  # type: ignore[attr-defined]
    assert new.decoded("DTSTART") == date(2010, 11, 5)  # type: ignore[attr-defined]
    # a calendar importing the file again updates the event instead of adding a second one
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])  # type: ignore[index]
    assert sorted(str(e["UID"]) for e in before.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in after.walk("VEVENT")
    )


# TOML: the plan file's round trip ------------------------------------------------------------


def round_trip(source: Store, target: Store, tmp_path: Path, plan: str) -> tuple[str, str]:
    """A plan file out of one database and into another, the YJB's decisions in it taken as
    they are (the file is the tracker's own; a manager's `tracker load` takes them only "as
    stated in the file": tests/cli/test_load_decisions.py)."""
    first = export(source, "toml", plan)
    path = tmp_path / f"{plan}.toml"
    path.write_text(first, encoding="utf-8")
    services.load_plans(target, [(path.name, read_plan(path))], "YJB", decisions_from_file=True)
    return first, export(target, "toml", plan)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_toml_round_trip_is_byte_identical(
    loaded: Store, store: Store, tmp_path: Path, sample: Path
) -> None:
    first, again = round_trip(loaded, store, tmp_path, sample.stem)
    assert again == first


def test_toml_round_trip_after_edits_and_review(
    loaded: Store, store: Store, tmp_path: Path, loaded_target: str
) -> None:
    update(loaded, "3.3", note="ICT freeze lifted; order placed.", status=ActionStatus.IN_PROGRESS)
    update(loaded, "5.3", brag_override=Brag.AMBER, brag_override_reason="Depends on 5.2")
    services.add_evidence(
        loaded, f"{PLAN}/2.2", LEAD, "Training plan", reference="LSCB/2010", dated=date(2010, 9, 1)
    )
    reviewer = open_store(loaded_target, reviewer=True)
    with reviewer.read() as session:
        item = action_reads.evidence_of(SessionReader(session), f"{PLAN}/2.2")[0].id
    services.review_evidence(reviewer, item, "YJB link officer", ReviewState.ACCEPTED, TODAY)
    reviewer.dispose()
    first, again = round_trip(loaded, store, tmp_path, PLAN)
    assert again == first
    assert "ICT freeze lifted; order placed." in first and "Depends on 5.2" in first
    assert 'reviewer = "YJB link officer"' in first


def test_toml_round_trip_through_the_cli(
    tracker, loaded_target: str, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """As a YOS sends its plan to the YJB: export, `tracker load` elsewhere, export again.
    The same plan comes back, but for the YJB's review decisions, which a loaded file only
    states (pending, "as stated in the file": tests/cli/test_load_decisions.py)."""
    assert tracker("export", PLAN, "-o", "sent.toml", db=loaded_target).code == 0
    loaded = tracker("load", "sent.toml", db=db_path)
    assert loaded.code == 0 and f"loaded {PLAN}" in loaded.out
    again = tracker("export", PLAN, "-f", "toml", db=db_path)
    assert again.code == 0
    sent = (tmp_path / "sent.toml").read_text("utf-8")
    assert 'review = "accepted"' in sent and 'review = "accepted"' not in again.out
    assert "As stated in the file loaded, not a YJB decision: accepted" in again.out

    def without_reviews(text: str) -> str:
        return re.sub(r"(?m)^(review|reviewer|reviewed|review_comment) = .*\n", "", text)

    assert without_reviews(again.out) == without_reviews(sent)
