"""City sensors as the server last described them, and their last 24 hours (issue 15).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Filled by the sync's sensor step (console/sync/sensors.py) from ``GET /v1/sensors`` and
``GET /v1/sensors/{id}/series``; read by the map's sensor layer and the detail panel's
sparkline. ``sensor_report`` keeps which report belongs to which gauge: the server names
only a gauge's latest reports, and the link must outlive the next episode. Nothing here
travels back to the server, so nothing here is in the outbox.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sensor",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("warn", sa.Float(), nullable=False),
        sa.Column("danger", sa.Float(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=True),
        sa.Column("report_id", sa.String(length=36), nullable=True),
        sa.Column("offline_report_id", sa.String(length=36), nullable=True),
        sa.Column("series_fetched_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sensor_point",
        sa.Column("sensor_id", sa.String(length=64), nullable=False),
        sa.Column("t_ms", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "t_ms"),
    )
    op.create_table(
        "sensor_report",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("sensor_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_index("ix_sensor_report_sensor_id", "sensor_report", ["sensor_id"])


def downgrade() -> None:
    op.drop_index("ix_sensor_report_sensor_id", table_name="sensor_report")
    op.drop_table("sensor_report")
    op.drop_table("sensor_point")
    op.drop_table("sensor")
