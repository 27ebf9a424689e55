"""Rotating the key-encryption key (`maillage rewrap-keys`, `api/store/rewrap.py`) on the store
under test: every value sealed under the old KEK reads with the new one alone, the old one opens
nothing any more, not one event is touched; an interrupted run resumes, a second run changes
nothing; an erasure after the rotation still makes the fields unreadable.

On SQLite the old KEK is the embedded mode's key file, so the rotation is also the move from the
key file to a KEK given in the environment.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli.main import cli
from api.composition import Services
from api.settings import Settings, get_settings
from api.store.factory import build_keyring
from api.store.kek import KeyEncryptionKeyError, LocalKeyWrapper
from api.store.rewrap import census, rewrap
from domain.privacy import ERASED, ERASED_TEXT
from tests.conftest import ON_POSTGRES
from tests.integration.test_privacy import (
    DECISION,
    FIRST,
    LAST,
    NOTE,
    REPRESENTATIVE,
    assert_nowhere,
    every_stored_byte,
    fresh_app,
    open_case_with_secrets,
)
from tests.keks import kek_of, keyring_of, new_kek, raw_keys, stored_log, with_keks
from tests.world import NOW, World

PERSONAL = {
    "InterventionRecorded": "summary",
    "CoordinationMeetingHeld": "decisions",
    "ConsentGiven": "representative_name",
}


class RotationStoppedError(Exception):
    """The rotation's process stopped midway (as by a crash or Ctrl-C)."""


def opened_values(settings: Settings, case_id: UUID) -> list[object]:
    """Every personal value of the case, opened by a fresh process with `settings`' KEKs."""
    reader = fresh_app(settings)
    try:
        case = reader.repository.get(case_id)
        values: list[object] = [case.beneficiary.first_name, case.beneficiary.last_name]
        for notification in reader.recorder.select_notifications(1, 10**6):
            event = reader.read_mapper.to_domain_event(notification)
            name = PERSONAL.get(type(event).__name__)
            if name and event.originator_id == case_id:
                values.append(getattr(reader.read_mapper.opened(event), name))
        return values
    finally:
        reader.close()


def test_rotation_keeps_every_value_readable_and_retires_the_old_kek(
    store_settings: Settings,
    store_services: Services,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    cli_env: Settings,
) -> None:
    app = store_services.maillage
    world = World.build(app)
    case_id = open_case_with_secrets(app, world)
    others = [world.open_case() for _ in range(4)]
    old = kek_of(store_settings)
    before = opened_values(store_settings, case_id)
    assert before[:2] == [FIRST, LAST]
    assert before.count(NOTE) > 100
    assert [v for v in before if v not in (FIRST, LAST, NOTE)] == [REPRESENTATIVE, [DECISION]]
    log_before = stored_log(engine)
    keys_before = raw_keys(engine)

    # Every process is given the new KEK, and the old one as the previous; then the command.
    new = new_kek()
    monkeypatch.setenv("MAILLAGE_KEY_ENCRYPTION_KEY", new)
    monkeypatch.setenv("MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY", old)
    get_settings.cache_clear()
    runner = CliRunner()
    counted = runner.invoke(cli, ["rewrap-keys", "--dry-run"])
    assert counted.exit_code == 0, counted.output
    assert raw_keys(engine) == keys_before  # counted only
    ran = runner.invoke(cli, ["rewrap-keys"])
    assert ran.exit_code == 0, ran.output
    new_id, old_id = (
        LocalKeyWrapper.from_text(new, "-").key_id,
        LocalKeyWrapper.from_text(old, "-").key_id,
    )
    assert f"5 key(s) wrapped by {old_id} (previous)" in counted.output
    assert f"5 key(s) wrapped by {old_id} (previous)" in ran.output
    assert f"5 rewrapped, 0 wrapped from clear, 0 already under {new_id}" in ran.output
    again = runner.invoke(cli, ["rewrap-keys"])
    assert again.exit_code == 0, again.output
    assert f"0 rewrapped, 0 wrapped from clear, 5 already under {new_id}" in again.output

    # Given neither KEK that wrapped them, the command says so and fails.
    monkeypatch.setenv("MAILLAGE_KEY_ENCRYPTION_KEY", new_kek())
    monkeypatch.delenv("MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY")
    get_settings.cache_clear()
    stuck = runner.invoke(cli, ["rewrap-keys"])
    assert stuck.exit_code == 1
    assert f"5 key(s) wrapped by {new_id}, a key-encryption key not given" in stuck.output

    keys_after = raw_keys(engine)
    assert {kek_id for _, kek_id in keys_after.values()} == {new_id}
    assert all(keys_after[c][0] != keys_before[c][0] for c in keys_before)
    assert stored_log(engine) == log_before  # not one event, snapshot or link touched

    only_new = with_keks(store_settings, new)
    assert opened_values(only_new, case_id) == before
    only_old = with_keks(store_settings, old)
    for case in (case_id, *others):
        with pytest.raises(
            KeyEncryptionKeyError, match=f"wrapped by the key-encryption key {new_id}"
        ):
            opened_values(only_old, case)
    # Even told the row is its own, the old KEK does not open the rewrapped bytes.
    wrapped = keys_after[case_id][0]
    assert wrapped is not None
    with pytest.raises(KeyEncryptionKeyError, match="does not open"):
        LocalKeyWrapper.from_text(old, "-").unwrap(wrapped, case_id)
    if not ON_POSTGRES:  # nor does a copy of the file keep the old wrapped bytes
        stored = every_stored_byte(engine, store_settings)
        assert all(column not in stored for column, _ in keys_before.values() if column)


def test_an_interrupted_rotation_resumes_and_both_keks_open_meanwhile(
    store_settings: Settings, store_services: Services
) -> None:
    world = World.build(store_services.maillage)
    cases = [world.open_case() for _ in range(7)]
    keys = {c: store_services.maillage.keyring.key(c) for c in cases}
    old, new = kek_of(store_settings), new_kek()
    rotating = build_keyring(with_keks(store_settings, new, old), clock=lambda: NOW)
    try:

        def stop_after_three(done: int, to_do: int) -> None:
            assert to_do == 7
            if done >= 3:
                raise RotationStoppedError

        with pytest.raises(RotationStoppedError):
            rewrap(rotating, batch=3, progress=stop_after_three)
        ids = rotating.keks.ids
        assert census(rotating) == {ids[0]: 3, ids[1]: 4}
        assert {c: rotating.key(c) for c in cases} == keys  # both KEKs open keys meanwhile

        resumed = rewrap(rotating, batch=3)
        assert (resumed.rewrapped, resumed.already_current, resumed.complete) == (4, 3, True)
        assert census(rotating) == {ids[0]: 7}
        assert {c: rotating.key(c) for c in cases} == keys  # the same keys, wrapped anew
    finally:
        rotating.close()

    # A KEK neither current nor previous: its keys are left alone, counted, named.
    newer = build_keyring(with_keks(store_settings, new_kek()), clock=lambda: NOW)
    try:
        stuck = rewrap(newer)
        assert not stuck.complete
        assert dict(stuck.not_given) == {ids[0]: 7}
    finally:
        newer.close()


def test_erasure_after_rotation_still_makes_the_fields_unreadable(
    store_settings: Settings, store_services: Services, engine: Engine
) -> None:
    case_id = open_case_with_secrets(store_services.maillage, World.build(store_services.maillage))
    old, new = kek_of(store_settings), new_kek()
    rotating = build_keyring(with_keks(store_settings, new, old), clock=lambda: NOW)
    try:
        assert rewrap(rotating).rewrapped == 1
    finally:
        rotating.close()
    wrapped = raw_keys(engine)[case_id][0]
    assert wrapped is not None

    after = with_keks(store_settings, new)
    erasing = fresh_app(after)
    try:
        erasing.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
        assert keyring_of(erasing).is_destroyed(case_id)
    finally:
        erasing.close()
    assert raw_keys(engine)[case_id] == (None, None)
    values = opened_values(after, case_id)
    assert values[:2] == [ERASED_TEXT, ERASED_TEXT]
    assert set(map(repr, values[2:])) <= {repr(ERASED), repr([ERASED]), "None"}
    stored = every_stored_byte(engine, store_settings)
    assert_nowhere(stored)
    if not ON_POSTGRES:
        assert wrapped not in stored
