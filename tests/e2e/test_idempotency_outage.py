"""What becomes of a write the store breaks off, and of its Idempotency-Key.

The store breaks off at three points of a command — on PostgreSQL the connection really drops,
through the relay of `tests/outage.py`; on SQLite the file fails to take the transaction:
- before the commit: nothing is recorded, the 503 says so (`not-recorded`), and a retry with the
  same key records once;
- during the commit, which does not land: the outcome is `unknown`; the retry finds that nothing
  committed under the key, takes the claim over and records once;
- during the commit, which lands (its answer lost): `unknown`; the retry is told it was recorded
  (409 `idempotency-key-recorded`, with the position), and nothing is recorded twice.
A client without a key has no such guard: its blind retry records the act twice. With
`require_idempotency_key`, a case write without a key is refused (428).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from eventsourcing.sqlite import SQLiteConnection
from sqlalchemy.engine import make_url

from api.http.app import create_app
from api.http.deps import services_of
from api.settings import Settings
from api.store import outcome
from api.store.chained_postgres import ChainedPostgresRecorder
from api.store.chained_sqlite import ChainedSQLiteRecorder
from domain.access import Role
from domain.case import Case
from domain.timing import TimePolicy
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import Api
from tests.outage import Relay, relay_to
from tests.world import NOW, World, events_since

STILL_UNSETTLED = {"idempotency-key-in-progress", "idempotency-outcome-unknown"}


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings, time=TimePolicy(clock=lambda: NOW))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            yield Api(client, services_of(app).maillage, settings, app)


def client_port(connection: Any) -> int:
    """The local port of a psycopg connection's socket: how the relay knows it."""
    with socket.socket(fileno=os.dup(connection.pgconn.socket)) as duplicate:
        port: int = duplicate.getsockname()[1]
    return port


@dataclass
class Outage:
    """Breaks the store off once, at a chosen point of the next command's transaction."""

    api: Api
    relay: Relay | None
    monkeypatch: pytest.MonkeyPatch

    def before_commit(self) -> None:
        """The connection drops before the command's transaction has anything to commit."""
        armed = [True]
        relay = self.relay
        if relay is not None:
            original = ChainedPostgresRecorder._insert_events

            def cut_first(recorder: Any, curs: Any, events: Any, **kwargs: Any) -> Any:
                if armed and events and outcome.current() is not None:
                    armed.clear()
                    relay.cut()
                return original(recorder, curs, events, **kwargs)

            self.monkeypatch.setattr(ChainedPostgresRecorder, "_insert_events", cut_first)
            return
        sqlite_original = ChainedSQLiteRecorder._insert_events

        def fail_first(recorder: Any, c: Any, events: Any, **kwargs: Any) -> Any:
            if armed and events and outcome.current() is not None:
                armed.clear()
                raise sqlite3.OperationalError("disk I/O error")
            return sqlite_original(recorder, c, events, **kwargs)

        self.monkeypatch.setattr(ChainedSQLiteRecorder, "_insert_events", fail_first)

    def at_commit(self, *, lands: bool) -> None:
        """The connection drops as the command's transaction commits; the commit reaches the
        store (`lands`: its answer is lost) or not."""
        armed = [True]
        relay = self.relay
        if relay is not None:
            original = ChainedPostgresRecorder._commit_batch

            def then_cut(recorder: Any, connection: Any) -> None:
                writes = outcome.current()
                if armed and writes is not None and writes.in_doubt:
                    armed.clear()
                    if lands:  # the COMMIT goes through, its answer never comes back
                        relay.lose_reply_to(client_port(connection))
                    else:
                        relay.cut()
                original(recorder, connection)

            self.monkeypatch.setattr(ChainedPostgresRecorder, "_commit_batch", then_cut)
            return
        commit = SQLiteConnection.commit

        def fail_at_commit(connection: SQLiteConnection) -> None:
            writes = outcome.current()
            if armed and writes is not None and writes.in_doubt:
                armed.clear()
                if lands:
                    commit(connection)
                else:
                    connection.rollback()
                raise sqlite3.OperationalError("disk I/O error")
            commit(connection)

        self.monkeypatch.setattr(SQLiteConnection, "commit", fail_at_commit)

    def heal(self) -> None:
        if self.relay is not None:
            self.relay.resume()


@pytest.fixture
async def outage(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Outage]:
    settings = store_settings.model_copy(
        update={"embedded_projections": True, "projection_poll_seconds": 0.01}
    )
    with relayed(settings) as (through, relay):
        async with started(through) as api:
            yield Outage(api, relay, monkeypatch)
            if relay is not None:
                relay.resume()


@contextmanager
def relayed(settings: Settings) -> Iterator[tuple[Settings, Relay | None]]:
    """On PostgreSQL, the service reaches the database through a relay that can cut it off."""
    if not ON_POSTGRES:
        yield settings, None
        return
    url = make_url(settings.database_url)
    with relay_to(url.host or "127.0.0.1", url.port or 5432) as relay:
        through = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        yield settings.model_copy(update={"database_url": through}), relay


class Scene:
    """A case opened by Jeanne (AEMO), her token, and how many visits its log holds."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = World.build(api.maillage)
        self.case_id: UUID = self.world.open_case()
        self.path = f"/cases/{self.case_id}/interventions"
        self.jeanne = api.headers(
            Role.CASE_WORKER, self.world.professionals["jeanne"], self.world.institutions["aemo"]
        )

    def visits(self) -> int:
        return sum(
            1
            for e in events_since(self.api.maillage, 0)
            if type(e).__name__ == "InterventionRecorded" and e.originator_id == self.case_id
        )

    def version(self) -> int:
        case = self.api.maillage.repository.get(self.case_id)
        assert isinstance(case, Case)
        return case.version

    async def post(self, key: str | None) -> httpx.Response:
        headers = {**self.jeanne, **({"Idempotency-Key": key} if key else {})}
        return await self.api.client.post(
            self.path, json={"kind": "home_visit", "summary": "visite"}, headers=headers
        )

    async def retry(self, key: str, *, within: float = 15.0) -> httpx.Response:
        """Retry as a client does while the key's first request is not settled yet."""
        deadline = time.monotonic() + within
        while True:
            answer = await self.post(key)
            unsettled = answer.status_code == 503 or (
                answer.status_code == 409 and answer.json()["rule"] in STILL_UNSETTLED
            )
            if not unsettled or time.monotonic() > deadline:
                return answer
            await asyncio.sleep(0.2)


def cut_off(answer: httpx.Response, expected: str) -> None:
    assert answer.status_code == 503, answer.text
    body = answer.json()
    assert (body["rule"], body["outcome"]) == ("store-unavailable", expected)
    assert answer.headers["Retry-After"] == "1"
    assert answer.headers["content-type"] == "application/problem+json"


async def test_cut_off_before_the_commit_nothing_is_recorded_and_a_retry_records_once(
    outage: Outage,
) -> None:
    scene = Scene(outage.api)
    version = scene.version()
    key = str(uuid4())
    outage.before_commit()
    cut_off(await scene.post(key), "not-recorded")
    outage.heal()
    assert (scene.visits(), scene.version()) == (0, version)

    retried = await scene.retry(key)
    assert retried.status_code == 200, retried.text
    assert "Idempotent-Replayed" not in retried.headers
    assert (scene.visits(), scene.version()) == (1, version + 1)
    again = await scene.post(key)
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (200, "true")
    assert again.json() == retried.json()
    assert scene.visits() == 1


async def test_cut_off_at_a_commit_that_did_not_land_a_retry_records_once(
    outage: Outage,
) -> None:
    scene = Scene(outage.api)
    version = scene.version()
    key = str(uuid4())
    outage.at_commit(lands=False)
    cut_off(await scene.post(key), "unknown")
    outage.heal()
    assert (scene.visits(), scene.version()) == (0, version)

    retried = await scene.retry(key)
    assert retried.status_code == 200, retried.text
    assert (scene.visits(), scene.version()) == (1, version + 1)


async def test_cut_off_at_a_commit_that_landed_a_retry_is_told_it_was_recorded(
    outage: Outage,
) -> None:
    scene = Scene(outage.api)
    version = scene.version()
    key = str(uuid4())
    outage.at_commit(lands=True)
    cut_off(await scene.post(key), "unknown")
    outage.heal()
    assert (scene.visits(), scene.version()) == (1, version + 1)  # it did land
    position = outage.api.maillage.recorder.max_notification_id()

    for _ in range(2):  # and stays so: never recorded a second time
        retried = await scene.retry(key)
        body = retried.json()
        assert (retried.status_code, body["rule"]) == (409, "idempotency-key-recorded"), body
        assert body["details"] == {"position": position}
        assert body["field"] == "header.Idempotency-Key"
    assert (scene.visits(), scene.version()) == (1, version + 1)


async def test_without_a_key_a_blind_retry_after_an_unknown_outcome_records_twice(
    outage: Outage,
) -> None:
    """What the README warns a client without an Idempotency-Key about."""
    scene = Scene(outage.api)
    outage.at_commit(lands=True)
    cut_off(await scene.post(None), "unknown")
    outage.heal()
    deadline = time.monotonic() + 15
    while (retried := await scene.post(None)).status_code == 503 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert retried.status_code == 200, retried.text
    assert scene.visits() == 2


async def test_a_setting_requires_the_key_on_case_writes(store_settings: Settings) -> None:
    settings = store_settings.model_copy(update={"require_idempotency_key": True})
    async with started(settings) as api:
        scene = Scene(api)
        missing = await scene.post(None)
        body = missing.json()
        assert (missing.status_code, body["rule"]) == (428, "idempotency-key-required")
        assert body["field"] == "header.Idempotency-Key"
        assert missing.headers["content-type"] == "application/problem+json"
        assert scene.visits() == 0

        # Authorisation first: an outsider learns nothing of what a write would need.
        outsider = api.headers(
            Role.CASE_WORKER, scene.world.professionals["luc"], scene.world.institutions["hospital"]
        )
        refused = await api.client.post(scene.path, json={"kind": "home_visit"}, headers=outsider)
        assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")

        assert (await scene.post(str(uuid4()))).status_code == 200
        assert scene.visits() == 1
        # Only case writes: the registry is kept by administrators' own tools.
        institution = await api.client.post(
            "/institutions",
            json={"name": "SESSAD", "sector": "medico_social", "kind": "other"},
            headers=api.headers(Role.ADMIN),
        )
        assert institution.status_code == 201, institution.text
