"""Each subscription's signing secret, derived rather than stored, and the signed headers of a
delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`).

Nothing secret is kept in the tables: a subscription's secret is
HMAC-SHA256(key, "{subscription_id}:{secret_version}"), written as a Standard Webhooks secret
(`whsec_` and its base64). The key is `webhook_key`, or one derived from the service's HS256 key
(never that key itself, as the console derives its own). Rotating a subscription's secret bumps
its version: the previous secret stops signing at once. A backup of the database alone therefore
reveals no secret; changing the key changes every subscription's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from standardwebhooks import Webhook

from api.settings import Settings

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret


class WebhooksNotConfiguredError(RuntimeError):
    """No key to derive the subscriptions' secrets from (an identity provider's keys only)."""


def webhook_key(settings: Settings) -> bytes:
    """The key every subscription's secret is derived from."""
    if settings.webhook_key is not None:
        return settings.webhook_key.get_secret_value().encode()
    key = settings.signing_key()
    if key is None:
        raise WebhooksNotConfiguredError(
            "set MAILLAGE_WEBHOOK_KEY: webhook secrets are derived from it"
        )
    return hmac.new(key.encode(), b"maillage-webhook-secrets", hashlib.sha256).digest()


@dataclass(frozen=True)
class Signer:
    key: bytes

    @classmethod
    def of(cls, settings: Settings) -> Signer:
        return cls(webhook_key(settings))

    def secret(self, subscription_id: UUID, version: int) -> str:
        """The subscription's secret at `version`, as its receiver configures it."""
        raw = hmac.new(self.key, f"{subscription_id}:{version}".encode(), hashlib.sha256)
        return SECRET_PREFIX + base64.b64encode(raw.digest()).decode()

    def headers(
        self, subscription_id: UUID, version: int, msg_id: str, at: datetime, body: str
    ) -> dict[str, str]:
        """The Standard Webhooks headers of a delivery of `body` sent at `at`."""
        at = at.astimezone(UTC)
        signature = Webhook(self.secret(subscription_id, version)).sign(msg_id, at, body)
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature,
            "content-type": "application/json",
        }
