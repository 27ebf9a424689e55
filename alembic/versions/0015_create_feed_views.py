"""Create the catch-up feed's read model (issue 19): `feed_entry_view` (each event of the log, no
personal field), `feed_audience_view` (which institutions may know it) and `feed_audience_state`
(each aggregate's audience so far). The new `feed` projection has no tracking row: the runner
replays it from the log's beginning.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "feed_entry_view",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("aggregate_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("aggregate_version", sa.BigInteger, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(UUID_LEN)),
        sa.Column("professional_id", sa.String(UUID_LEN)),
        sa.Column("institution_id", sa.String(UUID_LEN)),
        sa.Column("counterpart_institution_id", sa.String(UUID_LEN)),
        sa.Column("basis_kind", sa.String(32)),
        sa.Column("basis_ref", sa.String(UUID_LEN)),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary_key", sa.String(64), nullable=False),
        sa.Column("summary_values", sa.Text, nullable=False),
    )
    op.create_table(
        "feed_audience_view",
        sa.Column("institution_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("involved", sa.Boolean, nullable=False),
    )
    op.create_index(
        "ix_feed_audience_kind", "feed_audience_view", ["institution_id", "event_type", "position"]
    )
    op.create_table(
        "feed_audience_state",
        sa.Column("aggregate_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("audience", sa.Text, nullable=False),
    )
    op.execute("DELETE FROM projection_tracking WHERE name = 'feed'")


def downgrade() -> None:
    for table in ("feed_audience_state", "feed_audience_view", "feed_entry_view"):
        op.drop_table(table)
    op.execute("DELETE FROM projection_tracking WHERE name = 'feed'")
