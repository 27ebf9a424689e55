"""The one provider of what handlers use: the services the composition root built at start-up.

`create_app` stores two things on `app.state`, once: the `Services` (`api.composition`, built in
the lifespan) and the `HttpParts` made with the app (its token verifier and metrics). This module
is the only one in `api.http` that reads them; handlers declare what they use as typed
dependencies (`MaillageDep`, `ConnectionDep`, `PrincipalDep`…), so a test substitutes any of
them with `app.dependency_overrides[get_maillage] = …` instead of reaching into the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.utils import get_dependant, solve_dependencies
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Connection, Engine

from api.composition import Services
from api.http.auth import TokenVerifier, bearer
from api.http.console.session import Sessions
from api.http.language import language_of
from api.http.observability import Metrics
from api.http.problems import TokenMissingError
from api.http.tracing import Tracing
from api.i18n import Words
from api.integration.clients import ClientRegistry
from api.settings import Settings
from api.store.console_sessions import SessionEnds
from api.store.idempotency import IdempotencyStore
from domain.access import Principal, Role
from domain.application import Maillage
from domain.integration import check_client_token
from domain.timing import TimePolicy
from domain.wording import N_
from projections.runner import ProjectionRunner

# The providers are `async def` although they only look something up: FastAPI runs a plain
# `def` dependency in a worker thread, a cost per request for nothing here.


@dataclass(frozen=True)
class HttpParts:
    """What the HTTP app makes for itself, before the store is reached."""

    verifier: TokenVerifier
    metrics: Metrics
    traces: Tracing


def install(app: FastAPI, parts: HttpParts) -> None:
    """At the app's creation: its own parts."""
    app.state.http = parts


def provide(app: FastAPI, services: Services) -> None:
    """At start-up (the lifespan): the services the composition root built, stored once; the
    console's sessions are given the store's record of ended sessions."""
    app.state.services = services
    console: Sessions | None = getattr(app.state, "console", None)
    if console is not None:
        console.ends = SessionEnds(services.engine)


def provide_console(app: FastAPI, sessions: Sessions | None) -> None:
    """At the app's creation: the console's sessions (None: the console is not configured)."""
    app.state.console = sessions


async def get_console_sessions(request: Request) -> Sessions | None:
    sessions: Sessions | None = request.app.state.console
    return sessions


def parts_of(app: FastAPI) -> HttpParts:
    """The app's own parts, outside a request (tests, tools)."""
    parts: HttpParts = app.state.http
    return parts


def services_of(app: FastAPI) -> Services:
    """The services of a started app, outside a request (tests, tools)."""
    services: Services = app.state.services
    return services


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_http_parts(request: Request) -> HttpParts:
    parts: HttpParts = request.app.state.http
    return parts


ServicesDep = Annotated[Services, Depends(get_services)]
HttpPartsDep = Annotated[HttpParts, Depends(get_http_parts)]


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_clock(services: ServicesDep) -> TimePolicy:
    """The one clock: token expiry, idempotency records and the use cases read it."""
    return services.time


async def get_maillage(services: ServicesDep) -> Maillage:
    return services.maillage


async def get_engine(services: ServicesDep) -> Engine:
    return services.engine


def get_connection(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Connection]:
    """A read-side connection for the request (the queries of `projections` take it)."""
    with engine.connect() as conn:
        yield conn


async def get_projections(services: ServicesDep) -> ProjectionRunner:
    return services.projections


async def get_idempotency_records(services: ServicesDep) -> IdempotencyStore:
    return services.idempotency


async def get_clients(services: ServicesDep) -> ClientRegistry:
    """The registry of client applications, built once with the services (`api.composition`)."""
    return services.clients


async def get_verifier(parts: HttpPartsDep) -> TokenVerifier:
    return parts.verifier


async def get_metrics(parts: HttpPartsDep) -> Metrics:
    return parts.metrics


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[TimePolicy, Depends(get_clock)]
MaillageDep = Annotated[Maillage, Depends(get_maillage)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]
ProjectionsDep = Annotated[ProjectionRunner, Depends(get_projections)]
IdempotencyRecordsDep = Annotated[IdempotencyStore, Depends(get_idempotency_records)]
VerifierDep = Annotated[TokenVerifier, Depends(get_verifier)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
ClientsDep = Annotated[ClientRegistry, Depends(get_clients)]


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    verifier: VerifierDep,
    clock: ClockDep,
    clients: ClientsDep,
) -> Principal:
    """Who calls: verified once per request, by the route guard (`api.http.guard`, before the
    route reads anything), and kept on the request for the handler's dependencies. A client
    application's token must still be good for its client, whatever the route
    (`domain.integration.check_client_token`: 401 otherwise, before any route's 403)."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise TokenMissingError(N_("send a bearer token: Authorization: Bearer <token>"))
    if verifier.fetches_keys:  # in a worker thread: an identity provider's keys (JWKS)
        principal = await run_in_threadpool(verifier.verify, credentials.credentials, clock.now())
    else:  # the service's own key: microseconds (a token seen before: none), no thread hop
        principal = verifier.verify(credentials.credentials, clock.now())
    if principal.role is Role.INTEGRATION:  # its client, as stored now: revoked, rotated…
        check_client_token(principal, await run_in_threadpool(clients.scope, principal.subject))
    request.state.principal = principal
    request.state.role = principal.role.value  # for the request's log line
    return principal


async def _principal_of(principal: Annotated[Principal, Depends(current_principal)]) -> None:
    """What the route guard resolves: the principal alone."""


_PRINCIPAL_ONLY = get_dependant(path="", call=_principal_of)


async def resolve_principal(request: Request) -> Principal:
    """The request's principal, resolved before the route parses its body or its parameters
    (`api.http.guard`), through the same dependency as every handler's `PrincipalDep` — so a
    test's `dependency_overrides` (the clock, the verifier) apply — and kept for the handler.

    FastAPI has no public call to solve one dependency outside a route's own handler:
    `solve_dependencies` is the one its routes use (keyword arguments as of FastAPI 0.121).
    Solving it costs more than verifying a token seen before: with no override in place, the
    same providers are called directly."""
    app = request.app
    if not app.dependency_overrides:
        parts, services = await get_http_parts(request), await get_services(request)
        credentials = await bearer(request)
        return await current_principal(
            request, credentials, parts.verifier, services.time, services.clients
        )
    solved = await solve_dependencies(
        request=request,
        dependant=_PRINCIPAL_ONLY,
        dependency_overrides_provider=request.app,  # where FastAPI keeps the overrides
        async_exit_stack=request.scope["fastapi_inner_astack"],
        embed_body_fields=False,
    )
    principal: Principal = solved.values["principal"]
    return principal


async def request_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],  # OpenAPI
) -> Principal:
    """The principal the route guard resolved for this request (`resolve_principal`); resolved
    here only for a route the guard let through without (none does today). Each dependency
    FastAPI solves costs a request tens of microseconds: the handler's need not solve the
    verifier and the clock again. The bearer scheme stays declared: the OpenAPI schema shows
    every operation's security from it."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    return await resolve_principal(request)


PrincipalDep = Annotated[Principal, Depends(request_principal)]


async def words_of(request: Request, settings: SettingsDep) -> Words:
    """The reader's language (`Accept-Language`, French by default); days in the service's
    time zone (`MAILLAGE_TIME_ZONE`)."""
    return Words(language_of(request), zone=settings.time_zone)


WordsDep = Annotated[Words, Depends(words_of)]
