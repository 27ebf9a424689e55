"""The network map and the funder reports in a browser: the département's funder opens its
reports, a report's chart and table, downloads the CSV, and never reaches a case; Claire Roth
focuses a tie of the network map to read it, and filters the map by sector."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Served,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)

FUNDER = "Financeur : Conseil départemental du Haut-Rhin"


def test_a_funder_reads_a_report_downloads_it_and_never_reaches_a_case(
    page: Page, served: Served
) -> None:
    sign_in(page, FUNDER, "funder", then="/console/reports")
    assert page.locator("h1").inner_text() == "Rapports"
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Rapport : Protocole départemental", exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Rapport : Protocole départemental")
    chart = page.locator("figure.chart img")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("table.report-line").count() >= 4
    assert "Usagers suivis" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "report")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Télécharger le tableau (CSV", exact=False).click()
    download = downloading.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].endswith("Valeur;Part;Secret statistique")

    leo = served.story.cases["leo"]
    response = page.goto(f"/console/cases/{leo}")
    assert response is not None
    assert response.status in (403, 404) or "/console/reports" in page.url
    assert "Léo" not in page.content()


def test_a_supervisor_reads_a_tie_of_the_network_map_and_filters_it(
    page: Page, served: Served
) -> None:
    sign_in(page, "Claire Roth", "supervisor", then="/console/network")
    assert page.locator("h1").inner_text() == "Carte des réseaux"
    svg = page.locator("figure.map svg")
    expect(svg).to_be_visible()
    assert "Service AEMO de Colmar" in svg.inner_html()
    ties = page.locator("g.tie")
    assert ties.count() > 0
    first = ties.first
    details = first.locator(".details")
    expect(details).to_be_hidden()
    first.focus()
    expect(details).to_be_visible()
    assert "usager" in (details.text_content() or "")
    assert first.get_attribute("aria-label")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "network")

    everyone = page.locator("g.node").count()
    page.select_option("#sector", "health")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    kept = page.locator("g.node").count()
    assert 0 < kept < everyone
    assert page.locator('g.node[data-sector="health"]').count() == kept
    assert serious_accessibility_violations(page) == []
