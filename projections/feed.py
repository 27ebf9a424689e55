"""The catch-up feed's read model: every event of the log, and which institutions may know it
(`domain.feed_audience`) and whether it is involved or only told, for `GET /feed` and for
webhooks (issue 19).

Created by `alembic/versions/0015_create_feed_views.py`. One row per event in `feed_entry_view`
(the same row as the audit trail's, `projections.projectors.entry_row`: personal fields are never
here, they stay sealed in the log), one row per (institution, event) in `feed_audience_view`, and
each aggregate's audience so far in `feed_audience_state` (JSON), read back by the next event.

Positions are the log's notification ids. A page for an institution skips the events it may not
know, and PostgreSQL's sequence may skip ids a rolled-back transaction took: positions have gaps,
and a consumer resumes from the last position it received, never from a count. Rows are written in
log order with the projector's position in the same transaction, so a page never holds an event
whose predecessor (for that institution) is still to come.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    String,
    Table,
    Text,
    select,
)

from domain.events import ALL_EVENTS, event_type
from domain.feed_audience import Audience, aggregate_of, audience_of
from projections.batch import Batch, ident
from projections.projector import Projector
from projections.projectors import entry_row
from projections.tables import (
    UUID_LEN,
    as_utc,
    audit_entry_view,
    metadata,
    projection_tracking,
)

FEED = "feed"

# The audit trail's row (`projections.projectors.entry_row`), in the feed's own table: the two
# projections move apart (a rebuild of one, a lag), so neither reads the other's rows.
feed_entry_view = Table(
    "feed_entry_view",
    metadata,
    *(
        Column(
            c.name,
            c.type,
            primary_key=c.primary_key,
            nullable=c.nullable,
            autoincrement=False if c.primary_key else "auto",
        )
        for c in audit_entry_view.columns
    ),
)

feed_audience_view = Table(
    "feed_audience_view",
    metadata,
    Column("institution_id", String(UUID_LEN), primary_key=True),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("event_type", String(64), nullable=False),
    # involved in the event's case (or named by its registry aggregate); False: only told of
    # this one event (addressed by it) — never given its personal fields
    Column("involved", Boolean, nullable=False),
    Index("ix_feed_audience_kind", "institution_id", "event_type", "position"),
)

feed_audience_state = Table(
    "feed_audience_state",
    metadata,
    Column("aggregate_id", String(UUID_LEN), primary_key=True),
    Column("audience", Text, nullable=False),
)


class Feed(Projector):
    """Each event, and the institutions that may know it."""

    name = FEED
    tables = (feed_entry_view, feed_audience_view, feed_audience_state)

    def declare(self) -> None:
        self.on(self.entry, *ALL_EVENTS)

    def prepare(self, batch: Batch, events: Sequence[DomainEvent]) -> None:
        batch.load_many(feed_audience_state, [(ident(aggregate_of(e)),) for e in events])

    def entry(self, batch: Batch, event: DomainEvent, position: int) -> None:
        key = ident(aggregate_of(event))
        stored = batch.get(feed_audience_state, (key,))
        audience = Audience.from_document(json.loads(stored["audience"]) if stored else {})
        told = audience_of(event, audience)
        batch.put(
            feed_audience_state,
            {"aggregate_id": key, "audience": json.dumps(audience.to_document(), sort_keys=True)},
        )
        batch.append(feed_entry_view, entry_row(event, position))
        kind = event_type(event)
        for institution_id in sorted(told.everyone, key=str):
            batch.append(
                feed_audience_view,
                {
                    "institution_id": ident(institution_id),
                    "position": position,
                    "event_type": kind,
                    "involved": institution_id in told.involved,
                },
            )


@dataclass(frozen=True)
class FeedRow:
    """One event of an institution's feed, as the read model holds it (no personal field)."""

    position: int
    event_type: str
    aggregate_id: UUID
    aggregate_version: int
    case_id: UUID | None
    professional_id: UUID | None
    institution_id: UUID | None
    counterpart_institution_id: UUID | None
    basis_kind: str | None
    basis_ref: UUID | None
    occurred_at: datetime
    recorded_at: datetime
    summary_key: str
    summary_values: dict[str, Any]
    involved: bool  # the institution is involved: it may be given the personal fields


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value is not None else None


def feed_page(
    conn: Connection,
    institution_id: UUID,
    *,
    after: int,
    limit: int,
    kinds: Sequence[str] | None = None,
) -> list[FeedRow]:
    """The events after `after` that `institution_id` may know, in log order, at most `limit`;
    only those of the event types `kinds` when given (none: an empty page)."""
    if kinds is not None and not kinds:
        return []
    a, e = feed_audience_view, feed_entry_view
    query = (
        select(e, a.c.involved)
        .join(a, a.c.position == e.c.position)
        .where(a.c.institution_id == ident(institution_id), a.c.position > after)
        .order_by(a.c.position)
        .limit(limit)
    )
    if kinds is not None:
        query = query.where(a.c.event_type.in_(sorted(set(kinds))))
    return [
        FeedRow(
            position=r.position,
            event_type=r.event_type,
            aggregate_id=UUID(r.aggregate_id),
            aggregate_version=r.aggregate_version,
            case_id=_uuid(r.case_id),
            professional_id=_uuid(r.professional_id),
            institution_id=_uuid(r.institution_id),
            counterpart_institution_id=_uuid(r.counterpart_institution_id),
            basis_kind=r.basis_kind,
            basis_ref=_uuid(r.basis_ref),
            occurred_at=as_utc(r.occurred_at),
            recorded_at=as_utc(r.recorded_at),
            summary_key=r.summary_key,
            summary_values=json.loads(r.summary_values),
            involved=bool(r.involved),
        )
        for r in conn.execute(query)
    ]


def feed_position(conn: Connection) -> int:
    """How far the feed's read model has reached in the log (0: nothing yet)."""
    position = conn.execute(
        select(projection_tracking.c.position).where(projection_tracking.c.name == FEED)
    ).scalar_one_or_none()
    return int(position or 0)
