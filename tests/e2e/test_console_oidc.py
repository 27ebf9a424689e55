"""The console's sign-in with an OpenID Connect provider (`api.http.console.oidc`), against a
small provider the tests serve on loopback (`tests.identity_provider`): the app reaches its
discovery document, key set and token endpoint over real HTTP; the browser is an httpx client
on the ASGI app (https: the cookies are Secure) that follows the redirects by hand.

A sign-in that checks out opens a session; one that does not (another state, no pending
cookie, too late, another nonce, a signature or an audience that does not check out, no role
Maillage knows, an error of the provider) shows the sign-in page with the reason, and nothing
is signed in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import httpx
import pytest
from joserfc.jwk import RSAKey
from pydantic import SecretStr

from api.http.console import oidc_provider
from api.http.console.oidc import PENDING_COOKIE
from api.http.console.session import SESSION_COOKIE
from api.settings import Settings
from tests.e2e.conftest import Api
from tests.identity_provider import CLIENT_ID, CLIENT_SECRET, IdentityProvider, serving_provider
from tests.world import NOW

ADMIN = {"sub": str(uuid4()), "role": "admin", "name": "Alice Martin"}


@pytest.fixture(scope="module")
def served_provider() -> Iterator[IdentityProvider]:
    with serving_provider() as provider:
        yield provider


@pytest.fixture
def idp(served_provider: IdentityProvider) -> IdentityProvider:
    oidc_provider._documents.clear()  # each test reads the provider afresh
    oidc_provider._key_sets.clear()
    served_provider.reset()
    served_provider.client_secret = CLIENT_SECRET
    served_provider.now = lambda: NOW
    return served_provider


@pytest.fixture
def store_settings(store_settings: Settings, idp: IdentityProvider) -> Settings:
    """The store under test, the console signing in with the test's provider."""
    return store_settings.model_copy(
        update={
            "oidc_issuer": idp.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": SecretStr(CLIENT_SECRET),
            "oidc_redirect_url": "https://maillage/console/sign-in/oidc/callback",
            "console_dev_sign_in": False,
        }
    )


@pytest.fixture
async def browser(api: Api, idp: IdentityProvider) -> AsyncIterator[httpx.AsyncClient]:
    idp.now = api.clock  # the provider's instants are the app's
    async with httpx.AsyncClient(
        transport=api.client._transport,
        base_url="https://maillage",  # the console's cookies are Secure
        headers={"Accept-Language": "fr"},
    ) as client:
        yield client


async def to_provider(browser: httpx.AsyncClient, next: str | None = None) -> str:
    """Start a sign-in; the provider's answer (the callback's path and query)."""
    start = await browser.get("/console/sign-in/oidc", params={"next": next} if next else None)
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as outside:
        answer = await outside.get(start.headers["location"])
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}" == "https://maillage"
    return f"{back.path}?{back.query}"


async def sign_in(browser: httpx.AsyncClient, next: str | None = None) -> httpx.Response:
    return await browser.get(await to_provider(browser, next))


def ours(caplog: pytest.LogCaptureFixture) -> str:
    """What the app logged (not the test's own HTTP client)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("maillage"))


async def signed_out(browser: httpx.AsyncClient) -> bool:
    home = await browser.get("/console/home")
    return home.status_code == 303 and home.headers["location"].startswith("/console/sign-in")


@pytest.mark.parametrize("secret", [CLIENT_SECRET, None], ids=["confidential", "public"])
async def test_a_sign_in_with_the_provider_opens_a_session(
    api: Api, idp: IdentityProvider, browser: httpx.AsyncClient, secret: str | None
) -> None:
    idp.client_secret = secret
    if secret is None:
        api.services.settings.oidc_client_secret = None
    idp.claims = ADMIN
    callback = await to_provider(browser, next="/console/home")

    asked = idp.authorizations[-1]
    assert asked["response_type"] == "code"
    assert asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == "https://maillage/console/sign-in/oidc/callback"
    assert asked["scope"] == "openid profile"
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["code_challenge"]) == 43  # base64url of a SHA-256, unpadded
    assert len(asked["state"]) >= 32
    assert len(asked["nonce"]) >= 32
    pending = [c for c in browser.cookies.jar if c.name == PENDING_COOKIE]
    assert [(c.path, c.secure) for c in pending] == [("/console/sign-in/oidc", True)]

    back = await browser.get(callback)
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/console/home"
    assert any(c.name == SESSION_COOKIE for c in browser.cookies.jar)
    assert not [c for c in browser.cookies.jar if c.name == PENDING_COOKIE]  # spent
    sent = idp.token_requests[-1]
    assert "code_verifier" in sent  # and the provider checked it against the challenge
    assert ("client_secret" in sent) is False  # the secret, if any, by HTTP Basic only

    home = await browser.get("/console/home")
    assert home.status_code == 200
    assert "Alice Martin" in home.text


async def test_a_forged_state_is_refused_and_signs_no_one_in(
    idp: IdentityProvider, browser: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="maillage.console")
    idp.claims = ADMIN
    callback = urlsplit(await to_provider(browser))
    query = parse_qs(callback.query)
    forged = await browser.get(
        callback.path, params={"code": query["code"][0], "state": "another-state"}
    )
    assert forged.status_code == 400
    assert "ne correspond pas à votre connexion" in forged.text
    assert idp.token_requests == []  # the code was never exchanged
    assert await signed_out(browser)
    assert "state missing or not the pending sign-in's" in ours(caplog)
    assert query["code"][0] not in ours(caplog)


async def test_a_callback_without_its_sign_in_is_refused(
    idp: IdentityProvider, browser: httpx.AsyncClient
) -> None:
    idp.claims = ADMIN
    callback = await to_provider(browser)
    browser.cookies.clear()  # another browser, or the cookie's ten minutes are over
    refused = await browser.get(callback)
    assert refused.status_code == 400
    assert "plus de dix minutes" in refused.text
    assert await signed_out(browser)


async def test_a_sign_in_answered_too_late_is_refused(
    api: Api, idp: IdentityProvider, browser: httpx.AsyncClient
) -> None:
    idp.claims = ADMIN
    callback = await to_provider(browser)
    api.travel(NOW + timedelta(minutes=11))
    refused = await browser.get(callback)
    assert refused.status_code == 400
    assert "plus de dix minutes" in refused.text
    assert await signed_out(browser)


@pytest.mark.parametrize(
    ("tamper", "logged"),
    [
        ({"claims": {"nonce": "another-nonce"}}, "Invalid claim: 'nonce'"),
        ({"claims": {"aud": "another-client"}}, "Invalid claim: 'aud'"),
        ({"claims": {"iss": "https://another-provider.example"}}, "Invalid claim: 'iss'"),
        ({"claims": {"exp": int(NOW.timestamp()) - 60}}, "expired"),
        ({"claims": {"iat": int(NOW.timestamp()) + 3600}}, "issued in the future"),
        ({"key": RSAKey.generate_key(2048, parameters={"kid": "k1"})}, "bad_signature"),
        ({"key": RSAKey.generate_key(2048, parameters={"kid": "k9"})}, "does not publish"),
    ],
    ids=["nonce", "audience", "issuer", "expired", "issued-later", "signature", "unknown-key"],
)
async def test_an_id_token_that_does_not_check_out_is_refused(
    idp: IdentityProvider,
    browser: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    tamper: dict[str, Any],
    logged: str,
) -> None:
    caplog.set_level(logging.INFO, logger="maillage.console")
    idp.claims, idp.tamper = ADMIN, tamper
    refused = await sign_in(browser)
    assert refused.status_code == 400, refused.text
    assert "ne se vérifie pas" in refused.text
    assert await signed_out(browser)
    assert "console oidc sign-in refused: ID token" in ours(caplog)
    assert logged in ours(caplog)
    assert "eyJ" not in ours(caplog)  # no token in the log


@pytest.mark.parametrize(
    ("claims", "said"),  # said to the person, in French
    [
        ({"sub": str(uuid4()), "name": "Sans Rôle"}, "aucun rôle connu de Maillage"),
        ({"sub": str(uuid4()), "role": "nurse", "name": "X"}, "aucun rôle connu de Maillage"),
        ({"sub": "not-an-id", "role": "admin", "name": "X"}, "doivent être des identifiants"),
        ({"sub": str(uuid4()), "role": "supervisor", "name": "X"}, "inst"),
        (
            {"sub": str(uuid4()), "role": "integration", "inst": str(uuid4()), "name": "SI"},
            "une application cliente ne se connecte pas à la console",
        ),
    ],
    ids=["no-role", "unknown-role", "subject-not-an-id", "no-institution", "client-application"],
)
async def test_claims_that_name_no_principal_are_refused_with_the_reason(
    idp: IdentityProvider, browser: httpx.AsyncClient, claims: dict[str, Any], said: str
) -> None:
    idp.claims = claims
    refused = await sign_in(browser)
    assert refused.status_code == 400, refused.text
    assert said in refused.text
    assert await signed_out(browser)


async def test_the_configured_claim_names_are_read(
    api: Api, idp: IdentityProvider, browser: httpx.AsyncClient
) -> None:
    settings = api.services.settings
    settings.oidc_claim_subject, settings.oidc_claim_role = "maillage_id", "maillage_role"
    settings.oidc_claim_institution, settings.oidc_claim_name = "maillage_inst", "display"
    institution = uuid4()
    idp.claims = {
        "sub": "jdupont@aemo.example",
        "maillage_id": str(uuid4()),
        "maillage_role": "supervisor",
        "maillage_inst": str(institution),
        "display": "Jeanne Dupont",
    }
    back = await sign_in(browser)
    assert (back.status_code, back.headers["location"]) == (303, "/console/dashboard")
    home = await browser.get("/console/home")
    assert "Jeanne Dupont" in home.text


async def _started(browser: httpx.AsyncClient) -> str:
    """Start a sign-in; the state the app sent the provider."""
    start = await browser.get("/console/sign-in/oidc")
    assert start.status_code == 303, start.text
    return parse_qs(urlsplit(start.headers["location"]).query)["state"][0]


@pytest.mark.parametrize(
    ("error", "said"),
    [("access_denied", "(accès refusé)"), ("login_required", "(login_required)")],
)
async def test_an_error_of_the_provider_is_said(
    browser: httpx.AsyncClient, error: str, said: str
) -> None:
    """Its state checked, a standard error code is said (access_denied in words)."""
    state = await _started(browser)
    page = await browser.get(
        "/console/sign-in/oidc/callback", params={"error": error, "state": state}
    )
    assert page.status_code == 400
    assert f"ne vous a pas connecté {said}" in page.text
    assert await signed_out(browser)


@pytest.mark.parametrize(
    "error",
    [
        "Your account is locked: call +33 1 23 45 67 89 at https://evil.example",
        "<b>urgent</b>",
        "access_denied ",
    ],
)
async def test_any_other_text_of_the_provider_is_never_shown(
    browser: httpx.AsyncClient, error: str
) -> None:
    state = await _started(browser)
    page = await browser.get(
        "/console/sign-in/oidc/callback",
        params={"error": error, "error_description": "call us", "state": state},
    )
    assert page.status_code == 400
    assert "ne vous a pas connecté : reconnectez-vous, ou adressez-vous" in page.text
    for shown in ("evil.example", "+33", "urgent", "access_denied", "call us"):
        assert shown not in page.text
    assert await signed_out(browser)


@pytest.mark.parametrize("state", [None, "x"], ids=["no state", "another state"])
async def test_the_state_is_checked_before_the_providers_error(
    browser: httpx.AsyncClient, state: str | None
) -> None:
    """An answer not of this sign-in (a link someone else crafted) says nothing of its error."""
    await _started(browser)
    params = {"error": "access_denied", **({"state": state} if state else {})}
    page = await browser.get("/console/sign-in/oidc/callback", params=params)
    assert page.status_code == 400
    assert "ne correspond pas à votre connexion" in page.text
    assert "accès refusé" not in page.text
    assert await signed_out(browser)


async def test_a_providers_error_without_a_pending_sign_in_is_not_said(
    browser: httpx.AsyncClient,
) -> None:
    page = await browser.get(
        "/console/sign-in/oidc/callback", params={"error": "access_denied", "state": "x"}
    )
    assert page.status_code == 400
    assert "accès refusé" not in page.text
    assert "il y a plus de dix minutes" in page.text


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example/console", "/\\evil"])
async def test_a_next_page_elsewhere_is_ignored(
    idp: IdentityProvider, browser: httpx.AsyncClient, target: str
) -> None:
    idp.claims = ADMIN
    back = await sign_in(browser, next=target)
    assert (back.status_code, back.headers["location"]) == (303, "/console/home")


async def test_the_sign_in_page_offers_the_provider(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/console/sign-in", params={"next": "/console/home"})
    assert 'href="/console/sign-in/oidc?next=/console/home"' in page.text


async def test_an_unreachable_provider_is_said(api: Api, browser: httpx.AsyncClient) -> None:
    api.services.settings.oidc_issuer = "http://127.0.0.1:9"  # nothing listens there
    page = await browser.get("/console/sign-in/oidc")
    assert page.status_code == 502
    assert "injoignable" in page.text
    assert not [c for c in browser.cookies.jar if c.name == PENDING_COOKIE]


async def test_a_provider_naming_another_issuer_is_not_followed(
    idp: IdentityProvider, browser: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="maillage.console")
    idp.tamper = {"issuer": "https://another-provider.example"}
    page = await browser.get("/console/sign-in/oidc")
    assert page.status_code == 502
    assert idp.authorizations == []
    assert "discovery document names issuer" in ours(caplog)


async def test_a_key_the_provider_added_since_is_read(
    idp: IdentityProvider, browser: httpx.AsyncClient
) -> None:
    idp.claims = ADMIN
    assert (await sign_in(browser)).status_code == 303  # its key set is now kept
    browser.cookies.clear()
    original = idp.key
    idp.key = RSAKey.generate_key(2048, parameters={"kid": "k2"})  # the provider rotates
    try:
        again = await sign_in(browser)
    finally:
        idp.key = original
    assert again.status_code == 303, again.text
    assert (await browser.get("/console/home")).status_code == 200


async def test_the_configured_callback_is_sent_whatever_the_host_header(
    idp: IdentityProvider, browser: httpx.AsyncClient
) -> None:
    start = await browser.get("/console/sign-in/oidc", headers={"Host": "evil.example"})
    assert start.status_code == 303, start.text
    sent = parse_qs(urlsplit(start.headers["location"]).query)["redirect_uri"]
    assert sent == ["https://maillage/console/sign-in/oidc/callback"]


async def test_the_embedded_mode_builds_the_callback_from_the_request(
    api: Api, browser: httpx.AsyncClient
) -> None:
    if not api.settings.is_embedded:
        api.services.settings.oidc_redirect_url = None  # refused at start there: see below
        assert api.services.settings.console_insecurity(embedded=False) is not None
        return
    api.services.settings.oidc_redirect_url = None
    start = await browser.get("/console/sign-in/oidc")
    sent = parse_qs(urlsplit(start.headers["location"]).query)["redirect_uri"]
    assert sent == ["https://maillage/console/sign-in/oidc/callback"]
