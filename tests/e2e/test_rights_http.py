"""The beneficiary's rights over HTTP (issue 17, section 4): a data-protection officer of an
institution on the case exports everything held (JSON, a French HTML document, PDF), each
export recorded as a reading; rectifies the identity (every reader then sees the new one, the
export keeps the old); erases; and reads no case otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World, position

PROBLEM = "application/problem+json"
READ = {"purpose": "follow_up"}


class Scene:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = world = World.build(api.maillage)
        self.jeanne = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
        self.dpo_subject = uuid4()
        self.dpo = api.headers(Role.DPO, self.dpo_subject, world.i("aemo"))
        self.dpo_elsewhere = api.headers(Role.DPO, uuid4(), world.i("school"))
        supervisor = api.maillage.register_professional(name="Claire", profession="head").id
        api.maillage.start_employment(
            professional_id=supervisor, institution_id=world.i("aemo"), start=date(2019, 9, 1)
        )
        self.supervisor = api.headers(Role.SUPERVISOR, supervisor, world.i("aemo"))

    async def open(self, first: str, last: str) -> str:
        opened = await self.api.client.post(
            "/cases",
            json={
                "beneficiary": {"first_name": first, "last_name": last, "birth_date": "2013-04-02"},
                "legal_framework": "administrative",
            },
            headers=self.jeanne,
        )
        assert opened.status_code == 201, opened.text
        case_id: str = opened.json()["id"]
        return case_id

    async def export(self, case_id: str, **params: Any) -> Any:
        return await self.api.client.get(
            f"/cases/{case_id}/personal-data", params=params, headers=self.dpo
        )


async def test_a_dpo_exports_everything_held_and_nothing_of_another_case(api: Api) -> None:
    s = Scene(api)
    case_id = await s.open("Anaïs", "Weber")
    other = await s.open("Zoé", "Kessler")
    act = await api.client.post(
        f"/cases/{case_id}/interventions",
        json={"kind": "home_visit", "summary": "Visite chez Anaïs"},
        headers=s.jeanne,
    )
    assert act.status_code in (200, 201), act.text
    read = await api.client.get(f"/cases/{case_id}", params=READ, headers=s.jeanne)
    assert read.status_code == 200

    answer = await s.export(case_id)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["schema_version"] == "1"
    assert body["beneficiary"]["first_name"] == "Anaïs"
    in_log = api.maillage.recorder.select_events(UUID(case_id))
    assert [a["version"] for a in body["acts"]] == [e.originator_version for e in in_log]
    assert [a["event"] for a in body["acts"]] == ["CaseOpened", "InterventionRecorded"]
    visit = body["acts"][1]
    assert visit["actor"]["professional"]["name"] == "Jeanne"
    assert visit["actor"]["institution"]["name"] == "AEMO Colmar"
    assert visit["basis"]["kind"] == "case_holder"
    assert visit["details"]["summary"] == "Visite chez Anaïs"
    assert visit["recorded_at"]
    assert visit["occurred_at"]
    readings = [(r["view"], r["purpose"], r["role"]) for r in body["readings"]]
    assert readings == [
        ("file", "follow_up", "case_worker"),
        ("personal_data", "legal_request", "dpo"),  # this export, recorded before the answer
    ]
    assert body["readings"][1]["reader"]["professional"]["id"] == str(s.dpo_subject)
    assert "Zoé" not in answer.text
    assert "Kessler" not in answer.text
    assert other not in answer.text

    again = await s.export(case_id)
    assert [r["view"] for r in again.json()["readings"]] == [
        "file",
        "personal_data",
        "personal_data",
    ]

    # The supervisor of the holding institution sees each export in the audit trail, in French.
    audit = await api.client.get(
        f"/cases/{case_id}/audit",
        params={"purpose": "supervision", "after": position(api.maillage)},
        headers=s.supervisor,
    )
    assert audit.status_code == 200, audit.text
    sentences = [e["summary"] for e in audit.json()["items"]]
    exported = (
        "Le délégué à la protection des données de AEMO Colmar a exporté les données de la "
        "personne, motif : demande légale"
    )
    assert sentences.count(exported) == 2, sentences


async def test_the_export_as_a_french_document_and_as_pdf(api: Api) -> None:
    s = Scene(api)
    case_id = await s.open("Anaïs", "Weber")
    html = await s.export(case_id, format="html")
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert "Données personnelles détenues par Maillage" in html.text
    assert "Anaïs" in html.text
    assert "Weber" in html.text
    assert "Ouverture du dossier" in html.text
    assert "Qui a consulté le dossier" in html.text
    by_accept = await api.client.get(
        f"/cases/{case_id}/personal-data", headers={**s.dpo, "Accept": "text/html"}
    )
    assert by_accept.headers["content-type"].startswith("text/html")
    pdf = await s.export(case_id, format="pdf")
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    views = [r["view"] for r in (await s.export(case_id)).json()["readings"]]
    assert views == ["personal_data"] * 4  # html, html by Accept, pdf, and this one


async def test_a_dpo_reads_no_case_and_acts_only_where_their_institution_was(api: Api) -> None:
    s = Scene(api)
    case_id = await s.open("Anaïs", "Weber")
    case = f"/cases/{case_id}"
    elsewhere = await api.client.get(f"{case}/personal-data", headers=s.dpo_elsewhere)
    assert (elsewhere.status_code, elsewhere.json()["rule"]) == (403, "access-denied")
    assert "intervient ou est intervenu" in elsewhere.json()["detail"]
    for path, params in (
        ("", READ),
        ("/coherence", READ),
        ("/audit", {"purpose": "audit"}),
    ):
        refused = await api.client.get(case + path, params=params, headers=s.dpo)
        assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied"), path
        assert "délégué à la protection des données" in refused.json()["detail"]
    caseload = await api.client.get(f"/professionals/{s.world.p('jeanne')}/caseload", headers=s.dpo)
    assert caseload.status_code == 403
    no_institution = await api.client.get(
        f"{case}/personal-data", headers=api.headers(Role.DPO, uuid4())
    )
    assert (no_institution.status_code, no_institution.json()["rule"]) == (401, "unauthenticated")
    for_admin = await api.client.get(f"{case}/personal-data", headers=api.headers(Role.ADMIN))
    assert (for_admin.status_code, for_admin.json()["rule"]) == (403, "access-denied")
    # No refusal above recorded a reading.
    readings = (await s.export(case_id)).json()["readings"]
    assert [r["view"] for r in readings] == ["personal_data"]


async def test_rectification_is_shown_everywhere_and_kept_in_the_history(api: Api) -> None:
    s = Scene(api)
    case_id = await s.open("Anais", "Weber")
    case = f"/cases/{case_id}"
    unchanged = await api.client.post(
        f"{case}/identity-rectification",
        json={"first_name": "Anais", "reason": "Rien"},
        headers=s.dpo,
    )
    assert (unchanged.status_code, unchanged.headers["content-type"]) == (422, PROBLEM)
    assert unchanged.json()["rule"] == "identity-unchanged"
    by_worker = await api.client.post(
        f"{case}/identity-rectification",
        json={"first_name": "Anaïs", "reason": "Accent"},
        headers=s.jeanne,
    )
    assert (by_worker.status_code, by_worker.json()["rule"]) == (403, "access-denied")

    rectified = await api.client.post(
        f"{case}/identity-rectification",
        json={"first_name": "Anaïs", "reason": "Pièce d'identité présentée"},
        headers=s.dpo,
    )
    assert rectified.status_code == 200, rectified.text

    file = await api.client.get(case, params=READ, headers=s.jeanne)
    assert file.json()["beneficiary"]["first_name"] == "Anaïs"
    body = (await s.export(case_id)).json()
    assert body["beneficiary"]["first_name"] == "Anaïs"
    [history] = body["identity_history"]
    assert history["previous"]["first_name"] == "Anais"
    assert history["rectified"]["first_name"] == "Anaïs"
    assert history["reason"] == "Pièce d'identité présentée"
    assert history["institution"]["name"] == "AEMO Colmar"
    assert body["acts"][-1]["event"] == "IdentityRectified"

    audit = await api.client.get(
        f"{case}/audit",
        params={"purpose": "supervision", "after": position(api.maillage)},
        headers=s.supervisor,
    )
    sentences = [e["summary"] for e in audit.json()["items"]]
    assert (
        "Le délégué à la protection des données de AEMO Colmar a rectifié l'identité de la personne"
    ) in sentences
    assert not [t for t in sentences if "Anais" in t or "Anaïs" in t]  # the audit names no one


@pytest.mark.parametrize("by", ["admin", "dpo"])
async def test_erasure_is_the_dpos_and_leaves_an_export_of_what_remains(api: Api, by: str) -> None:
    s = Scene(api)
    case_id = await s.open("Anais", "Weber")
    case = f"/cases/{case_id}"
    await api.client.post(
        f"{case}/identity-rectification",
        json={"first_name": "Anaïs", "last_name": "Webber", "reason": "Acte de naissance"},
        headers=s.dpo,
    )
    headers = api.headers(Role.ADMIN) if by == "admin" else s.dpo
    erased = await api.client.post(
        f"{case}/erasure", json={"ground": "erasure_request"}, headers=headers
    )
    if by == "admin":
        assert (erased.status_code, erased.json()["rule"]) == (403, "access-denied")
        assert "pas à un administrateur" in erased.json()["detail"]
        return
    assert erased.status_code == 200, erased.text
    answer = await s.export(case_id)
    assert answer.status_code == 200
    body = answer.json()
    assert body["erased"] is True
    assert body["beneficiary"] == {
        "first_name": "[erased]",
        "last_name": "[erased]",
        "birth_date": None,
    }
    [history] = body["identity_history"]
    assert history["previous"]["first_name"] == history["rectified"]["first_name"] == "[erased]"
    assert body["erasure"]["ground"] == "erasure_request"
    assert body["erasure"]["requested_by"] == f"dpo {s.dpo_subject}"
    for name in ("Anais", "Anaïs", "Weber", "Webber", "Acte de naissance"):
        assert name not in answer.text
    file = await api.client.get(case, params=READ, headers=s.jeanne)
    assert file.json()["beneficiary"]["first_name"] == "[erased]"
    again = await api.client.post(
        f"{case}/identity-rectification",
        json={"first_name": "Anaïs", "reason": "Encore"},
        headers=s.dpo,
    )
    assert (again.status_code, again.json()["rule"]) == (409, "beneficiary-erased")
