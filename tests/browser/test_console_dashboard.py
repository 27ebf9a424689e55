"""The dashboard and the delegations and partnerships page in a browser (issue 18, pages 1
and 6): Claire Roth (the AEMO's supervisor) sees her institution's counts, naming no one, then,
once she says why, the alerts' sentences with the names they carry; the agreements page says
the demo's delegations and partnerships with their states. Both pass axe-core's check.

Other tests may acknowledge a demo alert before these run (the service is shared): the counts
checked here are those no test changes."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import (
    Served,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)

NAMED = ("Dr Sophie Weber", "CMP enfants et adolescents de Colmar", "Hôpital Pasteur")


def test_the_dashboard_counts_then_names_once_a_purpose_is_given(
    page: Page, served: Served
) -> None:
    sign_in(page, "Claire Roth", "supervisor", then="/console/dashboard")
    assert page.locator("h1").inner_text() == "Tableau de bord — Service AEMO de Colmar"
    cards = page.locator("ul.cards").inner_text()
    assert "dossiers ouverts que votre établissement porte" in cards
    assert "orientation" in cards
    assert "demande de transfert" in cards
    assert "30 jours" in cards
    counts = page.locator("table.alert-counts")
    assert "par type et par ancienneté" in counts.locator("caption").inner_text()
    assert counts.locator("tbody tr").count() >= 1
    main = page.locator("main").inner_text()
    assert not [name for name in NAMED if name in main]  # no one named before a purpose
    assert page.locator("main a[href^='/console/cases/']").count() == 0
    assert serious_accessibility_violations(page) == []

    page.select_option("#purpose", "supervision")
    page.get_by_role("button", name="Ouvrir").click()
    page.wait_for_load_state()
    assert "pour le motif : Encadrement" in page.locator("main").inner_text()
    sentences = page.locator("table.alert-sentences")
    assert sentences.count() >= 1
    said = " ".join(sentences.all_inner_texts())
    assert [name for name in NAMED if name in said], said
    links = page.locator("table.alert-sentences a[href^='/console/cases/']")
    assert links.count() >= 1
    assert "purpose=supervision" in (links.first.get_attribute("href") or "")
    assert links.first.inner_text().startswith("Dossier porté par")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "dashboard")


def test_the_agreements_say_the_demo_delegations_and_partnerships_states(
    page: Page, served: Served
) -> None:
    sign_in(page, "Claire Roth", "supervisor", then="/console/agreements")
    assert page.locator("h1").inner_text() == (
        "Délégations et partenariats — Service AEMO de Colmar"
    )
    protocol = page.locator("tr", has_text="Protocole départemental").inner_text()
    assert "En vigueur jusqu'au" in protocol
    assert "Service AEMO de Colmar" in protocol
    charter = page.locator("tr", has_text="Charte Colmar jeunesse").inner_text()
    assert "En vigueur, sans date de fin" in charter
    assert "Aucune délégation." in page.locator("main").inner_text()  # the AEMO granted none
    assert serious_accessibility_violations(page) == []

    # the CMP's side: Sophie Weber's delegations, one revoked, and a convention never signed
    sign_in(page, "Dr Sophie Weber", "supervisor", then="/console/agreements")
    delegations = page.locator("section", has_text="Délégations et leur état")
    assert "Révoquée le" in delegations.locator("tr", has_text="un dossier").inner_text()
    network = delegations.locator("tr", has_text="Réseau santé mentale enfants 68").inner_text()
    assert "En vigueur jusqu'au" in network
    care = page.locator("tr", has_text="Convention de soins partagés").inner_text()
    assert "Pas en vigueur : signé par 1 de ses 2 parties" in care
    assert "Hôpital Pasteur" in care
    assert serious_accessibility_violations(page) == []
    screenshot(page, "agreements")

    page.select_option("#state", "ended")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert "state=ended" in page.url
    main = page.locator("main").inner_text()
    assert "Révoquée le" in main
    assert "Réseau santé mentale enfants 68" not in main
    assert "Aucun partenariat dans cet état." in main


def test_a_funder_is_refused_the_dashboard(page: Page, served: Served) -> None:
    sign_in(page, "Financeur", "funder", then="/console/dashboard")
    assert page.locator("h1").inner_text() == "Refusé"
    assert not [name for name in NAMED if name in page.locator("main").inner_text()]
