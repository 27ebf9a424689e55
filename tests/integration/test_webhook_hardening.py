"""The webhook worker after the security review (issue 19), on the store under test: a poisoned
target does not stop the others' deliveries and ends dead; a receiver dripping its answer is cut
at the attempt's deadline; a revoked client, or a kind no longer followed, is sent nothing more."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, update

from api.integration.clients import ClientRegistry
from api.integration.webhooks.tables import webhook_subscription
from api.settings import Settings
from domain.application import Maillage
from tests.integration.webhook_setup import (
    ADMIN,
    Clock,
    deliveries,
    loopback_settings,
    project,
    subscribe,
    worker,
)
from tests.webhook_receivers import make_certificate, receiver
from tests.world import World

OPENED = ["Case.CaseOpened"]


def test_a_poisoned_target_does_not_stop_the_others_and_ends_dead(
    store_world: World,
    store_app: Maillage,
    engine: Engine,
    store_settings: Settings,
    tmp_path: Path,
) -> None:
    settings = loopback_settings(store_settings, webhook_max_attempts=2)
    project(store_app, engine)
    with receiver(tmp_path) as healthy:
        poisoned = subscribe(engine, settings, store_world.i("aemo"), healthy.url, kinds=OPENED)
        with engine.begin() as conn:  # past the API, straight into the table
            conn.execute(
                update(webhook_subscription)
                .where(
                    webhook_subscription.c.subscription_id
                    == str(poisoned.subscription.subscription_id)
                )
                .values(url=healthy.url + "hook\n")
            )
        good = subscribe(engine, settings, store_world.i("aemo"), healthy.url, kinds=OPENED)
        store_world.open_case()
        project(store_app, engine)
        clock = Clock()
        w = worker(engine, settings, tmp_path, clock)
        first = w.step()
        assert (first.delivered, first.failed) == (1, 1)
        clock.move(hours=1)
        second = w.step()
        assert (second.delivered, second.dead) == (0, 1)
        rows = {str(r["subscription_id"]): r for r in deliveries(engine)}
        ok = rows[str(good.subscription.subscription_id)]
        bad = rows[str(poisoned.subscription.subscription_id)]
        assert (ok["status"], ok["attempts"]) == ("delivered", 1)
        assert (bad["status"], bad["attempts"]) == ("dead", 2)
        assert "control character" in str(bad["last_error"])
        assert len(healthy.received) == 1  # the healthy one, once; the poisoned one never sent


@contextmanager
def dripping(tmp_path: Path, interval: float) -> Iterator[str]:
    """An HTTPS receiver on loopback that answers one byte of its status line every
    `interval` seconds, for as long as it is listened to."""
    cert_file, key_file = make_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    conn.recv(65536)
                    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Drip: " + b"x" * 10_000:
                        if stop.wait(interval):
                            return
                        conn.sendall(bytes([byte]))
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_dripping_receiver_is_cut_at_the_attempt_deadline(
    store_world: World,
    store_app: Maillage,
    engine: Engine,
    store_settings: Settings,
    tmp_path: Path,
) -> None:
    timeout = 1.0
    settings = loopback_settings(store_settings, webhook_timeout_seconds=timeout)
    project(store_app, engine)
    with dripping(tmp_path, interval=0.2) as url:  # each read well within the timeout
        subscribe(engine, settings, store_world.i("aemo"), url, kinds=OPENED)
        store_world.open_case()
        project(store_app, engine)
        w = worker(engine, settings, tmp_path, Clock())
        assert w.lease.total_seconds() > (timeout + 30) * w.batch  # longer than any batch
        started = time.monotonic()
        assert w.step().failed == 1
        took = time.monotonic() - started
    assert took < 3 * timeout  # a bound on a hang, not a speed test (it ran 20 s and more)
    (row,) = deliveries(engine)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, None)
    assert "timed out" in str(row["last_error"])


def test_a_revoked_client_or_a_kind_no_longer_followed_is_sent_nothing_more(
    store_world: World,
    store_app: Maillage,
    engine: Engine,
    store_settings: Settings,
    tmp_path: Path,
) -> None:
    settings = loopback_settings(store_settings)
    project(store_app, engine)
    with receiver(tmp_path, lambda _: 500) as down:
        revoked = subscribe(engine, settings, store_world.i("aemo"), down.url, kinds=OPENED)
        narrowed = subscribe(
            engine,
            settings,
            store_world.i("aemo"),
            down.url,
            kinds=OPENED,
            client_kinds=[*OPENED, "Case.ReferralMade"],
        )
        store_world.open_case()
        project(store_app, engine)
        clock = Clock()
        w = worker(engine, settings, tmp_path, clock)
        assert w.step().failed == 2  # queued, to be retried
        registry = ClientRegistry(engine)
        registry.revoke(revoked.subscription.client_id, by=ADMIN)
        registry.update(narrowed.subscription.client_id, by=ADMIN, kinds=["Case.ReferralMade"])
        clock.move(hours=1)
        assert w.step().sent == 0
        assert len(down.received) == 2  # the first attempts only
        rows = {str(r["subscription_id"]): r for r in deliveries(engine)}
        gone = rows[str(revoked.subscription.subscription_id)]
        assert (gone["status"], gone["attempts"]) == ("dead", 1)
        assert "revoked" in str(gone["last_error"])
        out = rows[str(narrowed.subscription.subscription_id)]
        assert (out["status"], out["attempts"]) == ("dead", 1)
        assert "no longer" in str(out["last_error"])
