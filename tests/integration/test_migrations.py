"""Alembic owns every table; a fresh embedded file migrates itself, a store behind refuses."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from api.settings import Settings
from api.store.factory import build_engine
from api.store.migrations import (
    MigrationsBehindError,
    current_revision,
    ensure_current,
    head_revision,
)

TEST_URL = os.environ.get("MAILLAGE_DATABASE_URL", "")


def test_a_fresh_sqlite_file_is_migrated_on_first_use(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert ensure_current(settings) == head_revision(settings)
    engine = build_engine(settings)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"stored_events", "stored_snapshots", "alembic_version"} <= tables


def test_a_store_behind_refuses_to_serve(tmp_path: Path) -> None:
    """PostgreSQL never migrates itself; a SQLite file that is not fresh is not touched either."""
    if TEST_URL.startswith("postgresql"):
        settings = Settings(database_url=TEST_URL, database_schema=f"t_{uuid.uuid4().hex[:16]}")
    else:
        path = tmp_path / "other.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE something_else (x INTEGER)"))
        engine.dispose()
        settings = Settings(database_url=f"sqlite:///{path}")
    with pytest.raises(MigrationsBehindError, match="run `maillage migrate`"):
        ensure_current(settings)
    engine = build_engine(settings)
    try:
        assert current_revision(engine, settings) is None
    finally:
        engine.dispose()


def test_migrated_store_is_current(store_settings: Settings) -> None:
    assert ensure_current(store_settings) == head_revision(store_settings)
