"""The console's dashboard and its delegations and partnerships page (issue 18, pages 1 and 6).

The dashboard counts, naming no one and recording nothing: the institution's open cases, the
referrals waiting for it, the transfer requests it answers, its delegations expiring soon, the
alerts open on its cases by kind and age. Once the supervisor says why, the alerts' sentences
show the people they name, and each case shown is recorded as read, as the coherence view is.
The agreements page says each delegation's and partnership's state in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape
from uuid import UUID

from api.i18n import Words
from domain.partnership import PartyScope
from tests.e2e.conftest import Api
from tests.world import NOW, World, ago, events_since, position


@dataclass
class Scene:
    world: World
    claire: UUID
    forgotten: UUID  # the ASE joined 100 days ago, no one acted since: idle actors, no référent
    two_actors: UUID  # the ASE joined 9 days ago: no référent
    recent: UUID  # the ASE joined 3 days ago: no référent
    quiet: UUID  # the AEMO alone: no alert
    elsewhere: UUID  # the ASE's alone (referred to the AEMO): not the AEMO's


def _scene(api: Api) -> Scene:
    """The AEMO's cases and agreements, 100 days after the first one was opened (the clock
    travels: acts are recorded at most 30 days late)."""
    app = api.maillage
    world = World.build(app)
    claire = app.register_professional(name="Claire Roth", profession="cheffe de service").id
    app.start_employment(
        professional_id=claire, institution_id=world.i("aemo"), start=date(2020, 1, 1)
    )
    forgotten = world.open_case("jeanne", occurred_at=ago(1))
    app.join_case(case_id=forgotten, by=world.actor("karim"), role="ASE", occurred_at=ago(0))
    api.travel(NOW + timedelta(days=100))
    now = api.clock.now
    two_actors = world.open_case("jeanne", occurred_at=now - timedelta(days=10))
    app.join_case(
        case_id=two_actors, by=world.actor("karim"), role="ASE", occurred_at=now - timedelta(days=9)
    )
    recent = world.open_case("jeanne", occurred_at=now - timedelta(days=5))
    app.join_case(
        case_id=recent, by=world.actor("karim"), role="ASE", occurred_at=now - timedelta(days=3)
    )
    quiet = world.open_case("jeanne", occurred_at=now - timedelta(days=5))
    elsewhere = world.open_case("karim", occurred_at=now - timedelta(days=3))
    world.refer(elsewhere, "karim", "aemo", occurred_at=now)  # waits for the AEMO's answer
    # the ASE asks to hold a case it is on: the AEMO, its holder, answers
    app.request_transfer(
        case_id=two_actors, by=world.actor("karim"), to_institution_id=world.i("ase")
    )
    # the AEMO's delegations to Jeanne: one ending in 10 days, one in 200, one revoked
    today = now.date()
    for days in (10, 200, 300):
        granted = app.grant_delegation(
            institution_id=world.i("aemo"),
            professional_id=world.p("jeanne"),
            case_id=quiet,
            scope=["home_visit"],
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=days),
        ).id
    app.revoke_delegation(delegation_id=granted, reason="Fin de mission")
    app.grant_delegation(  # the CMP's: not the AEMO's
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=quiet,
        scope=["consultation"],
        valid_from=today,
        valid_until=today + timedelta(days=5),
    )
    api.services.projections.wait_for(app.recorder.max_notification_id(), timeout=5)
    return Scene(world, claire, forgotten, two_actors, recent, quiet, elsewhere)


def _text(html: str) -> str:
    """The page's text, its markup removed and its spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _readings(api: Api, since: int) -> list[tuple[UUID, UUID, str, str]]:
    """(case, reader, view, purpose) of each reading recorded since `since`."""
    return [
        (e.case_id, e.by.professional_id, e.view, e.purpose)  # type: ignore[attr-defined]
        for e in events_since(api.maillage, since)
        if type(e).__name__ == "CaseContentRead"
    ]


def _row(html: str, cell: str) -> str:
    """The text of the first table row whose text holds `cell`."""
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if cell in _text(row):
            return _text(row)
    raise AssertionError(f"no row with {cell!r}")


async def test_the_counts_name_no_one_and_record_nothing(api: Api) -> None:
    scene = _scene(api)
    world = scene.world
    start = position(api.maillage)
    async with api.console("supervisor", scene.claire, world.i("aemo"), name="Claire Roth") as c:
        page = await c.get("/console/dashboard")
    assert page.status_code == 200, page.text
    text = _text(page.text)
    assert "<h1>Tableau de bord — AEMO Colmar</h1>" in page.text
    # the open cases it holds or is on (not the ASE's it was only referred), their 5 alerts
    assert "4 dossiers ouverts que votre établissement porte" in text
    assert "5 alertes ouvertes sur ces dossiers" in text
    assert "1 orientation en attente de la réponse de votre établissement" in text
    assert "1 demande de transfert à laquelle répondre" in text
    assert "1 délégation dont le dernier jour tombe dans les 30 jours" in text
    # by kind and age: under 7 days, 7 to 30, over 30, all
    assert "Pas de référent de parcours 1 1 1 3" in _row(page.text, "Pas de référent")
    assert "Intervenant inactif 0 2 0 2" in _row(page.text, "Intervenant inactif")
    assert "Tous les types 1 3 1 5" in _row(page.text, "Tous les types")
    # no one named, nothing recorded: a purpose is asked first
    for name in ("Jeanne", "Karim", "Léo", "Schmitt"):
        assert name not in text, name
    assert 'name="purpose"' in page.text
    assert "/console/cases/" not in page.text
    assert _readings(api, start) == []


async def test_with_a_purpose_the_alerts_name_people_and_each_case_shown_is_read(
    api: Api,
) -> None:
    scene = _scene(api)
    world = scene.world
    start = position(api.maillage)
    async with api.console("supervisor", scene.claire, world.i("aemo"), name="Claire Roth") as c:
        page = await c.get("/console/dashboard", params={"purpose": "supervision"})
    assert page.status_code == 200, page.text
    text = _text(page.text)
    with_alerts = {scene.forgotten, scene.two_actors, scene.recent}
    read = _readings(api, start)
    assert sorted(case for case, *_ in read) == sorted(with_alerts)  # once each, not the quiet
    assert {(reader, view, purpose) for _, reader, view, purpose in read} == {
        (scene.claire, "coherence", "supervision")
    }
    assert "Vos consultations de 3 dossiers ont été enregistrées" in text
    # the coherence view's sentences, with the names they carry
    assert "Jeanne (AEMO Colmar) n'a pas agi sur ce dossier depuis 101 jours" in text
    assert "Karim (ASE 68) n'a pas agi sur ce dossier depuis" in text
    assert text.count("il n'y a pas de référent de parcours") == 3
    for case in with_alerts:
        assert f'href="/console/cases/{case}?purpose=supervision"' in page.text
    assert f"/console/cases/{scene.quiet}" not in page.text
    assert "Schmitt" not in text  # the beneficiary is in no alert


async def test_the_alerts_come_a_page_of_cases_at_a_time_and_by_kind(api: Api) -> None:
    scene = _scene(api)
    world = scene.world
    async with api.console("supervisor", scene.claire, world.i("aemo"), name="Claire Roth") as c:
        start = position(api.maillage)
        first = await c.get("/console/dashboard", params={"purpose": "audit", "limit": 2})
        on_first = {case for case, *_ in _readings(api, start)}
        assert len(on_first) == 2
        link = re.search(r'href="(/console/dashboard\?[^"]*cursor=[^"]+)"', first.text)
        assert link is not None, first.text
        start = position(api.maillage)
        second = await c.get(unescape(link.group(1)))
        assert second.status_code == 200
        on_second = {case for case, *_ in _readings(api, start)}
        assert on_first | on_second == {scene.forgotten, scene.two_actors, scene.recent}
        assert not on_first & on_second
        assert "cursor=" not in second.text  # the last page
        # one kind: only the cases with an idle actor are read
        start = position(api.maillage)
        idle = await c.get("/console/dashboard", params={"purpose": "audit", "kind": "idle_actor"})
        assert {case for case, *_ in _readings(api, start)} == {scene.forgotten}
        assert "il n'y a pas de référent de parcours" not in _text(idle.text)


async def test_a_funder_and_a_case_worker_are_refused_with_a_page(api: Api) -> None:
    scene = _scene(api)
    world = scene.world
    start = position(api.maillage)
    for role, subject in (("funder", None), ("case_worker", world.p("jeanne"))):
        async with api.console(role, subject, world.i("aemo")) as c:
            page = await c.get("/console/dashboard", params={"purpose": "supervision"})
        assert page.status_code == 403, (role, page.text)
        assert "<h1>Refusé</h1>" in page.text
        assert "Jeanne (AEMO Colmar)" not in page.text
        assert "/console/cases/" not in page.text
    assert _readings(api, start) == []


def _partnerships(api: Api, world: World) -> dict[str, UUID]:
    """The AEMO's partnerships: one in force, one ending in 20 days, one suspended; and one it
    is not party to."""
    app = api.maillage
    today = api.clock.now.date()
    found: dict[str, UUID] = {}
    for key, other, until in (
        ("lasting", "cmp", None),
        ("ending", "ase", today + timedelta(days=20)),
        ("paused", "school", None),
        ("theirs", "cmp", None),
    ):
        parties = ["aemo", other] if key != "theirs" else ["ase", other]
        pid = app.propose_partnership(
            kind="convention",
            title=f"Convention {key}",
            origin="spontaneous",
            parties=[world.i(p) for p in parties],
            valid_from=date(2025, 1, 1),
            valid_until=until,
            scopes=[PartyScope.parse(world.i(p), ("meeting",), ()) for p in parties],
        ).id
        for party in parties:
            app.sign_partnership(
                partnership_id=pid, institution_id=world.i(party), signed_on=date(2025, 1, 1)
            )
        found[key] = pid
    app.suspend_partnership(partnership_id=found["paused"], reason="Audit en cours")
    api.services.projections.wait_for(app.recorder.max_notification_id(), timeout=5)
    return found


async def test_agreements_say_which_are_in_force_expiring_or_suspended(api: Api) -> None:
    scene = _scene(api)
    world = scene.world
    _partnerships(api, world)
    today = api.clock.now.date()
    fr = Words("fr")
    async with api.console("supervisor", scene.claire, world.i("aemo"), name="Claire Roth") as c:
        page = await c.get("/console/agreements")
        assert page.status_code == 200, page.text
        text = _text(page.text)
        # the AEMO's delegations to Jeanne, with their states; not the CMP's to Sophie
        soon = fr.date(today + timedelta(days=10))
        assert f"Arrive à échéance : dernier jour le {soon}, dans 10 jours" in text
        later = fr.date(today + timedelta(days=200))
        assert f"En vigueur jusqu'au {later}" in text
        assert f"Révoquée le {fr.date(today)}" in text
        assert "Sophie" not in text
        assert "Jeanne" in _row(page.text, "Révoquée")
        assert "AEMO Colmar" in _row(page.text, "Révoquée")
        # its partnerships, parties named; not the ASE's with the CMP
        assert "En vigueur, sans date de fin" in _row(page.text, "Convention lasting")
        assert "AEMO Colmar, CMP Colmar" in _row(page.text, "Convention lasting")
        ending = fr.date(today + timedelta(days=20))
        assert f"dernier jour le {ending}, dans 20 jours" in _row(page.text, "Convention ending")
        assert f"Suspendu depuis le {fr.date(today)}" in _row(page.text, "Convention paused")
        assert "Convention theirs" not in text
        assert "<caption>" in page.text
        # filtered by state
        suspended = _text((await c.get("/console/agreements?state=suspended")).text)
        assert "Convention paused" in suspended
        assert "Convention lasting" not in suspended
        assert "Aucune délégation dans cet état." in suspended
        expiring = _text((await c.get("/console/agreements?state=expiring")).text)
        assert "Convention ending" in expiring
        assert "Convention lasting" not in expiring
        assert later not in expiring
        in_force = _text((await c.get("/console/agreements?state=in_force")).text)
        assert "Convention ending" in in_force
        assert "Convention lasting" in in_force
        assert "Convention paused" not in in_force
        assert "Révoquée" not in in_force


async def test_a_case_worker_sees_her_own_delegations_and_a_funder_is_refused(
    api: Api,
) -> None:
    scene = _scene(api)
    world = scene.world
    async with api.console("case_worker", world.p("sophie"), world.i("cmp"), name="Sophie") as c:
        page = await c.get("/console/agreements")
    assert page.status_code == 200, page.text
    text = _text(page.text)
    assert "Les délégations qui vous sont accordées" in text
    assert "Sophie" in _row(page.text, "CMP Colmar")
    assert "Jeanne" not in text  # the AEMO's delegations are not hers
    async with api.console("funder", None, world.i("aemo")) as c:
        refused = await c.get("/console/agreements")
    assert refused.status_code == 403
    assert "<h1>Refusé</h1>" in refused.text
    assert "Jeanne" not in refused.text
