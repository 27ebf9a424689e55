"""Concurrent requests do not queue behind each other where nothing requires it (issue 7).

Found by profiling the service under 64 concurrent writers: request threads waited on the
library's fast-forward lock (held across a database query) and, on SQLite, on a pool queue where
every reader waited behind a writer waiting for its turn. These tests fail on the library's
repository and pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.middleware.base import BaseHTTPMiddleware

from api.http.app import create_app
from api.settings import Settings
from api.store.factory import build_application
from api.store.sqlite_pool import WritersApartPool
from domain.application import Maillage
from domain.case import Case
from domain.professional import Professional
from tests.conftest import ON_POSTGRES
from tests.world import World, ago


def _slow_catch_up(app: Maillage, barrier: threading.Barrier) -> None:
    """Make the read of an aggregate's *new* events wait until `barrier.parties` threads are
    inside it at once (a cold load, without `gt`, goes through)."""
    store = app.repository.event_store
    read = store.get

    def get(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("gt") is not None:
            barrier.wait()
        return read(*args, **kwargs)

    store.get = get  # type: ignore[method-assign]


def test_loads_of_one_cached_aggregate_read_the_store_side_by_side(
    store_app: Maillage, store_world: World
) -> None:
    jeanne = store_world.p("jeanne")
    store_app.load(Professional, jeanne)  # now cached
    barrier = threading.Barrier(4, timeout=10)
    _slow_catch_up(store_app, barrier)
    loaded: list[Professional] = []
    failures: list[BaseException] = []

    def load() -> None:
        try:
            loaded.append(store_app.load(Professional, jeanne))
        except BaseException as error:  # a broken barrier: the loads queued one by one
            failures.append(error)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    assert len(loaded) == 4
    assert len({id(p) for p in loaded}) == 4  # each caller has a copy of its own


def test_a_cached_aggregate_catches_up_with_writes_made_elsewhere(
    store_app: Maillage, store_world: World, store_settings: Settings
) -> None:
    case_id = store_world.open_case()
    before = store_app.load(Case, case_id).version
    elsewhere = build_application(store_settings)  # another process, its own cache
    try:
        for _ in range(3):
            elsewhere.record_intervention(
                case_id=case_id,
                by=store_world.actor("jeanne"),
                kind="home_visit",
                occurred_at=ago(1),
            )
        expected = elsewhere.repository.get(case_id)
    finally:
        elsewhere.close()
    results: list[Case] = []

    def load() -> None:
        results.append(store_app.load(Case, case_id))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [c.version for c in results] == [before + 3] * 8
    state = {k: v for k, v in vars(expected).items() if k != "_pending_events"}
    assert all(
        {k: v for k, v in vars(c).items() if k != "_pending_events"} == state for c in results
    )
    # The cached copy itself moved on once, not once per caller.
    assert store_app.repository.cache is not None
    assert store_app.repository.cache.get(case_id).version == before + 3


@pytest.fixture
def pool(store_settings: Settings) -> Iterator[WritersApartPool]:
    if ON_POSTGRES:
        pytest.skip("the embedded store's connection pool: SQLite only")
    app = build_application(store_settings)
    pool = app.recorder.datastore.pool  # type: ignore[attr-defined]
    assert isinstance(pool, WritersApartPool)
    yield pool
    app.close()


def test_readers_do_not_queue_behind_a_writer_waiting_for_its_turn(pool: WritersApartPool) -> None:
    writing = pool.get_connection(is_writer=True)
    second_writer: list[Any] = []
    waiting = threading.Thread(
        target=lambda: second_writer.append(pool.get_connection(timeout=10, is_writer=True))
    )
    waiting.start()
    try:
        waiting.join(timeout=0.3)
        assert waiting.is_alive()  # one writer at a time
        reader = pool.get_connection(timeout=1, is_writer=False)  # not held behind it
        pool.put_connection(reader)
    finally:
        pool.put_connection(writing)
        waiting.join(timeout=10)
    assert len(second_writer) == 1  # its turn came when the first was returned
    pool.put_connection(second_writer[0])
    assert pool.get_connection(timeout=1, is_writer=True) is not None


def test_no_middleware_runs_the_app_in_a_task_of_its_own(store_settings: Settings) -> None:
    """`@app.middleware("http")` wraps the app in a task and memory streams per request: four
    of them cost more CPU than a bare endpoint does in all. They are plain ASGI instead."""
    app = create_app(store_settings)
    assert app.user_middleware
    assert not [m for m in app.user_middleware if issubclass(m.cls, BaseHTTPMiddleware)]  # type: ignore[arg-type]
