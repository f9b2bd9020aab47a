"""Where the tests get their databases: SQLite files, or scratch databases on a PostgreSQL
server copied from templates; and what they need to compare and run them (a snapshot of every
row, an environment for the CLI). The reliability experiments (bench/reliability) are tests at
scale and take their databases from here too, so that both make and compare them the same way.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tracker import services
from tracker.models import Base
from tracker.planfile import read_plan
from tracker.store import database_url, open_store

ROOT = Path(__file__).resolve().parent.parent.parent
"""The repository (tests/support/ is two folders down)."""
SAMPLES = sorted((ROOT / "sample_plans").glob("*.toml"))
"""The sample plans every database starts with."""
TODAY = date(2010, 9, 15)
"""The day the tests and the bench run as (inside the sample Stockton plan's life)."""
SERVER_ENV = "TRACKER_TEST_DATABASE_URL"
"""The environment variable that names a PostgreSQL server to run on as well."""


def engine_for(db: str | Path) -> Engine:
    """An engine on a database (path or URL) that keeps no connection once disposed."""
    return create_engine(database_url(db), poolclass=NullPool)


def snapshot(db: str | Path) -> dict[str, list[Any]]:
    """Every row of every table, in key order: compare two to prove nothing was written."""
    engine = engine_for(db)
    found: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in conn.execute(query)]
        found["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))
        ]
    engine.dispose()
    return found


def cli_env(work: Path, user: str = "tester", **extra: str) -> dict[str, str]:
    """An environment that keeps the CLI away from the real user's config and data, running
    as `user` on the fixed TODAY, able to import the bench (for its child scripts)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_CONFIG=str(work / "no-config.toml"),
        TRACKER_USER=user,
        TRACKER_TODAY=TODAY.isoformat(),
        XDG_DATA_HOME=str(work / "xdg-data"),
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    env.update(extra)
    return env


def load_samples(db: str | Path) -> None:
    """Load the sample plans into the database at `db`."""
    store = open_store(db)
    try:
        services.load_plans(
            store, [(p.name, read_plan(p)) for p in SAMPLES], "loader", decisions_from_file=True
        )
    finally:
        store.dispose()


def admin(server: str, sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE, CREATE ROLE...) on the server, outside any
    transaction, as the account of the URL `server`."""
    engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def on_database(server: str, name: str, **parts: Any) -> str:
    """The URL of database `name` on the server of the URL `server` (other URL parts, such as
    `username`, replaced as given)."""
    return make_url(server).set(database=name, **parts).render_as_string(hide_password=False)


class Target:
    """Where the experiments get fresh databases: copies of an empty one at the schema head
    and of one holding the sample plans."""

    kind = "sqlite"

    def fresh(self, label: str, *, samples: bool = True) -> str:
        """A new database (path or URL), empty or holding the sample plans."""
        raise NotImplementedError

    def drop(self, db: str) -> None:
        """Remove a database made by `fresh`."""

    def close(self) -> None:
        """Remove the templates and anything else left."""


class SqliteTarget(Target):
    """SQLite files in a folder, copied from two template files made once."""

    kind = "sqlite"

    def __init__(self, folder: Path, *, keep: bool) -> None:
        self.folder = folder
        self.keep = keep
        folder.mkdir(parents=True, exist_ok=True)
        self.templates = {False: folder / "template-empty.db", True: folder / "template-samples.db"}
        for path in self.templates.values():
            self._remove(path)
        open_store(self.templates[False]).dispose()
        shutil.copy(self.templates[False], self.templates[True])
        load_samples(self.templates[True])

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def copy_to(self, path: Path, *, samples: bool = True) -> Path:
        """A fresh database at `path` (anywhere), empty or holding the sample plans."""
        self._remove(path)
        shutil.copy(self.templates[samples], path)
        return path

    def fresh(self, label: str, *, samples: bool = True) -> str:
        return str(self.copy_to(self.folder / f"{label}.db", samples=samples))

    def drop(self, db: str) -> None:
        if not self.keep:
            self._remove(Path(db))

    def close(self) -> None:
        for path in self.templates.values():
            self._remove(path)
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


class ServerTarget(Target):
    """Scratch databases on a PostgreSQL server, copied from two template databases made once
    (the account of the URL needs CREATEDB). `close` drops every one of them."""

    kind = "postgresql"

    def __init__(self, url: str, prefix: str = "rel") -> None:
        self.url = url
        self.prefix = f"{prefix}{os.getpid()}_{uuid.uuid4().hex[:6]}_"
        self.made: set[str] = set()
        self.templates = {False: f"{self.prefix}tmpl_empty", True: f"{self.prefix}tmpl_samples"}
        empty, samples = self.templates[False], self.templates[True]
        try:
            self.made.add(empty)
            admin(self.url, f'CREATE DATABASE "{empty}"')
            open_store(on_database(self.url, empty)).dispose()
            self.made.add(samples)
            admin(self.url, f'CREATE DATABASE "{samples}" TEMPLATE "{empty}"')
            load_samples(on_database(self.url, samples))
        except BaseException:
            self.close()
            raise

    def fresh(self, label: str, *, samples: bool = True) -> str:
        name = f"{self.prefix}{label}"
        admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(self.url, f'CREATE DATABASE "{name}" TEMPLATE "{self.templates[samples]}"')
        self.made.add(name)
        return on_database(self.url, name)

    def drop(self, db: str) -> None:
        name = str(make_url(db).database)
        admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.discard(name)

    def close(self) -> None:
        for name in sorted(self.made):
            admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


def make_target(db: str | None, work: Path) -> Target:
    """A SQLite folder (default: inside `work`) or a PostgreSQL server URL."""
    if db is not None and "://" in db:
        if make_url(db).get_backend_name() != "postgresql":
            raise SystemExit(f"reliability: --db {db!r}: give a folder or a postgresql URL")
        return ServerTarget(db)
    if db is None:
        return SqliteTarget(work / "sqlite", keep=False)
    return SqliteTarget(Path(db).expanduser().resolve(), keep=True)
