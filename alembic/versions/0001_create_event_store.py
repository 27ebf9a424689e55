"""Create the event store: stored events (the log) and snapshots.

The shapes are exactly those the `eventsourcing` 9.5 native recorders expect; the library's own
table creation is turned off so that this migration is the one place they are defined.
- SQLite: `stored_events` (a rowid table: the rowid is the notification id), `stored_snapshots`.
- PostgreSQL: `maillage_events` with a `notification_id` bigserial and its unique index, the
  composite type `stored_event_uuid` used by the recorder's bulk insert, `maillage_snapshots`.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PG_AUTOVACUUM = (
    "WITH (autovacuum_enabled = true, autovacuum_vacuum_threshold = 100000000, "
    "autovacuum_vacuum_scale_factor = 0.5, autovacuum_analyze_threshold = 1000, "
    "autovacuum_analyze_scale_factor = 0.01)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TABLE stored_events ("
            "originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        op.execute(
            "CREATE TABLE stored_snapshots ("
            "originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
            "PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID"
        )
        return
    op.execute(
        "CREATE TABLE maillage_events ("
        "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
        "topic text, state bytea, notification_id bigserial, "
        f"PRIMARY KEY (originator_id, originator_version)) {_PG_AUTOVACUUM}"
    )
    op.execute(
        "CREATE UNIQUE INDEX maillage_events_notification_id_idx "
        "ON maillage_events (notification_id ASC)"
    )
    op.execute(
        "CREATE TABLE maillage_snapshots ("
        "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
        "topic text, state bytea, PRIMARY KEY (originator_id, originator_version)) "
        f"{_PG_AUTOVACUUM}"
    )
    op.execute(
        "CREATE TYPE stored_event_uuid AS ("
        "originator_id uuid, originator_version bigint, topic text, state bytea)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE stored_snapshots")
        op.execute("DROP TABLE stored_events")
        return
    op.execute("DROP TYPE stored_event_uuid")
    op.execute("DROP TABLE maillage_snapshots")
    op.execute("DROP TABLE maillage_events")
