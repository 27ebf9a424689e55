"""A tamper-evident log: one hash chain over every stored event, in notification order.

For each event the store records, the recorder also writes, in the same transaction, the link
`H(n) = SHA-256(H(previous), n, originator id, version, topic, stored state)` in `event_chain`,
where n is the event's position (notification id) and `previous` the position before it. The
chain covers the whole log in the order readers see it, not one chain per aggregate, so deleting
any aggregate's last events is caught like any other deletion. Writers take turns: SQLite has one
writer at a time, and the PostgreSQL recorder locks the events table while it inserts (that is
how notification ids are committed in order), so concurrent writers extend one chain.

`verify` recomputes the chain from the stored rows and reports the first position where the log
and the chain disagree: a changed payload, topic or originator, a deleted or reordered event, a
missing or extra link. What it cannot catch alone is the removal of the log's *tail* together
with its links: anchor it outside the store — note the head (`GET /log/head`, `maillage verify`
prints it) and pass it later as `--expect POSITION:HASH`: the recomputed chain must pass through
it. The chain is unkeyed: someone who can rewrite the whole store can also recompute it, and only
a head noted outside the store (or a copy of it) exposes that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import BigInteger, Column, Engine, LargeBinary, MetaData, Table, select

GENESIS = bytes(32)

event_chain = Table(
    "event_chain",
    MetaData(),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("chain_hash", LargeBinary(32), nullable=False),
)


def link(
    previous: bytes, position: int, originator_id: Any, version: int, topic: str, state: bytes
) -> bytes:
    """The chain's hash at `position`; each part length-prefixed, so no two inputs collide."""
    digest = hashlib.sha256(previous)
    origin = originator_id.bytes if isinstance(originator_id, UUID) else str(originator_id).encode()
    for part in (
        position.to_bytes(8, "big"),
        origin,
        version.to_bytes(8, "big", signed=True),
        topic.encode(),
        bytes(state),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def links(
    previous: bytes, ids: Sequence[int], events: Sequence[StoredEvent]
) -> list[tuple[int, bytes]]:
    if len(ids) != len(events):
        raise RuntimeError("the store returned fewer positions than events inserted")
    rows = []
    for position, e in sorted(zip(ids, events, strict=True), key=lambda pair: pair[0]):
        previous = link(previous, position, e.originator_id, e.originator_version, e.topic, e.state)
        rows.append((position, previous))
    return rows


# The recorders that extend the chain, one module each: the library imports the one the URL
# names when the store opens, so an embedded worker never loads the PostgreSQL driver.
RECORDER_TOPICS = {
    "sqlite": "api.store.chained_sqlite:ChainedSQLiteRecorder",
    "postgresql": "api.store.chained_postgres:ChainedPostgresRecorder",
}


@dataclass(frozen=True)
class Head:
    position: int  # 0: an empty log
    chain_hash: str  # hex

    def __str__(self) -> str:
        return f"{self.position}:{self.chain_hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        position, _, digest = text.partition(":")
        if not position.isascii() or not position.isdigit() or len(digest) != 64:
            raise ValueError("a chain head is written POSITION:HASH (64 hex digits)")
        bytes.fromhex(digest)
        return cls(int(position), digest.lower())


def head(engine: Engine) -> Head:
    with engine.connect() as conn:
        row = conn.execute(
            select(event_chain.c.position, event_chain.c.chain_hash)
            .order_by(event_chain.c.position.desc())
            .limit(1)
        ).first()
    return (
        Head(0, GENESIS.hex()) if row is None else Head(row.position, bytes(row.chain_hash).hex())
    )


@dataclass(frozen=True)
class Verification:
    checked: int
    head: Head
    broken_at: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _chain_rows(engine: Engine, page: int, until: int) -> Iterator[tuple[int, bytes]]:
    after = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(event_chain.c.position, event_chain.c.chain_hash)
                .where(event_chain.c.position > after, event_chain.c.position <= until)
                .order_by(event_chain.c.position)
                .limit(page)
            ).all()
        if not rows:
            return
        for r in rows:
            yield r.position, bytes(r.chain_hash)
        after = rows[-1].position


def _stored(recorder: Any, page: int, until: int) -> Iterator[Any]:
    start = 1
    while start <= until:
        notifications = recorder.select_notifications(start=start, limit=page, stop=until)
        if not notifications:
            return
        yield from notifications
        start = notifications[-1].id + 1


def verify(
    recorder: Any,
    engine: Engine,
    *,
    expect: Head | None = None,
    page: int = 2000,
    progress: Any = None,
) -> Verification:
    """Walk the log and the chain side by side; the first disagreement is reported.

    Both only up to the end of the log and of the chain as they stand when it starts: writers
    may go on meanwhile (events and their links are committed together, in order)."""
    previous = GENESIS
    checked = 0
    last = Head(0, GENESIS.hex())
    seen_expected = expect is None or expect.position == 0
    until = max(head(engine).position, recorder.max_notification_id() or 0)
    links = _chain_rows(engine, page, until)
    for n in _stored(recorder, page, until):
        chained = next(links, None)
        if chained is None:
            return Verification(checked, last, n.id, "an event has no link in the chain")
        position, stored_hash = chained
        if position < n.id:
            return Verification(checked, last, position, "a chained event is missing from the log")
        if position > n.id:
            return Verification(checked, last, n.id, "an event has no link in the chain")
        previous = link(previous, n.id, n.originator_id, n.originator_version, n.topic, n.state)
        if previous != stored_hash:
            return Verification(
                checked, last, n.id, "the event or its order differs from what was chained"
            )
        checked += 1
        last = Head(n.id, previous.hex())
        if expect is not None and n.id == expect.position:
            if last.chain_hash != expect.chain_hash:
                return Verification(checked, last, n.id, "the chain differs from the noted head")
            seen_expected = True
        if progress is not None:
            progress(n.id)
    extra = next(links, None)
    if extra is not None:
        return Verification(checked, last, extra[0], "a chained event is missing from the log")
    if not seen_expected and expect is not None:
        return Verification(
            checked, last, expect.position, "the log ends before the noted head: events removed"
        )
    return Verification(checked, last)
