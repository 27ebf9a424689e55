"""The library's SQLite recorder, extending the log's hash chain (`api.store.integrity`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from api.store.integrity import GENESIS, links


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, extending the chain in the transaction that inserts."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if not stored_events or ids is None:
            return ids
        c.execute("SELECT chain_hash FROM event_chain ORDER BY position DESC LIMIT 1")
        row = c.fetchone()
        previous = bytes(row[0]) if row else GENESIS
        c.executemany(
            "INSERT INTO event_chain (position, chain_hash) VALUES (?, ?)",
            links(previous, ids, stored_events),
        )
        return ids
