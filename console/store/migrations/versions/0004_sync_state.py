"""Sync engine state: per-report server revisions, patch bases, conflicts, orphans, blobs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

``sync_basis`` is filled by a trigger on ``outbox``: every report mutation records the
server revision its report had here when the operator made the change, whatever code path
wrote it, so the pusher can re-base chained patches correctly (console/sync/pusher.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BASIS_TRIGGER = """CREATE TRIGGER outbox_sync_basis AFTER INSERT ON outbox
WHEN new.entity = 'report' BEGIN
    INSERT OR IGNORE INTO sync_basis (mutation_id, server_revision)
    VALUES (new.id, (SELECT server_revision FROM sync_report WHERE report_id = new.entity_id));
END"""


def upgrade() -> None:
    op.create_table(
        "sync_report",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("server_revision", sa.Integer(), nullable=True),
        sa.Column("own_from", sa.Integer(), nullable=True),
        sa.Column("own_to", sa.Integer(), nullable=True),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("remote_duplicate_of", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_table(
        "sync_basis",
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("server_revision", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("mutation_id"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=True),
        sa.Column("server_revision", sa.Integer(), nullable=True),
        sa.Column("server_value", sa.Text(), nullable=True),
        sa.Column("client_value", sa.Text(), nullable=True),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("by", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.Column("resolved_by", sa.String(), nullable=True),
        sa.Column("resolution_mutation_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_report", ["report_id", "resolved_at"], unique=False)
    op.create_table(
        "sync_orphan",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "id"),
    )
    with op.batch_alter_table("sync_orphan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_orphan_report_id"), ["report_id"], unique=False)
    op.create_table(
        "sync_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("local_path", sa.String(), nullable=True),
        sa.Column("thumb_path", sa.String(), nullable=True),
        sa.Column("upload", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("sync_blob", schema=None) as batch_op:
        batch_op.create_index("ix_sync_blob_work", ["upload", "complete", "priority"], unique=False)
    op.execute(BASIS_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_sync_basis")
    with op.batch_alter_table("sync_blob", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_blob_work")
    op.drop_table("sync_blob")
    with op.batch_alter_table("sync_orphan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_orphan_report_id"))
    op.drop_table("sync_orphan")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_report")
    op.drop_table("sync_conflict")
    op.drop_table("sync_basis")
    op.drop_table("sync_report")
