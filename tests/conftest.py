"""Fixtures: an in-memory application for unit tests, a real store for integration tests.

Integration tests run on whatever `MAILLAGE_DATABASE_URL` names (SQLite by default). Each test
gets its own store: a new SQLite file, or a new PostgreSQL schema dropped afterwards, so runs
never see each other's data. A PostgreSQL URL that cannot be reached fails the tests: a run that
was asked to test PostgreSQL never passes without it.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from api.composition import Services, open_services
from api.settings import Settings, get_settings
from api.store.factory import build_engine
from api.store.migrations import upgrade
from domain.application import Maillage
from domain.timing import TimePolicy
from tests.world import NOW, World

TEST_URL = os.environ.get("MAILLAGE_DATABASE_URL", "")
ON_POSTGRES = TEST_URL.startswith("postgresql")
TEST_SIGNING_KEY = "tests-only-signing-key-0123456789abcdef"
# PostgreSQL needs a key-encryption key (`api.store.kek`); SQLite stores use the embedded mode's
# key file beside their file, created by the first process that opens them.
TEST_KEK = base64.b64encode(b"tests-only-key-encryption-key-32").decode()
if ON_POSTGRES:  # every Settings the suite builds there, and every process it starts, has one
    os.environ.setdefault("MAILLAGE_KEY_ENCRYPTION_KEY", TEST_KEK)


@pytest.fixture
def app() -> Iterator[Maillage]:
    """The application over the in-memory (POPO) recorders, with the clock fixed at NOW."""
    application = Maillage(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        time_policy=TimePolicy(clock=lambda: NOW),
    )
    yield application
    application.close()


@pytest.fixture
def world(app: Maillage) -> World:
    return World.build(app)


def fresh_store(tmp_path: Path, revision: str = "head") -> Iterator[Settings]:
    """Settings naming a fresh store of the kind under test, migrated up to `revision`
    (a PostgreSQL schema of its own, dropped afterwards)."""
    if ON_POSTGRES:
        schema = f"t_{uuid.uuid4().hex[:16]}"
        settings = Settings(
            database_url=TEST_URL,
            database_schema=schema,
            jwt_secret=TEST_SIGNING_KEY,
            key_encryption_key=TEST_KEK,
        )
        upgrade(settings, revision)
        yield settings
        engine = create_engine(TEST_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    else:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'maillage.sqlite3'}", jwt_secret=TEST_SIGNING_KEY
        )
        upgrade(settings, revision)
        yield settings


@pytest.fixture
def store_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings naming a fresh, migrated store of the kind under test."""
    yield from fresh_store(tmp_path)


@pytest.fixture
def engine(store_settings: Settings) -> Iterator[Engine]:
    """A SQLAlchemy engine on the store under test (read models, keys, the chain)."""
    engine = build_engine(store_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def store_services(store_settings: Settings) -> Iterator[Services]:
    """Every service over the store under test, built by the composition root, clock at NOW."""
    with open_services(store_settings, time=TimePolicy(clock=lambda: NOW)) as services:
        yield services


@pytest.fixture
def store_app(store_services: Services) -> Maillage:
    return store_services.maillage


@pytest.fixture
def store_world(store_app: Maillage) -> World:
    return World.build(store_app)


@pytest.fixture
def cli_env(store_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The `maillage` command line pointed at the store under test (MAILLAGE_* variables)."""
    monkeypatch.setenv("MAILLAGE_DATABASE_URL", store_settings.database_url)
    monkeypatch.setenv("MAILLAGE_JWT_SECRET", TEST_SIGNING_KEY)
    if store_settings.database_schema:
        monkeypatch.setenv("MAILLAGE_DATABASE_SCHEMA", store_settings.database_schema)
    if store_settings.key_encryption_key is not None:
        kek = store_settings.key_encryption_key.get_secret_value()
        monkeypatch.setenv("MAILLAGE_KEY_ENCRYPTION_KEY", kek)
    get_settings.cache_clear()
    yield store_settings
    get_settings.cache_clear()
