"""The console's audit timelines (`api.http.console.audit_page`): a case's history after its
purpose, acts and readings named, the reading just made among them; refusals that show and
record nothing; filters by kind and period, pages, the French CSV; an institution's trail for
its own supervisors; a professional's for the supervisors of an institution that employed them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.access import Principal, Role
from domain.event_classes import CaseContentRead
from tests.e2e.conftest import Api
from tests.world import TODAY, World, ago, events_since, position


@dataclass
class Scene:
    api: Api
    world: World
    case_id: UUID
    claire: UUID  # AEMO's supervisor
    sandrine: UUID  # the school's supervisor: her institution is not on the case

    def path(self, tail: str = "") -> str:
        return f"/console/cases/{self.case_id}/audit{tail}"


def build(api: Api) -> Scene:
    app, world = api.maillage, World.build(api.maillage)
    claire = app.register_professional(name="Claire Roth", profession="cheffe de service").id
    app.start_employment(professional_id=claire, institution_id=world.i("aemo"), start=TODAY)
    sandrine = app.register_professional(name="Sandrine Weiss", profession="directrice").id
    app.start_employment(professional_id=sandrine, institution_id=world.i("school"), start=TODAY)
    case_id = world.open_case("jeanne", occurred_at=ago(10))
    world.convention("ase", "aemo")
    app.join_case(case_id=case_id, by=world.actor("karim"), role="référent ASE", occurred_at=ago(9))
    app.record_intervention(
        case_id=case_id, by=world.actor("karim"), kind="home_visit", occurred_at=ago(6)
    )
    app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i("ase")],
        categories=["health"],
        occurred_at=ago(5),
    )
    jeanne = Principal(world.p("jeanne"), Role.CASE_WORKER, world.i("aemo"))
    app.record_consultation(
        case_id=case_id, principal=jeanne, view="coherence", purpose="follow_up"
    )
    # The institution's and professional's trails read the read side as it stands (no `after`):
    # let it reach the scene first.
    projections = api.services.projections
    assert projections.wait_for(projections.head(), timeout=10)
    return Scene(api, world, case_id, claire, sandrine)


def readings(s: Scene, since: int) -> int:
    return sum(isinstance(e, CaseContentRead) for e in events_since(s.api.maillage, since))


def text(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", body))


async def test_a_case_audit_asks_the_purpose_then_shows_acts_and_readings_named(api: Api) -> None:
    s = build(api)
    before = position(api.maillage)
    async with api.console("supervisor", s.claire, s.world.i("aemo"), "Claire Roth") as claire:
        asked = await claire.get(s.path())
        assert asked.status_code == 200
        assert 'name="purpose"' in asked.text
        assert "Schmitt" not in asked.text
        assert "Karim" not in asked.text
        assert readings(s, before) == 0  # nothing recorded before the purpose

        shown = await claire.get(s.path(), params={"purpose": "supervision"})
    assert shown.status_code == 200
    page = text(shown.text)
    assert "Piste d'audit du dossier de Léo Schmitt" in page
    assert "Karim (ASE 68) a enregistré une intervention : visite à domicile" in page
    assert "Karim" in page
    assert "pour ASE 68" in page
    assert "Convention ase-aemo" in page
    # a reading: who read and why — Jeanne's, and the one just made by Claire
    assert "motif : Suivi" in page
    assert "Claire Roth (AEMO Colmar) a consulté « Piste d'audit »" in page
    assert "motif : Encadrement" in page
    assert readings(s, before) == 1


async def test_refusals_show_nothing_of_the_case_and_record_nothing(api: Api) -> None:
    s = build(api)
    before = position(api.maillage)
    async with api.console("case_worker", s.world.p("jeanne"), s.world.i("aemo")) as jeanne:
        refused = await jeanne.get(s.path(), params={"purpose": "supervision"})
        assert refused.status_code == 403
        assert "Refusé" in refused.text
        assert "Schmitt" not in refused.text
        csv = await jeanne.get(s.path(".csv"), params={"purpose": "supervision"})
        assert csv.status_code == 403
    async with api.console("supervisor", s.sandrine, s.world.i("school")) as sandrine:
        for tail in ("", ".csv"):
            refused = await sandrine.get(s.path(tail), params={"purpose": "audit"})
            assert refused.status_code == 403
            assert "Schmitt" not in refused.text
            assert "Karim" not in refused.text
            assert "Refusé" in refused.text
    assert readings(s, before) == 0


async def test_filters_by_kind_and_period_narrow_the_rows_and_pages_follow(api: Api) -> None:
    s = build(api)
    async with api.console("supervisor", s.claire, s.world.i("aemo"), "Claire Roth") as claire:
        whole = text((await claire.get(s.path(), params={"purpose": "audit"})).text)
        assert "a ouvert le dossier" in whole
        consents = await claire.get(s.path(), params={"purpose": "audit", "kind": "consents"})
        rows = text(consents.text)
        assert "1 entrée sur cette page" in rows
        assert "consentement" in rows
        assert "visite à domicile" not in rows
        day = (ago(6)).date().isoformat()
        period = await claire.get(s.path(), params={"purpose": "audit", "since": day, "until": day})
        assert "1 entrée sur cette page" in text(period.text)
        assert "visite à domicile" in text(period.text)
        none = await claire.get(
            s.path(), params={"purpose": "audit", "until": (ago(11)).date().isoformat()}
        )
        assert "Aucune entrée ne correspond à ces filtres." in text(none.text)

        first = await claire.get(s.path(), params={"purpose": "audit", "limit": 2})
        assert "2 entrées sur cette page" in text(first.text)
        link = re.search(r'<a href="([^"]+)" rel="next">Page suivante</a>', first.text)
        assert link is not None
        following = html.unescape(link.group(1))
        assert "purpose=audit" in following
        assert "limit=2" in following
        assert "cursor=" in following
        second = await claire.get(following)
        assert second.status_code == 200
        assert "a ouvert le dossier" in text(first.text)
        assert "a ouvert le dossier" not in text(second.text)
        assert "rejoint" in text(first.text)
        assert "visite à domicile" in text(second.text)

        bad = await claire.get(s.path(), params={"purpose": "audit", "kind": "gossip"})
        assert bad.status_code == 422


async def test_the_csv_is_the_french_one_and_a_recorded_reading(api: Api) -> None:
    s = build(api)
    before = position(api.maillage)
    async with api.console("supervisor", s.claire, s.world.i("aemo"), "Claire Roth") as claire:
        asked = await claire.get(s.path(".csv"))
        assert asked.headers["content-type"].startswith("text/html")
        assert readings(s, before) == 0
        csv = await claire.get(s.path(".csv"), params={"purpose": "audit", "kind": "acts"})
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv.headers["content-disposition"]
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeffDate;Enregistré le;Nature;Entrée;Professionnel;")
    lines = body.strip("\r\n").split("\r\n")
    assert len(lines) == 1 + 4  # opened, joined, the visit, the consent
    assert any("visite à domicile" in line and "Karim" in line for line in lines)
    assert readings(s, before) == 1


async def test_an_institution_audit_is_for_its_own_supervisors(api: Api) -> None:
    s = build(api)
    aemo, ase = s.world.i("aemo"), s.world.i("ase")
    async with api.console("supervisor", s.claire, aemo, "Claire Roth") as claire:
        own = await claire.get(f"/console/institutions/{aemo}/audit")
        assert own.status_code == 200
        page = text(own.text)
        assert "Piste d'audit de AEMO Colmar" in page
        assert "Jeanne (AEMO Colmar)" in page
        assert f'href="/console/professionals/{s.world.p("jeanne")}/audit"' in own.text
        csv = await claire.get(f"/console/institutions/{aemo}/audit.csv", params={"kind": "acts"})
        assert csv.status_code == 200
        assert csv.content.decode().startswith("\ufeffDate;")
        other = await claire.get(f"/console/institutions/{ase}/audit")
        assert other.status_code == 403
        assert "Karim" not in other.text
        other_csv = await claire.get(f"/console/institutions/{ase}/audit.csv")
        assert other_csv.status_code == 403


async def test_a_professional_audit_is_for_their_employers_supervisors(api: Api) -> None:
    s = build(api)
    aemo = s.world.i("aemo")
    async with api.console("supervisor", s.claire, aemo, "Claire Roth") as claire:
        shown = await claire.get(f"/console/professionals/{s.world.p('jeanne')}/audit")
        assert shown.status_code == 200
        page = text(shown.text)
        assert "Piste d'audit de Jeanne, pour AEMO Colmar" in page
        assert "a ouvert le dossier" in page
        assert "motif : Suivi" in page
        refused = await claire.get(f"/console/professionals/{s.world.p('karim')}/audit")
        assert refused.status_code == 403
        assert "visite" not in refused.text
    async with api.console("case_worker", s.world.p("jeanne"), aemo) as jeanne:
        mine = await jeanne.get(f"/console/professionals/{s.world.p('jeanne')}/audit")
        assert mine.status_code == 403


async def test_a_reading_older_than_the_period_drops_out(api: Api) -> None:
    """`until` includes its whole day in the service's calendar; `since` after it is refused."""
    s = build(api)
    async with api.console("supervisor", s.claire, s.world.i("aemo")) as claire:
        day = (ago(5) + timedelta(hours=0)).date().isoformat()
        shown = await claire.get(s.path(), params={"purpose": "audit", "until": day})
        assert "consentement" in text(shown.text)
        assert "a consulté" not in text(shown.text)
        reversed_period = await claire.get(
            s.path(), params={"purpose": "audit", "since": day, "until": "2020-01-01"}
        )
        assert reversed_period.status_code == 422


async def test_a_day_out_of_the_calendar_is_refused_before_any_reading(api: Api) -> None:
    s = build(api)
    aemo = s.world.i("aemo")
    async with api.console("supervisor", s.claire, aemo, "Claire Roth") as claire:
        for query in ({"until": "9999-12-31"}, {"since": "0001-01-01"}):
            refused = await claire.get(f"/console/institutions/{aemo}/audit", params=query)
            assert refused.status_code == 422, query
