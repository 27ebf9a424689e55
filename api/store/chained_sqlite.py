"""The library's SQLite recorder, extending the log's hash chain (`api.store.integrity`) and
marking the command's idempotency claim (`api.store.outcome`) in the transaction that inserts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from api.store import outcome
from api.store.commit_signal import CommitSignal
from api.store.integrity import GENESIS, links

_FENCE = outcome.FENCE_SQL.format(table="idempotency_record", p="?")


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, extending the chain in the transaction that inserts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commit_signal = CommitSignal()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        try:
            ids = super().insert_events(stored_events, **kwargs)
        except IntegrityError:
            outcome.rolled_back()
            raise
        outcome.committed(ids)
        if ids:
            self.commit_signal.committed(max(ids))
        return ids

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
        fenced = outcome.fence_statement(max(ids))
        if fenced is not None:
            c.execute(_FENCE, fenced[1])
            c.execute("SELECT changes()")
            if c.fetchone()[0] != 1:  # rolled back with the events as this leaves the block
                raise outcome.ClaimTakenOverError(fenced[0].key)
        outcome.about_to_commit()
        return ids
