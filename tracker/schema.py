"""The schema's head and where a database target points: the standard library only.

Both the store (which migrates a database to `SCHEMA_HEAD`) and the light reader (which reads a
SQLite file already there without SQLAlchemy, `tracker.queries.reader`) need these facts, so
they live below both, and neither imports the other for them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA_HEAD = "0006"
"""The newest migration in db/versions (a test checks it against Alembic's own head): the
schema the queries' SQL is written for. `tracker.store` upgrades a database to it; a file at
another revision is read through SQLAlchemy, after migrating."""

SQLITE_PREFIX = "sqlite:///"


def is_url(target: str | Path) -> bool:
    """Whether a database target is a URL (`postgresql+psycopg://...`) rather than a path."""
    return "://" in str(target)


def sqlite_file_of(target: str | Path) -> str | None:
    """The SQLite file a target names (a path, or a `sqlite:///` URL), expanded but not
    checked; None for any other URL. A string (os.path), not a Path: the small reads that
    open it (`tracker.queries.reader`) import no pathlib, nor what it imports (a fifth of
    `tracker actions --overdue --json`'s time, issue 17)."""
    text = str(target)
    if is_url(text):
        if not text.startswith(SQLITE_PREFIX):
            return None
        text = text.removeprefix(SQLITE_PREFIX)
    return os.path.expanduser(text)
