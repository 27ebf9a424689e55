"""A field the API does not know is refused, never dropped: a misspelt field name must not leave
its value unset (found from outside: `{"finnes": …}` on an institution's identifiers released
both its numbers and answered 200)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from domain.access import Role
from domain.identifiers import with_luhn_key
from tests.e2e.conftest import Api
from tests.e2e.test_http_wiring import _api_routes
from tests.world import World


def _models(annotation: Any, found: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """The models a body is made of, those nested in its fields too."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return found
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for argument in typing.get_args(annotation):
        _models(argument, found)
    return found


def test_every_body_of_every_route_refuses_unknown_fields(api: Api) -> None:
    bodies: set[type[BaseModel]] = set()
    for route in _api_routes(api.app.routes):
        if route.body_field is not None:
            _models(route.body_field.field_info.annotation, bodies)
    assert len(bodies) > 40
    lenient = sorted(m.__name__ for m in bodies if m.model_config.get("extra") != "forbid")
    assert lenient == []


async def test_a_misspelt_identifier_is_refused_and_the_numbers_stay(api: Api) -> None:
    world = World.build(api.maillage)
    admin = api.headers(Role.ADMIN)
    url = f"/institutions/{world.i('school')}/identifiers"
    finess = with_luhn_key("68000888")
    assert (await api.client.post(url, json={"finess": finess}, headers=admin)).status_code == 200

    typo = await api.client.post(
        url, json={"finnes": finess}, headers={**admin, "Accept-Language": "en"}
    )
    assert typo.status_code == 422, typo.text
    assert typo.headers["content-type"].startswith("application/problem+json")
    body = typo.json()
    assert body["field"] == "body.finnes"
    assert "no such field" in body["detail"]
    read = await api.client.get(f"/institutions/{world.i('school')}", headers=admin)
    assert read.json()["finess"] == finess


async def test_a_client_application_is_not_moved_by_an_unknown_field(api: Api) -> None:
    world = World.build(api.maillage)
    admin = api.headers(Role.ADMIN)
    client = {
        "name": "SI ASE",
        "institution_id": str(world.i("ase")),
        "kinds": ["Case.CaseOpened"],
        "purpose": "follow_up",
    }
    created = await api.client.post("/integration/clients", json=client, headers=admin)
    assert created.status_code == 201, created.text
    client_id = created.json()["client_id"]
    for body in (
        {"institution_id": str(world.i("aemo"))},
        {"name": "SI ASE", "client_secret": "mine"},
    ):
        refused = await api.client.patch(
            f"/integration/clients/{client_id}", json=body, headers=admin
        )
        assert refused.status_code == 422, refused.text
    smuggled = {**client, "personal_data_approved_by": str(world.p("jeanne"))}
    refused = await api.client.post("/integration/clients", json=smuggled, headers=admin)
    assert refused.status_code == 422, refused.text
    read = await api.client.get(f"/integration/clients/{client_id}", headers=admin)
    assert read.json()["institution_id"] == str(world.i("ase"))
    listed = await api.client.get("/integration/clients", headers=admin)
    assert [c["client_id"] for c in listed.json()["items"]] == [client_id]
