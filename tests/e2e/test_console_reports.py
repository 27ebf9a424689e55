"""The console's network map and funder reports, on the demo: a funder sees what it funds, a
report's table with its withheld figures marked as such, its CSV and PNG; nothing it does not
fund; supervisors see the map, drawn as an accessible SVG, filtered by sector."""

from __future__ import annotations

import csv
import io
import re
from contextlib import AbstractAsyncContextManager

from api.cli.demo import DemoStory
from domain.access import Role
from tests.e2e.conftest import Api, ConsoleClient
from tests.e2e.test_reports_http import _demo

QUARTER = {"period": "2026-10/2026-12"}  # the demo's quarter, published at the clock's LATER


def _tie_groups(html: str) -> list[str]:
    return re.findall(r'<g class="tie[^"]*"[^>]*>.*?</g>\s*</g>', html, flags=re.S)


async def test_a_funder_sees_its_scopes_and_a_report_with_withheld_figures(api: Api) -> None:
    story = _demo(api)
    funder = story.funders["departement"]
    protocol = story.partnerships["protocol"]
    async with api.console(Role.FUNDER, institution=funder, name="Financeur") as c:
        listed = await c.get("/console/reports")
        assert listed.status_code == 200, listed.text
        assert f"/console/reports/partnerships/{protocol}" in listed.text
        assert f"/console/reports/institutions/{story.institutions['aemo']}" in listed.text
        assert str(story.networks["formal"]) not in listed.text  # the ARS funds it

        page = await c.get(f"/console/reports/partnerships/{protocol}", params=QUARTER)
        assert page.status_code == 200, page.text
        html = page.text
        assert "<h1>Rapport : Protocole départemental" in html
        assert "T4 2026" in html
        assert 'class="number withheld-cell"' in html
        assert "secret statistique" in html  # the word, not only a style
        assert "Usagers suivis" in html
        assert "/chart.png?period=2026-10%2F2026-12" in html
        assert "/cases/" not in html  # a report links to no case, names no person
        assert "Léo" not in html

        download = await c.get(
            f"/console/reports/partnerships/{protocol}/report.csv", params=QUARTER
        )
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
        header = ["Rubrique", "Indicateur", "Code", "Valeur", "Part", "Secret statistique"]
        assert rows[0][2:] == header
        assert any(row[2] == "Usagers suivis" and row[7] == "masqué" for row in rows)

        png = await c.get(f"/console/reports/partnerships/{protocol}/chart.png", params=QUARTER)
        assert png.status_code == 200
        assert png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_funder_is_refused_what_it_does_not_fund_and_the_map(api: Api) -> None:
    story = _demo(api)
    async with api.console(Role.FUNDER, institution=story.funders["departement"]) as c:
        for path in (
            f"/console/reports/networks/{story.networks['formal']}",
            f"/console/reports/networks/{story.networks['formal']}/report.csv",
            f"/console/reports/networks/{story.networks['formal']}/chart.png",
            f"/console/reports/institutions/{story.institutions['cmp']}",
            "/console/network",
        ):
            refused = await c.get(path, params=QUARTER)
            assert refused.status_code == 403, (path, refused.text)
            assert "<h1>Refusé</h1>" in refused.text
            assert "secret statistique" not in refused.text
    async with api.console(Role.FUNDER, institution=story.funders["ars"]) as c:
        formal = await c.get(f"/console/reports/networks/{story.networks['formal']}")
        assert formal.status_code == 200


async def test_a_supervisor_reads_the_reports_of_its_institution(api: Api) -> None:
    story = _demo(api)
    async with _claire(api, story) as c:
        listed = await c.get("/console/reports")
        assert f"/console/reports/institutions/{story.institutions['aemo']}" in listed.text
        mine = await c.get(f"/console/reports/institutions/{story.institutions['aemo']}")
        assert mine.status_code == 200
        other = await c.get(f"/console/reports/institutions/{story.institutions['cmp']}")
        assert other.status_code == 403


def _claire(api: Api, story: DemoStory) -> AbstractAsyncContextManager[ConsoleClient]:
    return api.console(
        Role.SUPERVISOR,
        story.professionals["claire"],
        story.institutions["aemo"],
        name="Claire Roth",
    )


async def test_a_case_worker_is_refused_the_network_map(api: Api) -> None:
    story = _demo(api)
    async with api.console(
        Role.CASE_WORKER, story.professionals["jeanne"], story.institutions["aemo"]
    ) as c:
        refused = await c.get("/console/network")
    assert refused.status_code == 403
    assert "<svg" not in refused.text


async def test_the_map_names_institutions_marks_unbound_ties_and_filters_by_sector(
    api: Api,
) -> None:
    story = _demo(api)
    async with _claire(api, story) as c:
        page = await c.get("/console/network", params=QUARTER)
        assert page.status_code == 200, page.text
        html = page.text
        svg = html[html.index("<svg") : html.index("</svg>")]
        assert 'role="img" aria-labelledby="map-title map-desc"' in svg
        for name in ("Service AEMO de Colmar", "CMP enfants et adolescents de Colmar"):
            assert name in svg, name
        assert "Légende" in svg
        assert "usagers partagés, sans partenariat — trait rouge en tirets" in svg
        unbound = [g for g in _tie_groups(svg) if 'class="tie unbound"' in g]
        assert unbound
        for tie in unbound:
            assert 'stroke="#c0161a"' in tie
            assert "stroke-dasharray" in tie
            assert 'tabindex="0"' in tie
            assert "aucun partenariat" in tie  # its title and accessible name say so
        assert "<title>" in svg
        assert "<caption>" in html  # the same content as a table
        all_nodes = svg.count('<g class="node"')

        health = await c.get("/console/network", params={**QUARTER, "sector": "health"})
        narrowed = health.text[health.text.index("<svg") : health.text.index("</svg>")]
        kept = narrowed.count('<g class="node"')
        assert 0 < kept < all_nodes
        assert narrowed.count('data-sector="health"') == kept
        assert "Service AEMO de Colmar" not in narrowed


async def test_a_period_off_the_list_is_refused_with_a_page(api: Api) -> None:
    story = _demo(api)
    protocol = story.partnerships["protocol"]
    async with api.console(Role.FUNDER, institution=story.funders["departement"]) as c:
        for period in ("2026-10", "2026-10/2026-11", "2027-01/2027-03"):
            refused = await c.get(
                f"/console/reports/partnerships/{protocol}", params={"period": period}
            )
            assert refused.status_code == 422, (period, refused.text)
            assert "<h1>Refusé</h1>" in refused.text
            assert "secret statistique" not in refused.text
