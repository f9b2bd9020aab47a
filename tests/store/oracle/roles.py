"""What the roles' reads should give (tracker.queries.roles)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.oracle import orm
from tracker.models import Role, RoleName
from tracker.vocab import role_key


def roles(session: Session) -> list[tuple[str, list[str]]]:
    """Every role with its aliases, by name."""
    found = sorted(session.scalars(select(Role)), key=lambda r: (r.name, r.id))
    return [(r.name, orm.aliases(session, r)) for r in found]


def known_role_names(session: Session) -> list[str]:
    """Every name and alias, in the order they were added."""
    return [n.name for n in sorted(session.scalars(select(RoleName)), key=lambda n: n.id)]


def role_called(session: Session, name: str) -> str | None:
    """The canonical name of the role that goes by `name` (case and spacing forgiven)."""
    by_key: dict[str, str] = {}
    for each in session.scalars(select(RoleName)):
        role = session.get(Role, each.role_id)
        assert role is not None
        by_key[each.key] = role.name
    return by_key.get(role_key(name))
