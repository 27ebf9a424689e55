"""Load and faults against the real service over real HTTP, bounded in time.

- Concurrent clients for a fixed time, on one shared case and on cases of their own, while an
  outsider keeps trying to read the shared case and a forged token keeps knocking: every 2xx
  answer is exactly one event of the log (matched by the intervention id it returned), nothing
  answers 5xx, every refusal is the one the access rules give, and the projections, once caught
  up, equal a rebuild's.
- On PostgreSQL, the database goes away in the middle of the load (every connection dropped,
  new ones refused, as in a restart) and comes back: meanwhile the API answers 503 with
  `Retry-After`, it recovers by itself, and no acknowledged write is lost.

`MAILLAGE_LOAD_SECONDS` (default 4) sets how long the load runs; CI runs the short version.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from api.http.auth import mint_token
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from projections.runner import ProjectionRunner
from tests.conftest import ON_POSTGRES
from tests.outage import relay_to
from tests.served import serving
from tests.world import World, events_since

pytestmark = pytest.mark.slow
SECONDS = float(os.environ.get("MAILLAGE_LOAD_SECONDS", "4"))
CLIENTS = 12
TABLES = ("audit_entry_view", "case_actor_view", "case_coherence_view", "report_act_view")


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)  # intervention ids answered 2xx
    statuses: Counter[int] = field(default_factory=Counter)
    unavailable: list[httpx.Response] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def bearer(settings: Settings, world: World, who: str, institution: str) -> dict[str, str]:
    token = mint_token(
        settings,
        subject=world.p(who),
        role=Role.CASE_WORKER,
        institution_id=world.i(institution),
    )
    return {"Authorization": f"Bearer {token}"}


async def writer(
    client: httpx.AsyncClient, case: UUID, headers: dict[str, str], until: float, tally: Tally
) -> None:
    while time.monotonic() < until:
        try:
            answer = await client.post(
                f"/cases/{case}/interventions",
                json={"kind": "home_visit", "summary": "visite"},
                headers={**headers, "Idempotency-Key": str(uuid4())},
            )
        except httpx.TransportError:
            tally.statuses[0] += 1  # no answer: the outcome is unknown, nothing is claimed
            continue
        tally.statuses[answer.status_code] += 1
        if answer.status_code == 200:
            tally.acknowledged.append(answer.json()["entity_id"])
        elif answer.status_code == 503:
            tally.unavailable.append(answer)
            await asyncio.sleep(0.05)
        elif answer.status_code != 409:  # a conflict after every retry is the one other answer
            tally.wrong.append(f"{answer.status_code} {answer.text[:200]}")


async def intruder(
    client: httpx.AsyncClient, case: UUID, headers: dict[str, str], until: float, tally: Tally
) -> None:
    forged = {"Authorization": headers["Authorization"][:-4] + "AAAA"}
    while time.monotonic() < until:
        read = await client.get(f"/cases/{case}", params={"purpose": "follow_up"}, headers=headers)
        if read.status_code not in (403, 503):
            tally.wrong.append(f"outsider read: {read.status_code}")
        tampered = await client.get(f"/cases/{case}", params={"purpose": "audit"}, headers=forged)
        if tampered.status_code != 401:
            tally.wrong.append(f"forged token: {tampered.status_code}")


def logged_interventions(app: Maillage) -> Counter[str]:
    return Counter(
        str(e.intervention_id)  # type: ignore[attr-defined]
        for e in events_since(app, 0)
        if type(e).__name__ == "InterventionRecorded"
    )


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in TABLES}


async def load(
    base: str, settings: Settings, world: World, cases: list[UUID], seconds: float
) -> Tally:
    tally = Tally()
    jeanne = bearer(settings, world, "jeanne", "aemo")
    paul = bearer(settings, world, "paul", "school")
    until = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tasks = [
            writer(client, cases[0] if i % 2 == 0 else cases[1 + i // 2], jeanne, until, tally)
            for i in range(CLIENTS)
        ]
        tasks.append(intruder(client, cases[0], paul, until, tally))
        await asyncio.gather(*tasks)
    return tally


def converge(app: Maillage, engine: Engine) -> None:
    """The read side, followed while the load ran, reaches the log's end and equals a rebuild."""
    runner = ProjectionRunner(app, engine)
    assert runner.wait_for(app.recorder.max_notification_id() or 0, timeout=60)
    followed = rows(engine)
    runner.rebuild()
    assert rows(engine) == followed


async def test_concurrent_clients_for_a_fixed_time_lose_nothing_and_record_nothing_twice(
    store_settings: Settings, store_app: Maillage, engine: Engine
) -> None:
    world = World.build(store_app)
    cases = [world.open_case() for _ in range(1 + CLIENTS // 2)]
    with serving(store_settings) as base:
        tally = await load(base, store_settings, world, cases, SECONDS)
        assert not tally.wrong, tally.wrong[:5]
        assert not [s for s in tally.statuses if s >= 500 or s == 0], tally.statuses
        assert len(tally.acknowledged) > CLIENTS, tally.statuses  # the load did run
        logged = logged_interventions(store_app)
        assert logged == Counter(tally.acknowledged)  # each 2xx is one event, and only they are
        converge(store_app, engine)


@pytest.mark.skipif(not ON_POSTGRES, reason="an outage of the database server: PostgreSQL only")
async def test_a_database_outage_answers_503_recovers_and_loses_no_acknowledged_write(
    store_settings: Settings, store_app: Maillage, engine: Engine
) -> None:
    world = World.build(store_app)
    cases = [world.open_case() for _ in range(1 + CLIENTS // 2)]
    url = make_url(store_settings.database_url)
    with relay_to(url.host or "127.0.0.1", url.port or 5432) as relay:
        through = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        with serving(store_settings, database_url=through) as base:

            async def outage() -> None:
                await asyncio.sleep(SECONDS / 3)
                relay.cut()
                await asyncio.sleep(3)
                relay.resume()

            running = asyncio.create_task(outage())
            tally = await load(base, store_settings, world, cases, SECONDS / 3 + 3 + SECONDS)
            await running
            assert tally.unavailable, f"no 503 seen during the outage: {tally.statuses}"
            assert all(r.headers.get("Retry-After") for r in tally.unavailable)
            assert {r.json()["rule"] for r in tally.unavailable} <= {"store-unavailable"}
            assert not [s for s in tally.statuses if s >= 500 and s != 503], tally.statuses
            assert not tally.wrong, tally.wrong[:5]

            # It recovered by itself: writes after the outage are acknowledged again.
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                after = await client.post(
                    f"/cases/{cases[0]}/interventions",
                    json={"kind": "home_visit"},
                    headers=bearer(store_settings, world, "jeanne", "aemo"),
                )
            assert after.status_code == 200, after.text
            tally.acknowledged.append(after.json()["entity_id"])

            # No acknowledged write is lost, none is recorded twice. A write cut off mid-commit
            # may be in the log without an answer (its client saw 503 or no answer): never the
            # reverse.
            logged = logged_interventions(store_app)
            assert all(logged[i] == 1 for i in tally.acknowledged)
            assert max(logged.values()) == 1
            unanswered = sum(logged.values()) - len(tally.acknowledged)
            assert 0 <= unanswered <= len(tally.unavailable) + tally.statuses[0]
            converge(store_app, engine)
