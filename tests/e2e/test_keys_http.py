"""A service started with the wrong key-encryption key, over HTTP: every request that needs a
beneficiary's key is refused with a clear 503 problem (never a 500, nothing personal, nothing
recorded), and the operator's log says which KEK the keys need."""

from __future__ import annotations

import logging

import httpx
import pytest

from api.composition import Services
from api.http.app import create_app
from api.http.auth import mint_token
from api.settings import Settings
from domain.access import Role
from domain.timing import TimePolicy
from tests.keks import keyring_of, new_kek, with_keks
from tests.world import NOW, World, position

PROBLEM = "application/problem+json"


async def test_a_wrong_kek_is_a_clear_503_and_logged(
    store_settings: Settings, store_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    writer = store_services.maillage
    world = World.build(writer)
    case_id = world.open_case()
    needed = keyring_of(writer).keks.current.key_id
    recorded = position(writer)

    wrong = with_keks(store_settings, new_kek()).model_copy(update={"embedded_projections": False})
    app = create_app(wrong, time=TimePolicy(clock=lambda: NOW))
    token = mint_token(
        wrong,
        subject=world.p("jeanne"),
        role=Role.CASE_WORKER,
        institution_id=world.i("aemo"),
        now=NOW,
    )
    jeanne = {"Authorization": f"Bearer {token}"}
    caplog.set_level(logging.INFO)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            assert (await client.get("/ready")).status_code == 200  # it started, and says so
            read = await client.get(
                f"/cases/{case_id}", params={"purpose": "follow_up"}, headers=jeanne
            )
            act = await client.post(
                f"/cases/{case_id}/interventions",
                json={"kind": "home_visit", "summary": "visite"},
                headers=jeanne,
            )
    for answer in (read, act):
        assert (answer.status_code, answer.headers["content-type"]) == (503, PROBLEM), answer.text
        body = answer.json()
        assert body["rule"] == "beneficiary-keys-unavailable"
        assert "clé de chiffrement des clés" in body["detail"]
        assert "Schmitt" not in answer.text
        assert needed not in answer.text  # the operator's business, in the log
    assert position(writer) == recorded  # the refused reading and act recorded nothing
    refusals = [r for r in caplog.records if "beneficiary key not opened" in r.getMessage()]
    assert len(refusals) == 2
    assert all(r.levelno == logging.ERROR for r in refusals)
    assert f"wrapped by the key-encryption key {needed}" in refusals[0].getMessage()
    assert "Schmitt" not in caplog.text
    assert "unexpected" not in caplog.text
