"""The library's PostgreSQL recorder, extending the log's hash chain (`api.store.integrity`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from api.store.integrity import GENESIS, links


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, extending the chain while it holds the table lock."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Once, without the library's retries. An insert whose connection broke after its
        commit would, tried again, fail on its own version: a command reads that as a
        conflict, decides again, and records the same act twice (found by the outage test).
        A broken connection is reported instead (503: outcome unknown)."""
        once = PostgresApplicationRecorder.insert_events.__wrapped__
        ids: Sequence[int] | None = once(self, stored_events, **kwargs)
        return ids

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not stored_events or ids is None:
            return ids
        table = Identifier(self.datastore.schema, "event_chain")
        curs.execute(SQL("SELECT chain_hash FROM {0} ORDER BY position DESC LIMIT 1").format(table))
        row = curs.fetchone()
        previous = bytes(row["chain_hash"]) if row else GENESIS
        curs.executemany(
            SQL("INSERT INTO {0} (position, chain_hash) VALUES (%s, %s)").format(table),
            links(previous, ids, stored_events),
        )
        return ids
