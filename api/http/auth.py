"""Bearer tokens (JWT): who calls, in which role, for which institution.

A token is trusted only if its signature, issuer, audience and expiry check out, with one of the
configured algorithms (never `none`). Claims: `sub` (the professional's id), `role`
(case_worker, supervisor, funder, admin), `inst` (the institution acted for; required of case
workers and supervisors), `exp`, `iat`, `iss`, `aud`.

Expiry and issue instants are judged by the service's one clock (the time policy the composition
root builds, `Services.time`), not by the library's reading of the system clock: a test or a
replay that moves the clock moves token expiry with it. The request's principal is resolved in
`api.http.deps`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import jwt
from fastapi.security import HTTPBearer

from api.http.problems import AuthenticationError
from api.settings import Settings
from domain.access import Principal, Role
from domain.timing import utc_now

_NEEDS_INSTITUTION = (Role.CASE_WORKER, Role.SUPERVISOR)


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        settings.check_secure()
        self.settings = settings
        self.algorithms = list(settings.jwt_algorithms)
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    def _key(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self.settings.jwt_public_key:
            return self.settings.jwt_public_key
        return self.settings.signing_key()

    def verify(self, token: str, now: datetime | None = None) -> Principal:
        """The token's principal, if it is trusted at `now`: the service passes its one clock's
        instant (`api.http.deps.current_principal`); default, the system clock (tools)."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=self.algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                # Signature, issuer and audience here; the instants against our clock below.
                options={
                    "require": ["exp", "iat", "iss", "aud", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            _check_instants(claims, (now or utc_now()).timestamp())
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("the token has expired") from None
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"the token is not valid: {error}") from None
        except (TypeError, ValueError):  # e.g. a key of the wrong kind for the token's algorithm
            raise AuthenticationError("the token is not valid for this service's keys") from None
        return principal_from(claims)


def _instant(claims: dict[str, Any], name: str, label: str) -> int:
    try:
        return int(claims[name])
    except (ValueError, TypeError, OverflowError):
        if name == "iat":
            raise jwt.InvalidIssuedAtError(f"{label} claim ({name}) must be an integer.") from None
        raise jwt.DecodeError(f"{label} claim ({name}) must be an integer.") from None


def _check_instants(claims: dict[str, Any], now: float) -> None:
    """What the library checks of `iat`, `nbf` and `exp`, with the same errors, at `now`."""
    if "iat" in claims and _instant(claims, "iat", "Issued At") > now:
        raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")
    if "nbf" in claims and _instant(claims, "nbf", "Not Before") > now:
        raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")
    if "exp" in claims and _instant(claims, "exp", "Expiration Time") <= now:
        raise jwt.ExpiredSignatureError("Signature has expired")


def principal_from(claims: dict[str, Any]) -> Principal:
    try:
        subject = UUID(str(claims["sub"]))
        role = Role(str(claims.get("role")))
        inst = claims.get("inst")
        institution_id = UUID(str(inst)) if inst is not None else None
    except (ValueError, KeyError):
        raise AuthenticationError(
            "the token's sub and inst must be ids, and role one of: "
            + ", ".join(r.value for r in Role)
        ) from None
    if role in _NEEDS_INSTITUTION and institution_id is None:
        raise AuthenticationError(f"a {role.value} token names the institution acted for (inst)")
    return Principal(subject, role, institution_id)


def mint_token(
    settings: Settings,
    *,
    subject: UUID,
    role: Role,
    institution_id: UUID | None = None,
    ttl_minutes: int | None = None,
    now: datetime | None = None,
) -> str:
    """A token signed with the HS256 key (the embedded mode, or a deployment's shared key),
    issued at `now` (callers pass their time policy's; default: the system clock)."""
    key = settings.signing_key()
    if key is None:
        raise RuntimeError(
            "no signing key: set MAILLAGE_JWT_SECRET (tokens from an identity provider are "
            "minted by that provider)"
        )
    issued = int((now or utc_now()).timestamp())
    claims: dict[str, Any] = {
        "sub": str(subject),
        "role": role.value,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": issued,
        "exp": issued + 60 * (ttl_minutes or settings.token_ttl_minutes),
    }
    if institution_id is not None:
        claims["inst"] = str(institution_id)
    return jwt.encode(claims, key, algorithm="HS256")


bearer = HTTPBearer(
    auto_error=False,
    description=(
        "A JWT from your identity provider, or in the embedded mode from "
        "`maillage token --professional ID --role ROLE --institution ID`."
    ),
)
