"""The audit timeline in a browser: Claire Roth (AEMO's supervisor) opens Léo's case's trail,
says why, sees the acts and her own reading, filters by kind and period, follows the next page,
downloads the French CSV; an institution's trail is hers for her own institution only, and a
professional's for those her institution employs."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import (
    Served,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)


def test_claire_audits_leos_case_filters_pages_and_downloads(page: Page, served: Served) -> None:
    leo = served.story.cases["leo"]
    sign_in(page, "Claire Roth", "supervisor", then=f"/console/cases/{leo}/audit?limit=5")
    # the purpose first: nothing of the case before it
    assert page.locator("h1").inner_text() == "Piste d'audit d'un dossier"
    assert "Léo" not in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
    page.select_option("#purpose", "supervision")
    page.get_by_role("button", name="Ouvrir").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Piste d'audit du dossier de Léo")
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 5
    assert "a ouvert le dossier" in rows.first.inner_text()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "audit")

    # by kind: the readings only — hers, just made, is among them, with its purpose
    page.select_option("#kind", "readings")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert "kind=readings" in page.url
    assert "purpose=supervision" in page.url
    table = page.locator("table.audit").inner_text()
    assert "Lecture" in table
    while page.get_by_role("link", name="Page suivante").count():
        page.get_by_role("link", name="Page suivante").click()
        page.wait_for_load_state()
    assert "Claire Roth" in page.locator("table.audit").inner_text()
    assert "motif : Encadrement" in page.locator("table.audit").inner_text()

    # every act, a page then the next one
    page.select_option("#kind", "acts")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    first = page.locator("table.audit tbody").inner_text()
    assert "Lecture" not in first
    page.get_by_role("link", name="Page suivante").click()
    page.wait_for_load_state()
    assert "cursor=" in page.url
    assert "kind=acts" in page.url
    second = page.locator("table.audit tbody").inner_text()
    assert second
    assert second != first
    assert page.locator("#kind").input_value() == "acts"

    # by period: a day long before the story keeps nothing
    page.fill("#since", "2001-01-01")
    page.fill("#until", "2001-01-31")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert "Aucune entrée ne correspond à ces filtres." in page.locator("main").inner_text()
    page.fill("#since", "")
    page.fill("#until", "")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()

    # the French CSV of these filters, every page
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la piste en CSV").click()
    saved = download.value.path()
    content = saved.read_bytes().decode("utf-8")
    assert content.startswith("\ufeffDate;Enregistré le;Nature;Entrée;Professionnel;")
    assert len(content.strip().splitlines()) > 6  # more than one page of acts
    assert download.value.suggested_filename == f"audit-case-{leo}.csv"


def test_an_institutions_trail_is_for_its_supervisors(page: Page, served: Served) -> None:
    aemo, ase = served.story.institutions["aemo"], served.story.institutions["ase"]
    sign_in(page, "Claire Roth", "supervisor", then=f"/console/institutions/{aemo}/audit")
    assert page.locator("h1").inner_text().startswith("Piste d'audit de ")
    assert page.locator("table.audit tbody tr").count() > 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "audit-institution")
    # a professional of hers: what they did for her institution
    page.get_by_role("link", name="Jeanne Martin").first.click()
    page.wait_for_load_state()
    assert "/console/professionals/" in page.url
    assert page.locator("h1").inner_text() == (
        "Piste d'audit de Jeanne Martin, pour Service AEMO de Colmar"
    )
    assert page.locator("table.audit tbody tr").count() > 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "audit-professional")
    karim = served.story.professionals["karim"]
    page.goto(f"/console/professionals/{karim}/audit")
    assert page.locator("h1").inner_text() == "Refusé"
    page.goto(f"/console/institutions/{ase}/audit")
    assert page.locator("h1").inner_text() == "Refusé"
