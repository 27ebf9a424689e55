"""National identifiers in the registry's read model (issue 19): FINESS and SIRET of
institutions, RPPS and ADELI of professionals, each unique (one holder at a time; the log's
`IdentifierClaim` aggregates hold that rule for writers, these indexes for the read side).

The registry's projection (`registry_names`) is emptied and replayed from the start of the log
(`maillage project`, or the service's own follower): a database that was downgraded past this
revision and upgraded again holds identification events the projection had already passed.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = {
    "institution_view": (("finess", 9), ("siret", 14)),
    "professional_view": (("rpps", 11), ("adeli", 9)),
}
INDEXES = {"institution_view": "institution", "professional_view": "professional"}


def _replay() -> None:
    for table in COLUMNS:
        op.execute(sa.table(table).delete())
    op.execute("DELETE FROM projection_tracking WHERE name = 'registry_names'")


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, length in columns:
                batch.add_column(sa.Column(name, sa.String(length)))
                batch.create_index(f"ux_{INDEXES[table]}_{name}", [name], unique=True)
    _replay()


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in columns:
                batch.drop_index(f"ux_{INDEXES[table]}_{name}")
                batch.drop_column(name)
    _replay()  # the older code reads the older shape
