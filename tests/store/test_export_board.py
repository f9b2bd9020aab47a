"""The board report's content beyond the golden files: "what changed since the last board
report" across a sequence of edits between reports, `--since`, the decisions that review and a
colour set by hand raise, and a screen's filter (`action_ids`)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from conftest import TODAY
from tracker import services
from tracker.exporters import export_plan
from tracker.models import utcnow
from tracker.queries import action as action_reads
from tracker.queries.exports import last_board_report
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, NotFoundError, ServiceError, record_board_report
from tracker.store import Store, open_store
from tracker.vocab import ActionStatus, Brag, ReviewState

PLAN = "stockton-2010"
LEAD = "Miriam Robertson"


NEXT_MEETING = datetime.now(UTC) + timedelta(days=40)
"""When the report after one issued now is issued: 40 days on, after the next meeting of any
pattern (they are at most monthly), so that it lists what changed since the one issued now."""


def export(store: Store, fmt: str, plan: str = PLAN, **options: object) -> str:
    """The export as issued for the next meeting (`NEXT_MEETING`), unless `now` is given."""
    options.setdefault("now", NEXT_MEETING)
    with store.read() as session:
        data = export_plan(SessionReader(session), plan, fmt, TODAY, **options)  # type: ignore[arg-type]
    return data.decode("utf-8")


def section(markdown: str, title: str) -> str:
    """The text of the Markdown section whose heading starts with `title`."""
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def change_rows(markdown: str) -> list[tuple[str, list[str], str]]:
    """(ref, what moved, reported by) for each row of the "what changed" table: one row per
    action (or `The plan`), what moved one entry each."""
    text = section(markdown, "What changed since")
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| **")]
    return [(r[0].strip("|* "), r[2].split("; "), r[3].rstrip(" |")) for r in rows]


def who(*names: str) -> str:
    """`Name (day)` for each name, the day being the real one (the audit trail's)."""
    today = datetime.now(UTC).date()
    return "; ".join(f"{name} ({day(today)})" for name in names)


def update(
    store: Store, ref: str, actor: str = LEAD, note: str | None = None, **changes: object
) -> None:
    services.update_action(
        store, f"{PLAN}/{ref}", actor, TODAY, ActionChanges(**changes), note=note
    )  # type: ignore[arg-type]


# What changed since the last board report ------------------------------------------------------


def test_first_board_report_has_nothing_to_compare_with(loaded: Store) -> None:
    report = export(loaded, "md")
    assert "No board report has been issued for an earlier board meeting" in report
    assert "## Evidence on file" in report  # all of it, there being no last report


def test_changes_between_two_board_reports(loaded: Store) -> None:
    """Report 1, edits A, report 2 (for the next meeting), edits B: report 3 lists B only,
    grouped by action in ref order, each value from its first to its last, with who did it."""
    earlier = datetime.now(UTC) - timedelta(days=80)
    record_board_report(loaded, PLAN, LEAD, "md", issued_at=earlier)
    update(loaded, "3.2", progress=65)
    services.add_evidence(loaded, f"{PLAN}/3.2", LEAD, "Panel minutes, August", reference="A")
    second = earlier + timedelta(days=40) + (datetime.now(UTC) - earlier - timedelta(days=40))
    record_board_report(loaded, PLAN, LEAD, "html", issued_at=second)
    update(loaded, "5.2", actor="Police Inspector", status=ActionStatus.BLOCKED)
    update(loaded, "1.2", note="Quarter 2 audit finished: 18 of 20 sufficient.", progress=50)
    update(loaded, "1.2", progress=55)
    update(loaded, "3.2", target_on=date(2011, 1, 31))
    services.add_evidence(loaded, f"{PLAN}/1.2", LEAD, "RMP audit, quarter 2", reference="QA/Q2")

    report = export(loaded, "md")
    assert change_rows(report) == [
        (
            "1.2",
            [
                "progress: 40% → 55%",  # from the first value to the last
                "progress note: Quarter 2 audit finished: 18 of 20 sufficient.",
                "evidence added: RMP audit, quarter 2: QA/Q2",
            ],
            who(LEAD),
        ),
        ("3.2", ["target date: 31 Dec 2010 → 31 Jan 2011"], who(LEAD)),  # dates as elsewhere
        (
            "5.2",
            ["colour: amber → red (blocked)", "status: in progress → blocked"],  # colour first
            who("Police Inspector"),
        ),
    ]
    heading = re.search(r"^## What changed since the last board report \((.*)\)$", report, re.M)
    assert heading and heading.group(1) == moment(second)
    evidence = section(report, "Evidence added since")
    assert "RMP audit, quarter 2" in evidence and "Panel minutes, August" not in evidence
    # the new block shows up as a decision for the board
    assert "Action 5.2 is blocked" in section(report, "Decisions for the board")


def test_a_colour_that_moved_shows_even_if_nobody_changed_the_action(loaded: Store) -> None:
    """The board reads colour first: an action that has gone red since the last report (its
    target passed) is listed with its colour then and now, and nobody as its reporter; one
    edited into red says so beside the edit."""
    record_board_report(loaded, PLAN, LEAD, "md", issued_at=datetime(2010, 9, 15, 12, tzinfo=UTC))
    update(loaded, "3.2", target_on=date(2010, 9, 1))  # 3.2: in progress, 60%, now overdue
    with loaded.read() as session:
        report = export_plan(
            SessionReader(session), PLAN, "md", date(2010, 12, 20), now=NEXT_MEETING
        ).decode()
    rows = {ref: (lines, by) for ref, lines, by in change_rows(report)}
    lines, by = rows["3.2"]
    assert lines[0] == "colour: green → red (overdue by 110 days)"
    assert lines[1:] == ["target date: 31 Dec 2010 → 1 Sep 2010"] and by == who(LEAD)
    # 2.2's target (1 Oct 2010) passed between the report (15 Sep) and 20 Dec: nobody edited it
    assert rows["2.2"] == (
        ["colour: amber → red (overdue by 80 days)"],
        "no update recorded: the colour follows the dates and evidence",
    )


def test_a_draft_does_not_move_the_mark(loaded: Store, tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI: a report recorded for the last meeting, `tracker update`, a draft,
    then the same changes again in the report issued for this meeting."""
    record_board_report(loaded, PLAN, LEAD, "docx", issued_at=datetime.now(UTC) - timedelta(40))
    done = tracker("update", f"{PLAN}/3.2", "--progress", "70", db=loaded_target)
    assert done.code == 0, done.err
    draft = tracker("export", PLAN, "--draft", "--since-last-board", db=loaded_target)
    assert draft.code == 0 and "recorded" not in draft.err
    # (the plan was loaded after that report: loading it, and evidence, moved too)
    assert ("3.2", ["progress: 60% → 70%"], who("tester")) in change_rows(draft.out)
    issued = tracker("export", PLAN, "-f", "html", "-o", "second.html", db=loaded_target)
    assert issued.code == 0 and "recorded the board report" in issued.err
    assert last_board_report_at(loaded) is not None
    again = tracker("export", PLAN, db=loaded_target)
    assert change_rows(again.out) == change_rows(draft.out)  # the same meeting's report


def test_changes_since_a_moment_or_a_date(loaded: Store) -> None:
    update(loaded, "2.2", progress=50)
    between = utcnow()
    update(loaded, "2.2", progress=60)
    report = export(loaded, "md", since=between)
    assert change_rows(report) == [("2.2", ["progress: 50% → 60%"], who(LEAD))]
    assert "## What changed since " + moment(between) in report
    assert "the last board report" not in report.split("## What changed", 1)[1].split("\n")[0]
    # a date is its first moment (UTC): the day after today (real time) has no changes yet
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    later = export(loaded, "md", since=tomorrow)
    assert "Nothing has changed." in section(later, "What changed since")
    assert "None." in section(later, "Evidence added since")
    # and a date long ago lists every change, the plan's loading included
    everything = change_rows(export(loaded, "md", since=date(2000, 1, 1)))
    assert everything[0] == ("The plan", ["plan loaded from stockton-2010.toml"], who("loader"))
    (lines,) = [lines for ref, lines, _ in everything if ref == "2.2"]
    assert "progress: 40% → 60%" in lines


def test_since_date_through_the_cli(loaded: Store, tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    update(loaded, "2.2", progress=45)
    real_today = datetime.now(UTC).date()
    found = tracker("export", PLAN, "--since", real_today.isoformat(), "--draft", db=loaded_target)
    assert found.code == 0, found.err
    assert f"## What changed since {day(real_today)} 00:00 UTC" in found.out
    assert ("2.2", ["progress: 40% → 45%"], who(LEAD)) in change_rows(found.out)


def last_board_report_at(store: Store) -> datetime | None:
    with store.read() as session:
        return last_board_report(SessionReader(session), PLAN)


def moment(at: datetime | None) -> str:
    assert at is not None
    utc = at.astimezone(UTC)
    return f"{day(utc.date())} {utc:%H:%M} UTC"


def day(d: date) -> str:
    return f"{d.day} {d:%b} {d.year}"


def test_changes_and_decisions_from_review_and_overrides(loaded: Store, loaded_target: str) -> None:
    record_board_report(loaded, PLAN, LEAD, "docx")
    update(
        loaded, "3.2", brag_override=Brag.AMBER, brag_override_reason="Panel attendance is patchy"
    )
    reviewer = open_store(loaded_target, reviewer=True)
    with reviewer.read() as session:
        item = action_reads.evidence_of(SessionReader(session), f"{PLAN}/3.2")[0].id
    services.review_evidence(
        reviewer, item, "YJB link officer", ReviewState.QUERIED, TODAY, comment="Which months?"
    )
    reviewer.dispose()
    report = export(loaded, "md")
    changes = change_rows(report)
    assert changes == [
        (
            "3.2",
            [
                "colour: green → amber (set by hand (computed: green))",
                "reason for the colour set to Panel attendance is patchy",
                "colour set by hand to amber",
                "YJB evidence review: queried: Compliance data, April to June 2010 (Which months?)",
            ],
            who(LEAD, "YJB link officer"),
        ),
    ]
    decisions = section(report, "Decisions for the board")
    assert "Action 3.2 is shown amber by hand (the rules give green" in decisions
    assert "Reason given: Panel attendance is patchy" in decisions
    assert "The YJB queried the evidence “Compliance data, April to June 2010”" in decisions
    assert "Query: Which months?" in decisions


# The screen's filter (action_ids) --------------------------------------------------------------


def test_action_ids_keep_only_those_actions_in_every_format(loaded: Store) -> None:
    keep = ["stockton-2010/3.1", "3.3"]  # full ids or bare refs, as a screen's filter gives them
    report = export(loaded, "md", action_ids=keep)
    assert "This report covers 2 of the plan's 13 actions (a filter was applied)." in report
    listed = re.findall(r"^\| (\d\.\d) \| ", section(report, "All actions"), re.M)
    assert listed == ["3.1", "3.3"]
    assert "| **Total** | **2** |" in section(report, "BRAG summary")
    csv_refs = [
        line.split(",")[0] for line in export(loaded, "csv", action_ids=keep).splitlines()[1:]
    ]
    assert csv_refs == ["3.1", "3.3"]
    cal = Calendar.from_ical(export(loaded, "ics", action_ids=keep))
    uids = sorted(str(e["UID"]) for e in cal.walk("VEVENT"))
    assert uids == [
        "stockton-2010/3.1@yos-tracker",
        "stockton-2010/3.3@yos-tracker",
        "stockton-2010/submission@yos-tracker",
        "stockton-2010/submitted@yos-tracker",
    ]
    html = export(loaded, "html", action_ids=keep)
    assert html.count("<td>3.1</td>") >= 1 and "<td>1.1</td>" not in html
    # the plan file is always the whole plan
    assert export(loaded, "toml", action_ids=keep) == export(loaded, "toml")


def test_action_ids_filter_the_changes_too(loaded: Store) -> None:
    record_board_report(loaded, PLAN, LEAD, "md")
    update(loaded, "1.2", progress=45)
    update(loaded, "3.1", progress=80)
    report = export(loaded, "md", action_ids=["3.1"])
    assert change_rows(report) == [("3.1", ["progress: 70% → 80%"], who(LEAD))]


def test_an_unknown_action_id_is_refused(loaded: Store) -> None:
    with pytest.raises(NotFoundError, match=r"no action stockton-2010/9\.9"):
        export(loaded, "md", action_ids=["stockton-2010/9.9"])


def test_an_unknown_plan_or_format_is_refused(loaded: Store) -> None:
    for fmt in ("md", "toml"):
        with pytest.raises(NotFoundError, match="nope"):
            export(loaded, fmt, plan="nope")
    with pytest.raises(ServiceError, match="choose one of md, html, docx"):
        export(loaded, "pdf")
