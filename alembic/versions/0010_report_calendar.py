"""Reports on the service's calendar: the store records the time zone it is served in
(`service_setting`), and the report projection keeps a network's founding and dissolution as
instants (`report_scope_view.began_at`, `ended_at`), cut into days of that zone when read.

The report projection is emptied and starts again from the beginning of the log, to fill the
new columns.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REPORT_TABLES = (
    "report_act_view",
    "report_case_view",
    "report_referral_view",
    "report_scope_view",
    "report_scope_member_view",
    "funding_view",
)


def _replay_reports() -> None:
    for name in REPORT_TABLES:
        op.execute(sa.table(name).delete())
    op.execute("DELETE FROM projection_tracking WHERE name = 'reports'")


def upgrade() -> None:
    op.create_table(
        "service_setting",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("report_scope_view") as table:
        table.add_column(sa.Column("began_at", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("ended_at", sa.DateTime(timezone=True)))
    _replay_reports()


def downgrade() -> None:
    with op.batch_alter_table("report_scope_view") as table:
        table.drop_column("ended_at")
        table.drop_column("began_at")
    op.drop_table("service_setting")
    _replay_reports()
