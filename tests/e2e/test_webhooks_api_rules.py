"""Webhook subscriptions over HTTP, the rules an administrator expects: a secret is never kept
by a cache; a revoked client's subscriptions are shown undeliverable and changed no more (409
`client-revoked`, as the client itself), an unknown client's refused (404); removing twice is
removing once; the deliveries' `kind` filter names a kind the log records, or 422."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from api.integration.clients import ClientRegistry
from tests.e2e.conftest import Api
from tests.e2e.test_webhooks_api import HOOKS, _admin, _client, _create, hooks_api

__all__ = ["hooks_api"]  # the fixture, shared
KINDS = ["Case.CaseOpened"]
URL = "https://hooks.example.org/in?api_key=TOPSECRETKEY"


async def _hook(api: Api, kinds: list[str] = KINDS) -> tuple[str, str]:
    client = str(_client(api, uuid4(), ["Case.CaseOpened", "Case.ReferralMade"]))
    created = await _create(api, client_id=client, url=URL, kinds=kinds)
    assert created.status_code == 201, created.text
    return client, created.json()["id"]


async def test_no_answer_carrying_a_secret_is_kept_by_a_cache(hooks_api: Api) -> None:
    api = hooks_api
    client = str(_client(api, uuid4(), KINDS))
    key = {"Idempotency-Key": f"create-{uuid4()}"}
    for _ in range(2):  # the first answer, then its replay
        created = await api.client.post(
            HOOKS,
            json={"client_id": client, "url": URL, "kinds": KINDS},
            headers={**_admin(api), **key},
        )
        assert created.status_code == 201, created.text
        assert created.headers["Cache-Control"] == "no-store"
    hook = created.json()["id"]
    rotated = await api.client.post(f"{HOOKS}/{hook}/secret", headers=_admin(api))
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "", {"active": True}),
        ("PATCH", "", {"active": False}),
        ("PATCH", "", {"kinds": ["Case.ReferralMade"]}),
        ("PATCH", "", {"url": "https://hooks.example.org/other"}),
        ("POST", "/secret", None),
    ],
)
async def test_a_revoked_clients_subscription_is_changed_no_more(
    hooks_api: Api, method: str, path: str, body: dict[str, Any] | None
) -> None:
    api = hooks_api
    client, hook = await _hook(api)
    ClientRegistry(api.services.engine).revoke(UUID(client), by=uuid4())
    answer = await api.client.request(
        method, f"{HOOKS}/{hook}{path}", json=body, headers=_admin(api)
    )
    assert (answer.status_code, answer.json()["rule"], answer.json()["field"]) == (
        409,
        "client-revoked",
        "client_id",
    ), answer.text
    read = (await api.client.get(f"{HOOKS}/{hook}", headers=_admin(api))).json()
    assert (read["secret_version"], read["kinds"], read["url"]) == (1, KINDS, URL)  # unchanged


async def test_a_revoked_clients_subscription_is_shown_undeliverable_and_may_be_removed(
    hooks_api: Api,
) -> None:
    api = hooks_api
    client, hook = await _hook(api)
    _, live = await _hook(api)
    ClientRegistry(api.services.engine).revoke(UUID(client), by=uuid4())
    read = (await api.client.get(f"{HOOKS}/{hook}", headers=_admin(api))).json()
    assert (read["active"], read["state"]) == (False, "client_revoked")
    listed = (await api.client.get(HOOKS, headers=_admin(api))).json()["items"]
    assert {h["id"]: (h["active"], h["state"]) for h in listed} == {
        hook: (False, "client_revoked"),
        live: (True, "active"),
    }
    active = (await api.client.get(HOOKS, params={"active": "true"}, headers=_admin(api))).json()
    assert [h["id"] for h in active["items"]] == [live]
    inactive = await api.client.get(HOOKS, params={"active": "false"}, headers=_admin(api))
    assert [h["id"] for h in inactive.json()["items"]] == [hook]
    # no new one for it; none for a client nobody registered
    again = await _create(api, client_id=client, url=URL, kinds=KINDS)
    assert (again.status_code, again.json()["rule"]) == (409, "client-revoked"), again.text
    unknown = await _create(api, client_id=str(uuid4()), url=URL, kinds=KINDS)
    assert (unknown.status_code, unknown.json()["rule"], unknown.json()["field"]) == (
        404,
        "client-not-found",
        "client_id",
    ), unknown.text
    removed = await api.client.delete(f"{HOOKS}/{hook}", headers=_admin(api))
    assert (removed.status_code, removed.json()["state"]) == (200, "removed"), removed.text


async def test_removing_twice_is_removing_once(hooks_api: Api) -> None:
    api = hooks_api
    _, hook = await _hook(api)
    first = await api.client.delete(f"{HOOKS}/{hook}", headers=_admin(api))
    second = await api.client.delete(f"{HOOKS}/{hook}", headers=_admin(api))
    assert (first.status_code, second.status_code) == (200, 200), second.text
    assert second.json() == first.json()  # the same removal, not a new one
    assert (second.json()["active"], second.json()["state"]) == (False, "removed")
    missing = await api.client.delete(f"{HOOKS}/{uuid4()}", headers=_admin(api))
    assert (missing.status_code, missing.json()["rule"]) == (404, "webhook-not-found")


async def test_the_deliveries_kind_filter_names_a_kind_the_log_records(hooks_api: Api) -> None:
    api = hooks_api
    _, hook = await _hook(api)
    bogus = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"kind": "Bogus"}, headers=_admin(api)
    )
    assert (bogus.status_code, bogus.json()["field"]) == (422, "kind"), bogus.text
    assert "Bogus" in bogus.json()["detail"]
    known = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"kind": "Case.ReferralMade"}, headers=_admin(api)
    )
    assert (known.status_code, known.json()["items"]) == (200, [])
