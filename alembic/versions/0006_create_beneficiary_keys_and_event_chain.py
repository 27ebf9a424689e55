"""Create `beneficiary_key` (one key per case's beneficiary, apart from the log) and
`event_chain` (a hash chained over every stored event, in notification order).

`beneficiary_key.key` is NULL once destroyed: the row stays as a tombstone, so nothing personal is
ever sealed again for an erased beneficiary; `wiped_at` says when the store's leftovers of it
(WAL pages, dead row versions) were overwritten. `event_chain` holds, for each position
of the log, SHA-256(previous hash, position, originator, version, topic, stored state), written
in the transaction that stores the event (see `api/store/integrity.py` and the recorders
`api/store/chained_*.py`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "beneficiary_key",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("key", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("wiped_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "event_chain",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("chain_hash", sa.LargeBinary(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_chain")
    op.drop_table("beneficiary_key")
