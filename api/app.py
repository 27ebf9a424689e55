"""The FastAPI application factory: wires the store at start-up, not at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.migrations import current_revision, ensure_current, head_revision
from api.settings import Settings, get_settings
from api.store import build_application, build_engine
from domain.application import Maillage
from projections.runner import ProjectionRunner

log = logging.getLogger("maillage.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ensure_current(settings)
        app.state.settings = settings
        app.state.maillage = build_application(settings)
        app.state.engine = build_engine(settings)
        app.state.projections = ProjectionRunner(
            app.state.maillage, app.state.engine, batch_size=settings.projection_batch_size
        )
        stop = threading.Event()
        follower: threading.Thread | None = None
        if settings.runs_projections_in_process:
            follower = threading.Thread(
                target=app.state.projections.follow,
                args=(stop,),
                kwargs={"interval": settings.projection_poll_seconds},
                name="maillage-projections",
                daemon=True,
            )
            follower.start()
        log.info(
            "Maillage ready on %s (projections %s)",
            settings.database_url.split("@")[-1],
            "in process" if follower else "in separate workers",
        )
        try:
            yield
        finally:
            stop.set()
            if follower is not None:
                follower.join(timeout=10)
            app.state.maillage.close()
            app.state.engine.dispose()

    app = FastAPI(
        title="Maillage",
        version="0.1.0",
        description=(
            "Event-sourced case coordination for social and medico-social work: who intervenes "
            "for a beneficiary, for which institution, on what basis — and where it is incoherent."
        ),
        lifespan=lifespan,
    )

    @app.get("/health", tags=["operations"], summary="The process is alive")
    async def health() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/ready", tags=["operations"], summary="The store is reachable and migrated")
    def ready(request: Request) -> JSONResponse:
        checks: dict[str, Any] = {}
        status = 200
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["store"] = "reachable"
            current = current_revision(request.app.state.engine, settings)
            head = head_revision(settings)
            checks["migrations"] = {"current": current, "expected": head}
            if current != head:
                status = 503
            checks["projections"] = {
                lag.name: {"position": lag.position, "head": lag.head, "behind": lag.behind}
                for lag in request.app.state.projections.lag()
            }
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            checks["store"] = "unreachable"
            status = 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

    return app


def get_maillage(request: Request) -> Maillage:
    app: Maillage = request.app.state.maillage
    return app


MaillageDep = Annotated[Maillage, Depends(get_maillage)]
