"""The descriptions and request-body examples of the operations of
`api.http.routers.webhooks` (docs/webhooks.md says the rest)."""

from __future__ import annotations

from typing import Any

CLIENT = "0e5f7a9c-3b1d-4c62-8e4a-6b2d0f8c1a37"  # the département's information system

DESCRIPTIONS: dict[str, str] = {
    "create_webhook": """
        Subscribe a client application to webhooks: each event its institution may know (the
        catch-up feed's rule), of the `kinds` named — among those the client follows — recorded
        from now on is POSTed to `url`, signed per Standard Webhooks (`webhook-id`,
        `webhook-timestamp`, `webhook-signature`) by `maillage deliver`. Events recorded before
        the subscription are not sent: `GET /feed` serves them.

        Answers the subscription with its signing `secret` (`whsec_…`), shown this once; the
        secret is derived from the service's key, never stored. `Location` names it;
        `Cache-Control: no-store`.

        Refusals:
        - 404 `client-not-found`: no such client application (`client_id`).
        - 409 `client-revoked`: the client application is revoked (`client_id`).
        - 422 `invalid-value`: unknown kinds, or kinds the client does not follow (`kinds`).
        - 422 `webhook-target-refused`: a `url` not `https://` (outside the embedded mode), with
          a user name or password, or whose host does not resolve or resolves to a loopback,
          private, link-local or other non-public address (server-side request forgery; allowed
          by `MAILLAGE_WEBHOOK_ALLOW_PRIVATE_TARGETS`).
    """,
    "list_webhooks": """
        The webhook subscriptions, in the order of their ids, paged by `cursor`; filtered by
        `client_id` and `active`; the removed ones with `removed=true`. No secret is shown.
        `state` is `active` (delivered), `paused`, `client_revoked` (its client application
        revoked: nothing is delivered) or `removed`; `active` is true in the `active` state
        only.

        Refusals:
        - 422 `invalid-request`: a `limit` out of 1–500, a `client_id` that is not an id.
    """,
    "read_webhook": """
        One subscription: its client, target, kinds, whether it is active, its secret's version
        and how far into the feed its deliveries have been derived (`cursor`).

        Refusals:
        - 404 `webhook-not-found`: no such subscription.
    """,
    "change_webhook": """
        Change a subscription's `url` or `kinds` (checked as at its creation), or pause it
        (`active: false`: nothing is derived nor sent) and resume it (`active: true`: it catches
        up from where it stopped). Fields left out are kept.

        Refusals:
        - 404 `webhook-not-found`: no such subscription.
        - 409 `client-revoked`: its client application is revoked (`client_id`): kept for the
          record, changed no more (it may be removed).
        - 422 `invalid-value`: `kinds` as at creation, or a removed subscription.
        - 422 `webhook-target-refused`: `url` as at creation.
    """,
    "remove_webhook": """
        Remove a subscription: nothing more is derived nor sent for it, not even its pending
        deliveries. It stays listed (`removed=true`) with its deliveries, for the record.
        Removing it again changes nothing: the same answer (its first removal).

        Refusals:
        - 404 `webhook-not-found`: no such subscription.
    """,
    "rotate_webhook_secret": """
        A new signing secret for the subscription (its `secret_version` goes up): every
        delivery sent from now on, retries included, is signed with it; the previous one stops
        at once. Shown this once; `Cache-Control: no-store`.

        Refusals:
        - 404 `webhook-not-found`: no such subscription.
        - 409 `client-revoked`: its client application is revoked (`client_id`).
        - 422 `invalid-value`: a removed subscription.
    """,
    "list_webhook_deliveries": """
        A subscription's deliveries, in the order of their events (`position`), paged by
        `cursor`, filtered by `status` (`pending`, `delivered`, `dead`) and `kind`: attempts, the
        last one's instant, status code and error, the next attempt's instant. The payloads are
        not shown (they are the feed's items).

        Refusals:
        - 404 `webhook-not-found`: no such subscription.
        - 422 `invalid-request`: an unknown `status`, a `limit` out of 1–500.
        - 422 `invalid-value`: a `cursor` this list did not return; a `kind` the log does not
          record (`kind`), as `GET /feed`.
    """,
    "redeliver_webhook": """
        Send a delivery again (a dead letter, most often): it is pending, due now, its attempts
        counted anew, with the same `webhook-id` (a receiver that handled it drops it). The
        worker sends it at its next step.

        `delivery_id` is the `webhook-id` (`msg_…`), or the UUID its 32 hex digits spell.

        Refusals:
        - 404 `webhook-not-found`: no such delivery.
        - 422 `invalid-request`: `delivery_id` neither a `webhook-id` nor a UUID.
        - 422 `invalid-value`: its subscription was removed.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "create_webhook": {
        "referrals": {
            "summary": "The département's information system, told of referrals",
            "value": {
                "client_id": CLIENT,
                "url": "https://si.haut-rhin.fr/maillage/webhooks",
                "kinds": ["Case.ReferralMade", "Case.ReferralAccepted", "Case.ReferralDeclined"],
            },
        }
    },
    "change_webhook": {
        "pause": {"summary": "Pause it", "value": {"active": False}},
        "move": {
            "summary": "A new target",
            "value": {"url": "https://si.haut-rhin.fr/maillage/v2/webhooks"},
        },
    },
}
