"""The coherence view is sent as raw JSON built from the domain's view (no pydantic round trip):
the same answer, to the letter, as the models it is documented by — for a case with actors on
several bases, open and acknowledged alerts, consents and exchanges, in French and in English —
and the same as the pydantic path that served it before (`tests.coherence_reference`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection

from api.http.schemas.coherence import CoherenceRead
from api.i18n import Words
from domain.case import Case
from domain.coherence import Coherence
from projections.coherence import AsOf, coherence, coherence_as_of
from tests.coherence_reference import reference_answer
from tests.e2e.conftest import Api
from tests.e2e.test_coherence_http import NOTE, Scene, build
from tests.world import ago, position

IDLE = timedelta(days=90)  # the settings' default (`idle_after_days`)


async def acknowledged_scene(api: Api) -> Scene:
    """`test_coherence_http`'s scene, its past exchange acknowledged with a note, and one more
    actor on a delegation in force (a basis with its detail)."""
    s = build(api)
    app, world = api.maillage, s.world
    sophie_grant = app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=s.case_id,
        scope=["home_visit"],
        valid_from=ago(30).date(),
        valid_until=(ago(0) + timedelta(days=300)).date(),
    )
    app.record_intervention(
        case_id=s.case_id,
        by=world.actor("sophie"),
        kind="home_visit",
        delegation_id=sophie_grant.id,
        occurred_at=ago(0, 2),
    )
    acknowledged = await api.client.post(
        f"/cases/{s.case_id}/alert-acknowledgements",
        json={"alert_kind": "exchange_without_convention", "versions": [s.shared], "note": NOTE},
        headers=s.headers("claire"),
    )
    assert acknowledged.status_code == 200, acknowledged.text
    return s


def reference(api: Api, view: Coherence, conn: Connection, language: str, alerts: str) -> Any:
    """What the previous path answered: the pydantic models FastAPI validated and dumped."""
    maillage = api.maillage
    case = maillage.repository.get(view.case_id)
    assert isinstance(case, Case)
    notes = None
    if alerts == "all":
        versions = sorted(
            {a.acknowledgement.ref.version for a in view.alert_history if a.acknowledgement}
        )
        notes = maillage.acknowledgement_notes(view.case_id, versions)
    representatives = {c.consent_id: c.representative_name for c in case.consents}
    answer = reference_answer(
        view, conn, Words(language), representatives=representatives, notes=notes
    )
    return CoherenceRead.model_validate(answer.model_dump()).model_dump(mode="json")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("alerts", ["open", "all"])
async def test_the_raw_answer_is_the_documented_one_and_the_previous_one(
    api: Api, language: str, alerts: str
) -> None:
    s = await acknowledged_scene(api)

    answer = await api.client.get(
        f"/cases/{s.case_id}/coherence",
        params={"purpose": "follow_up", "after": str(position(api.maillage)), "alerts": alerts},
        headers=s.headers("claire", **{"Accept-Language": language}),
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    raw = answer.json()
    # The scene shows every part of the answer.
    for part in ("consents_in_force", "exchanges", "alerts", "coordinator"):
        assert raw[part], part
    assert {a["basis"]["kind"] for a in raw["actors"]} >= {"case_holder", "delegation"}
    assert any(a["basis_detail"] for a in raw["actors"])
    if alerts == "all":
        (past,) = raw["alert_history"]
        assert past["acknowledgement"]["note"] == NOTE
    assert raw == CoherenceRead.model_validate(raw).model_dump(mode="json")
    with api.services.engine.connect() as conn:
        view = coherence(conn, s.case_id, at=api.maillage.time.now(), idle_after=IDLE)
        assert view is not None
        assert raw == reference(api, view, conn, language, alerts)


async def test_the_as_of_view_is_sent_raw_too(api: Api) -> None:
    s = await acknowledged_scene(api)
    at = ago(0, 1)

    answer = await api.client.get(
        f"/cases/{s.case_id}/coherence/as-of",
        params={
            "purpose": "supervision",
            "at": at.isoformat(),
            "question": "occurred",
            "alerts": "all",
        },
        headers=s.headers("claire", **{"Accept-Language": "en"}),
    )

    assert answer.status_code == 200, answer.text
    raw = answer.json()
    assert raw["alerts"]
    assert raw["exchanges"]
    assert raw == CoherenceRead.model_validate(raw).model_dump(mode="json")
    view = coherence_as_of(api.maillage, s.case_id, at=at, question=AsOf.OCCURRED, idle_after=IDLE)
    assert view is not None
    with api.services.engine.connect() as conn:
        assert raw == reference(api, view, conn, "en", "all")
