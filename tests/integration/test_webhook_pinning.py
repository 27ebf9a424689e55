"""DNS rebinding closed in the worker, on the store under test and without the network: the
target's host is resolved once per attempt, its addresses checked, and the connection made to
those checked addresses only, TLS verified for the name; redirects are not followed."""

from __future__ import annotations

from tests.integration.webhook_setup import Scene
from tests.webhook_receivers import PUBLIC_ADDRESS, FakeDNS, Network


def test_a_name_rebound_to_loopback_between_check_and_connection_reaches_nothing(
    hooks: Scene,
) -> None:
    """The DNS answers a public address to the first question and 127.0.0.1 to any later one:
    with a check and then another resolution to connect, the request would reach loopback."""
    with hooks.receiver() as internal:
        port = internal.port
        hooks.subscribe(f"https://localhost:{port}/hooks/maillage")  # accepted while allowed
        hooks.open_cases()
        strict = hooks.store_settings.model_copy(update={"webhook_allow_private_targets": False})
        dns = FakeDNS({"localhost": [PUBLIC_ADDRESS]}, then={"localhost": ["127.0.0.1"]})
        network = Network()
        w = hooks.worker(strict, resolver=dns, network=network)
        assert w.step().failed == 1
        assert dns.asked == ["localhost"]  # once for the attempt
        assert network.asked == [(PUBLIC_ADDRESS, port)]  # the checked address, only
        assert internal.received == []
        (row,) = hooks.deliveries()
        assert "ConnectError" in str(row["last_error"])

        hooks.clock.move(hours=1)  # the next attempt: the DNS now answers loopback
        assert w.step().failed == 1
        assert dns.asked == ["localhost", "localhost"]
        assert network.asked == [(PUBLIC_ADDRESS, port)]  # no connection at all
        assert internal.received == []
        (row,) = hooks.deliveries()
        assert str(row["last_error"]).startswith("target refused")
        assert "127.0.0.1" in str(row["last_error"])


def test_the_connection_goes_to_the_address_resolved_with_tls_and_host_for_the_name(
    hooks: Scene,
) -> None:
    """Private targets allowed: a name only the worker's resolver knows, pointed at the
    receiver. Delivered there — to the address resolved, the certificate verified for the name
    (the receiver's names `hooks.example.org`, not `other.example.net`), the `Host` the name."""
    with hooks.receiver() as local:
        port = local.port
        named = hooks.subscribe(f"https://hooks.example.org:{port}/in")
        other = hooks.subscribe(f"https://other.example.net:{port}/in")
        hooks.open_cases()
        dns = FakeDNS(
            {"hooks.example.org": ["127.0.0.1"], "other.example.net": ["127.0.0.1"]},
            then={"hooks.example.org": ["10.9.9.9"], "other.example.net": ["10.9.9.9"]},
        )
        network = Network()
        w = hooks.worker(resolver=dns, network=network)
        done = w.step()
        assert (done.delivered, done.failed) == (1, 1)
        assert sorted(dns.asked) == ["hooks.example.org", "other.example.net"]
        assert network.asked == [("127.0.0.1", port)] * 2  # never 10.9.9.9
        (got,) = local.received
        assert got.headers["host"] == f"hooks.example.org:{port}"
        rows = hooks.by_subscription()
        assert rows[str(named.subscription.subscription_id)]["status"] == "delivered"
        refused = rows[str(other.subscription.subscription_id)]
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused["last_error"])
        assert "other.example.net" in str(refused["last_error"])


def test_a_loopback_receiver_by_name_and_redirects_not_followed(hooks: Scene) -> None:
    """Private targets allowed, the system's resolver: `localhost` is delivered to; a
    receiver answering a redirect is not followed (a failed attempt, sent once)."""
    with hooks.receiver() as local, hooks.receiver(lambda _: 307) as moved:
        port = local.port
        moved.headers["location"] = local.url
        hooks.subscribe(f"https://localhost:{port}/in")
        hooks.subscribe(moved.url)
        hooks.open_cases()
        done = hooks.worker().step()
        assert (done.delivered, done.failed) == (1, 1)
        assert len(local.received) == 1  # its own delivery only: the redirect not followed
        assert len(moved.received) == 1
        errors = {str(r["last_error"]) for r in hooks.deliveries()}
        assert errors == {"None", "HTTP 307: redirect not followed"}
