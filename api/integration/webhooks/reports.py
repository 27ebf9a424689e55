"""What operators and administrators read of the outbox: each subscription's deliveries (by
status, with their last attempt), and the worker's progress per subscription."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, func, select

from api.integration.webhooks.outbox import DEAD, DELIVERED, PENDING
from api.integration.webhooks.tables import webhook_delivery, webhook_subscription
from projections.tables import as_utc


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    subscription_id: UUID
    position: int
    kind: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None  # None once delivered or dead
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, r: Row[Any]) -> Delivery:
        return cls(
            delivery_id=r.delivery_id,
            subscription_id=UUID(r.subscription_id),
            position=r.position,
            kind=r.kind,
            status=r.status,
            attempts=r.attempts,
            created_at=as_utc(r.created_at),
            next_attempt_at=_at(r.next_attempt_at) if r.status == PENDING else None,
            last_attempt_at=_at(r.last_attempt_at),
            last_status_code=r.last_status_code,
            last_error=r.last_error,
            delivered_at=_at(r.delivered_at),
        )


def delivery(engine: Engine, delivery_id: str) -> Delivery | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(webhook_delivery).where(webhook_delivery.c.delivery_id == delivery_id)
        ).one_or_none()
    return Delivery.of(row) if row is not None else None


def deliveries(
    engine: Engine,
    subscription_id: UUID,
    *,
    limit: int,
    after: int | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> list[Delivery]:
    """A subscription's deliveries in the order of their events (positions), after `after`."""
    d = webhook_delivery.c
    query = (
        select(webhook_delivery)
        .where(d.subscription_id == str(subscription_id))
        .order_by(d.position)
        .limit(limit)
    )
    if after is not None:
        query = query.where(d.position > after)
    if status is not None:
        query = query.where(d.status == status)
    if kind is not None:
        query = query.where(d.kind == kind)
    with engine.connect() as conn:
        return [Delivery.of(r) for r in conn.execute(query)]


@dataclass(frozen=True)
class Progress:
    """One subscription's outbox, for `maillage deliver --status`."""

    subscription_id: UUID
    url: str
    active: bool
    cursor: int
    pending: int
    delivered: int
    dead: int
    oldest_pending: datetime | None

    def oldest_pending_age(self, now: datetime) -> float | None:
        """Seconds the oldest pending delivery has waited (None: none pending)."""
        if self.oldest_pending is None:
            return None
        return (now - self.oldest_pending).total_seconds()


def progress(engine: Engine) -> list[Progress]:
    """Every subscription not removed, with its deliveries counted by status."""
    d, s = webhook_delivery.c, webhook_subscription.c
    with engine.connect() as conn:
        counts: dict[tuple[str, str], int] = {
            (r.subscription_id, r.status): r.n
            for r in conn.execute(
                select(d.subscription_id, d.status, func.count().label("n")).group_by(
                    d.subscription_id, d.status
                )
            )
        }
        oldest = dict(
            conn.execute(
                select(d.subscription_id, func.min(d.created_at))
                .where(d.status == PENDING)
                .group_by(d.subscription_id)
            ).all()
        )
        subscriptions = conn.execute(
            select(s.subscription_id, s.url, s.active, s.cursor)
            .where(s.removed_at.is_(None))
            .order_by(s.created_at, s.subscription_id)
        ).all()
    return [
        Progress(
            subscription_id=UUID(r.subscription_id),
            url=r.url,
            active=bool(r.active),
            cursor=r.cursor,
            pending=counts.get((r.subscription_id, PENDING), 0),
            delivered=counts.get((r.subscription_id, DELIVERED), 0),
            dead=counts.get((r.subscription_id, DEAD), 0),
            oldest_pending=_at(oldest.get(r.subscription_id)),
        )
        for r in subscriptions
    ]
