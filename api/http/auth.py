"""Bearer tokens (JWT): who calls, in which role, for which institution.

A token is trusted only if its signature, issuer, audience and expiry check out, with one of the
configured algorithms (never `none`). Claims: `sub` (the professional's id), `role`
(case_worker, supervisor, funder, admin), `inst` (the institution acted for; required of case
workers and supervisors), `exp`, `iat`, `iss`, `aud`.

Expiry and issue instants are judged by the service's one clock (the time policy the composition
root builds, `Services.time`), not by the library's reading of the system clock: a test or a
replay that moves the clock moves token expiry with it. The request's principal is resolved in
`api.http.deps`.

Every token is bounded: `iat` and `exp` are required numbers, `iat` (and `nbf`) may be ahead of
our clock by `clock_skew_seconds` at most, and its lifetime `exp - iat` may not exceed
`token_max_lifetime_minutes` (a working day by default) — whoever signed it, our key or an
identity provider's. A correctly signed token with `exp` far in the future is a stolen key to
the service for as long: it is refused. `mint_token` refuses to mint one past the same bound.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt
from fastapi.security import HTTPBearer

from api.http.problems import AuthenticationError
from api.settings import Settings
from domain.access import INSTITUTION_ROLES, Principal, Role
from domain.timing import utc_now
from domain.wording import N_


class TokenVerifier:
    """Checks tokens. A client sends the same token with each request until it expires: a
    token whose signature, issuer and audience checked out against a key of the settings is
    remembered (`TRUSTED`, the most recent), its instants judged again at every request. Not
    with an identity provider's keys (`jwt_jwks_url`): those may be withdrawn at any moment."""

    TRUSTED = 1024

    def __init__(self, settings: Settings) -> None:
        settings.check_secure()
        self.settings = settings
        self.algorithms = list(settings.jwt_algorithms)
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None
        self._trusted: OrderedDict[str, tuple[dict[str, Any], Principal]] = OrderedDict()
        self._trusting = threading.Lock()

    @property
    def fetches_keys(self) -> bool:
        """Its keys may have to be fetched (an identity provider's): verify in a worker thread."""
        return self._jwks is not None

    def _key(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self.settings.jwt_public_key:
            return self.settings.jwt_public_key
        return self.settings.signing_key()

    def verify(self, token: str, now: datetime | None = None) -> Principal:
        """The token's principal, if it is trusted at `now`: the service passes its one clock's
        instant (`api.http.deps.current_principal`); default, the system clock (tools)."""
        with self._trusting:
            trusted = self._trusted.get(token)
            if trusted is not None:
                self._trusted.move_to_end(token)
        claims = trusted[0] if trusted is not None else self._checked(token)
        try:
            _check_instants(
                claims,
                (now or utc_now()).timestamp(),
                skew=self.settings.clock_skew_seconds,
                longest=60 * self.settings.token_max_lifetime_minutes,
            )
        except jwt.PyJWTError as error:
            raise _refusal(error) from None
        if trusted is not None:
            return trusted[1]
        principal = principal_from(claims)
        if self._jwks is None:
            with self._trusting:
                self._trusted[token] = (claims, principal)
                if len(self._trusted) > self.TRUSTED:
                    self._trusted.popitem(last=False)
        return principal

    def _checked(self, token: str) -> dict[str, Any]:
        """The claims of a token whose signature, issuer and audience check out
        (`AuthenticationError` otherwise); its instants and its principal are `verify`'s."""
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
        except jwt.PyJWTError as error:
            raise _refusal(error) from None
        except (TypeError, ValueError):  # e.g. a key of the wrong kind for the token's algorithm
            raise AuthenticationError(
                N_("the token is not valid for this service's keys")
            ) from None
        return claims


# Why the library refused a token, in words a person reads (French first): by its error class.
_LIBRARY_REFUSALS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, N_("the token has expired")),
    (
        jwt.InvalidAudienceError,
        N_("the token is not valid: it is not meant for this service (aud)"),
    ),
    (jwt.InvalidIssuerError, N_("the token is not valid: it comes from another issuer (iss)")),
    (jwt.InvalidSignatureError, N_("the token is not valid: its signature does not match")),
    (jwt.InvalidAlgorithmError, N_("the token is not valid: its algorithm is not accepted")),
    (jwt.DecodeError, N_("the token is not valid: it cannot be decoded")),
)


def _refusal(error: jwt.PyJWTError) -> AuthenticationError:
    if isinstance(error, jwt.MissingRequiredClaimError):
        return AuthenticationError(
            N_('the token is not valid: it is missing the "{claim}" claim'), claim=error.claim
        )
    for kind, template in _LIBRARY_REFUSALS:
        if isinstance(error, kind):
            return AuthenticationError(template)
    return AuthenticationError(N_("the token is not valid: {reason}"), reason=str(error))


def _instant(claims: dict[str, Any], name: str) -> int:
    """A NumericDate (RFC 7519): a finite JSON number of seconds since the epoch (to the second,
    as an integer: no arithmetic on it can overflow)."""
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AuthenticationError(
            N_(
                "the token is not valid: its {claim} claim must be a number of seconds since "
                "the epoch"
            ),
            claim=name,
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise AuthenticationError(
            N_("the token is not valid: its {claim} claim must be a finite number"), claim=name
        )
    return int(value)


def _check_instants(claims: dict[str, Any], now: float, *, skew: int, longest: int) -> None:
    """`iat`, `nbf` and `exp` at `now`, with the library's errors for what it also checks:
    issued or valid no later than `now` give or take `skew` seconds, not expired, and a lifetime
    (`exp - iat`) of at most `longest` seconds."""
    issued, expires = _instant(claims, "iat"), _instant(claims, "exp")
    if issued > now + skew:
        raise AuthenticationError(N_("the token is not yet valid ({claim})"), claim="iat")
    if "nbf" in claims and _instant(claims, "nbf") > now + skew:
        raise AuthenticationError(N_("the token is not yet valid ({claim})"), claim="nbf")
    if expires <= now:
        raise AuthenticationError(N_("the token has expired"))
    if expires <= issued:
        raise AuthenticationError(N_("the token expires (exp) before it is issued (iat)"))
    lifetime = expires - issued
    if lifetime > longest:
        raise AuthenticationError(
            _too_long(lifetime),
            lifetime_seconds=lifetime,
            lifetime_minutes=lifetime // 60,
            longest_minutes=longest // 60,
        )


def _too_long(lifetime: int) -> str:
    """The sentence refusing a token living `lifetime` seconds (a whole number of minutes, or
    seconds, or beyond ten days)."""
    if lifetime > 10 * 24 * 3600:
        return N_(
            "the token lives more than ten days (exp - iat), longer than the {longest_minutes} "
            "minutes this service accepts: ask for a shorter-lived token"
        )
    if lifetime % 60 == 0:
        return N_(
            "the token lives {lifetime_minutes} minutes (exp - iat), longer than the "
            "{longest_minutes} minutes this service accepts: ask for a shorter-lived token"
        )
    return N_(
        "the token lives {lifetime_seconds} seconds (exp - iat), longer than the "
        "{longest_minutes} minutes this service accepts: ask for a shorter-lived token"
    )


def principal_from(claims: dict[str, Any]) -> Principal:
    """Who the claims name, and when their token was issued (`iat`, required of every token,
    ours or an identity provider's: a client application's `tokens_not_before` is judged by
    it, `domain.integration.check_client_token`)."""
    try:
        subject = UUID(str(claims["sub"]))
        role = Role(str(claims.get("role")))
        inst = claims.get("inst")
        institution_id = UUID(str(inst)) if inst is not None else None
    except (ValueError, KeyError):
        raise AuthenticationError(
            N_("the token's sub and inst must be ids, and role one of: {roles}"),
            roles=[r.value for r in Role],
        ) from None
    if role in INSTITUTION_ROLES and institution_id is None:
        raise AuthenticationError(
            N_("a {role} token names the institution acted for (inst)"), role=role.value
        )
    issued = None  # a console's sign-in (`api.http.console.oidc`) passes no token's `iat`
    if "iat" in claims:  # required of a token, its instant checked by `verify`
        issued = datetime.fromtimestamp(_instant(claims, "iat"), UTC)
    return Principal(subject, role, institution_id, issued_at=issued)


class TokenLifetimeError(ValueError):
    """A token that would live longer than the service accepts (`token_max_lifetime_minutes`)."""


def token_lifetime(settings: Settings, ttl_minutes: int | None = None) -> int:
    """The minutes a minted token lives: `ttl_minutes`, by default `token_ttl_minutes`, refused
    past `token_max_lifetime_minutes` (the service would refuse the token)."""
    ttl = settings.token_ttl_minutes if ttl_minutes is None else ttl_minutes
    longest = settings.token_max_lifetime_minutes
    if not 1 <= ttl <= longest:
        raise TokenLifetimeError(
            f"a token lives 1 to {longest} minutes (MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES), "
            f"not {ttl}: the service would refuse it"
        )
    return ttl


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
    issued at `now` (callers pass their time policy's; default: the system clock), for
    `ttl_minutes` (default `token_ttl_minutes`): refused (`TokenLifetimeError`) past the
    service's `token_max_lifetime_minutes`, which would refuse the token."""
    key = settings.signing_key()
    if key is None:
        raise RuntimeError(
            "no signing key: set MAILLAGE_JWT_SECRET (tokens from an identity provider are "
            "minted by that provider)"
        )
    ttl = token_lifetime(settings, ttl_minutes)
    issued = int((now or utc_now()).timestamp())
    claims: dict[str, Any] = {
        "sub": str(subject),
        "role": role.value,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": issued,
        "exp": issued + 60 * ttl,
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
