"""The library's PostgreSQL recorder, its inserts written in batches by one writer of the
process (`api.store.group_commit`): the events table locked once per batch (that lock is what
makes positions commit in order), then each command's events, their links in the log's hash
chain (`api.store.integrity`) and the mark of its idempotency claim (`api.store.outcome`) under a
SAVEPOINT of their own, one commit per batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from psycopg import Connection, Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier

from api.store import outcome
from api.store.group_commit import BatchedRecorder
from api.store.integrity import GENESIS
from api.store.keyring import dead_sealing_keys


class ChainedPostgresRecorder(PostgresApplicationRecorder, BatchedRecorder):
    """The library's PostgreSQL recorder; every insert goes through the process's batched
    writer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._start_batching()
        schema = self.datastore.schema
        self._chain_head_sql = SQL(
            "SELECT chain_hash FROM {0} ORDER BY position DESC LIMIT 1"
        ).format(Identifier(schema, "event_chain"))
        self._links_sql = SQL("INSERT INTO {0} (position, chain_hash) VALUES (%s, %s)").format(
            Identifier(schema, "event_chain")
        )
        # Begin, take the writers' lock on the events table (positions commit in order), and
        # notify the store's channel (delivered at commit: projection workers wake on it).
        self._begin_sql = SQL("; ").join(
            [
                SQL("BEGIN"),
                *self.lock_table_statements,
                SQL("NOTIFY {0}").format(Identifier(self.channel_name)),
            ]
        )
        self._fence_sql = SQL(outcome.FENCE_SQL + " RETURNING 1").format(
            table=Identifier(schema, "idempotency_record"), p=SQL("%s")
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Once, without the library's retries. An insert whose connection broke after its
        commit would, tried again, fail on its own version: a command reads that as a
        conflict, decides again, and records the same act twice (found by the outage test).
        A broken connection is reported instead (503, with the outcome `api.store.outcome`
        could tell)."""
        if not stored_events:
            return []
        return self._committer.submit(stored_events)

    # --- the batch's steps, on one connection ---------------------------------------------------

    @contextmanager
    def _batch_connection(self) -> Iterator[Connection[DictRow]]:
        with self.datastore.get_connection() as conn:  # maps psycopg's errors to the library's
            yield conn

    def _begin_batch(self, conn: Connection[DictRow]) -> Cursor[DictRow]:
        cursor = conn.cursor()
        cursor.execute(self._begin_sql)  # one round trip
        return cursor

    def _chain_head(self, cursor: Cursor[DictRow]) -> bytes:
        cursor.execute(self._chain_head_sql, prepare=True)
        row = cursor.fetchone()
        return bytes(row["chain_hash"]) if row else GENESIS

    def _insert_events(  # type: ignore[override]
        self, cursor: Cursor[DictRow], events: Sequence[StoredEvent], **kwargs: Any
    ) -> list[int]:
        PostgresAggregateRecorder._insert_stored_events(self, cursor, events)  # no lock: held
        return [row["notification_id"] for row in cursor.fetchall()]

    def _append_links(self, cursor: Cursor[DictRow], rows: list[tuple[int, bytes]]) -> None:
        cursor.executemany(self._links_sql, rows)

    def _mark_claim(self, cursor: Cursor[DictRow], position: int) -> None:
        fenced = outcome.fence_statement(position)
        assert fenced is not None
        cursor.execute(self._fence_sql, fenced[1])
        if cursor.fetchone() is None:
            raise outcome.ClaimTakenOverError(fenced[0].key)

    def _savepoint(self, cursor: Cursor[DictRow], statement: str) -> None:
        cursor.execute(statement)

    def _dead_keys(self, cursor: Cursor[DictRow], key_ids: frozenset[UUID]) -> set[UUID]:
        plain = cursor.connection.cursor(row_factory=tuple_row)
        return dead_sealing_keys(plain, key_ids, "format", schema=self.datastore.schema)

    def _is_conflict(self, error: Exception) -> bool:
        return isinstance(error, psycopg.errors.UniqueViolation)

    def _commit_batch(self, conn: Connection[DictRow]) -> None:
        # Never prepared (psycopg prepares a statement run 5 times on a connection): a prepared
        # COMMIT saves nothing, and as a simple query it is one message on the wire, the COMMIT
        # an operator (or the outage test's relay) sees in a packet capture.
        conn.execute("COMMIT", prepare=False)

    def _rollback_batch(self, conn: Connection[DictRow]) -> None:
        conn.execute("ROLLBACK", prepare=False)

    def _check_pooled_connections(self) -> None:
        self.datastore.pool.check()  # psycopg_pool: replaces the idle connections found broken
