"""The light reads (tracker.listing): the plans and actions lists straight from a SQLite file
with the standard library, the same rows as through SQLAlchemy, and no SQLAlchemy imported."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from tracker.errors import NotFoundError
from tracker.queries import lists
from tracker.queries.reader import open_sqlite
from tracker.queries.session import SessionReader
from tracker.store import open_store
from tracker.vocab import ActionStatus

FILTERS: list[dict[str, object]] = [
    {},
    {"overdue": True},
    {"due_within": 30},
    {"overdue": True, "due_within": 30},
    {"plan": "stockton-2010"},
    {"owner": "chair of the yos management board"},  # an alias, in another case
    {"owner": "Head of Service", "status": ActionStatus.IN_PROGRESS},
    {"status": ActionStatus.BLOCKED},
]


def test_light_reads_give_the_same_rows_as_sqlalchemy(loaded_path: Path) -> None:
    store = open_store(loaded_path)
    reader = open_sqlite(loaded_path)
    assert reader is not None
    with store.read() as session:
        assert lists.plan_rows(reader, TODAY) == lists.plan_rows(SessionReader(session), TODAY)
        for filters in FILTERS:
            light = lists.action_rows(reader, TODAY, **filters)  # type: ignore[arg-type]
            full = lists.action_rows(SessionReader(session), TODAY, **filters)  # type: ignore[arg-type]
            assert light == full, filters
    store.dispose()


def test_the_filters_select_what_they_say(loaded_path: Path) -> None:
    reader = open_sqlite(loaded_path)
    assert reader is not None
    every = lists.action_rows(reader, TODAY)
    overdue = lists.action_rows(reader, TODAY, overdue=True)
    assert overdue, "the samples have overdue actions on TODAY"
    assert {r.id for r in overdue} == {r.id for r in every if r.overdue}
    soon = lists.action_rows(reader, TODAY, due_within=30)
    assert all(r.target is not None and (r.target - TODAY).days <= 30 for r in soon)
    assert all(r.status is not ActionStatus.COMPLETE for r in soon)
    stockton = lists.action_rows(reader, TODAY, plan="stockton-2010")
    assert stockton and {r.plan for r in stockton} == {"stockton-2010"}
    by_alias = lists.action_rows(reader, TODAY, owner="Chair of the YOS Management Board")
    assert by_alias and {r.owner for r in by_alias} == {"Chair of the Management Board"}


def test_an_unknown_plan_is_named(loaded_path: Path) -> None:
    reader = open_sqlite(loaded_path)
    assert reader is not None
    with pytest.raises(NotFoundError, match="no plan 'nowhere-2010'"):
        lists.action_rows(reader, TODAY, plan="nowhere-2010")


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


def test_light_reads_import_no_sqlalchemy() -> None:
    code = (
        "import sys, tracker.queries.lists, tracker.queries.plan, tracker.queries.action, "
        "tracker.queries.exports, tracker.queries.plandoc, tracker.queries.roles, "
        "tracker.exporters, tracker.services; print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
