"""The console's guards in a real browser: a link on another site that carries a purpose makes
the supervisor's browser record nothing (Chromium sends the session cookie — SameSite=Lax — on
that navigation, and says `Sec-Fetch-Site: cross-site`); the purpose said on the console's own
form records exactly one reading; the Content-Security-Policy is enforced by Chromium, and the
pages work under it (no violation reported)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route

from api.composition import Services, open_services
from domain.event_classes import CaseContentRead
from tests.browser.conftest import Served, sign_in
from tests.world import events_since, position

ELSEWHERE = "http://elsewhere.test"


@pytest.fixture
def store(served: Served) -> Iterator[Services]:
    """The store the service writes to, to count the readings it records."""
    with open_services(served.settings) as services:
        yield services


def readings(services: Services, since: int) -> int:
    return sum(isinstance(e, CaseContentRead) for e in events_since(services.maillage, since))


def bait(page: Page, target: str) -> None:
    """Another site's page, with a link to `target`, opened and its link followed."""

    def answer(route: Route) -> None:
        route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><title>Ailleurs</title><a id="bait" href="{target}">Voir</a>',
        )

    page.route(f"{ELSEWHERE}/**", answer)
    page.goto(f"{ELSEWHERE}/page")
    page.click("#bait")
    page.wait_for_load_state()


def test_another_sites_link_records_nothing_and_the_purpose_form_records_one(
    page: Page, served: Served, store: Services
) -> None:
    leo = served.story.cases["leo"]
    sign_in(page, "Claire Roth", "supervisor", then="/console/home")
    start = position(store.maillage)

    bait(page, f"{served.base}/console/dashboard?purpose=legal_request&limit=100")
    assert page.url.startswith(f"{served.base}/console/dashboard")
    main = page.locator("main").inner_text()
    assert "ouverte depuis un autre site" in main
    assert page.locator("#purpose").count() == 1  # the question, asked again
    assert readings(store, start) == 0

    bait(page, f"{served.base}/console/cases/{leo}?purpose=legal_request")
    assert "ouverte depuis un autre site" in page.locator("main").inner_text()
    assert "Léo" not in page.locator("main").inner_text()
    assert readings(store, start) == 0

    # The reader answers the question on the console's own form: one reading, theirs.
    page.select_option("#purpose", "supervision")
    page.get_by_role("button", name="Ouvrir").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Dossier de Léo")
    read = [e for e in events_since(store.maillage, start) if isinstance(e, CaseContentRead)]
    assert [(e.view, e.purpose) for e in read] == [("coherence", "supervision")]  # type: ignore[attr-defined]


def test_chromium_enforces_the_policy_and_the_pages_work_under_it(
    page: Page, served: Served
) -> None:
    leo = served.story.cases["leo"]
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    sign_in(page, "Claire Roth", "supervisor")
    for path in (
        "/console/home",
        "/console/dashboard",
        f"/console/cases/{leo}?purpose=supervision",
        f"/console/cases/{leo}/audit?purpose=audit",
        "/console/network",
        "/console/agreements",
    ):
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, path
        headers = response.headers
        assert "script-src 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        # the style sheet applies: the banner is laid out by console.css, not by default
        assert page.locator("header.banner").evaluate("e => getComputedStyle(e).display") in (
            "flex",
            "grid",
        ), path
    assert violations == []
    # An injected inline script does not run: the policy is the browser's, not a promise.
    ran = page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s);"
        " return window.injected === 1 }"
    )
    assert ran is False
    assert any("Content Security Policy" in v for v in violations)
