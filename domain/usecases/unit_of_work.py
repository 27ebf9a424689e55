"""Commands decided one after the other and saved together in one transaction (an import's batch).

While a unit is in progress (`UseCaseBase.unit_of_work`), the application's commands are decided
on working copies and kept here instead of being saved; `UseCaseBase.save_unit` then records
them all at once. The unit in progress is a context variable, tied to the application that
opened it: another application in the same thread (another store) saves as usual.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    """Commands decided one after the other and saved together (`UseCaseBase.unit_of_work`).

    Every aggregate a command loads comes from here once loaded (an identity map: the batch
    decides on one state of the registry); a command works on a copy, kept only if it succeeds,
    so a refused command leaves nothing behind. Only aggregates of the kinds the unit `changes`
    are copied (and may be saved); the others are shared by its commands, read-only (copying
    the acting professional for every line was half an import's time). `changed` is what a save
    must record."""

    def __init__(self, changes: tuple[type[Aggregate], ...]) -> None:
        self.changes = changes
        self.loaded: dict[UUID, Aggregate] = {}
        self.changed: dict[UUID, Aggregate] = {}
        self.pending_events = 0

    def keep(self, aggregates: Sequence[Aggregate]) -> None:
        for aggregate in aggregates:
            if not isinstance(aggregate, self.changes):
                raise TypeError(f"this unit of work changes no {type(aggregate).__name__}")
            before = self.changed.get(aggregate.id)
            self.pending_events += len(aggregate.pending_events) - (
                len(before.pending_events) if before is not None else 0
            )
            self.loaded[aggregate.id] = aggregate
            self.changed[aggregate.id] = aggregate

    def clear(self) -> None:
        self.loaded.clear()
        self.changed.clear()
        self.pending_events = 0


def working_copy(aggregate: A) -> A:
    """A copy to decide on; its pending events (immutable) are shared, not copied: copying them
    each time made a unit's cost grow with the square of a case's events in it."""
    state = aggregate.__dict__
    pending = state.pop("_pending_events", None)
    try:
        copy = deepcopy(aggregate)
    finally:
        if pending is not None:
            state["_pending_events"] = pending
    if pending is not None:
        copy.__dict__["_pending_events"] = list(pending)
    return copy


# The unit of work in progress, and the application it belongs to.
_UNIT: ContextVar[tuple[object, UnitOfWork] | None] = ContextVar("maillage_unit", default=None)


@contextmanager
def unit_in_progress(owner: object, unit: UnitOfWork) -> Iterator[UnitOfWork]:
    """Within the block, `owner`'s commands are kept in `unit` instead of being saved."""
    token = _UNIT.set((owner, unit))
    try:
        yield unit
    finally:
        _UNIT.reset(token)


def current_unit(owner: object) -> UnitOfWork | None:
    """The unit of work `owner` has in progress in this context, if any."""
    current = _UNIT.get()
    return current[1] if current is not None and current[0] is owner else None
