"""report/note/dispatch/attachment.origin: the session whose push made the latest change

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

The change feed leaves out rows a console itself just pushed (issue 11, finding 5): the
push answer already told it the revision and every value the server made. NULL for rows
written before, and for changes made by anyone else (another console, Open311, a sensor).
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLES = ('report', 'note', 'dispatch', 'attachment')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('origin', sa.String(length=16), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('origin')
