"""Roles: found by any of their names, created (and audited) the first time a plan names one."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.errors import ServiceError
from tracker.models import Role, RoleName
from tracker.planfile import RoleDoc
from tracker.queries.lookups import find_role, role_ids_by_key, role_name
from tracker.services._audit import SHORT_TEXT, audit, audit_each, check_text
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
    belongs to another role is refused. The aliases are looked up and added in batches, not
    one statement each: a file may give thousands, and this runs inside a load's write
    transaction, which holds the database's write lock."""
    role = resolve_role(session, doc.name, actor)
    wanted: dict[str, str] = {}
    for alias in doc.aliases:
        check_text(alias, f"alias of {doc.name!r}", required=True, most=SHORT_TEXT)
        wanted.setdefault(role_key(alias), alias)
    held = role_ids_by_key(session, list(wanted))
    for key, alias in wanted.items():
        other = held.get(key)
        if other is not None and other != role.id:
            raise ServiceError(
                f"alias {alias!r} already belongs to the role {role_name(session, other)!r}"
            )
    new = [(key, alias) for key, alias in wanted.items() if key not in held]
    if new:
        session.execute(
            insert(RoleName), [{"role_id": role.id, "name": a, "key": k} for k, a in new]
        )
        audit_each(session, actor, "role", role.id, role.name, "alias", [a for _, a in new])
        session.expire(role, ["names"])
