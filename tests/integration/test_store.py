"""The same suite on SQLite and PostgreSQL (whichever MAILLAGE_DATABASE_URL names)."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from api.cli.demo import load_demo
from api.settings import Settings
from api.store.factory import build_application
from domain.application import Maillage
from domain.case import Case
from domain.timing import TimePolicy
from tests.world import NOW, World, ago


def _state(aggregate: Any) -> dict[str, Any]:
    """The aggregate's state, its sequences compared as sequences: a snapshot stores a tuple
    (holders, transfers) as a JSON list, and a mapping type (the case's acts) as a plain one."""
    state = dict(vars(aggregate))
    state.pop("_pending_events", None)
    for key, value in state.items():
        if isinstance(value, list | tuple):
            state[key] = tuple(value)
        elif isinstance(value, dict):
            state[key] = dict(value)
    return state


def _reopen(settings: Settings, **env: str) -> Maillage:
    app = build_application(settings, **env)
    app.time = TimePolicy(clock=lambda: NOW)
    return app


def test_every_aggregate_round_trips_and_a_reopened_store_gives_the_same_state(
    store_app: Maillage, store_settings: Settings
) -> None:
    story = load_demo(store_app, now=NOW)
    ids: list[UUID] = [
        *story.institutions.values(),
        *story.professionals.values(),
        *story.partnerships.values(),
        *story.networks.values(),
        *story.delegations.values(),
        *story.cases.values(),
    ]
    written = {i: _state(store_app.repository.get(i)) for i in ids}
    reopened = _reopen(store_settings, AGGREGATE_CACHE_MAXSIZE="")
    try:
        for aggregate_id in ids:
            assert _state(reopened.repository.get(aggregate_id)) == written[aggregate_id]
        assert reopened.recorder.max_notification_id() == store_app.recorder.max_notification_id()
    finally:
        reopened.close()


def test_a_snapshot_gives_the_same_case_as_a_full_replay(
    store_app: Maillage, store_settings: Settings
) -> None:
    world = World.build(store_app)
    case_id = world.open_case()
    for _ in range(250):
        store_app.record_intervention(
            case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(1)
        )
    assert store_app.snapshots is not None
    snapshots = list(store_app.snapshots.get(case_id, desc=True, limit=1))
    assert snapshots
    assert snapshots[0].originator_version == 200
    replayed = _reopen(store_settings, IS_SNAPSHOTTING_ENABLED="n", AGGREGATE_CACHE_MAXSIZE="")
    try:
        assert replayed.snapshots is None
        full = replayed.repository.get(case_id)
    finally:
        replayed.close()
    from_snapshot = _reopen(store_settings, AGGREGATE_CACHE_MAXSIZE="")
    try:
        assert _state(from_snapshot.repository.get(case_id)) == _state(full)
        assert full.version == 251
    finally:
        from_snapshot.close()


def test_concurrent_writers_on_one_case_lose_no_event(
    store_app: Maillage, store_settings: Settings
) -> None:
    """8 writers (each its own application, as separate processes would be) × 100 interventions."""
    world = World.build(store_app)
    case_id = world.open_case()
    writers, per_writer = 8, 100
    apps = [_reopen(store_settings) for _ in range(writers)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(app: Maillage) -> None:
        try:
            barrier.wait()
            for _ in range(per_writer):
                app.record_intervention(
                    case_id=case_id, by=world.actor("jeanne"), kind="home_visit"
                )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for app in apps:
        app.close()
    assert errors == []

    events = list(store_app.events.get(case_id))
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("InterventionRecorded") == writers * per_writer
    assert [e.originator_version for e in events] == list(range(1, writers * per_writer + 2))
    intervention_ids = {e.intervention_id for e in events[1:]}  # type: ignore[attr-defined]
    assert len(intervention_ids) == writers * per_writer
    notifications = [
        n.id
        for n in store_app.recorder.select_notifications(start=1, limit=100_000)
        if n.originator_id == case_id
    ]
    assert notifications == sorted(notifications)
    assert len(notifications) == writers * per_writer + 1
    case = store_app.repository.get(case_id)
    assert isinstance(case, Case)
    assert case.version == writers * per_writer + 1
