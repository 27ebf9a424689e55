"""The library's PostgreSQL persistence, without a round trip before every query.

The pool used to ping each connection it handed out (`POSTGRES_PRE_PING`): a round trip per
load, per insert, before any work. Now a connection is trusted until it fails: the library
retries its reads (and inserts) on `OperationalError`/`InterfaceError`, and a broken connection
is not given back to the pool. After a restart of the server every idle connection of the pool
is dead, though, and the library's ten attempts could all draw dead ones: so the first one
found broken has the pool check all its idle connections at once (`ConnectionPool.check`),
and the retry gets a live one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from psycopg import Connection
from psycopg.rows import DictRow


class RecoveringDatastore(PostgresDatastore):
    """The library's datastore: a connection found broken has the pool drop every dead one."""

    @contextmanager
    def get_connection(self) -> Iterator[Connection[DictRow]]:
        used: Connection[DictRow] | None = None
        try:
            with super().get_connection() as conn:
                used = conn
                yield conn
        except (InterfaceError, OperationalError):
            if used is not None and (used.broken or used.closed):
                self.pool.check()  # the server went away: its other connections died too
            raise


class MaillagePostgresFactory(PostgresFactory):
    """`PERSISTENCE_MODULE` on PostgreSQL: the library's factory, its datastore recovering."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        # The library builds its datastore from many settings; this subclass only changes how
        # a failed connection is handled, so the instance built is given that behaviour.
        self.datastore.__class__ = RecoveringDatastore
