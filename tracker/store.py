"""Where the data lives: an engine and sessions from a path or URL, brought up to the schema head.

SQLite (the embedded default) opens in WAL mode with foreign keys on and a busy timeout, and
every write transaction begins IMMEDIATE, so a second writer waits its turn instead of failing
half way with "database is locked". The same code runs on PostgreSQL through a
`postgresql+psycopg://` URL.

Opening a database that is behind the schema upgrades it with the Alembic migrations in `db/`,
after copying an existing SQLite file to a timestamped backup beside it (the migrations
themselves, and comparing a database with the models, are `tracker.migrations`). A SQLite
store is backed up and restored here too: `backup`, `restore`.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from tracker.errors import StoreError as StoreError  # re-exported for callers
from tracker.migrations import check_revision, migrate
from tracker.migrations import current_revision as current_revision  # re-exported for callers
from tracker.migrations import known_revisions as known_revisions
from tracker.migrations import migrations_dir as migrations_dir
from tracker.migrations import schema_problems as schema_problems
from tracker.schema import SCHEMA_HEAD as SCHEMA_HEAD  # the light reader holds the same head

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another writer to finish before giving up."""

REFUSED_BY_SERVER = {"42501", "25006"}
"""PostgreSQL SQLSTATEs that mean the account may not write there (permission denied, a
read-only transaction): docs/deployment.md, roles."""
COLLIDED = {"40P01", "40001"}
"""PostgreSQL SQLSTATEs for a transaction the server gave up on because of another one at the
same moment (deadlock, serialization failure): nothing was saved, trying again will do."""


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (a SQLite file) or a URL given as is."""
    text_target = str(target)
    if "://" in text_target:
        try:
            make_url(text_target)
        except ArgumentError as exc:
            raise StoreError(f"{text_target!r} is not a database URL ({exc})") from None
        return text_target
    return f"sqlite:///{Path(text_target).expanduser().resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for a server or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("tracker_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


class ReadOnlyError(StoreError):
    """A write was attempted on a database opened read-only."""


@dataclass
class Store:
    """An open database: the engine and a session factory, with read and write units of work.
    `read_only` stores refuse every write (and the database refuses them too); `reviewer`
    stores are opened by YJB link staff, whom the services let review and sign off but not
    change plan content."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    reviewer: bool = False

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite store."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed. Objects read stay usable (with
        what was loaded) after the block."""
        with self.sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is one transaction: committed if the block ends normally,
        rolled back whole if it raises. On SQLite it holds the write lock from its first
        statement, so concurrent writers queue instead of colliding."""
        if self.read_only:
            raise ReadOnlyError("the database is open read-only: nothing can be changed")
        with self.sessions() as session:
            session.connection(execution_options={"tracker_write": True})
            try:
                yield session
                session.commit()
            except DataError as exc:
                # A value the database cannot hold (too long for its column, a number out of
                # range): a user error, not a crash. Nothing is saved.
                session.rollback()
                raise StoreError(
                    f"the database refused a value, nothing was saved: {exc.orig}"
                ) from None
            except DBAPIError as exc:
                session.rollback()
                state = getattr(exc.orig, "sqlstate", None)
                first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
                if state in REFUSED_BY_SERVER:
                    # The server's roles refuse this account the write (a viewer's or a
                    # reviewer's login): the user is told, nothing is saved.
                    raise StoreError(
                        f"the database refused the change ({first}): this account may not "
                        "make it. Nothing was saved."
                    ) from None
                if state in COLLIDED:
                    raise StoreError(
                        f"the change collided with another made at the same moment ({first}). "
                        "Nothing was saved: try again."
                    ) from None
                raise
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every connection."""
        self.engine.dispose()


def _engine(url: str, read_only: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if read_only and parsed.database not in (None, "", ":memory:"):
            # SQLite's own read-only mode: the file cannot be written through this engine.
            url = f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, poolclass=NullPool
        )
        _configure_sqlite(engine, read_only)
        return engine
    if read_only and parsed.get_backend_name() == "postgresql":
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
    return create_engine(url, pool_pre_ping=True)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a SQLite database with its online backup API (safe while others use it)."""
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    return destination


def upgrade(store: Store, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` on the store's database."""
    migrate(store.engine, revision)


def open_store(
    target: str | Path, *, migrate: bool = True, read_only: bool = False, reviewer: bool = False
) -> Store:
    """Open the database at `target` (a path or URL), creating it and upgrading it to the
    schema head first if need be. A SQLite file that holds data is backed up before it is
    upgraded; the backup's name ends `.YYYYmmddTHHMMSSZ.bak`. A read-only store is never
    created or upgraded."""
    url = database_url(target)
    path = sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
    if read_only and path is not None and not path.is_file():
        raise StoreError(f"cannot open {path} read-only: there is no such database")
    try:
        engine = _engine(url, read_only)
        store = Store(
            url, engine, sessionmaker(engine, expire_on_commit=False), read_only, reviewer
        )
        revision = current_revision(engine)
    except (OperationalError, DatabaseError) as exc:
        raise StoreError(f"cannot open database {path or url}: {exc.orig}") from None
    except NoSuchModuleError:
        raise StoreError(f"cannot open {url}: no such database driver") from None
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"cannot open {url}: the database driver {exc.name!r} is not installed"
            " (for PostgreSQL: pip install 'yos-tracker[postgres]')"
        ) from None
    if revision == SCHEMA_HEAD or not migrate:
        return store
    if read_only:
        raise StoreError(
            f"database {path or url} is at schema {revision or 'none'}, not {SCHEMA_HEAD}: "
            "open it once without --read-only to upgrade it"
        )
    from alembic.util import CommandError

    try:
        check_revision(revision, f"database {path or url}")
        if path is not None and path.exists() and path.stat().st_size > 0:
            with engine.connect() as connection:
                has_tables = bool(inspect(connection).get_table_names())
            if has_tables:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                backup_sqlite(path, path.with_name(f"{path.name}.{stamp}.bak"))
        upgrade(store)
    except (CommandError, SQLAlchemyError, sqlite3.Error, OSError) as exc:
        # Whatever stops a migration (a revision Alembic cannot place, a table in the way,
        # an account that may not create tables) is the user's to hear about, not a traceback.
        store.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(
            f"cannot upgrade database {path or url} to schema {SCHEMA_HEAD}: {reason}"
        ) from None
    except StoreError:
        store.dispose()
        raise
    return store


def check_sqlite_file(path: Path) -> str:
    """Check that `path` is a healthy SQLite file holding a schema revision this tracker knows;
    return the revision. StoreError naming the problem otherwise."""
    if not path.is_file():
        raise StoreError(f"{path} does not exist")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            if result is None or result[0] != "ok":
                raise StoreError(f"{path} is damaged: {result[0] if result else 'no answer'}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a tracker database ({exc})") from None
    if row is None:
        raise StoreError(f"{path} is not a tracker database (no schema version)")
    check_revision(str(row[0]), path)
    return str(row[0])


def backup(store: Store, destination: Path) -> Path:
    """Copy a SQLite store to `destination` with SQLite's online backup API (consistent even
    while others write). PostgreSQL is backed up with pg_dump (docs/deployment.md)."""
    source = sqlite_file(store.url)
    if source is None:
        raise StoreError(
            "this database is on a server: back it up with pg_dump (see docs/deployment.md)"
        )
    if destination.exists():
        raise StoreError(f"{destination} already exists: choose another name")
    if not destination.parent.is_dir():
        raise StoreError(f"cannot write {destination}: folder {destination.parent} does not exist")
    return backup_sqlite(source, destination)


def restore(
    target: Path, source: Path, confirm: Callable[[str], bool] = lambda _revision: True
) -> Path | None:
    """Replace the SQLite database at `target` with the backup `source`. The backup is checked
    first, on a copy brought up to the schema head and compared table by table with the
    models; only then is `confirm(revision)` asked, the current file kept aside, and the
    checked copy put in its place. Returns where the current file was kept (None if there
    was none). StoreError, with nothing changed, if the backup will not do or `confirm` says
    no."""
    revision = check_sqlite_file(source)
    if not target.parent.is_dir():
        raise StoreError(f"cannot restore into {target}: folder {target.parent} does not exist")
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as folder:
        staged = backup_sqlite(source, Path(folder) / "restore.db")
        store = open_store(staged)  # upgrades an older backup, or says why it cannot
        try:
            problems = schema_problems(store.engine)
        finally:
            store.dispose()
        if problems:
            listed = "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "")
            raise StoreError(
                f"{source} is not a whole tracker database ({listed}). Nothing was restored."
            )
        if not confirm(revision):
            raise StoreError("nothing restored")
        kept = None
        if target.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = target.with_name(f"{target.name}.before-restore-{stamp}.bak")
            try:
                backup_sqlite(target, kept)
            except sqlite3.DatabaseError:
                shutil.copyfile(target, kept)  # not a database: keep its bytes as they are
        backup_sqlite(staged, target)
    return kept


@contextmanager
def scratch_store() -> Iterator[Store]:
    """A throwaway database at the schema head, with the roles a new database starts with:
    what a dry run checks against when there is no database yet, so that it creates none."""
    with tempfile.TemporaryDirectory(prefix="tracker-dry-run-") as folder:
        store = open_store(Path(folder) / "dry-run.db")
        try:
            yield store
        finally:
            store.dispose()
