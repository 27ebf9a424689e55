"""The beneficiaries' keys in their own table (`beneficiary_key`, migrations 0006 and 0007),
each wrapped by a key-encryption key that is not in the database (`api.store.kek`): a copy of
the database opens nothing sealed. `kek_id` says which KEK wrapped each key.

No key is cached for opening: another process may destroy it at any moment, and a cached copy
would go on opening what was erased. Opening is rare (a case's identity when it is loaded, a
consent's representative), so one indexed read and one unwrap each time is the price (the unwrap,
AES-GCM over 32 bytes, costs microseconds: `bench/keys.py`). Only the KEK stays in memory.

Sealing is every write on a case, and a key read per write was a tenth of its time. So the keys
sealed with stay in memory (`SealingKeys`, bounded, least recently used out), dropped at once
when this process destroys one. A key another process destroyed is caught where it matters, in
the transaction that inserts the events: a save notes which keys it sealed with from memory
(`sealed_from_cache`, in the thread that seals), and the recorder asks `dead_sealing_keys`
there whether they are still live — a command sealed with a dead one fails as a write on an
erased case does (`BeneficiaryErasedError`), nothing of it recorded.

Destroying a key overwrites it: on SQLite with `secure_delete` (freed bytes are zeroed) and a
WAL checkpoint that truncates the journal; on PostgreSQL the table is rewritten (`VACUUM FULL`),
so no dead row version keeps it. Copies outside the database — PostgreSQL's WAL archive, backups
— keep it (wrapped) until they expire: size their retention accordingly, or retire the KEK that
wrapped it once they have.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable
from contextlib import suppress
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    Row,
    String,
    Table,
    Uuid,
    event,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from api.store import reconnect
from api.store.kek import KeyEncryptionKeys
from domain.errors import BeneficiaryErasedError
from domain.privacy import new_key
from domain.privacy_keys import note_sealed_from_cache, sealed_from_cache

__all__ = [
    "SealingKeys",
    "SqlKeyring",
    "beneficiary_key",
    "dead_sealing_keys",
    "found_dead",
    "holds_wrapped_keys",
    "sealed_from_cache",
    "sealing_keys_of",
]
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


class Cursor(Protocol):
    """What `dead_sealing_keys` needs of a DBAPI cursor (sqlite3's, psycopg's)."""

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def fetchall(self) -> list[Any]: ...


_LIVE = "destroyed_at IS NULL AND key IS NOT NULL"


def dead_sealing_keys(
    cursor: Cursor, key_ids: Collection[UUID], paramstyle: str, *, schema: str | None = None
) -> set[UUID]:
    """Those of `key_ids` no longer live (destroyed, or never stored), read with `cursor` — in
    the transaction that inserts the events sealed with them, so that a key destroyed after
    that read waits for the insert, and one destroyed before is seen. `paramstyle` is the
    driver's: "qmark" (sqlite3, which stores ids as 32 hex digits) or "format"/"pyformat"
    (psycopg). On PostgreSQL the table is in `schema` if given (the settings' schema: a
    connection of the event store's pool has no search_path of its own), else found through the
    connection's search_path (an engine's, `build_engine`)."""
    wanted = set(key_ids)
    if not wanted:
        return set()
    on_sqlite = paramstyle == "qmark"
    mark = "?" if on_sqlite else "%s"
    params = [k.hex if on_sqlite else k for k in wanted]
    marks = ", ".join(mark for _ in params)  # placeholders only: the ids are parameters
    table = "beneficiary_key"
    if schema:
        table = '"{}".beneficiary_key'.format(schema.replace('"', '""'))
    query = f"SELECT case_id FROM {table} WHERE {_LIVE} AND case_id IN ({marks})"  # noqa: S608
    cursor.execute(query, params)
    live = {row[0] if isinstance(row[0], UUID) else UUID(row[0]) for row in cursor.fetchall()}
    return wanted - live


class SealingKeys:
    """Unwrapped keys to seal with, in this process's memory: the `size` least recently used
    kept. A key destroyed here is never let in again (a read that began before its destruction
    may end after it)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._keys: OrderedDict[UUID, bytes] = OrderedDict()
        self._destroyed: set[UUID] = set()
        self._lock = threading.Lock()

    def get(self, key_id: UUID) -> bytes | None:
        with self._lock:
            key = self._keys.get(key_id)
            if key is not None:
                self._keys.move_to_end(key_id)
            return key

    def put(self, key_id: UUID, key: bytes) -> None:
        with self._lock:
            if key_id in self._destroyed:
                return
            self._keys[key_id] = key
            self._keys.move_to_end(key_id)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)

    def destroyed(self, key_id: UUID) -> None:
        with self._lock:
            self._destroyed.add(key_id)
            self._keys.pop(key_id, None)

    def __contains__(self, key_id: object) -> bool:
        with self._lock:
            return key_id in self._keys


_SHARED: weakref.WeakValueDictionary[str, SealingKeys] = weakref.WeakValueDictionary()
_SHARING = threading.Lock()


def sealing_keys_of(store: str) -> SealingKeys:
    """The sealing keys of this process for the store named `store` (its database and schema):
    one memory for all the keyrings on it, so that a key one of them destroys is dropped for
    all."""
    name = store
    with _SHARING:
        keys = _SHARED.get(name)
        if keys is None:
            keys = SealingKeys()
            _SHARED[name] = keys
        return keys


def found_dead(key_ids: Iterable[UUID]) -> None:
    """Keys `dead_sealing_keys` found destroyed (by another process): dropped from this
    process's memory of every store, so that the command's next attempt reads them."""
    with _SHARING:
        memories = list(_SHARED.values())
    for memory in memories:
        for key_id in key_ids:
            memory.destroyed(key_id)


class SqlKeyring:
    def __init__(
        self,
        engine: Engine,
        keks: KeyEncryptionKeys,
        clock: Clock = utc_now,
        *,
        sealing_keys: SealingKeys | None = None,
    ) -> None:
        self.engine = engine
        self.keks = keks
        self.clock = clock
        self.sealing = sealing_keys if sealing_keys is not None else SealingKeys()
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
        query = select(t.c.key, t.c.kek_id, t.c.destroyed_at).where(t.c.case_id == key_id)
        row = reconnect.read(self.engine, lambda conn: conn.execute(query).first())
        if row is None:
            return None
        return self._open(key_id, row.key, row.kek_id), row.destroyed_at is not None

    def key(self, key_id: UUID) -> bytes | None:
        """The key, unwrapped; `KeyEncryptionKeyError` if this process's KEKs cannot open it."""
        found = self._row(key_id)
        return None if found is None else found[0]

    def is_destroyed(self, key_id: UUID) -> bool:
        query = select(beneficiary_key.c.destroyed_at).where(beneficiary_key.c.case_id == key_id)
        destroyed = reconnect.read(self.engine, lambda conn: conn.execute(query).first())
        return destroyed is not None and destroyed[0] is not None

    def key_for_sealing(self, key_id: UUID) -> bytes:
        remembered = self.sealing.get(key_id)
        if remembered is not None:
            note_sealed_from_cache((key_id,))
            return remembered
        found = self._row(key_id)
        if found is None:
            with suppress(IntegrityError):  # created meanwhile by another writer: use theirs
                self._create({key_id})
            found = self._row(key_id)
        if found is None or found[0] is None:
            raise BeneficiaryErasedError.of_case(key_id)
        self.sealing.put(key_id, found[0])
        return found[0]

    def keys_for_sealing(self, key_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        remembered: dict[UUID, bytes] = {}
        wanted: set[UUID] = set()
        for key_id in key_ids:
            key = self.sealing.get(key_id)
            if key is None:
                wanted.add(key_id)
            else:
                remembered[key_id] = key
        note_sealed_from_cache(remembered)
        if not wanted:
            return remembered
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
        live = {k: key for k, key in found.items() if key is not None}
        for key_id, key in live.items():
            self.sealing.put(key_id, key)
        return remembered | live

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
        ordered = sorted(key_ids)

        def query(conn: Connection) -> list[Row[Any]]:
            found: list[Row[Any]] = []
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                found += conn.execute(
                    select(t.c.case_id, t.c.key, t.c.kek_id).where(t.c.case_id.in_(chunk))
                )
            return found

        return {
            row.case_id: self._open(row.case_id, row.key, row.kek_id)
            for row in reconnect.read(self.engine, query)
        }

    def destroy(self, key_id: UUID) -> bool:
        """Destroy the key (a tombstone stays), then wipe what the store keeps of it."""
        self.sealing.destroyed(key_id)
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
        t = beneficiary_key
        query = select(t.c.destroyed_at, t.c.wiped_at).where(t.c.case_id == key_id)
        row = reconnect.read(self.engine, lambda conn: conn.execute(query).first())
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
