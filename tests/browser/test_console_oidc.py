"""The console's sign-in with an OpenID Connect provider, in a browser: the button of the
sign-in page, the provider (`tests.identity_provider`, on loopback, signing in at once), back
on the page asked for; a refusal said on the sign-in page. Its own service (empty store, the
provider configured, no development sign-in): the shared one knows no provider."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from playwright.sync_api import Browser, Page
from pydantic import SecretStr

from api.http.app import create_app
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.conftest import fresh_store
from tests.identity_provider import CLIENT_ID, CLIENT_SECRET, IdentityProvider, serving_provider
from tests.served import free_port, in_thread


@pytest.fixture(scope="module")
def provider() -> Iterator[IdentityProvider]:
    with serving_provider() as served:
        yield served


@pytest.fixture(scope="module")
def console_base(
    tmp_path_factory: pytest.TempPathFactory, provider: IdentityProvider
) -> Iterator[str]:
    store = fresh_store(tmp_path_factory.mktemp("oidc"))
    port = free_port()  # the callback is configured, as outside the embedded mode it must be
    settings = next(store).model_copy(
        update={
            "oidc_redirect_url": f"http://127.0.0.1:{port}/console/sign-in/oidc/callback",
            "oidc_issuer": provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": SecretStr(CLIENT_SECRET),
            "console_dev_sign_in": False,
        }
    )
    try:
        with in_thread(create_app(settings), "console-oidc-under-test", port=port) as base:
            yield base
    finally:
        next(store, None)


@pytest.fixture
def oidc_page(browser: Browser, console_base: str, provider: IdentityProvider) -> Iterator[Page]:
    provider.reset()
    context = browser.new_context(
        base_url=console_base, locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_signing_in_with_the_institutions_account(
    oidc_page: Page, provider: IdentityProvider
) -> None:
    provider.claims = {"sub": str(uuid4()), "role": "admin", "name": "Alice Martin"}
    page = oidc_page
    page.goto("/console/home")
    assert "/console/sign-in" in page.url
    page.get_by_role("link", name="Se connecter avec le compte de votre établissement").click()
    page.wait_for_url("**/console/home")
    assert page.locator("h1").inner_text() == "Bienvenue, Alice Martin"
    assert provider.authorizations[-1]["code_challenge_method"] == "S256"
    assert serious_accessibility_violations(page) == []
    screenshot(page, "sign-in-oidc-home")


def test_a_refused_sign_in_says_why_on_the_sign_in_page(
    oidc_page: Page, provider: IdentityProvider
) -> None:
    provider.claims = {"sub": str(uuid4()), "name": "Sans Rôle"}  # no role
    page = oidc_page
    page.goto("/console/sign-in")
    page.get_by_role("link", name="Se connecter avec le compte de votre établissement").click()
    page.wait_for_url("**/console/sign-in/oidc/callback**")
    alert = page.get_by_role("alert").inner_text()
    assert "aucun rôle connu de Maillage" in alert
    assert serious_accessibility_violations(page) == []
    screenshot(page, "sign-in-oidc-refused")
    page.goto("/console/home")
    assert "/console/sign-in" in page.url  # nothing signed in
