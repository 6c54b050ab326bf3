"""claim: the soft claim on a report (who handles it, since when, until when)

Revision ID: 0007_claim
Revises: 0006_attachment_owner
Create Date: 2026-12-07

Issue 13 (3): a report being handled shows which desk holds it, so two desks do not
dispatch the same call twice. One row per report; it travels in the change feed as table
``claim``. A claim only warns and expires by itself (server/push.py ``_claim``).
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_claim'
down_revision = '0006_attachment_owner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'claim',
        sa.Column('report_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('holder', sa.String(length=64), nullable=True),
        sa.Column('since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
        sa.PrimaryKeyConstraint('report_id'),
        sa.UniqueConstraint('seq'),
    )


def downgrade() -> None:
    op.drop_table('claim')
