"""Reports and the network map over HTTP, on the demo: a funder's token reaches the report of
what it funds (JSON, CSV, SVG, PNG) and nothing else; supervisors see the map."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from xml.etree import ElementTree

import httpx
import pytest

from api.cli.demo import DemoStory, demo_tokens, load_demo
from api.http.app import create_app
from api.http.deps import services_of
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from domain.timing import TimePolicy
from tests.e2e.conftest import Api, AppClock
from tests.world import NOW, position

PERIOD = {"from": "2026-10", "to": "2026-12"}  # the demo's quarter
# Its report is published once acts can no longer be dated in it (30 days after it ends).
LATER = datetime(2027, 2, 15, 12, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def _demo(api: Api) -> DemoStory:
    story = load_demo(api.maillage, now=NOW)
    assert api.services.projections.wait_for(position(api.maillage), timeout=10)
    api.travel(LATER)
    return story


def _funder(api: Api, story: DemoStory, who: str = "departement") -> dict[str, str]:
    return api.headers(Role.FUNDER, institution=story.funders[who])


def _supervisor(api: Api, story: DemoStory) -> dict[str, str]:
    return api.headers(Role.SUPERVISOR, story.professionals["claire"], story.institutions["aemo"])


def _texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


async def test_a_funder_reads_the_report_of_what_it_funds_in_every_format(api: Api) -> None:
    story = _demo(api)
    protocol = f"/reports/partnerships/{story.partnerships['protocol']}"
    headers = _funder(api, story)

    found = await api.client.get(protocol, params=PERIOD, headers=headers)
    assert found.status_code == 200, found.text
    report = found.json()
    assert report["scope_name"].startswith("Protocole départemental")
    assert (report["first_month"], report["last_month"], report["min_cell"]) == (
        "2026-10",
        "2026-12",
        5,
    )
    # Two beneficiaries: below the threshold, every count about them is withheld.
    followed = next(line for line in report["lines"] if line["name"] == "beneficiaries")
    assert followed["total"] == {
        "code": "followed",
        "label": "total",
        "value": None,
        "withheld": True,
        "share": None,
    }

    download = await api.client.get(f"{protocol}/csv", params=PERIOD, headers=headers)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][2:] == ["Rubrique", "Indicateur", "Code", "Valeur", "Part", "Secret statistique"]
    name = report["scope_name"]
    assert [name, "T4 2026", "Usagers suivis", "total", "followed", "", "", "masqué"] in rows
    assert not {row[7] for row in rows[1:]} - {"", "masqué"}  # never why

    chart = await api.client.get(f"{protocol}/chart", params=PERIOD, headers=headers)
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/svg+xml"
    texts = " ".join(_texts(chart.content))
    assert "Protocole départemental" in texts
    assert "nombre d'usagers" in texts  # labelled axes
    assert "masqué" in texts

    png = await api.client.get(
        f"{protocol}/chart", params={**PERIOD, "format": "png"}, headers=headers
    )
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")

    aemo = f"/reports/institutions/{story.institutions['aemo']}"
    assert (await api.client.get(aemo, params=PERIOD, headers=headers)).status_code == 200

    # The token `maillage demo` prints for the funder is this one: it reaches the report too.
    printed = {
        t.variable: t for t in demo_tokens(api.settings, story, now=api.services.time.now())
    }["FUNDER_TOKEN"]
    assert protocol in printed.who
    as_printed = {"Authorization": f"Bearer {printed.token}"}
    assert (await api.client.get(protocol, params=PERIOD, headers=as_printed)).status_code == 200


async def test_a_funder_reaches_nothing_it_does_not_fund_nor_beyond_its_period(api: Api) -> None:
    story = _demo(api)
    departement = _funder(api, story)
    refused = [
        (f"/reports/networks/{story.networks['formal']}", PERIOD),  # the ARS funds it
        (f"/reports/partnerships/{story.partnerships['charter']}", PERIOD),  # nobody does
        (f"/reports/institutions/{story.institutions['cmp']}", PERIOD),
        # the funding started on 2025-01-01 and ends on 2027-12-31
        (
            f"/reports/partnerships/{story.partnerships['protocol']}",
            {"from": "2024-10", "to": "2024-12"},
        ),
        (
            f"/reports/partnerships/{story.partnerships['protocol']}",
            {"from": "2024-01", "to": "2024-12"},
        ),
        ("/network-map", PERIOD),
        (f"/cases/{story.cases['leo']}", {"purpose": "audit"}),
    ]
    for path, query in refused:
        response = await api.client.get(path, params=query, headers=departement)
        assert response.status_code == 403, (path, query, response.text)
        assert response.json()["rule"] == "access-denied"
    ars = _funder(api, story, "ars")
    formal = await api.client.get(
        f"/reports/networks/{story.networks['formal']}", params=PERIOD, headers=ars
    )
    assert formal.status_code == 200


async def test_fundings_are_recorded_by_admins_and_listed_to_their_funder(api: Api) -> None:
    story = _demo(api)
    created = await api.client.post(
        "/fundings",
        json={
            "funder_id": str(story.funders["ars"]),
            "target_kind": "institution",
            "target_id": str(story.institutions["cmp"]),
            "valid_from": "2026-01-01",
        },
        headers=api.headers(Role.ADMIN),
    )
    assert created.status_code == 201, created.text
    ended = await api.client.post(
        f"/fundings/{created.json()['id']}/ending",
        json={"ended_on": "2026-06-30", "reason": "Fin du programme"},
        headers={**api.headers(Role.ADMIN), "If-Match": '"1"'},
    )
    assert ended.status_code == 200, ended.text
    again = await api.client.post(
        f"/fundings/{created.json()['id']}/ending",
        json={"ended_on": "2026-05-31", "reason": "Encore"},
        headers=api.headers(Role.ADMIN),
    )
    assert again.status_code == 409
    assert again.json()["rule"] == "funding-ended"
    assert api.services.projections.wait_for(position(api.maillage), timeout=10)

    mine = await api.client.get("/fundings", headers=_funder(api, story, "ars"))
    assert mine.status_code == 200
    listed = {(f["target_kind"], f["target_id"], f["ended_on"]) for f in mine.json()}
    assert listed == {
        ("network", str(story.networks["formal"]), None),
        ("institution", str(story.institutions["cmp"]), "2026-06-30"),
    }
    everything = await api.client.get("/fundings", headers=api.headers(Role.ADMIN))
    assert len(everything.json()) == 4
    cmp = f"/reports/institutions/{story.institutions['cmp']}"
    ars = _funder(api, story, "ars")
    inside = await api.client.get(cmp, params={"from": "2026-04", "to": "2026-06"}, headers=ars)
    assert inside.status_code == 200
    after_end = await api.client.get(cmp, params=PERIOD, headers=ars)
    assert after_end.status_code == 403


async def test_supervisors_see_the_network_map_naming_every_institution(api: Api) -> None:
    story = _demo(api)
    headers = _supervisor(api, story)
    found = await api.client.get("/network-map", params=PERIOD, headers=headers)
    assert found.status_code == 200, found.text
    nodes = {n["name"] for n in found.json()["nodes"]}
    assert len(nodes) == 7  # the demo's institutions but the court, which never acts
    unbound = [e for e in found.json()["edges"] if e["unbound"]]
    assert unbound
    assert all(e["tie"] == "none" for e in unbound)
    assert all(e["weight"] is None and e["few"] for e in unbound)  # 1 or 2 of them: < 5

    picture = await api.client.get("/network-map/picture", params=PERIOD, headers=headers)
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/svg+xml"
    texts = _texts(picture.content)
    assert nodes <= set(texts)
    assert any("Qui travaille avec qui — T4 2026" in t for t in texts)
    assert "usagers partagés, sans partenariat" in texts  # the legend names the incoherence


# --- the demo's figures over HTTP, nothing withheld ---------------------------------------


@pytest.fixture
async def api_all_figures(store_settings: Settings) -> AsyncIterator[Api]:
    """The API with a threshold of 1: every figure published, to compare with the demo."""
    settings = store_settings.model_copy(
        update={
            "embedded_projections": True,
            "projection_poll_seconds": 0.01,
            "report_min_cell": 1,
        }
    )
    clock = AppClock()
    app = create_app(settings, time=TimePolicy(clock=clock))
    async with app.router.lifespan_context(app):
        maillage: Maillage = services_of(app).maillage
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            yield Api(client, maillage, settings, app, clock)


def _line(report: dict[str, Any], name: str) -> dict[str, int | None]:
    line = next(x for x in report["lines"] if x["name"] == name)
    return {"total": line["total"]["value"]} | {
        c["code"]: c["value"] for c in line["cells"] if c["value"]
    }


async def test_the_demo_protocol_report_over_http_equals_the_hand_count(
    api_all_figures: Api,
) -> None:
    """The same figures as tests/integration/test_reports.py counts by hand, through HTTP."""
    api = api_all_figures
    story = _demo(api)
    response = await api.client.get(
        f"/reports/partnerships/{story.partnerships['protocol']}",
        params=PERIOD,
        headers=_funder(api, story),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["min_cell"] == 1
    assert _line(report, "beneficiaries") == {"total": 2, "newly opened": 2}
    assert _line(report, "interventions_by_kind") == {
        "total": 21,
        "home_visit": 8,
        "educational_support": 5,  # one recorded as a home visit, corrected: counted once
        "consultation": 3,
        "assessment": 4,
        "meeting": 1,
    }
    assert _line(report, "actions_by_basis") == {
        "total": 37,
        "case_holder": 24,
        "convention": 7,
        "delegation": 5,
        "informal": 1,
    }
    assert _line(report, "referrals") == {"total": 4, "accepted": 3, "pending": 1}
    assert report["median_days_to_first_meeting"] == 18  # calendar days, in Paris
    assert UUID(report["scope_id"]) == story.partnerships["protocol"]


async def test_reports_are_published_on_the_calendar_grid_once_their_figures_are_final(
    api: Api,
) -> None:
    """A free range (two months, a quarter's tail), one bound only, or a period acts may still
    be dated in: 422 naming the rule; no period given: the latest published quarter."""
    story = _demo(api)  # the clock reads LATER: 2027-02-15
    protocol = f"/reports/partnerships/{story.partnerships['protocol']}"
    headers = _funder(api, story)
    refused = [
        ({"from": "2026-10", "to": "2026-11"}, "report-period-off-grid", "query.from"),
        ({"from": "2026-11", "to": "2027-01"}, "report-period-off-grid", "query.from"),
        ({"from": "2026-10"}, "invalid-value", "query.to"),
        ({"from": "2027-01", "to": "2027-01"}, "report-period-not-published", "query.to"),
        ({"from": "2027-01", "to": "2027-03"}, "report-period-not-published", "query.to"),
    ]
    for query, rule, field in refused:
        response = await api.client.get(protocol, params=query, headers=headers)
        assert response.status_code == 422, (query, response.text)
        assert (response.json()["rule"], response.json()["field"]) == (rule, field), query
    january = await api.client.get(
        protocol, params={"from": "2027-01", "to": "2027-01"}, headers=headers
    )
    assert january.json()["details"]["published_from"] == "2027-03-03"
    found = await api.client.get(protocol, headers=headers)
    assert found.status_code == 200, found.text
    assert (found.json()["first_month"], found.json()["last_month"]) == ("2026-10", "2026-12")
    api.travel(datetime(2027, 3, 3, 9, tzinfo=UTC))  # January's acts can no longer be dated
    january = await api.client.get(
        protocol, params={"from": "2027-01", "to": "2027-01"}, headers=_funder(api, story)
    )
    assert january.status_code == 200, january.text
