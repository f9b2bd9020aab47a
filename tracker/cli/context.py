"""What every command gets: the settings, and the database, opened on first use.

The one place the command line opens the store, or chooses how to read (a command that only
reads, on a SQLite file at the schema head, imports no SQLAlchemy).
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from tracker.config import Settings
from tracker.errors import StoreError
from tracker.queries.reader import Reader, reader_for

if TYPE_CHECKING:
    from tracker.files import OutputGuard
    from tracker.store import Store


class Context:
    """The settings a command runs with, and the store opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The database, opened (and upgraded) the first time a command needs it."""
        if self._store is None:
            from tracker.store import open_store

            self._store = open_store(
                self.settings.db,
                read_only=self.settings.read_only,
                reviewer=self.settings.reviewer,
            )
        return self._store

    def output_guard(self, force: bool = False) -> OutputGuard:
        """What a file this command writes (`-o`) may not be: the database in use, by any
        name, nor, in a read-only or reviewer session not given `force` (--force), a file that
        is already there."""
        from tracker.files import OutputGuard  # here: only a command that writes a file

        s = self.settings
        return OutputGuard.for_session(
            s.db, read_only=s.read_only, reviewer=s.reviewer, force=force
        )

    def reader(self) -> AbstractContextManager[Reader]:
        """A reader for every read (`tracker.queries.reader.reader_for`): straight from a
        SQLite file at the schema's head (no SQLAlchemy to import), else through `store`,
        which opens it the full way."""
        _can_look_up(self.settings.db)
        return reader_for(self.settings.db, lambda: self.store)

    def close(self) -> None:
        """Let go of the database, if a command opened it."""
        if self._store is not None:
            self._store.dispose()
            self._store = None


def _can_look_up(target: str) -> None:
    """StoreError for a database path the system cannot even look up (a name too long, a NUL
    byte), before either way of reading tries to: a message, not a traceback. What is there,
    and whether it is a database, `tracker.store.open_store` says."""
    if "://" in target:
        return
    try:
        os.stat(os.path.expanduser(target))
    except (FileNotFoundError, NotADirectoryError):
        return
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise StoreError(f"cannot open database {target}: {reason}") from None
