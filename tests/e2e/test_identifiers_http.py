"""National identifiers through HTTP: given at registration or set later by an administrator,
shown in the registry's views with their FHIR systems, searchable, one holder per number, and
refused as problem+json naming the field (French first)."""

from __future__ import annotations

from typing import Any

import httpx

from domain.access import Role
from domain.identifiers import with_luhn_key
from tests.e2e.conftest import Api
from tests.world import World

EN = {"Accept-Language": "en"}


def _admin(api: Api) -> dict[str, str]:
    return api.headers(Role.ADMIN)


def _json(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _problem(response: httpx.Response, status: int, rule: str, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert (body["rule"], body["field"]) == (rule, field)
    return body


def _caught_up(api: Api) -> None:
    projections = api.services.projections
    assert projections.wait_for(projections.head(), timeout=10)


async def test_an_institution_registered_with_its_numbers_shows_and_is_found_by_them(
    api: Api,
) -> None:
    admin = _admin(api)
    created = _json(
        await api.client.post(
            "/institutions",
            json={
                "name": "Hôpital de Colmar",
                "sector": "health",
                "kind": "hospital",
                "finess": "35 000 517 9",
                "siret": "732 829 320 00074",
            },
            headers=admin,
        ),
        201,
    )
    read = _json(await api.client.get(f"/institutions/{created['id']}", headers=admin), 200)
    assert (read["finess"], read["siret"]) == ("350005179", "73282932000074")
    assert read["identifiers"] == [
        {"scheme": "finess", "value": "350005179", "system": "https://finess.esante.gouv.fr"},
        {"scheme": "siret", "value": "73282932000074", "system": "https://sirene.fr"},
    ]
    _caught_up(api)
    reader = api.headers(Role.FUNDER)  # a directory: every role reads it
    for query in ({"finess": "350005179"}, {"finess": "350 005 179"}, {"siret": "73282932000074"}):
        found = _json(await api.client.get("/institutions", params=query, headers=reader), 200)
        assert [(i["institution_id"], i["finess"]) for i in found["items"]] == [
            (created["id"], "350005179")
        ]
    other = _json(
        await api.client.get("/institutions", params={"finess": "750712184"}, headers=reader), 200
    )
    assert other["items"] == []


async def test_a_wrong_number_is_refused_naming_the_field_in_french_or_english(api: Api) -> None:
    admin = _admin(api)
    body = {"name": "Service", "sector": "social", "kind": "other", "siret": "73282932000075"}
    refused = _problem(
        await api.client.post("/institutions", json=body, headers=admin),
        422,
        "invalid-value",
        "siret",
    )
    assert refused["title"] == "Valeur invalide"
    assert (
        refused["detail"]
        == "siret 73282932000075 : la clé de contrôle (dernier chiffre) est fausse"
    )
    english = _problem(
        await api.client.post(
            "/professionals",
            json={"name": "Marc", "profession": "psychologue", "rpps": "1234"},
            headers={**admin, **EN},
        ),
        422,
        "invalid-value",
        "rpps",
    )
    assert english["detail"] == "rpps must have 11 characters, not 4"
    search = _problem(
        await api.client.get("/professionals", params={"adeli": "XX9300012"}, headers=admin),
        422,
        "invalid-value",
        "adeli",
    )
    assert "département" in search["detail"]
    too_long = await api.client.post(
        "/institutions", json={**body, "finess": "1" * 100}, headers=admin
    )
    assert too_long.status_code == 422  # bounded by the schema before the domain reads it


async def test_a_number_belongs_to_one_institution_or_professional_at_a_time(api: Api) -> None:
    world = World.build(api.maillage)
    admin = _admin(api)
    taken = World.IDENTIFIERS["aemo"]["finess"]
    refused = _problem(
        await api.client.post(
            "/institutions",
            json={"name": "Autre", "sector": "social", "kind": "other", "finess": taken},
            headers=admin,
        ),
        409,
        "identifier-taken",
        "finess",
    )
    assert refused["title"] == "Identifiant déjà attribué"
    assert taken in refused["detail"]
    rpps = World.IDENTIFIERS["sophie"]["rpps"]
    jeanne = f"/professionals/{world.p('jeanne')}/identifiers"
    _problem(
        await api.client.post(jeanne, json={"rpps": rpps}, headers=admin),
        409,
        "identifier-taken",
        "rpps",
    )
    # Sophie gives up her number for another: Jeanne may take it.
    newer = with_luhn_key("1000777777")
    sophie = f"/professionals/{world.p('sophie')}/identifiers"
    _json(await api.client.post(sophie, json={"rpps": newer}, headers=admin), 200)
    done = _json(
        await api.client.post(jeanne, json={"rpps": rpps, "adeli": "689300099"}, headers=admin),
        200,
    )
    read = _json(await api.client.get(f"/professionals/{world.p('jeanne')}", headers=admin), 200)
    assert (read["version"], read["rpps"], read["adeli"]) == (done["version"], rpps, "689300099")
    assert [i["system"] for i in read["identifiers"]] == [
        "https://rpps.esante.gouv.fr",
        "https://adeli.esante.gouv.fr",
    ]
    _caught_up(api)
    found = _json(await api.client.get("/professionals", params={"rpps": rpps}, headers=admin), 200)
    assert [p["professional_id"] for p in found["items"]] == [str(world.p("jeanne"))]


async def test_only_an_administrator_sets_identifiers_and_if_match_guards_the_change(
    api: Api,
) -> None:
    world = World.build(api.maillage)
    url = f"/institutions/{world.i('school')}/identifiers"
    finess = with_luhn_key("68000888")
    supervisor = api.headers(Role.SUPERVISOR, world.p("paul"), world.i("school"))
    denied = await api.client.post(url, json={"finess": finess}, headers=supervisor)
    assert (denied.status_code, denied.json()["rule"]) == (403, "access-denied")
    admin = _admin(api)
    stale = await api.client.post(
        url, json={"finess": finess}, headers={**admin, "If-Match": '"999"'}
    )
    assert (stale.status_code, stale.json()["rule"]) == (412, "stale-version")
    current = _json(await api.client.get(f"/institutions/{world.i('school')}", headers=admin), 200)
    done = _json(
        await api.client.post(
            url, json={"finess": finess}, headers={**admin, "If-Match": f'"{current["version"]}"'}
        ),
        200,
    )
    assert done["version"] == current["version"] + 1
    missing = await api.client.post(
        "/institutions/00000000-0000-4000-8000-000000000000/identifiers",
        json={"finess": with_luhn_key("68000889")},
        headers=admin,
    )
    assert (missing.status_code, missing.json()["rule"]) == (404, "not-found")
