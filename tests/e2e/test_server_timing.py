"""Every answer says how long the app took (`Server-Timing: app;dur=<ms>`): what an operator's
browser tools show, and what `bench/service.py` reads as a write's server time."""

from __future__ import annotations

import re
from uuid import uuid4

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

SERVER_TIMING = re.compile(r"^app;dur=(\d+\.\d{2})$")


async def test_a_write_answer_carries_the_server_time(api: Api) -> None:
    world = World.build(api.maillage)
    case_id = world.open_case()
    jeanne = api.headers(
        Role.CASE_WORKER, world.professionals["jeanne"], world.institutions["aemo"]
    )
    answer = await api.client.post(
        f"/cases/{case_id}/interventions", json={"kind": "home_visit"}, headers=jeanne
    )
    assert answer.status_code == 200, answer.text
    timing = SERVER_TIMING.match(answer.headers["Server-Timing"])
    assert timing is not None, answer.headers["Server-Timing"]
    assert float(timing.group(1)) > 0


async def test_a_refused_answer_carries_it_too(api: Api) -> None:
    answer = await api.client.post(
        f"/cases/{uuid4()}/interventions", json={"kind": "home_visit"}, headers={}
    )
    assert answer.status_code == 401
    assert SERVER_TIMING.match(answer.headers["Server-Timing"])
