"""`POST /oauth/token`: a client application exchanges its id and secret for a bearer token —
OAuth 2.0's client credentials grant (RFC 6749 §4.4), so that any OAuth library can ask.

The client authenticates with HTTP Basic (`client_secret_basic`) or with `client_id` and
`client_secret` in the form (`client_secret_post`), never both. The token names the client
(`sub`), the role `integration` and the client's institution (`inst`); it lives
`integration_token_ttl_minutes`. It carries no scope of its own: the feed reads the client's
scope at every request, so a change or a revocation holds at once.

Errors follow RFC 6749 §5.2 inside a problem document: `error` and `error_description` (ASCII,
English) beside the problem's members, so that OAuth libraries and people both read them. A
refusal of the credentials never says whether the id or the secret was wrong.

With an identity provider's keys (`jwt_jwks_url`, `jwt_public_key`) the service mints nothing
(its tokens would not be trusted): client tokens come from that provider (503 says so).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from typing import Any
from urllib.parse import unquote_plus
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.http.auth import mint_token
from api.http.deps import ServicesDep
from api.http.guard import GuardedRoute, public
from api.http.language import language_of
from api.http.problem_document import PROBLEM_JSON, problem_body
from api.http.schemas.clients import TokenAnswer
from api.settings import Settings
from domain.access import Role
from domain.integration import ClientScope
from domain.templates import fill
from domain.wording import N_

log = logging.getLogger("maillage.integration")
router = APIRouter(tags=["integration"], route_class=GuardedRoute)
FORM = "application/x-www-form-urlencoded"
GRANT = "client_credentials"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
CHALLENGE = {"WWW-Authenticate": 'Basic realm="maillage", charset="UTF-8"'}
FIELDS = ("grant_type", "client_id", "client_secret", "scope")
# A client id as the registry answers it: dashed, 36 characters (either case). Not `{…}`,
# `urn:uuid:…` nor undashed, which `UUID()` would also read: one spelling per client.
CLIENT_ID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")

TOKEN_REQUEST = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": [GRANT]},
                        "client_id": {
                            "type": "string",
                            "description": "With client_secret_post (else: HTTP Basic).",
                        },
                        "client_secret": {
                            "type": "string",
                            "description": "With client_secret_post (else: HTTP Basic).",
                        },
                        "scope": {
                            "type": "string",
                            "description": "Ignored: the administrator sets the client's scope.",
                        },
                    },
                },
                "examples": {
                    "client_secret_post": {
                        "summary": "Credentials in the form (client_secret_post)",
                        "value": {
                            "grant_type": GRANT,
                            "client_id": "6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b",
                            "client_secret": "mcs_…",
                        },
                    }
                },
            }
        },
    }
}


class TokenRefusedError(Exception):
    """A token request refused, as RFC 6749 §5.2 names it (`error`) and as a problem (`rule`)."""

    def __init__(self, status: int, error: str, rule: str, template: str, **headers: str) -> None:
        super().__init__(fill(template, {}))
        self.status, self.error, self.rule, self.template = status, error, rule, template
        self.headers = headers


def _bad_client() -> TokenRefusedError:
    return TokenRefusedError(
        401,
        "invalid_client",
        "invalid-client",
        N_("client authentication failed: unknown client, wrong secret, or client revoked"),
        **CHALLENGE,
    )


def _invalid(template: str) -> TokenRefusedError:
    return TokenRefusedError(400, "invalid_request", "invalid-token-request", template)


def mints_client_tokens(settings: Settings) -> bool:
    """The service trusts the HS256 tokens it would mint: its own key, no provider's."""
    return (
        settings.signing_key() is not None
        and not settings.jwt_jwks_url
        and not settings.jwt_public_key
        and "HS256" in settings.jwt_algorithms
    )


async def _form(request: Request) -> dict[str, str]:
    """The token request's parameters; one sent without a value is as if omitted (RFC 6749
    §3.1): `grant_type=` names no grant, an empty `client_id=` beside HTTP Basic is no second
    way of authenticating."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise _invalid(N_("send the token request as application/x-www-form-urlencoded"))
    form = await request.form()
    found: dict[str, str] = {}
    for name in FIELDS:
        values = form.getlist(name)
        if len(values) > 1:
            raise _invalid(N_("a parameter of the token request is repeated"))
        if values and isinstance(values[0], str) and values[0] != "":
            found[name] = values[0]
    return found


def _credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret, from HTTP Basic or from the form (only one of them)."""
    header = request.headers.get("authorization")
    posted = "client_id" in form or "client_secret" in form
    if header is None:
        if "client_id" not in form or "client_secret" not in form:
            raise _bad_client()
        return form["client_id"], form["client_secret"]
    if posted:
        raise _invalid(N_("authenticate the client one way only: HTTP Basic or the form"))
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise _bad_client()
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise _bad_client() from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _bad_client()
    return unquote_plus(client_id), unquote_plus(secret)  # RFC 6749 §2.3.1


async def _issue(request: Request, services: ServicesDep) -> dict[str, Any]:
    settings = services.settings
    if not mints_client_tokens(settings):
        raise TokenRefusedError(
            503,
            "temporarily_unavailable",
            "client-tokens-from-identity-provider",
            N_(
                "this service trusts its identity provider's tokens and mints none: a client "
                "application gets its token from the identity provider (role integration, sub "
                "the client id, inst its institution)"
            ),
        )
    form = await _form(request)
    grant = form.get("grant_type")
    if grant is None:
        raise _invalid(N_("the token request names no grant_type"))
    if grant != GRANT:
        raise TokenRefusedError(
            400,
            "unsupported_grant_type",
            "unsupported-grant-type",
            N_("this service grants client_credentials only"),
        )
    client_id, secret = _credentials(request, form)
    if CLIENT_ID.fullmatch(client_id) is None:
        raise _bad_client()
    ident = UUID(client_id)
    clients = services.clients  # built once (`api.composition`), as the feed's
    scope: ClientScope | None = await run_in_threadpool(clients.authenticate, ident, secret)
    if scope is None:
        log.info("token refused to integration client %s: bad credentials", ident)
        raise _bad_client()
    ttl = min(settings.integration_token_ttl_minutes, settings.token_max_lifetime_minutes)
    now = services.time.now()
    if scope.tokens_not_before is not None:  # within the second of a rotation without grace:
        now = max(now, scope.tokens_not_before)  # issued at its end, so the feed accepts it
    token = mint_token(
        settings,
        subject=scope.client_id,
        role=Role.INTEGRATION,
        institution_id=scope.institution_id,
        ttl_minutes=ttl,
        now=now,
    )
    log.info("token issued to integration client %s for %s", ident, scope.institution_id)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": 60 * ttl,
        "scope": "feed personal_data" if scope.personal_data else "feed",
    }


def _refused(request: Request, refusal: TokenRefusedError) -> JSONResponse:
    language = language_of(request)
    body = problem_body(
        refusal.status,
        refusal.rule,
        refusal.template,
        language,
        request_id=getattr(request.state, "request_id", None),
    )
    body["error"] = refusal.error
    body["error_description"] = fill(refusal.template, {})  # English, ASCII (RFC 6749 §5.2)
    request.state.error_rule = refusal.rule
    return JSONResponse(
        body,
        status_code=refusal.status,
        media_type=PROBLEM_JSON,
        headers={**refusal.headers, **NO_STORE, "Content-Language": language},
    )


@router.post(
    "/oauth/token",
    summary="A client application's token (OAuth 2.0 client credentials)",
    openapi_extra=TOKEN_REQUEST,
    response_model=TokenAnswer,
)
@public
async def issue_token(request: Request, services: ServicesDep) -> JSONResponse:
    try:
        answer = await _issue(request, services)
    except TokenRefusedError as refusal:
        return _refused(request, refusal)
    return JSONResponse(answer, headers=NO_STORE)
