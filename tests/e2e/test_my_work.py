"""`GET /me/work`: a case worker's open cases with the alerts open on each, a supervisor's those
of their institution, paged; funders and administrators refused; nothing of a case they are not
on."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.e2e.conftest import Api
from tests.world import World, ago


def _scene(api: Api) -> tuple[World, UUID, UUID, UUID]:
    app = api.maillage
    world = World.build(app)
    claire = app.register_professional(name="Claire", profession="cheffe de service").id
    app.start_employment(
        professional_id=claire, institution_id=world.i("aemo"), start=date(2020, 1, 1)
    )
    world.professionals["claire"] = claire
    # Jeanne (AEMO) on two cases: one where an ASE worker joined informally (no coordinator:
    # an alert), one alone (no alert); Karim (ASE) holds a third she is not on.
    with_alert = world.open_case("jeanne", occurred_at=ago(10))
    app.join_case(case_id=with_alert, by=world.actor("karim"), role="ASE", occurred_at=ago(9))
    quiet = world.open_case("jeanne", occurred_at=ago(5))
    app.record_intervention(case_id=quiet, by=world.actor("jeanne"), kind="home_visit")
    other = world.open_case("karim", occurred_at=ago(3))
    api.services.projections.wait_for(api.maillage.recorder.max_notification_id(), timeout=5)
    return world, with_alert, quiet, other


async def test_a_case_worker_sees_her_open_cases_with_their_alerts(api: Api) -> None:
    world, with_alert, quiet, _ = _scene(api)
    headers = api.headers("case_worker", world.p("jeanne"), world.i("aemo"))
    answer = await api.client.get("/me/work", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["professional_name"] == "Jeanne"
    assert body["institution_name"] == "AEMO Colmar"
    cases = {item["case_id"]: item for item in body["cases"]["items"]}
    assert set(cases) == {str(with_alert), str(quiet)}  # not Karim's case she is not on
    assert [a["kind"] for a in cases[str(with_alert)]["alerts"]] == ["no_coordinator"]
    alert = cases[str(with_alert)]["alerts"][0]
    assert alert["label"] == "Pas de référent de parcours"  # its kind, in French
    assert "message" not in alert  # the sentence, naming people, is the coherence view's
    assert cases[str(quiet)]["alerts"] == []
    assert cases[str(quiet)]["role"] == "referent"
    assert cases[str(quiet)]["holder_institution_name"] == "AEMO Colmar"

    only = await api.client.get("/me/work", params={"with_alerts": "true"}, headers=headers)
    assert [c["case_id"] for c in only.json()["cases"]["items"]] == [str(with_alert)]


async def test_pages_follow_one_another_without_loss_or_repeat(api: Api) -> None:
    world, with_alert, quiet, _ = _scene(api)
    headers = api.headers("case_worker", world.p("jeanne"), world.i("aemo"))
    first = (await api.client.get("/me/work", params={"limit": 1}, headers=headers)).json()
    assert len(first["cases"]["items"]) == 1
    assert first["cases"]["next_cursor"]
    second = (
        await api.client.get(
            "/me/work",
            params={"limit": 1, "cursor": first["cases"]["next_cursor"]},
            headers=headers,
        )
    ).json()
    seen = [c["case_id"] for c in first["cases"]["items"] + second["cases"]["items"]]
    assert sorted(seen) == sorted([str(with_alert), str(quiet)])
    assert second["cases"]["next_cursor"] is None
    bad = await api.client.get("/me/work", params={"cursor": "nope"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["field"] == "cursor"


async def test_a_supervisor_sees_the_open_cases_of_her_institution(api: Api) -> None:
    world, with_alert, quiet, other = _scene(api)
    headers = api.headers("supervisor", world.p("claire"), world.i("aemo"))
    body = (await api.client.get("/me/work", headers=headers)).json()
    assert {c["case_id"] for c in body["cases"]["items"]} == {str(with_alert), str(quiet)}
    assert all(c["role"] is None for c in body["cases"]["items"])
    ase = api.headers("supervisor", world.p("karim"), world.i("ase"))  # Karim is no supervisor,
    # but a supervisor token for him reads the ASE's side: the case it holds and the one it is on
    body = (await api.client.get("/me/work", headers=ase)).json()
    assert {c["case_id"] for c in body["cases"]["items"]} == {str(with_alert), str(other)}


async def test_funders_administrators_and_strangers_are_refused(api: Api) -> None:
    world, *_ = _scene(api)
    for role in ("funder", "admin"):
        answer = await api.client.get(
            "/me/work", headers=api.headers(role, institution=world.i("aemo"))
        )
        assert answer.status_code == 403, answer.text
        assert answer.json()["type"].endswith("access-denied")
    # a case worker token naming an institution that does not employ her
    answer = await api.client.get(
        "/me/work", headers=api.headers("case_worker", world.p("jeanne"), world.i("ase"))
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["rule"] == "not-employed"


async def test_the_referrals_waiting_for_my_institution_are_on_my_desk(api: Api) -> None:
    world, with_alert, quiet, _ = _scene(api)
    # the AEMO refers Jeanne's quiet case to the CMP (on the person's consent): it waits there
    referral = world.refer(quiet, "jeanne", "cmp", categories=("identity", "health"))
    answered = world.refer(with_alert, "jeanne", "cmp")
    api.maillage.decline_referral(
        case_id=with_alert, referral_id=answered, by=world.actor("sophie"), reason="Pas de place"
    )
    api.services.projections.wait_for(api.maillage.recorder.max_notification_id(), timeout=5)
    cmp = api.headers("case_worker", world.p("sophie"), world.i("cmp"))
    body = (await api.client.get("/me/work", headers=cmp)).json()
    waiting = body["referrals_waiting"]["items"]
    assert [r["referral_id"] for r in waiting] == [str(referral)]  # not the declined one
    assert waiting[0]["from_institution_name"] == "AEMO Colmar"
    assert waiting[0]["referred_by_name"] == "Jeanne"
    assert waiting[0]["categories"] == ["identity", "health"]
    assert body["cases"]["items"] == []  # Sophie is on no case yet
    # the referring side has nothing waiting
    aemo = api.headers("case_worker", world.p("jeanne"), world.i("aemo"))
    assert (await api.client.get("/me/work", headers=aemo)).json()["referrals_waiting"][
        "items"
    ] == []
    # past the delay, it no longer waits: it expired
    api.travel(api.clock.now + api.maillage.time.referral_expiry)
    cmp = api.headers("case_worker", world.p("sophie"), world.i("cmp"))
    body = (await api.client.get("/me/work", headers=cmp)).json()
    assert body["referrals_waiting"]["items"] == []


async def test_the_transfer_requests_my_institution_answers_are_on_my_desk(api: Api) -> None:
    world, with_alert, _quiet, _ = _scene(api)
    # the AEMO (holder) offers the case Karim is on to the ASE: the ASE answers it
    offered = api.maillage.request_transfer(
        case_id=with_alert,
        by=world.actor("jeanne"),
        to_institution_id=world.i("ase"),
        reason="Mesure de placement",
    ).entity_id
    api.services.projections.wait_for(api.maillage.recorder.max_notification_id(), timeout=5)
    ase = api.headers("case_worker", world.p("karim"), world.i("ase"))
    body = (await api.client.get("/me/work", headers=ase)).json()
    waiting = body["transfers_to_answer"]["items"]
    assert [t["transfer_id"] for t in waiting] == [str(offered)]
    assert waiting[0]["status"] == "pending"
    # the side that asked has nothing to answer
    aemo = api.headers("case_worker", world.p("jeanne"), world.i("aemo"))
    assert (await api.client.get("/me/work", headers=aemo)).json()["transfers_to_answer"][
        "items"
    ] == []
    # once answered, it no longer waits
    api.maillage.accept_transfer(case_id=with_alert, transfer_id=offered, by=world.actor("karim"))
    api.services.projections.wait_for(api.maillage.recorder.max_notification_id(), timeout=5)
    body = (await api.client.get("/me/work", headers=ase)).json()
    assert body["transfers_to_answer"]["items"] == []
