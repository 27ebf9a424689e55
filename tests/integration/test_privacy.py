"""Erasure without rewriting the log, on the store under test (SQLite or PostgreSQL).

A beneficiary's identity, a representative's name and the free texts about them are sealed with
the beneficiary's own key before they reach the store; destroying the key erases them. These
tests look for the plain values in every table (and, on SQLite, in the database files' bytes),
then erase, and check what stays: acts, bases, counts, rebuilds.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import MapperDeserialisationError
from pydantic import SecretStr
from sqlalchemy import Engine, MetaData, select, text

from api.cli.retention import apply_retention
from api.composition import Services, build_services
from api.settings import Settings
from api.store.factory import build_application, parse_database_url, sqlite_path
from domain.application import Maillage
from domain.case import BeneficiaryIdentity, Case
from domain.errors import BeneficiaryErasedError, CaseClosedError, RetentionNotDueError
from domain.privacy import ERASED, ERASED_TEXT
from domain.timing import TimePolicy
from projections.coherence import coherence
from projections.runner import ProjectionRunner
from tests.conftest import ON_POSTGRES
from tests.world import NOW, World, ago, events_since

FIRST, LAST = "Zephyrine", "Quintal-Obrecht"
REPRESENTATIVE = "Madame Quintal-Obrecht mere"
NOTE = "enuresie nocturne signalee par l'ecole"
DECISION = "orientation vers le CMP Bartholdi"
SECRETS = (FIRST, LAST, REPRESENTATIVE, NOTE, DECISION)
INTERVENTIONS = 105  # past the case's snapshot interval (100): a snapshot is stored too


def fresh_app(settings: Settings, *, days_later: int = 0) -> Maillage:
    """Another process's view of the store: no cache shared with the writer."""
    app = build_application(settings, AGGREGATE_CACHE_MAXSIZE="")
    app.time = TimePolicy(clock=lambda: NOW + timedelta(days=days_later))
    return app


def fresh_services(settings: Settings, *, days_later: int = 0) -> Services:
    """Another process's services over the store, its clock `days_later` than NOW."""
    clock = TimePolicy(clock=lambda: NOW + timedelta(days=days_later))
    return build_services(settings, time=clock, AGGREGATE_CACHE_MAXSIZE="")


def open_case_with_secrets(app: Maillage, world: World) -> UUID:
    jeanne = world.actor("jeanne")
    case_id = app.open_case(
        beneficiary=BeneficiaryIdentity(FIRST, LAST, date(2014, 3, 2)),
        legal_framework="judicial",
        by=jeanne,
        occurred_at=ago(10),
    ).id
    app.give_consent(
        case_id=case_id,
        by=jeanne,
        giver="legal_representative",
        representative_name=REPRESENTATIVE,
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(9),
    )
    for _ in range(INTERVENTIONS):
        app.record_intervention(
            case_id=case_id, by=jeanne, kind="home_visit", summary=NOTE, occurred_at=ago(8)
        )
    app.hold_coordination_meeting(
        case_id=case_id, by=jeanne, attendees=[jeanne], decisions=[DECISION], occurred_at=ago(7)
    )
    return case_id


def every_stored_byte(engine: Engine, settings: Settings) -> bytes:
    """Every value of every table, and on SQLite the database files themselves."""
    found: list[bytes] = []
    metadata = MetaData()
    metadata.reflect(engine, schema=settings.database_schema if ON_POSTGRES else None)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        found.append(bytes(value))
                    elif value is not None:
                        found.append(str(value).encode())
    if not ON_POSTGRES:
        conn_path = sqlite_path(parse_database_url(settings))
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(conn_path) + suffix)
            if path.exists():
                found.append(path.read_bytes())
    return b"\n".join(found)


def plain_forms(secret: str) -> list[bytes]:
    return [secret.encode(), json.dumps(secret)[1:-1].encode()]


def assert_nowhere(stored: bytes, secrets: tuple[str, ...] = SECRETS) -> None:
    for secret in secrets:
        for form in plain_forms(secret):
            assert form not in stored, f"{secret!r} found in the store"


def test_personal_data_is_sealed_in_the_store_and_read_back_by_the_case(
    store_settings: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    case_id = open_case_with_secrets(store_app, store_world)
    ProjectionRunner(store_app, engine).catch_up()
    with engine.connect() as conn:
        snapshots = "maillage_snapshots" if ON_POSTGRES else "stored_snapshots"
        assert conn.execute(text(f"SELECT COUNT(*) FROM {snapshots}")).scalar_one() >= 1

    assert_nowhere(every_stored_byte(engine, store_settings))

    reader = fresh_app(store_settings)
    try:
        case = reader.repository.get(case_id)  # from the snapshot and the events after it
        assert isinstance(case, Case)
        assert (case.beneficiary.first_name, case.beneficiary.last_name) == (FIRST, LAST)
        assert case.consents[0].representative_name == REPRESENTATIVE
        events = events_since(reader, 0)
        summaries = {
            getattr(e, "summary", None)
            for e in events
            if type(e).__name__ == "InterventionRecorded"
        }
        assert summaries == {NOTE}
        # The read side decodes without opening anything: no key is asked for.
        raw = [
            reader.read_mapper.to_domain_event(n)
            for n in reader.recorder.select_notifications(1, 10_000)
        ]
        sealed = [e for e in raw if type(e).__name__ == "InterventionRecorded"]
        assert all(type(e.summary).__name__ == "Sealed" for e in sealed)  # type: ignore[attr-defined]
    finally:
        reader.close()


def test_erasure_destroys_the_key_and_keeps_the_acts(
    store_settings: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    case_id = open_case_with_secrets(store_app, store_world)
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()
    with engine.connect() as conn:
        before = coherence(conn, case_id, at=NOW)
    assert before is not None
    key = store_app.keyring.key(case_id)
    assert key is not None

    recorded = store_app.erase_beneficiary(
        case_id=case_id, ground="erasure_request", reference="DPO-2026-7", requested_by="dpo"
    )
    runner.catch_up()

    # The writer's cached case is scrubbed by the erasure event; another process reads it so.
    reader = fresh_app(store_settings)
    for app in (store_app, reader):
        case = app.repository.get(case_id)
        assert isinstance(case, Case)
        assert case.erased
        assert case.closed
        assert case.beneficiary == BeneficiaryIdentity(ERASED_TEXT, ERASED_TEXT, None)
        assert case.consents[0].representative_name is None
    reader.close()
    erased_events = events_since(store_app, 0)
    notes = [e for e in erased_events if type(e).__name__ == "InterventionRecorded"]
    assert len(notes) == INTERVENTIONS
    assert all(e.summary is ERASED for e in notes)  # type: ignore[attr-defined]
    assert store_app.keyring.key(case_id) is None
    assert store_app.keyring.is_destroyed(case_id)

    # Nothing of the person, nor the key, is left in the store.
    stored = every_stored_byte(engine, store_settings)
    assert_nowhere(stored)
    if not ON_POSTGRES:
        assert key not in stored

    # The acts stay: same actors and bases, the audit trail one entry longer.
    with engine.connect() as conn:
        after = coherence(conn, case_id, at=NOW)
        audit = conn.execute(
            text("SELECT COUNT(*) FROM audit_entry_view WHERE case_id = :c"), {"c": str(case_id)}
        ).scalar_one()
    assert after is not None

    def acts(view: Any) -> list[tuple[UUID, UUID, Any, Any]]:
        return [(a.professional_id, a.institution_id, a.basis, a.last_action) for a in view.actors]

    assert acts(after) == acts(before)
    assert audit == recorded.version + 0  # every event of the case, the erasure included

    # A rebuild after the erasure ends where the followed projections are.
    tables = ("audit_entry_view", "case_coherence_view", "case_actor_view")
    with engine.connect() as conn:
        followed = {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in tables}
    runner.rebuild()
    with engine.connect() as conn:
        rebuilt = {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in tables}
    assert rebuilt == followed

    # Nothing personal is recorded for them again; the case stays closed.
    with pytest.raises(BeneficiaryErasedError):
        store_app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
    with pytest.raises(CaseClosedError):
        store_app.record_intervention(
            case_id=case_id, by=store_world.actor("jeanne"), kind="home_visit", summary="x"
        )
    with pytest.raises(BeneficiaryErasedError):
        store_app.reopen_case(case_id=case_id, by=store_world.actor("jeanne"), reason="x")


def test_an_interrupted_erasure_is_finished_by_asking_again(
    store_settings: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    case_id = store_world.open_case()
    case = store_app.repository.get(case_id)
    case.erase_beneficiary(
        ground="court_order", reference=None, requested_by="dpo", occurred_at=NOW
    )
    store_app.save(case)  # the event is recorded, the process dies before destroying the key
    assert store_app.keyring.key(case_id) is not None

    again = store_app.erase_beneficiary(case_id=case_id, ground="court_order", requested_by="dpo")
    assert again.version == case.version
    assert store_app.keyring.is_destroyed(case_id)
    reader = fresh_app(store_settings)
    try:
        assert reader.repository.get(case_id).beneficiary.first_name == ERASED_TEXT
    finally:
        reader.close()


def test_retention_erases_cases_closed_long_enough_ago(
    store_settings: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    jeanne = store_world.actor("jeanne")
    closed_long_ago = store_world.open_case()
    store_app.close_case(case_id=closed_long_ago, by=jeanne, reason="mesure levée")
    still_open = store_world.open_case()

    reopened = store_world.open_case()
    store_app.close_case(case_id=reopened, by=jeanne, reason="mesure levée")
    store_app.reopen_case(case_id=reopened, by=jeanne, reason="nouveaux faits")

    soon = fresh_services(store_settings, days_later=365)
    later = fresh_services(store_settings, days_later=5 * 366)
    try:
        assert apply_retention(soon, years=5) == []
        assert apply_retention(later, years=5) == [closed_long_ago]
        assert apply_retention(later, years=5) == []  # done once
        # Decided on the case itself, not on the list: reopened since, it is not due.
        with pytest.raises(RetentionNotDueError):
            later.maillage.erase_beneficiary(
                case_id=reopened,
                ground="retention_expired",
                requested_by="retention policy",
                closed_before=later.time.now() - timedelta(days=1),
            )
    finally:
        soon.close()
        later.close()
    keys = store_app.keyring
    assert keys.is_destroyed(closed_long_ago)
    assert not keys.is_destroyed(still_open)
    assert not keys.is_destroyed(reopened)
    erasure = [e for e in events_since(store_app, 0) if type(e).__name__ == "BeneficiaryErased"]
    assert [(e.originator_id, e.ground) for e in erasure] == [  # type: ignore[attr-defined]
        (closed_long_ago, "retention_expired")
    ]


def test_whole_event_encryption_at_rest(store_settings: Settings, engine: Engine) -> None:
    from eventsourcing.cryptography import AESCipher

    ciphered = store_settings.model_copy(update={"cipher_key": SecretStr(AESCipher.create_key(32))})
    app = build_application(ciphered)
    app.time = TimePolicy(clock=lambda: NOW)
    try:
        world = World.build(app)
        case_id = open_case_with_secrets(app, world)
        with engine.connect() as conn:
            table = "maillage_events" if ON_POSTGRES else "stored_events"
            states: list[Any] = [
                bytes(r[0]) for r in conn.execute(text(f"SELECT state FROM {table}"))
            ]
        assert states
        for state in states:  # no JSON, no name, no kind in clear: the whole event is sealed
            for plain in (b'"basis"', b"home_visit", b"judicial", world.i("aemo").hex.encode()):
                assert plain not in state
    finally:
        app.close()
    reader = build_application(ciphered, AGGREGATE_CACHE_MAXSIZE="")
    try:
        assert reader.repository.get(case_id).beneficiary.last_name == LAST
    finally:
        reader.close()
    keyless = build_application(store_settings, AGGREGATE_CACHE_MAXSIZE="")
    try:
        with pytest.raises(MapperDeserialisationError):
            keyless.repository.get(case_id)
    finally:
        keyless.close()


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file's bytes: SQLite only")
def test_a_wipe_a_reader_holds_up_is_finished_by_asking_again(
    store_settings: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    """A reader in the way of the WAL checkpoint: the key is destroyed at once (nothing opens
    any more) but its old page stays in the WAL; the wipe is marked pending, and erasing again
    finishes it once the reader has gone."""
    import sqlite3

    case_id = store_world.open_case()
    keys = store_app.keyring
    key = keys.key(case_id)
    assert key is not None
    path = str(sqlite_path(parse_database_url(store_settings)))
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM stored_events").fetchone()  # holds a read snapshot
    try:
        store_app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
        assert keys.key(case_id) is None
        assert keys.wipe_pending(case_id)
    finally:
        reader.rollback()
        reader.close()
    again = store_app.erase_beneficiary(
        case_id=case_id, ground="erasure_request", requested_by="dpo"
    )
    assert again.position is None  # nothing new recorded: the wipe was finished
    assert not keys.wipe_pending(case_id)
    assert key not in every_stored_byte(engine, store_settings)
    with pytest.raises(BeneficiaryErasedError):
        store_app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
