"""The real service, as deployed: `maillage serve` in its own processes — two workers on
PostgreSQL with a separate projection worker, one process on SQLite — hit over real HTTP by
concurrent writers, some of them retrying with the same Idempotency-Key. No event is lost, none
is recorded twice, and a reader who passes `after` sees every write."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import pytest

from api.http.auth import mint_token
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from tests.served import serving
from tests.world import World

pytestmark = pytest.mark.slow


@pytest.fixture
def service(store_settings: Settings) -> Iterator[str]:
    with serving(store_settings) as base:
        yield base


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
        consented = await client.post(  # a referral shares who the person is: on consent
            f"/cases/{case}/consents",
            json={
                "giver": "beneficiary",
                "recipients": [str(world.institutions["ase"])],
                "categories": ["identity"],
            },
            headers=headers["jeanne"],
        )
        assert consented.status_code == 200, consented.text
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
    # the case holds its opening, the consent, the referral, its acceptance, the join and one
    # intervention per key; the view read with `after` shows them all
    assert store_app.repository.get(UUID(case)).version == 5 + len(keys)
    assert view.json()["version"] == 5 + len(keys)
