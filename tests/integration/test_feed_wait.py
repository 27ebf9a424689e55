"""Long polling's watcher of the feed's position (`api.http.feed_wait`), on the store under
test: it answers as soon as the feed's read model moves, not before, and gives up at once when
the client has gone away — reading the position on short connections, one for all waiters."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import Engine

from api.http.feed_wait import FeedHead
from domain.application import Maillage
from projections.runner import ProjectionRunner
from tests.world import World


async def _here() -> bool:
    return False


async def _gone() -> bool:
    return True


async def test_waiters_wake_when_the_feed_moves_and_not_before(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()
    head = FeedHead(engine, interval=0.01)
    seen = head.read()
    assert seen > 0

    started = time.monotonic()
    assert not await head.wait_past(seen, 0.3, _here)  # nothing new: the bound
    assert time.monotonic() - started >= 0.3

    waiters = [asyncio.create_task(head.wait_past(seen, 10, _here)) for _ in range(5)]
    await asyncio.sleep(0.05)
    assert not any(w.done() for w in waiters)
    store_world.open_case()  # in the log, not yet in the feed: still waiting
    await asyncio.sleep(0.05)
    assert not any(w.done() for w in waiters)
    started = time.monotonic()
    await asyncio.to_thread(runner.catch_up)
    assert await asyncio.wait_for(asyncio.gather(*waiters), timeout=5) == [True] * 5
    assert time.monotonic() - started < 2
    assert head.read() > seen


async def test_a_client_gone_stops_the_wait_at_once(engine: Engine) -> None:
    head = FeedHead(engine, interval=0.01)
    started = time.monotonic()
    assert not await head.wait_past(head.read(), 10, _gone)
    assert time.monotonic() - started < 1
