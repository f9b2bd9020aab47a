"""The light reader: sqlite3 on a SQLite file at the schema head, with no SQLAlchemy imported.
Which files it reads (only a tracker database at the head), that it cannot write, that the
queries and `tracker export` / `tracker portfolio` on it import no SQLAlchemy, and that every
export it makes is the same, byte for byte, as through SQLAlchemy. What each read gives, on
both executors and on PostgreSQL, is held to the ORM in tests/store/test_read_agreement.py."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import TODAY
from tests.store.oracle import make_busy
from tests.support.signoffs import PLAN
from tracker.exporters import export_plan, export_portfolio
from tracker.exporters.board import board_report
from tracker.queries import lists
from tracker.queries.reader import open_sqlite
from tracker.queries.session import SessionReader
from tracker.store import open_store


def test_only_a_tracker_file_at_the_schema_head_is_read_lightly(
    tmp_path: Path, loaded_path: Path
) -> None:
    assert open_sqlite(tmp_path / "missing.db") is None
    assert open_sqlite("postgresql+psycopg://u@h/db") is None
    assert open_sqlite(f"sqlite:///{loaded_path}") is not None
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    assert open_sqlite(text) is None
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert open_sqlite(empty) is None
    older = tmp_path / "older.db"
    shutil.copy(loaded_path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    assert open_sqlite(older) is None


def test_light_reads_cannot_write(loaded_path: Path) -> None:
    reader = open_sqlite(loaded_path)
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError):
        reader.connection.execute("DELETE FROM actions")
    reader.close()


def test_light_reads_import_no_sqlalchemy() -> None:
    code = (
        "import sys, tracker.queries.lists, tracker.queries.plan, tracker.queries.action, "
        "tracker.queries.exports, tracker.queries.plandoc, tracker.queries.roles, "
        "tracker.exporters, tracker.services; print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_every_export_is_the_same_both_ways(loaded_path: Path, tmp_path: Path) -> None:
    store = open_store(loaded_path)
    reviewer = open_store(loaded_path, reviewer=True)
    make_busy(store, reviewer, tmp_path)
    light = open_sqlite(loaded_path)
    assert light is not None
    with store.read() as session:
        full = SessionReader(session)
        slugs = [p.id for p in lists.plan_rows(light, TODAY)]
        assert PLAN in slugs and len(slugs) == 3
        for slug in slugs:
            assert board_report(light, slug, TODAY) == board_report(full, slug, TODAY)
            for fmt in ("md", "html", "docx", "csv", "xlsx", "ics", "toml"):
                assert export_plan(light, slug, fmt, TODAY) == export_plan(
                    full, slug, fmt, TODAY
                ), (slug, fmt)
        for fmt in ("xlsx", "html"):
            assert export_portfolio(light, TODAY, fmt) == export_portfolio(full, TODAY, fmt)
    # The board report holds what the busy plan made since the last report (the next
    # meeting's: a report for the same meeting as the last repeats its papers).
    report = board_report(light, PLAN, TODAY, now=datetime.now(UTC) + timedelta(days=40))
    assert [s.what for s in report.sign_offs] == [
        "recommendation 4 implemented",
        "recommendation 2 implemented",
    ]
    assert any("“Panel minutes”" in d.ask for d in report.decisions)
    assert any(c.what == "progress note: Panel met" for c in report.changes)
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
