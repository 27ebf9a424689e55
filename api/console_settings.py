"""The console's settings (`/console`, the pages for supervisors and funders): its sessions and
the identity provider people sign in with. Apart from `api.settings` to keep each file small;
`Settings` inherits them, so they are read like any other (prefix `MAILLAGE_`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

CONSOLE_SECRET_MIN = 32


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
            "Default: on in the embedded mode only; outside it, `true` is refused at start."
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
            "The console's callback as the provider knows it (https://…/console/sign-in/oidc/"
            "callback). Required outside the embedded mode with MAILLAGE_OIDC_ISSUER; unset in "
            "the embedded mode: built from the request."
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

    def console_insecurity(self, embedded: bool) -> str | None:
        """Why the console's settings would expose it, so that the service refuses to start
        (`Settings.check_secure`); None if they do not."""
        secret = self.console_secret
        if secret is not None and len(secret.get_secret_value()) < CONSOLE_SECRET_MIN:
            return (
                f"MAILLAGE_CONSOLE_SECRET must be at least {CONSOLE_SECRET_MIN} characters: "
                "it signs the console's session cookies (a random one: "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        if self.oidc_redirect_url is not None:
            parts = urlsplit(self.oidc_redirect_url)
            if parts.scheme not in ("https", "http") or not parts.netloc:
                return (
                    "MAILLAGE_OIDC_REDIRECT_URL must be an absolute address "
                    "(https://…/console/sign-in/oidc/callback)"
                )
        if embedded:
            return None
        if self.console_dev_sign_in:
            return (
                "MAILLAGE_CONSOLE_DEV_SIGN_IN=true is refused outside the embedded mode: the "
                "development sign-in lets anyone reaching /console act as anyone, with no "
                "password. Unset it; people sign in with your identity provider "
                "(MAILLAGE_OIDC_ISSUER)"
            )
        if self.oidc_issuer and not self.oidc_redirect_url:
            return (
                "set MAILLAGE_OIDC_REDIRECT_URL (https://…/console/sign-in/oidc/callback) with "
                "MAILLAGE_OIDC_ISSUER outside the embedded mode: unset, the callback sent to the "
                "provider would be built from the request's Host header, which the client chooses"
            )
        return None
