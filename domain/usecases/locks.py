"""Locks that let writers to one aggregate take turns while they retry after a conflict.

The lock is about fairness and wasted work, never what keeps the log correct: the store's version
check does that (see `domain.usecases.base`). The store room provides locks that hold across
processes; `LocalLocks` is enough for one process and is their thread-level half.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from threading import Lock
from typing import Protocol
from uuid import UUID


class AggregateLocks(Protocol):
    """Mutual exclusion of writers on one aggregate while they retry after a conflict."""

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]: ...


class LocalLocks:
    """In-process locks by key: enough for one process (in-memory tests); also the thread-level
    half of the store-specific locks."""

    def __init__(self) -> None:
        self._guard = Lock()
        self._locks: dict[Hashable, tuple[Lock, int]] = {}

    @contextmanager
    def hold(self, aggregate_id: Hashable) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(aggregate_id, (Lock(), 0))
            self._locks[aggregate_id] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[aggregate_id]
                if users == 1:
                    del self._locks[aggregate_id]
                else:
                    self._locks[aggregate_id] = (lock, users - 1)
