"""Every error the API answers is an RFC 9457 problem (`application/problem+json`).

The domain's errors carry their rule; this is the one place that maps them to HTTP statuses.
`type` is stable per rule (`urn:maillage:problem:<rule>`), `field` names the input at fault.
Nothing else reaches a client: an unexpected failure is a bare 500 problem with the request id,
its details only in the operator's log.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from eventsourcing import persistence as es
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.store.kek import KeyEncryptionKeyError
from api.store.outcome import ClaimTakenOverError, Outcome
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
    outcome: str | None = Field(
        default=None,
        description=(
            "Of a write the store broke off (503): `not-recorded`, `unknown` (it may have been "
            "recorded) or `recorded` (the answer was lost)."
        ),
    )


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
    """A request refused for its headers or its timing rather than its content: a malformed
    If-Match, a refused Idempotency-Key, a read side that is behind."""

    def __init__(
        self,
        status: int,
        rule: str,
        detail: str,
        field: str,
        *,
        headers: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.rule, self.detail, self.field = status, rule, detail, field
        self.headers = headers if headers is not None else _retry_after(status)
        self.details = details


class WriteCutOffError(Exception):
    """The store broke off while a command ran (`api.http.commands`): what could be told of
    its writes (`api.store.outcome`) goes into the 503."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"store unavailable during a command ({outcome})")
        self.outcome = outcome


def _retry_after(status: int) -> dict[str, str] | None:
    return {"Retry-After": "1"} if status == 503 else None


def _plain(value: Any) -> Any:
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):  # e.g. each convention considered, with why it did not serve
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _jsonable(details: dict[str, Any]) -> dict[str, Any] | None:
    return {k: _plain(v) for k, v in details.items()} or None


# The store cannot be reached: down, restarting, or no free connection in the pool.
STORE_UNAVAILABLE: tuple[type[Exception], ...] = (
    WriteCutOffError,
    es.OperationalError,
    es.InterfaceError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,  # no free connection in a pool
)


def store_failure(error: BaseException) -> Exception | None:
    """The failure to reach the store that `error` is or carries (a task group wraps what it
    raises), else None. The one test of "the store is unavailable": the answer below and the
    idempotency claim (kept, not released) both ask it."""
    if isinstance(error, STORE_UNAVAILABLE):
        return error
    if isinstance(error, BaseExceptionGroup):
        unavailable = error.subgroup(STORE_UNAVAILABLE)
        if unavailable is not None:
            return store_failure(unavailable.exceptions[0])
    return None


@dataclass(frozen=True)
class Answer:
    """The problem an error is answered with, before it is rendered."""

    status: int
    rule: str
    detail: str
    field: str | None = None
    headers: dict[str, str] | None = None
    extra: dict[str, Any] = dataclass_field(default_factory=dict)


# What a 503 says, by what could be told of the writes of the command it cut off.
_CUT_OFF: dict[Outcome | None, str] = {
    None: "the store is unavailable for the moment: retry shortly, with the same Idempotency-Key",
    Outcome.NOT_RECORDED: (
        "the store broke off before anything was recorded: send the request again (with the "
        "same Idempotency-Key, if it had one)"
    ),
    Outcome.UNKNOWN: (
        "the store broke off while the command was being committed: it may or may not have "
        "been recorded. Retry with the same Idempotency-Key (recorded once, or answered 409 "
        "idempotency-key-recorded); without a key, read the record (its version or history) "
        "before sending it again"
    ),
    Outcome.RECORDED: (
        "the command was recorded but the store broke off before it was answered: do not send "
        "it again; read the record (a retry with the same Idempotency-Key answers 409 "
        "idempotency-key-recorded)"
    ),
}

_HTTP_RULES = {400: "malformed-body", 404: "no-such-route", 405: "method-not-allowed"}


def answer_for(error: BaseException) -> Answer:
    """The one mapping from an error to the problem answered. A store that cannot be reached
    is a 503 with Retry-After wherever it was noticed (a route, a dependency, an idempotency
    record); a command it cut off says what could be told of its writes (`outcome`: not
    recorded, unknown, recorded). Retrying with the same Idempotency-Key never records twice."""
    failure = store_failure(error)
    if failure is not None:
        outcome = failure.outcome if isinstance(failure, WriteCutOffError) else None
        return Answer(
            503,
            "store-unavailable",
            _CUT_OFF[outcome],
            headers={"Retry-After": "1"},
            extra={"outcome": outcome.value} if outcome is not None else {},
        )
    if isinstance(error, ClaimTakenOverError):
        return Answer(
            409,
            "idempotency-key-taken-over",
            "this request ran longer than its claim on the Idempotency-Key, and a retry with the "
            "key took it over: nothing was recorded by this one; the retry's answer counts",
            "header.Idempotency-Key",
        )
    if isinstance(error, KeyEncryptionKeyError):  # the configuration's fault: logged in full
        return Answer(
            503,
            "beneficiary-keys-unavailable",
            "the service cannot open this case's protected data with the key-encryption key it "
            "was given; an operator must set the right one",
        )
    if isinstance(error, e.MaillageError):
        headers = None
        if isinstance(error, e.StaleVersionError) and "current_version" in error.details:
            headers = {"ETag": f'"{error.details["current_version"]}"'}
        return Answer(
            status_of(error),
            error.rule,
            error.message,
            error.field,
            headers,
            {"details": _jsonable(error.details)},
        )
    if isinstance(error, AuthenticationError):
        return Answer(
            401,
            "unauthenticated",
            error.detail,
            "Authorization",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if isinstance(error, PreconditionError):
        extra = {"details": error.details} if error.details else {}
        return Answer(error.status, error.rule, error.detail, error.field, error.headers, extra)
    if isinstance(error, RequestValidationError):
        return _invalid_request(error)
    if isinstance(error, StarletteHTTPException):
        return Answer(
            error.status_code,
            _HTTP_RULES.get(error.status_code, "http-error"),
            str(error.detail),
            headers=dict(error.headers) if error.headers else None,
        )
    return Answer(
        500,
        "internal-error",
        "the service failed to answer this request; quote its request id to an operator",
    )


def _invalid_request(error: RequestValidationError) -> Answer:
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
    return Answer(422, "invalid-request", detail, first, extra={"errors": found})


def render(answer: Answer, request: Request | None) -> JSONResponse:
    return problem_response(
        answer.status,
        answer.rule,
        answer.detail,
        request=request,
        field=answer.field,
        headers=answer.headers,
        **answer.extra,
    )


async def answer(request: Request, error: Exception) -> JSONResponse:
    """The exception handler for every error: its problem, noted for the request's log line."""
    found = answer_for(error)
    request.state.error_rule = found.rule
    if found.rule == "store-unavailable":
        failure = store_failure(error)
        if isinstance(failure, WriteCutOffError):
            cause = type(failure.__cause__).__name__
            log.warning("store unavailable: %s during a command (%s)", cause, failure.outcome)
        else:
            log.warning("store unavailable: %s", type(failure).__name__)
    elif isinstance(error, KeyEncryptionKeyError):  # ids only, nothing personal
        log.error("beneficiary key not opened: %s", error)
    elif found.status >= 500 and not isinstance(error, StarletteHTTPException):
        # The type and where it was raised, never the message: it may quote personal data.
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error("unexpected %s at %s", type(error).__name__, where)
    return render(found, request)


# Handled inside the app (Starlette's ExceptionMiddleware); anything else reaches the catch-all
# `Exception`, which the server error middleware answers (then re-raises, as servers expect).
_EXPECTED: tuple[type[Exception], ...] = (
    e.MaillageError,
    KeyEncryptionKeyError,
    AuthenticationError,
    PreconditionError,
    ClaimTakenOverError,
    RequestValidationError,
    StarletteHTTPException,
    *STORE_UNAVAILABLE,
)


def install(app: FastAPI) -> None:
    """Every error becomes a problem, through the one mapping above."""
    for kind in (*_EXPECTED, Exception):
        app.add_exception_handler(kind, answer)
