"""A client application's token that is no longer good for its client — the client revoked or
unknown, or the token issued before its `tokens_not_before` (a rotation without grace) — is
answered 401 `invalid_token` (RFC 6750 §3.1), a problem naming why, on the feed and on every
other route, and while a long poll waits: an OAuth library asks `POST /oauth/token` for a new
one on a 401. A valid token asking what its client may not have stays a 403. The token's `iat`
is carried by the principal (the service's HS256 tokens and an identity provider's alike), and
the registry of client applications is the services' one, on the store under test."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import api.http.feed_answer as feed_answer_module
from api.http.auth import TokenVerifier, mint_token
from api.http.deps import get_clients
from api.integration.clients import ClientRegistry, Registered
from api.settings import Settings
from domain.access import Role
from domain.integration import FEED_KINDS
from tests.e2e.conftest import Api
from tests.e2e.test_admission import WRONG, operations, request_for
from tests.e2e.test_tokens import DROP, bearer, claims, jwks_server, publish, rs256, serving
from tests.world import NOW, World

__all__ = ["jwks_server"]  # the identity provider's key set, a fixture of test_tokens

MAX_WAIT = 2  # seconds: the longest `wait` these tests' service takes
PROBLEM = "application/problem+json"
FEED_ONLY = "une application cliente lit le flux de son établissement, et rien d'autre"
REVOKED = "this client application has been revoked"
UNKNOWN = "this token names no registered client application"
CUT = (
    "this token was issued before the client application's secret was rotated without grace: "
    "ask POST /oauth/token for a new one"
)


@pytest.fixture
def store_settings(store_settings: Settings) -> Settings:
    return store_settings.model_copy(update={"feed_max_wait_seconds": MAX_WAIT})


def register(api: Api, institution: UUID) -> Registered:
    return api.register_client(institution, kinds=FEED_KINDS)


def client_headers(api: Api, client: Registered, institution: UUID) -> dict[str, str]:
    return api.headers(Role.INTEGRATION, client.client_id, institution)


def assert_invalid_token(response: httpx.Response, rule: str, english: str) -> None:
    """A 401 of RFC 6750 §3.1 in a problem document naming the rule, and why in English (ASCII,
    no quote) in the challenge."""
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert (problem["status"], problem["rule"]) == (401, rule)
    assert problem["type"] == f"urn:maillage:problem:{rule}"
    challenge = response.headers["www-authenticate"]
    prefix = 'Bearer error="invalid_token", error_description="'
    assert challenge.startswith(prefix), challenge
    assert challenge.endswith('"'), challenge
    description = challenge[len(prefix) : -1]
    assert description == english.replace('"', "'")
    assert description.isascii()
    assert '"' not in description


async def token_for(api: Api, client: Registered, secret: str | None = None) -> httpx.Response:
    return await api.client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": str(client.client_id),
            "client_secret": secret or client.secret,
        },
    )


async def test_a_token_no_longer_good_for_its_client_is_a_401_a_valid_one_refused_a_403(
    api: Api,
) -> None:
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    client = register(api, aemo)
    headers = client_headers(api, client, aemo)
    assert (await api.client.get("/feed", headers=headers)).status_code == 200

    # A valid token asking what its client may not have: 403, not a token to refresh.
    outside = await api.client.get("/institutions", headers=headers)
    assert (outside.status_code, outside.json()["rule"]) == (403, "access-denied")
    assert "www-authenticate" not in outside.headers
    other = await api.client.get("/feed", headers=client_headers(api, client, world.i("ase")))
    assert (other.status_code, other.json()["rule"]) == (403, "access-denied")

    # Cut by a rotation without grace: 401; the new secret's token (asked at once) is let in.
    rotated = api.services.clients.rotate(client.client_id, by=uuid4(), grace=timedelta(0))
    cut = await api.client.get("/feed", headers=headers)
    assert_invalid_token(cut, "client-token-cut-by-rotation", CUT)
    assert cut.json()["detail"].startswith("ce jeton a été émis avant")
    assert (await token_for(api, client)).status_code == 401  # the old secret: no new token
    answered = await token_for(api, client, rotated.secret)
    assert answered.status_code == 200, answered.text
    renewed = bearer(answered.json()["access_token"])
    assert (await api.client.get("/feed", headers=renewed)).status_code == 200

    # Revoked: its tokens, the one just issued included, are 401, and no new one is issued.
    api.services.clients.revoke(client.client_id, by=uuid4())
    revoked = await api.client.get("/feed", headers=renewed, params={"after": 0})
    assert_invalid_token(revoked, "client-token-revoked", REVOKED)
    assert revoked.json()["detail"] == "cette application cliente a été révoquée"
    assert (await token_for(api, client, rotated.secret)).json()["error"] == "invalid_client"

    # Unknown: a token naming no registered client, with the service's own signature.
    unknown = await api.client.get("/feed", headers=api.headers(Role.INTEGRATION, uuid4(), aemo))
    assert_invalid_token(unknown, "client-token-unknown-client", UNKNOWN)


async def test_every_route_refuses_a_valid_client_token_in_its_words_and_a_revoked_one_401(
    api: Api,
) -> None:
    """Webhook and client administration, cases, reports… A valid client token is refused as a
    client application (403), a revoked one as a token (401) before its role is judged."""
    aemo = uuid4()
    valid, revoked = register(api, aemo), register(api, aemo)
    api.services.clients.revoke(revoked.client_id, by=uuid4())
    failures: list[str] = []
    reached = 0
    for operation in operations(api):
        sent = request_for(operation, WRONG[1])  # ids as ids, no query, no body
        for client, expected in ((valid, 403), (revoked, 401)):
            response = await api.client.request(
                sent["method"], sent["url"], headers=client_headers(api, client, aemo)
            )
            problem: dict[str, Any] = response.json()
            if operation.route.path == "/feed" and client is valid:
                if response.status_code != 200:
                    failures.append(f"{operation.name}: {response.status_code}")
                continue
            reached += 1
            if expected == 403 and (response.status_code, problem["detail"]) != (403, FEED_ONLY):
                failures.append(f"{operation.name} (valid): {response.status_code} {problem}")
            if expected == 401 and (response.status_code, problem["rule"]) != (
                401,
                "client-token-revoked",
            ):
                failures.append(f"{operation.name} (revoked): {response.status_code} {problem}")
    assert not failures, "\n  ".join(failures)
    assert reached > 120
    hooks = await api.client.post(
        "/integration/webhooks",
        json={"client_id": str(valid.client_id), "url": "https://x.org/", "kinds": ["x"]},
        headers=client_headers(api, valid, aemo),
    )
    assert (hooks.status_code, hooks.json()["detail"]) == (403, FEED_ONLY)


async def feed_head(api: Api, headers: dict[str, str]) -> int:
    runner = api.services.projections
    assert runner.wait_for(runner.head(), timeout=10), "the read side lags behind"
    answered = await api.client.get("/feed", headers=headers)
    assert answered.status_code == 200, answered.text
    head: int = answered.json()["head"]
    return head


@pytest.mark.parametrize("then_an_event", [False, True], ids=["nothing-comes", "an-event-comes"])
async def test_a_client_revoked_while_its_long_poll_waits_gets_a_401_and_no_data(
    api: Api, then_an_event: bool
) -> None:
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    client = register(api, aemo)
    headers = client_headers(api, client, aemo)
    head = await feed_head(api, headers)
    waiting = asyncio.create_task(
        api.client.get("/feed", params={"after": head, "wait": MAX_WAIT}, headers=headers)
    )
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await asyncio.to_thread(api.services.clients.revoke, client.client_id, by=uuid4())
    if then_an_event:  # an event its institution may know arrives after the revocation
        await asyncio.to_thread(world.open_case, "jeanne")
    answered = await waiting
    assert_invalid_token(answered, "client-token-revoked", REVOKED)
    assert "items" not in answered.json()


async def test_a_client_revoked_while_its_page_is_read_gets_nothing_of_it(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revoked between the first reading of its scope and the page's rows: the scope is read
    again before anything is answered."""
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    world.open_case("jeanne")
    client = register(api, aemo)
    headers = client_headers(api, client, aemo)
    assert (await feed_head(api, headers)) > 0
    reading = feed_answer_module.feed_page

    def revoked_meanwhile(*args: Any, **options: Any) -> Any:
        api.services.clients.revoke(client.client_id, by=uuid4())
        return reading(*args, **options)

    monkeypatch.setattr(feed_answer_module, "feed_page", revoked_meanwhile)
    answered = await api.client.get("/feed", headers=headers)
    assert_invalid_token(answered, "client-token-revoked", REVOKED)
    assert "items" not in answered.json()


def test_the_principal_carries_the_tokens_issue_instant(api: Api) -> None:
    """Once verified, and again from the verifier's memory of a token seen before."""
    verifier = TokenVerifier(api.settings)
    issued = NOW - timedelta(minutes=3)
    token = mint_token(
        api.settings, subject=uuid4(), role=Role.INTEGRATION, institution_id=uuid4(), now=issued
    )
    for _ in range(2):
        principal = verifier.verify(token, now=NOW)
        assert principal.issued_at == issued.replace(microsecond=0)


async def test_an_identity_providers_client_token_is_judged_by_its_iat(
    api: Api, jwks_server: dict[str, Any]
) -> None:
    """With an identity provider's keys (JWKS) the service mints no client token; the
    provider's tokens carry `iat` too, and a rotation without grace cuts those issued before."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings = api.settings.model_copy(
        update={"jwt_jwks_url": publish(jwks_server, key, "k1"), "jwt_algorithms": ["RS256"]}
    )
    aemo = uuid4()
    client = register(api, aemo)
    registry = ClientRegistry(api.services.engine, lambda: NOW)
    registry.rotate(client.client_id, by=uuid4(), grace=timedelta(0))
    cutoff = registry.scope(client.client_id).tokens_not_before  # type: ignore[union-attr]
    assert cutoff is not None

    def token(**changed: Any) -> dict[str, str]:
        given = claims(
            settings, sub=str(client.client_id), role="integration", inst=str(aemo), **changed
        )
        return bearer(rs256(given, key, kid="k1"))

    before = int(cutoff.timestamp()) - 30
    async with serving(settings) as served:
        cut = await served.get("/feed", headers=token(iat=before, exp=before + 600))
        after = int(cutoff.timestamp())
        good = await served.get("/feed", headers=token(iat=after, exp=after + 600))
        no_iat = await served.get("/feed", headers=token(iat=DROP))
    assert_invalid_token(cut, "client-token-cut-by-rotation", CUT)
    assert good.status_code == 200, good.text
    assert (no_iat.status_code, no_iat.json()["rule"]) == (401, "unauthenticated")
    assert "« iat »" in no_iat.json()["detail"]


async def test_the_registry_is_built_once_with_the_services_clock(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token route, the feed, the guard and the administrators' routes use the services'
    registry: no request builds one, and it reads the service's one clock."""
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    client = register(api, aemo)
    built: list[ClientRegistry] = []
    original = ClientRegistry.__init__

    def counted(self: ClientRegistry, *args: Any, **options: Any) -> None:
        built.append(self)
        original(self, *args, **options)

    monkeypatch.setattr(ClientRegistry, "__init__", counted)
    answered = await token_for(api, client)
    assert answered.status_code == 200, answered.text
    feed = await api.client.get("/feed", headers=bearer(answered.json()["access_token"]))
    assert feed.status_code == 200, feed.text
    listed = await api.client.get("/integration/clients", headers=api.headers(Role.ADMIN))
    assert listed.status_code == 200, listed.text
    assert built == []
    assert await get_clients(api.services) is api.services.clients
    api.travel(NOW + timedelta(hours=2))
    assert api.services.clients.clock() == NOW + timedelta(hours=2)
