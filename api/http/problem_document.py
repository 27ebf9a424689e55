"""The problem document (RFC 9457): its schema, its rendering in the reader's language, and
where the OpenAPI schema says it is sent.

`title` is worded by rule (`api.http.problem_titles`), `detail` is a template (`N_`) filled
with the refusal's values, both in the language `Accept-Language` asks for (French unless
English is asked). Every error answer of every operation is documented as
`application/problem+json` with the `Problem` schema (`document`): FastAPI would put a shared
response's model under the route's own media type, `application/json`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.http.language import language_of
from api.http.problem_titles import title_of
from api.i18n import DEFAULT_LANGUAGE, Words
from domain.templates import fill

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:maillage:problem:"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class FieldError(BaseModel):
    field: str = Field(description="Where the value is: body.name, query.limit, header.If-Match…")
    message: str = Field(description="For people, in the language asked (French by default).")
    type: str = Field(description="Stable code of what is wrong (pydantic's error type).")


DETAILS = """The refusal's values, under stable English keys (ids, codes, dates as ISO 8601
strings): what the `detail` sentence is filled with. Where a value lists alternatives, any one
of which will do, it is written `{"any_of": [a, b]}`. So the unmet conditions of a legal ground
(`legal-ground-conditions-not-met`) are `missing_conditions`, e.g. `["strictly_necessary",
{"any_of": ["parental_authority_informed", "not_informed_reason"]}]` — meet each item, and for
an `any_of` one of its codes — and `condition_kinds` says how each code is met: `attested` (add
the code to `legal_ground.attested`), `stated` (give a text in `legal_ground.statements[code]`)
or `fact` (the case itself must show it)."""


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(examples=["urn:maillage:problem:delegation-expired"])
    title: str = Field(
        examples=["Délégation expirée"],
        description="What was refused, in words, in the language asked (French by default).",
    )
    status: int = Field(examples=[422])
    detail: str = Field(
        examples=["la délégation 3f… a expiré le 2026-09-30"],
        description="The refusal for people, in the language asked (French by default).",
    )
    rule: str = Field(description="The broken rule, stable: what clients switch on.")
    field: str | None = Field(default=None, description="The input at fault, when there is one.")
    errors: list[FieldError] | None = Field(
        default=None, description="Every invalid input (validation errors only)."
    )
    request_id: str | None = Field(default=None, description="Quote it to an operator.")
    details: dict[str, Any] | None = Field(default=None, description=DETAILS)
    outcome: str | None = Field(
        default=None,
        description=(
            "Of a write the store broke off (503): `not-recorded`, `unknown` (it may have been "
            "recorded) or `recorded` (the answer was lost)."
        ),
    )


def problem_body(
    status: int,
    rule: str,
    template: str,
    language: str = DEFAULT_LANGUAGE,
    *,
    values: dict[str, Any] | None = None,
    field: str | None = None,
    request_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A problem in `language`: its title by rule, its detail `template` (`N_`) filled with
    `values`."""
    words = Words(language)
    problem = Problem(
        type=TYPE_PREFIX + rule,
        title=words.gettext(title_of(rule, status)),
        status=status,
        detail=fill(template, values or {}, words),
        rule=rule,
        field=field,
        request_id=request_id,
        **extra,
    )
    return problem.model_dump(exclude_none=True)


def problem_response(
    status: int,
    rule: str,
    template: str,
    *,
    request: Request | None = None,
    values: dict[str, Any] | None = None,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The problem answered to `request`, in the language it asks for (its `Content-Language`
    kept with the answer, so that an idempotent replay says the language it speaks)."""
    language = language_of(request) if request is not None else DEFAULT_LANGUAGE
    body = problem_body(
        status,
        rule,
        template,
        language,
        values=values,
        field=field,
        request_id=getattr(request.state, "request_id", None) if request is not None else None,
        **extra,
    )
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={**(headers or {}), "Content-Language": language},
    )


def document(app: FastAPI) -> None:
    """From now on, the app's OpenAPI schema documents every error answer (4xx, 5xx) as
    `application/problem+json` with the `Problem` schema, and never as `application/json`
    (examples given under either are kept)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_as_problem_json(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def problems_as_problem_json(schema: dict[str, Any]) -> dict[str, Any]:
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if _is_error(str(status)) and isinstance(response, dict):
                    content = response.setdefault("content", {})
                    merged: dict[str, Any] = {}
                    for media in ("application/json", PROBLEM_JSON):
                        merged.update(content.pop(media, None) or {})
                    content[PROBLEM_JSON] = {**merged, "schema": PROBLEM_REF}
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    if "Problem" not in schemas:
        found = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas["Problem"] = found
    return schema


def _is_error(status: str) -> bool:
    return status in ("4XX", "5XX") or (status.isdigit() and int(status) >= 400)
