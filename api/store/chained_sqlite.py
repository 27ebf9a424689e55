"""The library's SQLite recorder, its inserts written in batches by one writer of the process
(`api.store.group_commit`): each command's events, their links in the log's hash chain
(`api.store.integrity`) and the mark of its idempotency claim (`api.store.outcome`) under a
SAVEPOINT of their own, one commit per batch."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteConnection, SQLiteCursor

from api.store import outcome
from api.store.group_commit import BatchedRecorder
from api.store.integrity import GENESIS
from api.store.keyring import dead_sealing_keys

_FENCE = outcome.FENCE_SQL.format(table="idempotency_record", p="?")


class ChainedSQLiteRecorder(SQLiteApplicationRecorder, BatchedRecorder):
    """The library's SQLite recorder; every insert goes through the process's batched writer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._start_batching()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        return self._committer.submit(stored_events)

    # --- the batch's steps, on one SQLite connection ------------------------------------------

    @contextmanager
    def _batch_connection(self) -> Iterator[SQLiteConnection]:
        with self.datastore.get_connection(commit=True) as conn:
            yield conn

    def _begin_batch(self, conn: SQLiteConnection) -> SQLiteCursor:
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # the file's write lock, before the chain is read
        return cursor

    def _chain_head(self, cursor: SQLiteCursor) -> bytes:
        cursor.execute("SELECT chain_hash FROM event_chain ORDER BY position DESC LIMIT 1")
        row = cursor.fetchone()
        return bytes(row[0]) if row else GENESIS

    def _insert_events(  # type: ignore[override]
        self, cursor: SQLiteCursor, events: Sequence[StoredEvent], **kwargs: Any
    ) -> list[int]:
        ids = super()._insert_events(cursor, events, **kwargs)
        assert ids is not None
        return list(ids)

    def _append_links(self, cursor: SQLiteCursor, rows: list[tuple[int, bytes]]) -> None:
        cursor.executemany("INSERT INTO event_chain (position, chain_hash) VALUES (?, ?)", rows)

    def _mark_claim(self, cursor: SQLiteCursor, position: int) -> None:
        fenced = outcome.fence_statement(position)
        assert fenced is not None
        cursor.execute(_FENCE, fenced[1])
        cursor.execute("SELECT changes()")
        if cursor.fetchone()[0] != 1:
            raise outcome.ClaimTakenOverError(fenced[0].key)

    def _savepoint(self, cursor: SQLiteCursor, statement: str) -> None:
        cursor.execute(statement)

    def _dead_keys(self, cursor: SQLiteCursor, key_ids: frozenset[UUID]) -> set[UUID]:
        return dead_sealing_keys(cursor, key_ids, "qmark")

    def _is_conflict(self, error: Exception) -> bool:
        return isinstance(error, sqlite3.IntegrityError | IntegrityError)

    def _commit_batch(self, conn: SQLiteConnection) -> None:
        conn.commit()

    def _rollback_batch(self, conn: SQLiteConnection) -> None:
        conn.rollback()
