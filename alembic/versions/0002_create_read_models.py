"""Create the read models: tracking, registry names, case actors, audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "projection_tracking",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "institution_view",
        sa.Column("institution_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
    )
    op.create_table(
        "professional_view",
        sa.Column("professional_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("profession", sa.String(100), nullable=False),
    )
    op.create_table(
        "case_actor_view",
        sa.Column("case_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("professional_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("institution_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("role", sa.String(100), nullable=False),
        sa.Column("basis_kind", sa.String(32), nullable=False),
        sa.Column("basis_ref", sa.String(UUID_LEN)),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True)),
        sa.Column("last_action_at", sa.DateTime(timezone=True)),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_case_actor_professional", "case_actor_view", ["professional_id"])
    op.create_index("ix_case_actor_institution", "case_actor_view", ["institution_id"])
    op.create_table(
        "audit_entry_view",
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
        sa.Column("summary", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_case", "audit_entry_view", ["case_id", "position"])
    op.create_index("ix_audit_professional", "audit_entry_view", ["professional_id", "position"])
    op.create_index("ix_audit_institution", "audit_entry_view", ["institution_id", "position"])
    op.create_index(
        "ix_audit_counterpart", "audit_entry_view", ["counterpart_institution_id", "position"]
    )


def downgrade() -> None:
    for table in (
        "audit_entry_view",
        "case_actor_view",
        "professional_view",
        "institution_view",
        "projection_tracking",
    ):
        op.drop_table(table)
