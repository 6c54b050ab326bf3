"""The operator table becomes the data folder's cache of accounts that logged in here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

A console acts as the account that logged in (issue 10, finding 2), never as the OS user.
Offline, or before any login since a restart, the operator on duty is chosen from the
accounts this data folder has seen, and proves it with their password, checked against
``verifier`` (a salted scrypt hash made at the last successful server login; never the
password itself). ``account_id`` is the server's id of the account, ``server_url`` the
server it logged in to, ``last_login_at`` when (UTC).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.add_column(sa.Column("account_id", sa.String(), nullable=True))
        batch.add_column(sa.Column("server_url", sa.String(), nullable=True))
        batch.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("verifier", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("verifier")
        batch.drop_column("last_login_at")
        batch.drop_column("server_url")
        batch.drop_column("account_id")
