"""HTTP coherence reads against the service as deployed, for the older size figures of
`bench/scale.py` (issue 16's HTTP figures are `bench/service.py`'s)."""

from __future__ import annotations

import asyncio
import random
from uuid import UUID

from pydantic import SecretStr

from api.http.auth import mint_token
from api.settings import Settings
from bench.loadclient import Call, Outcome, load
from bench.serving import service_commands, serving
from domain.access import Role
from tests.served import free_port, service_env
from tests.world import World

SECRET = "bench-only-signing-key-0123456789abcdef"


def served_reads(
    kind: str, settings: Settings, world: World, cases: list[UUID], seconds: float
) -> Outcome:
    """32 clients reading the coherence views of `cases` (Jeanne's) from the service as
    deployed on the store `settings` names, for `seconds`."""
    settings = settings.model_copy(update={"jwt_secret": SecretStr(SECRET)})
    token = mint_token(
        settings, subject=world.p("jeanne"), role=Role.CASE_WORKER, institution_id=world.i("aemo")
    )
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(11)
    port = free_port()

    def read(client: int, n: int) -> Call:
        return Call(
            "GET", f"/cases/{rng.choice(cases)}/coherence", headers, {"purpose": "follow_up"}
        )

    probe = f"http://127.0.0.1:{port}/health"
    with serving(service_commands(kind, port), service_env(settings), probe):
        return asyncio.run(load("127.0.0.1", port, 32, seconds, read))
