"""The library's SQLite persistence, with writers queued apart from readers.

The library's connection pool hands out connections one caller at a time (a fairness queue);
a caller wanting the one writer connection waits for it *inside* that queue. Under concurrent
writes a writer was nearly always there, so every reader — each command's loads, every view —
queued behind the write in progress: py-spy showed request threads spending 89% of their time
on that queue at 64 concurrent writers. Here a writer first waits for its turn to write, outside
the queue, then takes a connection like a reader does: reads never wait for writes (the file is
in WAL mode), writes still go one at a time (SQLite allows one writer; taking turns in process
is cheaper than SQLite's busy-wait).
"""

from __future__ import annotations

import time
from typing import Any

from eventsourcing.persistence import ConnectionUnavailableError
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory


class WritersApartPool(SQLiteConnectionPool):
    def get_connection(
        self, timeout: float | None = None, *, is_writer: bool | None = None
    ) -> SQLiteConnection:
        if is_writer is not True or self.is_sqlite_memory_mode:
            return super().get_connection(timeout, is_writer=is_writer)
        timeout = self.pool_timeout if timeout is None else timeout
        started = time.time()
        if not self._writer_lock.acquire(timeout=timeout):
            msg = "Timed out waiting for return of writer"
            raise ConnectionUnavailableError(msg)
        try:
            conn = super().get_connection(self._time_remaining(timeout, started), is_writer=None)
        except BaseException:
            self._writer_lock.release()
            raise
        # Returned as a writer's: `put_connection` then releases the writer's turn.
        conn.is_writer = True
        with self._put_condition:
            self._num_writers += 1
        return conn


class MaillageSQLiteFactory(SQLiteFactory):
    """`PERSISTENCE_MODULE` for the embedded store: the library's factory, its pool replaced."""

    POOL_SIZE = 10
    MAX_OVERFLOW = 30  # as many as the server's worker threads (40), the pool's fairness aside

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        library = self.datastore.pool
        self.datastore.pool = WritersApartPool(
            db_name=library.db_name,
            lock_timeout=library.lock_timeout,
            pool_size=self.POOL_SIZE,
            max_overflow=self.MAX_OVERFLOW,
            pool_timeout=library.pool_timeout,
            max_age=library.max_age,
            pre_ping=library.pre_ping,
        )
        library.close()
