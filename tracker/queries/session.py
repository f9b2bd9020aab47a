"""The second executor: the queries' SQL sent through a SQLAlchemy session, so that PostgreSQL
(and a session in the middle of its work, inside a service's transaction) gets the same rows
as the light sqlite3 reader does from a file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.queries.reader import sqlite_params
from tracker.store import Store


class SessionReader:
    """A `tracker.queries.reader.Reader` on a session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self._sqlite = self.dialect == "sqlite"

    def run(
        self, sql: str, params: Mapping[str, Any]
    ) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        # On SQLite a timestamp is sent as SQLAlchemy stores it there, so that it compares.
        sent = sqlite_params(params) if self._sqlite else dict(params)
        result = self.session.execute(text(sql), sent)
        return list(result.keys()), result


@contextmanager
def store_reader(store: Store) -> Iterator[SessionReader]:
    """A reader on a read session of `store`."""
    with store.read() as session:
        yield SessionReader(session)
