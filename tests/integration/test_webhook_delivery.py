"""Webhooks delivered by the worker (issue 19) on the store under test, to receivers the tests run
on loopback: every event the client may see delivered once (also with two workers at once), a
failing receiver retried with backoff until it recovers, a hanging one timed out, a dead letter
after the limit and sent again, and a client of another institution sent nothing of a case it has
no part in."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from api.integration.webhooks.outbox import Outcome, claim, derive, settle
from api.integration.webhooks.reports import progress
from api.integration.webhooks.subscriptions import Subscriptions
from projections.feed import feed_page
from tests.integration.webhook_setup import ADMIN, CASE_KINDS, Clock, Scene
from tests.webhook_receivers import Received


def _story(hooks: Scene) -> None:
    """A case of AEMO, referred to ASE, which accepts."""
    world = hooks.world
    case = world.open_case()
    referral = world.refer(case, "jeanne", "ase")
    hooks.app.accept_referral(case_id=case, referral_id=referral, by=world.actor("karim"))


def test_each_event_the_client_may_see_is_delivered_once_even_with_two_workers(
    hooks: Scene,
) -> None:
    engine, aemo = hooks.engine, hooks.world.i("aemo")
    _story(hooks)  # before the subscription: not sent (GET /feed serves it)
    hooks.project()
    with hooks.receiver() as healthy:
        created = hooks.subscribe(healthy.url, CASE_KINDS)
        start = created.subscription.cursor
        with engine.connect() as conn:
            before = feed_page(conn, aemo, after=0, limit=1000, kinds=CASE_KINDS)
        assert len(before) == 4
        assert before[-1].position <= start
        for _ in range(4):
            _story(hooks)
        hooks.project()
        with engine.connect() as conn:
            expected = feed_page(conn, aemo, after=start, limit=1000, kinds=CASE_KINDS)
        assert len(expected) == 16  # 4 cases × opened, consent, referral made, accepted
        workers = [hooks.worker(clock=None) for _ in range(2)]
        threads = [threading.Thread(target=w.drain) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for w in workers:
            w.drain()  # whatever a loser of a race left (nothing, normally)
        ids = healthy.ids()
        assert len(ids) == len(set(ids)) == len(expected)  # each once, none twice
        positions = sorted(json.loads(r.body)["data"]["position"] for r in healthy.received)
        assert positions == [r.position for r in expected]
        first = json.loads(healthy.received[0].body)
        assert set(first) == {"type", "timestamp", "data"}
        assert first["type"] in CASE_KINDS
        assert "beneficiary" not in json.dumps(first)  # no personal field
        rows = hooks.deliveries()
        assert {r["status"] for r in rows} == {"delivered"}
        assert all(r["attempts"] == 1 for r in rows)
        # deriving again finds nothing new: never twice
        assert derive(engine, Clock()()) == 0
        assert len(hooks.deliveries()) == len(expected)
        (status,) = progress(engine)
        assert (status.pending, status.delivered, status.dead) == (0, len(expected), 0)


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(hooks: Scene) -> None:
    settings = hooks.with_settings(webhook_backoff_seconds=10.0, webhook_backoff_max_seconds=15.0)
    answers = iter([500, 503, 200])
    with hooks.receiver(lambda _: next(answers)) as flaky:
        hooks.subscribe(flaky.url)
        hooks.open_cases()
        clock = hooks.clock
        w = hooks.worker(settings)
        assert w.step().failed == 1
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, 500)
        waited = row["next_attempt_at"].replace(tzinfo=clock.at.tzinfo) - clock.at
        assert waited == timedelta(seconds=10)  # base × 2^0, jitter at its largest
        assert w.step().sent == 0  # not due yet: nothing sent
        clock.move(seconds=10)
        assert w.step().failed == 1
        (row,) = hooks.deliveries()
        waited = row["next_attempt_at"].replace(tzinfo=clock.at.tzinfo) - clock.at
        assert waited == timedelta(seconds=15)  # base × 2^1 = 20, capped at 15
        clock.move(seconds=15)
        assert w.step().delivered == 1
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"], row["last_status_code"]) == ("delivered", 3, 200)
        assert len(set(flaky.ids())) == 1
        assert len(flaky.ids()) == 3


def test_a_receiver_that_does_not_answer_in_time_counts_as_a_failed_attempt(
    hooks: Scene,
) -> None:
    with hooks.receiver() as hanging:

        def hang(_: Received) -> int:
            hanging.release.wait(timeout=10)
            return 200

        hanging.answer = hang
        hooks.subscribe(hanging.url)
        hooks.open_cases()
        assert hooks.worker(hooks.with_settings(webhook_timeout_seconds=0.2)).step().failed == 1
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"]) == ("pending", 1)
        assert row["last_status_code"] is None
        assert "timed out" in row["last_error"]


def test_a_delivery_is_dead_after_the_limit_and_sent_again_on_request(hooks: Scene) -> None:
    settings = hooks.with_settings(webhook_max_attempts=3, webhook_backoff_seconds=1.0)
    healthy = {"now": False}
    with hooks.receiver(lambda _: 200 if healthy["now"] else 500) as down:
        created = hooks.subscribe(down.url)
        hooks.open_cases()
        clock = hooks.clock
        w = hooks.worker(settings)
        for _ in range(3):
            w.step()
            clock.move(hours=1)
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"], row["last_error"]) == ("dead", 3, "HTTP 500")
        assert w.step().sent == 0  # a dead letter is not tried again by itself
        assert len(down.received) == 3
        (status,) = progress(hooks.engine)
        assert (status.pending, status.dead) == (0, 1)

        healthy["now"] = True
        again = Subscriptions(hooks.engine, settings, clock).redeliver(row["delivery_id"], by=ADMIN)
        assert (again.status, again.attempts) == ("pending", 0)
        assert w.step().delivered == 1
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"]) == ("delivered", 1)
        assert down.ids()[-1] == row["delivery_id"]
        assert row["subscription_id"] == str(created.subscription.subscription_id)
        assert w.step().sent == 0  # delivered: never sent again by itself
        assert len(down.received) == 4


def test_a_client_of_another_institution_is_sent_nothing_of_a_case_it_has_no_part_in(
    hooks: Scene,
) -> None:
    with hooks.receiver() as cmp_receiver:
        hooks.subscribe(cmp_receiver.url, CASE_KINDS, institution="cmp")
        _story(hooks)  # AEMO and ASE only
        hooks.project()
        done = hooks.worker(clock=None).drain()
        assert done.derived == 0
        assert cmp_receiver.received == []
        assert hooks.deliveries() == []


def test_the_worker_checks_the_target_again_before_each_attempt(hooks: Scene) -> None:
    """Accepted while private targets were allowed; refused at the attempt once they are not."""
    with hooks.receiver() as local:
        hooks.subscribe(local.url)
        hooks.open_cases()
        strict = hooks.store_settings.model_copy(update={"webhook_allow_private_targets": False})
        assert hooks.worker(strict).step().failed == 1
        assert local.received == []
        (row,) = hooks.deliveries()
        assert row["last_error"].startswith("target refused")
        assert "127.0.0.1" in row["last_error"]


def test_a_crashed_workers_claim_expires_and_is_taken_over_once(hooks: Scene) -> None:
    """At least once: a worker that claimed a delivery and died leaves it to another once its
    lease ends (not before), with the same webhook-id; its late answer is not recorded."""
    with hooks.receiver() as healthy:
        hooks.subscribe(healthy.url)
        hooks.open_cases()
        engine, lease = hooks.engine, timedelta(minutes=5)
        derive(engine, hooks.clock())
        (crashed,) = claim(engine, hooks.clock(), lease=lease, limit=10)  # then nothing
        w = hooks.worker()
        assert w.step().sent == 0  # leased: not sent by another meanwhile
        hooks.clock.move(minutes=5, seconds=1)
        assert w.step().delivered == 1
        assert healthy.ids() == [crashed.delivery_id]
        late = settle(
            engine,
            crashed,
            Outcome(500, "HTTP 500"),
            hooks.clock(),
            max_attempts=8,
            wait=lambda _: lease,
        )
        assert late is None  # the claim was taken over: its attempt is the one recorded
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"], row["last_status_code"]) == ("delivered", 1, 200)
        assert w.step().sent == 0
        assert len(healthy.received) == 1
