"""One write over HTTP reads the case and the acting professional from the store once:
authorising the caller and deciding the command share them (`Maillage.loads_shared`)."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World


async def test_recording_an_intervention_loads_the_case_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World.build(api.maillage)
    case_id = world.open_case()
    jeanne = world.p("jeanne")
    headers = api.headers(Role.CASE_WORKER, jeanne, world.i("aemo"))
    gets: Counter[UUID] = Counter()
    library_get = api.maillage.repository.get

    def counting(aggregate_id: UUID, **options: Any) -> Any:
        gets[aggregate_id] += 1
        return library_get(aggregate_id, **options)

    monkeypatch.setattr(api.maillage.repository, "get", counting)
    answer = await api.client.post(
        f"/cases/{case_id}/interventions", json={"kind": "home_visit"}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 2
    assert gets[case_id] == 1
    assert gets[jeanne] == 1
