"""Create the report projection's tables: facts for funder reports and the network map.

One row per act on a case, per case (opening, first coordination meeting), per referral, per
scope (institution, partnership, network) and member, and per funding
(`projections.report_tables`). The projection starts from the beginning of the log.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "report_act_view",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("professional_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("basis_kind", sa.String(32), nullable=False),
        sa.Column("intervention_kind", sa.String(64)),
    )
    op.create_index("ix_report_act_occurred", "report_act_view", ["occurred_at"])
    op.create_index("ix_report_act_case", "report_act_view", ["case_id"])
    op.create_table(
        "report_case_view",
        sa.Column("case_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_meeting_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "report_referral_view",
        sa.Column("referral_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("case_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("from_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("made_by", sa.String(UUID_LEN), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_report_referral_made", "report_referral_view", ["made_at"])
    op.create_table(
        "report_scope_view",
        sa.Column("scope_kind", sa.String(16), primary_key=True),
        sa.Column("scope_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("detail", sa.String(32), nullable=False),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("ended_on", sa.Date),
    )
    op.create_table(
        "report_scope_member_view",
        sa.Column("scope_kind", sa.String(16), primary_key=True),
        sa.Column("scope_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("member_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("member_kind", sa.String(16), nullable=False),
        sa.Column("signed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_report_scope_member", "report_scope_member_view", ["member_id"])
    op.create_table(
        "funding_view",
        sa.Column("funding_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("funder_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date),
        sa.Column("ended_on", sa.Date),
        sa.Column("reference", sa.String(300)),
    )
    op.create_index("ix_funding_funder", "funding_view", ["funder_id"])


def downgrade() -> None:
    for table in (
        "funding_view",
        "report_scope_member_view",
        "report_scope_view",
        "report_referral_view",
        "report_case_view",
        "report_act_view",
    ):
        op.drop_table(table)
    op.execute("DELETE FROM projection_tracking WHERE name = 'reports'")
