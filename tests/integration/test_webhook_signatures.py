"""Deliveries signed per Standard Webhooks (issue 19), checked by a receiver with the
`standardwebhooks` package: good signatures accepted, a replay (the same webhook-id again, or a
stale timestamp) and a tampered body rejected; a rotated secret signs from then on; no secret is
stored."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select
from standardwebhooks import Webhook, WebhookVerificationError

from api.integration.webhooks.subscriptions import Subscriptions
from api.integration.webhooks.tables import webhook_delivery, webhook_subscription
from domain.timing import utc_now
from tests.integration.webhook_setup import ADMIN, CASE_KINDS, Clock, Scene
from tests.webhook_receivers import Received, trusting_client


class VerifyingReceiver:
    """What a receiver should do: verify the signature (which checks the timestamp's
    freshness), then drop a webhook-id it has already handled."""

    def __init__(self, secret: str) -> None:
        self.webhook = Webhook(secret)
        self.handled: set[str] = set()
        self.refusals: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, got: Received) -> int:
        try:
            self.webhook.verify(got.body, got.headers)
        except WebhookVerificationError as error:
            with self.lock:
                self.refusals.append(str(error))
            return 400
        with self.lock:
            if got.headers["webhook-id"] in self.handled:
                self.refusals.append("replayed webhook-id")
                return 409
            self.handled.add(got.headers["webhook-id"])
        return 204


def test_good_signatures_are_accepted_and_a_replay_is_rejected(hooks: Scene) -> None:
    settings = hooks.settings
    with hooks.receiver() as inbox:
        created = hooks.subscribe(inbox.url, CASE_KINDS)
        assert created.secret.startswith("whsec_")
        verifying = VerifyingReceiver(created.secret)
        inbox.answer = verifying
        hooks.open_cases(2)
        done = hooks.worker(clock=None).drain()  # real time: the receiver's clock
        assert done.delivered == 2
        assert done.failed == 0
        assert verifying.refusals == []
        assert {r["last_status_code"] for r in hooks.deliveries()} == {204}

        # The same request sent again (a replay of a captured delivery): rejected.
        captured = inbox.received[0]
        with trusting_client(settings, hooks.tmp_path) as client:
            replayed = client.post(inbox.url, content=captured.body, headers=captured.headers)
            assert replayed.status_code == 409
            tampered = client.post(
                inbox.url,
                content=captured.body.replace(b"Case.", b"Kase."),
                headers=captured.headers,
            )
            assert tampered.status_code == 400
        assert verifying.refusals == ["replayed webhook-id", "No matching signature found"]


def test_a_stale_timestamp_is_rejected_by_the_receiver(hooks: Scene) -> None:
    with hooks.receiver() as inbox:
        created = hooks.subscribe(inbox.url)
        verifying = VerifyingReceiver(created.secret)
        inbox.answer = verifying
        hooks.open_cases()
        # Signed ten minutes ago (a delivery captured then, replayed now): too old.
        stale = Clock(utc_now() - timedelta(minutes=10))
        assert hooks.worker(clock=stale).step().failed == 1
        assert verifying.refusals == ["Message timestamp too old"]
        (row,) = hooks.deliveries()
        assert (row["status"], row["last_status_code"]) == ("pending", 400)


def test_a_rotated_secret_signs_from_then_on_and_no_secret_is_stored(hooks: Scene) -> None:
    settings = hooks.settings
    with hooks.receiver() as inbox:
        created = hooks.subscribe(inbox.url)
        subscription_id = created.subscription.subscription_id
        rotated = Subscriptions(hooks.engine, settings).rotate_secret(subscription_id, by=ADMIN)
        assert rotated.subscription.secret_version == 2
        assert rotated.secret != created.secret
        old, new = VerifyingReceiver(created.secret), VerifyingReceiver(rotated.secret)
        inbox.answer = new
        hooks.open_cases()
        assert hooks.worker(clock=None).drain().delivered == 1
        assert new.refusals == []
        with_old = old(inbox.received[0])
        assert with_old == 400
        assert old.refusals == ["No matching signature found"]
    with hooks.engine.connect() as conn:
        stored = str(conn.execute(select(webhook_subscription)).all())
        stored += str(conn.execute(select(webhook_delivery)).all())
    for secret in (created.secret, rotated.secret):
        assert secret not in stored
        assert secret.removeprefix("whsec_") not in stored
    # the same key derives the same secret: nothing needs storing
    again = Subscriptions(hooks.engine, settings).rotate_secret(subscription_id, by=ADMIN)
    assert again.secret != rotated.secret
    assert again.subscription.secret_version == 3
