"""Idempotency records: a claimed key, then the answer stored with it (see `api.http.idempotency`
for how requests use them). Kept beside the read models, in the same store."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.timing import Clock, utc_now
from projections.tables import as_utc, idempotency_record


@dataclass(frozen=True)
class Stored:
    request_hash: str
    status_code: int | None  # None: the first request has not finished
    headers: dict[str, str]
    body: bytes
    created_at: datetime


class IdempotencyStore:
    def __init__(self, engine: Engine, ttl: timedelta, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.ttl = ttl
        self.clock = clock

    def claim(self, scope: str, key: str, request_hash: str) -> Stored | None:
        """Claim the key (None), or return what is already stored under it."""
        t = idempotency_record
        now = self.clock()
        where = and_(t.c.scope == scope, t.c.key == key)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(where, t.c.created_at < now - self.ttl))
            if random.random() < 0.01:  # noqa: S311 - housekeeping now and then, not security
                conn.execute(delete(t).where(t.c.created_at < now - self.ttl))
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(t).values(
                        scope=scope, key=key, request_hash=request_hash, created_at=now
                    )
                )
            return None
        except IntegrityError:
            pass
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(where)).mappings().first()
        if row is None:  # expired and removed meanwhile: try once more
            return self.claim(scope, key, request_hash)
        return Stored(
            request_hash=row["request_hash"],
            status_code=row["status_code"],
            headers=json.loads(row["response_headers"] or "{}"),
            body=row["response_body"] or b"",
            created_at=as_utc(row["created_at"]),
        )

    def complete(
        self, scope: str, key: str, status_code: int, headers: dict[str, str], body: bytes
    ) -> None:
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.scope == scope, t.c.key == key)
                .values(
                    status_code=status_code,
                    response_headers=json.dumps(headers),
                    response_body=body,
                )
            )

    def release(self, scope: str, key: str) -> None:
        t = idempotency_record
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.scope == scope, t.c.key == key))
