"""The institution's OpenID Connect provider, as the console's sign-in sees it: its discovery
document, its keys, its token endpoint, and the checks an ID token must pass.

The provider is read from `{issuer}/.well-known/openid-configuration` and its keys from the
document's `jwks_uri`, each kept a few minutes per process (`KEPT`): a sign-in costs no round
trip to the provider but the token exchange, and a provider that rotates its keys is read again
as soon as a token names a key we do not hold. Every request to the provider has a timeout.
Nothing here is stored between processes: the sign-in's state travels in a signed cookie
(`api.http.console.oidc`).

An ID token is trusted if it is signed with an asymmetric algorithm the provider announces by
one of its current keys, and if `iss` is the issuer, `aud` names our client id (`azp` too
when there are other audiences), `exp` is ahead and `iat` not ahead of the service's clock
(give or take `clock_skew_seconds`), and `nonce` is the one of this sign-in. Signature by
`joserfc` (the JOSE library Authlib itself uses), claims by Authlib's `CodeIDToken`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from authlib.common.security import is_secure_transport  # type: ignore[import-untyped]
from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
    AsyncOAuth2Client,
    OAuthError,
)
from authlib.oidc.core import CodeIDToken  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

TIMEOUT = httpx.Timeout(10.0)
KEPT = 300.0  # seconds a discovery document or a key set is kept
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class ProviderError(Exception):
    """The provider could not be read, or answered something unusable (never a person's
    fault): `reason` for the log, in English, without tokens."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class IdTokenRefused(Exception):  # noqa: N818 (a refusal, not a failure of ours)
    """An ID token that cannot be trusted: `reason` for the log, without the token."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


_documents: dict[str, tuple[float, Provider]] = {}
_key_sets: dict[str, tuple[float, KeySet]] = {}


async def provider(issuer: str) -> Provider:
    """The provider of `issuer`, from its discovery document (kept `KEPT` seconds)."""
    kept = _documents.get(issuer)
    if kept is not None and time.monotonic() - kept[0] < KEPT:
        return kept[1]
    document = await _json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    try:
        found = Provider(
            issuer=str(document["issuer"]),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            algorithms=tuple(
                a
                for a in document.get("id_token_signing_alg_values_supported", ["RS256"])
                if a in ALGORITHMS
            ),
        )
    except (KeyError, TypeError) as error:
        raise ProviderError(f"discovery document lacks {error}") from None
    if found.issuer != issuer:  # OpenID Connect Discovery 1.0, 4.3
        raise ProviderError(f"discovery document names issuer {found.issuer!r}, not {issuer!r}")
    for url in (found.authorization_endpoint, found.token_endpoint, found.jwks_uri):
        if not is_secure_transport(url):
            raise ProviderError(f"provider endpoint {url!r} is not HTTPS (nor loopback)")
    if not found.algorithms:
        raise ProviderError("provider signs ID tokens with no algorithm accepted here")
    _documents[issuer] = (time.monotonic(), found)
    return found


async def keys(of: Provider, fresh: bool = False) -> KeySet:
    """The provider's signing keys (kept `KEPT` seconds; `fresh`: read them again)."""
    kept = _key_sets.get(of.jwks_uri)
    if not fresh and kept is not None and time.monotonic() - kept[0] < KEPT:
        return kept[1]
    document = await _json(of.jwks_uri)
    try:
        found = KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise ProviderError(f"provider's key set cannot be read: {type(error).__name__}") from None
    _key_sets[of.jwks_uri] = (time.monotonic(), found)
    return found


async def _json(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ProviderError(f"cannot read {url}: {type(error).__name__}") from None
    if not isinstance(document, dict):
        raise ProviderError(f"{url} is not a JSON object")
    return document


async def exchange(
    of: Provider,
    *,
    client_id: str,
    client_secret: str | None,
    code: str,
    code_verifier: str,
    redirect_uri: str,
) -> dict[str, Any]:
    """The provider's token response for `code` (with the PKCE verifier; the client secret,
    if any, by HTTP Basic)."""
    async with AsyncOAuth2Client(
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri,
        timeout=TIMEOUT,
    ) as client:
        try:
            token = await client.fetch_token(
                of.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
            )
        except OAuthError as error:
            raise ProviderError(f"token endpoint refused the code: {error.error}") from None
        except (httpx.HTTPError, ValueError) as error:
            raise ProviderError(f"token endpoint failed: {type(error).__name__}") from None
    return dict(token)


async def id_token_claims(
    of: Provider,
    id_token: str,
    *,
    client_id: str,
    nonce: str,
    now: datetime,
    leeway: int,
) -> dict[str, Any]:
    """The claims of `id_token` once trusted (`IdTokenRefused` otherwise)."""
    try:
        token = _verified(id_token, await keys(of), of)
    except InvalidKeyIdError:  # a key the provider added since we read its set
        try:
            token = _verified(id_token, await keys(of, fresh=True), of)
        except InvalidKeyIdError:
            raise IdTokenRefused("ID token signed by a key the provider does not publish") from None
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={
            "iss": {"essential": True, "value": of.issuer},
            "aud": {"essential": True, "value": client_id},
        },
        params={"nonce": nonce, "client_id": client_id},
    )
    try:
        claims.validate(now=int(now.timestamp()), leeway=leeway)
    except JoseError as error:
        raise IdTokenRefused(f"ID token claim refused: {error}") from None
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > now.timestamp() + leeway:
        raise IdTokenRefused("ID token issued in the future (iat)")
    return dict(claims)


def _verified(id_token: str, key_set: KeySet, of: Provider) -> jwt.Token:
    """The token, its signature checked (`InvalidKeyIdError`: a key not in `key_set`)."""
    try:
        return jwt.decode(id_token, key_set, algorithms=list(of.algorithms))
    except InvalidKeyIdError:
        raise
    except (TypeError, ValueError) as error:
        raise IdTokenRefused(f"ID token cannot be decoded: {type(error).__name__}") from None
    except JoseError as error:
        raise IdTokenRefused(f"ID token signature refused: {error.error}") from None
