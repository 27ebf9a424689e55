"""Idempotency records: a claimed key, then the answer stored with it (see `api.http.idempotency`
for how requests use them). Kept beside the read models, in the same store.

A claim carries a random token and a lease. The command's events and the mark on its claim
(`committed_position`) are committed in one transaction, on condition that the token is still the
claim's (`api.store.outcome`, in the recorders). So a claim left without an answer — its request
cut off by the store, or its process gone — is settled by the next request with the key: if its
events committed, it was recorded (the retry is told so); if not, and the lease is over (or the
request ended and said so), the retry takes the claim over with a new token and runs, and the
first request, if it was still going, can no longer commit.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from domain.timing import Clock, utc_now
from projections.tables import as_utc, idempotency_record

log = logging.getLogger("maillage.idempotency")

# How long a claim waits for a commit of its holder still in the store's hands.
_LOCK_WAIT = "2s"
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock timeout


def _bounded_lock_wait(conn: Connection) -> None:
    """On PostgreSQL, a claim's row held by a commit in flight (the events' transaction marks
    it) is waited for briefly: that commit is resolving, or its connection is gone."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SET LOCAL lock_timeout = '{_LOCK_WAIT}'"))


def _lock_timed_out(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE


@dataclass(frozen=True)
class Stored:
    """What a key holds when another request claimed it first."""

    request_hash: str
    status_code: int | None  # None: no answer stored
    headers: dict[str, str]
    body: bytes
    created_at: datetime
    lease_until: datetime  # the claim's holder may run until then
    token: str | None = None
    committed_position: int | None = None  # its events committed, up to this log position
    undecided: bool = False  # its holder's commit is still unresolved in the store

    @property
    def recorded_without_answer(self) -> bool:
        return self.status_code is None and self.committed_position is not None


class IdempotencyStore:
    def __init__(
        self,
        engine: Engine,
        ttl: timedelta,
        clock: Clock = utc_now,
        lease: timedelta = timedelta(seconds=30),
    ) -> None:
        self.engine = engine
        self.ttl = ttl
        self.clock = clock
        self.lease = lease

    def claim(self, scope: str, key: str, request_hash: str) -> str | Stored:
        """Claim the key: the claim's token; or what is already stored under it."""
        t = idempotency_record
        now = self.clock()
        where = and_(t.c.scope == scope, t.c.key == key)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(where, t.c.created_at < now - self.ttl))
            if random.random() < 0.01:  # noqa: S311 - housekeeping now and then, not security
                conn.execute(delete(t).where(t.c.created_at < now - self.ttl))
        token = secrets.token_hex(16)
        undecided = False
        try:
            with self.engine.begin() as conn:
                _bounded_lock_wait(conn)
                conn.execute(
                    insert(t).values(
                        scope=scope,
                        key=key,
                        request_hash=request_hash,
                        created_at=now,
                        token=token,
                        lease_until=now + self.lease,
                    )
                )
            return token
        except IntegrityError:
            pass
        except OperationalError as error:  # the row is held by a commit still in flight
            if not _lock_timed_out(error):
                raise
            undecided = True
        stored = self._read(scope, key)
        if stored is None:  # expired and removed meanwhile: try once more
            return self.claim(scope, key, request_hash)
        if undecided and stored.status_code is None and stored.committed_position is None:
            return replace(stored, undecided=True)
        if (
            stored.request_hash != request_hash
            or stored.status_code is not None
            or stored.committed_position is not None
            or stored.lease_until > now
        ):
            return stored
        # Its holder ended without an answer, or ran out of its lease, and none of its writes
        # committed (so far): take the claim over.
        return self._take_over(stored, scope, key, request_hash, token)

    def _read(self, scope: str, key: str) -> Stored | None:
        t = idempotency_record
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.scope == scope, t.c.key == key)).mappings()
            found = row.first()
        if found is None:
            return None
        created = as_utc(found["created_at"])
        lease_until = found["lease_until"]
        return Stored(
            request_hash=found["request_hash"],
            status_code=found["status_code"],
            headers=json.loads(found["response_headers"] or "{}"),
            body=found["response_body"] or b"",
            created_at=created,
            # Claims made before leases existed hold for one lease from their creation.
            lease_until=as_utc(lease_until) if lease_until else created + self.lease,
            token=found["token"],
            committed_position=found["committed_position"],
        )

    def _take_over(
        self, stored: Stored, scope: str, key: str, request_hash: str, token: str
    ) -> str | Stored:
        """Change the claim's token if it is still the one read, unanswered and uncommitted.

        On PostgreSQL, a commit of the holder still in flight holds the row: this waits for it
        (briefly), then finds the row committed, or takes it. On SQLite writers take turns."""
        t = idempotency_record
        held_by = t.c.token == stored.token if stored.token else t.c.token.is_(None)
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                _bounded_lock_wait(conn)
                taken = conn.execute(
                    update(t)
                    .where(
                        t.c.scope == scope,
                        t.c.key == key,
                        held_by,
                        t.c.status_code.is_(None),
                        t.c.committed_position.is_(None),
                    )
                    .values(token=token, lease_until=now + self.lease)
                ).rowcount
        except OperationalError as error:
            if not _lock_timed_out(error):
                raise
            return replace(stored, undecided=True)
        if taken == 1:
            return token
        again = self._read(scope, key)  # settled meanwhile: committed, or another retry has it
        return again if again is not None else self.claim(scope, key, request_hash)

    def complete(
        self,
        scope: str,
        key: str,
        token: str,
        status_code: int,
        headers: dict[str, str],
        body: bytes,
    ) -> None:
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.scope == scope, t.c.key == key, t.c.token == token)
                .values(
                    status_code=status_code,
                    response_headers=json.dumps(headers),
                    response_body=body,
                )
            )

    def release(self, scope: str, key: str, token: str) -> None:
        """Forget a claim none of whose writes committed: the key may be used again."""
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(
                delete(t).where(
                    t.c.scope == scope,
                    t.c.key == key,
                    t.c.token == token,
                    t.c.committed_position.is_(None),
                )
            )

    def end_lease(self, scope: str, key: str, token: str) -> None:
        """The claim's request ended without an answer: the next request with the key settles
        it at once (told it was recorded, or taking it over) instead of waiting for the lease."""
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.scope == scope, t.c.key == key, t.c.token == token)
                .values(lease_until=self.clock())
            )

    def when_reachable(self, settle: Callable[[], None]) -> threading.Thread:
        """Run `settle` once the store answers again (a claim cut off by an outage), tried
        every half second for the length of a lease — after which the lease's end does the
        same. Outside the request, so that its 503 is answered at once."""

        def attempt() -> None:
            deadline = time.monotonic() + self.lease.total_seconds()
            while True:
                try:
                    settle()
                    return
                except SQLAlchemyError as error:
                    if time.monotonic() > deadline:
                        log.warning(
                            "an idempotency claim could not be settled (%s): it is settled "
                            "when its lease ends",
                            type(error).__name__,
                        )
                        return
                    time.sleep(0.5)

        worker = threading.Thread(target=attempt, name="maillage-idempotency-settle", daemon=True)
        worker.start()
        return worker
