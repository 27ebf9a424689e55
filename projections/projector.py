"""What a projector is: tables it owns, and handlers keyed on event classes.

Each projector declares, for every event class the application records, either the handlers
that fold it (`on`, several may) or that it has nothing to do with it (`ignore`). Meeting a
class it declared neither way is an error (`UnhandledEventError`), not a silent skip: a new
kind of event must be thought about by every projector (`tests/unit/test_dispatch.py` checks
them all against `domain.events.ALL_EVENTS`).

Events reach a projector as the runner decodes them (the application's read mapper: the real
event classes, personal fields left sealed), so dispatch sees the classes the aggregates define.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from eventsourcing.domain import DomainEvent
from sqlalchemy import Table

from domain.events import event_type
from projections.batch import Batch

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Batch, Any, int], None]


class UnhandledEventError(LookupError):
    """A projector met an event class it neither handles nor ignores."""


class Projector:
    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]

    def __init__(self) -> None:
        self.handlers: dict[type[DomainEvent], list[Handler]] = {}
        self.ignored: set[type[DomainEvent]] = set()
        self.declare()

    def declare(self) -> None:
        """Say, with `on` and `ignore`, what the projector does with each event class."""

    def on(self, handler: Callable[[Batch, E, int], None], *classes: type[E]) -> None:
        """`handler(batch, event, position)` folds events of these classes (after any handler
        declared before it for the same class)."""
        for cls in classes:
            self.handlers.setdefault(cls, []).append(handler)

    def ignore(self, *classes: type[DomainEvent]) -> None:
        self.ignored.update(classes)

    def knows(self, cls: type[DomainEvent]) -> bool:
        return cls in self.handlers or cls in self.ignored

    def apply(self, batch: Batch, event: DomainEvent, position: int) -> None:
        handlers = self.handlers.get(type(event))
        if handlers is None:
            if type(event) in self.ignored:
                return
            raise UnhandledEventError(
                f"projector {self.name!r} neither handles nor ignores {event_type(event)}"
            )
        for handler in handlers:
            handler(batch, event, position)

    def prepare(self, batch: Batch, events: Sequence[DomainEvent]) -> None:
        """Called once per batch before its events: load in one query what they will touch."""

    def finish(self, batch: Batch) -> None:
        """Called once per batch, after the last event and before the rows are written."""
