"""What the pure ASGI middlewares share.

The middlewares around every request (request id and metrics, the body limit) are plain ASGI
callables rather than `@app.middleware("http")` functions: each of those runs the rest of the
app in a task of its own, with memory streams between them, and four of them cost more CPU per
request than a bare FastAPI endpoint does in all (measured under load: see the README's
benchmarks). Plain ASGI costs a function call. None of them reads the body and hands a copy on:
unstorable text is refused by the routes themselves (`api.http.guard.GuardedRoute`), and
idempotency is claimed on the command path (`api.http.commands`).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


def state_of(scope: Scope) -> dict[str, object]:
    """The request's `request.state`, as middlewares outside the app see it."""
    state: dict[str, object] = scope.setdefault("state", {})
    return state


class HttpMiddleware:
    """A plain ASGI middleware for HTTP requests; anything else (lifespan) passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
