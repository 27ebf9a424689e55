"""The console's frame in a browser: signing in and out through the development sign-in, the
page asked for before signing in, a refusal, a form without its CSRF token, accessibility."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import (
    Served,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)


def test_a_page_asked_for_before_signing_in_opens_after_it(page: Page, served: Served) -> None:
    page.goto("/console/home")
    assert "/console/sign-in" in page.url
    assert page.locator("h1").inner_text() == "Connexion à la console Maillage"
    assert serious_accessibility_violations(page) == []
    screenshot(page, "sign-in")
    sign_in(page, "Claire Roth", "supervisor")
    page.goto("/console/home")
    assert page.locator("h1").inner_text() == "Bienvenue, Claire Roth"
    header = page.locator("header").inner_text()
    assert "Encadrant" in header
    assert "Service AEMO de Colmar" in header
    assert serious_accessibility_violations(page) == []


def test_signing_out_ends_the_session(page: Page, served: Served) -> None:
    sign_in(page, "Claire Roth", "supervisor", then="/console/home")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto("/console/home")
    assert "/console/sign-in" in page.url


def test_a_form_without_its_token_is_refused(page: Page, served: Served) -> None:
    sign_in(page, "Claire Roth", "supervisor", then="/console/home")
    # the sign-out form, its token altered as a forged form would carry another
    page.locator("input[name=csrf]").first.evaluate("e => e.value = 'forged'")
    page.get_by_role("button", name="Se déconnecter").click()
    assert page.locator("h1").inner_text() == "Refusé"
    page.goto("/console/home")
    assert page.locator("h1").inner_text() == "Bienvenue, Claire Roth"
