"""Views people can read: names beside ids, labels beside codes, sentences in French by default
and in English on `Accept-Language: en` — the audit trail (a case's, an institution's), caseloads
and involvements, a case's file and its referrals, delegations, partnerships and networks.

The scene is recorded through the use cases (the domain decides each basis: the case holder's
own mandate, a convention, a delegation, a network), then read through HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from api.i18n import FRENCH
from tests.e2e.conftest import Api
from tests.world import CHILD_PROTECTION, TODAY, World, ago

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EN = {"Accept-Language": "en"}
JEANNE = "Jeanne (AEMO Colmar)"


@dataclass
class Scene:
    api: Api
    world: World
    case_id: UUID
    convention: UUID
    delegation: UUID
    network: UUID
    referral: UUID
    position: int

    def headers(
        self, role: str, who: str | None = None, where: str | None = None
    ) -> dict[str, str]:
        subject = self.world.p(who) if who else None
        institution = self.world.i(where) if where else None
        return self.api.headers(role, subject, institution)

    async def get(self, path: str, headers: dict[str, str], **params: Any) -> Any:
        response = await self.api.client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response

    def caught_up(self) -> None:
        assert self.api.services.projections.wait_for(self.position, timeout=5)


def build(api: Api) -> Scene:
    app, world = api.maillage, World.build(api.maillage)
    claire = app.register_professional(name="Claire", profession="cheffe de service").id
    app.start_employment(professional_id=claire, institution_id=world.i("aemo"), start=TODAY)
    world.professionals["claire"] = claire  # the AEMO's head of service, who audits
    case_id = world.open_case("jeanne", occurred_at=ago(10))
    convention = world.convention("ase", "aemo")
    app.join_case(case_id=case_id, by=world.actor("karim"), role="référent ASE", occurred_at=ago(9))
    delegation = app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        scope=["case_participation", "consultation"],
        valid_from=TODAY - timedelta(days=30),
        valid_until=TODAY + timedelta(days=180),
        case_id=case_id,
    ).id
    app.join_case(
        case_id=case_id,
        by=world.actor("sophie"),
        role="pédopsychiatre",
        delegation_id=delegation,
        occurred_at=ago(8),
    )
    jeanne = world.actor("jeanne")
    app.designate_coordinator(case_id=case_id, by=jeanne, coordinator=jeanne, occurred_at=ago(8))
    network = app.found_informal_network(
        name="Réseau des éducateurs",
        values_statement="Entraide",
        founder_id=world.p("jeanne"),
        occurred_at=ago(20),
    ).id
    app.invite_to_network(
        network_id=network, inviter_id=world.p("jeanne"), invitee_id=world.p("paul")
    )
    app.accept_network_invitation(network_id=network, invitee_id=world.p("paul"))
    app.invite_to_network(network_id=network, inviter_id=world.p("paul"), invitee_id=world.p("luc"))
    app.join_case(case_id=case_id, by=world.actor("paul"), role="enseignant", occurred_at=ago(7))
    app.record_intervention(
        case_id=case_id, by=world.actor("sophie"), kind="consultation", occurred_at=ago(6)
    )
    app.give_consent(
        case_id=case_id,
        by=jeanne,
        giver="beneficiary",
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(5),
    )
    app.share_information(
        case_id=case_id,
        by=jeanne,
        recipient_institution_id=world.i("cmp"),
        categories=["health"],
        occurred_at=ago(4),
    )
    referral = app.refer(
        case_id=case_id,
        by=jeanne,
        to_institution_id=world.i("hospital"),
        reason="Suivi somatique",
        legal_ground=CHILD_PROTECTION,
        occurred_at=ago(3),
    ).entity_id
    assert referral is not None
    position = app.recorder.max_notification_id() or 0
    return Scene(api, world, case_id, convention, delegation, network, referral, position)


async def case_audit(s: Scene, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    supervisor = s.headers("supervisor", "claire", "aemo")
    query = {"purpose": "supervision", "after": s.position, "limit": 100, **params}
    response = await s.get(f"/cases/{s.case_id}/audit", {**supervisor, **headers}, **query)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def one(entries: list[dict[str, Any]], event: str, who: str | None = None) -> dict[str, Any]:
    found = [
        e
        for e in entries
        if e["event_type"] == event and (who is None or e["professional_name"] == who)
    ]
    assert len(found) == 1, (event, who, [e["summary"] for e in entries])
    return found[0]


async def test_the_audit_trail_names_everyone_in_french_and_in_english_on_request(
    api: Api,
) -> None:
    s = build(api)
    await s.get(
        f"/cases/{s.case_id}", s.headers("case_worker", "jeanne", "aemo"), purpose="coordination"
    )
    s.position = s.api.maillage.recorder.max_notification_id() or 0  # the reading, recorded
    french = await case_audit(s, {})
    english = await case_audit(s, EN)
    english = english[: len(french)]  # past them: the French reading of the trail, recorded
    assert [e["position"] for e in french] == [e["position"] for e in english]

    # Every entry is named and worded: no id in a sentence when the registry knows the names.
    assert all(not UUID_IN_TEXT.search(e["summary"]) for e in french + english)
    for e in french:
        if e["professional_id"] is not None:
            assert e["professional_name"] is not None
            assert e["institution_name"] is not None

    opened = one(french, "Case.CaseOpened")
    assert opened["summary"] == f"{JEANNE} a ouvert le dossier (cadre judiciaire), rôle : referent"
    assert (opened["basis_kind"], opened["basis_kind_label"], opened["basis_name"]) == (
        "case_holder",
        "Détenteur du dossier",
        "AEMO Colmar",
    )
    joined = {
        e["professional_name"]: e for e in french if e["event_type"] == "Case.ParticipantJoined"
    }
    assert {who: (e["basis_kind_label"], e["basis_name"]) for who, e in joined.items()} == {
        "Karim": ("Convention", "Convention ase-aemo"),
        "Sophie": ("Délégation", "CMP Colmar"),
        "Paul": ("Réseau", "Réseau des éducateurs"),
    }
    assert (
        joined["Paul"]["summary"] == "Paul (École Pasteur) a rejoint le dossier, rôle : enseignant"
    )
    assert joined["Sophie"]["basis_ref"] == str(s.delegation)  # the id stays, the name beside it

    said = {e["event_type"].removeprefix("Case."): e["summary"] for e in french}
    assert said["InterventionRecorded"] == (
        "Sophie (CMP Colmar) a enregistré une intervention : consultation"
    )
    assert said["CoordinatorDesignated"] == (
        f"{JEANNE} a désigné {JEANNE} comme référent de parcours"
    )
    assert said["ConsentGiven"] == (
        f"{JEANNE} a recueilli le consentement de la personne au partage (santé) avec CMP Colmar"
    )
    assert said["InformationShared"] == (
        f"{JEANNE} a transmis des informations (santé) à CMP Colmar, "
        "avec le consentement de la personne"
    )
    assert said["ReferralMade"] == f"{JEANNE} a orienté la personne vers Hôpital Pasteur"
    shared = one(french, "Case.InformationShared")
    assert shared["counterpart_institution_name"] == "CMP Colmar"
    assert one(french, "Case.ReferralMade")["counterpart_institution_name"] == "Hôpital Pasteur"

    # Who read the file, when, which view, why — with the reader's name.
    reading = one(french, "Consultation.CaseContentRead", "Jeanne")
    assert reading["summary"] == (
        f"{JEANNE} a consulté « Dossier » (rôle : intervenant), motif : coordination"
    )
    assert (reading["institution_name"], reading["basis_kind"]) == ("AEMO Colmar", None)

    # The same entries in English: the same names, other words.
    said_en = {e["event_type"].removeprefix("Case."): e["summary"] for e in english}
    assert (
        said_en["InterventionRecorded"]
        == "Sophie (CMP Colmar) recorded an intervention: consultation"
    )
    assert said_en["InformationShared"] == (
        f"{JEANNE} shared health with CMP Colmar, with the person's consent"
    )
    assert one(english, "Consultation.CaseContentRead", "Jeanne")["summary"] == (
        f"{JEANNE} read the “Case file” as case worker, purpose: coordination"
    )
    sophie_en = one(english, "Case.ParticipantJoined", "Sophie")
    assert (sophie_en["basis_kind_label"], sophie_en["basis_name"]) == ("Delegation", "CMP Colmar")


async def test_pages_of_the_audit_trail_are_named_and_add_up_to_the_whole(api: Api) -> None:
    s = build(api)
    whole = await case_audit(s, {})
    supervisor = s.headers("supervisor", "claire", "aemo")
    pages: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"purpose": "supervision", "limit": 3}
        if cursor is not None:
            params["cursor"] = cursor
        found = (await s.get(f"/cases/{s.case_id}/audit", supervisor, **params)).json()
        assert len(found["items"]) <= 3
        pages += found["items"]
        cursor = found["next_cursor"]
        if cursor is None:
            break
    # the pages hold the whole trail (and the readings the paging itself recorded)
    acts = [e for e in pages if e["event_type"].startswith("Case.")]
    assert acts == [e for e in whole if e["event_type"].startswith("Case.")]
    assert len(acts) == 9
    assert all(e["professional_name"] and not UUID_IN_TEXT.search(e["summary"]) for e in pages)


async def test_an_institutions_audit_names_what_was_addressed_to_it(api: Api) -> None:
    s = build(api)
    s.caught_up()
    cmp = s.headers("supervisor", "sophie", "cmp")
    path = f"/institutions/{s.world.i('cmp')}/audit"
    french = (await s.get(path, cmp, kinds="InformationShared")).json()["items"]
    english = (await s.get(path, {**cmp, **EN}, kinds="InformationShared")).json()["items"]
    assert [
        (e["professional_name"], e["institution_name"], e["counterpart_institution_name"])
        for e in french
    ] == [("Jeanne", "AEMO Colmar", "CMP Colmar")]
    assert french[0]["summary"].startswith(f"{JEANNE} a transmis des informations (santé)")
    assert english[0]["summary"].startswith(f"{JEANNE} shared health with CMP Colmar")
    registry = (await s.get(path, cmp, kinds="DelegationGranted")).json()["items"]
    since, until = TODAY - timedelta(days=30), TODAY + timedelta(days=180)
    assert [e["summary"] for e in registry] == [
        "CMP Colmar délègue à Sophie : participation au dossier, consultation, "
        f"du {FRENCH.date(since)} au {FRENCH.date(until)}"
    ]
    assert FRENCH.date(since) == "21 octobre 2026"


async def test_caseloads_and_involvements_name_actors_bases_and_holders(api: Api) -> None:
    s = build(api)
    second = s.world.open_case("jeanne", occurred_at=ago(2))
    s.position = s.api.maillage.recorder.max_notification_id() or 0
    s.caught_up()
    karim = s.headers("case_worker", "karim", "ase")
    rows = (await s.get(f"/professionals/{s.world.p('karim')}/caseload", karim)).json()["items"]
    assert [
        (
            r["professional_name"],
            r["institution_name"],
            r["basis_kind"],
            r["basis_kind_label"],
            r["basis_name"],
            r["holder_institution_id"],
            r["holder_institution_name"],
        )
        for r in rows
    ] == [
        (
            "Karim",
            "ASE 68",
            "convention",
            "Convention",
            "Convention ase-aemo",
            str(s.world.i("aemo")),
            "AEMO Colmar",
        )
    ]

    cmp = s.headers("supervisor", "sophie", "cmp")
    path = f"/institutions/{s.world.i('cmp')}/involvement"
    french = (await s.get(path, cmp)).json()["items"]
    english = (await s.get(path, {**cmp, **EN})).json()["items"]
    assert [(r["professional_name"], r["basis_kind_label"], r["basis_name"]) for r in french] == [
        ("Sophie", "Délégation", "CMP Colmar")
    ]
    assert [r["basis_kind_label"] for r in english] == ["Delegation"]

    # Jeanne's two cases, a page at a time: each page named.
    jeanne = s.headers("case_worker", "jeanne", "aemo")
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 1}
        if cursor is not None:
            params["cursor"] = cursor
        found = (
            await s.get(f"/professionals/{s.world.p('jeanne')}/caseload", jeanne, **params)
        ).json()
        seen += found["items"]
        cursor = found["next_cursor"]
        if cursor is None:
            break
    assert sorted(r["case_id"] for r in seen) == sorted([str(s.case_id), str(second)])
    assert {
        (r["professional_name"], r["basis_kind_label"], r["holder_institution_name"]) for r in seen
    } == {("Jeanne", "Détenteur du dossier", "AEMO Colmar")}


async def test_a_case_file_names_participants_consents_and_referrals(api: Api) -> None:
    s = build(api)
    s.caught_up()
    jeanne = s.headers("case_worker", "jeanne", "aemo")
    file = (await s.get(f"/cases/{s.case_id}", jeanne, purpose="follow_up")).json()
    assert (file["legal_framework"], file["legal_framework_label"]) == ("judicial", "Judiciaire")
    assert file["holder_institution_name"] == "AEMO Colmar"
    assert {
        p["professional_name"]: (
            p["institution_name"],
            p["basis"]["kind_label"],
            p["basis"]["name"],
        )
        for p in file["participants"]
    } == {
        "Jeanne": ("AEMO Colmar", "Détenteur du dossier", "AEMO Colmar"),
        "Karim": ("ASE 68", "Convention", "Convention ase-aemo"),
        "Sophie": ("CMP Colmar", "Délégation", "CMP Colmar"),
        "Paul": ("École Pasteur", "Réseau", "Réseau des éducateurs"),
    }
    sophie = next(p for p in file["participants"] if p["professional_name"] == "Sophie")
    assert (sophie["basis"]["kind"], sophie["basis"]["ref_id"]) == ("delegation", str(s.delegation))
    assert (file["coordinator"]["professional_name"], file["coordinator"]["institution_name"]) == (
        "Jeanne",
        "AEMO Colmar",
    )
    [consent] = file["consents"]
    assert (consent["giver_label"], consent["recipient_names"], consent["category_labels"]) == (
        "Personne accompagnée",
        ["CMP Colmar"],
        ["Santé"],
    )
    [referral] = file["referrals"]
    assert referral["referral_id"] == str(s.referral)
    assert (
        referral["from_institution_name"],
        referral["to_institution_name"],
        referral["status"],
        referral["status_label"],
    ) == ("AEMO Colmar", "Hôpital Pasteur", "pending", "En attente")

    english = (await s.get(f"/cases/{s.case_id}", {**jeanne, **EN}, purpose="follow_up")).json()
    assert english["legal_framework_label"] == "Judicial"
    assert english["referrals"][0]["status_label"] == "Pending"
    assert english["consents"][0]["category_labels"] == ["Health"]


async def test_delegations_partnerships_and_networks_name_the_ids_they_show(api: Api) -> None:
    s = build(api)
    app, world = s.api.maillage, s.world
    formal = app.found_formal_network(
        name="Réseau santé mentale 68",
        founding_institutions=[world.i("cmp"), world.i("ase")],
        objectives=["Coordonner les soins"],
        occurred_at=ago(20),
    ).id
    in_network = app.grant_delegation(
        institution_id=world.i("ase"),
        professional_id=world.p("karim"),
        scope=["meeting", "coordination"],
        valid_from=TODAY - timedelta(days=30),
        valid_until=TODAY + timedelta(days=180),
        network_id=formal,
        granted_by=world.p("karim"),
    ).id
    app.admit_to_network(network_id=formal, delegation_id=in_network, occurred_at=ago(10))
    app.appoint_network_coordinator(network_id=formal, professional_id=world.p("karim"))
    s.position = app.recorder.max_notification_id() or 0
    s.caught_up()
    admin = s.api.headers("admin")

    listed = (await s.get("/delegations", admin)).json()["items"]
    by_id = {d["delegation_id"]: d for d in listed}
    assert (
        by_id[str(s.delegation)]["institution_name"],
        by_id[str(s.delegation)]["professional_name"],
        by_id[str(s.delegation)]["scope_labels"],
    ) == ("CMP Colmar", "Sophie", ["Participation au dossier", "Consultation"])
    assert by_id[str(in_network)]["network_name"] == "Réseau santé mentale 68"
    read = (await s.get(f"/delegations/{in_network}", {**admin, **EN})).json()
    assert (
        read["institution_name"],
        read["professional_name"],
        read["granted_by_name"],
        read["network_name"],
        read["scope_labels"],
    ) == ("ASE 68", "Karim", "Karim", "Réseau santé mentale 68", ["Meeting", "Coordination"])

    partnerships = (await s.get("/partnerships", admin)).json()["items"]
    [convention] = [p for p in partnerships if p["partnership_id"] == str(s.convention)]
    assert (convention["kind_label"], convention["party_names"], convention["signed_by_names"]) == (
        "Convention",
        ["ASE 68", "AEMO Colmar"],
        ["ASE 68", "AEMO Colmar"],
    )
    partnership = (await s.get(f"/partnerships/{s.convention}", admin)).json()
    assert (partnership["origin_label"], partnership["party_names"]) == (
        "Spontané",
        ["ASE 68", "AEMO Colmar"],
    )
    assert next(
        (x["institution_name"], x["action_kind_labels"], x["information_category_labels"])
        for x in partnership["scopes"]
    ) == (
        "ASE 68",
        ["Participation au dossier", "Visite à domicile", "Partage d'informations"],
        ["Situation familiale", "Santé"],
    )
    assert [(x["institution_name"], x["signatory_name"]) for x in partnership["signatures"]] == [
        ("ASE 68", None),
        ("AEMO Colmar", None),
    ]

    informal = (await s.get(f"/networks/{s.network}", admin)).json()
    assert (informal["kind_label"], [m["professional_name"] for m in informal["members"]]) == (
        "Informel",
        ["Jeanne", "Paul"],
    )
    assert [(i["inviter_name"], i["invitee_name"]) for i in informal["invitations"]] == [
        ("Paul", "Luc")
    ]
    network = (await s.get(f"/networks/{formal}", admin)).json()
    assert (network["kind_label"], network["institution_names"], network["coordinator_name"]) == (
        "Formel",
        ["CMP Colmar", "ASE 68"],
        "Karim",
    )
    assert [(m["professional_name"], m["institution_name"]) for m in network["members"]] == [
        ("Karim", "ASE 68")
    ]
