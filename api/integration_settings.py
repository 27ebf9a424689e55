"""Settings of what other systems follow (issue 19): client applications' tokens, the catch-up
feed, webhooks. Apart from `api.settings` to keep each file small; `Settings` inherits them, so
they are read like any other (prefix `MAILLAGE_`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class IntegrationSettings(BaseSettings):
    integration_token_ttl_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description=(
            "How long a client application's token (`POST /oauth/token`, client credentials) "
            "lives; at most MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES."
        ),
    )
    integration_secret_grace_minutes: int = Field(
        default=60,
        ge=0,
        le=7 * 24 * 60,
        description=(
            "After a client's secret is rotated, how long the previous one is still accepted, "
            "so that the client's operators can deploy the new one."
        ),
    )
    feed_page_max: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="The most events one page of `GET /feed` returns (a client asks `limit=`).",
    )
    feed_max_wait_seconds: int = Field(
        default=25,
        ge=0,
        le=120,
        description=(
            "The longest a client may ask `GET /feed?wait=` to hold its request open while no "
            "new event is there for it (long polling)."
        ),
    )
    webhook_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key from which each webhook subscription's signing secret is derived (at least 32 "
            "characters). Unset: derived from the HS256 key (MAILLAGE_JWT_SECRET, or the embedded "
            "mode's). Changing it changes every subscription's secret."
        ),
    )
    webhook_allow_private_targets: bool = Field(
        default=False,
        description=(
            "Let webhook targets resolve to loopback, private, link-local or other non-public "
            "addresses (a receiver on the same network). Off by default: server-side request "
            "forgery. The embedded mode also allows `http://` targets."
        ),
    )
    webhook_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=60,
        description="How long a delivery waits for the receiver's answer before it fails.",
    )
    webhook_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description="Attempts of one delivery before it is dead-lettered (redeliver it by hand).",
    )
    webhook_backoff_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description=(
            "Wait before the second attempt of a delivery; doubled at each further attempt "
            "(exponential backoff), capped at MAILLAGE_WEBHOOK_BACKOFF_MAX_SECONDS."
        ),
    )
    webhook_backoff_max_seconds: float = Field(
        default=6 * 3600,
        gt=0,
        le=7 * 24 * 3600,
        description="The longest wait between two attempts of a delivery.",
    )
