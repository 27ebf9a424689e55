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

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar
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
    decides on one state of the registry). A refused command leaves nothing behind: what it is
    handed is noted (`hand_out`: its version and pending events), and an aggregate it changed
    before refusing is put back (`undo`): rebuilt from the store and the events the unit's
    earlier commands kept. A command changes state only by triggering an event (the domain's
    rule: check, then record), so an aggregate whose version did not move is as it was.
    (Copying the case for every line instead was a third of an import's time.) Only aggregates
    of the kinds the unit `changes` may be saved; the others are shared by its commands,
    read-only. `changed` is what a save must record."""

    def __init__(self, changes: tuple[type[Aggregate], ...]) -> None:
        super().__init__()
        self.changes = changes
        self.changed: dict[UUID, Aggregate] = {}
        self.pending_events = 0
        self._handed: dict[UUID, tuple[Aggregate, int, int]] = {}

    def begin(self) -> None:
        """A command starts deciding."""
        self._handed = {}

    def hand_out(self, aggregate: A) -> A:
        """`aggregate` is given to the command deciding: note how it stands."""
        if aggregate.id not in self._handed:
            self._handed[aggregate.id] = (
                aggregate,
                aggregate.version,
                len(aggregate.pending_events),
            )
        return aggregate

    def keep(self, aggregates: Sequence[Aggregate]) -> None:
        """The command succeeded: its aggregates are saved with the unit."""
        for aggregate in aggregates:
            if not isinstance(aggregate, self.changes):
                raise TypeError(f"this unit of work changes no {type(aggregate).__name__}")
            handed = self._handed.get(aggregate.id)
            self.pending_events += len(aggregate.pending_events) - (handed[2] if handed else 0)
            self.loaded[aggregate.id] = aggregate
            self.changed[aggregate.id] = aggregate
        self._handed = {}

    def undo(self, rebuild: Callable[[UUID, list[Any]], Aggregate]) -> None:
        """The command was refused: every aggregate it changed goes back to how it was handed
        (`rebuild`: from the store, with the events the unit had kept for it)."""
        for aggregate_id, (aggregate, version, pending) in self._handed.items():
            if aggregate.version == version:
                continue
            kept = list(aggregate.pending_events[:pending])
            self.loaded.pop(aggregate_id, None)
            self.changed.pop(aggregate_id, None)
            if kept:
                restored = rebuild(aggregate_id, kept)
                self.loaded[aggregate_id] = self.changed[aggregate_id] = restored
        self._handed = {}

    def clear(self) -> None:
        self.loaded.clear()
        self.changed.clear()
        self.pending_events = 0
        self._handed = {}

    def forget(self) -> None:
        """A unit's refused commands are undone (`undo`): nothing to forget."""


M = TypeVar("M", bound=IdentityMap)

# The identity map (or unit of work) in progress, and the application it belongs to.
_LOADED: ContextVar[tuple[object, IdentityMap] | None] = ContextVar("maillage_loaded", default=None)


@contextmanager
def unit_in_progress(owner: object, unit: UnitOfWork) -> Iterator[UnitOfWork]:
    """Within the block, `owner`'s commands are kept in `unit` instead of being saved."""
    with _opened(owner, unit):
        yield unit


@contextmanager
def shared_loads(owner: object) -> Iterator[IdentityMap]:
    """Within the block, what `owner` loads is loaded once; within one already open (a unit's,
    or a request's around a command's), that one goes on."""
    current = current_map(owner)
    if current is not None:
        yield current
        return
    with _opened(owner, IdentityMap()) as known:
        yield known


@contextmanager
def _opened(owner: object, known: M) -> Iterator[M]:
    """`known` as `owner`'s identity map within the block."""
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
