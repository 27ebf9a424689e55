"""A data-protection officer approves the request for personal data they read, none other
(security review after issue 19): the approval names it in `If-Match` (the ETag of the GET). An
administrator who widens the request between the DPO's reading and their approval gets it
refused (412), nothing approved; an approval without `If-Match` is refused (428)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.integration.clients import ClientRegistry
from domain.access import Role
from tests.e2e.conftest import Api
from tests.e2e.test_client_approval_http import _register
from tests.world import World

CLIENTS = "/integration/clients"


@pytest.fixture
def world(api: Api) -> World:
    return World.build(api.maillage)


async def _requested(api: Api, world: World) -> tuple[str, dict[str, str], dict[str, str]]:
    """A client whose administrator requests personal data: its id, the administrator's and a
    DPO of its institution's headers."""
    admin = api.headers(Role.ADMIN, uuid4())
    created = await _register(api, world, admin, name="SI départemental")
    return created["client_id"], admin, api.headers(Role.DPO, uuid4(), world.i("aemo"))


def _approval(client_id: str) -> str:
    return f"{CLIENTS}/{client_id}/personal-data-approval"


async def _state(api: Api, client_id: str, admin: dict[str, str]) -> tuple[Any, Any, Any]:
    read = (await api.client.get(f"{CLIENTS}/{client_id}", headers=admin)).json()
    return (
        read["personal_data_approved_by"],
        read["personal_data_approved_at"],
        read["personal_data_in_force"],
    )


@pytest.mark.parametrize(
    "widening",
    [
        {"kinds": ["Case.InterventionRecorded", "Case.CaseOpened"]},
        {"purpose": "coordination"},
        {"name": "Un autre nom"},  # what the DPO was shown changed: read it again
    ],
)
async def test_a_request_changed_after_the_dpos_reading_is_not_approved(
    api: Api, world: World, widening: dict[str, Any]
) -> None:
    client_id, admin, dpo = await _requested(api, world)
    shown = await api.client.get(_approval(client_id), headers=dpo)
    assert shown.status_code == 200, shown.text
    tag = shown.headers["etag"]
    assert tag.startswith('"')
    assert tag.endswith('"')
    # the administrator's read shows the same tag; re-reading gives it again
    assert (await api.client.get(f"{CLIENTS}/{client_id}", headers=admin)).headers["etag"] == tag
    assert (await api.client.get(_approval(client_id), headers=dpo)).headers["etag"] == tag

    api.travel(api.clock() + timedelta(seconds=1))
    changed = await api.client.patch(f"{CLIENTS}/{client_id}", json=widening, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != tag

    refused = await api.client.post(_approval(client_id), headers={**dpo, "If-Match": tag})
    assert refused.status_code == 412, refused.text
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (problem["rule"], problem["field"]) == (
        "personal-data-request-changed",
        "header.If-Match",
    )
    assert "a changé depuis que vous l'avez lue" in problem["detail"]
    assert await _state(api, client_id, admin) == (None, None, False)  # nothing approved

    # read again, the DPO approves what it shows now
    reread = await api.client.get(_approval(client_id), headers=dpo)
    approved = await api.client.post(
        _approval(client_id), headers={**dpo, "If-Match": reread.headers["etag"]}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["personal_data_in_force"] is True
    assert approved.headers["etag"] == reread.headers["etag"]


async def test_an_approval_names_the_request_it_approves(api: Api, world: World) -> None:
    client_id, admin, dpo = await _requested(api, world)
    path = _approval(client_id)
    for if_match in (None, "*", " "):
        headers = dpo if if_match is None else {**dpo, "If-Match": if_match}
        missing = await api.client.post(path, headers=headers)
        assert missing.status_code == 428, missing.text
        assert (missing.json()["rule"], missing.json()["field"]) == (
            "if-match-required",
            "header.If-Match",
        )
    for malformed in ('"7"', "not-a-tag", '"' + "g" * 32 + '"'):
        bad = await api.client.post(path, headers={**dpo, "If-Match": malformed})
        assert (bad.status_code, bad.json()["rule"]) == (422, "invalid-if-match"), bad.text
    stale = await api.client.post(path, headers={**dpo, "If-Match": '"' + "0" * 32 + '"'})
    assert (stale.status_code, stale.json()["rule"]) == (412, "personal-data-request-changed")
    assert await _state(api, client_id, admin) == (None, None, False)
    # who and which client are checked first: an administrator, a DPO elsewhere, no client
    other = api.headers(Role.DPO, uuid4(), world.i("school"))
    for headers, status in ((admin, 403), (other, 403)):
        refused = await api.client.post(path, headers=headers)
        assert refused.status_code == status, refused.text
    unknown = await api.client.post(_approval(str(uuid4())), headers=dpo)
    assert unknown.status_code == 404, unknown.text
    # a weak spelling of the tag read is the tag read
    tag = (await api.client.get(path, headers=dpo)).headers["etag"]
    weak = await api.client.post(path, headers={**dpo, "If-Match": f"W/{tag}"})
    assert weak.status_code == 200, weak.text


async def test_a_narrowing_change_keeps_an_approval_but_changes_the_tag(
    api: Api, world: World
) -> None:
    """The approval lapses only if the request widens (`approval_holds`); the tag changes with
    any change, so a second DPO's approval of the old reading is refused, the first kept."""
    client_id, admin, dpo = await _requested(api, world)
    registry = ClientRegistry(api.services.engine, api.clock)
    shown = await api.client.get(_approval(client_id), headers=dpo)
    assert (
        await api.client.post(
            _approval(client_id), headers={**dpo, "If-Match": shown.headers["etag"]}
        )
    ).status_code == 200
    api.travel(api.clock() + timedelta(seconds=1))
    renamed = await api.client.patch(
        f"{CLIENTS}/{client_id}", json={"name": "SI renommé"}, headers=admin
    )
    assert renamed.json()["personal_data_in_force"] is True
    second = api.headers(Role.DPO, uuid4(), world.i("aemo"))
    late = await api.client.post(
        _approval(client_id), headers={**second, "If-Match": shown.headers["etag"]}
    )
    assert (late.status_code, late.json()["rule"]) == (412, "personal-data-request-changed")
    record = registry.get(UUID(client_id))
    assert record.personal_data_in_force
    assert record.personal_data_approved_by is not None  # the first DPO's approval, kept
