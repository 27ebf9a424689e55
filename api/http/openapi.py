"""The OpenAPI document a front-end team builds on: readable operationIds, what each operation
does and refuses, who may call it, and an example of every request body.

What each operation does, records and refuses for its own reasons is written in
`api.http.reference`, by operationId, with its request-body examples. What can be derived is
derived here, when the document is first built, so that it cannot drift from the code:

- the operationId is the handler's name (`record_intervention`), unique across the app;
- "Who may call it" is written from the route's `Admission` (`api.http.guard`), the same object
  the guard and the domain's rules start from, with each refused role's reason;
- the refusals every route of a shape can earn (a stale `If-Match`, an `occurred_at` out of the
  backdating window, an `after` beyond the log, a write's `Idempotency-Key`) are listed from the
  route's own parameters and dependencies, and a write declares its `Idempotency-Key` header.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.http.commands import command
from api.http.guard import GuardedRoute, roles_of
from api.http.reference import DESCRIPTIONS, EXAMPLES
from domain.access import Admission, Role

JSON = "application/json"


def operation_id(route: APIRoute) -> str:
    """The handler's name: what a generated client calls the operation (`record_intervention`)."""
    return route.name


def who_may_call(admission: Admission | None) -> str:
    """The paragraph saying which roles may call an operation, and why the others may not."""
    if admission is None:
        return "**Who may call it**: anyone, without a token."
    admitted = ", ".join(f"`{role}`" for role in roles_of(admission))
    lines = [
        f"**Who may call it**: {admitted} (`x-roles`), with a bearer token (401 "
        "`unauthenticated` without a trusted one). Any other role is refused with 403 "
        "`access-denied` before the request is read:"
    ]
    for role in Role:
        if role not in admission.roles:
            reason = admission.refusals.get(role) or f"{admission.doing} is not for this role"
            lines.append(f"- `{role}`: {reason}.")
    return "\n".join(lines)


def _body_fields(route: APIRoute) -> set[str]:
    field = route.body_field
    if field is None:
        return set()
    model = getattr(field.field_info, "annotation", None)
    return set(getattr(model, "model_fields", {}))


def _dependants(route: APIRoute) -> Iterator[Any]:
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        yield dependant
        stack.extend(dependant.dependencies)


def _query_and_headers(route: APIRoute) -> set[str]:
    found: set[str] = set()
    for dependant in _dependants(route):
        found |= {p.alias for p in dependant.query_params}
        found |= {p.alias for p in dependant.header_params}
    return found


def is_command(route: APIRoute) -> bool:
    """The route records something (`api.http.commands`): it takes an Idempotency-Key."""
    return any(dependant.call is command for dependant in _dependants(route))


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A new key per act (a UUID), the same on every retry of it: a retry then "
    "replays the first answer (`Idempotent-Replayed: true`) and records nothing twice. Kept "
    "`MAILLAGE_IDEMPOTENCY_TTL_HOURS`, scoped by caller.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def common_refusals(route: APIRoute) -> list[str]:
    """The refusals a route earns by the shape of what it takes, whatever it does."""
    takes = _query_and_headers(route)
    found = []
    if "If-Match" in takes:
        found.append(
            "- 412 `stale-version`: `If-Match` names a version that is no longer current "
            "(the answer's `ETag` is the current one); 422 `invalid-if-match`: it is not an "
            'ETag such as `"7"`.'
        )
    if "occurred_at" in _body_fields(route):
        found.append(
            "- 422 `occurred-at-in-future` / `occurred-at-too-old`: `occurred_at` is ahead of "
            "the server clock, or older than the backdating window "
            "(`MAILLAGE_BACKDATING_WINDOW_DAYS`); it needs a time zone."
        )
    if "after" in takes:
        found.append(
            "- 422 `position-beyond-log`: `after` is beyond the end of the log; 503 "
            "`read-side-behind` (with `Retry-After`): the read side has not reached it in 5 s."
        )
    if is_command(route):
        found.append(
            "- 409 `concurrent-update`: other writes kept changing the record (retry); "
            "`idempotency-key-in-progress`, `idempotency-key-recorded`, "
            "`idempotency-outcome-unknown`: see `Idempotency-Key`; 422 `idempotency-key-reused` "
            "(the key was used for another request), `invalid-idempotency-key`; 428 "
            "`idempotency-key-required` (a write on a case, when the service requires a key); "
            "503 `store-unavailable` says in `outcome` what became of the write."
        )
    if route.dependant.query_params or route.dependant.path_params or route.body_field:
        found.append(
            "- 422 `invalid-request`: a parameter or a field of the body is invalid "
            "(`errors` lists each one, `field` names the first)."
        )
    return found


def guarded_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, GuardedRoute]]:
    """Every route of the app with its path, those of included routers too."""
    for route in routes:
        if isinstance(route, GuardedRoute):
            yield prefix + route.path_format, route
        elif (included := getattr(route, "original_router", None)) is not None:
            context = getattr(route, "include_context", None)
            yield from guarded_routes(included.routes, prefix + getattr(context, "prefix", ""))


def guarded_operations(app: FastAPI) -> Iterator[tuple[str, str, GuardedRoute]]:
    """Every operation of the document: its path, its method and its route."""
    for path, route in guarded_routes(app.routes):
        if route.include_in_schema:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield path, method.lower(), route


def describe(document: dict[str, Any], app: FastAPI) -> None:
    """Complete each operation of `document` (built by FastAPI from `app`) in place."""
    for path, method, route in guarded_operations(app):
        operation = document["paths"][path][method]
        written = DESCRIPTIONS.get(route.name)
        parts = [inspect.cleandoc(written) if written else operation.get("description", "")]
        common = common_refusals(route)
        if common:
            parts.append("**Refusals any such request can earn**:\n" + "\n".join(common))
        parts.append(who_may_call(route.admission))
        operation["description"] = "\n\n".join(part for part in parts if part)
        if is_command(route):
            operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
        examples: Mapping[str, Any] | None = EXAMPLES.get(route.name)
        content = operation.get("requestBody", {}).get("content", {}).get(JSON)
        if content is not None and examples:
            content["examples"] = {name: dict(example) for name, example in examples.items()}


def install(app: FastAPI) -> None:
    """Build the document once, completed (`describe`), when it is first asked for."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            describe(document, app)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
