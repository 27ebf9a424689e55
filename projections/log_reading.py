"""How the read side decodes the log: personal fields left sealed (`domain.privacy`), into the
aggregates' own event classes — what the projectors dispatch on. Used by the runner's pages, the
rebuild's fast decoder and the as-of views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import Mapper, StoredEvent


def read_mapper(app: Application) -> Mapper[Any]:  # type: ignore[type-arg]
    """The application's decoder for readers: one that leaves personal fields sealed, if it has
    one (`domain.privacy`), so the read side never asks for a beneficiary's key."""
    mapper: Mapper[Any] = getattr(app, "read_mapper", app.mapper)
    return mapper


def event_reader(app: Application) -> Callable[[StoredEvent], DomainEvent]:  # type: ignore[type-arg]
    """Decodes stored events for readers (`read_mapper`), into the aggregates' own event classes
    — what the projectors dispatch on (its topic names the class)."""
    to_event = read_mapper(app).to_domain_event

    def read(stored: StoredEvent) -> DomainEvent:
        event = to_event(stored)
        assert isinstance(event, DomainEvent)  # the log holds events, never snapshots
        return event

    return read
