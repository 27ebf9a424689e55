"""What an operator sees: a request id on every answer and log line, Prometheus metrics, and
structured logs that carry no personal data (routes as templates, never ids, names or bodies).

Metrics live in a registry of the app (not the process-global one), so several apps in one
process (tests) never clash; under several worker processes, each serves its own counts and the
scraper sums them (the projection lag is read from the shared store, the same from any worker).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("maillage.api")

REQUEST_ID = ContextVar[str | None]("maillage_request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class Metrics:
    def __init__(self) -> None:
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

    def watch_projections(self, lag: Callable[[], Any]) -> None:
        self.registry.register(_ProjectionLag(lag))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


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


def route_template(request: Request) -> str:
    """The matched route's path template (`/cases/{case_id}`), never the concrete path (set by
    the router in the scope once it has matched)."""
    route = request.scope.get("route")
    return str(getattr(route, "path", None) or "unmatched")


def install(app: FastAPI, metrics: Metrics) -> None:
    @app.middleware("http")
    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        given = request.headers.get("x-request-id", "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.state.request_id = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            REQUEST_ID.reset(token)
        elapsed = time.perf_counter() - started
        route = route_template(request)
        metrics.requests.labels(request.method, route, str(response.status_code)).inc()
        metrics.latency.labels(request.method, route).observe(elapsed)
        response.headers["X-Request-ID"] = request_id
        log.info(
            "%s %s %d",
            request.method,
            route,
            response.status_code,
            extra={
                "request_id": request_id,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 2),
                "role": getattr(request.state, "role", None),
                "rule": getattr(request.state, "error_rule", None),
            },
        )
        return response


_FIELDS = ("request_id", "route", "status", "duration_ms", "role", "rule", "command", "outcome")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the known context fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for name in _FIELDS[1:]:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        return json.dumps(line, ensure_ascii=False)


def configure_logging(fmt: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # /ready checks the revision often
