"""Applying and checking alembic migrations from code (`maillage migrate`, start-up checks)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from api.settings import Settings
from api.store.factory import build_engine, schema_of

log = logging.getLogger("maillage.migrations")

SCRIPT_LOCATION = Path(__file__).resolve().parents[2] / "alembic"


class MigrationsBehindError(RuntimeError):
    """The database's schema is not the one this code expects."""


def alembic_config(settings: Settings) -> Config:
    if not (SCRIPT_LOCATION / "env.py").is_file():
        raise MigrationsBehindError(
            f"alembic scripts not found at {SCRIPT_LOCATION}: install Maillage from its source "
            "tree (pip install -e .)"
        )
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["settings"] = settings
    return config


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def current_revision(engine: Engine, settings: Settings) -> str | None:
    with engine.connect() as conn:
        schema = schema_of(settings) if conn.dialect.name == "postgresql" else None
        if schema is not None and not inspect(conn).has_schema(schema):
            return None
        context = MigrationContext.configure(conn, opts={"version_table_schema": schema})
        return context.get_current_revision()


def upgrade(settings: Settings, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to `revision`; return (before, after)."""
    engine = build_engine(settings)
    try:
        before = current_revision(engine, settings)
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_of(settings)}"'))
                conn.commit()
            config = alembic_config(settings)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
        after = current_revision(engine, settings)
    finally:
        engine.dispose()
    log.info("database migrated from %s to %s", before or "empty", after)
    return before, after


def ensure_current(settings: Settings) -> str | None:
    """Refuse to serve a database that is behind; migrate a fresh embedded SQLite file.

    Returns the revision in force.
    """
    head = head_revision(settings)
    engine = build_engine(settings)
    try:
        current = current_revision(engine, settings)
        fresh = current is None and not _has_tables(engine, settings)
    finally:
        engine.dispose()
    if current == head:
        return current
    if fresh and settings.is_sqlite:
        log.info("fresh SQLite database: applying migrations")
        return upgrade(settings)[1]
    raise MigrationsBehindError(
        f"the database is at migration {current or 'none'} but this version of Maillage needs "
        f"{head}: run `maillage migrate` first"
    )


def _has_tables(engine: Engine, settings: Settings) -> bool:
    with engine.connect() as conn:
        schema = schema_of(settings) if conn.dialect.name == "postgresql" else None
        if schema is not None and not inspect(conn).has_schema(schema):
            return False
        return bool(inspect(conn).get_table_names(schema=schema))
