"""Shared fixtures: real SQLite files on disk, the sample plans loaded, the CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tracker.models import Base
from tracker.planfile import read_plan
from tracker.services import load_plans
from tracker.store import Store, database_url, open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_plans").glob("*.toml"))
SEEDS = ROOT / "tests" / "seeds"
"""Copies of the real reports in ../shared/seeds, so that a fresh clone tests the importer."""

TODAY = date(2010, 9, 15)
"""A fixed "today" inside the Stockton plan's life."""

SERVER_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")
"""When set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres), the store, services,
CLI and review tests run on that server: each test gets a database of its own, copied from a
template, and dropped after."""


def _admin(sql: str) -> None:
    assert SERVER_URL is not None
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _server_db(name: str) -> str:
    assert SERVER_URL is not None
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _server_copy(template: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _server_db(name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _server_templates() -> Iterator[dict[str, str]]:
    """Template databases on the test server: one empty at head, one with the samples."""
    if SERVER_URL is None:
        yield {}
        return
    names = {"empty": f"tmpl_empty_{os.getpid()}", "samples": f"tmpl_samples_{os.getpid()}"}
    for name in names.values():
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
    open_store(_server_db(names["empty"])).dispose()
    store = open_store(_server_db(names["samples"]))
    load_plans(store, [(p.name, read_plan(p)) for p in SAMPLES], "loader")
    store.dispose()
    yield names
    for name in names.values():
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(target: str | Path) -> dict[str, list[Any]]:
    """Every row of every table, in key order: compare two to prove nothing was written."""
    engine = create_engine(database_url(target))
    found: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in conn.execute(query)]
        found["alembic_version"] = list(conn.execute(text("SELECT * FROM alembic_version")))
    engine.dispose()
    return found


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to head once, copied for each test that wants an empty store."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_store(path).dispose()
    return path


@pytest.fixture(scope="session")
def _loaded_template(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Path:
    path = tmp_path_factory.mktemp("template") / "samples.db"
    shutil.copy(_template_db, path)
    store = open_store(path)
    load_plans(store, [(p.name, read_plan(p)) for p in SAMPLES], "loader")
    store.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """A fresh, empty database file at the schema head."""
    path = tmp_path / "empty.db"
    shutil.copy(_template_db, path)
    return path


@pytest.fixture
def loaded_path(tmp_path: Path, _loaded_template: Path) -> Path:
    """A fresh database file holding the three sample plans."""
    path = tmp_path / "samples.db"
    shutil.copy(_loaded_template, path)
    return path


@pytest.fixture
def db_target(
    tmp_path: Path, _template_db: Path, _server_templates: dict[str, str]
) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a database on the test server."""
    if SERVER_URL is None:
        path = tmp_path / "empty.db"
        shutil.copy(_template_db, path)
        yield str(path)
    else:
        yield from _server_copy(_server_templates["empty"])


@pytest.fixture
def loaded_target(
    tmp_path: Path, _loaded_template: Path, _server_templates: dict[str, str]
) -> Iterator[str]:
    """A fresh database holding the three sample plans: a SQLite file or on the test server."""
    if SERVER_URL is None:
        path = tmp_path / "samples.db"
        shutil.copy(_loaded_template, path)
        yield str(path)
    else:
        yield from _server_copy(_server_templates["samples"])


@pytest.fixture
def store(db_target: str) -> Iterator[Store]:
    """An open, empty store (SQLite file, or the test server)."""
    opened = open_store(db_target)
    yield opened
    opened.dispose()


@pytest.fixture
def loaded(loaded_target: str) -> Iterator[Store]:
    """An open store holding the sample plans (SQLite file, or the test server)."""
    opened = open_store(loaded_target)
    yield opened
    opened.dispose()


@dataclass
class Result:
    """What a CLI run printed and returned."""

    code: int
    out: str
    err: str


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment that keeps the CLI away from the real user's config and data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_CONFIG=str(tmp_path / "no-config.toml"),
        TRACKER_USER="tester",
        TRACKER_TODAY=TODAY.isoformat(),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


@pytest.fixture
def tracker(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `tracker ARGS...` as a real process: tracker("plans", "--json", db=path)."""

    def run(
        *args: str, db: str | Path | None = None, stdin: str | None = None, **env: str
    ) -> Result:
        command = [sys.executable, "-m", "tracker"]
        if db is not None:
            command += ["--db", str(db)]
        done = subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            input=stdin,
            env=cli_env(tmp_path, **env),
            cwd=tmp_path,
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
