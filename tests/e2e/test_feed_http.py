"""The catch-up feed over HTTP (issue 19), on the store under test: `GET /feed` for client
applications — exactly the events their institution may know, in log order, none twice, while
writers run; scope and kinds; long polling; personal fields opened only in scope, each case's
reading recorded and named in its audit trail; bad input refused naming the field."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import update

from api.integration.client_approval import approve_personal_data
from api.integration.clients import ClientRegistry, integration_client
from api.settings import Settings
from domain.access import Principal, ReadPurpose, Role
from domain.application import Maillage
from domain.event_classes import CaseContentRead
from domain.feed_audience import Audience, aggregate_of, audience_of
from domain.integration import FEED_KINDS
from tests.e2e.conftest import Api
from tests.world import NOW, World, events_since, position

MAX_WAIT = 2  # seconds: the longest `wait` these tests' service takes
PAGE_MAX = 50


@pytest.fixture
def store_settings(store_settings: Settings) -> Settings:
    """Short waits and small pages, so that the bounds are met quickly."""
    return store_settings.model_copy(
        update={"feed_max_wait_seconds": MAX_WAIT, "feed_page_max": PAGE_MAX}
    )


def client(
    api: Api,
    institution: UUID,
    *,
    kinds: Iterable[str] = FEED_KINDS,
    personal_data: bool = False,
    name: str = "SI de l'AEMO",
) -> tuple[UUID, dict[str, str]]:
    """A client application of `institution`, and the headers of a token for it; personal data
    requested by an administrator and approved by a DPO of the institution."""
    registered = ClientRegistry(api.services.engine).register(
        name=name,
        institution_id=institution,
        kinds=kinds,
        personal_data=personal_data,
        purpose=ReadPurpose.COORDINATION,
        by=uuid4(),
    )
    if personal_data:
        dpo = Principal(uuid4(), Role.DPO, institution)
        approve_personal_data(ClientRegistry(api.services.engine), registered.client_id, dpo)
    return registered.client_id, api.headers(Role.INTEGRATION, registered.client_id, institution)


def caught_up(api: Api) -> int:
    """The read side has taken in the whole log; its position."""
    runner = api.services.projections
    head = runner.head()
    assert runner.wait_for(head, timeout=10), "the read side lags behind"
    return head


async def page(api: Api, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await api.client.get("/feed", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["link"].endswith('>; rel="next"')
    body: dict[str, Any] = response.json()
    assert f"after={body['next_after']}" in response.headers["link"]
    return body


async def follow(api: Api, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Every item from position 0 to the feed's end, page by page."""
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        body = await page(api, headers, after=after, **params)
        items += body["items"]
        after = body["next_after"]
        if not body["has_more"]:
            return items


def oracle(app: Maillage, institution: UUID, upto: int) -> list[int]:
    """The positions `institution` may know, replayed from the log's notifications through the
    audience rule — independently of the feed's read model."""
    audiences: dict[UUID, Audience] = {}
    known = []
    for notification in app.recorder.select_notifications(start=1, limit=100_000, stop=upto):
        event = app.read_mapper.to_domain_event(notification)
        told = audience_of(event, audiences.setdefault(aggregate_of(event), Audience()))
        if institution in told.everyone:
            known.append(notification.id)
    return known


# --- (a) a consumer following from 0 while writers run ---------------------------------------


async def test_a_consumer_following_while_writers_run_gets_exactly_its_events_once_in_order(
    api: Api,
) -> None:
    app = api.maillage
    world = World.build(app)
    aemo = world.i("aemo")
    _, headers = client(api, aemo)
    failures: list[BaseException] = []

    def writer(who: str, cases: int) -> None:
        try:
            for n in range(cases):
                case = world.open_case(who)
                app.record_intervention(
                    case_id=case, by=world.actor(who), kind="home_visit", summary=f"Visite {n}"
                )
                if n % 2 == 0:  # to the AEMO from others, from the AEMO to the ASE
                    world.refer(case, who, "ase" if who == "jeanne" else "aemo")
        except BaseException as error:  # the test fails with it, below
            failures.append(error)

    writers = [
        threading.Thread(target=writer, args=(who, 5)) for who in ("jeanne", "sophie", "karim")
    ]
    for thread in writers:
        thread.start()
    seen: list[int] = []
    pages_while_writing = 0
    after, deadline = 0, time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline, "the consumer never caught up"
        writing = any(t.is_alive() for t in writers)
        body = await page(api, headers, after=after, limit=7, wait=0.2)
        seen += [item["position"] for item in body["items"]]
        pages_while_writing += writing and bool(body["items"])
        after = body["next_after"]
        if not writing and not body["has_more"] and body["head"] >= position(app):
            break
    for thread in writers:
        thread.join()
    assert not failures, failures
    expected = oracle(app, aemo, position(app))
    assert seen == expected
    assert len(seen) == len(set(seen))
    assert pages_while_writing >= 1


# --- (b) a client of another institution --------------------------------------------------


async def test_a_client_of_another_institution_sees_nothing_of_a_case_it_has_no_part_in(
    api: Api,
) -> None:
    world = World.build(api.maillage)
    case = world.open_case("jeanne")
    world.refer(case, "jeanne", "ase")
    api.maillage.record_intervention(case_id=case, by=world.actor("jeanne"), kind="home_visit")
    _, aemo = client(api, world.i("aemo"))
    _, cmp = client(api, world.i("cmp"), name="Dossier patient du CMP")
    caught_up(api)

    assert [i["kind"] for i in await follow(api, aemo) if i["case_id"] == str(case)] == [
        "Case.CaseOpened",
        "Case.ConsentGiven",
        "Case.ReferralMade",
        "Case.InterventionRecorded",
    ]
    seen_by_cmp = await follow(api, cmp)
    assert seen_by_cmp  # its own registration, its professionals' employment
    assert [i for i in seen_by_cmp if i["case_id"] == str(case)] == []
    assert str(case) not in str(seen_by_cmp)


# --- (c) kinds, scope, revocation, another institution's token ------------------------------


async def test_kinds_narrow_the_scope_and_never_widen_it(api: Api) -> None:
    world = World.build(api.maillage)
    case = world.open_case("jeanne")
    world.refer(case, "jeanne", "ase")
    api.maillage.record_intervention(case_id=case, by=world.actor("jeanne"), kind="home_visit")
    followed = ["Case.CaseOpened", "Case.InterventionRecorded"]
    _, headers = client(api, world.i("aemo"), kinds=followed)
    caught_up(api)

    assert [i["kind"] for i in await follow(api, headers)] == followed
    assert [i["kind"] for i in await follow(api, headers, kinds="Case.InterventionRecorded")] == [
        "Case.InterventionRecorded"
    ]
    both = await follow(api, headers, kinds=",".join(followed))
    assert [i["kind"] for i in both] == followed

    outside = await api.client.get(
        "/feed", params={"kinds": ["Case.CaseOpened", "Case.ReferralMade"]}, headers=headers
    )
    assert outside.status_code == 403
    assert outside.headers["content-type"].startswith("application/problem+json")
    problem = outside.json()
    assert (problem["rule"], problem["field"]) == ("access-denied", "query.kinds")
    assert problem["details"]["kinds"] == ["Case.ReferralMade"]
    assert "Case.ReferralMade" in problem["detail"]

    unknown = await api.client.get("/feed", params={"kinds": "Case.Nothing"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "query.kinds"
    assert "Case.Nothing" in unknown.json()["detail"]


async def test_a_revoked_client_and_a_token_for_another_institution_are_refused(
    api: Api,
) -> None:
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    client_id, headers = client(api, aemo)
    assert (await api.client.get("/feed", headers=headers)).status_code == 200

    elsewhere = api.headers(Role.INTEGRATION, client_id, world.i("ase"))
    refused = await api.client.get("/feed", headers=elsewhere)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")
    assert "autre établissement" in refused.json()["detail"]

    nobody = api.headers(Role.INTEGRATION, uuid4(), aemo)  # no valid token: ask another (401)
    refused = await api.client.get("/feed", headers=nobody)
    assert (refused.status_code, refused.json()["rule"]) == (401, "client-token-unknown-client")

    with api.services.engine.begin() as conn:  # revoked by an administrator, token unchanged
        conn.execute(
            update(integration_client)
            .where(integration_client.c.client_id == str(client_id))
            .values(revoked_at=NOW, revoked_by=str(uuid4()))
        )
    refused = await api.client.get("/feed", headers=headers, params={"wait": 1})
    assert (refused.status_code, refused.json()["rule"]) == (401, "client-token-revoked")
    assert refused.json()["detail"] == "cette application cliente a été révoquée"


# --- (d) long polling ---------------------------------------------------------------------


async def test_a_long_poll_answers_as_soon_as_an_event_arrives(api: Api) -> None:
    world = World.build(api.maillage)
    _, headers = client(api, world.i("aemo"))
    caught_up(api)
    head = (await page(api, headers))["head"]

    waiting = asyncio.create_task(page(api, headers, after=head, wait=MAX_WAIT))
    await asyncio.sleep(0.3)  # the request is waiting by now (if not, it finds the event at once)
    assert not waiting.done()
    written = time.monotonic()
    case = await asyncio.to_thread(world.open_case, "jeanne")
    body = await asyncio.wait_for(waiting, timeout=MAX_WAIT + 5)
    answered = time.monotonic() - written

    assert [i["case_id"] for i in body["items"]] == [str(case)]
    assert body["items"][0]["kind"] == "Case.CaseOpened"
    assert answered < MAX_WAIT - 0.2  # not at the bound: when the event arrived


async def test_a_long_poll_with_nothing_new_is_an_empty_page_after_the_bound(api: Api) -> None:
    world = World.build(api.maillage)
    case = world.open_case("sophie")  # the CMP's: nothing for the AEMO
    _, headers = client(api, world.i("aemo"))
    head = caught_up(api)
    mine = (await page(api, headers))["next_after"]

    started = time.monotonic()
    body = await page(api, headers, after=mine, wait=0.5)
    waited = time.monotonic() - started
    assert body["items"] == []
    assert not body["has_more"]
    assert body["next_after"] >= head  # the CMP's case skipped: it resumes past it
    assert 0.5 <= waited < MAX_WAIT + 1
    assert str(case) not in str(body)


# --- (e) personal fields ------------------------------------------------------------------


def _readings(app: Maillage, reader: UUID) -> list[CaseContentRead]:
    return [
        e
        for e in events_since(app, 0)
        if isinstance(e, CaseContentRead) and e.by.professional_id == reader
    ]


async def audited_readings(
    api: Api, case_id: UUID, reader_id: UUID, institution: UUID
) -> list[dict[str, Any]]:
    """The entries of the case's audit trail, read by a supervisor of `institution` once the
    read side is caught up, that the client `reader_id` made (its readings)."""
    app = api.maillage
    supervisor = app.register_professional(name="Claire Weber", profession="head of service").id
    app.start_employment(
        professional_id=supervisor, institution_id=institution, start=date(2020, 1, 1)
    )
    audit = await api.client.get(
        f"/cases/{case_id}/audit",
        params={"purpose": "audit", "after": caught_up(api)},
        headers=api.headers(Role.SUPERVISOR, supervisor, institution),
    )
    assert audit.status_code == 200, audit.text
    return [e for e in audit.json()["items"] if e["professional_id"] == str(reader_id)]


async def test_personal_fields_only_in_scope_each_case_read_once_and_named_in_its_audit(
    api: Api,
) -> None:
    app = api.maillage
    world = World.build(app)
    aemo = world.i("aemo")
    cases = [world.open_case("jeanne") for _ in range(2)]
    app.record_intervention(
        case_id=cases[0], by=world.actor("jeanne"), kind="home_visit", summary="Visite au domicile"
    )
    erased = world.open_case("jeanne")
    app.erase_beneficiary(
        case_id=erased, ground="erasure_request", requested_by="dpo", reference="1"
    )
    plain_id, plain = client(api, aemo, name="Tableau de bord AEMO")
    reader_id, reader = client(api, aemo, personal_data=True, name="SI départemental")
    caught_up(api)

    without = await follow(api, plain, kinds="Case.CaseOpened,Case.InterventionRecorded")
    assert len(without) == 4
    assert not [i for i in without if "personal_data" in i]
    assert "Léo" not in str(without)
    assert "Visite au domicile" not in str(without)
    assert _readings(app, plain_id) == []

    opened = await follow(api, reader, kinds="Case.CaseOpened,Case.InterventionRecorded")
    by_case = {(i["case_id"], i["kind"]): i["personal_data"] for i in opened}
    assert by_case[(str(cases[0]), "Case.CaseOpened")]["beneficiary"] == {
        "first_name": "Léo",
        "last_name": "Schmitt",
        "birth_date": "2015-05-14",
    }
    assert by_case[(str(cases[0]), "Case.InterventionRecorded")] == {
        "summary": "Visite au domicile"
    }
    assert by_case[(str(erased), "Case.CaseOpened")] == {"beneficiary": "[erased]"}
    # one reading per case the page opened, recorded before it was answered
    readings = _readings(app, reader_id)
    assert sorted(str(r.case_id) for r in readings) == sorted(map(str, [*cases, erased]))
    assert {(r.role, r.view, r.purpose, r.by.institution_id) for r in readings} == {
        ("integration", "feed", "coordination", aemo)
    }
    # a page with nothing personal on it records nothing
    await follow(api, reader, kinds="Case.ConsentGiven")
    assert len(_readings(app, reader_id)) == 3

    read = await audited_readings(api, cases[0], reader_id, aemo)
    assert len(read) == 1
    assert read[0]["professional_name"] == "SI départemental"
    assert read[0]["institution_name"] == "AEMO Colmar"
    assert read[0]["summary"].startswith("SI départemental (AEMO Colmar) a consulté")
    assert "Flux de rattrapage" in read[0]["summary"]
    # and in the person's export, the client's reading names the client
    export = await api.client.get(
        f"/cases/{cases[0]}/personal-data", headers=api.headers(Role.DPO, uuid4(), aemo)
    )
    assert export.status_code == 200, export.text
    readers = [r for r in export.json()["readings"] if r["role"] == "integration"]
    assert [r["reader"]["professional"]["name"] for r in readers] == ["SI départemental"]


# --- (f) bad input, and what an integration token may not reach ----------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": -1}, "query.after"),
        ({"after": "dix"}, "query.after"),
        ({"after": 2**64}, "query.after"),
        ({"limit": 0}, "query.limit"),
        ({"limit": PAGE_MAX + 1}, "query.limit"),
        ({"wait": MAX_WAIT + 1}, "query.wait"),
        ({"wait": "nan"}, "query.wait"),
        ({"wait": -1}, "query.wait"),
        ({"kinds": ""}, "query.kinds"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field(
    api: Api, params: dict[str, Any], field: str
) -> None:
    _, headers = client(api, uuid4())
    response = await api.client.get("/feed", params=params, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    fields = {problem.get("field"), *(e["field"] for e in problem.get("errors", []))}
    assert field in fields, problem


async def test_an_integration_token_reaches_the_feed_only(api: Api) -> None:
    world = World.build(api.maillage)
    case = world.open_case("jeanne")
    _, headers = client(api, world.i("aemo"), personal_data=True)
    for path in (f"/cases/{case}", f"/cases/{case}/audit", f"/cases/{case}/coherence"):
        refused = await api.client.get(path, params={"purpose": "follow_up"}, headers=headers)
        assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied"), path
    worker = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    refused = await api.client.get("/feed", headers=worker)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")


async def test_a_rotation_without_grace_cuts_the_tokens_issued_before_it(api: Api) -> None:
    """A leaked secret is cut at once: its tokens already issued are refused by the feed, and a
    token issued after the rotation (with the new secret) is let in."""
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    client_id, before = client(api, aemo)
    assert (await api.client.get("/feed", headers=before)).status_code == 200

    registry = ClientRegistry(api.services.engine, clock=api.clock)
    registry.rotate(client_id, by=uuid4(), grace=timedelta(0))
    refused = await api.client.get("/feed", headers=before)
    assert (refused.status_code, refused.json()["rule"]) == (401, "client-token-cut-by-rotation")

    api.travel(NOW + timedelta(minutes=1))
    after = api.headers(Role.INTEGRATION, client_id, aemo)
    assert (await api.client.get("/feed", headers=after)).status_code == 200


async def test_personal_data_requested_by_an_administrator_alone_opens_nothing(api: Api) -> None:
    """Two people: an administrator's request without a DPO's approval gives no personal field
    and records no reading."""
    world = World.build(api.maillage)
    world.open_case("jeanne")
    registered = ClientRegistry(api.services.engine).register(
        name="SI",
        institution_id=world.i("aemo"),
        kinds=["Case.CaseOpened"],
        personal_data=True,
        purpose=ReadPurpose.COORDINATION,
        by=uuid4(),
    )
    headers = api.headers(Role.INTEGRATION, registered.client_id, world.i("aemo"))
    caught_up(api)
    items = await follow(api, headers)
    assert [i["kind"] for i in items] == ["Case.CaseOpened"]
    assert "personal_data" not in items[0]
    assert "Léo" not in str(items)
    assert _readings(api.maillage, registered.client_id) == []
