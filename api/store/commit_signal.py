"""Wakes whoever waits, in this process, for the log to grow: the embedded projection follower
waits on it instead of polling on a timer (`projections.runner.ProjectionRunner.follow`).

The recorders (`chained_sqlite`, `chained_postgres`) call `committed` once a transaction that
inserted events has committed. Other processes' commits are not seen here: a follower still
polls, at its interval, for those (on PostgreSQL a worker listens on the store's channel).
"""

from __future__ import annotations

import threading


class CommitSignal:
    """The highest log position this process has seen committed, and a way to wait for more."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._position = 0
        self._woken = 0

    @property
    def position(self) -> int:
        return self._position

    def committed(self, position: int) -> None:
        with self._changed:
            if position > self._position:
                self._position = position
            self._changed.notify_all()

    def wake(self) -> None:
        """Wake every waiter now, new commit or not (a follower asked to stop)."""
        with self._changed:
            self._woken += 1
            self._changed.notify_all()

    def wait(self, after: int, timeout: float) -> int:
        """Until a commit reaches past `after`, `wake` is called, or `timeout` seconds pass;
        the position seen."""
        with self._changed:
            woken = self._woken
            self._changed.wait_for(lambda: self._position > after or self._woken != woken, timeout)
            return self._position
