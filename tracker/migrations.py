"""The schema's revisions: where the Alembic migrations are (db/, shipped in the wheel as
tracker/_migrations), which revision a database is at, running them, and how a database's
schema differs from the one they make: its tables from the models (`alembic check`'s
comparison), and a SQLite file's every table, column, index, trigger and view, with their SQL,
from a reference file the migrations have just built (`sqlite_schema_differences`, for a
backup about to be restored).

`tracker.store` opens a database and brings it to the head through here; the head itself is
`tracker.schema.SCHEMA_HEAD`, which the light reader shares without importing SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
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


SchemaObject = tuple[str, str, str | None]
"""A row of `sqlite_master` as compared: its table, its type, its SQL (whitespace
normalised; None for the indexes SQLite makes itself)."""


def sqlite_schema(connection: sqlite3.Connection) -> dict[str, SchemaObject]:
    """Every table, index, trigger and view of a SQLite database, by name: (table, type, SQL
    with its whitespace normalised). SQLite's own statistics tables (`sqlite_stat1`, made by
    ANALYZE) are left out: they hold no data of the tracker's and run nothing."""
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return {
        str(name): (str(table), str(kind), None if sql is None else " ".join(str(sql).split()))
        for kind, name, table, sql in rows
        if not str(name).startswith("sqlite_stat")
    }


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [
        str(row[1]) for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
    ]


def sqlite_schema_differences(
    candidate: sqlite3.Connection, reference: sqlite3.Connection
) -> list[str]:
    """How `candidate`'s schema differs from `reference`'s (a file the migrations built at
    the same revision), every table, column, index, trigger and view and its SQL, one line
    each; empty when they are the same. Missing tables come first, in one line; the indexes
    and triggers of a missing table are not listed again."""
    found, wanted = sqlite_schema(candidate), sqlite_schema(reference)
    missing_tables = sorted(
        name for name, (_, kind, _) in wanted.items() if kind == "table" and name not in found
    )
    lines = [f"tables missing: {', '.join(missing_tables)}"] if missing_tables else []
    for name in sorted(set(wanted) | set(found)):
        lines += _difference(name, found.get(name), wanted.get(name), missing_tables)
        pair = found.get(name), wanted.get(name)
        if pair[0] != pair[1] and all(o is not None and o[1] == "table" for o in pair):
            lines += _column_differences(candidate, reference, name)
    return lines


def _difference(
    name: str,
    found: SchemaObject | None,
    wanted: SchemaObject | None,
    missing_tables: list[str],
) -> list[str]:
    if wanted is None and found is not None:
        table, kind, _ = found
        on = "" if kind in ("table", "view") else f" on {table}"
        return [f"{kind} {name}{on}: not in this tracker's schema (an extra {kind})"]
    if found is None and wanted is not None:
        table, kind, _ = wanted
        if kind == "table" or table in missing_tables:
            return []  # listed with the missing tables
        on = "" if kind == "view" else f" on {table}"
        return [f"{kind} {name}{on}: missing"]
    if found is None or wanted is None or found == wanted:
        return []
    table, kind, _ = wanted
    if found[1] != kind:
        return [f"{name}: a {found[1]}, not the {kind} this tracker's schema has"]
    if kind == "table":
        return []  # its columns say how (`_column_differences`)
    on = "" if kind == "view" else f" on {table}"
    if found[0] != table:
        return [f"{kind} {name}: on {found[0]}, not {table}"]
    return [f"{kind} {name}{on}: its SQL differs from this tracker's (replaced)"]


def _column_differences(
    candidate: sqlite3.Connection, reference: sqlite3.Connection, table: str
) -> list[str]:
    have, want = _columns(candidate, table), _columns(reference, table)
    lines = [f"column {table}.{c}: missing" for c in want if c not in have]
    lines += [f"column {table}.{c}: not in this tracker's schema" for c in have if c not in want]
    return lines or [f"table {table}: its definition differs from this tracker's"]


def sqlite_storage_problems(connection: sqlite3.Connection, most: int = 5) -> list[str]:
    """What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` find wrong with a SQLite
    database (at most `most` lines of each, then how many in all); empty when both are
    clean."""
    lines: list[str] = []
    found = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if found != ["ok"]:
        lines += [f"damaged: {line}" for line in found[:most]]
        if len(found) > most:
            lines.append(f"damaged: {len(found)} problems in all")
    broken: dict[tuple[str, str], list[int]] = {}
    for table, rowid, parent, _key in connection.execute("PRAGMA foreign_key_check"):
        broken.setdefault((str(table), str(parent)), []).append(int(rowid))
    for (table, parent), rows in sorted(broken.items()):
        some = ", ".join(str(r) for r in rows[:most]) + (", ..." if len(rows) > most else "")
        lines.append(
            f"broken foreign keys: {len(rows)} {table} row{'s' if len(rows) > 1 else ''} "
            f"({some}) refer to {parent} rows that are gone"
        )
    return lines


def summarise(problems: list[str], most: int = 8) -> str:
    """Problems as one line, at most `most` of them, saying how many more there are."""
    shown = "; ".join(problems[:most])
    return shown + (f"; and {len(problems) - most} more" if len(problems) > most else "")
