"""audit: what administrators did with the command line (accounts, tokens, API keys)

Revision ID: 0005_admin_audit
Revises: 0004_login_throttle
Create Date: 2026-12-07

Issue 12: `posko server disable-user`, `reset-password`, `rotate-api-key` … record who ran
them (the OS user), the command and its target; never a password or a key.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_admin_audit'
down_revision = '0004_login_throttle'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('os_user', sa.String(length=100), nullable=False),
        sa.Column('command', sa.String(length=40), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('audit')
