"""Initial tables: regions, catalogue, reports with their timeline, outbox, meta.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 18:29:25.485277
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('agency',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_id', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('meta',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('operator',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('display_name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('regions', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('entity_id', sa.String(), nullable=False),
    sa.Column('op', sa.String(), nullable=False),
    sa.Column('base_revision', sa.Integer(), nullable=True),
    sa.Column('payload', sa.String(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_state_seq', ['state', 'seq'], unique=False)

    op.create_table('region',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('parent_code', sa.String(), nullable=True),
    sa.Column('postal_code', sa.String(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('boundary_geojson', sa.Text(), nullable=True),
    sa.CheckConstraint("level IN ('kota', 'kecamatan', 'kelurahan')", name='ck_region_level'),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_parent_code'), ['parent_code'], unique=False)

    op.create_table('category',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_id', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('default_priority', sa.Integer(), nullable=False),
    sa.Column('sla_verify_days', sa.Integer(), nullable=False),
    sa.Column('sla_followup_days', sa.Integer(), nullable=False),
    sa.Column('sla_dispatch_minutes', sa.Integer(), nullable=True),
    sa.Column('default_agency', sa.String(), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.CheckConstraint('default_priority BETWEEN 1 AND 4', name='ck_category_priority'),
    sa.ForeignKeyConstraint(['default_agency'], ['agency.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('shift',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('operator_id', sa.String(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handover_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_operator_id'), ['operator_id'], unique=False)

    op.create_table('report',
    sa.Column('pk', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ticket', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('category_code', sa.String(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('triage', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reporter_name', sa.String(), nullable=True),
    sa.Column('reporter_phone', sa.String(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('address', sa.String(), nullable=True),
    sa.Column('region_code', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sla_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assigned_agency', sa.String(), nullable=True),
    sa.Column('duplicate_of', sa.String(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.CheckConstraint("status IN ('new','verified','dispatched','in_progress','resolved','closed','rejected','not_authority','duplicate','prank','ghost')", name='ck_report_status'),
    sa.CheckConstraint('lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180)', name='ck_report_coords'),
    sa.CheckConstraint('priority BETWEEN 1 AND 4', name='ck_report_priority'),
    sa.ForeignKeyConstraint(['assigned_agency'], ['agency.code'], ),
    sa.ForeignKeyConstraint(['category_code'], ['category.code'], ),
    sa.ForeignKeyConstraint(['duplicate_of'], ['report.id'], ),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('pk'),
    sa.UniqueConstraint('id'),
    sa.UniqueConstraint('ticket')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_agency', ['assigned_agency'], unique=False)
        batch_op.create_index('ix_report_category_created', ['category_code', 'created_at'], unique=False)
        batch_op.create_index('ix_report_channel_created', ['channel', 'created_at'], unique=False)
        batch_op.create_index('ix_report_created', ['created_at'], unique=False)
        batch_op.create_index('ix_report_priority_created', ['priority', 'created_at'], unique=False)
        batch_op.create_index('ix_report_region_created', ['region_code', 'created_at'], unique=False)
        batch_op.create_index('ix_report_sla_due', ['sla_due_at'], unique=False)
        batch_op.create_index('ix_report_status_priority_created', ['status', 'priority', 'created_at'], unique=False)
        batch_op.create_index('ix_report_updated', ['updated_at'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(), nullable=False),
    sa.Column('filename', sa.String(), nullable=False),
    sa.Column('mime', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('has_thumbnail', sa.Boolean(), nullable=False),
    sa.Column('local_path', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('dispatch',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(), nullable=False),
    sa.Column('agency_code', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('expected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_report_id'), ['report_id'], unique=False)

    op.create_table('note',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_report_id'), ['report_id'], unique=False)

    op.create_table('report_event',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('field', sa.String(), nullable=True),
    sa.Column('old_value', sa.String(), nullable=True),
    sa.Column('new_value', sa.String(), nullable=True),
    sa.Column('detail', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.create_index('ix_event_report_at', ['report_id', 'at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_report_at')

    op.drop_table('report_event')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_report_id'))

    op.drop_table('note')
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_report_id'))

    op.drop_table('dispatch')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_report_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_updated')
        batch_op.drop_index('ix_report_status_priority_created')
        batch_op.drop_index('ix_report_sla_due')
        batch_op.drop_index('ix_report_region_created')
        batch_op.drop_index('ix_report_priority_created')
        batch_op.drop_index('ix_report_created')
        batch_op.drop_index('ix_report_channel_created')
        batch_op.drop_index('ix_report_category_created')
        batch_op.drop_index('ix_report_agency')

    op.drop_table('report')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_operator_id'))

    op.drop_table('shift')
    op.drop_table('category')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_parent_code'))

    op.drop_table('region')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state_seq')

    op.drop_table('outbox')
    op.drop_table('operator')
    op.drop_table('meta')
    op.drop_table('agency')

