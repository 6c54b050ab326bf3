"""Shift handover sign-off and the export log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

``handover`` keeps the handover pack a supervisor signs at shift end and the incoming
supervisor countersigns; ``export_log`` records every shift report or export (and whether
personal data left unmasked). Both are evidence: triggers refuse deleting them, editing
the export log at all, and editing a handover once it has been signed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGGERS = [
    """CREATE TRIGGER export_log_no_update BEFORE UPDATE ON export_log BEGIN
        SELECT RAISE(ABORT, 'export_log is append-only');
    END""",
    """CREATE TRIGGER export_log_no_delete BEFORE DELETE ON export_log BEGIN
        SELECT RAISE(ABORT, 'export_log is append-only');
    END""",
    """CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover BEGIN
        SELECT RAISE(ABORT, 'a handover is a record; it cannot be deleted');
    END""",
    # Once the incoming supervisor has signed, nothing changes any more.
    """CREATE TRIGGER handover_countersigned_frozen BEFORE UPDATE ON handover
    WHEN old.incoming_signed_at IS NOT NULL BEGIN
        SELECT RAISE(ABORT, 'this handover is signed by both supervisors and cannot change');
    END""",
    # Once the outgoing supervisor has signed, the pack and the note are what was signed.
    """CREATE TRIGGER handover_signed_pack_frozen BEFORE UPDATE ON handover
    WHEN old.outgoing_signed_at IS NOT NULL AND (
        new.pack IS NOT old.pack OR new.note IS NOT old.note
        OR new.outgoing_operator_id IS NOT old.outgoing_operator_id
        OR new.outgoing_signed_at IS NOT old.outgoing_signed_at) BEGIN
        SELECT RAISE(ABORT, 'the outgoing supervisor signed this handover; it cannot change');
    END""",
]


def upgrade() -> None:
    op.create_table(
        "export_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_code", sa.String(), nullable=True),
        sa.Column("unmasked", sa.Boolean(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("export_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_log_at"), ["at"], unique=False)

    op.create_table(
        "handover",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shift_id", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_code", sa.String(), nullable=True),
        sa.Column("pack", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("outgoing_operator_id", sa.String(), nullable=False),
        sa.Column("outgoing_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("incoming_operator_id", sa.String(), nullable=True),
        sa.Column("incoming_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["incoming_operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["outgoing_operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_handover_shift_id"), ["shift_id"], unique=False)

    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("handover_signed_pack_frozen", "handover_countersigned_frozen",
                 "handover_no_delete", "export_log_no_delete", "export_log_no_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_shift_id"))
        batch_op.drop_index(batch_op.f("ix_handover_created_at"))
    op.drop_table("handover")
    with op.batch_alter_table("export_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_log_at"))
    op.drop_table("export_log")
