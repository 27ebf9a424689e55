"""Who may call a route is decided before anything the caller sent is read.

Whoever may not reach a route must learn nothing of how to ask for it: not its parameters, not
the fields of its body. So every route of the app is a `GuardedRoute` and declares who may call
it — `@admits(ADMISSION)`, an `Admission` of `domain.access` (the roles the domain's rules let ask
at all, the same object those rules start from), or `@public` (health, readiness, metrics). A
route that declares neither cannot be built. Before FastAPI parses the body or validates a
parameter, the guard answers, in this order:

1. 401 `unauthenticated`: no bearer token, or one that cannot be trusted (the principal is
   resolved here, once, through the handlers' own `PrincipalDep`, which then reuses it); 401
   `client-token-…` too: a client application's token no longer good for its client (revoked,
   unknown, cut by a rotation), whatever the route — an OAuth library asks for a new one;
2. 403 `access-denied`: the token's role is not admitted;
3. 422 `invalid-text`: text that no store can keep (`api.http.textguard`).

Then the route runs as usual: its parameters and body are validated (422), and the finer rules,
which need them (which case, which institution, whose report), are the domain's (403, 404…).
The roles admitted are published with each operation of the OpenAPI schema as `x-roles`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute

from api.http.asgi import state_of
from api.http.deps import resolve_principal
from api.http.problem_document import problem_response
from api.http.textguard import RULE, first_unstorable
from domain.access import Admission, Role
from domain.wording import N_

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
_DECLARED = "__maillage_admission__"
_PUBLIC = "public"


def admits(admission: Admission) -> Callable[[Endpoint], Endpoint]:
    """Declare the roles that may call the route (below its `@router.get(...)` line)."""

    def declare(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _DECLARED, admission)
        return endpoint

    return declare


def public(endpoint: Endpoint) -> Endpoint:
    """Declare a route open to anyone, without a token (operations only)."""
    setattr(endpoint, _DECLARED, _PUBLIC)
    return endpoint


def declared(endpoint: Callable[..., Any]) -> Admission | None:
    """Who may call `endpoint`: its `Admission`, or None if it is `@public`; a route that
    declares neither cannot be built (the console's routes read the same declarations)."""
    found = getattr(endpoint, _DECLARED, None)
    if found is None:
        raise TypeError(
            f"{endpoint.__name__}: declare who may call it, with @admits(...) or @public "
            "(api.http.guard)"
        )
    return None if found == _PUBLIC else found


def roles_of(admission: Admission) -> list[str]:
    return [role.value for role in Role if role in admission.roles]


class GuardedRoute(APIRoute):
    """Every route of the app: who calls, then their role, then the text they sent, before the
    route resolves anything (its body's model, its parameters, an idempotency claim). The body
    is read once, on the request FastAPI then parses: it reads the same bytes again from the
    request, not from the client. A route class rather than a middleware, so that no layer
    reads the body and hands a copy on. What an admitted route answers is someone's (a case, a
    secret, a feed page): `Cache-Control: no-store` unless the route says otherwise."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        declared = getattr(endpoint, _DECLARED, None)
        if declared is None:
            raise TypeError(
                f"{path}: declare who may call it, with @admits(...) or @public (api.http.guard)"
            )
        self.admission: Admission | None = None if declared == _PUBLIC else declared
        if self.admission is not None:
            extra = dict(options.get("openapi_extra") or {})
            extra["x-roles"] = roles_of(self.admission)
            options["openapi_extra"] = extra
        super().__init__(path, endpoint, **options)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        admission = self.admission

        async def guarded(request: Request) -> Response:
            if admission is not None:
                # Raised as problems (401, 403) by the app's one mapping (`api.http.problems`).
                admission.check(await resolve_principal(request))
            where = await first_unstorable(request)
            if where is None:
                answer = await handle(request)
                if admission is not None:  # answers for someone: no cache keeps them
                    answer.headers.setdefault("Cache-Control", "no-store")
                answer.headers.setdefault("X-Content-Type-Options", "nosniff")
                return answer
            state_of(request.scope)["error_rule"] = RULE
            return problem_response(
                422,
                RULE,
                N_("text may not contain a NUL character or an unpaired surrogate"),
                request=request,
                field=where,
            )

        return guarded


def install(app: FastAPI) -> None:
    """Routes the app itself declares from now on are guarded too (routers name the class)."""
    app.router.route_class = GuardedRoute
