"""The console's settings (`/console`, the pages for supervisors and funders): its sessions and
the identity provider people sign in with. Apart from `api.settings` to keep each file small;
`Settings` inherits them, so they are read like any other (prefix `MAILLAGE_`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class ConsoleSettings(BaseSettings):
    console_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Key that signs the console's cookies (at least 32 characters). Unset: derived from "
            "the HS256 key (MAILLAGE_JWT_SECRET, or the embedded mode's); with an identity "
            "provider's keys only (JWKS), the console needs it."
        ),
    )
    console_session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="A console session left idle this long ends: sign in again.",
    )
    console_session_max_minutes: int = Field(
        default=480,
        ge=1,
        le=7 * 24 * 60,
        description="A console session ends this long after sign-in, however active.",
    )
    console_secure_cookie: bool = Field(
        default=True,
        description=(
            "Send the console's cookies with `Secure` (HTTPS only; browsers also keep them on "
            "http://localhost). Turn off only to try the console over plain HTTP on another host."
        ),
    )
    console_dev_sign_in: bool | None = Field(
        default=None,
        description=(
            "The development sign-in (pick a person of the registry and a role, no password). "
            "Default: on in the embedded mode only. Never turn it on where real data lives."
        ),
    )
    oidc_issuer: str | None = Field(
        default=None,
        description=(
            "The institution's OpenID Connect provider (its issuer URL; its "
            "/.well-known/openid-configuration is read). Unset: no OpenID Connect sign-in."
        ),
    )
    oidc_client_id: str | None = Field(default=None, description="The console's client id.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="The console's client secret (unset: a public client, PKCE)."
    )
    oidc_scopes: str = Field(default="openid profile", description="Scopes asked for.")
    oidc_redirect_url: str | None = Field(
        default=None,
        description=(
            "The console's callback as the provider knows it (…/console/sign-in/oidc/callback). "
            "Unset: built from the request (set it behind a proxy that rewrites the host)."
        ),
    )
    oidc_claim_subject: str = Field(
        default="sub", description="The ID token's claim holding the professional's id."
    )
    oidc_claim_role: str = Field(default="role", description="The claim holding the role.")
    oidc_claim_institution: str = Field(
        default="inst", description="The claim holding the institution acted for."
    )
    oidc_claim_name: str = Field(default="name", description="The claim holding the name shown.")
