"""Opt-in OpenTelemetry traces (`MAILLAGE_OTEL_ENABLED`), caught by an in-memory exporter: a
request is one server span named by its route template, the SQL it runs are its children, and
no span carries a concrete path, a query string, a statement's parameters or a token."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import api.http
from api.http import otel, tracing
from api.http.app import create_app
from api.http.auth import mint_token
from api.http.deps import parts_of, services_of
from api.settings import Settings
from domain.access import Role
from domain.timing import TimePolicy
from tests.world import NOW, World

COHERENCE = "/cases/{case_id}/coherence"


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """The spans the app exports, in memory instead of OTLP or the console."""
    exporter = InMemorySpanExporter()
    monkeypatch.setattr(otel, "default_exporter", lambda: (exporter, "memory"))
    yield exporter
    exporter.shutdown()


def texts(span: ReadableSpan) -> list[str]:
    """Everything a span would tell a tracing backend, as text."""
    values = [str(value) for value in (span.attributes or {}).values()]
    events = [str(e.attributes) for e in span.events]
    return [span.name, *values, *events, str(span.status.description)]


async def test_a_request_is_a_span_of_its_route_template_with_its_sql_as_children(
    store_settings: Settings, spans: InMemorySpanExporter
) -> None:
    settings = store_settings.model_copy(
        update={
            "otel_enabled": True,
            "embedded_projections": True,  # its polling SQL is outside requests: not traced
            "projection_poll_seconds": 0.01,
        }
    )
    app = create_app(settings, time=TimePolicy(clock=lambda: NOW))
    async with app.router.lifespan_context(app):
        world = World.build(services_of(app).maillage)
        token = mint_token(
            settings,
            subject=world.professionals["jeanne"],
            role=Role.CASE_WORKER,
            institution_id=world.institutions["aemo"],
            now=NOW,
        )
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            opened = await client.post(
                "/cases",
                json={
                    "beneficiary": {"first_name": "Léonard", "last_name": "Zwiller"},
                    "legal_framework": "judicial",
                },
                headers={**headers, "Idempotency-Key": "trace-1"},
            )
            assert opened.status_code == 201, opened.text
            case_id, position = opened.json()["id"], opened.json()["position"]
            view = await client.get(
                f"/cases/{case_id}/coherence",
                params={"purpose": "follow_up", "after": position},
                headers=headers,
            )
            assert view.status_code == 200, view.text
    assert parts_of(app).traces.provider.force_flush()
    finished = spans.get_finished_spans()

    [server] = [s for s in finished if s.kind is SpanKind.SERVER and s.name.endswith(COHERENCE)]
    assert server.name == f"GET {COHERENCE}"
    assert server.attributes is not None
    assert server.attributes["http.route"] == COHERENCE
    assert server.attributes["http.target"] == COHERENCE  # not the concrete path
    sql = [
        s
        for s in finished
        if s.kind is SpanKind.CLIENT
        and s.parent is not None
        and s.parent.span_id == server.context.span_id
    ]
    assert any("case_coherence_view" in str(s.attributes) for s in sql), sql
    assert all(s.context.trace_id == server.context.trace_id for s in sql)

    assert all(s.parent is not None for s in finished if s.kind is SpanKind.CLIENT)
    for span in finished:
        for text in texts(span):
            assert case_id not in text, (span.name, text)
            assert "follow_up" not in text  # the query string
            assert "Zwiller" not in text
            assert token not in text
            assert "trace-1" not in text  # headers are not recorded


def test_traces_are_off_by_default_and_their_packages_not_even_imported() -> None:
    """(FastAPI itself imports the OpenTelemetry API when it is installed: not the SDK.)"""
    assert Settings().otel_enabled is False
    run = (
        "import sys\n"
        "from api.http.app import create_app\n"
        "from api.settings import Settings\n"
        "app = create_app(Settings(database_url='sqlite:///never-opened.sqlite3'))\n"
        "from api.http.deps import parts_of\n"
        "assert not parts_of(app).traces.enabled\n"
        "assert not getattr(app, '_is_instrumented_by_opentelemetry', False)\n"
        "heavy = ('opentelemetry.sdk', 'opentelemetry.instrumentation', 'api.http.otel')\n"
        "assert not [m for m in sys.modules if m.startswith(heavy)], 'imported'\n"
    )
    subprocess.run([sys.executable, "-c", run], check=True)


def test_traces_asked_for_without_the_packages_stop_the_start(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "api.http.otel", None)  # as if not installed
    monkeypatch.delattr(api.http, "otel")
    with pytest.raises(tracing.TracingUnavailableError, match=r"maillage\[otel\]"):
        create_app(store_settings.model_copy(update={"otel_enabled": True}))
