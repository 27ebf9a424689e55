"""What an operator sees: a request id on every answer and log line, Prometheus metrics, and
structured logs that carry no personal data (routes as templates, never ids, names or bodies).
Every answer carries `Server-Timing: app;dur=<ms>`: the time the app took until its answer
started, as a browser's developer tools or the benchmark (`bench/service.py`) read it.

Metrics live in a registry of the app (not the process-global one), so several apps in one
process (tests) never clash. Under several worker processes (`PROMETHEUS_MULTIPROC_DIR`, which
`maillage serve --workers N` prepares), every worker writes its samples to shared files and any
worker's `/metrics` shows them all, summed (see `api.http.multiprocess`); the projection lag is
read from the shared store at scrape time, the same from any worker.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http import multiprocess
from api.http.asgi import HttpMiddleware, state_of
from api.logs import REQUEST_ID

log = logging.getLogger("maillage.api")

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class Metrics:
    def __init__(self) -> None:
        self.files = multiprocess.directory()  # None: this process's registry is the whole story
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "maillage_http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "maillage_http_request_duration_seconds",
            "Time to answer, by route template.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.commands = Counter(
            "maillage_commands",
            "Commands run, by name and outcome (recorded, or the rule that refused them).",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "maillage_http_requests_in_flight",
            "Requests being answered now (summed over the live workers).",
            registry=self.registry,
            multiprocess_mode="livesum",  # a stopped worker's requests are no longer in flight
        )
        self.projection_lag: Collector | None = None

    def watch_projections(self, lag: Callable[[], Any]) -> None:
        self.projection_lag = _ProjectionLag(lag)
        self.registry.register(self.projection_lag)

    def exposition(self) -> bytes:
        if self.files is None:
            return generate_latest(self.registry)
        live = [self.projection_lag] if self.projection_lag else []
        return generate_latest(multiprocess.every_worker(self.files, *live))

    def process_ended(self) -> None:
        if self.files is not None:
            multiprocess.process_ended(self.files)


class _ProjectionLag(Collector):
    def __init__(self, lag: Callable[[], Any]) -> None:
        self.lag = lag

    def collect(self) -> Iterator[GaugeMetricFamily]:
        behind = GaugeMetricFamily(
            "maillage_projection_lag_events",
            "Events in the log a projection has not applied yet.",
            labels=["projection"],
        )
        try:
            for entry in self.lag():
                behind.add_metric([entry.name], entry.behind)
        except Exception as error:  # a scrape must not fail because the store is away
            log.warning("projection lag unavailable: %s", type(error).__name__)
        yield behind

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/cases/{case_id}`), never the concrete path (set by
    the router in the scope once it has matched)."""
    route = scope.get("route")
    return str(getattr(route, "path", None) or "unmatched")


class Observe(HttpMiddleware):
    """Outermost middleware: a request id on the answer and in every log line, the request's
    metrics, and one log line per request (route template, status, duration, role, rule).
    When the app shuts down, its worker leaves the live sums of the shared metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await super().__call__(scope, receive, send)
            return

        async def send_noting_shutdown(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                self.metrics.process_ended()
            await send(message)

        await self.app(scope, receive, send_noting_shutdown)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        state = state_of(scope)
        state["request_id"] = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        self.metrics.in_flight.inc()
        status = 500  # unless an answer starts: an exception escaped, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers.append("X-Request-ID", request_id)
                took = (time.perf_counter() - started) * 1000
                headers.append("Server-Timing", f"app;dur={took:.2f}")
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)
            self.metrics.in_flight.dec()
            self._record(scope, state, request_id, status, time.perf_counter() - started)

    def _record(
        self, scope: Scope, state: dict[str, Any], request_id: str, status: int, elapsed: float
    ) -> None:
        method = scope["method"]
        route = route_template(scope)
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(elapsed)
        log.info(
            "%s %s %d",
            method,
            route,
            status,
            extra={
                "request_id": request_id,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "role": state.get("role"),
                "rule": state.get("error_rule"),
            },
        )


def install(app: FastAPI, metrics: Metrics) -> None:
    app.add_middleware(Observe, metrics=metrics)
