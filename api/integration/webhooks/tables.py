"""The webhook tables (`alembic/versions/0018_create_webhooks.py`): subscriptions and their
outbox. Configuration and delivery state kept beside the store, not events of the log: a
subscription's URL changes, an attempt's outcome is operational, and none of it is an act on a
beneficiary.

`webhook_subscription.cursor` is how far into the feed (a feed position) the subscription's
deliveries have been derived; `webhook_delivery` holds one row per (subscription, position), never
two (unique), its id the `webhook-id` the receiver sees (`msg_…`). `locked_until` is a worker's
lease on a delivery it is sending (`claimed_by` names the worker): another worker skips it until
then, and takes it over if the first one crashed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from projections.tables import UUID_LEN, metadata

webhook_subscription = Table(
    "webhook_subscription",
    metadata,
    Column("subscription_id", String(UUID_LEN), primary_key=True),
    Column("client_id", String(UUID_LEN), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("kinds", Text, nullable=False),  # JSON list of event types
    Column("secret_version", Integer, nullable=False),
    Column("cursor", BigInteger, nullable=False),  # feed position derived up to
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(UUID_LEN), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(UUID_LEN), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    Column("removed_by", String(UUID_LEN)),
)

webhook_delivery = Table(
    "webhook_delivery",
    metadata,
    Column("delivery_id", String(40), primary_key=True),  # the webhook-id, msg_…
    Column("subscription_id", String(UUID_LEN), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # the JSON body, as signed
    Column("status", String(16), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("claimed_by", String(64)),
    Column("last_attempt_at", DateTime(timezone=True)),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", DateTime(timezone=True)),
    UniqueConstraint("subscription_id", "position", name="uq_webhook_delivery_position"),
    Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    Index("ix_webhook_delivery_subscription", "subscription_id", "status", "created_at"),
)
