"""The OpenAPI document is one a front-end team can build on: a walk of `/openapi.json` that
fails on any gap.

Every operation has a written description (what it does and records, its own refusals), says
who may call it (`x-roles`, and the paragraph written from the route's admission), answers
documented error responses, has a readable operationId (the handler's name, unique), and every
request body has named examples that its own model accepts. Every `status` `rule` pair a
description cites is what the service answers for that rule, so a description cannot promise a
404 the service answers as a 422. `gaps()` is the walk; a test shows it finds each kind of gap.

The document is the app's own; nothing here reaches a store.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema_rs
import pytest
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

import domain
from api.http.app import create_app
from api.http.guard import GuardedRoute, roles_of
from api.http.openapi import guarded_routes, is_command
from api.http.problems import status_of
from api.http.reference import DESCRIPTIONS, EXAMPLES
from api.settings import Settings
from domain.access import Role
from domain.errors import MaillageError
from tests.conftest import TEST_SIGNING_KEY

APP = create_app(
    Settings(_env_file=None, database_url="sqlite:///unused.sqlite3", jwt_secret=TEST_SIGNING_KEY)  # type: ignore[call-arg]
)
DOCUMENT = APP.openapi()
JSON = "application/json"
METHODS = {"get", "post", "put", "patch", "delete"}
SNAKE_CASE = re.compile(r"^[a-z]+(_[a-z]+)*$")
WRITTEN_AT_LEAST = 120  # characters of a description written for the operation itself
GENERATED = ("**Refusals any such request can earn**", "**Who may call it**")
CITED = re.compile(r"\b([45][0-9]{2}) ((?:`[a-z0-9-]+`(?:, | / | or )?)+)")

# Rules the API itself answers (not a domain error), with their status.
API_RULES = {
    "invalid-request": 422,
    "invalid-text": 422,
    "invalid-if-match": 422,
    "if-match-required": 428,
    "unauthenticated": 401,
    "position-beyond-log": 422,
    "read-side-behind": 503,
    "pdf-unavailable": 406,
    "format-not-acceptable": 406,
    "store-unavailable": 503,
    "idempotency-key-required": 428,
    "idempotency-key-reused": 422,
    "invalid-idempotency-key": 422,
    "idempotency-key-in-progress": 409,
    "idempotency-key-recorded": 409,
    "idempotency-outcome-unknown": 409,
    # the token endpoint's own (`api.http.routers.oauth`), as RFC 6749 §5.2 answers them
    "invalid-token-request": 400,
    "unsupported-grant-type": 400,
    "invalid-client": 401,
    "client-tokens-from-identity-provider": 503,
}


def _error_classes(root: type[MaillageError] = MaillageError) -> Iterator[type[MaillageError]]:
    for cls in root.__subclasses__():
        yield cls
        yield from _error_classes(cls)


def known_rules() -> dict[str, int]:
    """Every rule the service answers, with its status: the domain's errors (mapped by
    `api.http.problems.status_of`, the one mapping) and the API's own rules."""
    assert domain  # the domain's errors are all imported with the app
    rules = dict(API_RULES)
    for cls in _error_classes():
        rules[cls.rule] = status_of(cls.__new__(cls))
    return rules


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def written(description: str) -> str:
    """The part of a description written for the operation, before what is generated."""
    for heading in GENERATED:
        description = description.split(heading)[0]
    return description.strip()


def cited(description: str) -> Iterator[tuple[int, str]]:
    """The `status` `rule` pairs a description cites ("422 `a`, `b`" cites both)."""
    for status, rules in CITED.findall(description):
        for rule in re.findall(r"`([a-z0-9-]+)`", rules):
            yield int(status), rule


def routes() -> dict[str, GuardedRoute]:
    return {route.name: route for _, route in guarded_routes(APP.routes)}


def gaps(document: dict[str, Any]) -> list[str]:
    """Everything a front-end team would miss in `document`, one line each."""
    found: list[str] = []
    rules = known_rules()
    seen_ids: set[str] = set()
    by_name = routes()
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        operation_id = operation.get("operationId", "")
        route = by_name.get(operation_id)
        if route is None or not SNAKE_CASE.match(operation_id):
            found.append(f"{where}: operationId {operation_id!r} is not a handler's name")
        if operation_id in seen_ids:
            found.append(f"{where}: operationId {operation_id!r} is used twice")
        seen_ids.add(operation_id)
        description = operation.get("description", "")
        if len(written(description)) < WRITTEN_AT_LEAST:
            found.append(f"{where}: no description of its own ({written(description)!r})")
        if "**Who may call it**" not in description:
            found.append(f"{where}: does not say who may call it")
        for status, rule in cited(description):
            if rules.get(rule) != status:
                found.append(f"{where}: cites {status} `{rule}`, answered {rules.get(rule)}")
            elif str(status) not in operation.get("responses", {}):
                found.append(f"{where}: cites {status} `{rule}` but documents no {status}")
        public = route is not None and route.admission is None
        if not public:
            if not operation.get("x-roles"):
                found.append(f"{where}: no x-roles")
            elif (
                route is not None
                and route.admission is not None
                and operation["x-roles"] != roles_of(route.admission)
            ):
                found.append(f"{where}: x-roles differ from the route's admission")
            missing = {"401", "403", "422"} - set(operation.get("responses", {}))
            if missing:
                found.append(f"{where}: documents no {sorted(missing)} error response")
        body = operation.get("requestBody", {}).get("content", {}).get(JSON)
        if body is not None and not body.get("examples"):
            found.append(f"{where}: its request body has no example")
    return found


def test_the_document_has_no_gap() -> None:
    assert gaps(DOCUMENT) == []
    assert len(list(operations(DOCUMENT))) > 70


@pytest.mark.parametrize(
    ("gap", "found"),
    [
        (lambda op: op.update(description="Close the case."), "no description of its own"),
        (lambda op: op.update(operationId="close_case_cases__case_id__closure_post"), "handler"),
        (lambda op: op.pop("x-roles"), "no x-roles"),
        (lambda op: op["responses"].pop("403"), "error response"),
        (lambda op: op["requestBody"]["content"][JSON].pop("examples"), "no example"),
        (
            lambda op: op.update(description=op["description"] + "\n- 404 `case-closed`: …"),
            "answered 409",
        ),
    ],
    ids=["description", "operationId", "x-roles", "errors", "example", "cited status"],
)
def test_the_walk_finds_each_kind_of_gap(gap: Any, found: str) -> None:
    document = copy.deepcopy(DOCUMENT)
    gap(document["paths"]["/cases/{case_id}/closure"]["post"])
    reported = gaps(document)
    assert any(found in line for line in reported), reported
    assert all(line.startswith("POST /cases/{case_id}/closure: ") for line in reported)


def test_operation_ids_are_the_handlers_names() -> None:
    ids = {operation["operationId"] for _, _, operation in operations(DOCUMENT)}
    assert ids == set(routes())
    assert {"record_intervention", "share_information", "open_case", "case_coherence"} <= ids
    assert not {i for i in ids if i.endswith(("_get", "_post")) or "__" in i}


def test_every_schema_has_a_plain_name() -> None:
    """Two models of one name get a module-mangled name (`api__http__schemas__…`), which client
    generators cannot resolve (openapi-python-client dropped the coherence view for it)."""
    names = DOCUMENT["components"]["schemas"]
    assert not [n for n in names if "__" in n]


def test_the_reference_keeps_nothing_for_an_operation_that_does_not_exist() -> None:
    ids = set(routes())
    assert set(DESCRIPTIONS) <= ids
    assert set(EXAMPLES) <= ids


def _body_model(route: APIRoute) -> Any:
    assert route.body_field is not None
    return route.body_field.field_info.annotation


def _examples() -> Iterator[tuple[str, str, Any]]:
    by_name = routes()
    for operation_id, examples in EXAMPLES.items():
        for name, example in examples.items():
            yield operation_id, name, (by_name[operation_id], example)


EVERY_EXAMPLE = list(_examples())


@pytest.mark.parametrize(
    ("operation_id", "name", "route_and_example"),
    EVERY_EXAMPLE,
    ids=[f"{operation_id}-{name}" for operation_id, name, _ in EVERY_EXAMPLE],
)
def test_every_example_is_a_valid_body_of_its_operation(
    operation_id: str, name: str, route_and_example: tuple[APIRoute, dict[str, Any]]
) -> None:
    """Read as the route reads it (JSON, through its body model), and valid against the schema
    the document publishes for that body."""
    route, example = route_and_example
    assert example["summary"]
    value = example["value"]
    TypeAdapter(_body_model(route)).validate_json(json.dumps(value))
    operation = next(op for _, _, op in operations(DOCUMENT) if op["operationId"] == operation_id)
    schema = operation["requestBody"]["content"][JSON]["schema"]
    document_schema = {**schema, "components": DOCUMENT["components"]}
    jsonschema_rs.validator_for(document_schema).validate(value)


def test_every_operation_with_a_body_has_examples_in_the_reference() -> None:
    with_body = {name for name, route in routes().items() if route.body_field is not None}
    assert with_body == set(EXAMPLES)
    assert len(EVERY_EXAMPLE) > len(with_body)  # several examples where the body varies


def test_who_may_call_it_is_written_from_the_admission() -> None:
    operation = DOCUMENT["paths"]["/cases/{case_id}/interventions"]["post"]
    who = operation["description"].split("**Who may call it**")[1]
    assert "`case_worker`" in who
    assert "- `funder`: a funder reads aggregate reports, never a case." in who
    assert "- `supervisor`: a supervisor audits cases; acting on them is for case workers." in who
    for _, _, operation in operations(DOCUMENT):
        who = operation["description"].split("**Who may call it**")[1]
        refused = set(Role) - set(operation.get("x-roles", list(Role)))
        assert all(f"- `{role}`:" in who for role in refused), operation["operationId"]


def test_a_write_declares_its_idempotency_key_and_a_read_does_not() -> None:
    for route in routes().values():
        operation = next(op for _, _, op in operations(DOCUMENT) if op["operationId"] == route.name)
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == is_command(route), route.name
    assert is_command(routes()["record_intervention"])
    assert not is_command(routes()["case_coherence"])


async def test_the_served_document_is_the_described_one() -> None:
    """`/openapi.json` as a client fetches it (no store needed to serve it)."""
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
        served = await client.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(DOCUMENT))
    assert gaps(served.json()) == []
