"""The real service, as deployed: `maillage serve` in its own processes — two workers on
PostgreSQL with a separate projection worker, one process on SQLite — hit over real HTTP by
concurrent writers, some of them retrying with the same Idempotency-Key. No event is lost, none
is recorded twice, and a reader who passes `after` sees every write."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import pytest

from api.auth import mint_token
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from tests.conftest import ON_POSTGRES
from tests.world import World

CLI = [sys.executable, "-c", "from api.cli import main; main()"]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MAILLAGE_DATABASE_URL"] = settings.database_url
    if settings.database_schema:
        env["MAILLAGE_DATABASE_SCHEMA"] = settings.database_schema
    assert settings.jwt_secret is not None
    env["MAILLAGE_JWT_SECRET"] = settings.jwt_secret.get_secret_value()
    env["MAILLAGE_LOG_FORMAT"] = "text"
    return env


@pytest.fixture
def service(store_settings: Settings) -> Iterator[str]:
    port = free_port()
    env = service_env(store_settings)
    workers = "2" if ON_POSTGRES else "1"
    processes = [
        subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--workers", workers],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    if ON_POSTGRES:  # projections run in their own worker there
        processes.append(
            subprocess.Popen(
                [*CLI, "project", "--follow", "--interval", "0.02"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not become ready"
            assert processes[0].poll() is None, "the service exited"
            time.sleep(0.2)
        yield base
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


async def test_concurrent_writers_over_http_lose_nothing_and_record_nothing_twice(
    store_settings: Settings, store_app: Maillage, service: str
) -> None:
    world = World.build(store_app)
    actors = [("jeanne", "aemo"), ("karim", "ase")]
    tokens = {
        who: mint_token(
            store_settings,
            subject=world.professionals[who],
            role=Role.CASE_WORKER,
            institution_id=world.institutions[inst],
        )
        for who, inst in actors
    }
    headers = {who: {"Authorization": f"Bearer {t}"} for who, t in tokens.items()}
    async with httpx.AsyncClient(base_url=service, timeout=30) as client:
        opened = await client.post(
            "/cases",
            json={
                "beneficiary": {"first_name": "Noé", "last_name": "Keller"},
                "legal_framework": "administrative",
            },
            headers=headers["jeanne"],
        )
        assert opened.status_code == 201, opened.text
        case = opened.json()["id"]
        referred = await client.post(
            f"/cases/{case}/referrals",
            json={"to_institution_id": str(world.institutions["ase"]), "reason": "évaluation"},
            headers=headers["jeanne"],
        )
        assert referred.status_code == 200, referred.text
        accepted = await client.post(
            f"/cases/{case}/referrals/{referred.json()['entity_id']}/acceptance",
            json={},
            headers=headers["karim"],
        )
        assert accepted.status_code == 200, accepted.text
        joined = await client.post(
            f"/cases/{case}/participants", json={"role": "référent ASE"}, headers=headers["karim"]
        )
        assert joined.status_code == 200, joined.text

        keys = [str(uuid4()) for _ in range(30)]

        async def write(who: str, key: str) -> httpx.Response:
            return await client.post(
                f"/cases/{case}/interventions",
                json={"kind": "home_visit" if who == "jeanne" else "assessment"},
                headers={**headers[who], "Idempotency-Key": key},
            )

        # every key sent twice at once, by the same writer: 60 requests, 30 distinct commands
        calls = [write(actors[i % 2][0], key) for i, key in enumerate(keys) for _ in range(2)]
        answers = await asyncio.gather(*calls)
        assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
        # a key refused while its twin ran is retried until it replays the first answer
        final: dict[str, int] = {}
        for i, key in enumerate(keys):
            for _ in range(50):
                again = await write(actors[i % 2][0], key)
                if again.status_code == 200:
                    break
                await asyncio.sleep(0.05)
            assert again.status_code == 200, again.text
            assert again.headers["Idempotent-Replayed"] == "true"
            final[key] = again.json()["version"]
        for i, answer in enumerate(answers):
            if answer.status_code == 200:  # the twin that ran, and only it, got this version
                assert answer.json()["version"] == final[keys[i // 2]]
        assert len(set(final.values())) == len(keys)  # one recorded intervention per key

        last = max(a.json()["position"] for a in answers if a.status_code == 200)
        view = await client.get(
            f"/cases/{case}/coherence",
            params={"purpose": "follow_up", "after": last},
            headers=headers["jeanne"],
        )
        assert view.status_code == 200, view.text
    # the case holds its opening, the referral, its acceptance, the join and one intervention
    # per key; the view read with `after` shows them all
    assert store_app.repository.get(UUID(case)).version == 4 + len(keys)
    assert view.json()["version"] == 4 + len(keys)
