"""The beneficiaries' keys are stored wrapped by a key-encryption key (KEK) kept outside the
database (`api/store/kek.py`), on the store under test (SQLite or PostgreSQL).

An intruder holding a copy of the database — every table, and on SQLite the files' bytes — finds
no beneficiary key in clear, and with another KEK (or none) opens no sealed field: the refusal
names the KEK the keys need. The embedded mode keeps its KEK in an owner-only key file beside
the SQLite file, created once and reused; elsewhere no KEK is a refusal to start. A store
written before keys were wrapped has them wrapped by its migration.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from api.composition import Services, build_services
from api.http.app import create_app
from api.settings import InsecureSettingsError, Settings
from api.store.factory import (
    build_application,
    build_engine,
    eventsourcing_env,
    parse_database_url,
    sqlite_path,
)
from api.store.kek import KeyEncryptionKeyError, key_file_of
from api.store.migrations import alembic_config, current_revision, upgrade
from domain.application import Maillage
from domain.privacy import InMemoryKeyring, Sealed, unseal
from domain.timing import TimePolicy
from tests.conftest import ON_POSTGRES, TEST_SIGNING_KEY
from tests.integration.test_privacy import (
    FIRST,
    LAST,
    NOTE,
    REPRESENTATIVE,
    assert_nowhere,
    every_stored_byte,
    fresh_app,
    open_case_with_secrets,
)
from tests.keks import keyring_of, new_kek, raw_keys, with_keks
from tests.world import NOW, World


def sealed_notes(app: Maillage) -> list[Sealed]:
    """The intervention summaries as the read side decodes them: still sealed."""
    events = [
        app.read_mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10**6)
    ]
    return [e.summary for e in events if type(e).__name__ == "InterventionRecorded"]  # type: ignore[attr-defined]


def test_no_beneficiary_key_is_stored_in_clear(
    store_settings: Settings, store_services: Services, engine: Engine
) -> None:
    app = store_services.maillage
    world = World.build(app)
    cases = [open_case_with_secrets(app, world), world.open_case(), world.open_case()]
    keyring = keyring_of(app)
    keys = {case_id: keyring.key(case_id) for case_id in cases}
    stored = raw_keys(engine)

    assert set(stored) == set(cases)
    for case_id, (column, kek_id) in stored.items():
        key = keys[case_id]
        assert key is not None
        assert len(key) == 32
        assert column is not None
        assert len(column) == 12 + 32 + 16  # nonce, wrapped key, tag
        assert key not in column
        assert kek_id == keyring.keks.current.key_id
    everything = every_stored_byte(engine, store_settings)
    for key in keys.values():
        assert key is not None
        assert key not in everything
    assert_nowhere(everything)

    # What opened every sealed field before: the `key` column taken as the key. It opens none.
    column = stored[cases[0]][0]
    assert column is not None
    for candidate in (column, column[:32], column[12:44], column[-32:]):
        for note in sealed_notes(app)[:3]:
            with pytest.raises(ValueError, match=r"(fails its authentication|AESGCM key)"):
                unseal(candidate, note, "Case.InterventionRecorded.summary")


def test_with_another_kek_no_sealed_field_opens(
    store_settings: Settings, store_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = store_services.maillage
    case_id = open_case_with_secrets(app, World.build(app))
    needed = keyring_of(app).keks.current.key_id

    intruder = build_application(with_keks(store_settings, new_kek()), AGGREGATE_CACHE_MAXSIZE="")
    try:
        with pytest.raises(
            KeyEncryptionKeyError, match=f"wrapped by the key-encryption key {needed}"
        ):
            intruder.repository.get(case_id)
        notes = sealed_notes(intruder)
        assert len(notes) > 100
        assert all(isinstance(n, Sealed) for n in notes)
        with pytest.raises(KeyEncryptionKeyError):
            intruder.read_mapper.open(notes[0], "Case.InterventionRecorded.summary", case_id)
        with pytest.raises(KeyEncryptionKeyError):  # nor is anything sealed anew for the case
            intruder.record_intervention(
                case_id=case_id,
                by=World.build(intruder, identified=False).actor("jeanne"),
                kind="home_visit",
                summary="x",
            )
    finally:
        intruder.close()

    # Control: with the store's own KEK, a fresh process opens them all.
    reader = fresh_app(store_settings)
    try:
        case = reader.repository.get(case_id)
        assert (case.beneficiary.first_name, case.beneficiary.last_name) == (FIRST, LAST)
        assert case.consents[0].representative_name == REPRESENTATIVE
        note = sealed_notes(reader)[0]
        assert reader.read_mapper.open(note, "Case.InterventionRecorded.summary", case_id) == NOTE
    finally:
        reader.close()


@pytest.mark.skipif(ON_POSTGRES, reason="the embedded mode's key file: SQLite only")
def test_a_sqlite_file_copied_without_its_key_file_opens_nothing(
    store_settings: Settings, store_services: Services, tmp_path: Path
) -> None:
    app = store_services.maillage
    case_id = open_case_with_secrets(app, World.build(app))
    original = sqlite_path(parse_database_url(store_settings))
    copy = tmp_path / "elsewhere" / "maillage.sqlite3"
    copy.parent.mkdir()
    source, target = sqlite3.connect(original), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    stolen = Settings(database_url=f"sqlite:///{copy}", jwt_secret=TEST_SIGNING_KEY)

    with pytest.raises(KeyEncryptionKeyError, match=r"key file .* is missing"):
        build_application(stolen)
    assert not key_file_of(stolen).exists()  # no new KEK was made for keys it cannot open
    assert_nowhere(copy.read_bytes())

    # Control: with the key file beside it, the copy opens.
    key_file_of(stolen).write_bytes(key_file_of(store_settings).read_bytes())
    reader = fresh_app(stolen)
    try:
        assert reader.repository.get(case_id).beneficiary.last_name == LAST
    finally:
        reader.close()


@pytest.mark.skipif(ON_POSTGRES, reason="the embedded mode's key file: SQLite only")
def test_the_embedded_key_file_is_owner_only_and_reused_on_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    key_file = tmp_path / "m.sqlite3.kek"
    caplog.set_level(logging.INFO, logger="maillage.keyring")
    upgrade(settings)
    clock = TimePolicy(clock=lambda: NOW)
    permissive = os.umask(0)  # even so: owner only
    try:
        first = build_services(settings, time=clock)
    finally:
        os.umask(permissive)
    try:
        case_id = World.build(first.maillage).open_case()
        key = first.maillage.keyring.key(case_id)
        kek_id = keyring_of(first.maillage).keks.current.key_id
    finally:
        first.close()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert f"key file {key_file} (created now, {kek_id})" in caplog.text
    written = key_file.read_bytes()

    caplog.clear()
    second = build_services(settings, time=clock)
    try:
        assert keyring_of(second.maillage).keks.current.key_id == kek_id
        assert second.maillage.keyring.key(case_id) == key
        assert second.maillage.repository.get(case_id).beneficiary.first_name != "[erased]"
    finally:
        second.close()
    assert f"key file {key_file} (found, {kek_id})" in caplog.text
    assert key_file.read_bytes() == written
    assert list(tmp_path.glob("*.new")) == []  # no draft left behind


async def test_outside_the_embedded_mode_the_service_refuses_to_start_without_a_kek(
    store_settings: Settings,
) -> None:
    served = (
        store_settings
        if ON_POSTGRES
        else Settings(
            database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", jwt_secret=TEST_SIGNING_KEY
        )
    )
    keyless = served.model_copy(update={"key_encryption_key": None})
    with pytest.raises(InsecureSettingsError, match="set MAILLAGE_KEY_ENCRYPTION_KEY"):
        build_services(keyless)
    if ON_POSTGRES:  # the service as `maillage serve` runs it: its start-up fails
        app = create_app(keyless)
        with pytest.raises(InsecureSettingsError, match="set MAILLAGE_KEY_ENCRYPTION_KEY"):
            async with app.router.lifespan_context(app):
                pass
    for malformed in ("not base64!", "c2hvcnQ=", new_kek() + "QUFB"):
        with pytest.raises(InsecureSettingsError, match="base64 of 32 random bytes"):
            build_services(with_keks(served, malformed))
    with pytest.raises(InsecureSettingsError, match="MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY"):
        build_services(with_keks(served, new_kek(), previous="c2hvcnQ="))


def test_the_migration_wraps_the_keys_a_store_held_in_clear(store_settings: Settings) -> None:
    """A store as Maillage left it before keys were wrapped (migration 0006: events sealed, the
    keys in clear beside them) is migrated: its keys wrapped, their clear bytes gone."""
    _rewind_to_0006(store_settings)
    then = Maillage(
        env=eventsourcing_env(store_settings),
        time_policy=TimePolicy(clock=lambda: NOW),
        keyring=InMemoryKeyring(),
    )
    try:
        case_id = open_case_with_secrets(then, World.build(then))
        key = then.keyring.key(case_id)
    finally:
        then.close()
    assert key is not None
    engine = build_engine(store_settings)
    try:
        with engine.begin() as conn:  # what the keyring wrote then: the key itself
            conn.execute(LEGACY_KEYS.insert().values(case_id=case_id, key=key, created_at=NOW))
        assert key in every_stored_byte(engine, store_settings)  # control: an intruder's find

        if ON_POSTGRES:  # no KEK, keys to wrap: refused, and nothing half-done
            keyless = store_settings.model_copy(update={"key_encryption_key": None})
            with pytest.raises(InsecureSettingsError, match="MAILLAGE_KEY_ENCRYPTION_KEY"):
                upgrade(keyless)
            assert current_revision(engine, store_settings) == "0006"
        upgrade(store_settings)
        stored = raw_keys(engine)
        everything = every_stored_byte(engine, store_settings)
    finally:
        engine.dispose()
    assert key not in everything
    reader = fresh_app(store_settings)
    try:
        assert stored == {case_id: (stored[case_id][0], keyring_of(reader).keks.current.key_id)}
        assert reader.keyring.key(case_id) == key
        case = reader.repository.get(case_id)
        assert (case.beneficiary.first_name, case.consents[0].representative_name) == (
            FIRST,
            REPRESENTATIVE,
        )
    finally:
        reader.close()


# `beneficiary_key` as migration 0006 made it.
LEGACY_KEYS = sa.table(
    "beneficiary_key",
    sa.column("case_id", sa.Uuid),
    sa.column("key", sa.LargeBinary),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _rewind_to_0006(settings: Settings) -> None:
    """The store under test (still empty) taken back to migration 0006."""
    from alembic import command

    engine = build_engine(settings)
    try:
        with engine.connect() as conn:
            config = alembic_config(settings)
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
            conn.commit()
    finally:
        engine.dispose()


def test_the_deployment_gives_every_maillage_service_a_kek() -> None:
    from tests.integration.test_deploy import compose, runs_maillage

    for name, service in compose()["services"].items():
        if runs_maillage(service):
            given = service["environment"]["MAILLAGE_KEY_ENCRYPTION_KEY"]
            assert given.startswith("${MAILLAGE_KEY_ENCRYPTION_KEY:?"), name  # required
