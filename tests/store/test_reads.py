"""One plan read with plain SQL (tracker.reads, and the exports on top of it): the same rows
from the SQLite file through the standard library as through SQLAlchemy, the stored dates and
timestamps read back as the ORM reads them, "changes since" a moment meaning strictly after
it on both, and `tracker export` / `tracker portfolio` on a SQLite file importing no
SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from conftest import TODAY
from tests.support.signoffs import OFFICER, sign_off_4
from tracker import services
from tracker.exporters import export_plan, export_portfolio
from tracker.exporters.board import board_report, changes_since
from tracker.models import AuditEvent, Evidence, SignOff
from tracker.queries import lists
from tracker.queries import plan as plan_reads
from tracker.queries.exports import plan_data, portfolio_rows
from tracker.queries.reader import open_sqlite
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, record_board_report
from tracker.store import Store, open_store
from tracker.vocab import BOARD_REPORT_FIELD, ReviewState

PLAN = "stockton-2010"
LEAD = "Miriam Robertson"


def busy_plan(path: Path) -> tuple[Store, Store]:
    """The samples with what a board report reads beyond the plan: a report issued, then
    edits, evidence, a note, a queried piece of evidence and a sign-off after it."""
    store = open_store(path)
    reviewer = open_store(path, reviewer=True)
    record_board_report(store, PLAN, LEAD, "md")
    services.update_action(
        store, f"{PLAN}/3.2", LEAD, TODAY, ActionChanges(progress=60), note="Panel met"
    )
    services.add_evidence(store, f"{PLAN}/3.2", LEAD, "Panel minutes", reference="MIN/9")
    sign_off_4(store, reviewer)
    with store.read() as session:
        queried = session.scalar(select(Evidence.id).where(Evidence.reference == "MIN/9"))
    assert queried is not None
    services.review_evidence(
        reviewer, queried, OFFICER, ReviewState.QUERIED, TODAY, comment="Undated"
    )
    return store, reviewer


def test_a_plan_and_its_exports_read_the_same_both_ways(loaded_path: Path) -> None:
    store, reviewer = busy_plan(loaded_path)
    light = open_sqlite(loaded_path)
    assert light is not None
    with store.read() as session:
        full = SessionReader(session)
        slugs = [p.id for p in lists.plan_rows(light, TODAY)]
        assert PLAN in slugs and len(slugs) == 3
        for slug in slugs:
            assert plan_reads.plan_detail(light, slug, TODAY) == plan_reads.plan_detail(
                full, slug, TODAY
            )
            assert plan_reads.sign_offs(light, slug) == plan_reads.sign_offs(
                SessionReader(session), slug
            )
            assert plan_data(light, slug, TODAY) == plan_data(full, slug, TODAY)
            assert board_report(light, slug, TODAY) == board_report(full, slug, TODAY)
            for fmt in ("md", "html", "docx", "csv", "xlsx", "ics"):
                assert export_plan(light, slug, fmt, TODAY) == export_plan(
                    full, slug, fmt, TODAY
                ), (slug, fmt)
        assert portfolio_rows(light, TODAY) == portfolio_rows(full, TODAY)
        for fmt in ("xlsx", "html"):
            assert export_portfolio(light, TODAY, fmt) == export_portfolio(
                SessionReader(session), TODAY, fmt
            )

        # The stored timestamps come back as the ORM reads them (aware, UTC, to the
        # microsecond), and the board report holds what the busy plan made.
        report = board_report(light, PLAN, TODAY)
        added = session.scalars(select(Evidence.added_at).order_by(Evidence.id)).all()
        assert {e.added_at for a in report.data.actions for e in a.evidence} <= set(added)
        assert [s.signed_at for s in report.sign_offs] == list(
            session.scalars(select(SignOff.signed_at).order_by(SignOff.id))
        )
        assert [s.what for s in report.sign_offs] == ["recommendation 4 implemented"]
        assert any("“Panel minutes”" in d.ask for d in report.decisions)
        assert any(c.what == "progress note: Panel met" for c in report.changes)
    light.close()
    store.dispose()
    reviewer.dispose()


def test_changes_since_a_moment_are_those_strictly_after_it(loaded_path: Path) -> None:
    """Each event's own moment (and a microsecond before it, and the same moment written in
    another zone) as `since`, on both readers: exactly the plan's events after it."""
    store, reviewer = busy_plan(loaded_path)
    light = open_sqlite(loaded_path)
    assert light is not None
    with store.read() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)).all()
        mine = [
            e
            for e in events
            if (e.entity_ref == PLAN or e.entity_ref.startswith(f"{PLAN}/"))
            and e.field != BOARD_REPORT_FIELD
        ]
        assert len({e.at for e in mine}) >= 5
        elsewhere = timezone(timedelta(hours=1))
        for event in mine:
            for since in (event.at, event.at - timedelta(microseconds=1)):
                expected = [(e.at, e.actor) for e in mine if e.at > since]
                for reader in (light, SessionReader(session)):
                    for asked in (since, since.astimezone(elsewhere)):
                        found = changes_since(reader, PLAN, asked)
                        assert [(c.at, c.actor) for c in found] == expected, (since, reader)
    light.close()
    store.dispose()
    reviewer.dispose()


def test_a_plan_id_with_an_underscore_is_only_itself(loaded_path: Path, tracker) -> None:  # type: ignore[no-untyped-def]
    """`stockton_2010` must not read `stockton-2010`'s trail (no LIKE pattern in the SQL)."""
    store, reviewer = busy_plan(loaded_path)
    light = open_sqlite(loaded_path)
    assert light is not None
    since = min(e.at for e in changes_since(light, PLAN, TODAY - timedelta(days=3650)))
    assert changes_since(light, PLAN, since - timedelta(seconds=1))
    for lookalike in ("stockton_2010", "stockton%"):
        assert changes_since(light, lookalike, since - timedelta(seconds=1)) == []
    light.close()
    store.dispose()
    reviewer.dispose()


def test_export_and_portfolio_on_a_sqlite_file_import_no_sqlalchemy(
    loaded_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "board.html"
    sheet = tmp_path / "portfolio.xlsx"
    code = f"""
import sys
from tracker.cli import main
for argv in (["export", "{PLAN}", "-f", "html", "--draft", "-o", "{out}"],
             ["export", "{PLAN}", "-f", "csv"],
             ["portfolio", "-f", "xlsx", "-o", "{sheet}"]):
    main(["--db", "{loaded_path}", "--today", "{TODAY}", *argv], standalone_mode=False)
print("sqlalchemy" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert sheet.read_bytes().startswith(b"PK")
    assert "Ref,Recommendation" in done.stdout
