"""The coherence view over HTTP, as a supervisor reads it (issue 15: 1, 4c–4f): names beside
ids, alerts as sentences in French (English on request), a past incoherence that stays until a
supervisor acknowledges it with a note — then kept with its history, in the audit trail and in
the as-of views — lawful sharing told from irregular exchanges, a delegate's act outside their
delegation flagged, the representative's name opened."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.access import Role
from tests.coherence_scenes import SECRECY, consented_case, share_while_suspended
from tests.e2e.conftest import Api
from tests.world import World, ago, position

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOTE = "Convention reprise le lendemain ; rappel de la procédure fait à l'équipe."


@dataclass
class Scene:
    api: Api
    world: World
    case_id: UUID
    shared: int  # the version of the share made while the convention was suspended
    delegation_id: UUID
    claire: UUID  # a supervisor of the AEMO, the holding institution

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        if who == "claire":
            return {**self.api.headers(Role.SUPERVISOR, self.claire, self.world.i("aemo")), **extra}
        employer = World.PROFESSIONALS[who][1]
        return {
            **self.api.headers(Role.CASE_WORKER, self.world.p(who), self.world.i(employer)),
            **extra,
        }

    async def coherence(self, who: str = "jeanne", **params: str) -> dict[str, Any]:
        headers = self.headers(who, **params.pop("headers", {}))  # type: ignore[arg-type]
        answer = await self.api.client.get(
            f"/cases/{self.case_id}/coherence",
            # read after every write so far: the read side follows the log asynchronously
            params={"purpose": "follow_up", "after": str(position(self.api.maillage)), **params},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


def build(api: Api) -> Scene:
    """Léo's case at the AEMO. Its convention with the CMP is suspended 5 days ago; 3 days ago
    Jeanne shares health news with the CMP on the mother's consent alone; the convention resumes
    yesterday. Jeanne also shares with the school on the legal ground of shared secrecy (no
    convention). Sophie, delegated by the CMP for consultations, made a home visit."""
    app, world = api.maillage, World.build(api.maillage)
    claire = app.register_professional(name="Claire Roth", profession="cheffe de service").id
    app.start_employment(
        professional_id=claire, institution_id=world.i("aemo"), start=date(2020, 1, 1)
    )
    case_id = consented_case(app, world, representative="Mme Schmitt (mère)")
    shared, _ = share_while_suspended(app, world, case_id)
    app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("school"),
        categories=["child_protection"],
        legal_ground=SECRECY,
        occurred_at=ago(2),
    )
    delegation_id = app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=case_id,
        scope=["case_participation", "consultation"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 1, 1),
    ).id
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(4))
    app.record_intervention(
        case_id=case_id, by=world.actor("sophie"), kind="home_visit", occurred_at=ago(1)
    )
    app.designate_coordinator(
        case_id=case_id, by=world.actor("jeanne"), coordinator=world.actor("jeanne")
    )
    return Scene(api, world, case_id, shared.version, delegation_id, claire)


def alert(view: dict[str, Any], kind: str, where: str = "alerts") -> dict[str, Any]:
    (found,) = [a for a in view[where] or [] if a["kind"] == kind]
    return dict(found)


async def test_the_view_names_everyone_and_words_its_alerts_in_french(api: Api) -> None:
    s = build(api)

    view = await s.coherence()

    assert view["holder_institution_name"] == "AEMO Colmar"
    assert view["coordinator"]["professional_name"] == "Jeanne"
    actors = {a["professional_name"]: a for a in view["actors"]}
    assert actors["Sophie"]["institution_name"] == "CMP Colmar"
    exchange = alert(view, "exchange_without_convention")
    assert exchange["status"] == "open"
    assert {exchange["institution_name"], exchange["counterpart_institution_name"]} == {
        "AEMO Colmar",
        "CMP Colmar",
    }
    assert exchange["partnership_name"] == "Convention aemo-cmp"
    assert exchange["message"].endswith(
        "ont échangé des informations sur ce dossier 1 fois sans convention en vigueur entre "
        f"eux : la convention « Convention aemo-cmp », suspendue depuis le {_fr(ago(5))}."
    )
    outside = alert(view, "act_outside_delegation")
    assert outside["message"] == (
        "Sophie (CMP Colmar) a agi sur ce dossier hors du champ de sa délégation (visite à "
        "domicile) : 1 acte enregistré comme informel."
    )
    assert view["alerts"], "the scene raises alerts"
    for each in view["alerts"]:
        assert not UUID_IN_TEXT.search(each["message"]), each["message"]
        for step in each["history"]:
            assert not UUID_IN_TEXT.search(step["message"]), step["message"]


async def test_english_on_request(api: Api) -> None:
    s = build(api)

    view = await s.coherence(headers={"Accept-Language": "en"})  # type: ignore[arg-type]

    assert alert(view, "act_outside_delegation")["message"] == (
        "Sophie (CMP Colmar) acted on this case outside the scope of their delegation (home "
        "visit): 1 act recorded as informal."
    )
    steps = alert(view, "exchange_without_convention")["history"]
    assert [step["step"] for step in steps] == ["raised", "resolved"]
    assert steps[1]["message"] == (
        f"Resolved on {_en(ago(1))}: the convention “Convention aemo-cmp” is in force."
    )


async def test_a_past_exchange_stays_until_a_supervisor_acknowledges_it_with_a_note(
    api: Api,
) -> None:
    s = build(api)
    before = await s.coherence()
    exchange = alert(before, "exchange_without_convention")
    assert exchange["resolved_at"] is not None  # the convention resumed yesterday…
    assert exchange["status"] == "open"  # …and the past incoherence stays
    assert [step["step"] for step in exchange["history"]] == ["raised", "resolved"]
    url = f"/cases/{s.case_id}/alert-acknowledgements"
    body = {"alert_kind": "exchange_without_convention", "versions": [s.shared]}

    by_case_worker = await api.client.post(
        url, json={**body, "note": NOTE}, headers=s.headers("jeanne")
    )
    without_note = await api.client.post(url, json=body, headers=s.headers("claire"))
    blank_note = await api.client.post(
        url, json={**body, "note": "  "}, headers=s.headers("claire")
    )
    acknowledged = await api.client.post(
        url, json={**body, "note": NOTE}, headers=s.headers("claire")
    )

    assert by_case_worker.status_code == 403
    assert (without_note.status_code, without_note.json()["field"]) == (422, "body.note")
    assert blank_note.status_code == 422
    assert acknowledged.status_code == 200, acknowledged.text
    after = await s.coherence(after=acknowledged.json()["position"])
    assert [a["kind"] for a in after["alerts"]] == ["act_outside_delegation"]
    assert after["alert_history"] is None  # only with alerts=all
    everything = await s.coherence(alerts="all")
    past = alert(everything, "exchange_without_convention", "alert_history")
    assert past["status"] == "acknowledged"
    assert past["acknowledgement"]["note"] == NOTE
    assert past["acknowledgement"]["by"]["professional_name"] == "Claire Roth"
    assert [step["step"] for step in past["history"]] == ["raised", "resolved", "acknowledged"]
    assert past["history"][2]["message"] == (
        f"Prise en compte le {_fr(past['acknowledgement']['at'])} par Claire Roth (AEMO "
        f"Colmar) : « {NOTE} »"
    )

    # As it happened before the acknowledgement: open, as it was.
    as_of = await api.client.get(
        f"/cases/{s.case_id}/coherence/as-of",
        params={"purpose": "supervision", "at": ago(0, 1).isoformat(), "question": "occurred"},
        headers=s.headers("claire"),
    )
    assert as_of.status_code == 200, as_of.text
    assert alert(as_of.json(), "exchange_without_convention")["status"] == "open"
    # And the acknowledgement is in the case's audit trail, by Claire.
    trail = await api.client.get(
        f"/cases/{s.case_id}/audit",
        params={
            "purpose": "audit",
            "kinds": "AlertAcknowledged",
            "after": str(position(api.maillage)),
        },
        headers=s.headers("claire"),
    )
    assert trail.status_code == 200, trail.text
    (entry,) = trail.json()["items"]
    assert entry["professional_id"] == str(s.claire)
    assert NOTE not in trail.text  # the note stays sealed out of the read side


async def test_a_supervisor_elsewhere_may_not_acknowledge(api: Api) -> None:
    s = build(api)
    paula = api.maillage.register_professional(name="Paula", profession="directrice").id
    api.maillage.start_employment(
        professional_id=paula, institution_id=s.world.i("school"), start=date(2020, 1, 1)
    )

    refused = await api.client.post(
        f"/cases/{s.case_id}/alert-acknowledgements",
        json={"alert_kind": "exchange_without_convention", "versions": [s.shared], "note": NOTE},
        headers=api.headers(Role.SUPERVISOR, paula, s.world.i("school")),
    )

    assert refused.status_code == 403


async def test_lawful_sharing_on_a_legal_ground_is_said_so_and_raises_nothing(api: Api) -> None:
    s = build(api)

    view = await s.coherence()

    (school,) = [e for e in view["exchanges"] if e["to_institution_name"] == "École Pasteur"]
    assert (school["lawful_on"], school["legal_ground"], school["regular"]) == (
        "legal_ground",
        "shared_secrecy_child_protection",
        True,
    )
    assert school["statement"] == (
        f"AEMO Colmar a transmis des informations (protection de l'enfance) à École Pasteur le "
        f"{_fr(ago(2))}, de manière licite, au titre de CASF art. L.226-2-2."
    )
    exchange = alert(view, "exchange_without_convention")  # only the one on consent
    assert exchange["events"] == [
        {"aggregate_id": str(s.case_id), "version": s.shared, "type": "Case.InformationShared"}
    ]


async def test_the_file_and_the_view_say_the_same_of_the_delegate(api: Api) -> None:
    s = build(api)

    view = await s.coherence()
    file = await api.client.get(
        f"/cases/{s.case_id}", params={"purpose": "follow_up"}, headers=s.headers("jeanne")
    )

    assert file.status_code == 200, file.text
    (in_file,) = [
        p for p in file.json()["participants"] if p["professional_id"] == str(s.world.p("sophie"))
    ]
    (in_view,) = [a for a in view["actors"] if a["professional_name"] == "Sophie"]
    outside = {
        "delegation_id": str(s.delegation_id),
        "reason": "outside_scope",
        "action_kind": "home_visit",
    }
    assert (in_file["basis"]["kind"], in_file["basis"]["outside_delegation"]) == (
        "informal",
        outside,
    )
    assert (in_view["basis"]["kind"], in_view["basis"]["outside_delegation"]) == (
        "informal",
        outside,
    )


async def test_the_representatives_name_is_opened_for_a_reader_of_the_case(api: Api) -> None:
    s = build(api)

    view = await s.coherence()

    (consent,) = view["consents_in_force"]
    assert consent["representative_name"] == "Mme Schmitt (mère)"
    assert consent["recipient_names"] == ["CMP Colmar"]


def _fr(value: Any) -> str:
    from api.i18n import Words

    return Words("fr").date(_instant(value))


def _en(value: Any) -> str:
    from api.i18n import Words

    return Words("en").date(_instant(value))


def _instant(value: Any) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
