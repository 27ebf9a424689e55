"""The tamper-evident log, on the store under test: the hash chain is extended in the writing
transaction, and `verify` finds each kind of tampering done directly on the stored rows."""

from __future__ import annotations

import threading
from uuid import UUID

from sqlalchemy import Engine, text
from typer.testing import CliRunner

from api.cli.main import cli
from api.settings import Settings
from api.store.integrity import Head, Verification, head, verify
from domain.application import Maillage
from tests.conftest import ON_POSTGRES
from tests.world import World, ago

EVENTS = "maillage_events" if ON_POSTGRES else "stored_events"
POSITION = "notification_id" if ON_POSTGRES else "rowid"


def a_few_acts(app: Maillage, world: World, count: int = 6) -> UUID:
    case_id = world.open_case()
    for _ in range(count):
        app.record_intervention(
            case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(1)
        )
    return case_id


def check(app: Maillage, engine: Engine, expect: Head | None = None) -> Verification:
    return verify(app.recorder, engine, expect=expect, page=7)  # pages cut across the tests


def state_at(engine: Engine, position: int) -> bytes:
    with engine.connect() as conn:
        return bytes(
            conn.execute(
                text(f"SELECT state FROM {EVENTS} WHERE {POSITION} = :p"), {"p": position}
            ).scalar_one()
        )


def set_state(engine: Engine, position: int, state: bytes) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(f"UPDATE {EVENTS} SET state = :s WHERE {POSITION} = :p"),
            {"s": state, "p": position},
        )


def delete_event(engine: Engine, position: int) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {EVENTS} WHERE {POSITION} = :p"), {"p": position})


def test_an_untouched_log_verifies_and_its_head_is_the_chain_head(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    a_few_acts(store_app, store_world)
    result = check(store_app, engine)
    last = store_app.recorder.max_notification_id()
    assert result.intact, result
    assert result.checked == last
    assert result.head == head(engine)
    assert result.head.position == last
    assert check(store_app, engine, expect=result.head).intact


def test_a_changed_payload_is_found_at_its_position(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    a_few_acts(store_app, store_world)
    target = store_app.recorder.max_notification_id() - 3
    state = state_at(engine, target)
    set_state(engine, target, state.replace(b"home_visit", b"assessment"))
    result = check(store_app, engine)
    assert (result.broken_at, result.checked) == (target, target - 1)
    assert "differs" in (result.reason or "")


def test_a_deleted_event_is_found(store_app: Maillage, store_world: World, engine: Engine) -> None:
    a_few_acts(store_app, store_world)
    target = store_app.recorder.max_notification_id() - 2
    delete_event(engine, target)
    result = check(store_app, engine)
    assert result.broken_at == target
    assert "missing" in (result.reason or "")


def test_reordered_events_are_found(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    a_few_acts(store_app, store_world)
    last = store_app.recorder.max_notification_id()
    first, second = last - 4, last - 1
    a, b = state_at(engine, first), state_at(engine, second)
    set_state(engine, first, b)
    set_state(engine, second, a)
    assert check(store_app, engine).broken_at == first


def test_a_removed_tail_is_found_against_a_noted_head(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    a_few_acts(store_app, store_world)
    noted = head(engine)
    with engine.begin() as conn:  # the tail and its links: the chain alone cannot tell
        conn.execute(text(f"DELETE FROM {EVENTS} WHERE {POSITION} = :p"), {"p": noted.position})
        conn.execute(text("DELETE FROM event_chain WHERE position = :p"), {"p": noted.position})
    assert check(store_app, engine).intact
    result = check(store_app, engine, expect=noted)
    assert result.broken_at == noted.position
    assert "before the noted head" in (result.reason or "")


def test_concurrent_writers_extend_one_valid_chain(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    cases = [store_world.open_case() for _ in range(3)]
    errors: list[BaseException] = []

    def write(case_id: UUID) -> None:
        try:
            for _ in range(15):
                store_app.record_intervention(
                    case_id=case_id, by=store_world.actor("jeanne"), kind="home_visit"
                )
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(cases[i % 3],)) for i in range(6)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):  # verified while the log grows: no false alarm
        during = check(store_app, engine)
        assert during.intact, during
    for t in threads:
        t.join()
    assert not errors
    result = check(store_app, engine)
    assert result.intact, result
    assert result.checked == store_app.recorder.max_notification_id()
    with engine.connect() as conn:
        links = conn.execute(text("SELECT COUNT(*) FROM event_chain")).scalar_one()
    assert links == result.checked


def test_maillage_verify_exits_1_at_the_first_broken_position(
    cli_env: Settings, store_app: Maillage, store_world: World, engine: Engine
) -> None:
    a_few_acts(store_app, store_world)
    runner = CliRunner()
    intact = runner.invoke(cli, ["verify"])
    assert intact.exit_code == 0, intact.output
    assert str(head(engine)) in intact.output.replace("\n", "")

    noted = str(head(engine))
    target = store_app.recorder.max_notification_id() - 1
    set_state(engine, target, state_at(engine, target) + b" ")
    broken = runner.invoke(cli, ["verify", "--expect", noted])
    assert broken.exit_code == 1
    assert f"BROKEN at position {target}" in broken.output

    malformed = runner.invoke(cli, ["verify", "--expect", "12:abc"])
    assert malformed.exit_code == 2
