"""The schema's revisions: where the Alembic migrations are (db/, shipped in the wheel as
tracker/_migrations), which revision a database is at, running them, and how a database's
tables differ from the models (`alembic check`'s comparison, for a restored backup).

`tracker.store` opens a database and brings it to the head through here; the head itself is
`tracker.schema.SCHEMA_HEAD`, which the light reader shares without importing SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from tracker.errors import StoreError
from tracker.schema import SCHEMA_HEAD


def migrations_dir() -> Path:
    """The Alembic script folder: shipped inside the wheel, or `db/` beside the package."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_migrations", package.parent / "db"):
        if (candidate / "env.py").is_file():
            return candidate
    raise StoreError("the database migrations are missing from this installation")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def known_revisions() -> list[str]:
    """Every schema revision of this tracker's migrations, oldest first (the last is head)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return [
        s.revision for s in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]


def check_revision(revision: str | None, where: object) -> None:
    """StoreError unless `revision` (None: an empty database) is one of this tracker's own:
    a database written by another or a newer tracker is left as it is."""
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            f"{where} is at schema revision {revision!r}, which this tracker does not know "
            f"(its newest is {SCHEMA_HEAD}): it was written by another or a newer tracker. "
            "Nothing was changed."
        )


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` on the engine's database, in one
    transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_problems(engine: Engine) -> list[str]:
    """How the database's tables differ from the models (Alembic's comparison, as `alembic
    check` makes it), and whether the audit trail's append-only triggers are there."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tracker.models import Base

    missing: list[str] = []
    found: list[str] = []
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [
            d[0] if isinstance(d, list) else d for d in compare_metadata(context, Base.metadata)
        ]
        missing = [str(d[1].name) for d in diffs if d[0] == "add_table"]
        for change in diffs:
            kind = str(change[0])
            if kind == "add_table":
                continue  # listed once, below
            if kind in ("add_index", "remove_index"):
                if change[1].table.name in missing:
                    continue  # a missing table's indexes are missing too
                what = f"index {change[1].name}"
            elif kind == "remove_table":
                what = f"table {change[1].name}"
            elif kind in ("add_column", "remove_column"):
                what = f"column {change[2]}.{change[3].name}"
            else:
                what = f"{change[2]}.{change[3]}" if len(change) > 3 else str(change[1:])
            state = {"add": "missing", "remove": "not in this tracker's schema"}
            found.append(f"{what}: {state.get(kind.split('_')[0], kind.replace('_', ' '))}")
        if engine.dialect.name == "sqlite":
            triggers = {
                name
                for (name,) in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                )
            }
            found += [
                f"trigger {name}: missing (the audit trail would not be append-only)"
                for name in ("audit_events_no_update", "audit_events_no_delete")
                if name not in triggers
            ]
    if missing:
        found.insert(0, f"tables missing: {', '.join(sorted(missing))}")
    return found
