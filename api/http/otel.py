"""OpenTelemetry traces of requests and of the SQL they run (imported by `api.http.tracing`
only when traces are on).

- Each process has its own tracer provider, not the global one: the app owns what it set up.
- Exporter: OTLP over HTTP (or gRPC) if `opentelemetry-exporter-otlp` is installed, configured
  by the standard `OTEL_EXPORTER_OTLP_*` variables; otherwise the console (stdout), so that
  turning traces on always shows something. The log says which.
- Personal data: a server span carries the route template (`/cases/{case_id}`), never the
  concrete path, the query string or the client's address; SQL spans carry the statement with
  its placeholders, never its parameters (the instrumentation records none, and sqlcommenter
  stays off). Request and response headers are not recorded.
- Sampling: every request is traced (and a caller's sampling decision in `traceparent` is
  followed); SQL outside a request, such as the in-process projection follower polling the log,
  is not, or it would drown the requests.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from opentelemetry.context import Context
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import get_meter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, Span, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes
from sqlalchemy import Engine

log = logging.getLogger("maillage.api")

WITHHELD = "withheld"
# Attributes the HTTP instrumentation fills from the concrete request (old and new semantic
# conventions): replaced by the route template, or withheld.
_PATHS = ("http.target", "http.url", "url.path", "url.full")
_WITHHELD = ("url.query", "net.peer.ip", "net.peer.port", "client.address", "client.port")


_OTLP = (
    ("opentelemetry.exporter.otlp.proto.http.trace_exporter", "OTLP (HTTP)"),
    ("opentelemetry.exporter.otlp.proto.grpc.trace_exporter", "OTLP (gRPC)"),
)


def default_exporter() -> tuple[SpanExporter, str]:
    """OTLP if an exporter package is installed (HTTP preferred), else the console."""
    for module, where in _OTLP:
        try:
            exporter: SpanExporter = importlib.import_module(module).OTLPSpanExporter()
        except ImportError:
            continue
        return exporter, where
    return ConsoleSpanExporter(), "the console (install opentelemetry-exporter-otlp for OTLP)"


class RequestsOnly(Sampler):
    """Root spans only for requests served; anything else is traced inside a request or not
    at all (used under `ParentBased`, which follows the parent's decision)."""

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if kind is SpanKind.SERVER:
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, trace_state)
        return SamplingResult(Decision.DROP, None, trace_state)

    def get_description(self) -> str:
        return "RequestsOnly"


def tracer_provider() -> TracerProvider:
    name = os.environ.get("OTEL_SERVICE_NAME") or "maillage"
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: name}),
        sampler=ParentBased(root=RequestsOnly()),
    )
    exporter, where = default_exporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    log.info("OpenTelemetry traces on, exported to %s", where)
    return provider


def templates_only(span: Span, scope: dict[str, Any]) -> None:
    """Server request hook: the concrete path (ids of people's cases) gives way to the route
    template the instrumentation matched; the query string and the client's address go."""
    if not span.is_recording():
        return
    recorded = getattr(span, "attributes", None) or {}
    route = str(recorded.get("http.route") or "unmatched")
    for key in _PATHS:
        if key in recorded:
            span.set_attribute(key, route)
    for key in _WITHHELD:
        if key in recorded:
            span.set_attribute(key, WITHHELD)


def instrument_app(app: FastAPI, provider: TracerProvider) -> None:
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        server_request_hook=templates_only,
        exclude_spans=["receive", "send"],  # one span per request, not one per ASGI message
    )


def instrument_engine(engine: Engine, provider: TracerProvider) -> None:
    """Spans for the SQL run on `engine`, children of the request running it.

    `EngineTracer` is what `SQLAlchemyInstrumentor().instrument(engine=...)` installs; called
    directly, it takes this app's tracer provider instead of the instrumentor's one-per-process
    state (tests build several apps in one process)."""
    tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
    connections = get_meter(__name__).create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    EngineTracer(tracer, engine, connections)  # type: ignore[no-untyped-call]
