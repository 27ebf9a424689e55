"""The beneficiaries' keys in their own table (`beneficiary_key`, migrations 0006 and 0007),
each wrapped by a key-encryption key that is not in the database (`api.store.kek`): a copy of
the database opens nothing sealed. `kek_id` says which KEK wrapped each key.

No key is cached in a process: another process may destroy it at any moment, and a cached copy
would go on opening what was erased. Opening is rare (a case's identity when it is loaded, a
consent's representative), so one indexed read and one unwrap each time is the price (the unwrap,
AES-GCM over 32 bytes, costs microseconds: `bench/keys.py`). Only the KEK stays in memory.

Destroying a key overwrites it: on SQLite with `secure_delete` (freed bytes are zeroed) and a
WAL checkpoint that truncates the journal; on PostgreSQL the table is rewritten (`VACUUM FULL`),
so no dead row version keeps it. Copies outside the database — PostgreSQL's WAL archive, backups
— keep it (wrapped) until they expire: size their retention accordingly, or retire the KEK that
wrapped it once they have.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import suppress
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    event,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from api.store.kek import KeyEncryptionKeys
from domain.errors import BeneficiaryErasedError
from domain.privacy import new_key
from domain.timing import Clock, utc_now

log = logging.getLogger("maillage.keyring")

beneficiary_key = Table(
    "beneficiary_key",
    MetaData(),
    Column("case_id", Uuid, primary_key=True),
    Column("key", LargeBinary, nullable=True),  # wrapped; NULL once destroyed
    Column("kek_id", String(255), nullable=True),  # the KEK that wrapped it
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=True),
    Column("wiped_at", DateTime(timezone=True), nullable=True),
)


def holds_wrapped_keys(engine: Engine) -> bool:
    """Some key in the store is wrapped (by whichever KEK)."""
    with engine.connect() as conn:
        found = conn.execute(
            select(beneficiary_key.c.case_id).where(beneficiary_key.c.kek_id.is_not(None)).limit(1)
        ).first()
    return found is not None


class SqlKeyring:
    def __init__(self, engine: Engine, keks: KeyEncryptionKeys, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.keks = keks
        self.clock = clock
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _secure_delete(dbapi_connection, _record):  # type: ignore[no-untyped-def]
                dbapi_connection.execute("PRAGMA secure_delete = ON")

    def close(self) -> None:
        self.engine.dispose()

    def _open(self, case_id: UUID, wrapped: Any, kek_id: str | None) -> bytes | None:
        if wrapped is None:
            return None
        return self.keks.unwrap(bytes(wrapped), kek_id, case_id)

    def _row(self, key_id: UUID) -> tuple[bytes | None, bool] | None:
        t = beneficiary_key
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.c.key, t.c.kek_id, t.c.destroyed_at).where(t.c.case_id == key_id)
            ).first()
        if row is None:
            return None
        return self._open(key_id, row.key, row.kek_id), row.destroyed_at is not None

    def key(self, key_id: UUID) -> bytes | None:
        """The key, unwrapped; `KeyEncryptionKeyError` if this process's KEKs cannot open it."""
        found = self._row(key_id)
        return None if found is None else found[0]

    def is_destroyed(self, key_id: UUID) -> bool:
        with self.engine.connect() as conn:
            destroyed = conn.execute(
                select(beneficiary_key.c.destroyed_at).where(beneficiary_key.c.case_id == key_id)
            ).first()
        return destroyed is not None and destroyed[0] is not None

    def key_for_sealing(self, key_id: UUID) -> bytes:
        found = self._row(key_id)
        if found is None:
            with suppress(IntegrityError):  # created meanwhile by another writer: use theirs
                self._create({key_id})
            found = self._row(key_id)
        if found is None or found[0] is None:
            raise BeneficiaryErasedError.of_case(key_id)
        return found[0]

    def keys_for_sealing(self, key_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        wanted = set(key_ids)
        if not wanted:
            return {}
        found = self._rows(wanted)
        missing = wanted - found.keys()
        if missing:
            try:
                self._create(missing)
            except IntegrityError:  # some created meanwhile by another writer: keep theirs
                for key_id in missing:
                    with suppress(IntegrityError):
                        self._create({key_id})
            found = self._rows(wanted)
        return {k: key for k, key in found.items() if key is not None}

    def _create(self, key_ids: set[UUID]) -> None:
        now = self.clock()
        rows = []
        for case_id in key_ids:
            wrapped, kek_id = self.keks.wrap(new_key(), case_id)
            rows.append({"case_id": case_id, "key": wrapped, "kek_id": kek_id, "created_at": now})
        with self.engine.begin() as conn:
            conn.execute(beneficiary_key.insert(), rows)

    def _rows(self, key_ids: set[UUID]) -> dict[UUID, bytes | None]:
        t = beneficiary_key
        rows: dict[UUID, bytes | None] = {}
        ordered = sorted(key_ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                query = select(t.c.case_id, t.c.key, t.c.kek_id).where(t.c.case_id.in_(chunk))
                for row in conn.execute(query):
                    rows[row.case_id] = self._open(row.case_id, row.key, row.kek_id)
        return rows

    def destroy(self, key_id: UUID) -> bool:
        """Destroy the key (a tombstone stays), then wipe what the store keeps of it."""
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                done = conn.execute(
                    update(beneficiary_key)
                    .where(beneficiary_key.c.case_id == key_id, beneficiary_key.c.key.is_not(None))
                    .values(key=None, kek_id=None, destroyed_at=now)
                ).rowcount
                exists = select(beneficiary_key.c.case_id).where(
                    beneficiary_key.c.case_id == key_id
                )
                if not done and conn.execute(exists).first() is None:
                    # Never sealed anything: leave a tombstone all the same.
                    conn.execute(
                        beneficiary_key.insert().values(
                            case_id=key_id, key=None, created_at=now, destroyed_at=now
                        )
                    )
        except IntegrityError:  # a key created meanwhile: destroy that one
            return self.destroy(key_id)
        self.wipe()
        return bool(done)

    def wipe_pending(self, key_id: UUID) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(beneficiary_key.c.destroyed_at, beneficiary_key.c.wiped_at).where(
                    beneficiary_key.c.case_id == key_id
                )
            ).first()
        return row is not None and row.destroyed_at is not None and row.wiped_at is None

    def wipe(self) -> bool:
        """Overwrite what the store still keeps of destroyed keys; False if it could not now
        (a reader in the way): the keys stay marked as pending, and asking to erase again, or
        `maillage apply-retention`, tries again."""
        started = self.clock()
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                # Freed bytes are zeroed (secure_delete, on every connection of this engine);
                # the old pages left in the WAL go once it is checkpointed and truncated.
                conn.execute(text("PRAGMA busy_timeout = 2000"))  # readers: wait, bounded
                busy, _, _ = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
                conn.execute(text("PRAGMA busy_timeout = 30000"))
                wiped = busy == 0
            else:
                # A rewrite of the table leaves no dead row version with a key in it. It waits
                # for readers of the table, and key reads queue behind it: bounded.
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text("SET lock_timeout = '2s'"))
                try:
                    conn.execute(text("VACUUM FULL beneficiary_key"))
                    wiped = True
                except OperationalError:
                    wiped = False
                conn.execute(text("RESET lock_timeout"))
        if not wiped:
            log.warning("destroyed keys not yet wiped from the store: a reader was in the way")
            return False
        with self.engine.begin() as conn:
            conn.execute(
                update(beneficiary_key)
                .where(
                    beneficiary_key.c.key.is_(None),
                    beneficiary_key.c.wiped_at.is_(None),
                    beneficiary_key.c.destroyed_at <= started,
                )
                .values(wiped_at=self.clock())
            )
        return True
