"""Create `transfer_view` (transfer requests of a case's holding) and replay the coherence
projection (issue 17: holder and référent de parcours).

A case's facts (`case_coherence_view.facts`) now keep each holder with its dates, the pending
transfer requests and the référent assigned by a supervisor; documents written before lack the
history, so the coherence projection's rows are emptied and its tracking row dropped, as in 0011.
The new `transfers` projection has no tracking row yet: the runner replays it from the log's
beginning (dropped all the same, so a downgrade then upgrade starts it afresh).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UUID_LEN = 36
COHERENCE_TABLES = (
    "case_coherence_view",
    "case_actor_view",
    "delegation_terms_view",
    "partnership_terms_view",
    "partnership_party_view",
)


def _replay(*projections: str) -> None:
    if "coherence" in projections:
        for table in COHERENCE_TABLES:
            op.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    for name in projections:
        op.execute(f"DELETE FROM projection_tracking WHERE name = '{name}'")  # noqa: S608


def upgrade() -> None:
    op.create_table(
        "transfer_view",
        sa.Column("transfer_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("case_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("from_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("to_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("requested_by", sa.String(UUID_LEN), nullable=False),
        sa.Column("requesting_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("answering_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(UUID_LEN)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_transfer_answering",
        "transfer_view",
        ["answering_institution_id", "status", "requested_at"],
    )
    op.create_index(
        "ix_transfer_requesting",
        "transfer_view",
        ["requesting_institution_id", "status", "requested_at"],
    )
    op.create_index("ix_transfer_case", "transfer_view", ["case_id"])
    _replay("coherence", "transfers")


def downgrade() -> None:
    op.drop_table("transfer_view")
    _replay("coherence", "transfers")  # the older code reads the older shape: replay it too
