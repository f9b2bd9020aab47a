"""The one way a read reaches the database: a `Query` (one SQL text and the columns it gives,
by name) sent through a `Reader`, of which there are two.

- `SqliteReader`: the standard library's sqlite3 on a SQLite file already at the schema head
  (`open_sqlite`), read-only. Importing SQLAlchemy and its ORM costs more than most reads the
  user waits for (the home screen, `tracker plans`, an export), so these need none.
- `tracker.queries.session.SessionReader`: the same SQL through a SQLAlchemy session, for
  PostgreSQL, a file that needs migrating, or a session in the middle of a write.

`reader_for` chooses between them, in one place. Rows are handed to the code by column name
(`Query.rows`), never by position alone: a SELECT whose columns are reordered still maps, and
one that lacks a column fails loudly, naming it.

The SQL uses `:name` parameters, which both sqlite3 and SQLAlchemy's `text()` take. Dates and
timestamps come back as objects from PostgreSQL and as ISO text from SQLite; `day_value` and
`moment_value` read both, and `sqlite_params` sends them as SQLite holds them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from tracker.schema import SCHEMA_HEAD, sqlite_file_of

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.store import Store


class Reader(Protocol):
    """Runs one SELECT with `:name` parameters: the names of its columns, and its rows."""

    dialect: str
    """The database's SQL dialect, as SQLAlchemy names it: "sqlite" or "postgresql"."""

    def run(
        self, sql: str, params: Mapping[str, Any]
    ) -> tuple[Sequence[str], Iterable[Sequence[Any]]]: ...


class QueryShapeError(RuntimeError):
    """A SELECT does not give the columns its code reads: a bug in the tracker, not the user's
    doing, named so that it is found at once rather than read into the wrong fields."""


class Query(NamedTuple):
    """One SELECT and the columns the code reads from it, in the order it unpacks them."""

    name: str
    sql: str
    columns: tuple[str, ...]
    postgresql: str | None = None
    """The SELECT in PostgreSQL's words where they differ from SQLite's (date arithmetic), or
    None: `sql` serves both."""

    def rows(self, reader: Reader, **params: Any) -> Iterator[tuple[Any, ...]]:
        """The rows' values in `columns` order, whatever order the SELECT gives them in."""
        sql = self.postgresql if self.postgresql and reader.dialect == "postgresql" else self.sql
        names, found = reader.run(sql, params)
        return _by_name(self.name, tuple(names), found, self.columns)

    def first(self, reader: Reader, **params: Any) -> tuple[Any, ...] | None:
        """The first row, or None."""
        return next(self.rows(reader, **params), None)

    def where(self, condition: str) -> Query:
        """This query with its `{where}` filled in."""
        postgresql = self.postgresql and self.postgresql.format(where=condition)
        return Query(self.name, self.sql.format(where=condition), self.columns, postgresql)

    def taking(self, name: str, columns: tuple[str, ...]) -> Query:
        """The same SELECT read by other code, which takes `columns` of it (by name): one SQL
        text serves the reads that need different parts of the same rows."""
        return Query(name, self.sql, columns, self.postgresql)


def _by_name(
    query: str, names: tuple[str, ...], rows: Iterable[Sequence[Any]], wanted: tuple[str, ...]
) -> Iterator[tuple[Any, ...]]:
    if names == wanted:
        return iter(rows)  # type: ignore[arg-type]  # a row is a tuple (or SQLAlchemy's Row)
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names):
        raise QueryShapeError(f"query {query!r} gives a column name twice: {', '.join(names)}")
    missing = [name for name in wanted if name not in index]
    if missing:
        raise QueryShapeError(
            f"query {query!r} gives no column {', '.join(missing)} (it gives {', '.join(names)})"
        )
    pick = itemgetter(*(index[name] for name in wanted))
    if len(wanted) == 1:
        return ((pick(row),) for row in rows)
    return map(pick, rows)


class SqliteReader:
    """A `Reader` on a read-only sqlite3 connection (dates are sent as ISO text, as stored)."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, threads: bool = False) -> None:
        self.connection = connection
        self.threads = threads
        """Whether the connection may be used from another thread (one at a time)."""

    def run(
        self, sql: str, params: Mapping[str, Any]
    ) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        cursor = self.connection.execute(sql, sqlite_params(params))
        return [d[0] for d in cursor.description], cursor

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def open_sqlite(target: str | Path, threads: bool = False) -> SqliteReader | None:
    """A read-only reader on the SQLite file `target` when it is a tracker database already at
    the schema's head, else None (a URL, a missing file, one that needs migrating or is not a
    database: the caller opens it the full way, which upgrades it or says what is wrong).
    `threads`: usable from another thread than this one (by one thread at a time)."""
    path = sqlite_file_of(target)
    if path is None or not os.path.isfile(path):
        return None
    try:
        connection = sqlite3.connect(
            f"{file_uri(path)}?mode=ro", uri=True, check_same_thread=not threads
        )
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA busy_timeout = 30000")
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.Error, TypeError):
        connection.close()
        return None
    if revision != SCHEMA_HEAD:
        connection.close()
        return None
    return SqliteReader(connection, threads)


_URI_ESCAPES = str.maketrans({"%": "%25", "?": "%3F", "#": "%23"})


def file_uri(path: str) -> str:
    """The URI SQLite opens the file at `path` by: its real, absolute path after `file://`,
    with the three characters a URI gives a meaning to (`%`, `?`, `#`) escaped, as SQLite's
    URI rules ask (sqlite.org/uri.html); any other character stands for itself. Not pathlib's
    `as_uri`: the small reads import no pathlib (issue 17). Elsewhere than POSIX, where a path
    is not a URI's path as it is, pathlib's."""
    absolute = os.path.realpath(path)
    if os.sep != "/":
        from pathlib import Path

        return Path(absolute).as_uri()
    return "file://" + absolute.translate(_URI_ESCAPES)


@contextmanager
def reader_for(target: str | Path, store: Callable[[], Store]) -> Iterator[Reader]:
    """The reader for a database: the light one on `target` where `open_sqlite` allows, else
    one on a read session of `store()` (which opens the database the full way). The one place
    the executor is chosen: the CLI and the screens both ask here."""
    light = open_sqlite(target, threads=True)
    if light is None:
        from tracker.queries.session import store_reader

        with store_reader(store()) as full:
            yield full
        return
    try:
        yield light
    finally:
        light.close()


def sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as SQLite holds them: a date as ISO text, a timestamp (timezone-aware) as
    the UTC text SQLAlchemy writes (`2010-09-14 10:15:00.000000`), so that it compares."""
    sent = dict(params)
    for key, value in params.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"timestamp parameter {key!r} must be timezone-aware")
            utc = value.astimezone(UTC).replace(tzinfo=None)
            sent[key] = utc.isoformat(" ", "microseconds")
        elif isinstance(value, date):
            sent[key] = value.isoformat()
    return sent


def day_value(value: Any) -> date | None:
    """A stored date: a `date` from PostgreSQL, ISO text from SQLite."""
    if value is None or type(value) is date:
        return value
    return date.fromisoformat(value)


def moment_value(value: Any) -> datetime:
    """A stored timestamp as a timezone-aware UTC datetime: PostgreSQL gives one with its zone,
    SQLite the UTC text SQLAlchemy wrote."""
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
