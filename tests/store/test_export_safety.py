"""Stored control characters and terminal escape sequences never reach an export raw.

The services and the plan file refuse them, so the test writes them straight into the database
through the ORM, as an older version, a hand-edited database or another tool might have left
them, into every kind of text an export prints. Every format must then show them visibly (`␛`)
or escaped, never as the raw character a terminal, Word or Excel would act on.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from docx import Document
from icalendar import Calendar
from sqlalchemy import select

from conftest import TODAY
from tracker import models
from tracker.exporters import (
    PLAN_FORMATS,
    digest,
    export_plan,
    export_portfolio,
)
from tracker.queries.session import SessionReader
from tracker.services import record_board_report
from tracker.store import Store
from tracker.vocab import Brag, ReviewState

PLAN = "stockton-2010"
ESCAPE = "\x1b[31mRED\x1b[0m"
BAD = f"{ESCAPE} bell\x07 csi\x9b2J del\x7f cr\r end"
"""A colour escape, BEL, a C1 CSI, DEL and a bare carriage return."""
NOT_XML = "odd\uffffchar"
"""A code point XML cannot hold at all: Word and Excel files must not break on it."""

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline."""

NEXT_MEETING = datetime.now(UTC) + timedelta(days=40)
"""When the report after one issued now is issued: 40 days on, after the next meeting of any
pattern (they are at most monthly), so that it lists what changed since the one issued now."""


def poison(store: Store) -> None:
    """Control characters in every text of stockton-2010 an export shows, action 3.1 (red,
    overdue, so in every section and the digest) above all."""
    with store.write() as session:
        plan = session.scalar(select(models.Plan).where(models.Plan.slug == PLAN))
        assert plan is not None
        plan.title = f"Plan {BAD}"
        plan.inspection.area = f"Stockton {BAD}"
        score = plan.inspection.scores[0]
        score.name = f"Score {BAD}"
        rec = plan.recommendations[2]
        rec.text = f"Recommendation {BAD}"
        rec.owners[0].stated_as = f"Owner {BAD}"
        action = next(a for a in rec.actions if a.ref == "3.1")
        action.ref = "3.\x1b1"
        action.text = f"Action {BAD} {NOT_XML}"
        action.lead = f"Lead {BAD}"
        action.success_measure = f"Measure {BAD} {NOT_XML}"
        action.owner_stated_as = f"Owner {BAD}"
        action.brag_override = Brag.AMBER
        action.brag_override_reason = f"Reason {BAD}"
        action.updates.append(
            models.ProgressUpdate(on=TODAY, author=f"Author {BAD}", text=f"Note {BAD} {NOT_XML}")
        )
        action.evidence.append(
            models.Evidence(
                title=f"Evidence {BAD}",
                reference=f"Ref {BAD}",
                review=ReviewState.QUERIED,
                reviewer=f"Reviewer {BAD}",
                reviewed_on=TODAY,
                review_comment=f"Comment {BAD}",
                added_by="x",
            )
        )
    record_board_report(store, PLAN, "Miriam Robertson", "md")
    with store.write() as session:
        session.add(
            models.AuditEvent(
                at=datetime.now(UTC),
                actor=f"Actor {BAD}",
                entity="action",
                entity_id=1,
                entity_ref=f"{PLAN}/3.\x1b1",
                field="text",
                old_value=f"Old {BAD}",
                new_value=f"New {BAD}",
            )
        )


@pytest.fixture
def poisoned(loaded: Store) -> Store:
    poison(loaded)
    return loaded


def no_raw_controls(text: str, what: str, *, crlf: bool = False) -> None:
    """`text` holds no raw control character, and shows the escape visibly."""
    if crlf:  # the format's own line endings (CSV, iCalendar)
        text = text.replace("\r\n", "\n")
    found = RAW.search(text)
    assert found is None, (
        f"{what}: raw {found.group()!r} near {text[found.start() - 40 : found.end() + 20]!r}"
    )
    assert "␛" in text, f"{what}: the escape is not shown at all"


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "ics"])
def test_text_formats_show_escapes_visibly(poisoned: Store, fmt: str) -> None:
    with poisoned.read() as session:
        data = export_plan(SessionReader(session), PLAN, fmt, TODAY, now=NEXT_MEETING)
    text = data.decode("utf-8-sig")
    no_raw_controls(text, fmt, crlf=fmt in ("csv", "ics"))
    for word in ("Action", "Lead"):
        assert f"{word} ␛" in text or f"{word}\\ ␛" in text, (fmt, word)


def test_board_report_sections_all_clean(poisoned: Store) -> None:
    """Each section of the Markdown report shows its poisoned text, cleaned."""
    with poisoned.read() as session:
        text = export_plan(SessionReader(session), PLAN, "md", TODAY, now=NEXT_MEETING).decode(
            "utf-8"
        )
    for shown in (
        "Plan ␛",  # title
        "Stockton ␛",  # area
        "Score ␛",  # headline score
        "Note ␛",  # latest note, in the red and overdue section
        "Evidence ␛",  # evidence added
        "Comment ␛",  # queried evidence, a decision for the board
        "Reason given: Reason ␛",  # the colour set by hand, a decision
        "Actor ␛",  # what changed: who
        "New ␛",  # what changed: the new value
    ):
        assert shown in text, shown


def test_calendar_parses_back_clean(poisoned: Store) -> None:
    with poisoned.read() as session:
        cal = Calendar.from_ical(
            export_plan(SessionReader(session), PLAN, "ics", TODAY, now=NEXT_MEETING)
        )
    for event in cal.walk("VEVENT"):
        for key in ("UID", "SUMMARY", "DESCRIPTION"):
            value = str(event[key])
            assert RAW.search(value) is None, (key, value)
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert "stockton-2010/3.␛1@yos-tracker" in uids


def test_plan_file_escapes_them(poisoned: Store) -> None:
    with poisoned.read() as session:
        text = export_plan(SessionReader(session), PLAN, "toml", TODAY, now=NEXT_MEETING).decode(
            "utf-8"
        )
    assert RAW.search(text) is None
    assert "\\u001b[31mRED" in text or "\\e[31mRED" in text  # a TOML escape, not the character


def test_word_document_shows_them_and_still_opens(poisoned: Store) -> None:
    with poisoned.read() as session:
        doc = Document(
            io.BytesIO(export_plan(SessionReader(session), PLAN, "docx", TODAY, now=NEXT_MEETING))
        )
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    texts.append(doc.core_properties.title or "")
    joined = "\n".join(texts)
    no_raw_controls(joined, "docx")
    assert "Action ␛[31mRED␛[0m bell␇ csi\\x9b2J del␡ cr␍ end odd\ufffdchar" in joined
    assert "Note ␛" in joined and "Comment ␛" in joined


def sheet_text(data: bytes) -> str:
    """Every value of every sheet (the summary and the actions, or the portfolio)."""
    sheets = openpyxl.load_workbook(io.BytesIO(data)).worksheets
    return "\n".join(
        str(v)
        for ws in sheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def test_workbooks_show_them_and_still_open(poisoned: Store) -> None:
    with poisoned.read() as session:
        sheet = sheet_text(
            export_plan(SessionReader(session), PLAN, "xlsx", TODAY, now=NEXT_MEETING)
        )
        portfolio = sheet_text(export_portfolio(SessionReader(session), TODAY, "xlsx"))
    no_raw_controls(sheet, "xlsx")
    assert "Measure ␛[31mRED" in sheet and "odd\ufffdchar" in sheet
    no_raw_controls(portfolio, "portfolio xlsx")
    assert "Stockton ␛[31mRED" in portfolio


def test_portfolio_page_and_digest(poisoned: Store) -> None:
    with poisoned.read() as session:
        page = export_portfolio(SessionReader(session), TODAY, "html").decode("utf-8")
        text = digest(SessionReader(session), TODAY, 30)
    no_raw_controls(page, "portfolio html")
    no_raw_controls(text, "digest")
    assert "stockton-2010/3.␛1" in text and "Lead ␛[31mRED" in text


def test_every_plan_format_is_covered(poisoned: Store) -> None:
    """No format escapes the checks above: every one of them has no raw control character."""
    with poisoned.read() as session:
        for fmt in PLAN_FORMATS:
            data = export_plan(SessionReader(session), PLAN, fmt, TODAY, now=NEXT_MEETING)
            if fmt in ("docx", "xlsx"):
                continue  # zipped: reopened above
            text = data.decode("utf-8-sig").replace("\r\n", "\n")
            assert RAW.search(text) is None, fmt


def test_through_the_cli(tracker, loaded_target: str, loaded: Store) -> None:  # type: ignore[no-untyped-def]
    """What a terminal receives from `tracker export`, `digest` and `portfolio`."""
    poison(loaded)
    outputs = {}
    for args in (
        ("export", PLAN, "--draft"),
        ("digest", "--within", "30"),
        ("portfolio",),
        ("portfolio", "-f", "json"),
    ):
        done = tracker(*args, db=loaded_target)
        assert done.code == 0, (args, done.err)
        assert RAW.search(done.out) is None, args
        outputs[args[-1]] = done.out
    assert "Lead ␛[31mRED" in outputs["30"]
    data = json.loads(outputs["json"])
    assert any(row["area"].startswith(f"Stockton {ESCAPE}") for row in data)  # JSON escapes it
