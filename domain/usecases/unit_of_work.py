"""What was loaded in one context, reused instead of loaded again: a request's identity map, and
an import's unit of work (commands decided one after the other and saved in one transaction).

A request (`UseCaseBase.loads_shared`) authorises its caller, then decides its command: both
read the same case, the same acting professional, their institution… An `IdentityMap` keeps
each aggregate loaded once in the request, for the command to decide on. It is dropped whenever
a decision fails or a save is refused (a version conflict): the next attempt reloads everything
and decides on fresh state, and no aggregate a failed decision changed stays in it.

While a unit is in progress (`UseCaseBase.unit_of_work`), the application's commands are decided
on working copies and kept here instead of being saved; `UseCaseBase.save_unit` then records
them all at once.

Either is a context variable, tied to the application that opened it: another application in
the same thread (another store) loads and saves as usual, and nothing outlives the block that
opened it (a worker thread serving the next request starts without one).
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


class IdentityMap:
    """Aggregates loaded in one context, by id (`UseCaseBase.loads_shared`): loaded once."""

    def __init__(self) -> None:
        self.loaded: dict[UUID, Aggregate] = {}
        self.deciding = False  # a command is deciding on it (`deciding_on`)

    def forget(self) -> None:
        """Load everything afresh from now on (a decision failed, or its save was refused)."""
        self.loaded.clear()


class UnitOfWork(IdentityMap):
    """Commands decided one after the other and saved together (`UseCaseBase.unit_of_work`).

    Every aggregate a command loads comes from here once loaded (an identity map: the batch
    decides on one state of the registry); a command works on a copy, kept only if it succeeds,
    so a refused command leaves nothing behind. Only aggregates of the kinds the unit `changes`
    are copied (and may be saved); the others are shared by its commands, read-only (copying
    the acting professional for every line was half an import's time). `changed` is what a save
    must record."""

    def __init__(self, changes: tuple[type[Aggregate], ...]) -> None:
        super().__init__()
        self.changes = changes
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

    def forget(self) -> None:
        """A unit's commands work on copies: a failed one left nothing to forget."""


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


# The identity map (or unit of work) in progress, and the application it belongs to.
_LOADED: ContextVar[tuple[object, IdentityMap] | None] = ContextVar("maillage_loaded", default=None)


@contextmanager
def unit_in_progress(owner: object, unit: UnitOfWork) -> Iterator[UnitOfWork]:
    """Within the block, `owner`'s commands are kept in `unit` instead of being saved."""
    token = _LOADED.set((owner, unit))
    try:
        yield unit
    finally:
        _LOADED.reset(token)


@contextmanager
def shared_loads(owner: object) -> Iterator[IdentityMap]:
    """Within the block, what `owner` loads is loaded once; within one already open (a unit's,
    or a request's around a command's), that one goes on."""
    current = current_map(owner)
    if current is not None:
        yield current
        return
    known = IdentityMap()
    token = _LOADED.set((owner, known))
    try:
        yield known
    finally:
        _LOADED.reset(token)


@contextmanager
def deciding_on(owner: object) -> Iterator[IdentityMap | None]:
    """The identity map a command decides on: the one open in this context (none: it loads
    from the store), unless another command is deciding on it — a command run within another's
    decision (in tests, "another writer meanwhile") loads for itself, as another request would."""
    current = current_map(owner)
    if current is None or not current.deciding:
        if current is not None:
            current.deciding = True
        try:
            yield current
        finally:
            if current is not None:
                current.deciding = False
        return
    own = IdentityMap()
    own.deciding = True
    token = _LOADED.set((owner, own))
    try:
        yield own
    finally:
        _LOADED.reset(token)


def current_map(owner: object) -> IdentityMap | None:
    """The identity map (or unit of work) `owner` has open in this context, if any."""
    current = _LOADED.get()
    return current[1] if current is not None and current[0] is owner else None


def current_unit(owner: object) -> UnitOfWork | None:
    """The unit of work `owner` has in progress in this context, if any."""
    known = current_map(owner)
    return known if isinstance(known, UnitOfWork) else None
