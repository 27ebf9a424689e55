"""What a projection follower waits on between catch-ups (`ProjectionRunner.follow`'s `wake`).

In the process that writes, its recorder's `commit_signal` (`api.store.commit_signal`) wakes the
follower as soon as a commit lands. A worker of its own on PostgreSQL (`maillage project
--follow`) is told of other processes' commits by the store itself: the event-sourcing library's
recorder sends a NOTIFY on its channel in every transaction that inserts events, delivered once
that transaction commits; `LogListener` LISTENs on it from a connection of its own, in
autocommit, and reconnects after the database went away (a restart, a failover). Both return at
the latest after the follower's slow poll interval, which covers whatever they were not told of.
"""

from __future__ import annotations

import logging
import time
from threading import Event
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from api.store.commit_signal import CommitSignal

log = logging.getLogger("maillage.store")

_SLICE = 0.5  # seconds: how often a wait looks at `stop` (a worker told to end by a signal)


def commit_signal(recorder: object) -> CommitSignal | None:
    """The recorder's commit signal, or None when it has none (another recorder)."""
    signal = getattr(recorder, "commit_signal", None)
    return signal if isinstance(signal, CommitSignal) else None


def libpq_conninfo(database_url: str) -> str:
    """`postgresql+psycopg://…` as the libpq URL psycopg connects with."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class LogListener:
    """LISTENs on the store's channel; `wait` returns once a NOTIFY arrived (all those pending
    are taken at once: one catch-up serves them), or after `timeout`, or soon after `stop`."""

    def __init__(self, conninfo: str, channel: str, stop: Event, *, retry: float = 1.0) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.stop = stop
        self.retry = retry
        self._conn: psycopg.Connection[Any] | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connect(self) -> None:
        conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        self._conn = conn

    def wait(self, after: int, timeout: float) -> int:
        """Until a commit is announced or `timeout` passes; 0: the position is not known here.
        A lost connection is reopened on the next call, which returns as soon as it LISTENs:
        the follower then catches up on whatever was committed unannounced meanwhile."""
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return 0
            try:
                if self._conn is None or self._conn.closed:
                    self._connect()
                    return 0  # listening from now: catch up on what came before
                conn = self._conn
                if any(True for _ in conn.notifies(timeout=min(left, _SLICE), stop_after=1)):
                    for _ in conn.notifies(timeout=0):  # the others pending: already served
                        pass
                    return 0
            except psycopg.OperationalError as error:
                log.warning("listening for new events failed (%s); reconnecting", error)
                self.close()
                self.stop.wait(min(self.retry, max(deadline - time.monotonic(), 0)))
                return 0
        return 0
