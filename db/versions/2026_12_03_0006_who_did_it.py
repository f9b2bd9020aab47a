"""who did it: the account beside the name in the audit trail; on PostgreSQL the server records
the login, and only a login that may sign off records the YJB's decisions

Every audit event keeps `account` beside `actor` (the name given with --as, TRACKER_USER or the
config): on SQLite the operating-system account that ran the tracker (written by the
tracker); on PostgreSQL the login (`session_user`), written by a trigger whatever the client
sends. The look-alike check on user names reads the audit trail's names by an index.

On PostgreSQL the YJB's decisions are the database's to guard, not only the tracker's: a review
decision on a piece of evidence (accepted or queried, by whom, when) and a plan's closing can
be written only by a login that may insert sign-offs, which docs/deployment.md grants to the
reviewer role alone (and which the owner has). An editor's login that tries is refused with
permission denied (42501), however it connects.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAY_DECIDE = "has_table_privilege('sign_offs', 'INSERT')"
"""Whether the login may record the YJB's decisions: it may insert sign-offs."""

FUNCTIONS = {
    "audit_events_account": """
BEGIN
  NEW.account := session_user;
  RETURN NEW;
END""",
    "evidence_review_by_reviewer": f"""
BEGIN
  IF NEW.review <> 'pending'
     AND (TG_OP = 'INSERT'
          OR (NEW.review, NEW.reviewer, NEW.reviewed_on, NEW.review_comment)
             IS DISTINCT FROM (OLD.review, OLD.reviewer, OLD.reviewed_on, OLD.review_comment))
     AND NOT {MAY_DECIDE} THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'permission denied: only a YJB reviewer''s login records a review decision'
                || ' (evidence ' || NEW.id || ')';
  END IF;
  RETURN NEW;
END""",
    "plans_closed_by_reviewer": f"""
BEGIN
  IF NEW.status = 'closed'
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'closed')
     AND NOT {MAY_DECIDE} THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'permission denied: only a YJB reviewer''s login closes a plan'
                || ' (plan ' || NEW.slug || ')';
  END IF;
  RETURN NEW;
END""",
}
TRIGGERS = {
    "audit_events_account": "BEFORE INSERT ON audit_events",
    "evidence_review_by_reviewer": "BEFORE INSERT OR UPDATE ON evidence",
    "plans_closed_by_reviewer": "BEFORE INSERT OR UPDATE ON plans",
}


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_audit_events_actor", ["actor"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for name, body in FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}\n$$")
            op.execute(
                f"CREATE TRIGGER {name} {TRIGGERS[name]} FOR EACH ROW EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, on in TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {on.rsplit(' ', 1)[1]}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_actor")
        batch_op.drop_column("account")
