"""Roles: found by any of their names, created (and audited) the first time a plan names one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.errors import ServiceError
from tracker.models import Role, RoleName
from tracker.planfile import RoleDoc
from tracker.queries.lookups import find_role
from tracker.services._audit import SHORT_TEXT, audit, check_text
from tracker.vocab import role_key


def resolve_role(session: Session, name: str, actor: str) -> Role:
    """The role called `name`, created (and audited) when no role has that name yet."""
    check_text(name, "role name", required=True, most=SHORT_TEXT)
    role = find_role(session, name)
    if role is None:
        clean = " ".join(name.split())
        role = Role(name=clean, names=[RoleName(name=clean, key=role_key(clean))])
        session.add(role)
        session.flush()
        audit(session, actor, "role", role.id, clean, "created", None, clean)
    return role


def merge_role(session: Session, doc: RoleDoc, actor: str) -> None:
    """Make sure the role of a plan file exists with each of its aliases; an alias that
    belongs to another role is refused."""
    role = resolve_role(session, doc.name, actor)
    for alias in doc.aliases:
        check_text(alias, f"alias of {doc.name!r}", required=True, most=SHORT_TEXT)
        other = find_role(session, alias)
        if other is None:
            role.names.append(RoleName(name=alias, key=role_key(alias)))
            audit(session, actor, "role", role.id, role.name, "alias", None, alias)
        elif other.id != role.id:
            raise ServiceError(f"alias {alias!r} already belongs to the role {other.name!r}")
