"""The FHIR view of a case over HTTP (issue 19, section 3): `GET /cases/{id}/fhir` answers a
Bundle that validates (fhir.resources, R4B), whose references all resolve within it, and from
which alone the case's actors and bases are rebuilt as the file and the audit trail give them;
consents, referrals (requested, accepted, declined, revoked) and readings are in it; the
reading is recorded before the answer; the same readers as the case's file, and no others."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from api.fhir import codes
from domain.access import Role
from tests.e2e.conftest import Api
from tests.fhir_reading import acts, maillage_id, of_type, parsed, participants
from tests.world import NOW, TODAY, World, ago

READ = {"purpose": "coordination"}
FHIR_JSON = "application/fhir+json"


class Scene:
    """Jeanne (AEMO) holds the case; Sophie (CMP) joins under a convention, Karim (ASE) under a
    delegation; a consent; four referrals, one in each state; Jeanne is the référent."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = w = World.build(api.maillage)
        app = api.maillage
        self.case_id = w.open_case("jeanne", occurred_at=ago(9))
        w.convention("aemo", "cmp")
        app.join_case(
            case_id=self.case_id, by=w.actor("sophie"), role="psychiatre", occurred_at=ago(8)
        )
        delegation = w.delegation("karim", self.case_id, "case_participation", "home_visit")
        self.delegation = delegation
        app.join_case(
            case_id=self.case_id,
            by=w.actor("karim"),
            role="assistant social",
            delegation_id=delegation,
            occurred_at=ago(0, 3),
        )
        app.record_intervention(
            case_id=self.case_id,
            by=w.actor("karim"),
            kind="home_visit",
            summary="Visite",
            delegation_id=delegation,
            occurred_at=ago(0, 2),
        )
        app.designate_coordinator(
            case_id=self.case_id, by=w.actor("jeanne"), coordinator=w.actor("jeanne")
        )
        self.pending = w.refer(self.case_id, "jeanne", "school", occurred_at=ago(1))
        self.accepted = w.refer(self.case_id, "jeanne", "hospital", occurred_at=ago(1))
        app.accept_referral(case_id=self.case_id, referral_id=self.accepted, by=w.actor("luc"))
        self.declined = w.refer(self.case_id, "jeanne", "crip", occurred_at=ago(1))
        app.decline_referral(
            case_id=self.case_id, referral_id=self.declined, by=w.actor("thomas"), reason="Non"
        )
        self.revoked = w.refer(self.case_id, "jeanne", "ase", occurred_at=ago(1))
        app.revoke_referral(
            case_id=self.case_id, referral_id=self.revoked, by=w.actor("jeanne"), reason="Erreur"
        )
        app.leave_case(case_id=self.case_id, by=w.actor("sophie"), occurred_at=ago(0, 1))
        self.jeanne = api.headers(Role.CASE_WORKER, w.p("jeanne"), w.i("aemo"))
        supervisor = app.register_professional(name="Claire", profession="head").id
        app.start_employment(
            professional_id=supervisor, institution_id=w.i("aemo"), start=date(2019, 9, 1)
        )
        self.supervisor_id = supervisor
        self.supervisor = api.headers(Role.SUPERVISOR, supervisor, w.i("aemo"))

    async def fhir(self, headers: dict[str, str], **params: Any) -> Any:
        return await self.api.client.get(
            f"/cases/{self.case_id}/fhir", params={**READ, **params}, headers=headers
        )

    async def settled(self) -> None:
        projections = self.api.services.projections
        assert projections.wait_for(projections.head(), timeout=10)


async def test_the_bundle_validates_and_round_trips_the_actors_and_bases(api: Api) -> None:
    s = Scene(api)
    await s.settled()

    answer = await s.fhir(s.jeanne)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(FHIR_JSON)
    resources = parsed(answer.json())
    file = (await api.client.get(f"/cases/{s.case_id}", params=READ, headers=s.jeanne)).json()
    now = {
        (p["professional_id"], p["institution_id"], p["basis"]["kind"], _str(p["basis"]["ref_id"]))
        for p in file["participants"]
    }
    team = participants(resources)
    assert {t[:4] for t in team if t[4]} == now
    w = s.world
    assert (str(w.p("karim")), str(w.i("ase")), "delegation", str(s.delegation), True) in team
    # Sophie left: in the team still, her period ended, on the convention she joined under
    (sophie,) = [t for t in team if t[0] == str(w.p("sophie"))]
    assert sophie[2] == "convention"
    assert sophie[4] is False
    coherence = (
        await api.client.get(f"/cases/{s.case_id}/coherence", params=READ, headers=s.jeanne)
    ).json()
    assert {
        (a["professional_id"], a["institution_id"], a["basis"]["kind"], _str(a["basis"]["ref_id"]))
        for a in coherence["actors"]
    } == now

    # every act, from the bundle alone, as the audit trail has it
    trail = (
        await api.client.get(
            f"/cases/{s.case_id}/audit", params={"purpose": "audit"}, headers=s.supervisor
        )
    ).json()["items"]
    audited = {
        f"{s.case_id}/{e['aggregate_version']}": (
            e["professional_id"],
            e["institution_id"],
            e["basis_kind"],
            _str(e["basis_ref"]),
        )
        for e in trail
        if e["aggregate_id"] == str(s.case_id)
    }
    assert acts(resources) == audited
    assert len(audited) == len(api.maillage.recorder.select_events(s.case_id))

    (episode,) = of_type(resources, "EpisodeOfCare")
    holder = resources[episode["managingOrganization"]["reference"]]
    assert maillage_id(holder, "institution") == str(w.i("aemo"))
    manager = resources[episode["careManager"]["reference"]]
    assert maillage_id(resources[manager["practitioner"]["reference"]], "professional") == str(
        w.p("jeanne")
    )
    assert episode["status"] == "active"

    # the referrals, each in its state
    tasks = {maillage_id(t, "referral"): t for t in of_type(resources, "Task")}
    statuses = {r: tasks[str(r)]["status"] for r in (s.pending, s.accepted, s.declined, s.revoked)}
    assert statuses == {
        s.pending: "requested",
        s.accepted: "accepted",
        s.declined: "rejected",
        s.revoked: "cancelled",
    }
    requests = of_type(resources, "ServiceRequest")
    assert {maillage_id(r, "referral") for r in requests} == set(map(str, statuses))

    # the consents: four, each to the referred institution, for identity
    consents = of_type(resources, "Consent")
    assert len(consents) == 4 == len(file["consents"])
    for consent in consents:
        (recipient,) = consent["provision"]["actor"]
        assert recipient["reference"]["reference"] in resources
        assert [c["coding"][0]["code"] for c in consent["provision"]["code"]] == ["identity"]
        assert consent["status"] == "active"

    # the Patient: what the file shows
    (patient,) = of_type(resources, "Patient")
    assert patient["name"][0]["family"] == "Schmitt"
    assert patient["birthDate"] == "2015-05-14"


async def test_readings_are_shown_to_a_supervisor_and_the_reading_is_recorded_first(
    api: Api,
) -> None:
    s = Scene(api)
    read = await api.client.get(f"/cases/{s.case_id}", params=READ, headers=s.jeanne)
    assert read.status_code == 200

    answer = await s.fhir(s.supervisor, _format="application/fhir+json")

    assert answer.status_code == 200, answer.text
    resources = parsed(answer.json())
    readings = []
    for event in of_type(resources, "AuditEvent"):
        (agent,) = event["agent"]
        role = resources[agent["who"]["reference"]]
        who = maillage_id(resources[role["practitioner"]["reference"]], "professional")
        view = event["entity"][1]["detail"][0]["valueString"]
        purpose = event["purposeOfEvent"][0]["coding"][0]["code"]
        readings.append((who, view, purpose))
    assert readings == [
        (str(s.world.p("jeanne")), "file", "coordination"),
        (str(s.supervisor_id), "fhir", "coordination"),  # this one, recorded before the answer
    ]

    # a case worker reads the case, not who read it (the audit is a supervisor's)
    mine = parsed((await s.fhir(s.jeanne)).json())
    assert of_type(mine, "AuditEvent") == []
    await s.settled()
    trail = (
        await api.client.get(
            f"/cases/{s.case_id}/audit",
            params={"purpose": "audit", "kinds": "CaseContentRead"},
            headers=s.supervisor,
        )
    ).json()["items"]
    assert [e["professional_id"] for e in trail].count(str(s.world.p("jeanne"))) == 2


async def test_an_erased_beneficiary_shows_nothing_personal(api: Api) -> None:
    s = Scene(api)
    dpo = api.headers(Role.DPO, uuid4(), s.world.i("aemo"))
    erased = await api.client.post(
        f"/cases/{s.case_id}/erasure", json={"ground": "erasure_request"}, headers=dpo
    )
    assert erased.status_code in (200, 201), erased.text

    answer = await s.fhir(s.supervisor)

    assert answer.status_code == 200, answer.text
    resources = parsed(answer.json())
    (patient,) = of_type(resources, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    assert "Schmitt" not in answer.text
    assert "Léo" not in answer.text
    assert "2015-05-14" not in answer.text
    (episode,) = of_type(resources, "EpisodeOfCare")
    assert episode["status"] == "finished"
    assert len(participants(resources)) == 3  # the actors and bases stay countable


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.CASE_WORKER, "school"),  # another institution's staff
        (Role.SUPERVISOR, "school"),
        (Role.FUNDER, "aemo"),
        (Role.ADMIN, None),
        (Role.DPO, "aemo"),
        (Role.INTEGRATION, "aemo"),
    ],
)
async def test_others_are_refused_and_nothing_is_recorded(
    api: Api, role: Role, where: str | None
) -> None:
    s = Scene(api)
    w = s.world
    subject = w.p("paul") if role in (Role.CASE_WORKER, Role.SUPERVISOR) else uuid4()
    if role is Role.INTEGRATION:  # a registered client's (an unknown client's token is a 401)
        subject = api.register_client(w.i("aemo")).client_id
    headers = api.headers(role, subject, w.i(where) if where else None)
    before = api.maillage.recorder.max_notification_id()

    answer = await s.fhir(headers)

    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert api.maillage.recorder.max_notification_id() == before


async def test_an_unknown_case_is_404_and_a_format_other_than_json_is_refused(api: Api) -> None:
    s = Scene(api)
    unknown = await api.client.get(f"/cases/{uuid4()}/fhir", params=READ, headers=s.jeanne)
    assert unknown.status_code == 404
    xml = await s.fhir(s.jeanne, _format="xml")
    assert xml.status_code == 406  # FHIR's REST API: an unsupported format
    assert "_format" in xml.text
    no_purpose = await api.client.get(f"/cases/{s.case_id}/fhir", headers=s.jeanne)
    assert no_purpose.status_code == 422
    assert "purpose" in no_purpose.text


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


__all__ = ["NOW", "TODAY", "codes", "timedelta"]


async def test_organizations_and_practitioners_carry_their_national_numbers(api: Api) -> None:
    """FINESS and SIRET of an institution, RPPS of a professional, with their FR Core systems and
    the national identifier derived from them (idNat_Struct, idNat_PS)."""
    s = Scene(api)
    await s.settled()
    answer = await s.fhir(s.jeanne)
    assert answer.status_code == 200, answer.text
    entries = [e["resource"] for e in answer.json()["entry"]]
    w = s.world

    def identifiers(resource_type: str, maillage: str) -> dict[str, str]:
        (found,) = [
            r
            for r in entries
            if r["resourceType"] == resource_type
            and any(i["value"] == maillage for i in r["identifier"])
        ]
        return {i["system"]: i["value"] for i in found["identifier"]}

    aemo = identifiers("Organization", str(w.i("aemo")))
    numbers = World.IDENTIFIERS["aemo"]
    assert aemo["https://finess.esante.gouv.fr"] == numbers["finess"]
    assert aemo["https://sirene.fr"] == numbers["siret"]
    assert aemo["urn:oid:1.2.250.1.71.4.2.2"] == "1" + numbers["finess"]  # FINESS first
    sophie = identifiers("Practitioner", str(w.p("sophie")))
    assert sophie["https://rpps.esante.gouv.fr"] == World.IDENTIFIERS["sophie"]["rpps"]
    assert sophie["urn:oid:1.2.250.1.71.4.2.1"] == "8" + World.IDENTIFIERS["sophie"]["rpps"]
    karim = identifiers("Practitioner", str(w.p("karim")))
    assert karim["https://adeli.esante.gouv.fr"] == World.IDENTIFIERS["karim"]["adeli"]
    jeanne = identifiers("Practitioner", str(w.p("jeanne")))
    assert list(jeanne) == [codes.ID_SYSTEMS["professional"]]  # holds no national number
