"""Fence idempotency claims: `idempotency_record` gains the claim's `token`, its `lease_until`,
and `committed_position`, written in the transaction that stores the command's events.

A retry can then tell what became of a request whose answer was lost: its events committed
(`committed_position` set), or not — and once the lease is over (or the request ended), it may
take the claim over, with a new token; the first request's commit, if it ever comes, then
finds the token changed and rolls back. See `api/store/idempotency.py` and `api/store/outcome.py`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record") as table:
        table.add_column(sa.Column("token", sa.String(32)))
        table.add_column(sa.Column("lease_until", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("committed_position", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record") as table:
        table.drop_column("committed_position")
        table.drop_column("lease_until")
        table.drop_column("token")
