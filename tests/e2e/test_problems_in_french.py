"""Refusals through HTTP, French first: `title` and `detail` in French unless `Accept-Language`
asks for English, the codes (`type`, `rule`, `field`, `details` keys, `errors[].type`) the same
in both; no Python repr in any problem; alternatives in `details` a client can act on; and the
OpenAPI schema documenting every error answer as `application/problem+json`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest

from domain.access import Role
from tests.e2e.conftest import Api, python_reprs
from tests.world import World, position

PROBLEM = "application/problem+json"
EN = {"Accept-Language": "en"}
ATTESTED = ["recipient_bound_by_secrecy", "contributes_to_child_protection", "strictly_necessary"]
PARENTS = {"any_of": ["parental_authority_informed", "not_informed_reason"]}


class Scene:
    """A case opened by Jeanne (AEMO); CMP linked to AEMO by a convention; a delegation from
    CMP to Sophie for the case covering home visits only."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = world = World.build(api.maillage)
        self.case_id = world.open_case("jeanne")
        world.convention("aemo", "cmp")
        self.delegation_id = api.maillage.grant_delegation(
            institution_id=world.i("cmp"),
            professional_id=world.p("sophie"),
            scope=["home_visit"],
            valid_from=date(2026, 1, 1),
            valid_until=date(2027, 1, 1),
            case_id=self.case_id,
        ).id
        api.maillage.join_case(  # a delegation naming the case lets her take part (4b)
            case_id=self.case_id,
            by=world.actor("sophie"),
            role="psychiatre",
            delegation_id=self.delegation_id,
        )
        self.unknown = uuid4()  # no case has this id
        self.jeanne = self.worker("jeanne", "aemo")
        self.sophie = self.worker("sophie", "cmp")
        assert api.services.projections.wait_for(position(api.maillage), timeout=10)

    def worker(self, who: str, where: str) -> dict[str, str]:
        return self.api.headers(Role.CASE_WORKER, self.world.p(who), self.world.i(where))

    def share(self, *attested: str) -> dict[str, Any]:
        return {
            "recipient_institution_id": str(self.world.i("ase")),
            "categories": ["family_situation"],
            "summary": "Situation familiale",
            "legal_ground": {"code": "shared_secrecy_child_protection", "attested": attested},
        }


Ask = Callable[[Scene, dict[str, str]], Awaitable[httpx.Response]]


async def _no_token(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.get(f"/cases/{s.case_id}", headers=language)


async def _funder(s: Scene, language: dict[str, str]) -> httpx.Response:
    funder = s.api.headers(Role.FUNDER, uuid4(), s.world.i("aemo"))
    return await s.api.client.get(f"/cases/{s.case_id}", headers={**funder, **language})


async def _unknown_case(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.post(
        f"/cases/{s.unknown}/interventions",
        json={"kind": "home_visit"},
        headers={**s.jeanne, **language},
    )


async def _invalid_body(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.post(
        f"/cases/{s.case_id}/interventions",
        json={"kind": "juggling", "occurred_at": 12},
        headers={**s.jeanne, **language},
    )


async def _ground_not_met(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.post(
        f"/cases/{s.case_id}/shares", json=s.share(*ATTESTED), headers={**s.jeanne, **language}
    )


async def _outside_the_delegation(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.post(
        f"/cases/{s.case_id}/interventions",
        json={"kind": "assessment", "delegation_id": str(s.delegation_id)},
        headers={**s.sophie, **language},
    )


async def _future(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.post(
        f"/cases/{s.case_id}/interventions",
        json={"kind": "home_visit", "occurred_at": "2027-01-01T10:00:00+01:00"},
        headers={**s.jeanne, **language},
    )


async def _no_route(s: Scene, language: dict[str, str]) -> httpx.Response:
    return await s.api.client.get("/nowhere", headers={**s.jeanne, **language})


async def _too_large(s: Scene, language: dict[str, str]) -> httpx.Response:
    big = {"kind": "home_visit", "summary": "x" * (s.api.settings.max_body_bytes + 1)}
    return await s.api.client.post(
        f"/cases/{s.case_id}/interventions", json=big, headers={**s.jeanne, **language}
    )


# (what is asked, status, rule, field, French title, a piece of the French detail,
#  the English title, a piece of the English detail)
REFUSALS: dict[str, tuple[Ask, int, str, str | None, str, str, str, str]] = {
    "no token": (
        _no_token,
        401,
        "unauthenticated",
        "Authorization",
        "Authentification requise",
        "envoyez un jeton porteur",
        "Authentication required",
        "send a bearer token",
    ),
    "funder reading a case": (
        _funder,
        403,
        "access-denied",
        None,
        "Accès refusé",
        "un financeur consulte des rapports agrégés, jamais un dossier",
        "Access denied",
        "a funder reads aggregate reports, never a case",
    ),
    "unknown case": (
        _unknown_case,
        404,
        "not-found",
        "case_id",
        "Introuvable",
        "le dossier ",
        "Not found",
        "does not exist",
    ),
    "invalid body": (
        _invalid_body,
        422,
        "invalid-request",
        "body.occurred_at",
        "Requête invalide",
        "body.kind : doit valoir l'une des valeurs suivantes : home_visit, ",
        "Invalid request",
        "body.kind: should be one of: home_visit, ",
    ),
    "legal ground not met": (
        _ground_not_met,
        422,
        "legal-ground-conditions-not-met",
        "legal_ground",
        "Conditions du fondement légal non remplies",
        "il manque : parental_authority_informed ou not_informed_reason",
        "Conditions of the legal ground not met",
        "missing: parental_authority_informed or not_informed_reason",
    ),
    "outside the delegation": (
        _outside_the_delegation,
        422,
        "delegation-out-of-scope",
        "delegation_id",
        "Hors du périmètre de la délégation",
        "ne couvre pas le type d'action assessment (son périmètre : home_visit)",
        "Outside the delegation's scope",
        "does not cover the action kind assessment (its scope: home_visit)",
    ),
    "in the future": (
        _future,
        422,
        "occurred-at-in-future",
        "occurred_at",
        "Date dans le futur",
        "est dans le futur",
        "Date in the future",
        "is in the future",
    ),
    "no such route": (
        _no_route,
        404,
        "no-such-route",
        None,
        "Route inexistante",
        "aucune route ne répond à ce chemin",
        "No such route",
        "no route answers this path",
    ),
    "body too large": (
        _too_large,
        413,
        "body-too-large",
        "body",
        "Corps de requête trop volumineux",
        "le corps de la requête dépasse",
        "Body too large",
        "the request body exceeds",
    ),
}


@pytest.mark.parametrize("name", REFUSALS)
async def test_a_refusal_is_in_french_by_default_and_in_english_on_request(
    api: Api, name: str
) -> None:
    ask, status, rule, field, fr_title, fr_detail, en_title, en_detail = REFUSALS[name]
    s = Scene(api)
    before = position(api.maillage)
    french, english = await ask(s, {}), await ask(s, EN)
    for answer, language in ((french, "fr"), (english, "en")):
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == PROBLEM
        assert answer.headers["content-language"] == language
        problem = answer.json()
        assert (problem["type"], problem["rule"]) == (f"urn:maillage:problem:{rule}", rule)
        assert problem.get("field") == field
        assert python_reprs(answer.text) == []
    assert (french.json()["title"], english.json()["title"]) == (fr_title, en_title)
    assert fr_detail in french.json()["detail"], french.json()["detail"]
    assert en_detail in english.json()["detail"], english.json()["detail"]
    # the codes do not change with the language
    same = ("type", "rule", "field", "details", "status")
    assert {k: french.json().get(k) for k in same} == {k: english.json().get(k) for k in same}
    assert position(api.maillage) == before


async def test_invalid_inputs_are_worded_one_by_one_with_stable_codes(api: Api) -> None:
    s = Scene(api)
    body = {"kind": "juggling", "occurred_at": 12, "summary": "x" * 10001, "bogus": 1}
    url = f"/cases/{s.case_id}/interventions"
    french = await api.client.post(url, json=body, headers=s.jeanne)
    english = await api.client.post(url, json=body, headers={**s.jeanne, **EN})
    fr = {e["field"]: (e["type"], e["message"]) for e in french.json()["errors"]}
    en = {e["field"]: (e["type"], e["message"]) for e in english.json()["errors"]}
    # an unknown field is refused too, never dropped (`api.http.schemas.common.RequestBody`)
    fields = {"body.kind", "body.occurred_at", "body.summary", "body.bogus"}
    assert fr.keys() == en.keys() == fields
    assert en["body.bogus"] == ("extra_forbidden", "not expected: no such field")
    assert {f: t for f, (t, _) in fr.items()} == {f: t for f, (t, _) in en.items()}
    assert fr["body.summary"][1] == "doit compter au plus 10000 caractères"
    assert en["body.summary"][1] == "should have at most 10000 characters"
    assert fr["body.occurred_at"][1].startswith("doit être une date et une heure ISO 8601")
    assert fr["body.kind"][1].startswith("doit valoir l'une des valeurs suivantes : home_visit, ")
    assert " ou " in fr["body.kind"][1]
    assert en["body.kind"][1].startswith("should be one of: home_visit, ")
    assert " or " in en["body.kind"][1]
    missing = await api.client.post(url, json={}, headers=s.jeanne)
    assert missing.json()["errors"] == [
        {"field": "body.kind", "message": "obligatoire", "type": "missing"}
    ]
    not_json = await api.client.post(
        url, content=b"{oops", headers={**s.jeanne, "Content-Type": "application/json"}
    )
    assert not_json.json()["errors"][0]["type"] == "json_invalid"
    assert (
        not_json.json()["errors"][0]["message"] == "le corps de la requête n'est pas du JSON valide"
    )


async def test_a_missing_scope_names_the_action_kind_by_its_code(api: Api) -> None:
    """The issue's 4f: citing a delegation whose scope lacks the act showed the kind's Python
    repr (`<ActionKind.CASE_PARTICIPATION: 'case_participation'>`); the code is shown now."""
    s = Scene(api)
    refused = await _outside_the_delegation(s, {})
    problem = refused.json()
    assert problem["details"] == {
        "delegation_id": str(s.delegation_id),
        "action_kind": "assessment",
        "scope": ["home_visit"],
    }
    assert "<" not in refused.text
    assert python_reprs("<ActionKind.CASE_PARTICIPATION: 'case_participation'>")  # it would see


async def test_attesting_one_alternative_named_in_the_details_lets_the_same_share_through(
    api: Api,
) -> None:
    s = Scene(api)
    refused = await _ground_not_met(s, {})
    details = refused.json()["details"]
    assert details["missing_conditions"] == [PARENTS]
    assert details["condition_kinds"] == {
        "parental_authority_informed": "attested",
        "not_informed_reason": "stated",
    }
    # every alternative is a code a client can send as it is
    attestable = [c for c in PARENTS["any_of"] if details["condition_kinds"][c] == "attested"]
    assert attestable == ["parental_authority_informed"]
    the_old_way = s.share(*ATTESTED, "parental_authority_informed|not_informed_reason")
    still = await api.client.post(f"/cases/{s.case_id}/shares", json=the_old_way, headers=s.jeanne)
    assert still.status_code == 422, still.text
    shared = await api.client.post(
        f"/cases/{s.case_id}/shares", json=s.share(*ATTESTED, *attestable), headers=s.jeanne
    )
    assert shared.status_code == 200, shared.text
    stated = s.share(*ATTESTED)
    stated["legal_ground"]["statements"] = {"not_informed_reason": "danger immédiat"}
    also = await api.client.post(f"/cases/{s.case_id}/shares", json=stated, headers=s.jeanne)
    assert also.status_code == 200, also.text


async def test_an_idempotent_replay_of_a_refusal_says_the_language_it_was_worded_in(
    api: Api,
) -> None:
    s = Scene(api)
    headers = {**s.jeanne, "Idempotency-Key": str(uuid4())}
    first = await api.client.post(
        f"/cases/{s.case_id}/shares", json=s.share(*ATTESTED), headers=headers
    )
    again = await api.client.post(
        f"/cases/{s.case_id}/shares", json=s.share(*ATTESTED), headers={**headers, **EN}
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again.headers["content-language"] == first.headers["content-language"] == "fr"


async def test_every_error_answer_of_every_operation_is_documented_as_problem_json(
    api: Api,
) -> None:
    schema = (await api.client.get("/openapi.json")).json()
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "rule", "details"} <= problem["properties"].keys()
    assert "any_of" in problem["properties"]["details"]["description"]
    wrong, errors = [], 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                if not (status.isdigit() and int(status) >= 400):
                    continue
                errors += 1
                content = response.get("content", {})
                ref = content.get(PROBLEM, {}).get("schema", {}).get("$ref")
                if ref != "#/components/schemas/Problem" or "application/json" in content:
                    wrong.append(f"{method.upper()} {path} {status}: {sorted(content)}")
    assert errors > 100  # every operation declares its errors
    assert wrong == []
