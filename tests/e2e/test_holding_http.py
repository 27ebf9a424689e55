"""Holder and référent de parcours over HTTP (issue 17, part 2): a transfer offered and accepted,
a request to hold declined, the lists of transfers to answer and sent, the référent designated by
a supervisor of the holder — and each refusal, with its status and problem type."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World, ago, position

PROBLEM = "urn:maillage:problem:"


class Scene:
    """Léo's case, opened by Jeanne for the AEMO (holder); Karim (ASE) and Sophie (CMP) take part;
    a head of service at the AEMO, the ASE and the school."""

    def __init__(self, api: Api) -> None:
        self.api, app = api, api.maillage
        self.world = w = World.build(app)
        self.case_id = w.open_case("jeanne")
        for who in ("karim", "sophie"):
            app.join_case(
                case_id=self.case_id, by=w.actor(who), role="référent", occurred_at=ago(8)
            )
        self.heads: dict[str, UUID] = {}
        for key, name in (("aemo", "Claire Roth"), ("ase", "Marc Weber"), ("school", "Anne Klein")):
            head = app.register_professional(name=name, profession="chef de service").id
            app.start_employment(
                professional_id=head, institution_id=w.i(key), start=date(2020, 1, 1)
            )
            self.heads[key] = head

    def supervisor(self, key: str) -> dict[str, str]:
        return self.api.headers(Role.SUPERVISOR, self.heads[key], self.world.i(key))

    def worker(self, who: str) -> dict[str, str]:
        actor = self.world.actor(who)
        return self.api.headers(Role.CASE_WORKER, actor.professional_id, actor.institution_id)

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        return await self.api.client.post(
            f"/cases/{self.case_id}{path}", json=body, headers=headers
        )

    async def offer(self, to: str, headers: dict[str, str]) -> str:
        answer = await self.post(
            "/transfers",
            {"to_institution_id": str(self.world.i(to)), "reason": "placement décidé"},
            headers,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["entity_id"])

    async def transfers(self, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
        assert self.api.services.projections.wait_for(position(self.api.maillage), timeout=10)
        answer = await self.api.client.get("/transfers", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])

    async def read(self, view: str, headers: dict[str, str]) -> dict[str, Any]:
        path = f"/cases/{self.case_id}" + ("/coherence" if view == "coherence" else "")
        params = {"purpose": "follow_up", "after": str(position(self.api.maillage))}
        answer = await self.api.client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


def refused(answer: Any, status: int, rule: str, field: str | None = None) -> None:
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert problem["type"] == PROBLEM + rule
    if field is not None:
        assert problem["field"] == field


async def test_a_transfer_offered_and_accepted_moves_the_holder(api: Api) -> None:
    s = Scene(api)
    transfer_id = await s.offer("ase", s.worker("jeanne"))

    to_answer = await s.transfers(s.worker("karim"))
    assert [t["transfer_id"] for t in to_answer] == [transfer_id]
    (entry,) = to_answer
    assert entry["status"] == "pending"
    assert entry["from_institution_name"] == "AEMO Colmar"
    assert entry["to_institution_name"] == "ASE 68"
    assert entry["requested_by_name"] == "Jeanne"
    assert entry["answering_institution_name"] == "ASE 68"
    assert await s.transfers(s.worker("sophie")) == []  # the CMP has nothing to answer
    assert await s.transfers(s.worker("jeanne")) == []  # nor has the side that asked
    sent = await s.transfers(s.supervisor("aemo"), box="sent", status="pending")
    assert [t["transfer_id"] for t in sent] == [transfer_id]

    accepted = await s.post(f"/transfers/{transfer_id}/acceptance", {}, s.supervisor("ase"))
    assert accepted.status_code == 200, accepted.text

    file = await s.read("file", s.worker("karim"))
    assert file["holder"] == {"institution_id": str(s.world.i("ase")), "institution_name": "ASE 68"}
    assert [(h["institution_name"], h["until"] is None) for h in file["holders"]] == [
        ("AEMO Colmar", False),
        ("ASE 68", True),
    ]
    assert file["holders"][0]["until"] == file["holders"][1]["since"]
    assert file["transfers"][0]["status"] == "accepted"
    view = await s.read("coherence", s.supervisor("ase"))
    assert view["holder"]["institution_name"] == "ASE 68"
    assert [h["institution_name"] for h in view["holders"]] == ["AEMO Colmar", "ASE 68"]
    audit = await api.client.get(
        f"/cases/{s.case_id}/audit", params={"purpose": "supervision"}, headers=s.supervisor("ase")
    )
    assert audit.status_code == 200, audit.text
    sentences = [e["summary"] for e in audit.json()["items"]]
    assert "Jeanne (AEMO Colmar) a proposé de transférer le dossier à ASE 68" in sentences
    assert "Marc Weber (ASE 68) a accepté un transfert du dossier" in sentences
    assert (await s.transfers(s.worker("karim"), status="pending")) == []


async def test_a_request_to_hold_declined_by_the_holder_leaves_it_unchanged(api: Api) -> None:
    s = Scene(api)
    transfer_id = await s.offer("ase", s.worker("karim"))  # the ASE asks to hold it
    assert [t["transfer_id"] for t in await s.transfers(s.worker("jeanne"))] == [transfer_id]

    wrong = await s.post(f"/transfers/{transfer_id}/acceptance", {}, s.worker("karim"))
    refused(wrong, 422, "wrong-transfer-side", "institution_id")
    third = await s.post(f"/transfers/{transfer_id}/refusal", {"reason": "non"}, s.worker("sophie"))
    refused(third, 422, "wrong-transfer-side", "institution_id")
    declined = await s.post(
        f"/transfers/{transfer_id}/refusal",
        {"reason": "la mesure reste à l'AEMO"},
        s.worker("jeanne"),
    )
    assert declined.status_code == 200, declined.text
    again = await s.post(f"/transfers/{transfer_id}/acceptance", {}, s.worker("jeanne"))
    refused(again, 409, "transfer-not-pending", "transfer_id")

    file = await s.read("file", s.worker("jeanne"))
    assert file["holder"]["institution_name"] == "AEMO Colmar"
    assert len(file["holders"]) == 1
    (entry,) = await s.transfers(s.worker("karim"), box="sent")
    assert (entry["status"], entry["answered_by_name"]) == ("declined", "Jeanne")


async def test_one_pending_transfer_at_a_time_withdrawn_by_its_requester(api: Api) -> None:
    s = Scene(api)
    transfer_id = await s.offer("ase", s.worker("jeanne"))

    second = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("cmp"))}, s.worker("jeanne")
    )
    refused(second, 409, "transfer-already-pending", "case_id")
    not_theirs = await s.post(f"/transfers/{transfer_id}/withdrawal", {}, s.worker("karim"))
    refused(not_theirs, 422, "wrong-transfer-side", "institution_id")
    withdrawn = await s.post(f"/transfers/{transfer_id}/withdrawal", {}, s.supervisor("aemo"))
    assert withdrawn.status_code == 200, withdrawn.text

    assert (await s.transfers(s.worker("karim")))[0]["status"] == "withdrawn"
    assert await s.transfers(s.worker("karim"), status="pending") == []
    assert await s.offer("cmp", s.worker("jeanne"))  # a new request is possible again


async def test_transfers_refused_for_their_target_or_their_author(api: Api) -> None:
    s = Scene(api)
    to_holder = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("aemo"))}, s.worker("jeanne")
    )
    refused(to_holder, 422, "transfer-to-holder", "to_institution_id")
    off_case = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("school"))}, s.worker("jeanne")
    )
    refused(off_case, 422, "institution-not-on-case", "to_institution_id")
    third = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("cmp"))}, s.worker("karim")
    )
    refused(third, 422, "not-the-holder", "to_institution_id")
    outsider = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("school"))}, s.supervisor("school")
    )
    refused(outsider, 403, "access-denied")
    not_taking_part = await s.post(
        "/transfers", {"to_institution_id": str(s.world.i("school"))}, s.worker("paul")
    )
    refused(not_taking_part, 403, "access-denied")
    funder = await s.post(
        "/transfers",
        {"to_institution_id": str(s.world.i("ase"))},
        api.headers(Role.FUNDER, institution=s.world.i("ase")),
    )
    refused(funder, 403, "access-denied")
    assert await s.transfers(s.worker("karim")) == []


async def test_the_referent_designated_by_the_holders_supervisor(api: Api) -> None:
    s = Scene(api)
    before = await s.read("coherence", s.worker("jeanne"))
    (alert,) = [a for a in before["alerts"] if a["kind"] == "no_coordinator"]
    assert alert["message"] == (
        "3 établissements interviennent sur ce dossier et il n'y a pas de référent de parcours."
    )
    assert before["referent"] is None

    sophie = {"professional_id": str(s.world.p("sophie")), "institution_id": str(s.world.i("cmp"))}
    assigned = await s.post("/referent", {"referent": sophie}, s.supervisor("aemo"))
    assert assigned.status_code == 200, assigned.text

    view = await s.read("coherence", s.worker("jeanne"))
    assert view["referent"]["professional_name"] == "Sophie"
    assert view["referent"]["institution_name"] == "CMP Colmar"
    assert view["coordinator"] == view["referent"]
    assert "no_coordinator" not in [a["kind"] for a in view["alerts"]]
    file = await s.read("file", s.worker("sophie"))
    assert file["referent"]["professional_name"] == "Sophie"
    karim = {"professional_id": str(s.world.p("karim")), "institution_id": str(s.world.i("ase"))}
    replaced = await s.post("/referent", {"referent": karim}, s.supervisor("aemo"))
    assert replaced.status_code == 200, replaced.text
    assert (await s.read("file", s.worker("sophie")))["referent"]["professional_name"] == "Karim"


async def test_the_referent_refusals(api: Api) -> None:
    s = Scene(api)
    karim = {"professional_id": str(s.world.p("karim")), "institution_id": str(s.world.i("ase"))}
    other = await s.post("/referent", {"referent": karim}, s.supervisor("ase"))
    refused(other, 403, "access-denied")
    assert "détenteur" in other.json()["detail"]
    worker = await s.post("/referent", {"referent": karim}, s.worker("jeanne"))
    refused(worker, 403, "access-denied")
    paul = {"professional_id": str(s.world.p("paul")), "institution_id": str(s.world.i("school"))}
    outsider = await s.post("/referent", {"referent": paul}, s.supervisor("aemo"))
    refused(outsider, 422, "not-a-case-participant", "referent")
    coordinator = await s.post("/coordinator", {"coordinator": karim}, s.worker("karim"))
    refused(coordinator, 422, "not-the-holder", "institution_id")
    assert (await s.read("file", s.worker("jeanne")))["referent"] is None


async def test_a_cursor_outside_the_calendar_is_refused_not_a_server_error(api: Api) -> None:
    s = Scene(api)
    for instant in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "nope"):
        answer = await api.client.get(
            "/transfers",
            params={"cursor": f"{instant}|{uuid4()}"},
            headers=s.worker("jeanne"),
        )
        refused(answer, 422, "invalid-value", "cursor")
