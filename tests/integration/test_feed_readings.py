"""A client application's readings through the catch-up feed, on the store under test: one per
client, case, purpose and day of the service's calendar — the first opening of the day is
recorded, later ones that day are covered by it — held across processes by the reading's id
(`domain.usecases.feed_readings.feed_reading_id`), never by a process's memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.composition import Services, open_services
from api.settings import Settings
from domain.access import ReadPurpose
from domain.application import Maillage
from domain.event_classes import CaseContentRead
from domain.integration import ClientScope
from domain.timing import TimePolicy
from tests.world import NOW, World, events_since


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def two(store_settings: Settings, clock: Clock) -> Iterator[tuple[Services, Services]]:
    """Two processes' services over one store, on one clock."""
    with (
        open_services(store_settings, time=TimePolicy(clock=clock)) as first,
        open_services(store_settings, time=TimePolicy(clock=clock)) as second,
    ):
        yield first, second


def _scope(world: World, purpose: ReadPurpose = ReadPurpose.COORDINATION) -> ClientScope:
    return ClientScope(
        client_id=CLIENT,
        institution_id=world.i("aemo"),
        kinds=frozenset({"Case.CaseOpened"}),
        personal_data=True,
        purpose=purpose,
        active=True,
    )


CLIENT = uuid4()


def _readings(app: Maillage) -> list[CaseContentRead]:
    return [
        e
        for e in events_since(app, 0)
        if isinstance(e, CaseContentRead) and e.by.professional_id == CLIENT
    ]


def _opened(app: Maillage, scope: ClientScope, *cases: UUID) -> dict[Any, Any]:
    return app.open_for_feed(scope, [(case, 1) for case in cases])


def test_one_reading_per_case_purpose_and_day_whichever_process_reads(
    two: tuple[Services, Services], clock: Clock
) -> None:
    first, second = two[0].maillage, two[1].maillage
    world = World.build(first)
    case, other = world.open_case("jeanne"), world.open_case("jeanne")
    scope = _scope(world)

    opened = _opened(first, scope, case)
    assert opened[(case, 1)]["beneficiary"]["first_name"] == "Léo"
    assert len(_readings(first)) == 1
    # the same day: a re-read, by this process or another, is covered by the first reading
    clock.now += timedelta(hours=3)
    assert _opened(first, scope, case) == opened
    assert _opened(second, scope, case) == opened
    assert len(_readings(first)) == 1
    # another case: its own reading, that day's re-reads of the first still covered
    _opened(second, scope, case, other)
    readings = _readings(first)
    assert [(r.case_id, r.occurred_at) for r in readings] == [(case, NOW), (other, clock.now)]
    # another purpose (the administrator changed it, a DPO approved it again): its own
    _opened(first, _scope(world, ReadPurpose.FOLLOW_UP), case)
    assert len(_readings(first)) == 3
    # the next day: read again, recorded again
    clock.now = NOW + timedelta(days=1)
    _opened(second, scope, case)
    readings = _readings(first)
    assert len(readings) == 4
    assert (readings[-1].case_id, readings[-1].occurred_at) == (case, NOW + timedelta(days=1))
    assert {(r.role, r.view) for r in readings} == {("integration", "feed")}


def test_the_day_is_the_services_calendars(two: tuple[Services, Services], clock: Clock) -> None:
    """Europe/Paris by default: 22:30Z and 23:30Z of 20 November are two days in Paris."""
    app = two[0].maillage
    world = World.build(app)
    case = world.open_case("jeanne")
    clock.now = datetime.fromisoformat("2026-11-20T22:30:00+00:00")
    _opened(app, _scope(world), case)
    clock.now = datetime.fromisoformat("2026-11-20T22:59:59+00:00")
    _opened(app, _scope(world), case)
    assert len(_readings(app)) == 1
    clock.now = datetime.fromisoformat("2026-11-20T23:00:00+00:00")  # midnight in Paris
    _opened(app, _scope(world), case)
    assert len(_readings(app)) == 2


def test_two_processes_racing_record_the_days_reading_once(
    two: tuple[Services, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first process checked before the second recorded the reading: its save is refused by
    the store's unique key, it checks again, finds it, and records nothing more."""
    first, second = two[0].maillage, two[1].maillage
    world = World.build(first)
    case, other = world.open_case("jeanne"), world.open_case("jeanne")
    scope = _scope(world)
    checked = first.recorder.select_events
    stale = {"left": 1}

    def behind(*args: Any, **kwargs: Any) -> Any:
        if stale["left"]:  # as it was before the second process wrote
            stale["left"] -= 1
            _opened(second, scope, case)
            return []
        return checked(*args, **kwargs)

    monkeypatch.setattr(first.recorder, "select_events", behind)
    opened = _opened(first, scope, case, other)
    assert set(opened) == {(case, 1), (other, 1)}
    readings = _readings(first)
    assert sorted(str(r.case_id) for r in readings) == sorted([str(case), str(other)])
