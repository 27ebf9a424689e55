"""A read on a connection found dropped is run once more, on a fresh one.

Engines do not ping a connection before handing it out (a round trip per query). After a restart
of the database server, the first query on a pooled connection fails instead; SQLAlchemy then
invalidates every connection of the pool, so a second try reaches the server afresh. Only reads
are tried again: a write whose connection dropped may or may not have landed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")


def read(engine: Engine, query: Callable[[Connection], T]) -> T:
    """`query` on a connection of `engine`; once more if that connection had dropped."""
    try:
        with engine.connect() as conn:
            return query(conn)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with engine.connect() as conn:
        return query(conn)
