"""Client applications over HTTP (issue 19): administrators register them (the secret answered
once), list, read and change them, rotate their secrets and revoke them; bad input is a 4xx
problem naming the field. A client application's token is refused on every route but the feed,
in its own words."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from api.http.auth import TokenVerifier
from api.integration.clients import ClientRegistry
from domain.access import Principal, Role
from domain.integration import RevokedClientTokenError, check_feed_reader
from tests.e2e.conftest import Api
from tests.e2e.test_admission import PATH_PARAMETER, operations, send
from tests.world import World

PROBLEM = "application/problem+json"
CLIENTS = "/integration/clients"
FEED_ONLY = "une application cliente lit le flux de son établissement, et rien d'autre"


def body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "name": "SI de l'ASE du Haut-Rhin",
        "institution_id": str(world.i("ase")),
        "kinds": ["Case.CaseOpened", "Case.ReferralMade"],
        "personal_data": False,
        "purpose": "coordination",
        **changes,
    }


@pytest.fixture
def world(api: Api) -> World:
    return World.build(api.maillage)


@pytest.fixture
def admin(api: Api) -> dict[str, str]:
    return api.headers(Role.ADMIN, uuid4())


async def test_a_client_is_registered_and_its_secret_answered_this_once(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await api.client.post(CLIENTS, json=body(world), headers=admin)
    assert created.status_code == 201, created.text
    answer = created.json()
    client_id, secret = answer["client_id"], answer["client_secret"]
    assert secret.startswith("mcs_")
    assert len(secret) > 40
    assert created.headers["location"] == f"{CLIENTS}/{client_id}"
    assert created.headers["cache-control"] == "no-store"

    runner = api.services.projections
    assert runner.wait_for(runner.head(), timeout=10)  # the registry's names on the read side
    read = await api.client.get(created.headers["location"], headers=admin)
    assert read.status_code == 200, read.text
    shown = read.json()
    assert (shown["institution_id"], shown["institution_name"]) == (str(world.i("ase")), "ASE 68")
    assert (shown["active"], shown["purpose"], shown["personal_data"]) == (
        True,
        "coordination",
        False,
    )
    assert shown["kinds"] == ["Case.CaseOpened", "Case.ReferralMade"]
    listed = await api.client.get(CLIENTS, headers=admin)
    for answer_text in (read.text, listed.text):
        assert secret not in answer_text
        assert "client_secret" not in answer_text
        assert "hash" not in answer_text
    assert [c["client_id"] for c in listed.json()["items"]] == [client_id]


async def test_the_list_is_filtered_and_paged(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    ids = []
    for institution in ("ase", "ase", "aemo"):
        made = await api.client.post(
            CLIENTS, json=body(world, institution_id=str(world.i(institution))), headers=admin
        )
        ids.append(made.json()["client_id"])
    revoked = await api.client.post(f"{CLIENTS}/{ids[0]}/revoke", headers=admin)
    assert (revoked.status_code, revoked.json()["active"]) == (200, False)

    async def listed(**query: Any) -> list[str]:
        found = await api.client.get(CLIENTS, params=query, headers=admin)
        assert found.status_code == 200, found.text
        return [c["client_id"] for c in found.json()["items"]]

    assert set(await listed(institution_id=str(world.i("ase")))) == set(ids[:2])
    assert await listed(revoked="true") == [ids[0]]
    assert set(await listed(revoked="false")) == set(ids[1:])
    first = await api.client.get(CLIENTS, params={"limit": 2}, headers=admin)
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    rest = await listed(cursor=cursor)
    assert [c["client_id"] for c in first.json()["items"]] + rest == sorted(ids)


async def test_the_scope_is_changed_and_read_at_once(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    made = (await api.client.post(CLIENTS, json=body(world), headers=admin)).json()
    url = f"{CLIENTS}/{made['client_id']}"
    changed = await api.client.patch(
        url,
        json={
            "kinds": ["Case.InterventionRecorded"],
            "personal_data": True,
            "purpose": "follow_up",
        },
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "SI de l'ASE du Haut-Rhin"  # left out: unchanged
    scope = ClientRegistry(api.services.engine).scope(made["client_id"])
    assert scope is not None
    # personal data requested, not in force before a data-protection officer approves it
    assert (scope.kinds, scope.personal_data) == ({"Case.InterventionRecorded"}, False)
    assert changed.json()["personal_data_in_force"] is False


async def test_a_rotated_secret_is_answered_once_and_the_old_one_kept_for_the_grace(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    made = (await api.client.post(CLIENTS, json=body(world), headers=admin)).json()
    rotated = await api.client.post(f"{CLIENTS}/{made['client_id']}/secret", headers=admin)
    assert rotated.status_code == 200, rotated.text
    assert rotated.headers["cache-control"] == "no-store"
    new = rotated.json()
    assert new["client_secret"] != made["client_secret"]
    assert new["previous_secret_valid_until"] is not None
    read = await api.client.get(f"{CLIENTS}/{made['client_id']}", headers=admin)
    assert new["client_secret"] not in read.text


async def test_a_revoked_client_is_refused_by_the_feed_with_the_token_it_holds(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    made = (await api.client.post(CLIENTS, json=body(world), headers=admin)).json()
    credentials = {
        "grant_type": "client_credentials",
        "client_id": made["client_id"],
        "client_secret": made["client_secret"],
    }
    issued = await api.client.post("/oauth/token", data=credentials)
    assert issued.status_code == 200, issued.text
    holder = TokenVerifier(api.settings).verify(issued.json()["access_token"], now=api.clock())
    assert holder == Principal(UUID(made["client_id"]), Role.INTEGRATION, world.i("ase"))
    registry = ClientRegistry(api.services.engine)
    assert check_feed_reader(holder, registry.scope(holder.subject)).active
    revoked = await api.client.post(f"{CLIENTS}/{made['client_id']}/revoke", headers=admin)
    assert revoked.status_code == 200, revoked.text
    with pytest.raises(RevokedClientTokenError, match="revoked"):  # the token it holds: refused
        check_feed_reader(holder, registry.scope(holder.subject))
    refused = await api.client.post("/oauth/token", data=credentials)  # and no new one
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    again = await api.client.patch(
        f"{CLIENTS}/{made['client_id']}", json={"name": "x"}, headers=admin
    )
    assert (again.status_code, again.json()["rule"]) == (409, "client-revoked")
    assert again.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    ("change", "status", "rule", "field"),
    [
        ({"institution_id": str(uuid4())}, 404, "not-found", "institution_id"),
        ({"kinds": ["Case.Nothing"]}, 422, "invalid-value", "kinds"),
        ({"kinds": []}, 422, "invalid-request", "body.kinds"),
        ({"purpose": "curiosity"}, 422, "invalid-request", "body.purpose"),
        ({"name": ""}, 422, "invalid-request", "body.name"),
        ({"name": "   "}, 422, "invalid-value", "name"),
        ({"name": "x" * 201}, 422, "invalid-request", "body.name"),
        ({"institution_id": "ase"}, 422, "invalid-request", "body.institution_id"),
    ],
    ids=[
        "unknown-institution",
        "unknown-kind",
        "no-kind",
        "bad-purpose",
        "empty-name",
        "blank-name",
        "too-long-name",
        "not-an-id",
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    api: Api,
    world: World,
    admin: dict[str, str],
    change: dict[str, Any],
    status: int,
    rule: str,
    field: str,
) -> None:
    refused = await api.client.post(CLIENTS, json=body(world, **change), headers=admin)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert (refused.json()["rule"], refused.json()["field"]) == (rule, field)
    listed = await api.client.get(CLIENTS, headers=admin)
    assert listed.json()["items"] == []  # nothing registered


async def test_an_unknown_client_is_not_found(api: Api, admin: dict[str, str]) -> None:
    for method, path in (
        ("GET", ""),
        ("PATCH", ""),
        ("POST", "/secret"),
        ("POST", "/revoke"),
    ):
        found = await api.client.request(
            method,
            f"{CLIENTS}/{uuid4()}{path}",
            json={} if method == "PATCH" else None,
            headers=admin,
        )
        assert (found.status_code, found.json()["rule"]) == (404, "client-not-found"), (
            method,
            path,
        )
        assert "aucune application cliente" in found.json()["detail"]


async def test_a_client_applications_token_is_refused_everywhere_but_the_feed_in_its_words(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    made = (await api.client.post(CLIENTS, json=body(world), headers=admin)).json()
    token = api.headers(Role.INTEGRATION, made["client_id"], world.i("ase"))
    refused = 0
    failures = []
    for operation in operations(api):
        if Role.INTEGRATION in operation.admitted:  # the feed: its own tests
            continue
        path = PATH_PARAMETER.sub(lambda _: str(uuid4()), operation.route.path)
        answer = await send(api, {"method": operation.method, "url": path}, token)
        problem = answer.json() if answer.headers["content-type"].startswith(PROBLEM) else {}
        if (answer.status_code, problem.get("rule"), problem.get("detail")) != (
            403,
            "access-denied",
            FEED_ONLY,
        ):
            failures.append(f"{operation.name}: {answer.status_code} {answer.text[:200]}")
        refused += 1
    assert not failures, "\n".join(failures)
    assert refused > 70


async def test_a_client_application_never_signs_in_to_the_console(api: Api, world: World) -> None:
    api.services.settings.console_dev_sign_in = True
    async with httpx.AsyncClient(
        transport=api.client._transport,
        base_url="https://maillage",
        headers={"Accept-Language": "fr"},
    ) as browser:
        page = await browser.get("/console/sign-in")
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found is not None, page.text
        csrf = found.group(1)
        for who in ("admin/", f"{world.p('karim')}/{world.i('ase')}"):
            refused = await browser.post(
                "/console/sign-in/dev", data={"who": who, "role": "integration", "csrf": csrf}
            )
            assert refused.status_code == 422, refused.text
            assert "set-cookie" not in refused.headers
        allowed = await browser.post(
            "/console/sign-in/dev", data={"who": "admin/", "role": "admin", "csrf": csrf}
        )
        assert allowed.status_code == 303  # the control: the same form signs an admin in
