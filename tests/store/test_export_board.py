"""The board report's content beyond the golden files: "what changed since the last board
report" across a sequence of edits between reports, `--since`, a screen's filter (`action_ids`),
the HTML page's structure and self-containment, the calendar parsed back with icalendar, and the
plan file's round trip through another database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import SAMPLES, TODAY
from tracker import services
from tracker.exporters import export_plan
from tracker.models import utcnow
from tracker.planfile import read_plan
from tracker.queries import action as action_reads
from tracker.queries import plan as plan_reads
from tracker.queries.exports import last_board_report
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, NotFoundError, ServiceError, record_board_report
from tracker.store import Store, open_store
from tracker.vocab import ActionStatus, Brag, ReviewState

PLAN = "stockton-2010"
LEAD = "Miriam Robertson"


def export(store: Store, fmt: str, plan: str = PLAN, **options: object) -> str:
    with store.read() as session:
        data = export_plan(SessionReader(session), plan, fmt, TODAY, **options)  # type: ignore[arg-type]
    return data.decode("utf-8")


def section(markdown: str, title: str) -> str:
    """The text of the Markdown section whose heading starts with `title`."""
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def change_rows(markdown: str) -> list[tuple[str, str, str]]:
    """(who, ref, change) for each row of the "what changed" table."""
    text = section(markdown, "What changed since")
    rows = [
        line.split(" | ") for line in text.splitlines() if line.startswith("| ") and "UTC" in line
    ]
    return [(r[1], r[2], r[3].rstrip(" |")) for r in rows]


def update(
    store: Store, ref: str, actor: str = LEAD, note: str | None = None, **changes: object
) -> None:
    services.update_action(
        store, f"{PLAN}/{ref}", actor, TODAY, ActionChanges(**changes), note=note
    )  # type: ignore[arg-type]


# What changed since the last board report ------------------------------------------------------


def test_first_board_report_has_nothing_to_compare_with(loaded: Store) -> None:
    report = export(loaded, "md")
    assert "No board report has been issued for this plan before" in report
    assert "## Evidence on file" in report  # all of it, there being no last report


def test_changes_between_two_board_reports(loaded: Store) -> None:
    """Report 1, edits A, report 2, edits B: report 3 lists B only, in order, with who did it."""
    record_board_report(loaded, PLAN, LEAD, "md")
    update(loaded, "3.2", progress=65)
    services.add_evidence(loaded, f"{PLAN}/3.2", LEAD, "Panel minutes, August", reference="A")
    record_board_report(loaded, PLAN, LEAD, "html")
    second = last_board_report_at(loaded)
    update(loaded, "5.2", actor="Police Inspector", status=ActionStatus.BLOCKED)
    update(loaded, "1.2", note="Quarter 2 audit finished: 18 of 20 sufficient.", progress=55)
    update(loaded, "3.2", target_on=date(2011, 1, 31))
    services.add_evidence(loaded, f"{PLAN}/1.2", LEAD, "RMP audit, quarter 2", reference="QA/Q2")

    report = export(loaded, "md")
    assert change_rows(report) == [
        ("Police Inspector", "5.2", "status: in progress → blocked"),
        (LEAD, "1.2", "progress: 40 → 55"),
        (LEAD, "1.2", "progress note: Quarter 2 audit finished: 18 of 20 sufficient."),
        (LEAD, "3.2", "target date: 31 Dec 2010 → 31 Jan 2011"),  # dates as everywhere else
        (LEAD, "1.2", "evidence added: RMP audit, quarter 2: QA/Q2"),
    ]
    heading = re.search(r"^## What changed since the last board report \((.*)\)$", report, re.M)
    assert heading and heading.group(1) == moment(second)
    evidence = section(report, "Evidence added since")
    assert "RMP audit, quarter 2" in evidence and "Panel minutes, August" not in evidence
    # the new block shows up as a decision for the board
    assert "Action 5.2 is blocked" in section(report, "Decisions for the board")


def test_a_draft_does_not_move_the_mark(loaded: Store, tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI: a recorded report, `tracker update`, a draft, then the same changes
    again; a recorded report then starts afresh."""
    assert tracker("export", PLAN, "-o", "first.md", db=loaded_target).code == 0
    assert last_board_report_at(loaded) is not None
    done = tracker("update", f"{PLAN}/3.2", "--progress", "70", db=loaded_target)
    assert done.code == 0, done.err
    draft = tracker("export", PLAN, "--draft", "--since-last-board", db=loaded_target)
    assert draft.code == 0 and "recorded" not in draft.err
    assert change_rows(draft.out) == [("tester", "3.2", "progress: 60 → 70")]
    issued = tracker("export", PLAN, "-f", "html", "-o", "second.html", db=loaded_target)
    assert issued.code == 0 and "recorded the board report" in issued.err
    again = tracker("export", PLAN, db=loaded_target)
    assert "Nothing has changed." in section(again.out, "What changed since the last board report")


def test_changes_since_a_moment_or_a_date(loaded: Store) -> None:
    update(loaded, "2.2", progress=50)
    between = utcnow()
    update(loaded, "2.2", progress=60)
    report = export(loaded, "md", since=between)
    assert change_rows(report) == [(LEAD, "2.2", "progress: 50 → 60")]
    assert "## What changed since " + moment(between) in report
    assert "the last board report" not in report.split("## What changed", 1)[1].split("\n")[0]
    # a date is its first moment (UTC): the day after today (real time) has no changes yet
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    later = export(loaded, "md", since=tomorrow)
    assert "Nothing has changed." in section(later, "What changed since")
    assert "None." in section(later, "Evidence added since")
    # and a date long ago lists every change, the plan's loading included
    everything = change_rows(export(loaded, "md", since=date(2000, 1, 1)))
    assert ("loader", "plan", "plan loaded from stockton-2010.toml") in everything
    assert everything[-2:] == [
        (LEAD, "2.2", "progress: 40 → 50"),
        (LEAD, "2.2", "progress: 50 → 60"),
    ]


def test_since_date_through_the_cli(loaded: Store, tracker, loaded_target: str) -> None:  # type: ignore[no-untyped-def]
    update(loaded, "2.2", progress=45)
    real_today = datetime.now(UTC).date()
    found = tracker("export", PLAN, "--since", real_today.isoformat(), "--draft", db=loaded_target)
    assert found.code == 0, found.err
    assert f"## What changed since {day(real_today)} 00:00 UTC" in found.out
    assert change_rows(found.out)[-1] == (LEAD, "2.2", "progress: 40 → 45")


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
        (LEAD, "3.2", "reason for the colour set to Panel attendance is patchy"),
        (LEAD, "3.2", "colour set by hand to amber"),
        (
            "YJB link officer",
            "3.2",
            "YJB evidence review: queried: Compliance data, April to June 2010 (Which months?)",
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
    assert change_rows(report) == [(LEAD, "3.1", "progress: 70 → 80")]


def test_an_unknown_action_id_is_refused(loaded: Store) -> None:
    with pytest.raises(NotFoundError, match=r"no action stockton-2010/9\.9"):
        export(loaded, "md", action_ids=["stockton-2010/9.9"])


def test_an_unknown_plan_or_format_is_refused(loaded: Store) -> None:
    for fmt in ("md", "toml"):
        with pytest.raises(NotFoundError, match="nope"):
            export(loaded, fmt, plan="nope")
    with pytest.raises(ServiceError, match="choose one of md, html, docx"):
        export(loaded, "pdf")


# HTML ---------------------------------------------------------------------------------------


VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}


class Structure(HTMLParser):
    """Tags in order, checking that every element opened is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.setdefault(self.open[-1], []).append(data)


def parse(html: str) -> Structure:
    found = Structure()
    found.feed(html)
    found.close()
    assert not found.errors and not found.open, (found.errors, found.open)
    return found


def test_html_board_report_structure(loaded: Store) -> None:
    page = export(loaded, "html")
    assert page.startswith("<!DOCTYPE html>\n")
    tree = parse(page)
    names = [t for t, _ in tree.tags]
    assert names.count("html") == names.count("head") == names.count("body") == 1
    assert names.count("h1") == 1
    sections = [a.get("id") for t, a in tree.tags if t == "section"]
    assert sections == [
        "plan",
        "brag",
        "attention",
        "due",
        "evidence",
        "changes",
        "decisions",
        "sign-offs",
        "actions",
    ]
    assert tree.text["h2"][:4] == [
        "The plan",
        "BRAG summary",
        "Red and overdue actions",
        "Due by the next board meeting (12 Oct 2010)",
    ]
    # the BRAG chart is inline SVG: one bar per colour, in the colours' own fills
    assert "svg" in names
    bars = [a for t, a in tree.tags if t == "rect"]
    assert [b["fill"] for b in bars] == ["#C0392B", "#F0A30A", "#2E8B57", "#1F6FB2"]
    widths = [float(b["width"] or 0) for b in bars]
    assert widths[0] < widths[1] < widths[2] == widths[3]  # 2, 3, 4, 4 actions
    # red and overdue first: the attention table lists 3.1 (overdue) and 3.3 (blocked)
    attention = page.split('<section id="attention">')[1].split("</section>")[0]
    assert re.findall(r"<tr><td>(\d\.\d)</td>", attention) == ["3.1", "3.3"]
    assert "2 Feb 2010 (on time)" in page


def test_html_is_self_contained_and_prints_on_a4(loaded: Store) -> None:
    for page in (export(loaded, "html"), export(loaded, "html", plan="halton-warrington-2009")):
        tree = parse(page)
        for tag, attrs in tree.tags:
            assert tag not in ("link", "script", "img", "iframe", "object", "embed"), tag
            for name in ("src", "href", "xlink:href", "action", "data"):
                assert name not in attrs, (tag, attrs)
        assert not re.search(r"https?://", page)
        assert "@import" not in page and "url(" not in page
        style = "".join(tree.text["style"])
        assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
        assert "@media print" in style


def test_html_portfolio_is_self_contained(loaded: Store) -> None:
    from tracker.exporters import export_portfolio

    with loaded.read() as session:
        page = export_portfolio(SessionReader(session), TODAY, "html").decode("utf-8")
    tree = parse(page)
    assert not re.search(r"https?://", page) and not any(t == "link" for t, _ in tree.tags)
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 3
    assert "submitted on time 2 Feb 2010" in page


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
    first = export(source, "toml", plan)
    path = tmp_path / f"{plan}.toml"
    path.write_text(first, encoding="utf-8")
    services.load_plans(target, [(path.name, read_plan(path))], "YJB")
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
    """As a YOS sends its plan to the YJB: export, `tracker load` elsewhere, export again."""
    assert tracker("export", PLAN, "-o", "sent.toml", db=loaded_target).code == 0
    loaded = tracker("load", "sent.toml", db=db_path)
    assert loaded.code == 0 and f"loaded {PLAN}" in loaded.out
    again = tracker("export", PLAN, "-f", "toml", db=db_path)
    assert again.code == 0
    assert again.out == (tmp_path / "sent.toml").read_text("utf-8")
