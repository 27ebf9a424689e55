"""Correcting and annulling an act over HTTP (issue 17 §3): the author within the window, a
supervisor of the act's institution after it; every refusal a problem naming its rule and field;
the audit trail says both, in French."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World, ago

PROBLEM = "application/problem+json"


class Scene:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = World.build(api.maillage)
        app = api.maillage
        for key, institution in (("claire", "aemo"), ("nadia", "aemo"), ("hugo", "cmp")):
            pid = app.register_professional(name=key.title(), profession="encadrant").id
            app.start_employment(
                professional_id=pid,
                institution_id=self.world.i(institution),
                start=date(2019, 1, 1),
            )
            self.world.professionals[key] = pid
        self.case_id = self.world.open_case(occurred_at=ago(10))
        recorded = app.record_intervention(
            case_id=self.case_id,
            by=self.world.actor("jeanne"),
            kind="home_visit",
            occurred_at=ago(2),
        )
        assert recorded.entity_id is not None
        self.act: UUID = recorded.entity_id

    def headers(self, role: Role, who: str, institution: str) -> dict[str, str]:
        return self.api.headers(role, self.world.p(who), self.world.i(institution))

    @property
    def jeanne(self) -> dict[str, str]:
        return self.headers(Role.CASE_WORKER, "jeanne", "aemo")

    async def post(
        self, what: str, body: dict[str, Any], headers: dict[str, str], act: UUID | None = None
    ) -> Any:
        path = f"/cases/{self.case_id}/acts/{act or self.act}/{what}"
        return await self.api.client.post(path, json=body, headers=headers)


def refused(response: Any, status: int, rule: str, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert (body["type"], body["rule"], body["field"]) == (
        f"urn:maillage:problem:{rule}",
        rule,
        field,
    )


async def test_the_author_corrects_then_annuls_and_the_audit_trail_says_both(api: Api) -> None:
    s = Scene(api)
    corrected = await s.post(
        "correction",
        {
            "reason": "c'était une consultation",
            "kind": "consultation",
            "act_occurred_at": "2026-11-15T10:00:00+01:00",
        },
        s.jeanne,
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["entity_id"] == str(s.act)
    annulled = await s.post("annulment", {"reason": "dossier d'un autre enfant"}, s.jeanne)
    assert annulled.status_code == 200, annulled.text
    assert annulled.json()["entity_id"] == str(s.act)

    position = api.maillage.recorder.max_notification_id() or 0
    assert api.services.projections.wait_for(position, timeout=5)
    claire = s.headers(Role.SUPERVISOR, "claire", "aemo")
    trail = await api.client.get(
        f"/cases/{s.case_id}/audit", params={"purpose": "supervision"}, headers=claire
    )
    assert trail.status_code == 200, trail.text
    summaries = [e["summary"] for e in trail.json()["items"]]
    said = " | ".join(summaries)
    assert str(s.act) not in said  # the act is named by its day and kind, never by its id
    assert (
        "a rectifié l'intervention du 18 novembre 2026 (visite à domicile), enregistrée par "
        "erreur : désormais consultation" in said
    )
    # annulled as it then stood: corrected to a consultation of the 15th
    assert (
        "a annulé l'intervention du 15 novembre 2026 (consultation), enregistrée par erreur" in said
    )
    assert any("visite à domicile" in x for x in summaries)  # the act as first recorded


async def test_a_supervisor_of_its_institution_corrects_after_the_window_its_author_cannot(
    api: Api,
) -> None:
    s = Scene(api)
    api.travel(datetime.now(tz=UTC) + timedelta(hours=73))
    body = {"reason": "relu en réunion", "kind": "assessment"}
    late = await s.post("correction", body, s.jeanne)
    refused(late, 403, "correction-window-passed", "act_id")
    assert late.json()["details"]["window_hours"] == 72
    claire = await s.post("correction", body, s.headers(Role.SUPERVISOR, "claire", "aemo"))
    assert claire.status_code == 200, claire.text


@pytest.mark.parametrize(
    ("role", "who", "institution"),
    [(Role.CASE_WORKER, "nadia", "aemo"), (Role.SUPERVISOR, "hugo", "cmp")],
)
async def test_another_professional_is_refused(
    api: Api, role: Role, who: str, institution: str
) -> None:
    s = Scene(api)
    if role is Role.SUPERVISOR:  # the CMP on the case: its supervisor reaches it
        api.maillage.join_case(
            case_id=s.case_id, by=s.world.actor("sophie"), role="psy", occurred_at=ago(5)
        )
    answer = await s.post("annulment", {"reason": "non"}, s.headers(role, who, institution))
    refused(answer, 403, "access-denied", "act_id")


async def test_refusals_name_their_rule_and_field(api: Api) -> None:
    s = Scene(api)
    refused(await s.post("annulment", {"reason": "x"}, s.jeanne, act=uuid4()), 404,
            "act-not-found", "act_id")  # fmt: skip
    refused(await s.post("correction", {"reason": "x", "kind": "home_visit"}, s.jeanne), 422,
            "nothing-to-correct", "act_id")  # fmt: skip
    future = {"reason": "x", "act_occurred_at": "2030-01-01T10:00:00+01:00"}
    refused(await s.post("correction", future, s.jeanne), 422, "occurred-at-in-future",
            "act_occurred_at")  # fmt: skip
    meeting = api.maillage.hold_coordination_meeting(
        case_id=s.case_id, by=s.world.actor("jeanne"), attendees=[], decisions=["suivi"]
    ).entity_id
    refused(await s.post("correction", {"reason": "x", "kind": "care"}, s.jeanne, act=meeting),
            422, "act-not-correctable", "act_id")  # fmt: skip
    assert (await s.post("annulment", {"reason": "erreur"}, s.jeanne)).status_code == 200
    refused(await s.post("annulment", {"reason": "encore"}, s.jeanne), 409, "act-annulled",
            "act_id")  # fmt: skip
    refused(await s.post("correction", {"reason": "x", "kind": "care"}, s.jeanne), 409,
            "act-annulled", "act_id")  # fmt: skip
    funder = api.headers(Role.FUNDER, institution=s.world.i("ase"))
    denied = await s.post("annulment", {"reason": "x"}, funder)
    assert (denied.status_code, denied.json()["rule"]) == (403, "access-denied")
