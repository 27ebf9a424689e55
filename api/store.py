"""From the one database URL to the event store (eventsourcing) and SQLAlchemy engines.

The event store uses the `eventsourcing` library's native recorders (`eventsourcing.sqlite`,
`eventsourcing.postgres`): measured faster than going through SQLAlchemy. Their tables are
created by alembic, never by the library (`CREATE_TABLE=n`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from api.settings import Settings
from domain.application import Maillage
from domain.timing import TimePolicy

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
    """The environment the `eventsourcing` library reads, built from our settings only."""
    url = parse_database_url(settings)
    env = {
        "CREATE_TABLE": "n",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    if settings.aggregate_cache_size == 0:
        env.pop("AGGREGATE_CACHE_MAXSIZE")
    if url.get_backend_name() == "sqlite":
        env.update(
            {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(sqlite_path(url)),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        )
    else:
        env.update(
            {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": url.database or "postgres",
                "POSTGRES_HOST": url.host or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": url.username or "postgres",
                "POSTGRES_PASSWORD": url.password or "",
                "POSTGRES_SCHEMA": schema_of(settings),
                "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
                "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
                "POSTGRES_CONNECT_TIMEOUT": "5",
                "POSTGRES_LOCK_TIMEOUT": "10",
                "POSTGRES_PRE_PING": "y",
            }
        )
    return env


def build_application(settings: Settings) -> Maillage:
    """The write side. Call `migrations.ensure_current` first: tables must exist."""
    policy = TimePolicy(
        backdating_window=timedelta(days=settings.backdating_window_days),
        clock_skew=timedelta(seconds=settings.clock_skew_seconds),
    )
    return Maillage(
        env=eventsourcing_env(settings),
        time_policy=policy,
        max_attempts=settings.save_attempts,
    )


def build_engine(settings: Settings) -> Engine:
    """SQLAlchemy engine for migrations and read models, on the same database."""
    url = parse_database_url(settings)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    schema = schema_of(settings)
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 5},
    )
