"""Create the referral inboxes' table, and replay the coherence projection (issue 17).

`referral_view`: one row per referral, for the lists of what an institution received and made
(`projections.referral_inbox`); its projection (`referrals`) has no tracking row yet, so the
runner replays the log from its start and existing referrals appear. A case's facts
(`case_coherence_view.facts`) now keep its referrals (made, answered or revoked, when): the
coherence projection's rows are emptied and its tracking row dropped, so it is replayed too.
A case's referrals now keep when they were made (`Referral.made_at`, for their expiry): the
snapshots (derived, outside the log and its hash chain) are dropped, so that every case is
rebuilt from its events, and its next snapshot has them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
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


def _replay_coherence() -> None:
    for table in COHERENCE_TABLES:
        op.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    op.execute("DELETE FROM projection_tracking WHERE name = 'coherence'")


def _forget_snapshots() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(f"DELETE FROM {'stored_snapshots' if sqlite else 'maillage_snapshots'}")  # noqa: S608


def upgrade() -> None:
    op.create_table(
        "referral_view",
        sa.Column("referral_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("case_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("from_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("referred_by", sa.String(UUID_LEN), nullable=False),
        sa.Column("to_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("answered_by", sa.String(UUID_LEN)),
    )
    op.create_index(
        "ix_referral_received", "referral_view", ["to_institution_id", "status", "made_at"]
    )
    op.create_index(
        "ix_referral_sent", "referral_view", ["from_institution_id", "status", "made_at"]
    )
    op.execute("DELETE FROM projection_tracking WHERE name = 'referrals'")
    _replay_coherence()
    _forget_snapshots()


def downgrade() -> None:
    op.drop_index("ix_referral_sent", table_name="referral_view")
    op.drop_index("ix_referral_received", table_name="referral_view")
    op.drop_table("referral_view")
    op.execute("DELETE FROM projection_tracking WHERE name = 'referrals'")
    _replay_coherence()  # the older code reads the older shape: replay it too
