"""`POST /oauth/token` (RFC 6749 §4.4, client credentials): a standard OAuth client gets a token
for a registered client application; every refusal is a problem that also carries RFC 6749's
`error`, and never says whether the id or the secret was wrong."""

from __future__ import annotations

import base64
import dataclasses
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from api.http.auth import TokenVerifier
from api.http.deps import get_services
from api.integration.clients import ClientRegistry, Registered
from domain.access import Principal, ReadPurpose, Role
from tests.e2e.conftest import Api
from tests.world import World

TOKEN = "/oauth/token"
GRANT = {"grant_type": "client_credentials"}
PROBLEM = "application/problem+json"


@pytest.fixture
def world(api: Api) -> World:
    return World.build(api.maillage)


@pytest.fixture
def client(api: Api, world: World) -> Registered:
    return ClientRegistry(api.services.engine, api.clock).register(
        name="SI de l'ASE",
        institution_id=world.i("ase"),
        kinds=["Case.CaseOpened"],
        personal_data=False,
        purpose=ReadPurpose.COORDINATION,
        by=uuid4(),
    )


def basic(client_id: object, secret: str) -> dict[str, str]:
    pair = f"{client_id}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def posted(client: Registered, secret: str | None = None) -> dict[str, str]:
    return {
        **GRANT,
        "client_id": str(client.client_id),
        "client_secret": secret or client.secret,
    }


def the_principal(api: Api, token: str) -> Principal:
    return TokenVerifier(api.settings).verify(token, now=api.clock())


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_a_standard_oauth_client_gets_a_token(
    api: Api, world: World, client: Registered, method: str
) -> None:
    async with AsyncOAuth2Client(
        client_id=str(client.client_id),
        client_secret=client.secret,
        token_endpoint_auth_method=method,
        transport=api.client._transport,
        base_url="http://maillage",
    ) as oauth:
        token = await oauth.fetch_token(
            "http://maillage/oauth/token", grant_type="client_credentials"
        )
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 60 * api.settings.integration_token_ttl_minutes
    assert token["scope"] == "feed"
    assert the_principal(api, token["access_token"]) == Principal(
        client.client_id, Role.INTEGRATION, world.i("ase")
    )


async def test_the_token_answer_is_not_cached_and_names_the_client(
    api: Api, world: World, client: Registered
) -> None:
    answer = await api.client.post(
        TOKEN, data=GRANT, headers=basic(client.client_id, client.secret)
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert set(answer.json()) == {"access_token", "token_type", "expires_in", "scope"}
    # The token reads the feed and nothing else: a professional's route refuses it.
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    refused = await api.client.get("/institutions", headers=headers)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")


async def test_a_wrong_secret_and_an_unknown_client_are_refused_alike(
    api: Api, client: Registered
) -> None:
    answers = [
        await api.client.post(TOKEN, data=GRANT, headers=basic(client.client_id, "mcs_wrong")),
        await api.client.post(TOKEN, data=GRANT, headers=basic(uuid4(), client.secret)),
        await api.client.post(TOKEN, data=GRANT, headers=basic("not-an-id", client.secret)),
        await api.client.post(TOKEN, data=posted(client, "mcs_wrong")),
        await api.client.post(TOKEN, data=GRANT),  # no credentials at all
        await api.client.post(TOKEN, data=GRANT, headers={"Authorization": "Basic %%%"}),
    ]
    details = set()
    for answer in answers:
        assert answer.status_code == 401, answer.text
        assert answer.headers["content-type"].startswith(PROBLEM)
        assert answer.headers["www-authenticate"].startswith("Basic")
        problem = answer.json()
        assert (problem["rule"], problem["error"]) == ("invalid-client", "invalid_client")
        assert problem["error_description"].isascii()
        details.add((problem["detail"], problem["error_description"]))
    assert len(details) == 1  # never says which of the id or the secret was wrong


@pytest.mark.parametrize(
    ("send", "status", "error", "rule"),
    [
        (
            {"data": {"grant_type": "password"}},
            400,
            "unsupported_grant_type",
            "unsupported-grant-type",
        ),
        ({"data": {"grant_type": "authorization_code"}}, 400, "unsupported_grant_type", None),
        ({"data": {"client_id": "x"}}, 400, "invalid_request", "invalid-token-request"),
        ({"data": {"grant_type": ""}}, 400, "invalid_request", "invalid-token-request"),
        ({"json": GRANT}, 400, "invalid_request", "invalid-token-request"),
        (
            {"content": "grant_type=client_credentials&grant_type=client_credentials"},
            400,
            "invalid_request",
            None,
        ),
    ],
    ids=[
        "password-grant",
        "code-grant",
        "no-grant",
        "empty-grant",
        "json-body",
        "repeated-parameter",
    ],
)
async def test_a_bad_request_is_refused_as_rfc_6749_says(
    api: Api, client: Registered, send: dict[str, Any], status: int, error: str, rule: str | None
) -> None:
    options = dict(send)
    headers = basic(client.client_id, client.secret)
    if "content" in options:
        headers["content-type"] = "application/x-www-form-urlencoded"
    answer = await api.client.post(TOKEN, headers=headers, **options)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["error"] == error
    if rule is not None:
        assert answer.json()["rule"] == rule
    assert "access_token" not in answer.text


async def test_both_ways_of_authenticating_at_once_are_refused(
    api: Api, client: Registered
) -> None:
    answer = await api.client.post(
        TOKEN, data=posted(client), headers=basic(client.client_id, client.secret)
    )
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")


async def test_a_parameter_sent_without_a_value_is_as_if_omitted(
    api: Api, client: Registered
) -> None:
    """RFC 6749 §3.1: an empty `client_id=` beside HTTP Basic is no second way."""
    answer = await api.client.post(
        TOKEN,
        data={**GRANT, "client_id": "", "client_secret": ""},
        headers=basic(client.client_id, client.secret),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"].lower() == "bearer"


async def test_a_revoked_client_and_an_expired_grace_get_no_token(
    api: Api, client: Registered
) -> None:
    registry = ClientRegistry(api.services.engine, api.clock)
    rotated = registry.rotate(client.client_id, by=uuid4(), grace=timedelta(minutes=60))
    within = await api.client.post(TOKEN, data=posted(client))  # the old one, in its grace
    assert within.status_code == 200, within.text
    api.travel(api.clock() + timedelta(minutes=61))
    expired = await api.client.post(TOKEN, data=posted(client))
    assert (expired.status_code, expired.json()["error"]) == (401, "invalid_client")
    fresh = await api.client.post(TOKEN, data=posted(client, rotated.secret))
    assert fresh.status_code == 200, fresh.text
    registry.revoke(client.client_id, by=uuid4())
    revoked = await api.client.post(TOKEN, data=posted(client, rotated.secret))
    assert (revoked.status_code, revoked.json()["error"]) == (401, "invalid_client")


async def test_an_oauth_library_reads_the_refusal(api: Api, client: Registered) -> None:
    async with AsyncOAuth2Client(
        client_id=str(client.client_id),
        client_secret="mcs_wrong",
        transport=api.client._transport,
    ) as oauth:
        with pytest.raises(OAuthError) as refused:
            await oauth.fetch_token("http://maillage/oauth/token", grant_type="client_credentials")
    assert refused.value.error == "invalid_client"


async def test_with_an_identity_providers_keys_tokens_come_from_the_provider(
    api: Api, client: Registered
) -> None:
    services = api.services
    provider = services.settings.model_copy(update={"jwt_jwks_url": "https://idp.example/jwks"})
    api.app.dependency_overrides[get_services] = lambda: dataclasses.replace(
        services, settings=provider
    )
    try:
        answer = await api.client.post(TOKEN, data=posted(client))
    finally:
        api.app.dependency_overrides.clear()
    assert answer.status_code == 503, answer.text
    problem = answer.json()
    assert problem["rule"] == "client-tokens-from-identity-provider"
    assert "fournisseur d'identité" in problem["detail"]
    assert "role integration" in problem["error_description"]
    assert "access_token" not in answer.text


async def test_nothing_of_a_secret_is_logged(
    api: Api, client: Registered, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO"):
        await api.client.post(TOKEN, data=posted(client))
        await api.client.post(TOKEN, data=posted(client, "mcs_wrong"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(client.client_id) in logged
    assert client.secret not in logged
    assert "mcs_wrong" not in logged
