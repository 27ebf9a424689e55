"""The beneficiaries' keys in their own table (`beneficiary_key`, migration 0006).

No key is cached in a process: another process may destroy it at any moment, and a cached copy
would go on opening what was erased. Opening is rare (a case's identity when it is loaded, a
consent's representative), so one indexed read each time is the price.

Destroying a key overwrites it: on SQLite with `secure_delete` (freed bytes are zeroed) and a
WAL checkpoint that truncates the journal; on PostgreSQL the table is rewritten (`VACUUM FULL`),
so no dead row version keeps it. Copies outside the database — PostgreSQL's WAL archive, backups
— keep it until they expire: size their retention accordingly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import suppress
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    event,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from domain.errors import BeneficiaryErasedError
from domain.privacy import new_key
from domain.timing import Clock, utc_now

log = logging.getLogger("maillage.keyring")

beneficiary_key = Table(
    "beneficiary_key",
    MetaData(),
    Column("case_id", Uuid, primary_key=True),
    Column("key", LargeBinary, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=True),
    Column("wiped_at", DateTime(timezone=True), nullable=True),
)


class SqlKeyring:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _secure_delete(dbapi_connection, _record):  # type: ignore[no-untyped-def]
                dbapi_connection.execute("PRAGMA secure_delete = ON")

    def close(self) -> None:
        self.engine.dispose()

    def _row(self, key_id: UUID) -> tuple[bytes | None, bool] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(beneficiary_key.c.key, beneficiary_key.c.destroyed_at).where(
                    beneficiary_key.c.case_id == key_id
                )
            ).first()
        if row is None:
            return None
        return (bytes(row.key) if row.key is not None else None), row.destroyed_at is not None

    def key(self, key_id: UUID) -> bytes | None:
        found = self._row(key_id)
        return None if found is None else found[0]

    def is_destroyed(self, key_id: UUID) -> bool:
        found = self._row(key_id)
        return found is not None and found[1]

    def key_for_sealing(self, key_id: UUID) -> bytes:
        found = self._row(key_id)
        if found is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        beneficiary_key.insert().values(
                            case_id=key_id, key=new_key(), created_at=self.clock()
                        )
                    )
            except IntegrityError:
                pass  # created meanwhile by another writer: use theirs
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
        with self.engine.begin() as conn:
            conn.execute(
                beneficiary_key.insert(),
                [{"case_id": k, "key": new_key(), "created_at": now} for k in key_ids],
            )

    def _rows(self, key_ids: set[UUID]) -> dict[UUID, bytes | None]:
        t = beneficiary_key
        rows: dict[UUID, bytes | None] = {}
        ordered = sorted(key_ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                for row in conn.execute(select(t.c.case_id, t.c.key).where(t.c.case_id.in_(chunk))):
                    rows[row.case_id] = bytes(row.key) if row.key is not None else None
        return rows

    def destroy(self, key_id: UUID) -> bool:
        """Destroy the key (a tombstone stays), then wipe what the store keeps of it."""
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                done = conn.execute(
                    update(beneficiary_key)
                    .where(beneficiary_key.c.case_id == key_id, beneficiary_key.c.key.is_not(None))
                    .values(key=None, destroyed_at=now)
                ).rowcount
                if not done and self._row(key_id) is None:
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
