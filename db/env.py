"""Alembic's entry point for the tracker's migrations.

The tracker passes an open connection in `config.attributes["connection"]`; from the command
line give the database with `-x url=...` (or TRACKER_DB).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, pool

from tracker.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("TRACKER_DB")
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:////path/to/file.db ...")
    if "://" not in url:
        url = f"sqlite:///{os.path.abspath(url)}"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
