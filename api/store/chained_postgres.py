"""The library's PostgreSQL recorder, extending the log's hash chain (`api.store.integrity`) and
marking the command's idempotency claim (`api.store.outcome`) in the transaction that inserts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from api.store import outcome
from api.store.commit_signal import CommitSignal
from api.store.integrity import GENESIS, links


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, extending the chain while it holds the table lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commit_signal = CommitSignal()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Once, without the library's retries. An insert whose connection broke after its
        commit would, tried again, fail on its own version: a command reads that as a
        conflict, decides again, and records the same act twice (found by the outage test).
        A broken connection is reported instead (503, with the outcome `api.store.outcome`
        could tell)."""
        once = PostgresApplicationRecorder.insert_events.__wrapped__
        try:
            ids: Sequence[int] | None = once(self, stored_events, **kwargs)
        except IntegrityError:
            outcome.rolled_back()
            raise
        outcome.committed(ids)
        if ids:
            self.commit_signal.committed(max(ids))
        return ids

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Before the events: claim the idempotency row for this transaction, or give up. Here,
        an error rolls the transaction back (the library commits whatever the block after it
        raises, re-raising after the commit)."""
        super()._insert_events(curs, stored_events, **kwargs)
        fenced = outcome.fence_statement(0)  # the position is set once known, below
        if fenced is None or not stored_events:
            return
        table = Identifier(self.datastore.schema, "idempotency_record")
        curs.execute(
            SQL(outcome.FENCE_SQL + " RETURNING 1").format(table=table, p=SQL("%s")), fenced[1]
        )
        if curs.fetchone() is None:
            raise outcome.ClaimTakenOverError(fenced[0].key)

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
        fenced = outcome.fence_statement(max(ids))
        if fenced is not None:  # the row is already this transaction's (locked above)
            claims = Identifier(self.datastore.schema, "idempotency_record")
            curs.execute(SQL(outcome.FENCE_SQL).format(table=claims, p=SQL("%s")), fenced[1])
        outcome.about_to_commit()
        return ids
