"""Long polling of the catch-up feed: waiting, without a connection held, until the feed's
read model moves past a position.

The API and the projection workers may be separate processes (`maillage project --follow` on
PostgreSQL): no signal of this process tells when the feed advanced. So the feed's tracking
position (`projections.feed.feed_position`) is read from the store — once per `INTERVAL` for
all the requests of this process waiting on it, each read on a connection taken for that one
query and given back. A waiting request stops as soon as the position moves past the one it
saw, at its deadline, or when its client has gone away.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from weakref import WeakKeyDictionary

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from projections.feed import feed_position

INTERVAL = 0.1  # seconds between two readings of the feed's position


class FeedHead:
    """How far the feed's read model has reached, read at most once per `interval`."""

    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        self.engine = engine
        self.interval = interval
        self._next: asyncio.Future[int] | None = None

    def read(self) -> int:
        with self.engine.connect() as conn:
            return feed_position(conn)

    async def _poll(self) -> int:
        try:
            await asyncio.sleep(self.interval)
            return await run_in_threadpool(self.read)
        finally:
            self._next = None

    async def next_reading(self) -> int:
        """The position at the next reading, shared by every request waiting for it."""
        pending = self._next
        if pending is None or pending.done() or pending.get_loop() is not _loop():
            pending = self._next = asyncio.ensure_future(self._poll())
        # A request that gives up (its client gone) does not cancel the others' reading.
        return await asyncio.shield(pending)

    async def wait_past(
        self, position: int, seconds: float, gone: Callable[[], Awaitable[bool]]
    ) -> bool:
        """True once the feed has moved past `position`; False at the end of `seconds`, or
        when `gone()` says the client went away."""
        loop = _loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            if await gone():
                return False
            try:
                reached = await asyncio.wait_for(self.next_reading(), timeout=left)
            except TimeoutError:
                return False
            if reached > position:
                return True
        return False


def _loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


_HEADS: WeakKeyDictionary[Engine, FeedHead] = WeakKeyDictionary()


def feed_head(engine: Engine) -> FeedHead:
    """The one watcher of the store's feed position for this process (per engine)."""
    head = _HEADS.get(engine)
    if head is None:
        head = _HEADS[engine] = FeedHead(engine)
    return head
