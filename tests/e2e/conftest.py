"""The API over a real store, through httpx.AsyncClient and the ASGI transport.

`api` starts the app's lifespan (projections followed in process, the one clock fixed at NOW:
the use cases, tokens, idempotency records, keys and the projection runner alike) and gives
an `Api`: the client, the application behind it (to set up a registry quickly), the app's
services (`api.http.deps.services_of`: its projection runner…) and `headers()` minting a bearer
token for any principal. Every problem the client receives, in every e2e test, is checked for
a Python repr of one of Maillage's enums (`<ActionKind.CASE_PARTICIPATION: …>`): a test whose
request is answered with one fails (`no_python_repr`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from starlette.responses import Response

from api.composition import Services
from api.http.app import create_app
from api.http.auth import mint_token
from api.http.console.session import Sessions
from api.http.deps import services_of
from api.integration.clients import Registered
from api.settings import Settings
from domain.access import Principal, ReadPurpose, Role
from domain.application import Maillage
from domain.timing import TimePolicy
from tests.world import NOW


def _enums(kind: type[enum.Enum] = enum.Enum) -> set[str]:
    found: set[str] = set()
    for sub in kind.__subclasses__():
        if sub.__module__.split(".")[0] in ("domain", "api", "projections"):
            found.add(sub.__name__)
        found |= _enums(sub)
    return found


def python_reprs(text: str) -> list[str]:
    """What in `text` reads as a Python repr of one of Maillage's enums, or of any enum member
    (`<Name.MEMBER: value>`)."""
    names = "|".join(sorted(_enums()))
    pattern = re.compile(rf"<(?:{names})\b|<\w+\.\w+: ")
    return pattern.findall(text)


async def no_python_repr(response: httpx.Response) -> None:
    """A client event hook: a problem showing a Python repr fails the test that asked."""
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        await response.aread()
        reprs = python_reprs(response.text)
        assert not reprs, f"a problem shows a Python repr {reprs}: {response.text}"


class AppClock:
    """The app's one clock: NOW, until a test moves it (`Api.travel`)."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    client: httpx.AsyncClient
    maillage: Maillage
    settings: Settings
    app: FastAPI
    clock: AppClock = field(default_factory=AppClock)

    def travel(self, to: datetime) -> None:
        """Move the app's clock (and the tokens minted after) to `to`."""
        self.clock.now = to

    @property
    def services(self) -> Services:
        return services_of(self.app)

    def token(
        self, role: Role | str, subject: UUID | None = None, institution: UUID | None = None
    ) -> str:
        return mint_token(
            self.settings,
            subject=subject or uuid4(),
            role=Role(role),
            institution_id=institution,
            now=self.clock(),  # the app's one clock
        )

    @asynccontextmanager
    async def console(
        self,
        role: Role | str,
        subject: UUID | None = None,
        institution: UUID | None = None,
        name: str = "Camille Test",
    ) -> AsyncIterator[ConsoleClient]:
        """A console client signed in as this principal (None: signed out)."""
        principal = Principal(subject or uuid4(), Role(role), institution)
        cookies, csrf = console_cookies(self.settings, principal, name, self.clock())
        async with httpx.AsyncClient(
            transport=self.client._transport,
            base_url="https://maillage",  # the session cookie is Secure
            cookies=cookies,
            headers={"Accept-Language": "fr"},
        ) as client:
            yield ConsoleClient(client, csrf)

    def headers(
        self, role: Role | str, subject: UUID | None = None, institution: UUID | None = None
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, subject, institution)}"}

    def register_client(
        self, institution: UUID, kinds: Iterable[str] = ("Case.CaseOpened",)
    ) -> Registered:
        """A client application of `institution` in the services' registry, following `kinds`,
        no personal data (a client's token must name a registered client: 401 otherwise)."""
        return self.services.clients.register(
            name="SI de test",
            institution_id=institution,
            kinds=kinds,
            personal_data=False,
            purpose=ReadPurpose.COORDINATION,
            by=uuid4(),
        )


@dataclass
class ConsoleClient:
    """A browser's view of the console over the ASGI transport: signed in (its session and
    CSRF cookies, as the sign-in would set them), redirects not followed; `csrf` is the token
    its forms carry."""

    client: httpx.AsyncClient
    csrf: str

    async def get(self, path: str, **options: Any) -> httpx.Response:
        return await self.client.get(path, **options)

    async def post(self, path: str, data: dict[str, Any] | None = None) -> httpx.Response:
        """A form of a console page, with its CSRF token."""
        return await self.client.post(path, data={"csrf": self.csrf, **(data or {})})


def console_cookies(
    settings: Settings, principal: Principal, name: str, now: datetime
) -> tuple[dict[str, str], str]:
    """The cookies a console sign-in sets for `principal`, and the CSRF token of its forms."""
    sessions = Sessions(settings)
    response = Response()
    sessions.open(response, principal, name, now, "test")
    csrf = sessions.new_csrf(response)
    cookies: dict[str, str] = {}
    for header in response.headers.getlist("set-cookie"):
        cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    return cookies, csrf


@pytest.fixture
async def api(store_settings: Settings) -> AsyncIterator[Api]:
    settings = store_settings.model_copy(
        update={"embedded_projections": True, "projection_poll_seconds": 0.01}
    )
    clock = AppClock()
    app = create_app(settings, time=TimePolicy(clock=clock))  # one clock for all
    async with app.router.lifespan_context(app):
        maillage: Maillage = services_of(app).maillage
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://maillage",
            event_hooks={"response": [no_python_repr]},
        ) as client:
            yield Api(client, maillage, settings, app, clock)
