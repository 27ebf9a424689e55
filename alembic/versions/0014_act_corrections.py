"""Corrections of acts recorded in error (issue 17): the report projection reads acts through
what corrections changed of them, and the coherence facts keep the acts that may be corrected.

- `report_act_view.act_id` names an act that may be corrected or annulled (an intervention, a
  coordination meeting, a share); `report_act_change_view` keeps, per act, its kind and date as
  corrected, or its annulment. Both projections are emptied and replayed from the start of the
  log (`maillage project`, or the service's own follower), to fill them.
- A case now keeps its correctable acts in its state: snapshots taken before (caches of the
  log, never the truth) lack them, so they are dropped; each case is folded again from its
  events when next loaded, and snapshotted again on its usual interval.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UUID_LEN = 36
REPLAYED = {
    "reports": (
        "report_act_view",
        "report_case_view",
        "report_referral_view",
        "report_scope_view",
        "report_scope_member_view",
        "funding_view",
    ),
    "coherence": (
        "case_coherence_view",
        "case_actor_view",
        "delegation_terms_view",
        "partnership_terms_view",
        "partnership_party_view",
    ),
}


def _replay() -> None:
    for projection, tables in REPLAYED.items():
        for name in tables:
            op.execute(sa.table(name).delete())
        op.execute(f"DELETE FROM projection_tracking WHERE name = '{projection}'")  # noqa: S608


def _drop_snapshots() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(sa.table("stored_snapshots" if sqlite else "maillage_snapshots").delete())


def upgrade() -> None:
    with op.batch_alter_table("report_act_view") as table:
        table.add_column(sa.Column("act_id", sa.String(UUID_LEN)))
        table.create_index("ix_report_act_act", ["act_id"])
    op.create_table(
        "report_act_change_view",
        sa.Column("act_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("case_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True)),
        sa.Column("intervention_kind", sa.String(64)),
        sa.Column("annulled", sa.Boolean, nullable=False),
    )
    op.create_index("ix_report_act_change_occurred", "report_act_change_view", ["occurred_at"])
    _replay()
    _drop_snapshots()


def downgrade() -> None:
    op.drop_table("report_act_change_view")
    with op.batch_alter_table("report_act_view") as table:
        table.drop_index("ix_report_act_act")
        table.drop_column("act_id")
    _replay()  # the older code reads the older shape
    _drop_snapshots()  # and older snapshots do not know the acts a case keeps
