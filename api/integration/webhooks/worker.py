"""The delivery worker (`maillage deliver`): derive deliveries from the feed, claim those due,
send each one signed, settle it.

Each attempt: the target's form is checked again, then the payload is POSTed as JSON with the
Standard Webhooks headers, redirects not followed, within `webhook_timeout_seconds` for the whole
attempt; the host is resolved once when connecting, its addresses checked again (what it resolves
to may have changed since the subscription was accepted) and the connection made to those checked
addresses only (`transport`: DNS rebinding pinned). A 2xx answer delivers it; any other answer,
a refused target, a timeout or a network error is a failed attempt, retried after an exponential
backoff with jitter (`outbox.backoff`) until `webhook_max_attempts`, then dead (dead letter:
`maillage deliver --redeliver ID` or the admin route sends it again).

The clock and the randomness are injected, so tests run the backoff without waiting; so are the
certificates trusted (tests trust their receivers'), the resolver and the network backend under
the guard (tests stand in for a hostile DNS and a public host). Logs name the subscription, the
delivery and the host, never the payload, the secret nor the URL's path or query.
"""

from __future__ import annotations

import logging
import random as _random
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpcore
import httpx
from sqlalchemy import Engine

from api.integration.webhooks.deadline import within
from api.integration.webhooks.outbox import Claimed, Outcome, backoff, claim, derive, settle
from api.integration.webhooks.signing import Signer
from api.integration.webhooks.targets import Resolver, TargetRefusedError, check_form, resolve
from api.integration.webhooks.transport import GuardedBackend, GuardedTransport
from api.logs import quiet_http_clients
from api.settings import Settings
from domain.timing import utc_now

log = logging.getLogger("maillage.webhooks")
MAX_ERROR = 500
DNS_MARGIN = 30.0  # seconds a resolution may take (the system resolver's retries)


def http_client(
    settings: Settings,
    verify: ssl.SSLContext | bool = True,
    *,
    resolver: Resolver = resolve,
    network: httpcore.NetworkBackend | None = None,
) -> httpx.Client:
    """The client deliveries are sent with: connections to checked addresses only, resolved
    once (`transport`), no redirect followed, no proxy from the environment (it would reach
    what the target guard refuses), the configured timeout per operation (`within` bounds the
    whole attempt)."""
    backend = GuardedBackend(
        allow_private=settings.webhook_allow_private_targets, resolver=resolver, network=network
    )
    quiet_http_clients()  # in whatever process sends: no target's path or query in its log
    return httpx.Client(
        timeout=httpx.Timeout(settings.webhook_timeout_seconds),
        follow_redirects=False,
        trust_env=False,
        transport=GuardedTransport(verify, backend),
    )


@dataclass
class Step:
    """What one step of the worker did."""

    derived: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def sent(self) -> int:
        return self.delivered + self.failed + self.dead


@dataclass
class Deliverer:
    """The worker; `close()` it (or use it as a context manager) to close its connections."""

    engine: Engine
    settings: Settings
    clock: Callable[[], datetime] = utc_now
    random: Callable[[], float] = _random.random
    resolver: Resolver = resolve
    verify: ssl.SSLContext | bool = True
    network: httpcore.NetworkBackend | None = None
    batch: int = 20
    signer: Signer = field(init=False)
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.signer = Signer.of(self.settings)
        self.client = http_client(
            self.settings, self.verify, resolver=self.resolver, network=self.network
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def lease(self) -> timedelta:
        """Longer than the worst claimed batch: each attempt ends by its deadline
        (`webhook_timeout_seconds`, `deadline`), but for resolving its host (the system's
        resolver cannot be cut short: `DNS_MARGIN` each), with a margin."""
        worst = self.settings.webhook_timeout_seconds + DNS_MARGIN
        return timedelta(seconds=worst * self.batch + 30)

    def wait(self, attempts: int) -> timedelta:
        s = self.settings
        return backoff(
            attempts, s.webhook_backoff_seconds, s.webhook_backoff_max_seconds, self.random
        )

    def step(self) -> Step:
        """Derive what is new, then send one batch of due deliveries."""
        done = Step(derived=derive(self.engine, self.clock()))
        not_sent: list[str] = []  # dead without a request: out of scope, or removed
        batch = claim(
            self.engine, self.clock(), lease=self.lease, limit=self.batch, not_sent=not_sent
        )
        done.dead += len(not_sent)
        for claimed in batch:
            # each claimed delivery on its own: one that cannot be settled now (its claim
            # expires, another worker takes it over) never keeps the others from being sent
            try:
                outcome = self.attempt(claimed)
                status = settle(
                    self.engine,
                    claimed,
                    outcome,
                    self.clock(),
                    max_attempts=self.settings.webhook_max_attempts,
                    wait=self.wait,
                )
                self._log(claimed, outcome, status)
            except Exception as error:
                log.error(
                    "webhook %s (subscription %s) could not be settled: %s",
                    claimed.delivery_id,
                    claimed.subscription_id,
                    type(error).__name__,
                )
                continue
            if status == "delivered":
                done.delivered += 1
            elif status == "dead":
                done.dead += 1
            elif status == "pending":
                done.failed += 1
        return done

    def drain(self) -> Step:
        """Steps until nothing is due; the sum of what they did."""
        total = Step()
        while True:
            done = self.step()
            for name in ("derived", "delivered", "failed", "dead"):
                setattr(total, name, getattr(total, name) + getattr(done, name))
            if done.sent == 0:
                return total

    def follow(self, stop: threading.Event, *, interval: float = 1.0) -> None:
        """Keep delivering until `stop` is set; wait `interval` when nothing was due."""
        while not stop.is_set():
            try:
                done = self.step()
            except Exception:  # the store unreachable a moment: log it, keep following
                log.exception("webhook worker step failed; retrying")
                stop.wait(interval)
                continue
            if done.sent == 0:
                stop.wait(interval)

    def attempt(self, claimed: Claimed) -> Outcome:
        """One attempt to send `claimed`; never raises: whatever goes wrong (a refused or
        malformed target, a network error, anything unforeseen) is a failed attempt, retried
        with backoff and dead after the limit like any other."""
        try:
            return self._attempt(claimed)
        except Exception as error:  # never one bad target stopping the others
            log.warning(
                "webhook %s (subscription %s): attempt failed unexpectedly: %s",
                claimed.delivery_id,
                claimed.subscription_id,
                type(error).__name__,
            )
            return Outcome(None, f"attempt failed: {type(error).__name__}")

    def _attempt(self, claimed: Claimed) -> Outcome:
        try:  # its form here; its addresses when connecting, resolved once (`transport`)
            check_form(claimed.url, allow_http=self.settings.is_embedded)
        except TargetRefusedError as refused:
            return Outcome(None, f"target refused: {refused.message}"[:MAX_ERROR])
        headers = self.signer.headers(
            claimed.subscription_id,
            claimed.secret_version,
            claimed.delivery_id,
            self.clock(),
            claimed.payload,
        )
        request = self.client.build_request(
            "POST", claimed.url, content=claimed.payload.encode(), headers=headers
        )
        try:
            with within(self.settings.webhook_timeout_seconds):  # the whole attempt, not a read
                response = self.client.send(request, stream=True)  # the body is never read
                response.close()
        except TargetRefusedError as refused:
            return Outcome(None, f"target refused: {refused.message}"[:MAX_ERROR])
        except httpx.TimeoutException:
            seconds = self.settings.webhook_timeout_seconds
            return Outcome(None, f"timed out after {seconds:g} s")
        except httpx.HTTPError as error:
            return Outcome(None, f"{type(error).__name__}: {error}"[:MAX_ERROR])
        code = response.status_code
        if 200 <= code < 300:
            return Outcome(code, None)
        if 300 <= code < 400:
            return Outcome(code, f"HTTP {code}: redirect not followed")
        return Outcome(code, f"HTTP {code}")

    def _log(self, claimed: Claimed, outcome: Outcome, status: str | None) -> None:
        try:
            host = urlsplit(claimed.url).hostname
        except ValueError:
            host = "(malformed address)"
        attempt = claimed.attempts + 1
        if status is None:
            log.warning(
                "webhook %s (subscription %s): claim expired before attempt %d was recorded",
                claimed.delivery_id,
                claimed.subscription_id,
                attempt,
            )
        elif status == "delivered":
            log.info(
                "webhook %s delivered to %s (subscription %s, attempt %d, HTTP %s)",
                claimed.delivery_id,
                host,
                claimed.subscription_id,
                attempt,
                outcome.status_code,
            )
        else:
            log.warning(
                "webhook %s to %s (subscription %s) failed, attempt %d: %s; now %s",
                claimed.delivery_id,
                host,
                claimed.subscription_id,
                attempt,
                outcome.error,
                status,
            )
