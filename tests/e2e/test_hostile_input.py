"""Hostile input: oversized, deep or malformed bodies, broken encodings, extreme dates and
numbers, and SQL in every string. Each gets a 4xx problem (never a 5xx), and nothing is stored
that should not be: the log's position does not move on a refusal, and what is accepted is kept
as the data it is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.store.factory import build_engine
from api.store.integrity import verify
from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

PROBLEM = "application/problem+json"
INJECTIONS = [
    "'; DROP TABLE stored_events; --",
    "Robert'); DELETE FROM event_chain WHERE ('1'='1",
    '" OR 1=1 --',
    "x' UNION SELECT key FROM beneficiary_key --",
]


class Scene:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = World.build(api.maillage)
        self.admin = api.headers(Role.ADMIN)
        self.jeanne = api.headers(Role.CASE_WORKER, self.world.p("jeanne"), self.world.i("aemo"))
        self.case_id = self.world.open_case()

    def position(self) -> int:
        return self.api.maillage.recorder.max_notification_id() or 0

    async def refused(self, method: str, path: str, **kwargs: Any) -> int:
        before = self.position()
        response = await self.api.client.request(method, path, **kwargs)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert self.position() == before, f"{path}: a refused request recorded something"
        return response.status_code


@pytest.fixture
async def scene(api: Api) -> Scene:
    return Scene(api)


async def test_oversized_bodies_are_refused_with_413(scene: Scene) -> None:
    big = b'{"name": "' + b"a" * (scene.api.settings.max_body_bytes + 1) + b'"}'
    headers = {**scene.admin, "content-type": "application/json"}
    assert await scene.refused("POST", "/institutions", content=big, headers=headers) == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"name": "'
        for _ in range(scene.api.settings.max_body_bytes // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    chunked = await scene.refused("POST", "/institutions", content=chunks(), headers=headers)
    assert chunked == 413


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than any parser's recursion
        b'{"name": "a", "sector": "social", "kind": "cmp"',  # truncated
        b'{"name": "\xff\xfe", "sector": "social", "kind": "cmp"}',  # not UTF-8
        b'{"name": "a", "sector": "social", "kind": "cmp", "department": 1e999999}',
        b"\x00\x01\x02",
        b"",
    ],
    ids=["deep", "truncated", "not-utf8", "huge-number", "binary", "empty"],
)
async def test_malformed_bodies_are_refused(scene: Scene, body: bytes) -> None:
    headers = {**scene.admin, "content-type": "application/json"}
    status = await scene.refused("POST", "/institutions", content=body, headers=headers)
    assert status in (400, 422)


@pytest.mark.parametrize(
    "occurred_at",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",
        "2026-02-30T10:00:00Z",
        "2026-11-20T10:00:00",  # no offset: ambiguous
        "1e30",
        "-1",
    ],
)
async def test_extreme_dates_are_refused(scene: Scene, occurred_at: str) -> None:
    await scene.refused(
        "POST",
        f"/cases/{scene.case_id}/interventions",
        json={"kind": "home_visit", "occurred_at": occurred_at},
        headers=scene.jeanne,
    )


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 10**30},
        {"limit": -1},
        {"limit": "NaN"},
        {"cursor": "9" * 300},
        {"cursor": "-99999999999999999999"},
    ],
)
async def test_extreme_numbers_in_queries_are_refused_or_harmless(
    scene: Scene, params: dict[str, Any]
) -> None:
    response = await scene.api.client.get("/delegations", params=params, headers=scene.admin)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("text", INJECTIONS)
async def test_sql_in_strings_is_kept_as_data(scene: Scene, text: str) -> None:
    client = scene.api.client
    created = await client.post(
        "/institutions",
        json={"name": text, "sector": "social", "kind": "association"},
        headers=scene.admin,
    )
    assert created.status_code == 201, created.text
    institution = created.json()["id"]
    professional = await client.post(
        "/professionals", json={"name": text, "profession": text[:100]}, headers=scene.admin
    )
    assert professional.status_code == 201, professional.text
    opened = await client.post(
        "/cases",
        json={
            "beneficiary": {"first_name": text, "last_name": text},
            "legal_framework": "judicial",
            "role": text[:100],
        },
        headers=scene.jeanne,
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()["id"]
    visit = await client.post(
        f"/cases/{case}/interventions",
        json={"kind": "home_visit", "summary": text},
        headers=scene.jeanne,
    )
    assert visit.status_code == 200, visit.text

    # Kept exactly, as data: read back through the API and the store.
    read = await client.get(f"/institutions/{institution}", headers=scene.admin)
    assert read.json()["name"] == text
    file = await client.get(f"/cases/{case}", params={"purpose": "follow_up"}, headers=scene.jeanne)
    assert file.json()["beneficiary"]["first_name"] == text
    found = await client.get("/institutions", params={"name": text}, headers=scene.admin)
    assert [i["institution_id"] for i in found.json()["items"]] == [institution]
    # The tables it names are all still there, the log whole.
    assert scene.api.maillage.repository.get(scene.case_id).version >= 1
    engine = build_engine(scene.api.settings)
    try:
        assert verify(scene.api.maillage.recorder, engine).intact
    finally:
        engine.dispose()


async def test_search_filters_with_sql_match_nothing_they_should_not(scene: Scene) -> None:
    for text in [*INJECTIONS, "%", "_", "\\"]:
        found = await scene.api.client.get(
            "/institutions", params={"name": text}, headers=scene.admin
        )
        assert found.status_code == 200, found.text
        names = [i["name"] for i in found.json()["items"]]
        assert all(text.lower() in n.lower() for n in names), (text, names)
