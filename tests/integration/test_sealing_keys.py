"""The keys sealed with stay in the process's memory (`api.store.keyring.SealingKeys`): read
once, dropped when destroyed here; a save notes which it sealed with from memory, and
`dead_sealing_keys` finds, in the inserting transaction, one another process destroyed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Engine

from api.settings import Settings
from api.store.factory import build_engine, build_keyring
from api.store.keyring import (
    SealingKeys,
    SqlKeyring,
    dead_sealing_keys,
    found_dead,
    sealed_from_cache,
)
from domain.application import Maillage
from domain.errors import BeneficiaryErasedError
from domain.timing import utc_now
from tests.world import World


@pytest.fixture
def noted(store_app: Maillage, monkeypatch: pytest.MonkeyPatch) -> list[frozenset[UUID]]:
    """What each insert of events was told it sealed with from memory (as the recorder asks)."""
    seen: list[frozenset[UUID]] = []
    recorder = store_app.recorder
    library_insert = recorder.insert_events

    def inserting(stored_events: Sequence[Any], **options: Any) -> Any:
        seen.append(sealed_from_cache())
        return library_insert(stored_events, **options)

    monkeypatch.setattr(recorder, "insert_events", inserting)
    return seen


def sealing_reads(keyring: SqlKeyring, monkeypatch: pytest.MonkeyPatch) -> list[UUID]:
    """The keys read from the store to seal with (not those read to open a loaded case)."""
    reads: list[UUID] = []
    library_row, library_key = keyring._row, keyring.key
    opening = False

    def reading(key_id: UUID) -> Any:
        if not opening:
            reads.append(key_id)
        return library_row(key_id)

    def opening_key(key_id: UUID) -> Any:
        nonlocal opening
        opening = True
        try:
            return library_key(key_id)
        finally:
            opening = False

    monkeypatch.setattr(keyring, "_row", reading)
    monkeypatch.setattr(keyring, "key", opening_key)
    return reads


def test_a_case_key_is_read_once_then_sealed_with_from_memory(
    store_app: Maillage,
    store_world: World,
    noted: list[frozenset[UUID]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert isinstance(store_app.keyring, SqlKeyring)
    reads = sealing_reads(store_app.keyring, monkeypatch)
    case_id = store_world.open_case()  # its key created, read, and kept in memory
    assert noted == [frozenset()]
    reads.clear()
    noted.clear()
    jeanne = store_world.actor("jeanne")
    store_app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit", summary="vu")
    store_app.record_intervention(case_id=case_id, by=jeanne, kind="assessment", summary="lu")
    assert reads == []
    assert noted == [frozenset({case_id}), frozenset({case_id})]
    assert sealed_from_cache() == frozenset()  # nothing outlives the save that noted it


def test_a_unit_notes_the_keys_it_fetched_from_memory(
    store_app: Maillage, store_world: World, noted: list[frozenset[UUID]]
) -> None:
    case_id = store_world.open_case()
    noted.clear()
    with store_app.unit_of_work() as unit:
        store_app.record_intervention(
            case_id=case_id, by=store_world.actor("jeanne"), kind="home_visit", summary="vu"
        )
    store_app.save_unit(unit)
    assert noted == [frozenset({case_id})]


def test_a_key_destroyed_in_this_process_leaves_memory_for_every_keyring_on_the_store(
    store_app: Maillage, store_world: World, store_settings: Settings
) -> None:
    keyring = store_app.keyring
    assert isinstance(keyring, SqlKeyring)
    case_id = store_world.open_case()
    assert case_id in keyring.sealing
    other = build_keyring(store_settings, clock=utc_now)  # another application, same process
    try:
        other.destroy(case_id)
    finally:
        other.close()
    assert case_id not in keyring.sealing
    with pytest.raises(BeneficiaryErasedError):
        keyring.key_for_sealing(case_id)
    with pytest.raises(BeneficiaryErasedError):
        store_app.record_intervention(
            case_id=case_id, by=store_world.actor("jeanne"), kind="home_visit", summary="vu"
        )


def test_the_check_at_commit_finds_a_key_another_process_destroyed(
    store_app: Maillage, store_world: World, store_settings: Settings, engine: Engine
) -> None:
    keyring = store_app.keyring
    assert isinstance(keyring, SqlKeyring)
    live, dead = store_world.open_case(), store_world.open_case()
    # Another process: its own memory of keys, so this one's is not told.
    elsewhere = SqlKeyring(
        build_engine(store_settings, pool_size=1), keyring.keks, sealing_keys=SealingKeys()
    )
    try:
        elsewhere.destroy(dead)
    finally:
        elsewhere.close()
    assert keyring.key_for_sealing(dead)  # still in this process's memory: hence the check
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        found = dead_sealing_keys(cursor, {live, dead}, engine.dialect.paramstyle)
        assert dead_sealing_keys(cursor, {live}, engine.dialect.paramstyle) == set()
        assert dead_sealing_keys(cursor, set(), engine.dialect.paramstyle) == set()
        if store_settings.database_schema:  # named, as on a connection of the event store's
            named = dead_sealing_keys(
                cursor, {live, dead}, "format", schema=store_settings.database_schema
            )
            assert named == {dead}
        cursor.close()
    finally:
        raw.close()
    assert found == {dead}
    found_dead(found)  # as the recorder does: the next attempt reads the key, and is refused
    assert dead not in keyring.sealing
    with pytest.raises(BeneficiaryErasedError):
        keyring.key_for_sealing(dead)


def test_memory_keeps_the_most_recently_used_keys_only() -> None:
    keys = SealingKeys(size=2)
    a, b, c = (UUID(int=n) for n in (1, 2, 3))
    keys.put(a, b"a")
    keys.put(b, b"b")
    assert keys.get(a) == b"a"  # a used last: b goes first
    keys.put(c, b"c")
    assert (a in keys, b in keys, c in keys) == (True, False, True)
    keys.destroyed(a)
    keys.put(a, b"a")  # a read that began before the destruction ends after it: not let in
    assert keys.get(a) is None
