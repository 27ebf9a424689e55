"""Replay the coherence projection: its facts changed shape (issue 15).

A case's facts (`case_coherence_view.facts`) now keep each acknowledgement (who, when, for which
events — never its note), the acts outside a delegation and each share's legal reference; a
partnership's terms keep each party's signature day. Documents written before lack them, so the
projection's rows are emptied and its tracking row dropped: the runner replays the log from its
start (`maillage project`, or the service's own follower), rebuilding them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = (
    "case_coherence_view",
    "case_actor_view",
    "delegation_terms_view",
    "partnership_terms_view",
    "partnership_party_view",
)


def _replay() -> None:
    for table in TABLES:
        op.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    op.execute("DELETE FROM projection_tracking WHERE name = 'coherence'")


def upgrade() -> None:
    _replay()


def downgrade() -> None:
    _replay()  # the older code reads the older shape: replay it too
