"""blob.uploaded_by and attachment.proven: attachment bytes are read only by who owns them

Revision ID: 0006_attachment_owner
Revises: 0005_admin_audit
Create Date: 2026-12-07

Issue 12 (M6): knowing a file's hash was enough to read it. Now an attachment row grants
reads of its blob only when ``proven``: its account uploaded the bytes (hash checked), or
could already read them through another report when it registered. ``blob.uploaded_by`` is
the account whose upload completed the blob first. Rows written before keep their access
(they cannot be told apart), so they are all marked proven.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_attachment_owner'
down_revision = '0005_admin_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('blob') as batch:
        batch.add_column(sa.Column('uploaded_by', sa.String(), nullable=True))
    with op.batch_alter_table('attachment') as batch:
        batch.add_column(sa.Column('proven', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute("UPDATE attachment SET proven = "
               "(SELECT complete FROM blob WHERE blob.sha256 = attachment.sha256)")
    op.execute("UPDATE blob SET uploaded_by = (SELECT min(a.by) FROM attachment a "
               "WHERE a.sha256 = blob.sha256) WHERE complete")


def downgrade() -> None:
    with op.batch_alter_table('attachment') as batch:
        batch.drop_column('proven')
    with op.batch_alter_table('blob') as batch:
        batch.drop_column('uploaded_by')
