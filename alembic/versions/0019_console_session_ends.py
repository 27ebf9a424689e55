"""Create `console_session_ended` and `console_person_sessions`: the console's sessions ended on
the server (a sign-out, an operator ending every session of a person), so that a copied cookie
is refused although its signature still checks out (`api.store.console_sessions`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "console_session_ended",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("professional_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_console_session_ended_signed_in_at", "console_session_ended", ["signed_in_at"]
    )
    op.create_table(
        "console_person_sessions",
        sa.Column("professional_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_person_sessions")
    op.drop_table("console_session_ended")
