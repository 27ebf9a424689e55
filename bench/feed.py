"""`python -m bench.feed [--store sqlite|postgresql] [--cases N] [--limit L]`: how many events
per second `GET /feed` serves to a client application following its institution's feed from
position 0 to its end, page by page — without and with personal fields (then one reading per
case recorded per page, and the fields opened from the log).

In process, over the ASGI transport (the handler, the read model and the naming, not the
network; the app's start-up and first request left out): a fresh store with the test world and
N cases of the AEMO, each with interventions, the feed's read model caught up before the clock
starts.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from uuid import UUID, uuid4

import httpx
from pydantic import SecretStr

from api.composition import build_services
from api.http.app import create_app
from api.http.auth import mint_token
from api.settings import Settings
from bench.common import store
from domain.access import ReadPurpose, Role
from domain.integration import FEED_KINDS
from tests.world import World

SECRET = "bench-only-signing-key-0123456789abcdef"


def populate(settings: Settings, cases: int) -> tuple[UUID, dict[bool, UUID]]:
    """The world, `cases` cases of the AEMO with 3 interventions each, the read side caught up;
    the AEMO's id and its two clients (by whether they open personal fields)."""
    services = build_services(settings)
    try:
        world = World.build(services.maillage)
        for _ in range(cases):
            case = world.open_case("jeanne", occurred_at=None)
            for n in range(3):
                services.maillage.record_intervention(
                    case_id=case, by=world.actor("jeanne"), kind="home_visit", summary=f"Visite {n}"
                )
        services.projections.catch_up()
        registry = services.clients
        clients = {
            personal: registry.register(
                name=f"SI {personal}",
                institution_id=world.i("aemo"),
                kinds=FEED_KINDS,
                personal_data=personal,
                purpose=ReadPurpose.COORDINATION,
                by=uuid4(),
            ).client_id
            for personal in (False, True)
        }
        return world.i("aemo"), clients
    finally:
        services.close()


async def follow(
    settings: Settings, institution: UUID, client_id: UUID, limit: int
) -> tuple[int, float]:
    """Events served, and the seconds it took (the app's start-up left out)."""
    token = mint_token(
        settings, subject=client_id, role=Role.INTEGRATION, institution_id=institution
    )
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(settings)
    served, after = 0, 0
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            # the app builds its routes at the first request: one past the end, empty
            await client.get("/feed", params={"after": 2**62, "limit": 1}, headers=headers)
            start = time.perf_counter()
            while True:
                response = await client.get(
                    "/feed", params={"after": after, "limit": limit}, headers=headers
                )
                response.raise_for_status()
                body = response.json()
                served += len(body["items"])
                after = body["next_after"]
                if not body["has_more"]:
                    return served, time.perf_counter() - start
    raise AssertionError("unreachable")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    with store(args.store) as base:
        settings = base.model_copy(
            update={"jwt_secret": SecretStr(SECRET), "embedded_projections": False}
        )
        institution, clients = populate(settings, args.cases)
        for personal, client_id in clients.items():
            served, seconds = asyncio.run(follow(settings, institution, client_id, args.limit))
            print(
                f"{args.store}: GET /feed, {'with' if personal else 'without'} personal fields, "
                f"limit {args.limit}: {served} events in {seconds:.2f} s, "
                f"{served / seconds:,.0f} events/s"
            )


if __name__ == "__main__":
    main()
