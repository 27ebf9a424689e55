"""The one version check: a command runs only if the record it changes is at the version the
caller saw (HTTP `If-Match`).

`UseCaseBase.precondition(target, version)` names the record and the version for the commands
run inside it; every save of a command (`UseCaseBase.execute`), on every attempt, checks it
against the state the command decided on. So a write that slips in between the caller's read
and its change is refused (`StaleVersionError`), never silently overwritten by a retry; and a
use case needs no parameter of its own for it. A context variable, so concurrent requests never
mix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import StaleVersionError
from domain.wording import N_

_EXPECTED: ContextVar[tuple[UUID, int] | None] = ContextVar("maillage_expected", default=None)


@contextmanager
def expecting(aggregate_id: UUID, version: int | None) -> Iterator[None]:
    """Within the block, commands changing `aggregate_id` need it at `version` (None: any)."""
    token = _EXPECTED.set((aggregate_id, version) if version is not None else None)
    try:
        yield
    finally:
        _EXPECTED.reset(token)


def check_precondition(aggregates: Sequence[Aggregate]) -> None:
    """Refuse the decision if it changes the expected record from another version than the one
    expected; the version before the decision is the loaded one (without its pending events)."""
    expected = _EXPECTED.get()
    if expected is None:
        return
    aggregate_id, version = expected
    for aggregate in aggregates:
        if aggregate.id == aggregate_id:
            before = aggregate.version - len(aggregate.pending_events)
            if before != version:
                raise StaleVersionError(
                    N_("expected version {expected_version}, the record is at {current_version}"),
                    field="If-Match",
                    expected_version=version,
                    current_version=before,
                )
            return
