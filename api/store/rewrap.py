"""Rotating the key-encryption key: every beneficiary's key wrapped again with the current KEK,
without reading or writing a single event (`maillage rewrap-keys`).

The keys not yet under the current KEK — wrapped by the previous one
(`MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY`), or left in clear by a store from before migration 0007
— are taken in case order, a batch at a time, each batch its own transaction. Each row is
replaced only if it still holds the bytes that were read: a key destroyed meanwhile (an erasure)
stays destroyed, a key another run rewrapped meanwhile is left as it is. So a run can be
interrupted at any point and started again, and a run with nothing left to do changes nothing.
Keys under a KEK this process was not given are left alone and counted: the run says which.

Then what the store keeps of the replaced bytes is overwritten as erasure does it
(`SqlKeyring.wipe`: SQLite's truncating checkpoint, PostgreSQL's `VACUUM FULL`), so no copy of
the database keeps keys the old KEK would open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import func, or_, select, update

from api.store.keyring import SqlKeyring, beneficiary_key

t = beneficiary_key


@dataclass
class Rewrapped:
    """What a run did: keys moved from a previous KEK, keys wrapped from clear, keys already
    under the current KEK, keys left under a KEK not given (by id), rows changed meanwhile."""

    current_id: str
    rewrapped: int = 0
    wrapped_from_clear: int = 0
    already_current: int = 0
    not_given: Counter[str] = field(default_factory=Counter)
    changed_meanwhile: int = 0
    wiped: bool = True

    @property
    def complete(self) -> bool:
        return not self.not_given


def census(keyring: SqlKeyring) -> dict[str | None, int]:
    """Live keys by the id of the KEK that wrapped them (None: in clear)."""
    with keyring.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.kek_id, func.count()).where(t.c.key.is_not(None)).group_by(t.c.kek_id)
        ).all()
    return {kek_id: count for kek_id, count in rows}


def rewrap(
    keyring: SqlKeyring,
    *,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> Rewrapped:
    """Wrap every live key with `keyring`'s current KEK; `progress(done, to_do)` after each
    batch."""
    keks = keyring.keks
    current = keks.current.key_id
    counts = census(keyring)
    result = Rewrapped(current, already_current=counts.get(current, 0))
    to_do = sum(n for kek_id, n in counts.items() if kek_id != current)
    done, after = 0, None
    while True:
        rows = _next_batch(keyring, current, after, batch)
        if not rows:
            break
        with keyring.engine.begin() as conn:
            for case_id, stored, kek_id in rows:
                if kek_id is not None and kek_id not in keks.ids:
                    result.not_given[kek_id] += 1
                    continue
                key = stored if kek_id is None else keks.unwrap(stored, kek_id, case_id)
                wrapped, _ = keks.wrap(key, case_id)
                replaced = conn.execute(
                    update(t)
                    .where(t.c.case_id == case_id, t.c.key == stored)
                    .values(key=wrapped, kek_id=current)
                ).rowcount
                if not replaced:
                    result.changed_meanwhile += 1
                elif kek_id is None:
                    result.wrapped_from_clear += 1
                else:
                    result.rewrapped += 1
        done += len(rows)
        after = rows[-1][0]
        if progress is not None:
            progress(done, max(to_do, done))
    result.wiped = keyring.wipe()  # each run: one held up by a reader is finished by the next
    return result


def _next_batch(
    keyring: SqlKeyring, current: str, after: UUID | None, size: int
) -> list[tuple[UUID, bytes, str | None]]:
    query = (
        select(t.c.case_id, t.c.key, t.c.kek_id)
        .where(t.c.key.is_not(None), or_(t.c.kek_id.is_(None), t.c.kek_id != current))
        .order_by(t.c.case_id)
        .limit(size)
    )
    if after is not None:
        query = query.where(t.c.case_id > after)
    with keyring.engine.connect() as conn:
        return [(row.case_id, bytes(row.key), row.kek_id) for row in conn.execute(query)]
