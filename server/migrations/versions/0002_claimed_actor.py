"""applied_mutation.claimed_actor: the operator name a console sent, kept apart

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

The server records the authenticated account as the actor of everything it applies
(issue 10, finding 2); the name a console puts in a mutation is only informative and is
kept here, next to the account that actually sent it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applied_mutation') as batch:
        batch.add_column(sa.Column('claimed_actor', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applied_mutation') as batch:
        batch.drop_column('claimed_actor')
