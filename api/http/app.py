"""The FastAPI application factory: wires the store at start-up, not at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from api.composition import build_services
from api.http import (
    console,
    deps,
    docs,
    guard,
    idempotency,
    observability,
    openapi,
    problems,
    tracing,
)
from api.http.auth import TokenVerifier
from api.http.deps import HttpParts, MetricsDep, ServicesDep
from api.http.guard import public
from api.http.language import ContentLanguage
from api.http.limits import BodyLimit
from api.http.observability import Metrics
from api.http.problem_document import PROBLEM_JSON, Problem
from api.http.routers import (
    case_acts,
    cases,
    chain,
    clients,
    corrections,
    delegations,
    feed,
    fhir,
    holding,
    identifiers,
    networks,
    oauth,
    partnerships,
    referrals,
    registry,
    reports,
    rights,
    views,
    vocabulary,
    webhooks,
    work,
)
from api.settings import Settings, get_settings
from api.store.calendar_record import settle_time_zone
from api.store.log_listener import commit_signal
from api.store.migrations import current_revision, ensure_current, head_revision
from api.version import installed_version
from domain.timing import TimePolicy

log = logging.getLogger("maillage.api")


def _problem(description: str) -> dict[str, Any]:
    """A shared error answer: a `Problem`, sent as `application/problem+json` (the schema says
    so: `api.http.problem_document.document` moves what FastAPI puts under `application/json`)."""
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: _problem("The body could not be parsed (not UTF-8, not JSON…)."),
    401: _problem(
        "No bearer token, or one whose signature, issuer, audience, expiry or lifetime fails "
        "(checked before anything else)."
    ),
    403: _problem(
        "Need-to-know (`access-denied`): your role may not call this route (checked before the "
        "request is read), or your standing does not allow it."
    ),
    404: _problem("No such record (`not-found`)."),
    409: _problem("The record's current state refuses it (closed case, already signed…)."),
    412: _problem(
        "If-Match names a version that is no longer current (`stale-version`), or a request "
        "for personal data that changed since it was read (`personal-data-request-changed`)."
    ),
    413: _problem("The body is larger than the service takes (`body-too-large`)."),
    422: _problem(
        "Invalid input (`invalid-request`, with `errors`: each invalid input's `field`, stable "
        "`type` and `message`) or a broken rule (its `rule`, the `field` at fault and its "
        "values in `details`). Where `details` lists alternatives it writes them "
        '`{"any_of": [code, code]}`, one of which is enough: a legal ground\'s unmet '
        'conditions read `"missing_conditions": ["strictly_necessary", {"any_of": '
        '["parental_authority_informed", "not_informed_reason"]}]`, and `condition_kinds` says '
        "how each code is met (`attested`: put it in `legal_ground.attested`; `stated`: give "
        "`legal_ground.statements[code]`; `fact`: the case must show it)."
    ),
    428: _problem(
        "A write on a case without `Idempotency-Key`, when the service requires one "
        "(`idempotency-key-required`); a DPO's approval of personal data without `If-Match` "
        "(`if-match-required`)."
    ),
    503: _problem(
        "The store is unreachable (`store-unavailable`; a write says its `outcome`), or the "
        "read side has not reached the `after` position within 5 s: retry."
    ),
}

TAGS = [
    {"name": "cases", "description": "A beneficiary's shared case: every act, with its basis."},
    {
        "name": "referrals",
        "description": "Referrals between institutions, both sides: the inbox of those received, "
        "those made, revoking one, reading what one shares.",
    },
    {
        "name": "views",
        "description": "Coherence now and as of a past instant, audit trails, "
        "caseloads, involvement. Case content reads are recorded.",
    },
    {
        "name": "rights",
        "description": "The beneficiary's rights (RGPD): export of everything held, "
        "rectification, erasure — by a data-protection officer (`dpo`).",
    },
    {"name": "registry", "description": "Institutions, professionals, employments, delegations."},
    {"name": "partnerships", "description": "Charters and conventions between institutions."},
    {"name": "networks", "description": "Informal and formal networks of professionals."},
    {
        "name": "integration",
        "description": "Client applications of institutions: registered by administrators, "
        "they get tokens at `/oauth/token` (client credentials); webhook subscriptions and "
        "their deliveries (admin).",
    },
    {
        "name": "reports",
        "description": "Fundings, funder reports (small cells withheld) and the network map.",
    },
    {
        "name": "vocabulary",
        "description": "Every code the API takes or answers, with its words (French first).",
    },
    {
        "name": "feed",
        "description": "The catch-up feed: client applications follow what their institution "
        "may know, in log order.",
    },
    {"name": "operations", "description": "Liveness, readiness, metrics."},
]

DESCRIPTION = """Event-sourced case coordination for social and medico-social work: who intervenes
for a beneficiary, for which institution, on what basis — and where it is incoherent.

**Authentication**: every route but the operations ones takes `Authorization: Bearer <JWT>`.
Each operation names the roles that may call it (`x-roles`); any other role is refused (403)
before the request's parameters or body are read, and a request without a trusted token is
refused (401) before anything else.
In the embedded mode, `maillage demo` prints tokens for each role, and
`maillage token --professional ID --role ROLE --institution ID` mints one.

**Roles** (deny by default): a *case worker* reads and acts on the cases they take part in or
hold a delegation for; a *supervisor* audits the cases their institution is or was involved in;
a *funder* reaches no case; an *admin* keeps the registry and reads no case content. Reading a
case's content needs a declared `purpose` and is recorded in the case's audit trail.

**Writes**: send `If-Match` with the ETag you read to refuse a change on a stale version (412),
and `Idempotency-Key` on any POST to make a retry safe (a retry after a timeout or a 503 is then
recorded once, or told it was recorded; without a key it may be recorded twice). Every error is
`application/problem+json` with a stable `type` (`urn:maillage:problem:<rule>`) and the `field`
at fault; its `title` and `detail` are in French, or in English with `Accept-Language: en`
(codes and `details` keys are the same in both).

**Read your writes**: commands return `position`; pass it as `after` to a view.
"""


def create_app(settings: Settings | None = None, *, time: TimePolicy | None = None) -> FastAPI:
    """The app over the store `settings` names (default: the environment's), its services built
    by the composition root at start-up; `time` replaces the settings' clock (tests)."""
    settings = settings or get_settings()
    verifier = TokenVerifier(settings)  # refuses a default key outside the embedded mode
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ensure_current(settings)
        services = build_services(settings, time=time)
        try:  # reports of published periods never change: the zone is the store's
            settle_time_zone(services.engine, settings.time_zone, services.time.now())
        except Exception:
            services.close()
            raise
        deps.provide(app, services)
        metrics.watch_projections(services.projections.lag)
        traces.watch(services.engine)  # SQL spans (when MAILLAGE_OTEL_ENABLED)
        stop = threading.Event()
        follower: threading.Thread | None = None
        # A commit of this process wakes the follower; the interval is the slow poll for
        # other processes' commits (a `maillage import` on the same file, say).
        signal = commit_signal(services.maillage.recorder)
        if settings.runs_projections_in_process:
            follower = threading.Thread(
                target=services.projections.follow,
                args=(stop,),
                kwargs={
                    "interval": settings.projection_poll_seconds,
                    "wake": signal.wait if signal is not None else None,
                },
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
            if signal is not None:
                signal.wake()
            if follower is not None:
                follower.join(timeout=10)
            services.close()

    app = FastAPI(
        title="Maillage",
        version=installed_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=TAGS,
        generate_unique_id_function=openapi.operation_id,  # the handler's name
        docs_url=None,  # FastAPI's pages load their assets from a CDN: `docs` serves its own
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    traces = tracing.install(app, settings)  # request spans (off unless MAILLAGE_OTEL_ENABLED)
    deps.install(app, HttpParts(verifier, metrics, traces))
    problems.install(app)
    idempotency.install(app)  # replays; keys are claimed on the command path (`commands`)
    guard.install(app)  # every route: who calls, their role, their text, before the rest
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)  # before anything reads it
    app.add_middleware(ContentLanguage)  # every answer says its language (api.i18n)
    observability.install(app, metrics)  # outermost: replays and refusals are counted too
    for area in (
        cases,
        case_acts,
        referrals,
        corrections,
        views,
        registry,
        identifiers,
        delegations,
        partnerships,
        networks,
        reports,
        rights,
        chain,
        vocabulary,
        work,
        holding,
        clients,
        oauth,
        fhir,
        feed,
        webhooks,
    ):
        app.include_router(area.router, responses=PROBLEMS)

    @app.get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics: requests, latencies, command outcomes, projection lag",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}}},
    )
    @public
    def read_metrics(metrics: MetricsDep) -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")

    @app.get("/health", tags=["operations"], summary="The process is alive")
    @public
    async def health() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/ready", tags=["operations"], summary="The store is reachable and migrated")
    @public
    def ready(services: ServicesDep) -> JSONResponse:
        checks: dict[str, Any] = {}
        status = 200
        try:
            with services.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["store"] = "reachable"
            current = current_revision(services.engine, services.settings)
            head = head_revision(services.settings)
            checks["migrations"] = {"current": current, "expected": head}
            if current != head:
                status = 503
            checks["projections"] = {
                lag.name: {"position": lag.position, "head": lag.head, "behind": lag.behind}
                for lag in services.projections.lag()
            }
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            checks["store"] = "unreachable"
            status = 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

    console.install(app, settings)  # /console: pages for supervisors and funders
    openapi.install(app)  # who may call each operation, its refusals, its examples
    docs.install(app)  # /docs and /redoc, every asset served from here
    return app
