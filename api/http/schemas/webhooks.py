"""Bodies and answers of the webhook subscriptions' routes (`api.http.routers.webhooks`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.integration.webhooks.reports import Delivery
from api.integration.webhooks.subscriptions import Subscription

Url = Field(max_length=2000, description="Where deliveries are POSTed: an `https://` address.")
Kinds = Field(
    min_length=1,
    max_length=200,
    description="Kinds of event sent (`Case.ReferralMade`…), among those the client follows.",
)


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(description="The client application the subscription belongs to.")
    url: str = Url
    kinds: list[str] = Kinds


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000, description="A new target.")
    kinds: list[str] | None = Field(default=None, min_length=1, max_length=200)
    active: bool | None = Field(
        default=None,
        description="false pauses the deliveries (none derived, none sent); true resumes them "
        "from where they stopped.",
    )


class WebhookRead(BaseModel):
    id: UUID
    client_id: UUID
    url: str
    kinds: list[str]
    active: bool = Field(
        description="Delivered: not paused, not removed, its client application not revoked."
    )
    state: str = Field(
        description="`active`, `paused`, `client_revoked` (its client application revoked: "
        "nothing delivered, nothing changed but its removal) or `removed`."
    )
    secret_version: int = Field(description="Bumped by each rotation of the secret.")
    cursor: int = Field(description="The feed position deliveries have been derived up to.")
    created_at: datetime
    created_by: UUID
    updated_at: datetime
    updated_by: UUID
    removed_at: datetime | None = None

    @classmethod
    def of(cls, s: Subscription) -> WebhookRead:
        return cls(
            id=s.subscription_id,
            client_id=s.client_id,
            url=s.url,
            kinds=s.kinds,
            active=s.state == "active",
            state=s.state,
            secret_version=s.secret_version,
            cursor=s.cursor,
            created_at=s.created_at,
            created_by=s.created_by,
            updated_at=s.updated_at,
            updated_by=s.updated_by,
            removed_at=s.removed_at,
        )


_SHOWN_ONCE = (
    "shown this once: give it to the receiver. Never stored (derived from the service's key): "
    "null when the answer is replayed for an `Idempotency-Key`; rotate it if it was lost."
)


class WebhookCreated(WebhookRead):
    secret: str | None = Field(description="The signing secret (`whsec_…`), " + _SHOWN_ONCE)


class WebhookSecret(BaseModel):
    id: UUID
    secret_version: int
    secret: str | None = Field(description="The new signing secret, " + _SHOWN_ONCE)


class DeliveryRead(BaseModel):
    id: str = Field(description="The `webhook-id` the receiver sees (`msg_…`).")
    subscription_id: UUID
    position: int = Field(description="The event's position in the feed.")
    kind: str
    status: str = Field(description="`pending`, `delivered` or `dead` (the dead letter).")
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None = Field(description="When it is tried next (pending).")
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, d: Delivery) -> DeliveryRead:
        return cls(
            id=d.delivery_id,
            subscription_id=d.subscription_id,
            position=d.position,
            kind=d.kind,
            status=d.status,
            attempts=d.attempts,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            last_attempt_at=d.last_attempt_at,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            delivered_at=d.delivered_at,
        )
