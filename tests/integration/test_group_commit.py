"""Group commit, on the store under test (`api.store.group_commit`): commands decided at the same
time are written by one transaction; within it a command that conflicts fails alone; the chain
is extended across the batch; one commit acknowledges all."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy import Engine, text

from api.composition import open_services
from api.settings import Settings
from api.store import outcome
from api.store.group_commit import GroupCommitter, Submission
from api.store.integrity import verify
from domain.application import Maillage
from domain.errors import BeneficiaryErasedError
from tests.conftest import ON_POSTGRES
from tests.world import World, ago

TOPIC = "tests.integration.test_group_commit:Nothing"


def stored(originator: UUID, version: int) -> StoredEvent:
    return StoredEvent(
        originator_id=originator, originator_version=version, topic=TOPIC, state=b"{}"
    )


@pytest.fixture
def commits(store_app: Maillage, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of commands in each batch the store committed."""
    recorder: Any = store_app.recorder
    sizes: list[int] = []
    write = recorder._write_batch

    def counted(batch: list[Submission]) -> None:
        sizes.append(len(batch))
        write(batch)

    monkeypatch.setattr(recorder._committer, "_write", counted)
    return sizes


def test_commands_arriving_while_a_batch_is_written_are_committed_together(
    store_app: Maillage, store_world: World, commits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first command's commit is held until the seven others are queued: they then go in
    one batch (one transaction, one lock, one commit), each recorded once."""
    recorder: Any = store_app.recorder
    committer: GroupCommitter = recorder._committer
    cases = [store_world.open_case() for _ in range(8)]
    versions: list[int] = [store_app.repository.get(c).version for c in cases]
    commits.clear()
    queued = threading.Event()
    commit = recorder._commit_batch

    def held(conn: Any) -> None:
        if not queued.is_set():
            assert queued.wait(20), "the other commands never queued"
        commit(conn)

    monkeypatch.setattr(recorder, "_commit_batch", held)

    def watch() -> None:
        while len(committer._queue) < 7:
            threading.Event().wait(0.005)
        queued.set()

    def record(case_id: UUID) -> None:
        store_app.record_intervention(
            case_id=case_id, by=store_world.actor("jeanne"), kind="home_visit", occurred_at=ago(1)
        )

    first = threading.Thread(target=record, args=(cases[0],))
    first.start()
    while not committer._writing:
        threading.Event().wait(0.001)
    others = [threading.Thread(target=record, args=(c,)) for c in cases[1:]]
    watcher = threading.Thread(target=watch)
    for t in [*others, watcher]:
        t.start()
    for t in [first, *others, watcher]:
        t.join(30)
    assert commits == [1, 7]
    assert [store_app.repository.get(c).version for c in cases] == [v + 1 for v in versions]


def test_a_conflict_in_a_batch_fails_that_command_alone(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    recorder: Any = store_app.recorder
    store_world.open_case()  # the log and its chain are not empty
    taken, free_a, free_b = uuid4(), uuid4(), uuid4()
    recorder.insert_events([stored(taken, 1)])
    batch = [
        Submission([stored(free_a, 1), stored(free_a, 2)]),
        Submission([stored(taken, 1)]),  # version 1 is taken: a conflict
        Submission([stored(free_b, 1)]),
    ]
    signalled = recorder.commit_signal.position
    recorder._write_batch(batch)
    assert isinstance(batch[1].error, IntegrityError)
    assert batch[1].ids is None
    assert batch[0].ids is not None
    assert batch[2].ids is not None
    assert batch[2].ids[0] > batch[0].ids[-1]  # in order (PostgreSQL skips the refused ids)
    assert recorder.commit_signal.position == batch[2].ids[0] > signalled
    assert [e.originator_version for e in recorder.select_events(free_a)] == [1, 2]
    assert [e.originator_version for e in recorder.select_events(taken)] == [1]
    assert verify(recorder, engine).intact  # the chain runs across the batch, without the gap


def tracked_batch(*originators: UUID) -> tuple[list[Submission], list[outcome.CommandWrites]]:
    """One submission per originator, each made under a command's outcome tracking."""
    batch, writes = [], []
    for originator in originators:
        with outcome.tracking() as w:  # the submission copies the context, w current in it
            batch.append(Submission([stored(originator, 1)]))
        writes.append(w)
    return batch, writes


def test_a_batch_whose_commit_fails_leaves_its_commands_in_doubt_and_before_it_not_recorded(
    store_app: Maillage, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder: Any = store_app.recorder
    first, second = uuid4(), uuid4()
    batch, writes = tracked_batch(first, second)

    def broken(conn: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(recorder, "_commit_batch", broken)
    with pytest.raises(RuntimeError):
        recorder._write_batch(batch)
    assert [w.outcome for w in writes] == [outcome.Outcome.UNKNOWN] * 2
    monkeypatch.undo()

    def chain_unreadable(cursor: Any) -> bytes:
        raise RuntimeError("the chain cannot be read")

    batch, writes = tracked_batch(first, second)
    monkeypatch.setattr(recorder, "_chain_head", chain_unreadable)
    with pytest.raises(RuntimeError):
        recorder._write_batch(batch)
    assert [w.outcome for w in writes] == [outcome.Outcome.NOT_RECORDED] * 2
    assert recorder.select_events(first) == []
    assert recorder.select_events(second) == []
    monkeypatch.undo()
    recorder.insert_events([stored(first, 1)])  # nothing was left open: the store writes on
    assert len(recorder.select_events(first)) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="a database server's restart: PostgreSQL")
def test_a_write_after_the_server_dropped_the_pooled_connections_is_recorded(
    store_settings: Settings,
) -> None:
    """No pre-ping round trip on each checkout: a write finding its pooled connection dead at
    the batch's first statement has nothing sent yet, so it takes a live one instead."""
    with open_services(store_settings, POSTGRES_PRE_PING="n") as services:
        recorder: Any = services.maillage.recorder
        recorder.insert_events([stored(uuid4(), 1)])  # the pool holds a connection now
        pids = [c.info.backend_pid for c in recorder.datastore.pool._pool]  # its idle ones
        assert pids
        with services.engine.begin() as conn:
            kill = text("SELECT pg_terminate_backend(pid) FROM unnest(:p) AS pid")
            conn.execute(kill, {"p": pids})
        originator = uuid4()
        recorder.insert_events([stored(originator, 1)])
        assert len(recorder.select_events(originator)) == 1


def test_a_key_another_process_destroyed_is_caught_at_commit(
    store_app: Maillage, store_world: World, engine: Engine
) -> None:
    """Sealing keys are kept in memory (no key read per write); the batch checks, in the
    transaction that inserts, that each is still live: one destroyed meanwhile by another
    process (its erasure) refuses the write as an erased beneficiary's, and records nothing."""
    case_id = store_world.open_case()
    jeanne = store_world.actor("jeanne")
    store_app.record_intervention(
        case_id=case_id, by=jeanne, kind="home_visit", summary="premier", occurred_at=ago(1)
    )  # the case's key is in this process's memory now
    version = store_app.repository.get(case_id).version
    with engine.begin() as conn:  # what another process's erasure does to the key's row
        conn.execute(
            text("UPDATE beneficiary_key SET key = NULL, destroyed_at = :now WHERE case_id = :c"),
            {"now": ago(0), "c": case_id.hex if not ON_POSTGRES else case_id},
        )
    with pytest.raises(BeneficiaryErasedError):
        store_app.record_intervention(
            case_id=case_id, by=jeanne, kind="home_visit", summary="second", occurred_at=ago(1)
        )
    assert store_app.repository.get(case_id).version == version
