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

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from domain.errors import BeneficiaryErasedError
from domain.privacy import new_key

beneficiary_key = Table(
    "beneficiary_key",
    MetaData(),
    Column("case_id", Uuid, primary_key=True),
    Column("key", LargeBinary, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=True),
)


class SqlKeyring:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
                            case_id=key_id, key=new_key(), created_at=datetime.now(UTC)
                        )
                    )
            except IntegrityError:
                pass  # created meanwhile by another writer: use theirs
            found = self._row(key_id)
        if found is None or found[0] is None:
            raise BeneficiaryErasedError(
                f"the beneficiary of case {key_id} was erased", field="case_id"
            )
        return found[0]

    def destroy(self, key_id: UUID) -> bool:
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.begin() as conn:
            if sqlite:
                conn.execute(text("PRAGMA secure_delete = ON"))
            done = conn.execute(
                update(beneficiary_key)
                .where(beneficiary_key.c.case_id == key_id, beneficiary_key.c.key.is_not(None))
                .values(key=None, destroyed_at=datetime.now(UTC))
            ).rowcount
            if not done and self._row(key_id) is None:
                # Never sealed anything: leave a tombstone all the same.
                conn.execute(
                    beneficiary_key.insert().values(
                        case_id=key_id,
                        key=None,
                        created_at=datetime.now(UTC),
                        destroyed_at=datetime.now(UTC),
                    )
                )
        with self.engine.connect() as conn:
            if sqlite:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            else:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text("VACUUM FULL beneficiary_key"))
        return bool(done)
