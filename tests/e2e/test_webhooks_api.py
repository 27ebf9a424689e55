"""Webhook subscriptions over HTTP (issue 19): kept by administrators only; bad input refused
with a problem naming the field (a target out of reach among them: server-side request
forgery); deliveries and their attempts visible, a dead one sent again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.http.routers.webhooks import get_resolver
from api.integration.webhooks.outbox import Outcome, claim, derive, settle
from api.integration.webhooks.targets import Resolver
from tests.e2e.conftest import Api
from tests.webhook_receivers import FakeDNS
from tests.world import World

HOOKS = "/integration/webhooks"
LEASE = timedelta(minutes=1)
DNS = FakeDNS({"intranet.example.org": ["10.1.2.3"]})  # and hooks.example.org, public


@pytest.fixture
def hooks_api(api: Api) -> Api:
    """The app resolving the tests' host names (and no other)."""

    async def resolver() -> Resolver:
        return DNS

    api.app.dependency_overrides[get_resolver] = resolver
    return api


def _client(api: Api, institution: UUID, kinds: list[str]) -> UUID:
    return api.register_client(institution, kinds).client_id


def _admin(api: Api) -> dict[str, str]:
    return api.headers("admin")


async def _create(api: Api, **body: Any) -> Any:
    return await api.client.post(HOOKS, json=body, headers=_admin(api))


async def test_an_administrator_keeps_a_subscription_and_its_secret_is_shown_once(
    hooks_api: Api,
) -> None:
    api = hooks_api
    client = _client(api, uuid4(), ["Case.CaseOpened", "Case.ReferralMade"])
    url = "https://hooks.example.org/maillage"
    created = await _create(api, client_id=str(client), url=url, kinds=["Case.CaseOpened"])
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_")
    assert created.headers["Location"] == f"{HOOKS}/{hook['id']}"
    assert (hook["client_id"], hook["url"], hook["kinds"]) == (
        str(client),
        url,
        ["Case.CaseOpened"],
    )
    assert (hook["active"], hook["secret_version"]) == (True, 1)

    read = (await api.client.get(f"{HOOKS}/{hook['id']}", headers=_admin(api))).json()
    assert "secret" not in read
    assert read["id"] == hook["id"]
    listed = await api.client.get(HOOKS, params={"client_id": str(client)}, headers=_admin(api))
    assert [h["id"] for h in listed.json()["items"]] == [hook["id"]]

    changed = await api.client.patch(
        f"{HOOKS}/{hook['id']}",
        json={"kinds": ["Case.CaseOpened", "Case.ReferralMade"], "active": False},
        headers=_admin(api),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["kinds"], changed.json()["active"]) == (
        ["Case.CaseOpened", "Case.ReferralMade"],
        False,
    )

    rotated = await api.client.post(f"{HOOKS}/{hook['id']}/secret", headers=_admin(api))
    assert rotated.status_code == 200
    assert rotated.json()["secret_version"] == 2
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != hook["secret"]

    removed = await api.client.delete(f"{HOOKS}/{hook['id']}", headers=_admin(api))
    assert removed.status_code == 200
    assert removed.json()["removed_at"] is not None
    assert (await api.client.get(HOOKS, headers=_admin(api))).json()["items"] == []
    gone = await api.client.get(HOOKS, params={"removed": "true"}, headers=_admin(api))
    assert [h["id"] for h in gone.json()["items"]] == [hook["id"]]
    again = await api.client.patch(
        f"{HOOKS}/{hook['id']}", json={"active": True}, headers=_admin(api)
    )
    assert again.status_code == 422
    missing = await api.client.get(f"{HOOKS}/{uuid4()}", headers=_admin(api))
    assert (missing.status_code, missing.json()["rule"]) == (404, "webhook-not-found")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1:8443/in", "127.0.0.1"),  # loopback, without the setting
        ("https://intranet.example.org/in", "10.1.2.3"),  # a host resolving to a private one
        ("https://169.254.169.254/latest", "169.254.169.254"),
        ("https://nowhere.example.org/in", "does not resolve"),
        ("https://user:pw@hooks.example.org/in", "user name"),
        ("ftp://hooks.example.org/in", "address only"),
        ("https://hooks.example.org/in\n", "control character"),  # urlsplit would drop it
        ("https://hooks.example.org/i\tn", "control character"),
        ("https://xn--/in", "not a web address"),
        ("https://hooks.example.org:0/in", "not a web address"),
    ],
)
async def test_a_target_out_of_reach_is_refused_naming_the_url(
    hooks_api: Api, url: str, reason: str
) -> None:
    client = _client(hooks_api, uuid4(), ["Case.CaseOpened"])
    refused = await _create(hooks_api, client_id=str(client), url=url, kinds=["Case.CaseOpened"])
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert (problem["rule"], problem["field"]) == ("webhook-target-refused", "url")
    english = await hooks_api.client.post(
        HOOKS,
        json={"client_id": str(client), "url": url, "kinds": ["Case.CaseOpened"]},
        headers={**_admin(hooks_api), "Accept-Language": "en"},
    )
    assert reason in english.json()["detail"]


async def test_http_is_a_target_in_the_embedded_mode_only(hooks_api: Api) -> None:
    client = _client(hooks_api, uuid4(), ["Case.CaseOpened"])
    answer = await _create(
        hooks_api,
        client_id=str(client),
        url="http://hooks.example.org/in",
        kinds=["Case.CaseOpened"],
    )
    if hooks_api.settings.is_embedded:
        assert answer.status_code == 201, answer.text
    else:
        assert (answer.status_code, answer.json()["field"]) == (422, "url")
        assert "https://" in answer.json()["detail"]


async def test_bad_input_is_refused_naming_the_field(hooks_api: Api) -> None:
    api = hooks_api
    client = str(_client(api, uuid4(), ["Case.CaseOpened"]))
    valid = {"url": "https://hooks.example.org/in", "kinds": ["Case.CaseOpened"]}
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {**valid, "client_id": client, "kinds": ["Case.Nothing"]},
            "invalid-value",
            "kinds",
        ),
        (
            {**valid, "client_id": client, "kinds": ["Case.ReferralMade"]},
            "invalid-value",
            "kinds",
        ),  # not among the client's kinds
        ({**valid, "client_id": client, "kinds": []}, "invalid-request", "body.kinds"),
        ({"client_id": client, "kinds": ["Case.CaseOpened"]}, "invalid-request", "body.url"),
        ({**valid, "client_id": "not-an-id"}, "invalid-request", "body.client_id"),
        ({**valid, "client_id": client, "secret": "x"}, "invalid-request", "body.secret"),
    ]
    for body, rule, field in cases:
        answer = await api.client.post(HOOKS, json=body, headers=_admin(api))
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        fields = {problem.get("field")} | {e["field"] for e in problem.get("errors", [])}
        assert (problem["rule"], field in fields) == (rule, True), (body, problem)
    bad_status = await api.client.get(
        f"{HOOKS}/{uuid4()}/deliveries", params={"status": "lost"}, headers=_admin(api)
    )
    assert (bad_status.status_code, bad_status.json()["errors"][0]["field"]) == (
        422,
        "query.status",
    )


@pytest.mark.parametrize("role", ["case_worker", "supervisor", "funder", "dpo", "integration"])
async def test_only_administrators_keep_webhooks(hooks_api: Api, role: str) -> None:
    institution = uuid4()
    client = _client(hooks_api, institution, ["Case.CaseOpened"])
    # A client application's token is its own client's (valid: refused as a client, 403).
    subject = client if role == "integration" else uuid4()
    headers = hooks_api.headers(role, subject, institution)
    body = {"client_id": str(client), "url": "https://hooks.example.org/in", "kinds": ["Case.X"]}
    for method, path, json in (
        ("POST", HOOKS, body),
        ("GET", HOOKS, None),
        ("POST", f"{HOOKS}/deliveries/msg_{uuid4().hex}/redeliver", None),
    ):
        answer = await hooks_api.client.request(method, path, json=json, headers=headers)
        assert (answer.status_code, answer.json()["rule"]) == (403, "access-denied"), role
        if role == "integration":  # in its own words
            assert answer.json()["detail"] == (
                "une application cliente lit le flux de son établissement, et rien d'autre"
            )


async def test_deliveries_show_their_attempts_and_a_dead_one_is_sent_again(
    hooks_api: Api,
) -> None:
    api = hooks_api
    world = World.build(api.maillage)
    client = _client(api, world.i("aemo"), ["Case.CaseOpened"])
    created = await _create(
        api, client_id=str(client), url="https://hooks.example.org/in", kinds=["Case.CaseOpened"]
    )
    hook = created.json()["id"]
    world.open_case()
    runner = api.services.projections
    assert runner.wait_for(runner.head(), timeout=10)
    engine, now = api.services.engine, api.clock()
    assert derive(engine, now) == 1
    (claimed,) = claim(engine, now, lease=LEASE, limit=10)
    failed = Outcome(500, "HTTP 500")
    assert settle(engine, claimed, failed, now, max_attempts=1, wait=lambda _: LEASE) == "dead"

    dead = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"status": "dead"}, headers=_admin(api)
    )
    (item,) = dead.json()["items"]
    assert item["id"] == claimed.delivery_id
    assert item["kind"] == "Case.CaseOpened"
    assert (item["attempts"], item["last_status_code"], item["last_error"]) == (1, 500, "HTTP 500")
    assert item["next_attempt_at"] is None
    pending = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"status": "pending"}, headers=_admin(api)
    )
    assert pending.json()["items"] == []

    sent_again = await api.client.post(
        f"{HOOKS}/deliveries/{claimed.delivery_id}/redeliver", headers=_admin(api)
    )
    assert sent_again.status_code == 200, sent_again.text
    assert (sent_again.json()["status"], sent_again.json()["attempts"]) == ("pending", 0)
    pending = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"status": "pending"}, headers=_admin(api)
    )
    assert [d["id"] for d in pending.json()["items"]] == [claimed.delivery_id]
    unknown = await api.client.post(
        f"{HOOKS}/deliveries/msg_{uuid4().hex}/redeliver", headers=_admin(api)
    )
    assert (unknown.status_code, unknown.json()["rule"]) == (404, "webhook-not-found")

    # removed with that delivery queued: dead at once, saying why, and not sent again
    removed = await api.client.delete(f"{HOOKS}/{hook}", headers=_admin(api))
    assert removed.status_code == 200, removed.text
    dead = await api.client.get(
        f"{HOOKS}/{hook}/deliveries", params={"status": "dead"}, headers=_admin(api)
    )
    (item,) = dead.json()["items"]
    assert (item["id"], item["last_error"]) == (
        claimed.delivery_id,
        "not sent: the subscription has been removed",
    )
    again = await api.client.post(
        f"{HOOKS}/deliveries/{claimed.delivery_id}/redeliver", headers=_admin(api)
    )
    assert (again.status_code, again.json()["field"]) == (422, "delivery_id")
