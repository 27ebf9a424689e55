"""Every error the API answers is an RFC 9457 problem (`application/problem+json`).

The domain's errors carry their rule; this is the one place that maps them to HTTP statuses.
`type` is stable per rule (`urn:maillage:problem:<rule>`), `field` names the input at fault.
Nothing else reaches a client: an unexpected failure is a bare 500 problem with the request id,
its details only in the operator's log.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from eventsourcing import persistence as es
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from api.http.asgi import HttpMiddleware
from domain import errors as e

log = logging.getLogger("maillage.api")

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:maillage:problem:"

# Refusals because of the current state of a record (retrying later may succeed) are conflicts;
# refusals of the request itself are unprocessable.
_CONFLICTS: tuple[type[e.MaillageError], ...] = (
    e.ConcurrentUpdateError,
    e.AlreadyExistsError,
    e.AlreadyParticipatingError,
    e.AlreadySignedError,
    e.AlreadyAMemberError,
    e.CaseClosedError,
    e.BeneficiaryErasedError,
    e.RetentionNotDueError,
    e.CaseNotClosedError,
    e.PartnershipEndedError,
    e.PartnershipStateError,
    e.NetworkDissolvedError,
    e.ReferralNotPendingError,
    e.ConsentAlreadyWithdrawnError,
    e.EmploymentOverlapError,
    e.FundingEndedError,
)
_NOT_FOUND: tuple[type[e.MaillageError], ...] = (
    e.NotFoundError,
    e.ConsentNotFoundError,
    e.ReferralNotFoundError,
)


def status_of(error: e.MaillageError) -> int:
    if isinstance(error, e.AccessDeniedError):
        return 403
    if isinstance(error, e.StaleVersionError):
        return 412
    if isinstance(error, _NOT_FOUND):
        return 404
    if isinstance(error, _CONFLICTS):
        return 409
    return 422


class FieldError(BaseModel):
    field: str = Field(description="Where the value is: body.name, query.limit, header.If-Match…")
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(examples=["urn:maillage:problem:delegation-expired"])
    title: str = Field(examples=["delegation expired"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["delegation 3f… expired on 2026-09-30"])
    rule: str = Field(description="The broken rule, stable: what clients switch on.")
    field: str | None = Field(default=None, description="The input at fault, when there is one.")
    errors: list[FieldError] | None = Field(
        default=None, description="Every invalid input (validation errors only)."
    )
    request_id: str | None = Field(default=None, description="Quote it to an operator.")
    details: dict[str, Any] | None = None


def problem_response(
    status: int,
    rule: str,
    detail: str,
    *,
    request: Request | None = None,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    problem = Problem(
        type=TYPE_PREFIX + rule,
        title=rule.replace("-", " "),
        status=status,
        detail=detail,
        rule=rule,
        field=field,
        request_id=getattr(request.state, "request_id", None) if request is not None else None,
        **extra,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


class AuthenticationError(Exception):
    """No token, or one that cannot be trusted: 401, with a WWW-Authenticate challenge."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class PreconditionError(Exception):
    """A malformed conditional header (If-Match) or a missing required one."""

    def __init__(self, status: int, rule: str, detail: str, field: str) -> None:
        super().__init__(detail)
        self.status, self.rule, self.detail, self.field = status, rule, detail, field


def _plain(value: Any) -> Any:
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def _jsonable(details: dict[str, Any]) -> dict[str, Any] | None:
    return {k: _plain(v) for k, v in details.items()} or None


# The store cannot be reached: down, restarting, or no free connection in the pool.
STORE_UNAVAILABLE: tuple[type[Exception], ...] = (
    es.OperationalError,
    es.InterfaceError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,  # no free connection in a pool
)


async def store_unavailable(request: Request, error: Exception) -> JSONResponse:
    """A 503 with Retry-After. Whether a write was recorded when the connection broke cannot
    always be known: retrying with the same Idempotency-Key never records it twice."""
    request.state.error_rule = "store-unavailable"
    log.warning("store unavailable: %s", type(error).__name__)
    return problem_response(
        503,
        "store-unavailable",
        "the store is unavailable for the moment: retry shortly, with the same Idempotency-Key",
        request=request,
        headers={"Retry-After": "1"},
    )


class StoreGuard(HttpMiddleware):
    """Middlewares reach the store too (idempotency records): their failures to reach it are
    503s as well, not 500s. Installed around them."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        answered = False

        async def watching(message: Message) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except Exception as error:
            unavailable = _unavailable_in(error)
            if answered or unavailable is None:
                raise
            response = await store_unavailable(Request(scope), unavailable)
            await response(scope, receive, send)


def _unavailable_in(error: BaseException) -> Exception | None:
    """The store failure `error` is or carries (a task group wraps what it raises)."""
    if isinstance(error, STORE_UNAVAILABLE):
        return error
    if isinstance(error, BaseExceptionGroup):
        unavailable = error.subgroup(STORE_UNAVAILABLE)
        if unavailable is not None:
            return _unavailable_in(unavailable.exceptions[0])
    return None


def install_store_guard(app: FastAPI) -> None:
    app.add_middleware(StoreGuard)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem."""

    @app.exception_handler(e.MaillageError)
    async def domain_error(request: Request, error: e.MaillageError) -> JSONResponse:
        status = status_of(error)
        request.state.error_rule = error.rule
        headers = {}
        if isinstance(error, e.StaleVersionError) and "current_version" in error.details:
            headers["ETag"] = f'"{error.details["current_version"]}"'
        return problem_response(
            status,
            error.rule,
            error.message,
            request=request,
            field=error.field,
            headers=headers or None,
            details=_jsonable(error.details),
        )

    @app.exception_handler(AuthenticationError)
    async def unauthenticated(request: Request, error: AuthenticationError) -> JSONResponse:
        request.state.error_rule = "unauthenticated"
        return problem_response(
            401,
            "unauthenticated",
            error.detail,
            request=request,
            field="Authorization",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )

    @app.exception_handler(PreconditionError)
    async def precondition(request: Request, error: PreconditionError) -> JSONResponse:
        request.state.error_rule = error.rule
        return problem_response(
            error.status,
            error.rule,
            error.detail,
            request=request,
            field=error.field,
            headers={"Retry-After": "1"} if error.status == 503 else None,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        request.state.error_rule = "invalid-request"
        found = [
            FieldError(
                field=".".join(str(part) for part in item.get("loc", ())),
                message=str(item.get("msg", "invalid")),
                type=str(item.get("type", "value_error")),
            )
            for item in error.errors()
        ]
        first = found[0].field if found else None
        detail = "; ".join(f"{f.field}: {f.message}" for f in found[:5]) or "invalid request"
        return problem_response(
            422, "invalid-request", detail, request=request, field=first, errors=found
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        rule = {400: "malformed-body", 404: "no-such-route", 405: "method-not-allowed"}.get(
            error.status_code, "http-error"
        )
        request.state.error_rule = rule
        return problem_response(
            error.status_code,
            rule,
            str(error.detail),
            request=request,
            headers=dict(error.headers) if error.headers else None,
        )

    for unavailable in STORE_UNAVAILABLE:
        app.add_exception_handler(unavailable, store_unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        if isinstance(error, STORE_UNAVAILABLE):  # raised where no other handler sees it
            return await store_unavailable(request, error)
        request.state.error_rule = "internal-error"
        # The type and where it was raised, never the message: it may quote personal data.
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error("unexpected %s at %s", type(error).__name__, where)
        return problem_response(
            500,
            "internal-error",
            "the service failed to answer this request; quote its request id to an operator",
            request=request,
        )
