"""throttle: attempt counters per key and window (failed logins, Open311 filings)

Revision ID: 0004_login_throttle
Revises: 0003
Create Date: 2026-12-07

Issue 12 M2/M5: logins were never throttled and one Open311 key could file reports without
limit. The counters live in the database so several server processes on one PostgreSQL
share them (server/throttle.py).
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_login_throttle'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'throttle',
        sa.Column('key', sa.String(length=160), primary_key=True),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('throttle')
