"""Lists paged by ids refuse a cursor they did not return (found from outside: `cursor=garbage`
answered an empty page — read as the list's end — and `cursor=00000000` the whole list again),
and follow their own `next_cursor` to the end, each item once."""

from __future__ import annotations

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

LISTS = [
    "/institutions",
    "/professionals",
    "/delegations",
    "/partnerships",
    "/integration/clients",
    "/integration/webhooks",
]
MADE_UP = ["garbage", "00000000", "zzzz", "2c9f1d1e-0000-4000-8000-00000000000G", "a/b"]


@pytest.mark.parametrize("path", LISTS)
async def test_a_made_up_cursor_is_refused_naming_it(api: Api, path: str) -> None:
    World.build(api.maillage)
    admin = {**api.headers(Role.ADMIN), "Accept-Language": "en"}
    for cursor in MADE_UP:
        answer = await api.client.get(path, params={"cursor": cursor}, headers=admin)
        assert answer.status_code == 422, (path, cursor, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert (answer.json()["rule"], answer.json()["field"]) == ("invalid-value", "cursor")


@pytest.mark.parametrize("path", ["/institutions", "/professionals"])
async def test_next_cursor_walks_the_list_once(api: Api, path: str) -> None:
    World.build(api.maillage)
    projections = api.services.projections
    assert projections.wait_for(projections.head(), timeout=10)
    admin = api.headers(Role.ADMIN)
    whole = await api.client.get(path, params={"limit": 500}, headers=admin)
    everything = whole.json()["items"]
    assert len(everything) >= 3
    walked: list[object] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = await api.client.get(path, params=params, headers=admin)
        assert answer.status_code == 200, answer.text
        walked += answer.json()["items"]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    assert walked == everything


async def test_a_caseload_cursor_is_a_case_actors_key(api: Api) -> None:
    world = World.build(api.maillage)
    world.open_case()
    paul = api.headers(Role.SUPERVISOR, world.p("paul"), world.i("school"))
    url = f"/institutions/{world.i('school')}/involvement"
    answer = await api.client.get(url, params={"cursor": "garbage"}, headers=paul)
    assert (answer.status_code, answer.json()["field"]) == (422, "cursor"), answer.text
