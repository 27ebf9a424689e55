"""Time is explicit: occurred_at is given, bounded in the past, never in the future."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.application import Maillage
from domain.errors import InvalidValueError, OccurredInFutureError, OccurredTooLongAgoError
from domain.timing import TimePolicy
from tests.world import NOW, World, ago, events_since, position


def test_an_event_dated_in_the_future_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    with pytest.raises(OccurredInFutureError) as refused:
        app.record_intervention(
            case_id=case_id,
            by=world.actor("jeanne"),
            kind="home_visit",
            occurred_at=NOW + timedelta(hours=1),
        )
    assert refused.value.field == "occurred_at"
    assert position(app) == before


def test_an_event_older_than_the_window_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    with pytest.raises(OccurredTooLongAgoError) as refused:
        app.record_intervention(
            case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(31)
        )
    assert refused.value.details["window_days"] == 30
    assert position(app) == before


def test_a_naive_datetime_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    with pytest.raises(InvalidValueError) as refused:
        app.record_intervention(
            case_id=case_id,
            by=world.actor("jeanne"),
            kind="home_visit",
            occurred_at=datetime(2026, 11, 19, 10, 0),
        )
    assert refused.value.field == "occurred_at"


def test_a_late_entered_event_keeps_both_instants(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(29)
    )
    (event,) = events_since(app, before)
    assert event.occurred_at == ago(29)  # type: ignore[attr-defined]
    assert event.timestamp > event.occurred_at  # type: ignore[attr-defined]


def test_without_occurred_at_the_event_happened_now(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    (event,) = events_since(app, before)
    assert event.occurred_at == NOW  # type: ignore[attr-defined]


def test_the_window_is_configurable() -> None:
    policy = TimePolicy(backdating_window=timedelta(days=90), clock=lambda: NOW)
    assert policy.check_occurred_at(ago(60)) == ago(60)
    with pytest.raises(OccurredTooLongAgoError):
        TimePolicy(backdating_window=timedelta(days=7), clock=lambda: NOW).check_occurred_at(ago(8))


def test_a_small_clock_skew_is_tolerated() -> None:
    policy = TimePolicy(clock_skew=timedelta(seconds=5), clock=lambda: NOW)
    assert policy.check_occurred_at(NOW + timedelta(seconds=3)) == NOW + timedelta(seconds=3)
