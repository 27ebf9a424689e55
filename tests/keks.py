"""What the key-encryption key tests share: new KEKs, settings giving them, the raw key table and
the stored log as an intruder with a copy of the database would read them."""

from __future__ import annotations

import base64
import os
from typing import Any
from uuid import UUID

from pydantic import SecretStr
from sqlalchemy import Engine, select, text

from api.settings import Settings
from api.store.kek import key_file_of
from api.store.keyring import SqlKeyring, beneficiary_key
from domain.application import Maillage
from tests.conftest import ON_POSTGRES


def new_kek() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def kek_of(settings: Settings) -> str:
    """The KEK the store under test is written with: its setting (PostgreSQL) or, in the
    embedded mode, its key file."""
    if settings.key_encryption_key is not None:
        return settings.key_encryption_key.get_secret_value()
    return key_file_of(settings).read_text().strip()


def with_keks(settings: Settings, current: str, previous: str | None = None) -> Settings:
    return settings.model_copy(
        update={
            "key_encryption_key": SecretStr(current),
            "previous_key_encryption_key": None if previous is None else SecretStr(previous),
        }
    )


def keyring_of(app: Maillage) -> SqlKeyring:
    assert isinstance(app.keyring, SqlKeyring)
    return app.keyring


def raw_keys(engine: Engine) -> dict[UUID, tuple[bytes | None, str | None]]:
    """`beneficiary_key` as stored: case -> (the `key` column, `kek_id`)."""
    t = beneficiary_key
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.case_id, t.c.key, t.c.kek_id)).all()
    return {r.case_id: (None if r.key is None else bytes(r.key), r.kek_id) for r in rows}


def stored_log(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored event, snapshot and link of the chain, as stored."""
    prefix = "maillage" if ON_POSTGRES else "stored"
    tables = (f"{prefix}_events", f"{prefix}_snapshots", "event_chain")
    with engine.connect() as conn:
        return {
            table: sorted(
                tuple(map(repr, row)) for row in conn.execute(text(f"SELECT * FROM {table}"))
            )
            for table in tables
        }
