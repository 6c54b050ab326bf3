"""sensor, sensor_reading, sensor_rollup: city sensors over MQTT

Revision ID: 0008_sensors
Revises: 0007_claim
Create Date: 2026-12-07

Issue 15: registered sensors with their thresholds and state, their raw readings (a day,
keyed by sensor and time so a redelivered message is one row) and 5-minute rollups.
"""

import sqlalchemy as sa
from alembic import op

from server.models import UTCDateTime

revision = '0008_sensors'
down_revision = '0007_claim'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sensor',
        sa.Column('id', sa.String(length=64), primary_key=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('lat', sa.Float(), nullable=False),
        sa.Column('lon', sa.Float(), nullable=False),
        sa.Column('region_code', sa.String(), sa.ForeignKey('region.code'), nullable=True),
        sa.Column('warn', sa.Float(), nullable=False),
        sa.Column('danger', sa.Float(), nullable=False),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('interval_s', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('last_at_ms', sa.BigInteger(), nullable=True),
        sa.Column('last_value', sa.Float(), nullable=True),
        sa.Column('heard_ms', sa.BigInteger(), nullable=True),
        sa.Column('report_id', sa.String(length=36), nullable=True),
        sa.Column('episode', sa.Text(), nullable=False),
        sa.Column('offline_since_ms', sa.BigInteger(), nullable=True),
        sa.Column('offline_report_id', sa.String(length=36), nullable=True),
        sa.CheckConstraint("kind IN ('water_level', 'rain', 'air_quality')",
                           name='ck_sensor_kind'),
        sa.CheckConstraint('interval_s > 0', name='ck_sensor_interval'),
    )
    op.create_table(
        'sensor_reading',
        sa.Column('sensor_id', sa.String(length=64), primary_key=True),
        sa.Column('at_ms', sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column('value', sa.Float(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'sensor_rollup',
        sa.Column('sensor_id', sa.String(length=64), primary_key=True),
        sa.Column('bucket_ms', sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('vmin', sa.Float(), nullable=False),
        sa.Column('vmax', sa.Float(), nullable=False),
        sa.Column('vavg', sa.Float(), nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table('sensor_rollup')
    op.drop_table('sensor_reading')
    op.drop_table('sensor')
