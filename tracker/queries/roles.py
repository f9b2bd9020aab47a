"""The roles the database knows: their canonical names and aliases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.queries.reader import Query, Reader
from tracker.vocab import role_key

ROLES = Query(
    "roles",
    """
    SELECT r.id AS role_id, r.name AS role_name, n.name AS alias
    FROM roles r JOIN role_names n ON n.role_id = r.id
    WHERE {where}
    ORDER BY r.name, r.id, n.id""",
    ("role_id", "role_name", "alias"),
)
"""Roles with every name each goes by; `{where}` chooses which (all here, a plan's in a plan
file)."""


def by_id(rows: Iterable[tuple[Any, ...]]) -> dict[int, tuple[str, list[str]]]:
    """`ROLES` rows gathered by role: its canonical name and its aliases, in the order they
    were added."""
    found: dict[int, tuple[str, list[str]]] = {}
    for role_id, name, alias in rows:
        _, aliases = found.setdefault(role_id, (name, []))
        if alias != name:
            aliases.append(alias)
    return found


def roles(reader: Reader) -> list[tuple[str, list[str]]]:
    """Every role with its aliases (in the order they were added), by name."""
    return list(by_id(ROLES.where("1 = 1").rows(reader)).values())


ROLE_NAMES = Query("role names", "SELECT name FROM roles ORDER BY name", ("name",))


def role_names(reader: Reader) -> list[str]:
    """Every role's canonical name, for pickers."""
    return [name for (name,) in ROLE_NAMES.rows(reader)]


ALL_NAMES = Query("every role name", "SELECT name FROM role_names ORDER BY id", ("name",))


def known_role_names(reader: Reader) -> list[str]:
    """Every role name and alias, in the order they were added."""
    return [name for (name,) in ALL_NAMES.rows(reader)]


NAMED = Query(
    "role by name",
    """
    SELECT r.name FROM roles r JOIN role_names n ON n.role_id = r.id
    WHERE n."key" = :key""",
    ("name",),
)


def role_called(reader: Reader, name: str) -> str | None:
    """The canonical name of the role called `name` (canonical name or alias, case and spacing
    forgiven), or None."""
    found = NAMED.first(reader, key=role_key(name))
    return None if found is None else str(found[0])
