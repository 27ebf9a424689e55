"""The webhook worker after the security review (issue 19), on the store under test: a poisoned
target does not stop the others' deliveries and ends dead; a receiver dripping its answer is cut
at the attempt's deadline; a revoked client, or a kind no longer followed, is sent nothing more;
a removed subscription's queued deliveries are not sent, a paused one's wait for it."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update

from api.integration.clients import ClientRegistry
from api.integration.webhooks.outbox import REMOVED, Outcome, claim, derive, settle
from api.integration.webhooks.subscriptions import Subscriptions
from api.integration.webhooks.tables import webhook_subscription
from tests.integration.webhook_setup import ADMIN, OPENED, Scene
from tests.webhook_receivers import dripping


def test_a_poisoned_target_does_not_stop_the_others_and_ends_dead(hooks: Scene) -> None:
    with hooks.receiver() as healthy:
        poisoned = hooks.subscribe(healthy.url)
        with hooks.engine.begin() as conn:  # past the API, straight into the table
            conn.execute(
                update(webhook_subscription)
                .where(
                    webhook_subscription.c.subscription_id
                    == str(poisoned.subscription.subscription_id)
                )
                .values(url=healthy.url + "hook\n")
            )
        good = hooks.subscribe(healthy.url)
        hooks.open_cases()
        w = hooks.worker(hooks.with_settings(webhook_max_attempts=2))
        first = w.step()
        assert (first.delivered, first.failed) == (1, 1)
        hooks.clock.move(hours=1)
        second = w.step()
        assert (second.delivered, second.dead) == (0, 1)
        rows = hooks.by_subscription()
        ok = rows[str(good.subscription.subscription_id)]
        bad = rows[str(poisoned.subscription.subscription_id)]
        assert (ok["status"], ok["attempts"]) == ("delivered", 1)
        assert (bad["status"], bad["attempts"]) == ("dead", 2)
        assert "control character" in str(bad["last_error"])
        assert len(healthy.received) == 1  # the healthy one, once; the poisoned one never sent


def test_a_dripping_receiver_is_cut_at_the_attempt_deadline(hooks: Scene) -> None:
    """A byte every 0.5 s: each read well within the timeout, the whole answer never."""
    deadline = 1.5
    with dripping(hooks.tmp_path, interval=0.5) as url:
        hooks.subscribe(url)
        hooks.open_cases()
        w = hooks.worker(hooks.with_settings(webhook_timeout_seconds=deadline))
        assert w.lease.total_seconds() > (deadline + 30) * w.batch  # longer than any batch
        started = time.monotonic()
        assert w.step().failed == 1
        took = time.monotonic() - started
    # cut at the deadline: not before it, and not long after (without it: 80 min and more)
    assert deadline - 0.05 <= took < deadline + 1.5, took
    (row,) = hooks.deliveries()
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, None)
    assert "timed out" in str(row["last_error"])


def test_a_revoked_client_or_a_kind_no_longer_followed_is_sent_nothing_more(
    hooks: Scene,
) -> None:
    with hooks.receiver(lambda _: 500) as down:
        revoked = hooks.subscribe(down.url)
        narrowed = hooks.subscribe(down.url, client_kinds=[*OPENED, "Case.ReferralMade"])
        hooks.open_cases()
        w = hooks.worker()
        assert w.step().failed == 2  # queued, to be retried
        registry = ClientRegistry(hooks.engine)
        registry.revoke(revoked.subscription.client_id, by=ADMIN)
        registry.update(narrowed.subscription.client_id, by=ADMIN, kinds=["Case.ReferralMade"])
        hooks.clock.move(hours=1)
        after = w.step()  # both dead, not sent: counted dead
        assert (after.delivered, after.failed, after.dead) == (0, 0, 2)
        assert len(down.received) == 2  # the first attempts only
        rows = hooks.by_subscription()
        gone = rows[str(revoked.subscription.subscription_id)]
        assert (gone["status"], gone["attempts"]) == ("dead", 1)
        assert "revoked" in str(gone["last_error"])
        out = rows[str(narrowed.subscription.subscription_id)]
        assert (out["status"], out["attempts"]) == ("dead", 1)
        assert "no longer" in str(out["last_error"])


def test_a_removed_subscription_sends_nothing_queued_and_a_paused_one_resumes(
    hooks: Scene,
) -> None:
    up = {"now": False}
    with hooks.receiver(lambda _: 200 if up["now"] else 500) as receiver:
        removed = hooks.subscribe(receiver.url)
        paused = hooks.subscribe(receiver.url)
        hooks.open_cases()
        w = hooks.worker()
        assert w.step().failed == 2  # one queued for each, to be retried
        subscriptions = Subscriptions(hooks.engine, hooks.settings, hooks.clock)
        subscriptions.remove(removed.subscription.subscription_id, by=ADMIN)
        subscriptions.update(paused.subscription.subscription_id, by=ADMIN, active=False)
        rows = hooks.by_subscription()
        gone = rows[str(removed.subscription.subscription_id)]
        # at once, not left pending for ever (an operator's "oldest pending" alarm)
        assert (gone["status"], gone["attempts"]) == ("dead", 1)
        assert "removed" in str(gone["last_error"])
        up["now"] = True
        hooks.clock.move(hours=1)
        assert w.step().sent == 0  # neither: removed, paused
        assert len(receiver.received) == 2
        waiting = hooks.by_subscription()[str(paused.subscription.subscription_id)]
        assert (waiting["status"], waiting["attempts"]) == ("pending", 1)

        subscriptions.update(paused.subscription.subscription_id, by=ADMIN, active=True)
        assert w.step().delivered == 1  # the paused one's queued delivery, once resumed
        rows = hooks.by_subscription()
        assert rows[str(paused.subscription.subscription_id)]["status"] == "delivered"
        assert rows[str(removed.subscription.subscription_id)]["status"] == "dead"
        assert len(receiver.received) == 3


def test_a_delivery_in_flight_when_its_subscription_is_removed_is_not_sent_again(
    hooks: Scene,
) -> None:
    with hooks.receiver() as receiver:
        created = hooks.subscribe(receiver.url)
        hooks.open_cases()
        engine, now, lease = hooks.engine, hooks.clock(), timedelta(minutes=5)
        derive(engine, now)
        (in_flight,) = claim(engine, now, lease=lease, limit=10)  # a worker is sending it
        Subscriptions(engine, hooks.settings, hooks.clock).remove(
            created.subscription.subscription_id, by=ADMIN
        )
        (row,) = hooks.deliveries()
        assert row["status"] == "pending"  # left to the worker sending it
        failed = Outcome(None, "ReadTimeout")
        assert settle(engine, in_flight, failed, now, max_attempts=8, wait=lambda _: lease) == (
            "pending"
        )
        hooks.clock.move(hours=1)
        after = hooks.worker().step()  # dead, not sent: counted dead
        assert (after.delivered, after.failed, after.dead) == (0, 0, 1)
        assert receiver.received == []
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"], row["last_error"]) == ("dead", 1, REMOVED)
