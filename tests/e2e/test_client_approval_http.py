"""Security review of client applications over HTTP (issue 19): an administrator only requests
personal data, a data-protection officer of the client's institution approves or withdraws it
(and sees no secret); a rotation may cut the previous secret and its tokens off at once; the
token endpoint reads a client id in its canonical spelling only."""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.http.auth import TokenVerifier
from api.integration.clients import ClientRegistry
from domain.access import Role
from domain.integration import RotatedClientTokenError, check_feed_reader
from tests.e2e.conftest import Api
from tests.world import World

CLIENTS = "/integration/clients"
TOKEN = "/oauth/token"
GRANT = {"grant_type": "client_credentials"}


@pytest.fixture
def world(api: Api) -> World:
    return World.build(api.maillage)


@pytest.fixture
def admin(api: Api) -> dict[str, str]:
    return api.headers(Role.ADMIN, uuid4())


async def _register(api: Api, world: World, admin: dict[str, str], **changes: Any) -> Any:
    body = {
        "name": "Logiciel de suivi AEMO",
        "institution_id": str(world.i("aemo")),
        "kinds": ["Case.InterventionRecorded"],
        "personal_data": True,
        "purpose": "follow_up",
        **changes,
    }
    created = await api.client.post(CLIENTS, json=body, headers=admin)
    assert created.status_code == 201, created.text
    return created.json()


def _seen(headers: dict[str, str], read: Any) -> dict[str, str]:
    """`headers` naming, in If-Match, the request `read` showed (its ETag)."""
    return {**headers, "If-Match": read.headers["etag"]}


async def _token(api: Api, client_id: str, secret: str) -> Any:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return await api.client.post(TOKEN, data=GRANT, headers={"Authorization": f"Basic {pair}"})


async def test_personal_data_takes_an_administrator_and_a_dpo_of_its_institution(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin)
    client_id, secret = created["client_id"], created["client_secret"]
    approval = f"{CLIENTS}/{client_id}/personal-data-approval"
    read = (await api.client.get(f"{CLIENTS}/{client_id}", headers=admin)).json()
    assert (read["personal_data"], read["personal_data_in_force"]) == (True, False)
    assert (await _token(api, client_id, secret)).json()["scope"] == "feed"

    refused = await api.client.post(approval, headers=admin)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")
    assert "délégué à la protection des données" in refused.json()["detail"]
    elsewhere = api.headers(Role.DPO, uuid4(), world.i("school"))
    refused = await api.client.post(approval, headers=elsewhere)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")
    assert "de son propre établissement" in refused.json()["detail"]

    dpo_id = uuid4()
    dpo = api.headers(Role.DPO, dpo_id, world.i("aemo"))
    shown = await api.client.get(approval, headers=dpo)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["kinds"], shown.json()["purpose"]) == (
        ["Case.InterventionRecorded"],
        "follow_up",
    )
    approved = await api.client.post(approval, headers=_seen(dpo, shown))
    assert approved.status_code == 200, approved.text
    answer = approved.json()
    assert (answer["personal_data_approved_by"], answer["personal_data_in_force"]) == (
        str(dpo_id),
        True,
    )
    assert answer["personal_data_approved_at"] is not None
    assert secret not in shown.text + approved.text
    assert "client_secret" not in answer
    assert (await _token(api, client_id, secret)).json()["scope"] == "feed personal_data"
    # the DPO keeps no client: every other route refuses them, in their terms
    kept = await api.client.get(f"{CLIENTS}/{client_id}", headers=dpo)
    assert (kept.status_code, kept.json()["rule"]) == (403, "access-denied")
    assert "approuve ou retire" in kept.json()["detail"]

    widened = await api.client.patch(
        f"{CLIENTS}/{client_id}",
        json={"kinds": ["Case.InterventionRecorded", "Case.CaseOpened"]},
        headers=admin,
    )
    assert widened.status_code == 200, widened.text
    assert widened.json()["personal_data_approved_by"] is None
    assert widened.json()["personal_data_in_force"] is False
    assert (await _token(api, client_id, secret)).json()["scope"] == "feed"

    reread = await api.client.get(approval, headers=dpo)
    again = await api.client.post(approval, headers=_seen(dpo, reread))
    assert again.json()["personal_data_in_force"]
    withdrawn = await api.client.delete(approval, headers=dpo)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["personal_data_in_force"] is False
    assert (await _token(api, client_id, secret)).json()["scope"] == "feed"


async def test_approving_what_no_administrator_requested_is_a_conflict(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin, personal_data=False)
    dpo = api.headers(Role.DPO, uuid4(), world.i("aemo"))
    approval = f"{CLIENTS}/{created['client_id']}/personal-data-approval"
    shown = await api.client.get(approval, headers=dpo)
    answer = await api.client.post(approval, headers=_seen(dpo, shown))
    assert (answer.status_code, answer.json()["rule"]) == (409, "personal-data-not-requested")
    unknown = await api.client.post(f"{CLIENTS}/{uuid4()}/personal-data-approval", headers=dpo)
    assert unknown.status_code == 404, unknown.text


async def test_a_rotation_without_grace_cuts_the_previous_secret_and_its_tokens(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin)
    client_id, old = created["client_id"], created["client_secret"]
    old_token = (await _token(api, client_id, old)).json()["access_token"]
    rotated = await api.client.post(
        f"{CLIENTS}/{client_id}/secret", params={"grace_minutes": 0}, headers=admin
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["previous_secret_valid_until"] is None
    refused = await _token(api, client_id, old)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    read = (await api.client.get(f"{CLIENTS}/{client_id}", headers=admin)).json()
    assert read["tokens_not_before"] is not None

    new_token = (await _token(api, client_id, rotated.json()["client_secret"])).json()
    registry = ClientRegistry(api.services.engine, api.clock)
    scope = registry.scope(UUID(client_id))
    verifier = TokenVerifier(api.settings)
    # what the feed route does: the principal (carrying the token's iat), the scope read now
    for token, allowed in ((old_token, False), (new_token["access_token"], True)):
        principal = verifier.verify(token, now=api.clock())
        assert principal.issued_at is not None
        if allowed:
            assert check_feed_reader(principal, scope) == scope
        else:
            with pytest.raises(RotatedClientTokenError, match="rotated without grace"):
                check_feed_reader(principal, scope)
    old_answer = await api.client.get("/feed", headers={"Authorization": f"Bearer {old_token}"})
    assert (old_answer.status_code, old_answer.json()["rule"]) == (
        401,
        "client-token-cut-by-rotation",
    )


@pytest.mark.parametrize("grace", ["-1", "61", "soon"])
async def test_a_grace_out_of_bounds_is_refused_naming_the_field(
    api: Api, world: World, admin: dict[str, str], grace: str
) -> None:
    created = await _register(api, world, admin)
    answer = await api.client.post(
        f"{CLIENTS}/{created['client_id']}/secret", params={"grace_minutes": grace}, headers=admin
    )
    assert answer.status_code == 422, answer.text
    assert "grace_minutes" in answer.text
    still = await _token(api, created["client_id"], created["client_secret"])
    assert still.status_code == 200, still.text  # nothing rotated


async def test_a_short_grace_keeps_the_previous_secret_that_long(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin)
    rotated = await api.client.post(
        f"{CLIENTS}/{created['client_id']}/secret", params={"grace_minutes": 5}, headers=admin
    )
    assert rotated.status_code == 200, rotated.text
    until = rotated.json()["previous_secret_valid_until"]
    assert until is not None
    assert (await _token(api, created["client_id"], created["client_secret"])).status_code == 200


async def test_the_token_endpoint_reads_only_the_canonical_client_id(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin)
    ident, secret = UUID(created["client_id"]), created["client_secret"]
    wrong = await _token(api, str(ident), "mcs_wrong")
    for spelling in (f"{{{ident}}}", f"urn:uuid:{ident}", ident.hex, f" {ident}", f"{ident}\n"):
        answer = await _token(api, spelling, secret)
        assert answer.status_code == 401, (spelling, answer.text)
        assert answer.json()["error"] == "invalid_client"
        assert answer.json()["detail"] == wrong.json()["detail"]  # as a wrong secret
        posted = await api.client.post(
            TOKEN, data={**GRANT, "client_id": spelling, "client_secret": secret}
        )
        assert (posted.status_code, posted.json()["error"]) == (401, "invalid_client")
    for spelling in (str(ident), str(ident).upper()):
        answer = await _token(api, spelling, secret)
        assert answer.status_code == 200, (spelling, answer.text)
