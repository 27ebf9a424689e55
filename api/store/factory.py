"""From the one database URL to the event store (eventsourcing) and SQLAlchemy engines.

The event store uses the `eventsourcing` library's native recorders (`eventsourcing.sqlite`,
`eventsourcing.postgres`): measured faster than going through SQLAlchemy. Their tables are
created by alembic, never by the library (`CREATE_TABLE=n`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from api.settings import Settings
from api.store.integrity import RECORDER_TOPICS
from api.store.kek import key_encryption_keys
from api.store.keyring import SqlKeyring, holds_wrapped_keys, sealing_keys_of
from domain.application import Maillage
from domain.timing import Clock, TimePolicy
from domain.usecases.base import AggregateLocks, LocalLocks

APPLICATION_NAME = Maillage.name


class UnsupportedDatabaseError(ValueError):
    pass


def parse_database_url(settings: Settings) -> URL:
    url = make_url(settings.database_url)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise UnsupportedDatabaseError(
            f"MAILLAGE_DATABASE_URL must be sqlite:///FILE or postgresql+psycopg://…, "
            f"not {url.get_backend_name()!r}"
        )
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise UnsupportedDatabaseError(
            "the embedded store is a SQLite file (sqlite:///maillage.sqlite3); an in-memory "
            "database cannot be shared by the store's connections"
        )
    return url


def sqlite_path(url: URL) -> Path:
    assert url.database is not None
    return Path(url.database)


def schema_of(settings: Settings) -> str:
    return settings.database_schema or "public"


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    """The environment the `eventsourcing` library reads, built from our settings (it falls
    back on os.environ for what is not set here: what matters is set here)."""
    url = parse_database_url(settings)
    env = {
        "CREATE_TABLE": "n",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    if settings.aggregate_cache_size == 0:
        env.pop("AGGREGATE_CACHE_MAXSIZE")
    if settings.cipher_key is not None:
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = settings.cipher_key.get_secret_value()
    env["APPLICATION_RECORDER_TOPIC"] = RECORDER_TOPICS[url.get_backend_name()]
    if url.get_backend_name() == "sqlite":
        env.update(
            {
                "PERSISTENCE_MODULE": "api.store.sqlite_pool:MaillageSQLiteFactory",
                "SQLITE_DBNAME": str(sqlite_path(url)),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        )
    else:
        env.update(
            {
                "PERSISTENCE_MODULE": "api.store.postgres_pool:MaillagePostgresFactory",
                "POSTGRES_DBNAME": url.database or "postgres",
                "POSTGRES_HOST": url.host or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": url.username or "postgres",
                "POSTGRES_PASSWORD": url.password or "",
                "POSTGRES_SCHEMA": schema_of(settings),
                "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
                "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
                # Also how long a command waits for a pooled connection under load.
                "POSTGRES_CONNECT_TIMEOUT": "15",
                "POSTGRES_LOCK_TIMEOUT": "10",
                # No round trip before every query: a dead connection is handled when it
                # fails (`api.store.postgres_pool`).
                "POSTGRES_PRE_PING": "n",
                # The library reads os.environ too: its insert function would bypass the chain.
                "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            }
        )
    return env


class PostgresAdvisoryLocks:
    """Writers retrying on one aggregate take turns across processes (PostgreSQL advisory lock).

    The lock lives in a transaction of its own connection, released when the block ends or the
    connection drops; it only orders retries, the store's version check keeps correctness.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def hold(self, aggregate_id: UUID) -> Iterator[None]:
        key = int.from_bytes(aggregate_id.bytes[:8], "big", signed=True)
        with self.engine.connect() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                conn.rollback()


class SQLiteFileLocks:
    """Writers to one aggregate take turns on the embedded SQLite file, across processes too.

    A lock file beside the database; each aggregate maps to one byte of it (4,096 stripes),
    locked with POSIX record locks. Those belong to a process, not to a thread or a file
    descriptor, so within the process every holder first takes a process-wide lock on the same
    (file, stripe), shared by all applications opened on that file.
    """

    STRIPES = 4096
    _threads = LocalLocks()
    _descriptors: dict[Path, int] = {}
    _guard = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()

    def _descriptor(self) -> int:
        with self._guard:
            fd = self._descriptors.get(self.path)
            if fd is None:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._descriptors[self.path] = fd
            return fd

    @contextmanager
    def hold(self, aggregate_id: UUID) -> Iterator[None]:
        import fcntl

        stripe = int.from_bytes(aggregate_id.bytes[:4], "big") % self.STRIPES
        with self._threads.hold((self.path, stripe)):
            fd = self._descriptor()
            fcntl.lockf(fd, fcntl.LOCK_EX, 1, stripe)
            try:
                yield
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, stripe)


def build_locks(settings: Settings) -> AggregateLocks:
    if settings.is_sqlite:
        try:
            import fcntl  # noqa: F401 - POSIX only
        except ImportError:  # pragma: no cover - Windows: one process, in-process locks
            return LocalLocks()
        db = sqlite_path(parse_database_url(settings))
        return SQLiteFileLocks(db.with_name(db.name + ".lock"))
    return PostgresAdvisoryLocks(build_engine(settings, pool_size=2))


def time_policy(settings: Settings) -> TimePolicy:
    """The one clock and the backdating rules, from the settings."""
    return TimePolicy(
        backdating_window=timedelta(days=settings.backdating_window_days),
        clock_skew=timedelta(seconds=settings.clock_skew_seconds),
        referral_expiry=timedelta(days=settings.referral_expiry_days),
        correction_window=timedelta(hours=settings.correction_window_hours),
    )


def build_application(
    settings: Settings, *, time: TimePolicy | None = None, **env: str
) -> Maillage:
    """The write side. Call `migrations.ensure_current` first: tables must exist. `env`
    overrides the library's settings (e.g. `AGGREGATE_CACHE_MAXSIZE=""` for no cache)."""
    policy = time or time_policy(settings)
    keyring = build_keyring(settings, clock=policy.now)  # first: it may refuse to start
    return Maillage(
        env={**eventsourcing_env(settings), **env},
        time_policy=policy,
        max_attempts=settings.save_attempts,
        locks=build_locks(settings),
        keyring=keyring,
        calendar=settings.calendar,
    )


def build_keyring(settings: Settings, *, clock: Clock) -> SqlKeyring:
    """The beneficiaries' keys, wrapped by the KEKs `settings` give (`api.store.kek`): refuses
    to start without one outside the embedded mode (`InsecureSettingsError`)."""
    engine = build_engine(settings, pool_size=2)
    try:
        keks = key_encryption_keys(
            settings, store_has_wrapped_keys=lambda: holds_wrapped_keys(engine)
        )
    except BaseException:
        engine.dispose()
        raise
    # The connection that asked opened before the keyring's own settings (SQLite's
    # secure_delete, which overwrites a destroyed key's bytes): let none of it be reused.
    engine.dispose()
    store = (
        f"{parse_database_url(settings).render_as_string(hide_password=True)}#{schema_of(settings)}"
    )
    return SqlKeyring(engine, keks, clock=clock, sealing_keys=sealing_keys_of(store))


def build_engine(settings: Settings, *, pool_size: int = 5) -> Engine:
    """SQLAlchemy engine for migrations and read models, on the same database."""
    url = parse_database_url(settings)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Read models are derived data, written a page per transaction: a bigger page cache
            # keeps their indexes in memory as they grow, and in WAL mode NORMAL sync still
            # commits a page and its position together (power loss may lose the last pages,
            # which the projection then applies again).
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    schema = schema_of(settings)
    # No ping before each checkout (a round trip per query): SQLAlchemy invalidates the whole
    # pool when a query fails on a dropped connection, so one failure after a restart of the
    # server clears every dead connection at once.
    return create_engine(
        url,
        pool_pre_ping=False,
        pool_size=pool_size,
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 5},
    )
