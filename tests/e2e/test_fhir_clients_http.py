"""The FHIR view of a case: a client application is software, not a person (its reading is an
`AuditEvent` whose agent is a `Device` owned by its institution, never a `Practitioner`), and
a format other than JSON is 406, as FHIR's REST API answers it."""

from __future__ import annotations

from datetime import date

import pytest

from api.fhir import codes
from domain.access import Role
from tests.e2e.conftest import Api
from tests.e2e.test_feed_http import caught_up, client, follow
from tests.fhir_reading import maillage_id, of_type, parsed
from tests.world import World

READ = {"purpose": "coordination"}


def _supervisor(api: Api, world: World) -> dict[str, str]:
    app = api.maillage
    supervisor = app.register_professional(name="Claire", profession="head").id
    app.start_employment(
        professional_id=supervisor, institution_id=world.i("aemo"), start=date(2019, 9, 1)
    )
    return api.headers(Role.SUPERVISOR, supervisor, world.i("aemo"))


async def test_a_client_applications_reading_is_a_device_not_a_practitioner(api: Api) -> None:
    world = World.build(api.maillage)
    aemo = world.i("aemo")
    case_id = world.open_case("jeanne")
    reader_id, reader = client(api, aemo, personal_data=True, name="SI départemental")
    caught_up(api)
    opened = await follow(api, reader, kinds="Case.CaseOpened")
    assert [i["personal_data"]["beneficiary"]["last_name"] for i in opened] == ["Schmitt"]
    caught_up(api)

    answer = await api.client.get(
        f"/cases/{case_id}/fhir", params=READ, headers=_supervisor(api, world)
    )

    assert answer.status_code == 200, answer.text
    resources = parsed(answer.json())  # validated by fhir.resources, every reference resolves
    client_system = codes.ID_SYSTEMS["client"]
    (device,) = [
        d
        for d in of_type(resources, "Device")
        if any(i["system"] == client_system for i in d.get("identifier", []))
    ]
    assert maillage_id(device, "client") == str(reader_id)
    assert device["deviceName"] == [{"name": "SI départemental", "type": "user-friendly-name"}]
    assert maillage_id(resources[device["owner"]["reference"]], "institution") == str(aemo)
    # its reading: an AuditEvent whose agent is that Device
    by_client = [
        e
        for e in of_type(resources, "AuditEvent")
        if resources[e["agent"][0]["who"]["reference"]] is device
    ]
    assert [e["entity"][1]["detail"][0]["valueString"] for e in by_client] == ["feed"]
    # no person stands for it: no Practitioner or PractitionerRole bears the client's id
    people = of_type(resources, "Practitioner")
    assert str(reader_id) not in [i["value"] for p in people for i in p["identifier"]]
    roles = of_type(resources, "PractitionerRole")
    assert str(reader_id) not in str(roles)
    assert "SI départemental" not in str(people)


@pytest.mark.parametrize(
    ("params", "accept", "field"),
    [
        ({"_format": "xml"}, None, "_format"),
        ({"_format": "application/fhir+xml"}, None, "_format"),
        ({"_format": "html"}, "application/fhir+json", "_format"),  # _format overrides Accept
        ({}, "application/fhir+xml", "Accept"),
        ({}, "application/xml, text/html;q=0.9", "Accept"),
        ({}, "application/fhir+xml, application/json;q=0", "Accept"),
    ],
)
async def test_a_format_other_than_json_is_406(
    api: Api, params: dict[str, str], accept: str | None, field: str
) -> None:
    world = World.build(api.maillage)
    case_id = world.open_case("jeanne")
    headers = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    if accept is not None:
        headers = {**headers, "Accept": accept}
    before = api.maillage.recorder.max_notification_id()

    answer = await api.client.get(
        f"/cases/{case_id}/fhir", params={**READ, **params}, headers=headers
    )

    assert answer.status_code == 406, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["rule"] == "format-not-acceptable"
    assert field in answer.json()["field"]
    assert api.maillage.recorder.max_notification_id() == before  # nothing read or recorded


@pytest.mark.parametrize(
    ("params", "accept"),
    [
        ({}, None),
        ({"_format": "json"}, None),
        ({"_format": "application/fhir+json"}, "application/fhir+xml"),
        ({"_format": "application/json"}, None),
        ({}, "application/fhir+json"),
        ({}, "application/json"),
        ({}, "*/*"),
        ({}, "application/fhir+xml;q=1, application/fhir+json;q=0.5"),
    ],
)
async def test_json_is_served(api: Api, params: dict[str, str], accept: str | None) -> None:
    world = World.build(api.maillage)
    case_id = world.open_case("jeanne")
    headers = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    if accept is not None:
        headers = {**headers, "Accept": accept}

    answer = await api.client.get(
        f"/cases/{case_id}/fhir", params={**READ, **params}, headers=headers
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+json")
    parsed(answer.json())
