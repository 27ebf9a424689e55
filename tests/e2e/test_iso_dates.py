"""Dates and instants are read from ISO 8601 strings only (issue 14, point 2).

pydantic's lax mode would read a number, or a string of digits, as a Unix timestamp: a funding
opening in 1970, an `occurred_at` with a zone nobody wrote. Every date and date-time input is
found in the OpenAPI document the app publishes — request bodies and query parameters alike —
and each is sent a number and a digit string over HTTP: a 422 naming that field, so a field
added later cannot take numbers unnoticed. Then the cases of the issue, each with its ISO 8601
control, and the rules that already held (a zone required for an instant) still holding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World, ago, position

PROBLEM = "application/problem+json"
FORMATS = {"date": "iso_8601_date", "date-time": "iso_8601_datetime"}
# Read as timestamps by pydantic's lax mode: numbers in a body, digit strings anywhere.
BODY_NUMBERS: list[Any] = [86400, 1767225600.5, "86400", "-86400"]
QUERY_NUMBERS = ["86400", "1767225600.5"]
Path = tuple[str | int, ...]


# --- the walk over the OpenAPI document -----------------------------------------------------


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    ref = schema.get("$ref")
    if ref is None:
        return schema, None
    found: dict[str, Any] = doc
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return found, ref


def date_fields(
    doc: dict[str, Any], schema: dict[str, Any], path: Path = (), seen: frozenset[str] = frozenset()
) -> Iterator[tuple[Path, str]]:
    """Every (path, format) under `schema` whose value is a date or a date-time."""
    schema, ref = _resolve(doc, schema)
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    if schema.get("format") in FORMATS:
        yield path, schema["format"]
    for alternatives in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(alternatives, []):
            yield from date_fields(doc, alternative, path, seen)
    for name, prop in schema.get("properties", {}).items():
        yield from date_fields(doc, prop, (*path, name), seen)
    if isinstance(schema.get("items"), dict):
        yield from date_fields(doc, schema["items"], (*path, 0), seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from date_fields(doc, schema["additionalProperties"], (*path, "key"), seen)


@pytest.mark.parametrize("part", ["body", "query"])
def test_the_walk_finds_the_known_fields(api: Api, part: str) -> None:
    """The walk is not empty-handed: the fields of the issue are among those it finds."""
    found = {(m, p, ".".join(map(str, f))) for m, p, where, f, _ in inputs(api) if where == part}
    known = {
        "body": {
            ("POST", "/fundings", "valid_from"),
            ("POST", "/professionals/{professional_id}/employments", "start"),
            ("POST", "/cases", "beneficiary.birth_date"),
            ("POST", "/cases/{case_id}/interventions", "occurred_at"),
        },
        "query": {
            ("GET", "/cases/{case_id}/coherence/as-of", "at"),
            ("GET", "/cases/{case_id}/audit", "since"),
            ("GET", "/institutions/{institution_id}/audit", "until"),
        },
    }[part]
    assert known <= found


def inputs(api: Api) -> Iterator[tuple[str, str, str, Path, str]]:
    """(method, path, "body" or "query", field path, format) of every date input."""
    doc = api.app.openapi()
    for route, operations in doc["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for _, fmt in date_fields(doc, parameter["schema"]):
                    yield method.upper(), route, "query", (parameter["name"],), fmt
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                for path, fmt in date_fields(doc, content["application/json"]["schema"]):
                    yield method.upper(), route, "body", path, fmt


def _nest(path: Path, value: Any) -> Any:
    """The smallest JSON value with `value` at `path`."""
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


class Scene:
    """The registry of `tests.world`, a case opened by Jeanne, and a token of each role."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = World.build(api.maillage)
        self.case_id = self.world.open_case()
        self.admin = api.headers(Role.ADMIN)
        self.jeanne = api.headers(Role.CASE_WORKER, self.world.p("jeanne"), self.world.i("aemo"))
        self.supervisor = api.headers(Role.SUPERVISOR, uuid4(), self.world.i("aemo"))
        self.funder = api.headers(Role.FUNDER, uuid4(), uuid4())
        self.dpo = api.headers(Role.DPO, uuid4(), self.world.i("aemo"))

    def url(self, route: str) -> str:
        """The route with the case's id for `{case_id}`, any id for the others: a body or a
        query is validated before any record is looked up."""
        url = route.replace("{case_id}", str(self.case_id))
        return re.sub(r"\{[a-z_]+\}", lambda _: str(uuid4()), url)

    async def call(self, method: str, route: str, **kwargs: Any) -> Any:
        """The answer to the first role let through to validation (a route may decide the
        caller's role first)."""
        response = None
        for headers in (self.admin, self.jeanne, self.supervisor, self.funder, self.dpo):
            response = await self.api.client.request(
                method, self.url(route), headers=headers, **kwargs
            )
            if response.status_code not in (401, 403):
                break
        assert response is not None
        return response


async def test_every_date_input_refuses_numbers_and_digit_strings(api: Api) -> None:
    scene = Scene(api)
    before = position(api.maillage)
    failures: list[str] = []
    tried = 0
    for method, route, part, path, fmt in inputs(api):
        field = ".".join([part, *map(str, path)])
        for value in BODY_NUMBERS if part == "body" else QUERY_NUMBERS:
            tried += 1
            if part == "body":
                response = await scene.call(method, route, json=_nest(path, value))
            else:
                response = await scene.call(method, route, params={path[0]: value})
            if response.status_code != 422:
                failures.append(f"{method} {route} {field}={value!r}: {response.status_code}")
                continue
            assert response.headers["content-type"] == PROBLEM
            named = {(e["field"], e["type"]) for e in response.json()["errors"]}
            if (field, FORMATS[fmt]) not in named:
                failures.append(f"{method} {route} {field}={value!r}: not named in {named}")
    assert tried > 100  # some forty fields, each sent several numbers
    assert failures == []
    assert position(api.maillage) == before  # nothing recorded


# --- the cases of the issue -----------------------------------------------------------------


def _cases(s: Scene, value: Any) -> dict[str, tuple[str, dict[str, Any], dict[str, str], str]]:
    """(url, body, headers, field) per case of the issue, with `value` in the field."""
    w = s.world
    return {
        "funding-valid-from": (
            "/fundings",
            {
                "funder_id": str(w.i("ase")),
                "target_kind": "institution",
                "target_id": str(w.i("aemo")),
                "valid_from": value,
            },
            s.admin,
            "body.valid_from",
        ),
        "employment-start": (
            f"/professionals/{w.p('paul')}/employments",
            {"institution_id": str(w.i("cmp")), "start": value},
            s.admin,
            "body.start",
        ),
        "birth-date": (
            "/cases",
            {
                "beneficiary": {"first_name": "Inès", "last_name": "Meyer", "birth_date": value},
                "legal_framework": "administrative",
            },
            s.jeanne,
            "body.beneficiary.birth_date",
        ),
        "occurred-at": (
            f"/cases/{s.case_id}/interventions",
            {"kind": "home_visit", "occurred_at": value},
            s.jeanne,
            "body.occurred_at",
        ),
    }


ISO = {
    "funding-valid-from": "2026-01-01",
    "employment-start": "2026-01-01",
    "birth-date": "2014-03-02",
    "occurred-at": ago(days=1).isoformat(),
}
# What each field would have read as a timestamp: the issue's numbers, and one the rules
# would otherwise let through (an instant of yesterday, as an epoch integer).
NUMBERS = {
    "funding-valid-from": [0, "0"],
    "employment-start": [0, "0"],
    "birth-date": [86400, "86400"],
    "occurred-at": [int(ago(days=1).timestamp()), str(int(ago(days=1).timestamp()))],
}


@pytest.mark.parametrize("case", list(ISO))
async def test_the_issues_numbers_are_refused_and_iso_strings_recorded(api: Api, case: str) -> None:
    s = Scene(api)
    for bad in NUMBERS[case]:
        before = position(api.maillage)
        url, body, headers, field = _cases(s, bad)[case]
        response = await api.client.post(url, json=body, headers=headers)
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert (problem["rule"], problem["field"]) == ("invalid-request", field)
        assert "ISO 8601" in problem["detail"]
        assert position(api.maillage) == before
    url, body, headers, _ = _cases(s, ISO[case])[case]
    accepted = await api.client.post(url, json=body, headers=headers)
    assert accepted.status_code in (200, 201), accepted.text
    assert position(api.maillage) > before


async def test_an_instant_still_needs_its_zone(api: Api) -> None:
    """Only the number paths are gone: the rules that held for ISO strings still hold."""
    s = Scene(api)
    before = position(api.maillage)
    for naive in (ago(days=1).replace(tzinfo=None).isoformat(), ago(days=1).date().isoformat()):
        url, body, headers, _ = _cases(s, naive)["occurred-at"]
        response = await api.client.post(url, json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "occurred_at"
        assert "fuseau horaire" in response.json()["detail"]
        as_of = await api.client.get(
            f"/cases/{s.case_id}/coherence/as-of",
            params={"at": naive, "purpose": "coordination"},
            headers=s.jeanne,
        )
        assert as_of.status_code == 422, as_of.text
        assert (as_of.json()["field"], as_of.json()["rule"]) == ("at", "invalid-value")
    assert position(api.maillage) == before


@pytest.mark.parametrize("name", ["at", "since", "until"])
async def test_query_instants_refuse_digit_strings(api: Api, name: str) -> None:
    s = Scene(api)
    if name == "at":
        url, headers = f"/cases/{s.case_id}/coherence/as-of", s.jeanne
        # The case opened ten days ago (recorded now): as of yesterday, it had happened.
        params = {"purpose": "coordination", "question": "occurred"}
    else:
        url = f"/institutions/{s.world.i('aemo')}/audit"
        headers, params = api.headers(Role.SUPERVISOR, uuid4(), s.world.i("aemo")), {}
    response = await api.client.get(url, params={**params, name: "1700000000"}, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["field"], problem["rule"]) == (f"query.{name}", "invalid-request")
    accepted = await api.client.get(
        url, params={**params, name: ago(days=1).isoformat()}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
