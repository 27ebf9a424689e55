"""Authorisation before validation: whoever may not call a route learns nothing of how to ask.

Every route of the app is walked (a route added later is covered without a line here). For each,
requests built to be wrong — ids that are not ids, every query parameter unstorable, a body that
is not JSON; or nothing at all (no query, no body, where the route requires them); or a body of
the wrong shape — are sent:

- without a token, or with a forged one: 401, never 403 or 422;
- with a valid token of every role the route does not admit: 403, never 422, and the problem
  names no parameter and no field of the body;
- with a valid token of every role it admits: 422 for the wrong request (the refusals above are
  the role's doing, not the request's).

The roles admitted are the route's declaration (`api.http.guard.admits`, an `Admission` of
`domain.access`), published in the OpenAPI operation as `x-roles`; `test_access_matrix` checks
that the declarations agree with what the domain's rules let each principal do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from api.http.guard import GuardedRoute, roles_of
from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

PUBLIC = {"/health", "/ready", "/metrics", "/oauth/token"}
PROBLEM = "application/problem+json"
FORGED = {"Authorization": "Bearer " + "e30.e30.forged"}
PATH_PARAMETER = re.compile(r"{([^}]+)}")


def routes_of(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route of the app, those of included routers too (the console's pages are not
    the API's: `tests/e2e/test_console_access.py` holds their rules)."""
    for route in routes:
        if isinstance(route, GuardedRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from routes_of(included.routes)


@dataclass(frozen=True)
class Operation:
    method: str
    route: GuardedRoute
    query: tuple[str, ...]  # the query parameters it declares
    body: bool  # it takes a body

    @property
    def name(self) -> str:
        return f"{self.method} {self.route.path}"

    @property
    def admitted(self) -> frozenset[Role]:
        assert self.route.admission is not None
        return self.route.admission.roles

    @property
    def takes_input(self) -> bool:
        return bool(self.query or self.body or PATH_PARAMETER.search(self.route.path))


def operations(api: Api) -> list[Operation]:
    schema = api.app.openapi()["paths"]
    found = []
    for route in routes_of(api.app.routes):
        assert isinstance(route, GuardedRoute), route.path
        if route.path in PUBLIC:
            assert route.admission is None, route.path
            continue
        assert route.admission is not None, f"{route.path} is open to anyone"
        for method in sorted(route.methods - {"HEAD"}):
            operation = schema[route.path][method.lower()]
            # The OpenAPI schema says who may call, as the guard decides it.
            assert operation["x-roles"] == roles_of(route.admission), route.path
            query = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            found.append(Operation(method, route, query, "requestBody" in operation))
    assert len(found) > 60
    return found


@dataclass(frozen=True)
class Wrong:
    """A request built to fail validation, for any route."""

    name: str
    ids: str  # what stands for every path parameter
    query: bool  # send every query parameter, unstorable
    body: bytes | None  # sent as application/json to routes taking a body


WRONG = [
    Wrong("garbage", ids="not-an-id", query=True, body=b'{"unfinished": '),
    Wrong("nothing", ids="uuid", query=False, body=None),
    Wrong("wrong shape", ids="uuid", query=False, body=b'[{"\\u0000": 1}]'),
]


def request_for(operation: Operation, wrong: Wrong) -> dict[str, Any]:
    path = PATH_PARAMETER.sub(
        lambda _: str(uuid4()) if wrong.ids == "uuid" else wrong.ids, operation.route.path
    )
    sent: dict[str, Any] = {"method": operation.method, "url": path}
    if wrong.query:
        sent["params"] = {name: "\x00" for name in operation.query}
    if operation.body and wrong.body is not None:
        sent["content"] = wrong.body
        sent["headers"] = {"content-type": "application/json"}
    return sent


def role_headers(api: Api) -> dict[Role, dict[str, str]]:
    """A valid token of every role: a client application's names a registered client (an
    unknown client's token is no valid token: 401, `tests/e2e/test_client_tokens.py`)."""
    tokens = {
        role: api.headers(role, uuid4(), None if role is Role.ADMIN else uuid4()) for role in Role
    }
    institution = uuid4()
    client = api.register_client(institution)
    tokens[Role.INTEGRATION] = api.headers(Role.INTEGRATION, client.client_id, institution)
    return tokens


def reveals_nothing(response: httpx.Response, status: int, rule: str) -> str | None:
    """What is wrong with a refusal that must say nothing of the request, if anything."""
    if response.status_code != status or not response.headers.get("content-type", "").startswith(
        PROBLEM
    ):
        return f"expected {status} {rule}, got {response.status_code} {response.text[:200]}"
    problem = response.json()
    if problem["rule"] != rule:
        return f"expected {rule}, got {problem['rule']}: {problem['detail']}"
    if problem.get("errors") or problem.get("field") not in (None, "Authorization"):
        return f"the refusal names the input: {problem}"
    return None


async def send(api: Api, sent: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    return await api.client.request(
        sent["method"],
        sent["url"],
        params=sent.get("params"),
        content=sent.get("content"),
        headers={**sent.get("headers", {}), **headers},
    )


@pytest.mark.parametrize("wrong", WRONG, ids=[w.name for w in WRONG])
async def test_no_caller_learns_how_to_ask_for_a_route_they_may_not_call(
    api: Api, wrong: Wrong
) -> None:
    tokens = role_headers(api)
    failures: list[str] = []
    refused = 0
    for operation in operations(api):
        sent = request_for(operation, wrong)
        for who, headers in (("no token", {}), ("a forged token", FORGED)):
            problem = reveals_nothing(await send(api, sent, headers), 401, "unauthenticated")
            if problem:
                failures.append(f"{operation.name} with {who}: {problem}")
        for role in sorted(set(Role) - operation.admitted):
            refused += 1
            problem = reveals_nothing(await send(api, sent, tokens[role]), 403, "access-denied")
            if problem:
                failures.append(f"{operation.name} as {role.value}: {problem}")
    assert not failures, f"{len(failures)} answers:\n  " + "\n  ".join(failures)
    assert refused > 100  # most routes refuse some role


async def test_the_roles_admitted_are_told_what_is_wrong(api: Api) -> None:
    """The control: the same garbage, from a role the route admits, is a 422."""
    tokens = role_headers(api)
    failures = []
    for operation in operations(api):
        if not operation.takes_input:
            continue
        sent = request_for(operation, WRONG[0])
        for role in operation.admitted:
            response = await send(api, sent, tokens[role])
            if response.status_code != 422:
                failures.append(f"{operation.name} as {role.value}: {response.status_code}")
    assert not failures, "\n  ".join(failures)


async def test_a_funder_reading_a_case_without_purpose_is_refused_not_told_of_purpose(
    api: Api,
) -> None:
    """The case of the issue: a funder's GET /cases/{id} without `purpose` was answered 422
    (naming the missing parameter); it is a 403. A case worker on the case is told."""
    world = World.build(api.maillage)
    case = world.open_case("jeanne")
    funder = api.headers(Role.FUNDER, uuid4(), world.i("aemo"))
    refused = await api.client.get(f"/cases/{case}", headers=funder)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")
    assert (
        refused.json()["detail"] == "un financeur consulte des rapports agrégés, jamais un dossier"
    )
    assert "purpose" not in refused.text
    jeanne = world.actor("jeanne")
    worker = api.headers(Role.CASE_WORKER, jeanne.professional_id, jeanne.institution_id)
    told = await api.client.get(f"/cases/{case}", headers=worker)
    assert (told.status_code, told.json()["field"]) == (422, "query.purpose")
    read = await api.client.get(f"/cases/{case}", params={"purpose": "follow_up"}, headers=worker)
    assert read.status_code == 200, read.text


async def test_a_refused_role_reaches_nothing_of_the_route(api: Api) -> None:
    """A refused role is answered before the route's dependencies run: its Idempotency-Key is
    not claimed (the same request again is refused again, not replayed)."""
    headers = {**api.headers(Role.FUNDER, uuid4(), uuid4()), "Idempotency-Key": "refused-early"}
    body = {"name": "IME", "sector": "medico_social", "kind": "other"}
    first = await api.client.post("/institutions", json=body, headers=headers)
    assert (first.status_code, first.json()["rule"]) == (403, "access-denied")
    assert (
        first.json()["detail"] == "tenir le référentiel : réservé au rôle admin, pas au rôle funder"
    )
    again = await api.client.post("/institutions", json=body, headers=headers)
    assert again.status_code == 403
    assert "Idempotent-Replayed" not in again.headers  # nothing was claimed, nothing kept


def test_a_route_that_does_not_say_who_may_call_it_cannot_be_built() -> None:
    router = APIRouter(route_class=GuardedRoute)
    with pytest.raises(TypeError, match="declare who may call it"):

        @router.get("/undeclared")
        def undeclared() -> None:
            return None
