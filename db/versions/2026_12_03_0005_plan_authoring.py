"""plan authoring: withdrawn actions and recommendations, the response's reason, a plan
submitted incomplete

Nothing is deleted from a plan: an action or recommendation is withdrawn with a date and a
reason, and restoring it empties both. A recommendation the service has not (or only partly)
agreed keeps the reason. A plan recorded as submitted while not ready keeps what it lacked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_incomplete", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("submitted_incomplete")
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_on")
        batch_op.drop_column("response_reason")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_on")
