"""Create the coherence projection's tables; it takes over `case_actor_view`.

The coherence projection (`projections.projectors.CaseCoherence`) writes the case actors from the
same facts as the coherence view, replacing the former `case_actors` projection: its tracking row
is dropped and its rows cleared, so the new projection replays them from the start of the log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UUID_LEN = 36


def upgrade() -> None:
    op.create_table(
        "case_coherence_view",
        sa.Column("case_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("holder_institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
    )
    op.create_index("ix_case_coherence_holder", "case_coherence_view", ["holder_institution_id"])
    op.create_table(
        "delegation_terms_view",
        sa.Column("delegation_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("professional_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("institution_id", sa.String(UUID_LEN), nullable=False),
        sa.Column("case_id", sa.String(UUID_LEN)),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_delegation_terms_professional", "delegation_terms_view", ["professional_id"]
    )
    op.create_table(
        "partnership_terms_view",
        sa.Column("partnership_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_table(
        "partnership_party_view",
        sa.Column("partnership_id", sa.String(UUID_LEN), primary_key=True),
        sa.Column("institution_id", sa.String(UUID_LEN), primary_key=True),
    )
    op.create_index(
        "ix_partnership_party_institution", "partnership_party_view", ["institution_id"]
    )
    op.execute("DELETE FROM projection_tracking WHERE name = 'case_actors'")
    op.execute("DELETE FROM case_actor_view")


def downgrade() -> None:
    for table in (
        "partnership_party_view",
        "partnership_terms_view",
        "delegation_terms_view",
        "case_coherence_view",
    ):
        op.drop_table(table)
    op.execute("DELETE FROM projection_tracking WHERE name = 'coherence'")
    op.execute("DELETE FROM case_actor_view")
