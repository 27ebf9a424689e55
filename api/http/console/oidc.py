"""Signing in to the console with the institution's OpenID Connect provider: the authorization
code flow with PKCE (S256), for a confidential client (a secret) or a public one (none).

`/console/sign-in/oidc` draws a state, a nonce and a PKCE verifier, keeps them in a short-lived
cookie of their own (signed with the console's key, `HttpOnly`, `SameSite=Lax`, sent only to
`/console/sign-in/oidc…`, ten minutes at most) and sends the browser to the provider. The app
keeps nothing between the two requests: whichever process answers the callback reads the
cookie. `/console/sign-in/oidc/callback` then refuses, with a page saying why and nothing
signed in, a callback without that cookie, too late, or with another state — checked first,
before anything else of the answer is read —, then an error of the provider (said in fixed
words, naming only a standard error code, never the provider's text); it exchanges the
code (with the verifier) for an ID token, which must be signed by the provider and carry this
sign-in's nonce (`api.http.console.oidc_provider`). The person's
principal is read from the token's claims named by the settings (`oidc_claim_*`) under the
API's rules for a token (`api.http.auth.principal_from`), and the console's session opens as
with any sign-in (`api.http.console.sign_in.signed_in`). Every refusal is logged with its
reason, never with a code or a token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from fastapi import APIRouter, Query
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import RedirectResponse, Response

from api.http.auth import principal_from
from api.http.console.oidc_provider import (
    IdTokenRefused,
    Provider,
    ProviderError,
    exchange,
    id_token_claims,
    provider,
)
from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.console.session import console_key
from api.http.console.sign_in import oidc_enabled, safe_next, signed_in
from api.http.guard import public
from api.http.problems import AuthenticationError
from domain.access import Principal, Role
from domain.templates import fill
from domain.wording import N_

log = logging.getLogger("maillage.console")
router = APIRouter(route_class=ConsoleRoute)
START = "/console/sign-in/oidc"
CALLBACK = "/console/sign-in/oidc/callback"
PENDING_COOKIE = "maillage_console_oidc"
PENDING_LASTS = timedelta(minutes=10)
# The error codes of an authorization response (RFC 6749 §4.1.2.1, OpenID Connect Core
# §3.1.2.6): the only provider words a refusal page repeats.
PROVIDER_ERRORS = frozenset(
    {
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
    }
)


@router.get(START)
@public
async def start(
    console: ConsoleDep, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    """Off to the provider, with this sign-in's state, nonce and PKCE challenge."""
    settings = console.services.settings
    if not oidc_enabled(settings):
        return _not_here(console)
    assert settings.oidc_issuer is not None
    assert settings.oidc_client_id is not None
    try:
        idp = await provider(settings.oidc_issuer)
    except ProviderError as error:
        return _unreachable(console, error)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters (RFC 7636: 43 to 128)
    query = {
        "response_type": "code",
        "client_id": settings.oidc_client_id,
        "redirect_uri": _redirect_uri(console),
        "scope": settings.oidc_scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    separator = "&" if "?" in idp.authorization_endpoint else "?"
    response = RedirectResponse(
        f"{idp.authorization_endpoint}{separator}{urlencode(query)}", status_code=303
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": safe_next(next),
        "at": int(console.services.time.now().timestamp()),
    }
    response.set_cookie(
        PENDING_COOKIE,
        _signer(console).dumps(pending),
        max_age=int(PENDING_LASTS.total_seconds()),
        path=START,
        secure=settings.console_secure_cookie,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(CALLBACK)
@public
async def callback(
    console: ConsoleDep,
    code: Annotated[str | None, Query(max_length=4000)] = None,
    state: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Back from the provider: signed in, or a page saying why not (the pending cookie is
    spent either way: a callback is answered once)."""
    settings = console.services.settings
    if not oidc_enabled(settings):
        return _not_here(console)
    response = await _answer(console, code, state, error)
    response.delete_cookie(
        PENDING_COOKIE,
        path=START,
        secure=settings.console_secure_cookie,
        httponly=True,
        samesite="lax",
    )
    return response


async def _answer(
    console: Console, code: str | None, state: str | None, error: str | None
) -> Response:
    settings = console.services.settings
    assert settings.oidc_issuer is not None
    assert settings.oidc_client_id is not None
    words = console.words
    pending = _pending(console)
    if pending is None:
        return _refused(
            console,
            words.gettext(
                "this sign-in was not started here, or was started more than ten minutes "
                "ago: sign in again"
            ),
            "no pending sign-in (cookie missing, forged or expired)",
        )
    if not state or not hmac.compare_digest(state.encode(), pending["state"].encode()):
        return _refused(
            console,
            words.gettext(
                "this answer of the identity provider is not the one of your sign-in: sign in again"
            ),
            "state missing or not the pending sign-in's",
        )
    if error is not None:
        return _provider_refused(console, error)
    if not code:
        return _refused(
            console,
            words.gettext(
                "this answer of the identity provider is not the one of your sign-in: sign in again"
            ),
            "no code in the provider's answer",
        )
    try:
        idp = await provider(settings.oidc_issuer)
        tokens = await exchange(
            idp,
            client_id=settings.oidc_client_id,
            client_secret=(
                settings.oidc_client_secret.get_secret_value()
                if settings.oidc_client_secret
                else None
            ),
            code=code,
            code_verifier=pending["verifier"],
            redirect_uri=_redirect_uri(console),
        )
    except ProviderError as failure:
        return _unreachable(console, failure)
    try:
        claims = await _claims(console, idp, tokens, pending["nonce"])
    except ProviderError as failure:
        return _unreachable(console, failure)
    except IdTokenRefused as refused:
        return _refused(
            console,
            words.gettext(
                "the identity provider's answer cannot be trusted (its ID token does not "
                "check out): sign in again, or ask your administrator"
            ),
            refused.reason,
        )
    try:
        principal = _principal(console, claims)
    except AuthenticationError as refused:
        return _refused(console, fill(refused.template, refused.values, words), refused.detail)
    name = claims.get(settings.oidc_claim_name)
    shown = name.strip() if isinstance(name, str) and name.strip() else str(principal.subject)
    return signed_in(console, principal, shown[:200], "oidc", pending["next"])


async def _claims(
    console: Console, idp: Provider, tokens: dict[str, Any], nonce: str
) -> dict[str, Any]:
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise IdTokenRefused("token response without an ID token")
    settings = console.services.settings
    assert settings.oidc_client_id is not None
    return await id_token_claims(
        idp,
        id_token,
        client_id=settings.oidc_client_id,
        nonce=nonce,
        now=console.services.time.now(),
        leeway=settings.clock_skew_seconds,
    )


def _principal(console: Console, claims: dict[str, Any]) -> Principal:
    """The principal the claims name, through the configured claim names, under the API's
    rules for a token's `sub`, `role` and `inst` (`AuthenticationError` otherwise)."""
    settings = console.services.settings
    role = claims.get(settings.oidc_claim_role)
    if not isinstance(role, str) or role not in {r.value for r in Role}:
        raise AuthenticationError(
            N_(
                "your account at the identity provider gives no role Maillage knows "
                '(claim "{claim}"; one of: {roles}): ask your administrator'
            ),
            claim=settings.oidc_claim_role,
            roles=", ".join(r.value for r in Role),
        )
    if role == Role.INTEGRATION.value:
        raise AuthenticationError(
            N_(
                "a client application does not sign in to the console: it reads its "
                "institution's feed with a token from POST /oauth/token"
            )
        )
    return principal_from(
        {
            "sub": claims.get(settings.oidc_claim_subject),
            "role": role,
            "inst": claims.get(settings.oidc_claim_institution),
        }
    )


def _pending(console: Console) -> dict[str, Any] | None:
    """The pending sign-in of the request's cookie: signed by us, and not too old."""
    raw = console.request.cookies.get(PENDING_COOKIE)
    if not raw:
        return None
    try:
        pending = _signer(console).loads(raw)
        started = int(pending["at"])
        for field in ("state", "nonce", "verifier"):
            if not isinstance(pending[field], str):
                return None
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    age = console.services.time.now().timestamp() - started
    if not 0 <= age <= PENDING_LASTS.total_seconds():
        return None
    return dict(pending)


def _signer(console: Console) -> URLSafeSerializer:
    return URLSafeSerializer(console_key(console.services.settings), salt="console-oidc-pending")


def _redirect_uri(console: Console) -> str:
    """The configured callback; built from the request in the embedded mode only (outside it
    the service does not start without one: `ConsoleSettings.console_insecurity`)."""
    configured = console.services.settings.oidc_redirect_url
    return configured or str(console.request.base_url).rstrip("/") + CALLBACK


def _provider_refused(console: Console, error: str) -> Response:
    """The provider's own refusal (its state checked): said in fixed words, naming its error
    code only if it is one of the standard ones — never the provider's text."""
    words = console.words
    known = error if error in PROVIDER_ERRORS else None
    log.info("console oidc sign-in refused: the provider answered error=%s", known or "(unknown)")
    if known == "access_denied":
        reason = words.gettext(
            "your institution's identity provider did not sign you in (access denied)"
        )
    elif known is not None:
        reason = words.gettext(
            "your institution's identity provider did not sign you in ({error})", error=known
        )
    else:
        reason = words.gettext(
            "your institution's identity provider did not sign you in: sign in again, or ask "
            "your administrator"
        )
    return _refused(console, reason)


def _refused(console: Console, reason: str, logged: str | None = None) -> Response:
    if logged is not None:
        log.info("console oidc sign-in refused: %s", logged)
    return _page(console, 400, reason)


def _unreachable(console: Console, failure: ProviderError) -> Response:
    log.warning("console oidc sign-in failed: %s", failure.reason)
    return _page(
        console,
        502,
        console.words.gettext(
            "your institution's identity provider cannot be reached, or answered something "
            "unusable: try again in a moment"
        ),
    )


def _page(console: Console, status: int, reason: str) -> Response:
    """The sign-in page, saying why (its way in with the provider offered again)."""
    return console.render(
        "sign_in.html", status=status, oidc=True, people=None, roles=[], next=None, error=reason
    )


def _not_here(console: Console) -> Response:
    return console.render(
        "refused.html",
        status=404,
        reason=console.words.gettext("the sign-in with an identity provider is off here"),
    )
