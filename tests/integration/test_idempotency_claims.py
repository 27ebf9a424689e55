"""Idempotency claims are fenced: a command's events and the mark on its claim commit together,
on condition that the claim is still the command's (`api.store.outcome`).

- A claim whose lease ran out may be taken over by a retry; the first holder, if it goes on,
  then records nothing — so a slow request and its retry never both record.
- A taken-over claim is settled from the store: the retry's commit marks it with its position.
- On PostgreSQL, a holder's commit still in flight holds the claim's row: a takeover waits for
  it, and finds it recorded; when it does not resolve in time, the claim is reported undecided.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from api.composition import Services
from api.http.idempotency import _refusal
from api.http.problems import PreconditionError
from api.store.idempotency import IdempotencyStore, Stored
from api.store.integrity import verify
from api.store.outcome import ClaimTakenOverError, Fence, Outcome, tracking
from tests.conftest import ON_POSTGRES
from tests.world import NOW, World

LEASE = timedelta(seconds=30)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> Any:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def records(store_services: Services, clock: Clock) -> IdempotencyStore:
    return IdempotencyStore(store_services.engine, timedelta(hours=24), clock=clock, lease=LEASE)


def visit(world: World, case_id: Any) -> Any:
    return world.app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit"
    )


def test_a_claim_taken_over_after_its_lease_fences_off_its_first_holder(
    store_world: World, records: IdempotencyStore, clock: Clock, engine: Engine
) -> None:
    app = store_world.app
    case_id = store_world.open_case()
    first = records.claim("caller", "k-1", "request")
    assert isinstance(first, str)
    running = records.claim("caller", "k-1", "request")
    assert isinstance(running, Stored)
    assert running.lease_until == NOW + LEASE

    clock.now = NOW + LEASE + timedelta(seconds=1)
    second = records.claim("caller", "k-1", "request")
    assert isinstance(second, str)
    assert second != first

    before = app.recorder.max_notification_id()
    with tracking(Fence("caller", "k-1", first)) as late, pytest.raises(ClaimTakenOverError):
        visit(store_world, case_id)
    assert late.outcome is Outcome.NOT_RECORDED
    assert app.recorder.max_notification_id() == before  # rolled back, events and all
    assert verify(app.recorder, engine).intact

    with tracking(Fence("caller", "k-1", second)) as writes:
        recorded = visit(store_world, case_id)
    assert writes.outcome is Outcome.RECORDED
    assert writes.position == recorded.position
    settled = records.claim("caller", "k-1", "request")
    assert isinstance(settled, Stored)
    assert settled.recorded_without_answer
    assert settled.committed_position == recorded.position
    assert verify(app.recorder, engine).intact


def test_a_claim_is_released_only_while_nothing_of_it_committed(
    store_world: World, records: IdempotencyStore
) -> None:
    case_id = store_world.open_case()
    token = records.claim("caller", "k-2", "request")
    assert isinstance(token, str)
    with tracking(Fence("caller", "k-2", token)):
        visit(store_world, case_id)
    records.release("caller", "k-2", token)  # too late: the claim says what was recorded
    kept = records.claim("caller", "k-2", "request")
    assert isinstance(kept, Stored)
    assert kept.recorded_without_answer


@pytest.mark.skipif(not ON_POSTGRES, reason="a commit in flight holding a row: PostgreSQL")
def test_a_takeover_waits_for_a_commit_in_flight(
    store_services: Services, records: IdempotencyStore, clock: Clock
) -> None:
    token = records.claim("caller", "k-3", "request")
    assert isinstance(token, str)
    records.end_lease("caller", "k-3", token)  # its request was cut off during the commit
    mark = text(
        "UPDATE idempotency_record SET committed_position = 41 "
        "WHERE scope = 'caller' AND key = 'k-3'"
    )

    # The holder's commit does not resolve while a retry waits: undecided, and said so.
    with store_services.engine.connect() as in_flight:
        in_flight.execute(mark)
        undecided = records.claim("caller", "k-3", "request")
        in_flight.rollback()
    assert isinstance(undecided, Stored)
    assert undecided.undecided
    refusal = _refusal(undecided, "request", clock())
    assert isinstance(refusal, PreconditionError)
    assert (refusal.status, refusal.rule) == (409, "idempotency-outcome-unknown")

    # It commits while the retry waits: the retry finds it recorded.
    with store_services.engine.connect() as in_flight:
        in_flight.execute(mark)
        threading.Timer(0.5, in_flight.commit).start()
        found = records.claim("caller", "k-3", "request")
    assert isinstance(found, Stored)
    assert found.committed_position == 41
    refusal = _refusal(found, "request", clock())
    assert isinstance(refusal, PreconditionError)
    assert (refusal.rule, refusal.details) == ("idempotency-key-recorded", {"position": 41})
