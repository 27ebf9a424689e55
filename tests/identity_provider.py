"""A small OpenID Connect provider for the console's sign-in tests, served on loopback by
uvicorn in a thread: a discovery document, its key set (RS256), `/authorize` (records the
request, signs the person in at once and sends the browser back with a code) and `/token`
(checks the code, the redirect URI, the client — secret by HTTP Basic when it has one — and the
PKCE verifier against the challenge, S256, then answers an ID token carrying the nonce it was
given). A test sets who signs in next (`claims`) and how the provider misbehaves (`tamper`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.served import free_port, in_thread

CLIENT_ID = "maillage-console"
CLIENT_SECRET = "a-secret-the-provider-and-the-console-share"


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    nonce: str | None


@dataclass
class IdentityProvider:
    issuer: str = ""
    client_secret: str | None = CLIENT_SECRET
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    claims: dict[str, Any] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    authorizations: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)

    def reset(self) -> None:
        self.claims, self.tamper = {}, {}
        self.authorizations.clear()
        self.token_requests.clear()
        self.grants.clear()

    # --- the provider's endpoints ----------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.tamper.get("issuer", self.issuer),
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        asked = dict(request.query_params)
        self.authorizations.append(asked)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            asked.get("client_id", ""),
            asked.get("redirect_uri", ""),
            asked.get("code_challenge", ""),
            asked.get("code_challenge_method", ""),
            asked.get("nonce"),
        )
        back = {"code": code, "state": asked.get("state", "")}
        return RedirectResponse(f"{asked['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        client_id, secret = _basic(request.headers.get("authorization"))
        client_id = client_id or form.get("client_id")
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return _error("invalid_grant")
        if client_id != grant.client_id or form.get("redirect_uri") != grant.redirect_uri:
            return _error("invalid_grant")
        if self.client_secret is not None and secret != self.client_secret:
            return _error("invalid_client", 401)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if grant.code_challenge_method != "S256" or (
            challenge.rstrip(b"=").decode() != grant.code_challenge
        ):
            return _error("invalid_grant")
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            },
            headers={"Cache-Control": "no-store"},
        )

    def id_token(self, grant: Grant) -> str:
        now = int(self.now().timestamp())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            **self.claims,
        }
        claims.update(self.tamper.get("claims", {}))
        key = self.tamper.get("key", self.key)
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
            ]
        )


def _basic(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.lower().startswith("basic "):
        return None, None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return unquote(user), unquote(password)


def _error(code: str, status: int = 400) -> Response:
    return JSONResponse({"error": code}, status_code=status)


@contextmanager
def serving_provider() -> Iterator[IdentityProvider]:
    """The provider on a free loopback port (its issuer is its base URL)."""
    port = free_port()
    provider = IdentityProvider(issuer=f"http://127.0.0.1:{port}")
    with in_thread(provider.app(), "identity-provider", ready="/jwks", port=port):
        yield provider
