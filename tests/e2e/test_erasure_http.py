"""Erasure and the chain head over HTTP: a data-protection officer erases (an administrator no
longer may: issue 17), every reader then sees the person as erased, and a supervisor reads the
head to note it."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

PROBLEM = "application/problem+json"


async def test_a_dpo_erases_and_readers_see_the_person_erased(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = World.build(api.maillage)
    jeanne = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    admin = api.headers(Role.ADMIN)
    dpo = api.headers(Role.DPO, institution=world.i("aemo"))
    opened = await api.client.post(
        "/cases",
        json={
            "beneficiary": {
                "first_name": "Anaïs",
                "last_name": "Weber",
                "birth_date": "2013-04-02",
            },
            "legal_framework": "administrative",
        },
        headers=jeanne,
    )
    assert opened.status_code == 201, opened.text
    case = f"/cases/{opened.json()['id']}"
    before = await api.client.get(case, params={"purpose": "follow_up"}, headers=jeanne)
    assert before.json()["beneficiary"]["first_name"] == "Anaïs"
    assert before.json()["erased"] is False

    by_admin = await api.client.post(
        f"{case}/erasure", json={"ground": "erasure_request", "reference": "DPO-9"}, headers=admin
    )
    assert (by_admin.status_code, by_admin.json()["rule"]) == (403, "access-denied")
    assert "délégué à la protection des données" in by_admin.json()["detail"]
    erased = await api.client.post(
        f"{case}/erasure", json={"ground": "erasure_request", "reference": "DPO-9"}, headers=dpo
    )
    assert erased.status_code == 200, erased.text
    after = await api.client.get(case, params={"purpose": "follow_up"}, headers=jeanne)
    assert after.status_code == 200
    body = after.json()
    assert body["erased"] is True
    assert body["closed"] is True
    assert body["beneficiary"] == {
        "first_name": "[erased]",
        "last_name": "[erased]",
        "birth_date": None,
    }

    again = await api.client.post(f"{case}/erasure", json={"ground": "court_order"}, headers=dpo)
    assert (again.status_code, again.headers["content-type"]) == (409, PROBLEM)
    assert again.json()["rule"] == "beneficiary-erased"
    refused = await api.client.post(f"{case}/erasure", json={"ground": "nope"}, headers=dpo)
    assert (refused.status_code, refused.json()["field"]) == (422, "body.ground")
    assert caplog.records  # the requests were logged…
    assert "Anaïs" not in caplog.text  # …and no line names the person
    assert "Weber" not in caplog.text


async def test_a_supervisor_reads_the_chain_head(api: Api) -> None:
    world = World.build(api.maillage)
    claire = api.maillage.register_professional(name="Claire", profession="head").id
    api.maillage.start_employment(
        professional_id=claire, institution_id=world.i("aemo"), start=date(2019, 9, 1)
    )
    supervisor = api.headers(Role.SUPERVISOR, claire, world.i("aemo"))
    read = await api.client.get("/log/head", headers=supervisor)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["position"] == api.maillage.recorder.max_notification_id()
    assert len(body["chain_hash"]) == 64
    assert body["anchor"] == f"{body['position']}:{body['chain_hash']}"
