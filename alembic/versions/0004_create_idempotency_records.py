"""Create `idempotency_record`: the first answer to each POST that carried an Idempotency-Key.

A row is claimed (status NULL) before the command runs and completed with its answer after, so a
retry returns that answer and records nothing twice; two concurrent requests with one key cannot
both claim it (primary key). Keys are scoped by the caller, and expire.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_record",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("response_headers", sa.Text),
        sa.Column("response_body", sa.LargeBinary),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_idempotency_created", "idempotency_record", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_created", table_name="idempotency_record")
    op.drop_table("idempotency_record")
