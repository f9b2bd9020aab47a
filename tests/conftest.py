"""Shared fixtures for every tier: real SQLite files on disk (or databases on the PostgreSQL
test server), the sample plans loaded, the CLI in a subprocess.

The databases, the snapshot of every row and the CLI's environment come from
tests/support/databases.py, which the reliability experiments (bench/reliability) use too.
Tiers: unit/ (no database), store/ (queries, services, exporters on a database), cli/ (the
command in a real process), tui/ (the screens driven by keys), e2e/ (a real terminal),
reliability/ (the experiments; left out of the default run, CI runs them in its bench step).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import ROOT, SAMPLES, TODAY, ServerTarget, load_samples, snapshot
from tests.support.databases import cli_env as _cli_env
from tracker.store import Store, open_store

__all__ = ["ROOT", "SAMPLES", "SEEDS", "SERVER_URL", "TODAY", "Result", "cli_env", "snapshot"]

SEEDS = ROOT / "tests" / "seeds"
"""Copies of the real reports in ../shared/seeds, so that a fresh clone tests the importer."""

SERVER_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")
"""When set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres), every test that
uses the `db_target`, `loaded_target`, `store` or `loaded` fixtures runs on that server: each
test gets a database of its own, copied from a template, and dropped after."""


SERVER_FIXTURES = frozenset({"db_target", "loaded_target", "store", "loaded"})
"""The fixtures that give a database on the test server when there is one."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "server: uses a database fixture that is on the PostgreSQL test server when "
        "TRACKER_TEST_DATABASE_URL is set (given to such tests by conftest.py)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Marked by what they use, not by a list that falls behind: `pytest -m server` with the
    # server's URL runs exactly the tests whose database is on the server.
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def _server() -> Iterator[ServerTarget | None]:
    """Template databases on the test server (one empty at head, one with the samples)."""
    if SERVER_URL is None:
        yield None
        return
    server = ServerTarget(SERVER_URL, prefix="t")
    yield server
    server.close()


def _server_copy(server: ServerTarget | None, samples: bool) -> Iterator[str]:
    assert server is not None
    db = server.fresh(uuid.uuid4().hex[:12], samples=samples)
    try:
        yield db
    finally:
        server.drop(db)


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
    load_samples(path)
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
def db_target(tmp_path: Path, _template_db: Path, _server: ServerTarget | None) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a database on the test server."""
    if SERVER_URL is None:
        path = tmp_path / "empty.db"
        shutil.copy(_template_db, path)
        yield str(path)
    else:
        yield from _server_copy(_server, samples=False)


@pytest.fixture
def loaded_target(
    tmp_path: Path, _loaded_template: Path, _server: ServerTarget | None
) -> Iterator[str]:
    """A fresh database holding the three sample plans: a SQLite file or on the test server."""
    if SERVER_URL is None:
        path = tmp_path / "samples.db"
        shutil.copy(_loaded_template, path)
        yield str(path)
    else:
        yield from _server_copy(_server, samples=True)


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
    return _cli_env(tmp_path, "tester", **extra)


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
