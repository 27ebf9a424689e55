"""Opt-in OpenTelemetry traces (`MAILLAGE_OTEL_ENABLED=true`), off by default.

This module decides; `api.http.otel` does the work and is imported only when traces are on, so
the service runs without the OpenTelemetry packages (the `otel` extra) installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy import Engine

from api.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


class TracingUnavailableError(RuntimeError):
    """Traces were asked for, but the OpenTelemetry packages are not installed."""


class Tracing:
    """What `install` set up for one app: nothing when traces are off."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self.provider = provider

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    def watch(self, engine: Engine) -> None:
        """Trace the SQL run on `engine` (the read side's engine, built at start-up)."""
        if self.provider is not None:
            from api.http import otel

            otel.instrument_engine(engine, self.provider)


def install(app: FastAPI, settings: Settings) -> Tracing:
    """Trace `app`'s requests if the settings ask for it; call before the app starts."""
    tracing = Tracing()
    if settings.otel_enabled:
        try:
            from api.http import otel
        except ImportError as error:
            raise TracingUnavailableError(
                "MAILLAGE_OTEL_ENABLED needs the OpenTelemetry packages: "
                "pip install 'maillage[otel]'"
            ) from error
        provider = otel.tracer_provider()
        otel.instrument_app(app, provider)
        tracing = Tracing(provider)
    return tracing
