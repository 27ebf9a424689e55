"""The case page in a browser (issue 18, pages 2): Claire Roth, supervisor at the AEMO, finds
Léo's case in her list, says why she opens it, reads who intervenes on what basis as a timeline
and the alerts as sentences, acknowledges the demo's past exchange without a convention with a
note and sees it acknowledged, then compares the case at two instants.

The acknowledgement is the one write of these tests: it acts on Léo's only alert about past
acts (`exchange_without_convention`), which no other browser test reads."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import (
    Served,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)

NOTE = "Convention de soins partagés signée depuis ; rappel fait aux deux équipes."


def test_a_supervisor_reads_leos_case_acknowledges_an_alert_and_compares(
    page: Page, served: Served
) -> None:
    leo = served.story.cases["leo"]
    sign_in(page, "Claire Roth", "supervisor", then="/console/cases")
    assert page.locator("h1").inner_text() == "Dossiers"
    assert "Léo" not in page.locator("main").inner_text()  # no name before a purpose
    assert serious_accessibility_violations(page) == []
    page.locator(f"a[href='/console/cases/{leo}']").click()

    # The purpose first: nothing of the case yet.
    assert "Léo" not in page.locator("main").inner_text()
    page.select_option("#purpose", "supervision")
    page.get_by_role("button", name="Ouvrir").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Dossier de Léo")
    timeline = page.locator("ol.timeline")
    assert timeline.locator("li").count() > 5
    assert "Dr Sophie Weber rejoint le dossier" in timeline.inner_text()
    assert "Incohérence" in timeline.inner_text()
    alert = page.locator("li.alert.open").filter(has_text="sans convention en vigueur")
    assert alert.count() == 1
    assert serious_accessibility_violations(page) == []
    screenshot(page, "case")

    # Acknowledge it with a note: back on the case, acknowledged, the note in its history.
    alert.get_by_label("Note : ce qui a été fait au sujet de cette alerte").fill(NOTE)
    alert.get_by_role("button", name="Prendre en compte").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Dossier de Léo")
    assert page.locator("li.alert.open").filter(has_text="sans convention en vigueur").count() == 0
    done = page.locator("li.alert.acknowledged").filter(has_text="sans convention en vigueur")
    assert done.count() == 1
    assert "Prise en compte" in done.inner_text()
    assert NOTE in done.inner_text()
    assert "Claire Roth" in done.inner_text()

    # …and in the case's audit timeline, among the alerts acknowledged, with its author.
    page.goto(f"/console/cases/{leo}/audit?purpose=audit&kind=alerts")
    trail = page.locator("main").inner_text()
    assert "Claire Roth" in trail
    assert "a pris acte de l'alerte « Échange sans convention »" in trail
    page.goto(f"/console/cases/{leo}?purpose=supervision")

    # The case at two instants: as it happened, three weeks ago and now.
    page.fill("#as-of-at", "2026-01-01T09:00")
    page.select_option("#as-of-question", "occurred")
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_load_state()
    columns = page.locator(".as-of-column")
    assert columns.count() == 2
    assert "n'existait pas encore" in columns.nth(0).inner_text()
    assert "Dr Sophie Weber" in columns.nth(1).inner_text()
    heading = columns.nth(1).locator("h2").inner_text()
    now = page.input_value("#as-of-compare")
    page.fill("#as-of-compare", "2026-01-02T09:00")  # now both before the case
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_load_state()
    columns = page.locator(".as-of-column")
    assert columns.nth(1).locator("h2").inner_text() != heading
    assert "n'existait pas encore" in columns.nth(1).inner_text()
    page.fill("#as-of-compare", now)
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_load_state()
    assert "Dr Sophie Weber" in page.locator(".as-of-column").nth(1).inner_text()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "case-as-of")


def test_a_supervisor_of_an_uninvolved_institution_is_refused_and_nothing_is_read(
    page: Page, served: Served
) -> None:
    """The hospital is on none of Inès's acts: its supervisor is refused her case, its as-of
    view and its audit trail, sees nothing of it, and no reading of theirs is recorded."""
    ines = served.story.cases["ines"]
    sign_in(page, "Luc Meyer", "supervisor")
    for path in (
        f"/console/cases/{ines}?purpose=supervision",
        f"/console/cases/{ines}/as-of?purpose=supervision&at=2026-11-01T09:00&compare=2026-11-20T09:00",
        f"/console/cases/{ines}/audit?purpose=audit",
    ):
        page.goto(path)
        assert page.locator("h1").inner_text() == "Refusé", path
        shown = page.locator("main").inner_text()
        assert "Inès" not in shown, path
    assert serious_accessibility_violations(page) == []
    screenshot(page, "case-refused")

    # Claire Roth audits Inès's readings: none is Luc Meyer's.
    sign_in(
        page,
        "Claire Roth",
        "supervisor",
        then=f"/console/cases/{ines}/audit?purpose=audit&kind=readings",
    )
    readings = page.locator("main").inner_text()
    assert "Claire Roth" in readings  # this very reading, at least
    assert "Luc Meyer" not in readings
