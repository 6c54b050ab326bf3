"""The soft claim: which account handles a report, since when, until when (issue 13).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Written by this console's actions and by the pull (table ``claim`` of the change feed),
so a desk sees that another desk is handling a report before dispatching it twice.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("report_id"),
    )


def downgrade() -> None:
    op.drop_table("claim")
