"""Create `integration_client` (issue 19): the client applications of institutions that follow
the catch-up feed and webhooks — configuration, not derived from the log (a backup keeps it).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "integration_client",
        sa.Column("client_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("kinds", sa.Text, nullable=False),
        sa.Column("personal_data", sa.Boolean, nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("previous_secret_hash", sa.String(64)),
        sa.Column("previous_valid_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(UUID_LEN), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(UUID_LEN), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by", sa.String(UUID_LEN)),
        # personal_data is what an administrator requested; a data-protection officer of the
        # client's institution approves it (two people): who, when — cleared when it widens.
        sa.Column("personal_data_approved_at", sa.DateTime(timezone=True)),
        sa.Column("personal_data_approved_by", sa.String(UUID_LEN)),
        # tokens issued before it are refused (a rotation without grace, a revocation)
        sa.Column("tokens_not_before", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_integration_client_institution_id", "integration_client", ["institution_id"]
    )


def downgrade() -> None:
    op.drop_table("integration_client")
