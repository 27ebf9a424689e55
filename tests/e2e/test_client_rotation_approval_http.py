"""A rotation lapses a DPO's approval of personal data (security review after issue 19): the
administrator alone holds the new secret, so personal data takes the DPO again — for tokens
asked after the rotation as for those held before it, until a DPO approves anew."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from domain.access import Role
from tests.e2e import test_client_approval_http as approval_tests
from tests.e2e.conftest import Api
from tests.e2e.test_client_approval_http import CLIENTS, _register, _seen, _token
from tests.e2e.test_feed_http import caught_up, follow
from tests.world import World

KINDS = "Case.CaseOpened"

world, admin = approval_tests.world, approval_tests.admin  # the same fixtures


def _bearer(answer: Any) -> dict[str, str]:
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _personal(items: list[dict[str, Any]]) -> list[Any]:
    assert items, "the feed shows the case opened"
    return [i["personal_data"] for i in items if "personal_data" in i]


async def test_a_rotation_lapses_the_approval_until_a_dpo_approves_again(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    world.open_case("jeanne")
    created = await _register(api, world, admin, kinds=[KINDS])
    client_id, old_secret = created["client_id"], created["client_secret"]
    approval = f"{CLIENTS}/{client_id}/personal-data-approval"
    dpo = api.headers(Role.DPO, uuid4(), world.i("aemo"))
    shown = await api.client.get(approval, headers=dpo)
    assert (await api.client.post(approval, headers=_seen(dpo, shown))).status_code == 200
    before = _bearer(await _token(api, client_id, old_secret))
    caught_up(api)
    opened = _personal(await follow(api, before))
    assert opened
    assert "Léo" in str(opened)

    rotated = await api.client.post(f"{CLIENTS}/{client_id}/secret", headers=admin)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["personal_data_in_force"] is False
    assert rotated.json()["previous_secret_valid_until"] is not None  # the default grace
    read = (await api.client.get(f"{CLIENTS}/{client_id}", headers=admin)).json()
    assert (read["personal_data"], read["personal_data_in_force"]) == (True, False)
    assert read["personal_data_approved_by"] is None

    new_secret = rotated.json()["client_secret"]
    after = await _token(api, client_id, new_secret)
    assert after.json()["scope"] == "feed"
    within_grace = await _token(api, client_id, old_secret)
    assert within_grace.json()["scope"] == "feed"
    for headers in (before, _bearer(after), _bearer(within_grace)):
        items = await follow(api, headers)
        assert _personal(items) == []
        assert "Léo" not in str(items)

    # the DPO approves again what they read now; the request stayed requested
    reread = await api.client.get(approval, headers=dpo)
    assert reread.status_code == 200, reread.text
    again = await api.client.post(approval, headers=_seen(dpo, reread))
    assert again.status_code == 200, again.text
    assert again.json()["personal_data_in_force"] is True
    fresh = await _token(api, client_id, new_secret)
    assert fresh.json()["scope"] == "feed personal_data"
    for headers in (_bearer(fresh), _bearer(after)):
        assert "Léo" in str(_personal(await follow(api, headers)))


async def test_a_rotation_of_a_client_without_approval_changes_no_request(
    api: Api, world: World, admin: dict[str, str]
) -> None:
    created = await _register(api, world, admin, personal_data=False)
    rotated = await api.client.post(
        f"{CLIENTS}/{created['client_id']}/secret", params={"grace_minutes": 0}, headers=admin
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["personal_data_in_force"] is False
    read = (await api.client.get(f"{CLIENTS}/{created['client_id']}", headers=admin)).json()
    assert (read["personal_data"], read["personal_data_in_force"]) == (False, False)
