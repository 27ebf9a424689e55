"""Every error the API answers is an RFC 9457 problem (`application/problem+json`).

The domain's errors carry their rule; this is the one place that maps them to HTTP statuses.
`type` is stable per rule (`urn:maillage:problem:<rule>`), `field` names the input at fault.
Nothing else reaches a client: an unexpected failure is a bare 500 problem with the request id,
its details only in the operator's log.

People read `title` (by rule, `api.http.problem_titles`) and `detail` (the refusal's template
filled with its `details`) in the language `Accept-Language` asks for: French unless English is
asked (`api.i18n`). Codes — `type`, `rule`, `field`, the keys of `details` and `errors[].type` —
stay the same in every language. The OpenAPI schema documents every error answer under
`application/problem+json` (`api.http.problem_document.document`, installed below); the
problem's model and media type live there too (re-exported here).
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
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http import invalid_input
from api.http.language import language_of
from api.http.problem_document import PROBLEM_JSON as PROBLEM_JSON
from api.http.problem_document import TYPE_PREFIX as TYPE_PREFIX
from api.http.problem_document import FieldError, document, problem_response
from api.http.problem_document import Problem as Problem
from api.i18n import DEFAULT_LANGUAGE, Words
from api.integration.client_records import ClientRevokedError, PersonalDataNotRequestedError
from api.store.kek import KeyEncryptionKeyError
from api.store.outcome import ClaimTakenOverError, Outcome
from domain import errors as e
from domain.integration import ClientTokenRefusedError
from domain.templates import fill
from domain.wording import N_

log = logging.getLogger("maillage.api")

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
    e.TransferAlreadyPendingError,
    e.TransferNotPendingError,
    e.ActAnnulledError,
    ClientRevokedError,
    PersonalDataNotRequestedError,
)
_NOT_FOUND: tuple[type[e.MaillageError], ...] = (
    e.NotFoundError,
    e.ConsentNotFoundError,
    e.ReferralNotFoundError,
    e.TransferNotFoundError,
    e.ActNotFoundError,
)


def status_of(error: e.MaillageError) -> int:
    if isinstance(error, ClientTokenRefusedError):  # the token, not the request: ask another
        return 401
    if isinstance(error, e.AccessDeniedError):
        return 403
    if isinstance(error, e.StaleVersionError):
        return 412
    if isinstance(error, _NOT_FOUND):
        return 404
    if isinstance(error, _CONFLICTS):
        return 409
    return 422


class AuthenticationError(Exception):
    """No token, or one that cannot be trusted: 401, with a WWW-Authenticate challenge. The
    sentence is a template (`N_`) filled with `values`; `detail` is the English."""

    def __init__(self, template: str, **values: Any) -> None:
        self.template, self.values = template, values
        self.detail = fill(template, values)
        super().__init__(self.detail)


class TokenMissingError(AuthenticationError):
    """No bearer token at all: the challenge names the scheme and no error (RFC 6750 §3.1: a
    request without authentication information gets no error code)."""


class PreconditionError(Exception):
    """A request refused for its headers or its timing rather than its content: a malformed
    If-Match, a refused Idempotency-Key, a read side that is behind. The sentence is a template
    (`N_`) filled with `details`, which the problem shows too."""

    def __init__(
        self,
        status: int,
        rule: str,
        template: str,
        field: str,
        *,
        headers: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.template = template
        self.detail = fill(template, details or {})
        super().__init__(self.detail)
        self.status, self.rule, self.field = status, rule, field
        self.headers = headers if headers is not None else _retry_after(status)
        self.details = details


class WriteCutOffError(Exception):
    """The store broke off while a command ran (`api.http.commands`): what could be told of
    its writes (`api.store.outcome`) goes into the 503."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"store unavailable during a command ({outcome})")
        self.outcome = outcome


def invalid_token(description: str) -> dict[str, str]:
    """The challenge of a 401 for a token refused (RFC 6750 §3.1): `invalid_token`, and why in
    English, in the characters an `error_description` may hold (no quote, no backslash, ASCII)."""
    quoted = description.replace('"', "'").replace("\\", "/")
    kept = "".join(c for c in quoted if " " <= c <= "~")
    return {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{kept}"'}


def _retry_after(status: int) -> dict[str, str] | None:
    return {"Retry-After": "1"} if status == 503 else None


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
    """The problem an error is answered with, before it is rendered in the reader's language:
    its detail is a `template` (`N_`) filled with `values`; `invalid` holds the invalid inputs
    of a request (pydantic's errors), worded when rendered."""

    status: int
    rule: str
    template: str
    field: str | None = None
    headers: dict[str, str] | None = None
    extra: dict[str, Any] = dataclass_field(default_factory=dict)
    values: dict[str, Any] = dataclass_field(default_factory=dict)
    invalid: list[dict[str, Any]] | None = None

    def worded(self, words: Words) -> str:
        """The detail in `words`' language, the terms it names (`domain.templates.Term`: what
        was refused, "auditing an institution") translated too, as the API's problems are."""
        return fill(self.template, self.values, words)


# What a 503 says, by what could be told of the writes of the command it cut off.
_CUT_OFF: dict[Outcome | None, str] = {
    None: N_(
        "the store is unavailable for the moment: retry shortly, with the same Idempotency-Key"
    ),
    Outcome.NOT_RECORDED: N_(
        "the store broke off before anything was recorded: send the request again (with the "
        "same Idempotency-Key, if it had one)"
    ),
    Outcome.UNKNOWN: N_(
        "the store broke off while the command was being committed: it may or may not have "
        "been recorded. Retry with the same Idempotency-Key (recorded once, or answered 409 "
        "idempotency-key-recorded); without a key, read the record (its version or history) "
        "before sending it again"
    ),
    Outcome.RECORDED: N_(
        "the command was recorded but the store broke off before it was answered: do not send "
        "it again; read the record (a retry with the same Idempotency-Key answers 409 "
        "idempotency-key-recorded)"
    ),
}

# HTTP's own refusals (no route, a method or media type a route does not take…).
_HTTP: dict[int, tuple[str, str]] = {
    400: ("malformed-body", N_("the body could not be read")),
    404: ("no-such-route", N_("no route answers this path")),
    405: ("method-not-allowed", N_("this route does not take this method")),
    415: ("unsupported-media-type", N_("this route does not take this media type")),
    429: ("too-many-requests", N_("too many requests: retry later")),
}
_HTTP_OTHER = ("http-error", N_("the request was refused: {reason}"))


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
            N_(
                "this request ran longer than its claim on the Idempotency-Key, and a retry "
                "with the key took it over: nothing was recorded by this one; the retry's "
                "answer counts"
            ),
            "header.Idempotency-Key",
        )
    if isinstance(error, KeyEncryptionKeyError):  # the configuration's fault: logged in full
        return Answer(
            503,
            "beneficiary-keys-unavailable",
            N_(
                "the service cannot open this case's protected data with the key-encryption "
                "key it was given; an operator must set the right one"
            ),
        )
    if isinstance(error, e.MaillageError):
        headers = None
        if isinstance(error, e.StaleVersionError) and "current_version" in error.details:
            headers = {"ETag": f'"{error.details["current_version"]}"'}
        if isinstance(error, ClientTokenRefusedError):
            headers = invalid_token(error.message)
        return Answer(
            status_of(error),
            error.rule,
            error.template,
            error.field,
            headers,
            {"details": error.details or None},
            error.values(),
        )
    if isinstance(error, AuthenticationError):
        return Answer(
            401,
            "unauthenticated",
            error.template,
            "Authorization",
            {"WWW-Authenticate": 'Bearer realm="maillage"'}
            if isinstance(error, TokenMissingError)
            else invalid_token(error.detail),
            values=error.values,
        )
    if isinstance(error, PreconditionError):
        extra = {"details": error.details} if error.details else {}
        details = error.details or {}
        return Answer(
            error.status, error.rule, error.template, error.field, error.headers, extra, details
        )
    if isinstance(error, RequestValidationError):
        found = [dict(item) for item in error.errors()]
        first = _location(found[0]) if found else None
        return Answer(422, "invalid-request", N_("invalid request"), first, invalid=found)
    if isinstance(error, StarletteHTTPException):
        rule, template = _HTTP.get(error.status_code, _HTTP_OTHER)
        return Answer(
            error.status_code,
            rule,
            template,
            headers=dict(error.headers) if error.headers else None,
            values={"reason": str(error.detail)},
        )
    return Answer(
        500,
        "internal-error",
        N_("the service failed to answer this request; quote its request id to an operator"),
    )


def _location(item: dict[str, Any]) -> str:
    return ".".join(str(part) for part in item.get("loc", ()))


def render(answer: Answer, request: Request | None) -> JSONResponse:
    template, values, extra = answer.template, answer.values, answer.extra
    if answer.invalid is not None:  # worded in the reader's language
        words = Words(language_of(request) if request is not None else DEFAULT_LANGUAGE)
        found = [
            FieldError(
                field=_location(item),
                message=invalid_input.message(words, item),
                type=str(item.get("type", "value_error")),
            )
            for item in answer.invalid
        ]
        listed = "; ".join(
            words.gettext(N_("{field}: {message}"), field=f.field, message=f.message)
            for f in found[:5]
        )
        if listed:
            template, values = "{errors}", {"errors": listed}
        extra = {**extra, "errors": found}
    return problem_response(
        answer.status,
        answer.rule,
        template,
        request=request,
        values=values,
        field=answer.field,
        headers=answer.headers,
        **extra,
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
    """Every error becomes a problem, through the one mapping above, and the OpenAPI schema
    says so (`application/problem+json`)."""
    for kind in (*_EXPECTED, Exception):
        app.add_exception_handler(kind, answer)
    document(app)
