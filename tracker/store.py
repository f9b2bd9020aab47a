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

import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
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
from tracker.files import NotARegularFile, copy_regular, kind_of, open_regular
from tracker.migrations import (
    check_revision,
    migrate,
    sqlite_schema_differences,
    sqlite_storage_problems,
    summarise,
)
from tracker.migrations import current_revision as current_revision  # re-exported for callers
from tracker.migrations import known_revisions as known_revisions
from tracker.migrations import migrations_dir as migrations_dir
from tracker.migrations import schema_problems as schema_problems
from tracker.names import os_account
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
    """A SQLAlchemy URL for a path (a SQLite file) or a URL given as is. StoreError, saying
    what would do, for an empty target, a URL that cannot be read, an in-memory SQLite
    database (it would keep nothing) and options in a SQLite URL (the tracker sets its own)."""
    text_target = str(target)
    if not text_target.strip():
        raise StoreError(
            "no database named (the database given is empty): give a SQLite file or a database URL"
        )
    if "://" in text_target:
        try:
            parsed = make_url(text_target)
            backend = parsed.get_backend_name()
        except (ArgumentError, ValueError) as exc:
            raise StoreError(f"{text_target!r} is not a database URL ({exc})") from None
        if backend == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                raise StoreError(
                    f"{text_target!r} is an in-memory database, which keeps nothing once the "
                    "command ends: give a SQLite file (a path, or sqlite:///PATH)"
                )
            if parsed.query:
                raise StoreError(
                    f"{text_target!r}: options in a SQLite URL are not supported (the tracker "
                    "sets its own): give the file's path, and --read-only to open it so"
                )
        return text_target
    try:
        path = str(Path(text_target).expanduser().resolve())
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError(
            f"the database's path {text_target!r} is not valid text (bytes that are not "
            "UTF-8): rename the file or give another"
        ) from None
    except (OSError, RuntimeError, ValueError) as exc:
        # A name too long, a NUL byte, ~user for no such user, a loop of links.
        reason = getattr(exc, "strerror", None) or exc
        raise StoreError(f"cannot open database {text_target}: {reason}") from None
    # Rendered by SQLAlchemy, which escapes what a URL would read otherwise (`?`, `#`, `%`):
    # `a?b.db` is that file, not `a` with options.
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)


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
    account: str | None = field(default_factory=os_account)
    """The operating-system account running the tracker, recorded beside the user name in
    every audit event this store writes (on PostgreSQL the server records its login instead)."""

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
            session.info["account"] = self.account
            try:
                session.connection(execution_options={"tracker_write": True})
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
                if self.is_sqlite and _locked(exc):
                    # Another program held the write lock for the whole busy timeout.
                    raise StoreError(
                        f"the database stayed locked by another program's change for "
                        f"{BUSY_TIMEOUT_SECONDS:g} seconds, so this change could not be made. "
                        "Nothing was saved: try again in a moment."
                    ) from None
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


def _locked(exc: DBAPIError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _engine(url: str, read_only: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target: str | URL = url
        if read_only and parsed.database not in (None, "", ":memory:"):
            # SQLite's own read-only mode: the file cannot be written through this engine. A
            # URL object, so that the file's URI (escaped: `?` and `#` are part of the name)
            # reaches SQLite as it is.
            uri = Path(parsed.database).resolve().as_uri()
            target = URL.create("sqlite", database=uri, query={"mode": "ro", "uri": "true"})
        engine = create_engine(
            target, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, poolclass=NullPool
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
    """Copy a SQLite database with its online backup API (safe while others use it), waiting
    for another writer as long as a write would."""
    with (
        closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as src,
        closing(sqlite3.connect(destination, timeout=BUSY_TIMEOUT_SECONDS)) as dst,
    ):
        src.backup(dst)
    return destination


def upgrade(store: Store, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` on the store's database."""
    migrate(store.engine, revision)


def _refuse_other_than_a_file(path: Path) -> None:
    """StoreError when something other than a regular file is at a database's path: SQLite
    would fail on a folder or a device with "disk I/O error", or wait on a named pipe."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return  # a new database
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise StoreError(f"cannot open database {path}: it is {kind_of(mode)}, not a database file")


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
    if path is not None:
        _refuse_other_than_a_file(path)
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
    except (ArgumentError, ValueError, TypeError) as exc:
        # An option in a server's URL that its driver cannot take (`?connect_timeout=soon`).
        raise StoreError(f"cannot open {url}: {exc}") from None
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
                backup_sqlite(path, path.with_name(f"{path.name}.{_stamp()}.bak"))
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


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _free_name(folder: Path, name: str, ending: str = "") -> Path:
    """`folder/name`, or `name-2`, `name-3` ... (before `ending`), whichever is free: two
    restores in one second keep two files."""
    candidate, n = folder / f"{name}{ending}", 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{name}-{n}{ending}"
    return candidate


def check_sqlite_file(path: Path, shown_as: object = None) -> str:
    """Check that `path` is a healthy SQLite file holding a schema revision this tracker knows;
    return the revision. StoreError naming the problem (and the file as `shown_as`, when the
    file is a private copy of it) otherwise."""
    name = path if shown_as is None else shown_as
    try:
        with open_regular(path) as (_handle, _info):
            pass  # a regular file, or refused without waiting on it
        # As a URI, so that SQLite opens it read-only; escaped, so that any name will do.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            if result is None or result[0] != "ok":
                raise StoreError(f"{name} is damaged: {result[0] if result else 'no answer'}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except (FileNotFoundError, NotADirectoryError):
        raise StoreError(f"{name} does not exist") from None
    except NotARegularFile as exc:
        raise StoreError(f"{name} is not a regular file but {exc.kind}") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{name} is not a tracker database ({exc})") from None
    except OSError as exc:
        raise StoreError(f"cannot read {name}: {exc.strerror or exc}") from None
    if row is None:
        raise StoreError(f"{name} is not a tracker database (no schema version)")
    check_revision(str(row[0]), name)
    return str(row[0])


def backup(store: Store, destination: Path) -> Path:
    """Copy a SQLite store to `destination` with SQLite's online backup API (consistent even
    while others write). PostgreSQL is backed up with pg_dump (docs/deployment.md).

    The copy is made in a new file beside `destination` and then linked to its name, which
    fails if anything is there by then: a file, a link or a named pipe put there after the
    check is never written into or over."""
    source = sqlite_file(store.url)
    if source is None:
        raise StoreError(
            "this database is on a server: back it up with pg_dump (see docs/deployment.md)"
        )
    if destination.exists() or destination.is_symlink():
        raise StoreError(f"{destination} already exists: choose another name")
    if not destination.parent.is_dir():
        raise StoreError(f"cannot write {destination}: folder {destination.parent} does not exist")
    try:
        with tempfile.TemporaryDirectory(prefix=".tracker-backup-", dir=destination.parent) as d:
            made = backup_sqlite(source, Path(d) / "backup.db")
            try:
                os.link(made, destination)
            except FileExistsError:
                raise StoreError(f"{destination} already exists: choose another name") from None
            except OSError:
                # A file system without hard links: a rename, which would replace a file
                # that appeared in the last instant (it is checked for once more).
                if destination.exists() or destination.is_symlink():
                    raise StoreError(f"{destination} already exists: choose another name") from None
                os.replace(made, destination)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"cannot write {destination}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    return destination


@dataclass(frozen=True)
class Restored:
    """What a restore did with the file it replaced: `kept` is where it is now (None if there
    was none); `damaged` when it was not a healthy database, and so was moved aside as it was
    (its `-wal`, `-shm` or `-journal` beside it, in `companions`) rather than copied."""

    kept: Path | None
    damaged: bool = False
    companions: tuple[Path, ...] = ()


def restore(
    target: Path, source: Path, confirm: Callable[[str], bool] = lambda _revision: True
) -> Restored:
    """Replace the SQLite database at `target` with the backup `source`.

    The backup is copied first, through one safe open (a regular file only, never waited on),
    into a private folder, and everything after reads that copy alone: swapping the file
    after the check cannot change what is restored, whatever its name. The copy must be a
    healthy SQLite file at a schema revision this tracker knows; it is brought up to the
    schema head, and must then have exactly the schema the migrations make (every table,
    column, index, trigger and view, and its SQL: compared with a file they build beside it),
    a clean `PRAGMA integrity_check` and no broken foreign key. Only then is
    `confirm(revision)` asked. The current file is then kept aside (copied, or if it is not a
    healthy database, moved aside as it is) and the checked copy put in its place.
    StoreError, with nothing changed, if the backup will not do (the differences listed) or
    `confirm` says no."""
    if not target.parent.is_dir():
        raise StoreError(f"cannot restore into {target}: folder {target.parent} does not exist")
    _refuse_other_than_a_file(target)
    try:
        private = tempfile.TemporaryDirectory(prefix=".tracker-restore-", dir=target.parent)
    except OSError as exc:
        raise StoreError(f"cannot restore into {target}: {exc.strerror or exc}") from None
    with private as folder:
        staged = _stage(source, Path(folder))
        revision = check_sqlite_file(staged, source)
        _upgrade_staged(staged, source)
        problems = _restore_problems(staged, Path(folder) / "reference.db")
        if problems:
            raise StoreError(
                f"{source} is not a whole tracker database ({summarise(problems)}). "
                "Nothing was restored."
            )
        if not confirm(revision):
            raise StoreError("nothing restored")
        try:
            return _put_in_place(staged, target, Path(folder))
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise StoreError(f"cannot restore into {target}: {reason}") from None


def _stage(source: Path, folder: Path) -> Path:
    """A private copy of the backup (and of its `-wal`, when one is beside it), made through
    `tracker.files.copy_regular`: the file that is checked and restored."""
    staged = folder / "backup.db"
    try:
        copy_regular(source, staged)
        wal = source.with_name(source.name + "-wal")
        if wal.exists():
            copy_regular(wal, folder / "backup.db-wal")
    except (FileNotFoundError, NotADirectoryError):
        raise StoreError(f"{source} does not exist") from None
    except NotARegularFile as exc:
        raise StoreError(
            f"{exc.path} is not a regular file but {exc.kind}: give the backup file itself. "
            "Nothing was restored."
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot read {source}: {exc.strerror or exc}") from None
    if (folder / "backup.db-wal").exists():
        # Played into the copy now, so that the file checked is the whole database.
        try:
            with closing(sqlite3.connect(staged)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{source} is not a tracker database ({exc})") from None
    return staged


def _upgrade_staged(staged: Path, source: Path) -> None:
    """Bring the private copy to the schema head (the migrations run on it alone)."""
    try:
        open_store(staged).dispose()
    except StoreError as exc:
        raise StoreError(str(exc).replace(str(staged), str(source))) from None


def _restore_problems(staged: Path, reference: Path) -> list[str]:
    """How the upgraded copy differs from a database the migrations build at the head (built
    here, at `reference`), and what `integrity_check` and `foreign_key_check` find in it."""
    open_store(reference).dispose()
    with closing(sqlite3.connect(staged)) as found, closing(sqlite3.connect(reference)) as wanted:
        return sqlite_schema_differences(found, wanted) + sqlite_storage_problems(found)


def _healthy(path: Path) -> bool:
    """Whether `path` is a SQLite database whose pages `PRAGMA quick_check` finds sound (an
    empty file is an empty database). Looked at without changing it: the header is read as
    bytes first, and SQLite opens it read-only, so that the `-wal` of a damaged file is
    neither played into it nor deleted before it is set aside."""
    try:
        with open_regular(path) as (handle, _info):
            header = handle.read(16)
    except (OSError, ValueError):
        return False
    if header == b"":
        return True
    if header != b"SQLite format 3\x00":
        return False
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as conn:
            return [row[0] for row in conn.execute("PRAGMA quick_check")] == ["ok"]
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            # In use, not damaged: never moved aside under someone's feet.
            raise StoreError(
                f"{path} is busy (another program is writing to it): nothing was restored; "
                "try again when it has finished"
            ) from None
        return False
    except sqlite3.Error:
        return False


def _put_in_place(staged: Path, target: Path, folder: Path) -> Restored:
    """Replace `target` with the checked copy `staged`. A healthy database is copied aside
    and then overwritten through SQLite's backup API (which other connections see whole); a
    file that is damaged or not a database at all (the moment a restore is needed most) is
    renamed aside as it is, with its `-wal`, `-shm` and `-journal` (which must never be
    played into the restored file), and the copy renamed into its place."""
    stamp = _stamp()
    if not target.exists():
        # A journal left with no database would be played into the restored file.
        stale = _set_aside(target, target.with_name(f"{target.name}.stale-{stamp}"))
        ready = backup_sqlite(staged, folder / "ready.db")
        try:
            os.link(ready, target)  # never over a file that appeared meanwhile
        except FileExistsError:
            raise StoreError(f"{target} appeared while restoring: nothing was restored") from None
        except OSError:
            os.replace(ready, target)  # a file system without hard links
        return Restored(None, companions=stale)
    if _healthy(target):
        kept = _free_name(target.parent, f"{target.name}.before-restore-{stamp}", ".bak")
        backup_sqlite(target, kept)
        try:
            backup_sqlite(staged, target)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot write the backup into {target} ({exc}); the database is as it was, "
                f"and a copy of it is kept as {kept}"
            ) from None
        return Restored(kept)
    aside = _free_name(target.parent, f"{target.name}.damaged-{stamp}", ".bak")
    ready = backup_sqlite(staged, folder / "ready.db")
    os.chmod(ready, stat.S_IMODE(target.stat().st_mode))
    os.replace(target, aside)
    companions = _set_aside(target, aside)
    os.replace(ready, target)
    return Restored(aside, damaged=True, companions=companions)


def _set_aside(target: Path, aside: Path) -> tuple[Path, ...]:
    """Move the `-wal`, `-shm` and `-journal` files of `target` beside `aside`, under its
    name: SQLite would otherwise play an old journal into the file that replaces it."""
    moved = []
    for ending in ("-wal", "-shm", "-journal"):
        companion = target.with_name(target.name + ending)
        if companion.exists() or companion.is_symlink():
            os.replace(companion, aside.with_name(aside.name + ending))
            moved.append(aside.with_name(aside.name + ending))
    return tuple(moved)


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
