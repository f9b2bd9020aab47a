"""Shared fixtures: real SQLite files on disk, the sample plans loaded, the CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tracker.planfile import read_plan
from tracker.services import load_plans
from tracker.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_plans").glob("*.toml"))
SEEDS = ROOT.parent / "shared" / "seeds"

TODAY = date(2010, 9, 15)
"""A fixed "today" inside the Stockton plan's life."""


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
def store(db_path: Path) -> Iterator[Store]:
    """An open, empty store on a real file."""
    opened = open_store(db_path)
    yield opened
    opened.dispose()


@pytest.fixture
def loaded(loaded_path: Path) -> Iterator[Store]:
    """An open store holding the sample plans."""
    opened = open_store(loaded_path)
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

    def run(*args: str, db: Path | None = None, stdin: str | None = None, **env: str) -> Result:
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
