"""The outbox of webhook deliveries: derived from the feed by a tracked step, claimed by workers
under a lease, settled after each attempt.

**Derived, not written with the command.** Deliveries are not written in the transaction that
records an event: the log's writers know nothing of webhooks. A step reads, for each subscription,
the feed's page after its cursor (`projections.feed.feed_page`: what its client's institution may
know, of the kinds both the subscription and the client name), inserts one row per event — at
most one per (subscription, position), a unique key — and advances the cursor, in one
transaction. A crash before the commit leaves neither rows nor cursor; after it, both. So every
event a subscription may receive gets exactly one delivery, however many workers run: on
PostgreSQL a worker skips a subscription another one holds (`FOR UPDATE SKIP LOCKED`); on SQLite
the step takes the file's write lock before it reads the cursor, and workers take turns.

**Claimed under a lease.** A worker claims due deliveries in one statement (PostgreSQL: `FOR UPDATE
SKIP LOCKED`; SQLite: one writer at a time), setting `locked_until` and a claim token. It sends
them outside any transaction, then settles each one only if its claim still holds. A delivery
whose subscription has been removed, whose client application has been revoked since, or whose
kind the client or the subscription no longer follows, is not sent: the claim marks it dead, its
`last_error` saying why (a paused subscription's deliveries wait, unclaimed, for it to resume).
A worker that crashed leaves its claims to expire: another takes them over, and the receiver may
get one twice (at least once; the `webhook-id` stays the same, for it to drop a duplicate).
"""

from __future__ import annotations

import json
import random as _random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, Engine, and_, or_, select, update

from api.integration.clients import integration_client
from api.integration.webhooks.payload import body, delivery_id
from api.integration.webhooks.tables import webhook_delivery, webhook_subscription
from domain.integration import delivered_kinds, withheld_delivery
from projections.batch import insert_new
from projections.feed import feed_page, feed_position

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
STATUSES = (PENDING, DELIVERED, DEAD)
REMOVED = "not sent: the subscription has been removed"


def backoff(
    attempts: int, base: float, cap: float, random: Callable[[], float] = _random.random
) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base × 2^(attempts-1), capped, with
    "equal jitter" (between half of it and all of it), so that deliveries failing together do
    not come back together."""
    full = min(base * 2 ** max(attempts - 1, 0), cap)
    return timedelta(seconds=full / 2 + random() * full / 2)


# --- deriving deliveries from the feed --------------------------------------------------------


def _lock_subscription(conn: Connection, subscription_id: str) -> tuple[str, list[str], int] | None:
    """The subscription's client, kinds and cursor, locked for this transaction; None if it is
    inactive, removed, or held by another worker."""
    s = webhook_subscription.c
    live = and_(s.subscription_id == subscription_id, s.active.is_(True), s.removed_at.is_(None))
    query = select(s.client_id, s.kinds, s.cursor).where(live)
    if conn.dialect.name == "sqlite":
        # The driver begins lazily: write first, so this transaction holds the file's write
        # lock before it reads the cursor (two workers take turns, never derive twice).
        conn.execute(update(webhook_subscription).where(live).values(cursor=s.cursor))
    else:
        query = query.with_for_update(skip_locked=True)
    row = conn.execute(query).one_or_none()
    return None if row is None else (row.client_id, json.loads(row.kinds), int(row.cursor))


def _client_scope(conn: Connection, client_id: str) -> tuple[str, set[str]] | None:
    c = integration_client.c
    row = conn.execute(
        select(c.institution_id, c.kinds, c.revoked_at).where(c.client_id == client_id)
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row.institution_id, set(json.loads(row.kinds))


def derive_page(conn: Connection, subscription_id: str, now: datetime, limit: int) -> int | None:
    """One step for one subscription, in the transaction of `conn`: the deliveries of the next
    page of its feed, and its cursor after them. Returns how many were derived (None: skipped —
    inactive, removed, its client revoked, or another worker on it)."""
    locked = _lock_subscription(conn, subscription_id)
    if locked is None:
        return None
    client_id, kinds, cursor = locked
    scope = _client_scope(conn, client_id)
    if scope is None:  # revoked: nothing is owed to it, its cursor stays where it was
        return None
    institution_id, client_kinds = scope
    reached = feed_position(conn)  # read before the page: the page holds everything up to it
    page = feed_page(
        conn,
        UUID(institution_id),
        after=cursor,
        limit=limit,
        kinds=sorted(delivered_kinds(client_kinds, kinds)),
    )
    last = page[-1].position if page else cursor
    moved = last if len(page) == limit else max(reached, last)
    rows = [
        {
            "delivery_id": delivery_id(UUID(subscription_id), row.position),
            "subscription_id": subscription_id,
            "position": row.position,
            "kind": row.event_type,
            "payload": body(row),
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now,
        }
        for row in page
    ]
    if rows:
        conn.execute(insert_new(conn, webhook_delivery), rows)
    if moved > cursor:
        conn.execute(
            update(webhook_subscription)
            .where(webhook_subscription.c.subscription_id == subscription_id)
            .values(cursor=moved)
        )
    return len(rows)


def derive(engine: Engine, now: datetime, *, limit: int = 500) -> int:
    """Bring every live subscription's deliveries up to the feed; returns how many were derived."""
    s = webhook_subscription.c
    with engine.connect() as conn:
        live = (
            conn.execute(
                select(s.subscription_id).where(s.active.is_(True), s.removed_at.is_(None))
            )
            .scalars()
            .all()
        )
    derived = 0
    for subscription_id in live:
        while True:
            with engine.begin() as conn:
                count = derive_page(conn, subscription_id, now, limit)
            derived += count or 0
            if count is None or count < limit:
                break
    return derived


# --- claiming and settling --------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    delivery_id: str
    subscription_id: UUID
    url: str
    secret_version: int
    payload: str
    attempts: int  # before this one
    token: str  # the claim, checked when the attempt is settled


def claim(
    engine: Engine,
    now: datetime,
    *,
    lease: timedelta,
    limit: int,
    not_sent: list[str] | None = None,
) -> list[Claimed]:
    """Up to `limit` due deliveries of live subscriptions, leased until `now + lease` (those of
    removed subscriptions, or out of their client's scope, marked dead instead: never sent; their
    ids added to `not_sent`). No request is sent for these: their last attempt (`attempts`,
    `last_attempt_at`, `last_status_code`) stays the last one really made, `last_error` says
    why they are dead."""
    d, s = webhook_delivery.c, webhook_subscription.c
    token = uuid4().hex
    due = (
        select(d.delivery_id)
        .join(webhook_subscription, s.subscription_id == d.subscription_id)
        .where(
            d.status == PENDING,
            d.next_attempt_at <= now,
            or_(d.locked_until.is_(None), d.locked_until <= now),
            or_(s.active.is_(True), s.removed_at.is_not(None)),  # a paused one's wait
        )
        .order_by(d.next_attempt_at, d.position)
        .limit(limit)
        .with_for_update(skip_locked=True, of=webhook_delivery)
    )
    with engine.begin() as conn:
        conn.execute(
            update(webhook_delivery)
            .where(d.delivery_id.in_(due.scalar_subquery()))
            .values(locked_until=now + lease, claimed_by=token)
        )
        c = integration_client.c
        found = conn.execute(
            select(
                d.delivery_id,
                d.subscription_id,
                d.payload,
                d.attempts,
                d.kind,
                s.url,
                s.secret_version,
                s.kinds,
                s.removed_at.label("removed_at"),
                c.kinds.label("client_kinds"),
                c.revoked_at,
            )
            .join(webhook_subscription, s.subscription_id == d.subscription_id)
            .outerjoin(integration_client, c.client_id == s.client_id)
            .where(d.claimed_by == token)
            .order_by(d.next_attempt_at, d.position)
        ).all()
        rows = [r for r in found if _out_of_scope(r) is None]
        for r in found:
            reason = _out_of_scope(r)
            if reason is not None:  # never sent: dead at once, saying why (redeliver if wrong)
                conn.execute(
                    update(webhook_delivery)
                    .where(d.delivery_id == r.delivery_id, d.claimed_by == token)
                    .values(status=DEAD, last_error=reason, locked_until=None, claimed_by=None)
                )
                if not_sent is not None:
                    not_sent.append(r.delivery_id)
    return [
        Claimed(
            r.delivery_id,
            UUID(r.subscription_id),
            r.url,
            r.secret_version,
            r.payload,
            r.attempts,
            token,
        )
        for r in rows
    ]


def _out_of_scope(row: Any) -> str | None:
    """Why a claimed delivery may no longer be sent (None: it may): its subscription removed,
    else `withheld_delivery` (its client revoked or gone, its kind no longer followed)."""
    if row.removed_at is not None:
        return REMOVED
    live = row.client_kinds is not None and row.revoked_at is None
    return withheld_delivery(
        row.kind,
        client_kinds=json.loads(row.client_kinds) if live else None,
        subscription_kinds=json.loads(row.kinds),
    )


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a status code if the receiver answered, an error otherwise."""

    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


def settle(
    engine: Engine,
    claimed: Claimed,
    outcome: Outcome,
    now: datetime,
    *,
    max_attempts: int,
    wait: Callable[[int], timedelta],
) -> str | None:
    """Record the attempt: delivered, pending again (after `wait(attempts)`), or dead after
    `max_attempts`. Returns the new status (None: the claim had expired and another worker took
    the delivery over: its attempt is the one recorded)."""
    attempts = claimed.attempts + 1
    values: dict[str, object] = {
        "attempts": attempts,
        "last_attempt_at": now,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "locked_until": None,
        "claimed_by": None,
    }
    if outcome.delivered:
        status = DELIVERED
        values["delivered_at"] = now
    elif attempts >= max_attempts:
        status = DEAD
    else:
        status = PENDING
        values["next_attempt_at"] = now + wait(attempts)
    d = webhook_delivery.c
    with engine.begin() as conn:
        done = conn.execute(
            update(webhook_delivery)
            .where(d.delivery_id == claimed.delivery_id, d.claimed_by == claimed.token)
            .values(status=status, **values)
        )
    return status if done.rowcount == 1 else None


def redeliver(conn: Connection, delivery: str, now: datetime) -> bool:
    """Send a delivery again, whatever its state: pending, due now, its attempts counted anew
    (same `webhook-id`). False if there is no such delivery."""
    d = webhook_delivery.c
    done = conn.execute(
        update(webhook_delivery)
        .where(d.delivery_id == delivery)
        .values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            locked_until=None,
            claimed_by=None,
            delivered_at=None,
        )
    )
    return done.rowcount == 1


def drop_pending(conn: Connection, subscription_id: UUID, now: datetime) -> int:
    """A removed subscription's pending deliveries, dead (`REMOVED`) rather than pending for
    ever; those a worker is sending now are left to it (a later claim marks them dead if it
    does not deliver them). Returns how many."""
    d = webhook_delivery.c
    done = conn.execute(
        update(webhook_delivery)
        .where(
            d.subscription_id == str(subscription_id),
            d.status == PENDING,
            or_(d.locked_until.is_(None), d.locked_until <= now),
        )
        .values(status=DEAD, last_error=REMOVED, locked_until=None, claimed_by=None)
    )
    return int(done.rowcount)
