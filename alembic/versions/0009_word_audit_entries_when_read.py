"""Word audit entries when they are read: `audit_entry_view` keeps each entry's sentence as a
key and its values (`summary_key`, `summary_values`, JSON) instead of an English text.

The sentence is worded at reading time, in the reader's language, with the registry's current
names (`projections.view_wording`). The table is recreated empty and the `audit_trail`
projection's tracking row dropped, so the projection replays the log from its start.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UUID_LEN = 36


def _create(sentence: list[sa.Column]) -> None:  # type: ignore[type-arg]
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
        *sentence,
    )
    op.create_index("ix_audit_case", "audit_entry_view", ["case_id", "position"])
    op.create_index("ix_audit_professional", "audit_entry_view", ["professional_id", "position"])
    op.create_index("ix_audit_institution", "audit_entry_view", ["institution_id", "position"])
    op.create_index(
        "ix_audit_counterpart", "audit_entry_view", ["counterpart_institution_id", "position"]
    )


def _replay() -> None:
    op.execute("DELETE FROM projection_tracking WHERE name = 'audit_trail'")


def upgrade() -> None:
    op.drop_table("audit_entry_view")
    _create(
        [
            sa.Column("summary_key", sa.String(64), nullable=False),
            sa.Column("summary_values", sa.Text, nullable=False),
        ]
    )
    _replay()


def downgrade() -> None:
    op.drop_table("audit_entry_view")
    _create([sa.Column("summary", sa.Text, nullable=False)])
    _replay()
